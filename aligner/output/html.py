"""The side-by-side HTML page: an original and its translations, one row per bead or merged row.

The page is one self-contained file: inline CSS and JavaScript (the package files
``page.css`` and ``page.js``, read on first use) allowed by hash in a
Content-Security-Policy that forbids every other load, so it opens offline and a hostile text
cannot run code in it. Templates are module constants filled from plain values by
:func:`_fill`, the one place where text is escaped for HTML (:func:`_esc`); values already
rendered by this module travel as :class:`_Html` and are inserted as they are. The data the
script needs travels as JSON in a ``<script type="application/json">`` block
(:func:`_script_json`).

The page is also an editor (docs/editor.md): rows can be merged, split, moved sentence by
sentence and marked verified, with undo, edits kept in localStorage, and exports in the
formats of :mod:`aligner.output`. Python renders the rows as the aligner made them; the script
re-renders only the rows an edit changes, with the same markup.

A book of 23,000 rows stays usable: rows come in blocks of :data:`BLOCK_ROWS`, each block with
``content-visibility: auto`` (the browser lays out only the blocks on screen, and decides that
for a few hundred blocks rather than for every row), there is no listener per row (one
delegated listener) and the script runs from the head, so a click while a book loads is
queued rather than lost.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from aligner import __version__
from aligner.errors import UsageError
from aligner.multi import MultiAlignment, merge, paragraph_starts
from aligner.output.hygiene import clean_sentence
from aligner.output.writers import signature
from aligner.types import Alignment

__all__ = [
    "LOW_CONFIDENCE",
    "content_security_policy",
    "page_css",
    "page_script",
    "render_alignment",
    "render_html",
]

#: Rows with a translation confidence below this are "doubtful": shaded and kept by the filter.
#: Confidence is the calibrated probability that the bead is right
#: (:mod:`aligner.scoring.confidence`), so under 0.5 a row is more likely wrong than right.
LOW_CONFIDENCE = 0.5
#: Upper bounds of the shading buckets q0…q2 (q3, unshaded, is everything above the last
#: bound): only doubtful rows are shaded, the more likely wrong the darker.
SHADE_BOUNDS = (0.2, 0.35, LOW_CONFIDENCE)
#: From this many texts (original included) a middling window stacks each row's cells.
MANY_TEXTS = 4
#: The package files holding the page's style and script (inlined, allowed by hash).
CSS_FILE = "page.css"
SCRIPT_FILE = "page.js"
#: Exported files are called ``aligned.<src>-<tgt>.<format>``.
EXPORT_NAME = "aligned"
#: Hex digits of the SHA-256 signatures the page saves its edits under.
STORAGE_KEY_HEX = 32
#: Rows per block of the page, the unit the browser skips when off screen. Checking each row
#: for being on screen cost a 23,000-row page 100-250 ms a frame; blocks of this size brought
#: a scroll frame near 17 ms (benchmarks/RESULTS.md, "Round four").
BLOCK_ROWS = 100
#: Marks of a bead in the page's data (a sixth number, absent when 0), as page.js reads them.
MARK_VERIFIED = 1
MARK_PINNED = 2

# Languages written right to left (ISO 639-1), for the dir attribute.
_RTL = frozenset({"ar", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"})
# Names shown in column headers when no title is given.
_LANGUAGE_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "ru": "Русский",
    "uk": "Українська",
}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{generator}">
<title>{title}</title>
<style>{css}</style>
<script>{script}</script>
</head>
<body>
<header class="top">
<h1>{title}</h1>
<p class="sig">{signature}</p>
<table class="stats">
<thead><tr><th>Text</th><th>Language</th><th>Sentences</th><th>Beads by type</th>\
<th>Quality</th><th>Coverage</th><th>Mean confidence</th><th>Expected wrong</th>\
<th>Doubtful</th></tr></thead>
<tbody>
{stats}</tbody>
</table>
<div class="controls">
<label><input type="checkbox" id="only-low"> Show only doubtful rows, with the rows around \
them ({n_low} of {n_rows}: confidence below {threshold})</label>
<label hidden data-js>Show <select id="view">\
<option value="all">every kind of row</option>\
<option value="not-1-1">rows that are not one sentence to one</option>\
<option value="one-empty">rows with one side empty</option></select></label>
<span class="legend">Confidence: {legend}</span>
<span class="tools" hidden data-js>
<button data-action="export" title="Download the corrected alignment as JSON Lines, \
one file per translation (the format of aligner -f jsonl)">Export JSONL</button>
<button data-action="export-tsv" title="Download the corrected alignment as TSV">TSV</button>
<button data-action="export-tmx" title="Download the corrected alignment as TMX">TMX</button>
<button data-action="reset" title="Drop every edit and go back to the aligner’s rows">\
Reset</button>
<button data-action="help" aria-expanded="false" aria-controls="help" \
title="Keys and buttons (?)">Help ?</button>
</span>
</div>
{help}</header>
<main class="grid{grid_class}" id="rows" role="table" aria-label="{title}">
{head}{rows}</main>
<nav class="bar" aria-label="Edit the selected row" hidden data-js>
<p class="status" id="status" role="status" aria-live="polite"></p>
<p class="progress" id="progress" data-verified-count="0"></p>
<div class="ops">{tool_buttons}<span class="find">\
<input type="search" id="find" placeholder="Find" aria-label="Find text in any of the texts" \
size="12">\
<button data-action="find-previous" title="Previous match (Shift+Enter in the box)">↑</button>\
<button data-action="find-next" title="Next match (Enter in the box; / goes to the box)">↓</button>\
<input type="number" id="jump" min="1" max="{n_rows}" placeholder="Row" \
aria-label="Row number to go to" size="6">\
<button data-action="jump" title="Go to the row of that number (g goes to the box)">Go</button>\
</span></div>
</nav>
<script type="application/json" id="page-data">{data}</script>
</body>
</html>
"""


