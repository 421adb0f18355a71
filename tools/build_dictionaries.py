"""Build the bilingual word lists shipped in ``aligner/features/dictionaries`` from FreeDict.

Reads Debian's FreeDict packages in dictd format (``freedict-XXX-YYY.index`` + ``.dict.dz``
in ``/usr/share/dictd``; install them with ``apt-get install dict-freedict-deu-fra …``) and
writes, per language pair, a gzip TSV of single words and short phrases, both directions of
the pair merged (``de-fr.tsv.gz``: German word, tab, French word), and beside it
``de-fr.SOURCE.txt`` with the editions used, their attribution and their licence text (taken
from the Debian package's ``copyright`` file).

With ``--pivot`` it also writes, for the pairs of :data:`PIVOTS`, a list composed through
third languages (``fr-ru.pivot.tsv.gz`` and its ``fr-ru.pivot.SOURCE.txt``): Tanaka and
Umemura (1994, "Construction of a bilingual dictionary intermediated by a third language",
COLING) translate A into pivot B and B into C, and keep a pair (a, c) only when inverse
consultation supports it — a's pivot translations and c's overlap in more than one word —
since one shared pivot word is as often a second sense of that word (French *louer* → German
*mieten* or *loben*) as a translation; Mausam et al. (2009, PanDictionary) count the same
evidence across several pivot languages. Only WikDict editions (CC BY-SA 3.0) are composed,
never the GPL ones, so each composed file is under one licence; the loader reads it beside the
pair's direct list.

Run: ``python tools/build_dictionaries.py [--dictd DIR] [--out DIR] [--pivot [--support
paths|languages]]``. The output is sorted and gzip-compressed without a time stamp, so the
same packages give the same bytes.

dictd format: each ``.index`` line is ``headword<TAB>offset<TAB>length``, the numbers in
dictd's base 64 alphabet, pointing into the uncompressed ``.dict``. An entry is a headword
line (``word /ipa/ <pos>``), then per sense a line of comma-separated translations (numbered
``1. …`` when there are several senses) optionally followed by a gloss in the source language
(WikDict editions) — a gloss is an unnumbered line after the first, or an indented one.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "aligner" / "features" / "dictionaries"
DICTD = Path("/usr/share/dictd")
DOCS = Path("/usr/share/doc")

#: ISO 639-3 codes of the FreeDict files and the ISO 639-1 codes the aligner uses.
ISO1 = {"deu": "de", "eng": "en", "fra": "fr", "rus": "ru"}
#: ISO 639-3 code of each shipped language, for the pivot lists' edition names.
ISO3 = {v: k for k, v in ISO1.items()}
#: Shipped pairs (file name in ISO 639-1, alphabetical) and the FreeDict editions merged into
#: each, in both directions where Debian has both. fr-en and en-ru exist in Debian only as the
#: older hand-made FreeDict editions (GPL-2+); the others are WikDict editions (CC BY-SA 3.0).
PAIRS: dict[str, tuple[str, ...]] = {
    "de-fr": ("deu-fra", "fra-deu"),
    "de-ru": ("deu-rus",),
    "en-fr": ("eng-fra", "fra-eng"),
    "en-ru": ("eng-rus",),
    "fr-ru": ("fra-rus",),
}
#: Editions composed by ``--pivot``, per pair and pivot language (ISO 639-3): every language
#: for which Debian ships WikDict editions (CC BY-SA 3.0, Edition 2022.11.18) towards both
#: languages of the pair, in either direction, all of them (``apt-cache search freedict``,
#: checked 2026-12-08). English has few: eng-bul, eng-fin, ell-eng, fin-eng and pol-eng; the
#: other English editions (and deu-eng, fra-nld, nld-fra) are GPL and stay out.
PIVOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en-fr": {
        "bul": ("eng-bul", "fra-bul"),
        "ell": ("ell-eng", "ell-fra", "fra-ell"),
        "fin": ("eng-fin", "fin-eng", "fin-fra", "fra-fin"),
        "pol": ("pol-eng", "fra-pol", "pol-fra"),
    },
    "en-ru": {"ell": ("ell-eng", "ell-rus"), "pol": ("pol-eng", "pol-rus")},
    "fr-ru": {
        "deu": ("deu-fra", "fra-deu", "deu-rus"),
        "ell": ("ell-fra", "fra-ell", "ell-rus"),
        "ita": ("fra-ita", "ita-rus"),
        "pol": ("fra-pol", "pol-fra", "pol-rus"),
        "swe": ("fra-swe", "swe-fra", "swe-rus"),
    },
}
#: The composed lists shipped (``--pivot`` alone builds these): en-fr's is built with
#: ``--pivot-pairs en-fr`` but not shipped, its figures mixed (benchmarks/RESULTS.md, round
#: twelve: it lost the Old Testament fr-en thirds and TransRead, gained the joined books).
SHIPPED_PIVOTS = ("en-ru", "fr-ru")
#: The only licence a composed pair may come from: mixing it with the GPL editions in one
#: derived entry would make an entry no licence allows to share (CC BY-SA 3.0 and GPL-2 are
#: incompatible).
PIVOT_LICENCE = "CC-BY-SA-3.0"
#: Distinct pivot words (``paths``) or pivot languages (``languages``) a composed pair needs:
#: one is the unfiltered composition, with every other sense of each pivot word.
MIN_SUPPORT = 2
#: Longest entry kept, in words, on either side: the aligner matches single words and short
#: fixed phrases; longer entries are explanations, not translations.
MAX_WORDS = 3
#: Longest entry kept, in characters.
MAX_CHARS = 40

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_NUMBERED = re.compile(r"^(\d+)\.\s*(.*)$")
_STRAY_NUMBER = re.compile(r"\s+\d+\.$")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|/[^/]*/|\{[^}]*\}")
_BAD = re.compile(r"[0-9=;:…\"«»“”!?]|\.\.")
_STRESS = re.compile("([\u0400-\u04ff])[\u0300\u0301]")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "’": "'", "ʼ": "'"})


def b64(text: str) -> int:
    """A dictd index number: base 64, most significant digit first."""
    value = 0
    for ch in text:
        value = value * 64 + _B64.index(ch)
    return value


def entries(name: str, dictd: Path) -> list[tuple[str, str]]:
    """Every (headword, entry body) of a dictd dictionary, metadata entries included."""
    data = gzip.decompress((dictd / f"freedict-{name}.dict.dz").read_bytes())
    out = []
    index = (dictd / f"freedict-{name}.index").read_text(encoding="utf-8")
    for line in index.splitlines():
        head, offset, length = line.split("\t")
        start = b64(offset)
        out.append((head, data[start : start + b64(length)].decode("utf-8")))
    return out


def clean(term: str) -> str | None:
    """A headword or translation reduced to plain words, or None when it is not one."""
    term = unicodedata.normalize("NFC", term.translate(_DASHES))
    # Stress marks of Russian entries are not spelled in running text (French accents stay).
    term = unicodedata.normalize("NFC", _STRESS.sub(r"\1", unicodedata.normalize("NFD", term)))
    term = _STRAY_NUMBER.sub("", _BRACKETS.sub(" ", term))
    term = " ".join(term.split()).strip(" ,.-'")
    if not term or _BAD.search(term) or len(term) > MAX_CHARS:
        return None
    if len(term.split()) > MAX_WORDS or not any(ch.isalpha() for ch in term):
        return None
    return term


def translations(body: str) -> list[str]:
    """The translation lines of an entry's body (its first line is the headword)."""
    lines = body.rstrip("\n").split("\n")[1:]
    out = []
    for k, line in enumerate(lines):
        if not line.strip() or line[:1].isspace():
            continue  # glosses continued, examples, cross-references
        numbered = _NUMBERED.match(line)
        if numbered:
            out.append(numbered.group(2))
        elif k == 0:
            out.append(line)
    return out


