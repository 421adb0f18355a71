"""The text writers: TSV, JSON Lines, TMX 1.4b and Vecalign beads, for one or several translations.

Every writer returns the whole document as a string (UTF-8 when written, ``\\n`` line ends).
Every text written is cleaned by :func:`aligner.output.hygiene.clean_sentence`: on one line,
each run of white space one space, control characters out (which also makes it safe for a TSV
field and for XML); the alignment's sentences and their spans are left as they are.

* **tsv** — no header line by default, so ``cut -f1,2`` gives a clean bitext. One line per
  bead: source text, target text, score, source ids, target ids (ids comma-separated, empty
  for an empty side). With several translations: the source text, each translation's text,
  each translation's score, the source ids, each translation's ids (one line per merged row);
  with one translation this is the same layout. ``header=True`` puts a line of column names
  first (:func:`tsv_header`).
* **jsonl** — a first line ``{"aligner": {version, languages, counts}}`` (the reproducibility
  signature; skip the line that has the key ``aligner``), then one object per bead:
  ``src_ids``, ``tgt_ids``, ``src``, ``tgt``, ``score``, ``src_lang``, ``tgt_lang``, and
  ``"pinned": true`` / ``"verified": true`` on beads a person fixed or checked. With
  several translations, one object per merged row with a ``translations`` list.
* **tmx** — TMX 1.4b built with ElementTree. One ``tu`` per bead whose two sides are non-empty;
  1-0 and 0-1 beads are left out (a unit with one language is no use to a translation memory)
  and counted in the header prop ``x-skipped-beads``. The score is a ``prop`` of each ``tu``,
  and ``x-verified`` of a bead a person checked (one translation).
  With several translations, one ``tu`` per merged row, a ``tuv`` per non-empty text.
* **beads** — ``[i, …]:[j, …]:score`` as Vecalign writes it, readable by
  :func:`aligner.evaluation.parse_beads`. One translation only.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from aligner import __version__
from aligner.multi import MergedRow, MultiAlignment, merge
from aligner.output.hygiene import clean_sentence
from aligner.output.lines import file_keys
from aligner.types import Alignment, Bead

__all__ = [
    "signature",
    "tsv_header",
    "write_beads",
    "write_jsonl",
    "write_jsonl_rows",
    "write_tmx",
    "write_tmx_rows",
    "write_tsv",
    "write_tsv_rows",
]

#: Decimals of the scores written in text formats (as in ``[0]:[0]:0.912``).
SCORE_DECIMALS = 3
#: TMX version written: 1.4b, the one CAT tools read (https://www.gala-global.org/tmx-14b).
TMX_VERSION = "1.4"


def signature(src_lang: str, tgt_langs: Sequence[str], settings: Sequence[str] = ()) -> str:
    """A one-line record of what made an output: ``aligner 0.1.0 fr-en,ru`` and the settings
    of each translation's alignment (:attr:`aligner.types.Alignment.settings`), once when they
    are the same.

    >>> signature("fr", ["en", "ru"], ["max_bead:5", "max_bead:5"])
    'aligner 0.1.0 fr-en,ru max_bead:5'
    """
    line = f"aligner {__version__} {src_lang}-{','.join(tgt_langs)}"
    distinct = list(dict.fromkeys(s for s in settings if s))
    if len(distinct) == 1:
        return f"{line} {distinct[0]}"
    return " ".join(
        [line, *(f"{lang}:[{s}]" for lang, s in zip(tgt_langs, settings, strict=True) if s)]
    )


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.{SCORE_DECIMALS}f}"


def _ids(ids: Iterable[int]) -> str:
    return ",".join(map(str, ids))


def _join(sentences: Sequence[str], ids: Sequence[int]) -> str:
    """The sentences ``ids`` as one clean line (see the module's description)."""
    if len(ids) == 1:  # most beads: no joined string to build
        return clean_sentence(sentences[ids[0]])
    return clean_sentence(" ".join([sentences[i] for i in ids]))


# ---------------------------------------------------------------------------------------------
# TSV


def tsv_header(src_lang: str, tgt_langs: Sequence[str]) -> list[str]:
    """The TSV's column names: the languages, then scores and ids, named per language when
    there are several translations (a language repeated is numbered, as the files of
    ``-f lines`` are).

    >>> tsv_header("fr", ["en"])
    ['fr', 'en', 'score', 'src_ids', 'tgt_ids']
    >>> tsv_header("fr", ["en", "ru"])
    ['fr', 'en', 'ru', 'score_en', 'score_ru', 'src_ids', 'ids_en', 'ids_ru']
    """
    keys = file_keys([src_lang, *tgt_langs])
    if len(tgt_langs) == 1:
        return [*keys, "score", "src_ids", "tgt_ids"]
    targets = keys[1:]
    return [
        *keys,
        *(f"score_{k}" for k in targets),
        "src_ids",
        *(f"ids_{k}" for k in targets),
    ]


def write_tsv(alignment: Alignment, min_confidence: float = 0.0, *, header: bool = False) -> str:
    """One line per bead: source text, target text, score, source ids, target ids.

    The lines :func:`write_tsv_rows` writes for ``merge([alignment])``, whose rows are then the
    beads one for one (an alignment's beads partition both texts in order), written straight
    from the beads: merging a book's beads into rows took as long as writing them.
    """
    lines = []
    if header:
        lines.append("\t".join(tsv_header(alignment.src_lang, [alignment.tgt_lang])) + "\n")
    src, tgt = alignment.src, alignment.tgt
    for bead in alignment.beads:
        if bead.confidence >= min_confidence:
            fields = (
                _join(src, bead.src),
                _join(tgt, bead.tgt),
                _score(bead.confidence),
                _ids(bead.src),
                _ids(bead.tgt),
            )
            lines.append("\t".join(fields) + "\n")
    return "".join(lines)


def write_tsv_rows(
    multi: MultiAlignment, min_confidence: float = 0.0, *, header: bool = False
) -> str:
    lines = []
    if header:
        names = tsv_header(multi.src_lang, [a.tgt_lang for a in multi.translations])
        lines.append("\t".join(names) + "\n")
    for row in _kept_rows(multi, min_confidence):
        fields = [_join(multi.src, row.src)]
        fields += [_join(a.tgt, ids) for a, ids in zip(multi.translations, row.tgt, strict=True)]
        fields += [_score(c) for c in row.confidence]
        fields += [_ids(row.src), *(_ids(ids) for ids in row.tgt)]
        lines.append("\t".join(fields) + "\n")
    return "".join(lines)


# ---------------------------------------------------------------------------------------------
# JSON Lines


def _json_line(record: dict[str, Any]) -> str:
    # ensure_ascii=False keeps the text readable; U+2028/U+2029 stay escaped because line-based
    # readers (Python's str.splitlines among them) would break a record there.
    text = json.dumps(record, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def _header(multi: MultiAlignment, min_confidence: float, left_out: int) -> dict[str, Any]:
    langs = [a.tgt_lang for a in multi.translations]
    summary: dict[str, Any] = {
        "version": __version__,
        "signature": signature(multi.src_lang, langs, [a.settings for a in multi.translations]),
        "src_lang": multi.src_lang,
        "tgt_langs": langs,
        "src_sentences": len(multi.src),
        "tgt_sentences": [len(a.tgt) for a in multi.translations],
        "bead_counts": [dict(sorted(a.counts().items())) for a in multi.translations],
        "mean_confidence": [round(a.mean_confidence, 4) for a in multi.translations],
        "quality": [round(a.quality, 4) for a in multi.translations],
        "expected_wrong": [round(a.expected_wrong, 4) for a in multi.translations],
        "coverage": [
            {"src": round(a.coverage[0], 4), "tgt": round(a.coverage[1], 4)}
            for a in multi.translations
        ],
    }
    if min_confidence > 0.0:
        summary["min_confidence"] = min_confidence
        summary["left_out"] = left_out
    return {"aligner": summary}


def _kept_rows(multi: MultiAlignment, min_confidence: float) -> list[MergedRow]:
    """The rows whose every score is at least ``min_confidence`` (all rows for 0)."""
    return [r for r in multi.rows if r.min_confidence >= min_confidence]


def _marks(bead: Bead) -> dict[str, bool]:
    """A bead's marks, written only where true: ``--pins`` keeps exactly the marked beads."""
    return {k: True for k, on in (("pinned", bead.pinned), ("verified", bead.verified)) if on}


def write_jsonl(alignment: Alignment, min_confidence: float = 0.0) -> str:
    """A signature line, then one JSON object per bead (ids, texts, score, languages)."""
    kept = [b for b in alignment.beads if b.confidence >= min_confidence]
    left_out = len(alignment.beads) - len(kept)
    lines = [_json_line(_header(merge([alignment]), min_confidence, left_out))]
    for bead in kept:
        record = {
            "src_ids": list(bead.src),
            "tgt_ids": list(bead.tgt),
            "src": _join(alignment.src, bead.src),
            "tgt": _join(alignment.tgt, bead.tgt),
            "score": round(bead.confidence, SCORE_DECIMALS),
            "src_lang": alignment.src_lang,
            "tgt_lang": alignment.tgt_lang,
        }
        record.update(_marks(bead))
        lines.append(_json_line(record))
    return "".join(lines)


def write_jsonl_rows(multi: MultiAlignment, min_confidence: float = 0.0) -> str:
    kept = _kept_rows(multi, min_confidence)
    lines = [_json_line(_header(multi, min_confidence, len(multi.rows) - len(kept)))]
    for row in kept:
        translations = [
            {
                "lang": a.tgt_lang,
                "ids": list(ids),
                "text": _join(a.tgt, ids),
                "score": None if c is None else round(c, SCORE_DECIMALS),
            }
            for a, ids, c in zip(multi.translations, row.tgt, row.confidence, strict=True)
        ]
        record = {
            "src_ids": list(row.src),
            "src": _join(multi.src, row.src),
            "src_lang": multi.src_lang,
            "translations": translations,
        }
        lines.append(_json_line(record))
    return "".join(lines)


# ---------------------------------------------------------------------------------------------
# TMX


def _score_props(langs: Sequence[str]) -> list[str]:
    """The prop type of each translation's score: ``x-score`` alone, else one per language."""
    if len(langs) == 1:
        return ["x-score"]
    if len(set(langs)) == len(langs):
        return [f"x-score-{lang}" for lang in langs]
    return [f"x-score-{k}" for k in range(1, len(langs) + 1)]


def write_tmx_rows(multi: MultiAlignment, min_confidence: float = 0.0) -> str:
    langs = [a.tgt_lang for a in multi.translations]
    root = ET.Element("tmx", version=TMX_VERSION)
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": "aligner",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "aligner",
            "adminlang": "en",
            "srclang": multi.src_lang,
            "datatype": "plaintext",
        },
    )
    ET.SubElement(header, "prop", type="x-aligner-signature").text = signature(
        multi.src_lang, langs, [a.settings for a in multi.translations]
    )
    body = ET.SubElement(root, "body")
    props = _score_props(langs)
    # With one translation a row is a bead: its user's mark goes with it, as the page writes it.
    beads = multi.translations[0].beads if len(multi.translations) == 1 else ()
    verified = {k for k, b in enumerate(beads) if b.verified and len(beads) == len(multi.rows)}
    skipped = 0
    for number, row in enumerate(multi.rows, 1):
        if row.min_confidence < min_confidence:
            continue
        sides = [(multi.src_lang, _join(multi.src, row.src))]
        sides += [
            (a.tgt_lang, _join(a.tgt, ids))
            for a, ids in zip(multi.translations, row.tgt, strict=True)
        ]
        filled = [(lang, text) for lang, text in sides if text]
        if len(filled) < 2:
            skipped += 1
            continue
        tu = ET.SubElement(body, "tu", tuid=str(number))
        for prop, c in zip(props, row.confidence, strict=True):
            if c is not None:
                ET.SubElement(tu, "prop", type=prop).text = _score(c)
        if number - 1 in verified:
            ET.SubElement(tu, "prop", type="x-verified").text = "true"
        for lang, text in filled:
            tuv = ET.SubElement(tu, "tuv", {"xml:lang": lang})
            ET.SubElement(tuv, "seg").text = text
    ET.SubElement(header, "prop", type="x-skipped-beads").text = str(skipped)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_tmx(alignment: Alignment, min_confidence: float = 0.0) -> str:
    """A TMX 1.4b document: one ``tu`` per bead with both sides non-empty."""
    return write_tmx_rows(merge([alignment]), min_confidence)


# ---------------------------------------------------------------------------------------------
# Beads


def write_beads(alignment: Alignment, min_confidence: float = 0.0) -> str:
    """One ``[i, …]:[j, …]:score`` line per bead, as Vecalign writes them."""
    return "".join(
        f"{list(b.src)}:{list(b.tgt)}:{_score(b.confidence)}\n"
        for b in alignment.beads
        if b.confidence >= min_confidence
    )