@dataclass(frozen=True)
class _Tool:
    """An editing button of the bar at the bottom: its data-action, label, help and keys."""

    action: str
    label: str
    text: str
    keys: tuple[str, ...]


_FIRST = "the selected text's first sentence (or the selected sentence and those before it)"
_LAST = "the selected text's last sentence (or the selected sentence and those after it)"
#: The editing buttons, in the order of the bar; the help panel lists them with their keys.
TOOLS = (
    _Tool("merge-next", "Merge ⤓", "Merge the selected row with the next one", ("m",)),
    _Tool("split-last", "Split ↓", f"Move {_LAST} to a new row below", ("s",)),
    _Tool("split-first", "Split ↑", f"Move {_FIRST} to a new row above", ("S",)),
    _Tool("move-up", "Move ↑", f"Move {_FIRST} up into the previous row", ("K", "Shift+↑")),
    _Tool("move-down", "Move ↓", f"Move {_LAST} down into the next row", ("J", "Shift+↓")),
    _Tool(
        "pick",
        "Move to…",
        "Pick the selected sentence (or the selected text's cell), then click the row it "
        "belongs to (or go there and press x or Enter)",
        ("x",),
    ),
    _Tool("verify", "Verify ✓", "Mark the selected row as checked (again to unmark)", ("v",)),
    _Tool(
        "review-next",
        "Next to review ⇢",
        "Select the least confident row not reviewed yet (verified or edited rows are)",
        ("r",),
    ),
    _Tool("undo", "Undo", "Undo the last edit", ("u", "Ctrl+Z")),
    _Tool("redo", "Redo", "Redo the edit undone last", ("U", "Ctrl+Y")),
)
#: Keys that only move the selection, listed in the help panel before the editing keys.
NAVIGATION_KEYS = (
    (("j", "↓"), "Next row"),
    (("k", "↑"), "Previous row"),
    (("n",), "Next doubtful row"),
    (("N",), "Previous doubtful row"),
    (("h", "l", "←", "→"), "Previous / next text (column)"),
    (("Home", "End"), "First / last row"),
    (("/",), "Find text in any of the texts (then Enter, Shift+Enter)"),
    (("g",), "Go to a row by its number"),
    (("Esc",), "Cancel a move, close this help"),
    (("?",), "Show or hide this help"),
)
TOOL_BUTTON = '<button data-action="{action}" title="{title} ({keys})">{label}</button>'
HELP = """<section id="help" class="help" hidden aria-label="Keys and buttons">
<p>Click a sentence or a cell to select its row and text; the buttons at the bottom and the \
keys below edit the selected row. Every sentence stays in exactly one row, in order: an edit \
that would break this is refused. Edits are kept by this browser for this page (Reset drops \
them); Export writes the corrected alignment, one file per translation.</p>
<table><tbody>
{rows}</tbody></table>
</section>
"""
HELP_ROW = "<tr><th>{keys}</th><td>{text}</td></tr>\n"
KEY = "<kbd>{key}</kbd>"