def pairs_of(name: str, dictd: Path) -> set[tuple[str, str]]:
    """(source term, target term) pairs of one dictionary, in its own direction."""
    out: set[tuple[str, str]] = set()
    for head, body in entries(name, dictd):
        if head.startswith("00database") or head.startswith("00-database"):
            continue
        first = body.split("\n", 1)[0]
        src = clean(first)
        if src is None:
            continue
        for line in translations(body):
            for part in re.split(r"[,;]", line):
                tgt = clean(part)
                if tgt is not None:
                    out.add((src, tgt))
    return out


def info(name: str, dictd: Path) -> str:
    """The dictionary's own description (title, edition, licence, sources)."""
    meta = dict(entries(name, dictd)[:10])
    text = meta.get("00databaseinfo") or meta.get("00-database-info") or ""
    url = (meta.get("00databaseurl") or "").strip()
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + (f"\n\nURL: {url}" if url else "")


@dataclass(frozen=True)
class Licence:
    """One FreeDict edition's licence, as Debian's copyright file states it."""

    name: str
    copyright: str
    text: str


def licence(name: str) -> Licence:
    """The licence of ``name`` (e.g. ``fra-rus``) from its Debian package's copyright file."""
    path = DOCS / f"dict-freedict-{name}" / "copyright"
    text = path.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    files = next(p for p in paragraphs if p.startswith(f"Files: {name}/"))
    fields = dict(
        line.split(": ", 1) for line in files.splitlines() if ": " in line and line[0] != " "
    )
    lic, holder = fields["License"].strip(), fields["Copyright"].strip()
    full = next((p for p in paragraphs if p.strip() == f"License: {lic}"), None)
    body = next(
        (p for p in paragraphs if p.startswith(f"License: {lic}\n")),
        full or f"License: {lic}",
    )
    # A stand-alone licence paragraph: its lines are indented by one space, " ." is a blank.
    lines = [line[1:] if line.startswith(" ") else line for line in body.splitlines()[1:]]
    prose = "\n".join("" if line == "." else line for line in lines)
    common = Path("/usr/share/common-licenses") / lic.rstrip("+")
    if lic.startswith("GPL") and common.exists():
        prose += "\n\n" + common.read_text(encoding="utf-8")
    return Licence(lic, holder, prose)


