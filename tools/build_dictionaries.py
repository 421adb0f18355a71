"""Build the bilingual word lists shipped in ``aligner/features/dictionaries`` from FreeDict.

Reads Debian's FreeDict packages in dictd format (``freedict-XXX-YYY.index`` + ``.dict.dz``
in ``/usr/share/dictd``; install them with ``apt-get install dict-freedict-deu-fra …``) and
writes, per language pair, a gzip TSV of single words and short phrases, both directions of
the pair merged (``de-fr.tsv.gz``: German word, tab, French word), and beside it
``de-fr.SOURCE.txt`` with the editions used, their attribution and their licence text (taken
from the Debian package's ``copyright`` file).

Run: ``python tools/build_dictionaries.py [--dictd DIR] [--out DIR]``. The output is sorted
and gzip-compressed without a time stamp, so the same packages give the same bytes.

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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "aligner" / "features" / "dictionaries"
DICTD = Path("/usr/share/dictd")
DOCS = Path("/usr/share/doc")

#: ISO 639-3 codes of the FreeDict files and the ISO 639-1 codes the aligner uses.
ISO1 = {"deu": "de", "eng": "en", "fra": "fr", "rus": "ru"}
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
        parts += [
            "=" * 72,
            f"Source: FreeDict {name} (Debian package dict-freedict-{name})",
            f"Copyright: {lic.copyright}",
            f"Licence: {lic.name}",
            "",
            info(name, dictd),
            "",
        ]
    for lic_name, text in licences.items():
        parts += ["=" * 72, f"Licence text: {lic_name}", "", text.strip(), ""]
    (out / f"{pair}.SOURCE.txt").write_text("\n".join(parts), encoding="utf-8")
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dictd", type=Path, default=DICTD)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    missing = [
        f"dict-freedict-{n}"
        for names in PAIRS.values()
        for n in names
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