STAT_ROW = (
    '<tr><td lang="{lang}" dir="{dir}">{title}</td><td data-h="Language">{lang_name}</td>'
    '<td class="num" data-h="Sentences">{sentences}</td><td data-h="Beads">{counts}</td>'
    '<td class="num" data-h="Quality">{quality}</td>'
    '<td class="num" data-h="Coverage">{coverage}</td>'
    '<td class="num" data-h="Mean confidence">{mean}</td>'
    '<td class="num" data-h="Expected wrong"{wrong_attr}>{wrong}</td>'
    '<td class="num" data-h="Doubtful"{low_attr}>{low}</td></tr>\n'
)
EXPECTED_WRONG = ' data-expected-wrong="{value}"'
DOUBTFUL = ' data-doubtful="{index}"'
LEGEND_ITEM = '<span><span class="sw {cls}"></span>{label}</span>'
HEAD_ROW = (
    '<div class="row head" role="row"><div class="n" role="columnheader">#</div>{cells}</div>\n'
)
HEAD_CELL = (
    '<div role="columnheader" lang="{lang}" dir="{dir}"{wrong_attr}>{title}'
    '<span class="lang" lang="en" dir="ltr">{lang}</span></div>'
)
# The script renders rows it changes with the same markup (page.js, rowNode and cellNode).
ROW = (
    '<div class="row{row_class}" role="row" id="r{number}" data-bead="{index}">'
    '<div class="n" role="rowheader"><a href="#r{number}">{number}</a>'
    '<button class="mg" data-action="merge-next" title="Merge with the next row (m)">⤓</button>'
    "</div>{cells}</div>\n"
)
BLOCK = '<div class="blk" role="rowgroup">\n{rows}</div>\n'
CELL = '<div class="c{cell_class}" role="cell" lang="{lang}" dir="{dir}">{body}</div>'
SCORE = "<small>{kind} · {score}</small>"
SENTENCE = '<span{sentence_class} data-i="{index}">{text}</span>'


class _Html(str):
    """Text that is already HTML, made by this module: :func:`_fill` inserts it as it is."""

    __slots__ = ()


def _esc(value: object) -> str:
    """Escape a value for HTML text or a quoted attribute: the page's one escaping point."""
    return html.escape(str(value), quote=True)


def _fill(template: str, **values: object) -> _Html:
    """Fill ``template``; every value is escaped unless it is :class:`_Html` already."""
    return _Html(
        template.format(**{k: v if isinstance(v, _Html) else _esc(v) for k, v in values.items()})
    )


def _concat(parts: Iterable[_Html]) -> _Html:
    return _Html("".join(parts))


@functools.cache
def _resource(name: str) -> str:
    """A file shipped in the package, read on first use (never at import time)."""
    return resources.files("aligner.output").joinpath(name).read_text(encoding="utf-8")


def page_css() -> str:
    """The page's style sheet (``aligner/output/page.css``), inlined into every page."""
    return _resource(CSS_FILE)


def page_script() -> str:
    """The page's script (``aligner/output/page.js``): the editor, inlined into every page."""
    return _resource(SCRIPT_FILE)