def source_block(name: str, lic: Licence, dictd: Path) -> list[str]:
    """The lines a SOURCE file gives one FreeDict edition: package, copyright, licence, info."""
    return [
        "=" * 72,
        f"Source: FreeDict {name} (Debian package dict-freedict-{name})",
        f"Copyright: {lic.copyright}",
        f"Licence: {lic.name}",
        "",
        info(name, dictd),
        "",
    ]


def write_pair(pair: str, names: tuple[str, ...], dictd: Path, out: Path) -> int:
    """Write one pair's TSV and its SOURCE file; the number of entries written."""
    first = pair.split("-")[0]
    merged: set[tuple[str, str]] = set()
    for name in names:
        src_lang = ISO1[name.split("-")[0]]
        for s, t in pairs_of(name, dictd):
            merged.add((s, t) if src_lang == first else (t, s))
    rows = sorted(merged)
    body = "".join(f"{a}\t{b}\n" for a, b in rows).encode("utf-8")
    (out / f"{pair}.tsv.gz").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    parts = [
        f"{pair}.tsv.gz: {len(rows)} word and short-phrase pairs ({pair.replace('-', ' / ')}),",
        "extracted by tools/build_dictionaries.py from the FreeDict dictionaries below as",
        f"packaged by Debian (single words and phrases of at most {MAX_WORDS} words; glosses,",
        "examples and pronunciations left out; both directions merged). The extraction is an",
        "adaptation of these works and is distributed under the same licence as each source.",
        "",
    ]
    licences = {}
    for name in names:
        lic = licence(name)
        licences[lic.name] = lic.text
        parts += source_block(name, lic, dictd)
    for lic_name, text in licences.items():
        parts += ["=" * 72, f"Licence text: {lic_name}", "", text.strip(), ""]
    (out / f"{pair}.SOURCE.txt").write_text("\n".join(parts), encoding="utf-8")
    return len(rows)


def compose(
    bridges: Mapping[str, tuple[Iterable[tuple[str, str]], Iterable[tuple[str, str]]]],
    min_support: int = MIN_SUPPORT,
    by: str = "paths",
) -> set[tuple[str, str]]:
    """The (a, c) pairs reached from A-B and B-C lists through at least ``min_support`` distinct
    pivot words (``by="paths"``: Tanaka and Umemura's inverse consultation, a's and c's pivot
    translations overlap in that many words, any pivot language) or pivot languages
    (``by="languages"``). ``bridges`` maps each pivot language to its (a, b) and (b, c) pairs;
    pivot words meet case-folded (German nouns are capitalised in one list, not in another)."""
    if by not in ("paths", "languages"):
        raise ValueError(f"support is counted by paths or languages, not {by!r}")
    support: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for lang, (left, right) in bridges.items():
        onward: dict[str, set[str]] = {}
        for b, c in right:
            onward.setdefault(b.casefold(), set()).add(c)
        for a, b in left:
            key = b.casefold()
            for c in onward.get(key, ()):
                support.setdefault((a, c), set()).add((lang, key if by == "paths" else ""))
    return {pair for pair, seen in support.items() if len(seen) >= min_support}


def oriented(name: str, first: str, dictd: Path) -> set[tuple[str, str]]:
    """The pairs of edition ``name``, turned so that language ``first`` (ISO 639-3) comes
    first."""
    pairs = pairs_of(name, dictd)
    if not name.startswith(first + "-"):
        pairs = {(t, s) for s, t in pairs}
    return pairs


def write_pivot(pair: str, dictd: Path, out: Path, min_support: int, by: str) -> int:
    """Write ``pair``'s composed list and its SOURCE file; the number of entries written."""
    first, second = (ISO3[code] for code in pair.split("-"))
    bridges = {}
    used: list[str] = []
    for pivot, names in PIVOTS[pair].items():
        left = [n for n in names if first in n.split("-")]
        right = [n for n in names if second in n.split("-")]
        for name in names:
            if licence(name).name != PIVOT_LICENCE:
                raise ValueError(f"{name} is not {PIVOT_LICENCE}: not composed")
        a_b = set().union(*(oriented(n, first, dictd) for n in left))
        c_b = set().union(*(oriented(n, second, dictd) for n in right))
        bridges[pivot] = (a_b, {(b, c) for c, b in c_b})
        used += names
    rows = sorted((a, c) for a, c in compose(bridges, min_support, by) if " " not in a + c)
    body = "".join(f"{a}\t{c}\n" for a, c in rows).encode("utf-8")
    (out / f"{pair}.pivot.tsv.gz").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    what = "pivot words" if by == "paths" else "pivot languages"
    parts = [
        f"{pair}.pivot.tsv.gz: {len(rows)} single-word pairs ({pair.replace('-', ' / ')}),",
        "composed by tools/build_dictionaries.py --pivot from the FreeDict WikDict editions",
        "below as packaged by Debian: a word of one language and a word of the other are",
        f"paired when their translations into the pivot languages share at least {min_support}",
        f"{what} (Tanaka and Umemura 1994). Every edition composed is under",
        f"{PIVOT_LICENCE}; the composition is an adaptation of all of them and is distributed",
        f"under the same licence ({PIVOT_LICENCE}), with their attribution below.",
        "",
    ]
    text = ""
    for name in used:
        lic = licence(name)
        text = lic.text
        parts += source_block(name, lic, dictd)
    parts += ["=" * 72, f"Licence text: {PIVOT_LICENCE}", "", text.strip(), ""]
    (out / f"{pair}.pivot.SOURCE.txt").write_text("\n".join(parts), encoding="utf-8")
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dictd", type=Path, default=DICTD)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--pivot", action="store_true", help="also the composed lists")
    parser.add_argument(
        "--pivot-pairs",
        default=",".join(SHIPPED_PIVOTS),
        help=f"the pairs --pivot composes, among {', '.join(PIVOTS)}",
    )
    parser.add_argument("--support", choices=("paths", "languages"), default="paths")
    parser.add_argument("--min-support", type=int, default=MIN_SUPPORT)
    args = parser.parse_args()
    wanted = [n for names in PAIRS.values() for n in names]
    composed = args.pivot_pairs.split(",") if args.pivot else []
    wanted += [n for pair in composed for names in PIVOTS[pair].values() for n in names]
    missing = [
        f"dict-freedict-{n}"
        for n in dict.fromkeys(wanted)
        if not (args.dictd / f"freedict-{n}.index").exists()
    ]
    if missing:
        print(f"missing dictd files; apt-get install {' '.join(missing)}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for pair, names in PAIRS.items():
        count = write_pair(pair, names, args.dictd, args.out)
        size = (args.out / f"{pair}.tsv.gz").stat().st_size
        print(f"{pair}: {count} pairs, {size / 1e6:.2f} MB")
    for pair in composed:
        count = write_pivot(pair, args.dictd, args.out, args.min_support, args.support)
        size = (args.out / f"{pair}.pivot.tsv.gz").stat().st_size
        print(f"{pair}.pivot: {count} pairs, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