def _csp_hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(css: str | None = None, script: str | None = None) -> str:
    """The page's policy: nothing loads from anywhere; only this inline style and script run.

    The JSON data block is not code (``type="application/json"``), so the policy need not
    allow it; downloads made by the script are not loads either.
    """
    css = page_css() if css is None else css
    script = page_script() if script is None else script
    return (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(script)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def _script_json(data: object) -> _Html:
    """``data`` as JSON safe inside ``<script type="application/json">``.

    The HTML parser ends a script element at ``</script`` and changes state at ``<!--``
    whatever the type, so ``<`` (and ``>``, ``&`` for good measure) are written as JSON
    escapes, which only occur inside JSON strings; U+2028/U+2029 too, for older JS parsers.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _SCRIPT_JSON_ESCAPES:
        text = text.replace(char, escaped)
    return _Html(text)


_SCRIPT_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


@dataclass(frozen=True)
class _Column:
    """One text of the page: its sentences, language and title."""

    sentences: tuple[str, ...]
    lang: str
    title: str
    paragraph_starts: frozenset[int]

    @property
    def dir(self) -> str:
        return "rtl" if self.lang.split("-")[0].lower() in _RTL else "ltr"


def _bucket(confidence: float) -> int:
    """Shading bucket: 0 (most doubtful) … len(SHADE_BOUNDS) (confident, unshaded)."""
    return next((k for k, bound in enumerate(SHADE_BOUNDS) if confidence < bound), 3)


def _language_name(lang: str) -> str:
    return _LANGUAGE_NAMES.get(lang.lower(), lang)


def _columns(multi: MultiAlignment, titles: Sequence[str] | None) -> list[_Column]:
    """The page's texts, each sentence on one clean line (the page shows, the script edits and
    exports exactly these)."""
    texts = [(multi.src, multi.src_lang, multi.src_paragraphs)]
    texts += [(a.tgt, a.tgt_lang, a.tgt_paragraphs) for a in multi.translations]
    if titles is not None and len(titles) != len(texts):
        raise UsageError(f"{len(titles)} titles for {len(texts)} texts")
    names = list(titles) if titles is not None else [_language_name(t[1]) for t in texts]
    return [
        _Column(tuple(map(clean_sentence, sentences)), lang, name, paragraph_starts(paras))
        for (sentences, lang, paras), name in zip(texts, names, strict=True)
    ]


def _cell(
    column: _Column, ids: Sequence[int], n_src: int, confidence: float | None, source: bool
) -> _Html:
    classes = []
    if not ids:
        classes.append("e")
    elif ids[0] in column.paragraph_starts:
        classes.append("p")
    score: _Html = _Html("")
    if not source and confidence is not None:
        bucket = _bucket(confidence)
        if bucket < len(SHADE_BOUNDS):
            classes.append(f"q{bucket}")
        score = _fill(SCORE, kind=f"{n_src}-{len(ids)}", score=f"{confidence:.2f}")
    sentences = [
        _fill(
            SENTENCE,
            sentence_class=_Html(' class="p"') if i in column.paragraph_starts else "",
            index=i,
            text=column.sentences[i],
        )
        for i in ids
    ]
    body = _Html(" ".join(sentences))
    return _fill(
        CELL,
        cell_class="".join(" " + c for c in classes),
        lang=column.lang,
        dir=column.dir,
        body=_concat([score, body]),
    )


def _rows(
    multi: MultiAlignment,
    columns: Sequence[_Column],
    threshold: float,
    verified: Sequence[bool],
) -> _Html:
    parts = []
    for index, row in enumerate(multi.rows):
        cells = [_cell(columns[0], row.src, len(row.src), None, True)]
        cells += [
            _cell(column, ids, len(row.src), c, False)
            for column, ids, c in zip(columns[1:], row.tgt, row.confidence, strict=True)
        ]
        low = row.min_confidence < threshold and not verified[index]
        parts.append(
            _fill(
                ROW,
                row_class=(" low" if low else "") + (" ok" if verified[index] else ""),
                number=index + 1,
                index=index,
                cells=_concat(cells),
            )
        )
    blocks = range(0, len(parts), BLOCK_ROWS)
    return _concat(_fill(BLOCK, rows=_concat(parts[k : k + BLOCK_ROWS])) for k in blocks)


def _expected_wrong(alignment: Alignment) -> float:
    """The expected number of wrong beads: confidences are calibrated probabilities of being
    right (:mod:`aligner.scoring.confidence`), so their complements add up to it."""
    return sum(1.0 - b.confidence for b in alignment.beads)


def _counts(alignment: Alignment) -> str:
    return " · ".join(f"{kind}: {n}" for kind, n in sorted(alignment.counts().items()))


def _stats(
    multi: MultiAlignment,
    columns: Sequence[_Column],
    threshold: float,
    verified: Sequence[bool],
) -> _Html:
    first = columns[0]
    parts = [
        _fill(
            STAT_ROW,
            lang=first.lang,
            dir=first.dir,
            title=first.title,
            lang_name=f"{_language_name(first.lang)} ({first.lang}), original",
            sentences=len(first.sentences),
            counts="",
            quality="",
            coverage="",
            mean="",
            wrong_attr="",
            wrong="",
            low_attr="",
            low="",
        )
    ]
    for t, (column, a) in enumerate(zip(columns[1:], multi.translations, strict=True)):
        wrong = _expected_wrong(a)
        parts.append(
            _fill(
                STAT_ROW,
                lang=column.lang,
                dir=column.dir,
                title=column.title,
                lang_name=f"{_language_name(column.lang)} ({column.lang})",
                sentences=len(column.sentences),
                counts=_counts(a),
                quality=f"{a.quality:.2f}",
                coverage=f"{a.coverage[0]:.0%} / {a.coverage[1]:.0%}",
                mean=f"{a.mean_confidence:.3f}",
                wrong_attr=_fill(EXPECTED_WRONG, value=f"{wrong:.3f}"),
                wrong=f"{wrong:.1f}",
                low_attr=_fill(DOUBTFUL, index=t),
                low=sum(
                    c is not None and c < threshold and not ok
                    for row, ok in zip(multi.rows, verified, strict=True)
                    for c in row.confidence[t : t + 1]
                ),
            )
        )
    return _concat(parts)


def _legend() -> _Html:
    labels = [
        ("q0", f"< {SHADE_BOUNDS[0]:g}"),
        ("q1", f"< {SHADE_BOUNDS[1]:g}"),
        ("q2", f"< {SHADE_BOUNDS[2]:g}"),
        ("", f"≥ {SHADE_BOUNDS[2]:g}"),
    ]
    return _concat(_fill(LEGEND_ITEM, cls=cls, label=label) for cls, label in labels)


def _keys(keys: Sequence[str]) -> _Html:
    return _Html(" ".join(_fill(KEY, key=k) for k in keys))


def _tool_buttons() -> _Html:
    return _concat(
        _fill(TOOL_BUTTON, action=t.action, title=t.text, keys=", ".join(t.keys), label=t.label)
        for t in TOOLS
    )


def _help() -> _Html:
    entries = [*NAVIGATION_KEYS, *((t.keys, t.text) for t in TOOLS)]
    rows = _concat(_fill(HELP_ROW, keys=_keys(keys), text=text) for keys, text in entries)
    return _fill(HELP, rows=rows)


# ---------------------------------------------------------------------------------------------
# The data the script edits and exports


def _side(ids: Sequence[int], position: int) -> tuple[int, int]:
    """A side as ``[start, end)``; an empty one sits at ``position``."""
    return (ids[0], ids[-1] + 1) if ids else (position, position)


def _bead_rows(multi: MultiAlignment) -> list[list[int]]:
    """For each translation, the row each of its beads lies in (the row of its first sentence)."""
    src_row: dict[int, int] = {}
    tgt_rows: list[dict[int, int]] = [{} for _ in multi.translations]
    for r, row in enumerate(multi.rows):
        src_row.update(dict.fromkeys(row.src, r))
        for t, ids in enumerate(row.tgt):
            tgt_rows[t].update(dict.fromkeys(ids, r))
    return [
        [src_row[b.src[0]] if b.src else tgt_rows[t][b.tgt[0]] for b in a.beads]
        for t, a in enumerate(multi.translations)
    ]


def _beads_data(alignment: Alignment) -> list[list[float]]:
    """Each bead as ``[src start, src end, tgt start, tgt end, confidence]``, then its marks
    (:data:`MARK_VERIFIED`, :data:`MARK_PINNED`) when it has any."""
    out: list[list[float]] = []
    i = j = 0
    for bead in alignment.beads:
        src, tgt = _side(bead.src, i), _side(bead.tgt, j)
        marks = MARK_VERIFIED * bead.verified + MARK_PINNED * bead.pinned
        out.append([*src, *tgt, bead.confidence, *([marks] if marks else [])])
        i, j = src[1], tgt[1]
    return out


def _verified_rows(multi: MultiAlignment, rows: Sequence[Sequence[int]]) -> list[bool]:
    """Rows whose beads (of every translation) all come verified: the page shows them so."""
    first = 2 * (1 + len(multi.translations))
    out = []
    for record in rows:
        beads = [
            b
            for t, a in enumerate(multi.translations)
            for b in a.beads[record[first + 2 * t] : record[first + 2 * t + 1]]
        ]
        out.append(bool(beads) and all(b.verified for b in beads))
    return out


def _rows_data(multi: MultiAlignment) -> list[list[int]]:
    """Each row as its sides (start, end per text) then its beads (start, end per translation)."""
    bead_rows = _bead_rows(multi)
    positions = [0] * (1 + len(multi.translations))
    next_bead = [0] * len(multi.translations)
    out: list[list[int]] = []
    for r, row in enumerate(multi.rows):
        record: list[int] = []
        for c, ids in enumerate((row.src, *row.tgt)):
            side = _side(ids, positions[c])
            record += side
            positions[c] = side[1]
        for t, rows_of_beads in enumerate(bead_rows):
            first = next_bead[t]
            while next_bead[t] < len(rows_of_beads) and rows_of_beads[next_bead[t]] == r:
                next_bead[t] += 1
            record += (first, next_bead[t])
        out.append(record)
    return out


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:STORAGE_KEY_HEX]


def _page_data(
    multi: MultiAlignment,
    columns: Sequence[_Column],
    threshold: float,
    rows: list[list[int]],
) -> object:
    """What the script needs: texts, the aligner's beads and rows, the signatures, thresholds."""
    beads = [_beads_data(a) for a in multi.translations]
    return {
        "version": __version__,
        "name": EXPORT_NAME,
        # Edits are saved under the texts' signature and the alignment's.
        "key": _digest([[c.lang, c.sentences] for c in columns]),
        "base": _digest([rows, [[b[:4] for b in bs] for bs in beads]]),
        "threshold": threshold,
        "bounds": SHADE_BOUNDS,
        "block": BLOCK_ROWS,
        "texts": [
            {
                "lang": c.lang,
                "dir": c.dir,
                "title": c.title,
                "sentences": c.sentences,
                "starts": sorted(c.paragraph_starts),
            }
            for c in columns
        ],
        "beads": beads,
        "rows": rows,
        # Each translation's exports sign as the command line's files do (the settings too).
        "signatures": [
            signature(multi.src_lang, [a.tgt_lang], [a.settings]) for a in multi.translations
        ],
    }


def render_html(
    multi: MultiAlignment,
    *,
    titles: Sequence[str] | None = None,
    threshold: float = LOW_CONFIDENCE,
    min_confidence: float = 0.0,
) -> str:
    """The whole page for an original and its translations (one row per merged row).

    ``titles``: one per text, original first (default: the languages' names). Rows where a
    translation's confidence is below ``threshold`` are marked doubtful, and so are those
    under ``min_confidence``: the page keeps the rows other formats leave out.
    """
    if not 0.0 <= threshold <= 1.0:
        raise UsageError(f"threshold {threshold} is outside [0, 1]")
    threshold = max(threshold, min_confidence)
    columns = _columns(multi, titles)
    wrong = [""] + [
        _fill(EXPECTED_WRONG, value=f"{_expected_wrong(a):.3f}") for a in multi.translations
    ]
    head = _fill(
        HEAD_ROW,
        cells=_concat(
            _fill(HEAD_CELL, lang=c.lang, dir=c.dir, title=c.title, wrong_attr=w)
            for c, w in zip(columns, wrong, strict=True)
        ),
    )
    rows_data = _rows_data(multi)
    verified = _verified_rows(multi, rows_data)
    langs = [multi.src_lang, *(a.tgt_lang for a in multi.translations)]
    title = " · ".join(c.title for c in columns)
    n_low = sum(
        row.min_confidence < threshold and not ok
        for row, ok in zip(multi.rows, verified, strict=True)
    )
    return _fill(
        PAGE,
        csp=content_security_policy(),
        generator=f"aligner {__version__}",
        title=title,
        signature=f"aligner {__version__} · {langs[0]} → {', '.join(langs[1:])}",
        css=_Html(page_css()),
        script=_Html(page_script()),
        stats=_stats(multi, columns, threshold, verified),
        n_low=n_low,
        n_rows=len(multi.rows),
        threshold=f"{threshold:g}",
        legend=_legend(),
        help=_help(),
        grid_class=" many" if len(columns) >= MANY_TEXTS else "",
        head=head,
        rows=_rows(multi, columns, threshold, verified),
        tool_buttons=_tool_buttons(),
        data=_script_json(_page_data(multi, columns, threshold, rows_data)),
    )


def render_alignment(
    alignment: Alignment,
    *,
    titles: Sequence[str] | None = None,
    threshold: float = LOW_CONFIDENCE,
) -> str:
    """The page for one translation: one row per bead."""
    return render_html(merge([alignment]), titles=titles, threshold=threshold)
