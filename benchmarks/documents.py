"""Real translated documents from Debian's documentation packages, aligned straight from the file.

Pairs (installed with ``apt-get install debian-reference-en debian-reference-fr
debian-reference-de live-manual-epub``):
* Debian Reference chapters, HTML (DocBook output: navigation header and footer, a table of
  contents per chapter, tables, ``<pre>`` screens), English -> French and English -> German;
* the Live Systems Manual, EPUB 2 (one spine document per section), English -> French and
  English -> German;
* a DOCX made from the English and French Debian Reference chapter by python-docx (headings as
  Word heading styles): the DOCX reader must give the same beads as the HTML it came from.

Each document goes through :func:`aligner.readers.dispatch.read_file`, :func:`aligner.segment`
and :func:`aligner.align_documents`. Printed per pair: sentences, beads, share of 1-1 beads,
mean confidence, seconds; sentences holding markup (a tag or a character reference) or broken
white space (a line break, a tab, a run of spaces), compared with reading the same file as plain
text (the old way); and the cut points of :func:`aligner.features.structure.match_structure`
with how many of them the alignment itself passes through (a bead boundary at ``(i, j)``).
For the EPUB, structure under stress: one chapter of the translation is removed (the 6th, 11th,
21st, 31st in turn) and the cuts are checked against the known chapter mapping.
Run: ``python benchmarks/documents.py [--chapters ch01 ch04] [--skip-docx]``.
"""

from __future__ import annotations

import argparse
import io
import re
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

from aligner.features.structure import match_structure, sentence_structure
from aligner.pipeline import align_documents
from aligner.readers.dispatch import read_file, read_source
from aligner.readers.source import SourceBuilder, SourceText
from aligner.readers.text import decode
from aligner.segmentation.sentences import segment
from aligner.types import Alignment, Document

DEBIAN = Path("/usr/share/debian-reference")
LIVE = Path("/usr/share/doc/live-manual/epub")
# Markup left in a sentence: a tag, or a character reference that was not decoded.
MARKUP_RE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
BROKEN_SPACE_RE = re.compile(r"\n|\t| {2,}")


def _markup(texts: Sequence[str]) -> tuple[int, int]:
    """Sentences holding markup, and sentences with broken white space."""
    return (
        sum(bool(MARKUP_RE.search(t)) for t in texts),
        sum(bool(BROKEN_SPACE_RE.search(t)) for t in texts),
    )


def _segment(text: str, lang: str) -> Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return segment(text, lang)


def _raw_markup(path: Path, lang: str) -> str:
    """What reading the file as plain text gives (HTML only: an EPUB was refused as binary)."""
    if path.suffix != ".html":
        return "refused as binary (NUL bytes)"
    doc = _segment(decode(path.read_bytes(), str(path)), lang)
    markup, broken = _markup(doc.texts)
    return f"{markup}/{len(doc.sentences)} with markup, {broken} broken spaces"


def _passes_through(alignment: Alignment, cut: tuple[int, int]) -> bool:
    i = j = 0
    for bead in alignment.beads:
        if (i, j) == cut:
            return True
        i, j = i + len(bead.src), j + len(bead.tgt)
    return (i, j) == cut


def _report(
    label: str,
    sources: tuple[SourceText, SourceText],
    langs: tuple[str, str],
    raw: str | None,
) -> Alignment:
    src_doc, tgt_doc = _segment(sources[0].text, langs[0]), _segment(sources[1].text, langs[1])
    start = time.perf_counter()
    alignment = align_documents(src_doc, tgt_doc)
    seconds = time.perf_counter() - start
    counts = alignment.counts()
    ones = counts.get("1-1", 0) / max(len(alignment.beads), 1)
    markup = [_markup(d.texts) for d in (src_doc, tgt_doc)]
    cuts = match_structure(
        sentence_structure(sources[0], src_doc), sentence_structure(sources[1], tgt_doc)
    )
    agree = sum(_passes_through(alignment, c) for c in cuts)
    identical = sum(
        " ".join(alignment.src[i] for i in b.src) == " ".join(alignment.tgt[j] for j in b.tgt)
        for b in alignment.beads
        if b.src and b.tgt
    )
    print(f"\n## {label} ({langs[0]}-{langs[1]}, {sources[0].kind})")
    print(
        f"paragraphs {len(sources[0].paragraphs)}/{len(sources[1].paragraphs)}, headings "
        f"{len(sources[0].headings)}/{len(sources[1].headings)}, chapters "
        f"{len(sources[0].chapters)}/{len(sources[1].chapters)}"
    )
    print(
        f"sentences {len(src_doc.sentences)}/{len(tgt_doc.sentences)}, beads "
        f"{len(alignment.beads)}, 1-1 {ones:.3f}, mean confidence "
        f"{alignment.mean_confidence:.3f}, identical on both sides {identical}, {seconds:.1f} s"
    )
    print(f"bead types: {dict(sorted(counts.items(), key=lambda kv: -kv[1]))}")
    print(
        f"markup in sentences {markup[0][0]}/{markup[1][0]}, broken white space "
        f"{markup[0][1]}/{markup[1][1]}"
    )
    if raw is not None:
        print(f"read as plain text instead: {raw}")
    print(f"structure cuts {len(cuts)}, the alignment passes through {agree}")
    return alignment


def _docx(source: SourceText) -> bytes:
    import docx  # python-docx, a test dependency

    heading_at = {h.start: h.level for h in source.headings}
    document = docx.Document()
    offset = 0
    for paragraph in source.text.split("\n\n"):
        level = heading_at.get(offset)
        if level is not None:
            document.add_heading(paragraph, min(level, 9))
        else:
            document.add_paragraph(paragraph)
        offset += len(paragraph) + 2
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _without_chapter(source: SourceText, drop: int) -> SourceText:
    """``source`` with its chapter ``drop`` (0-based) left out, structure kept."""
    builder = SourceBuilder(kind=source.kind)
    levels = {h.start: h.level for h in source.headings}
    chapter_starts = set(source.chapters)
    offset, chapter = 0, -1
    for paragraph in source.text.split("\n\n"):
        if offset in chapter_starts:
            chapter += 1
            if chapter != drop:
                builder.start_chapter()
        if chapter != drop:
            builder.add(paragraph, levels.get(offset, 0))
        offset += len(paragraph) + 2
    return builder.build()


def _stress(sources: tuple[SourceText, SourceText], langs: tuple[str, str]) -> None:
    src_doc = _segment(sources[0].text, langs[0])
    src_chapters = sentence_structure(sources[0], src_doc).chapters
    for drop in (5, 10, 20, 30):
        if drop >= len(sources[1].chapters):
            continue
        target = _without_chapter(sources[1], drop)
        tgt_doc = _segment(target.text, langs[1])
        tgt_structure = sentence_structure(target, tgt_doc)
        cuts = match_structure(sentence_structure(sources[0], src_doc), tgt_structure)
        wrong = 0
        for i, j in cuts:
            src_chapter = sum(c <= i for c in src_chapters) - 1
            tgt_chapter = sum(c <= j for c in tgt_structure.chapters) - 1
            wrong += src_chapter != tgt_chapter + (tgt_chapter >= drop)
        print(f"without chapter {drop + 1}: {len(cuts)} cuts, {wrong} in the wrong chapter")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapters", nargs="*", default=["ch03", "ch04"])
    parser.add_argument("--targets", nargs="*", default=["fr", "de"])
    parser.add_argument("--skip-docx", action="store_true")
    args = parser.parse_args()
    for chapter in args.chapters:
        for lang in args.targets:
            paths = (DEBIAN / f"{chapter}.en.html", DEBIAN / f"{chapter}.{lang}.html")
            if not all(p.exists() for p in paths):
                print(f"\n(missing {paths[1]}: apt-get install debian-reference-{lang})")
                continue
            sources = (read_file(paths[0]), read_file(paths[1]))
            html_alignment = _report(
                f"Debian Reference {chapter}", sources, ("en", lang), _raw_markup(paths[1], lang)
            )
            if not args.skip_docx and lang == args.targets[0]:
                docx_sources = (
                    read_source(_docx(sources[0]), "en.docx"),
                    read_source(_docx(sources[1]), f"{lang}.docx"),
                )
                assert docx_sources[0].text == sources[0].text
                docx_alignment = _report(
                    f"Debian Reference {chapter} as DOCX", docx_sources, ("en", lang), None
                )
                same = docx_alignment.beads == html_alignment.beads
                print(f"same beads as from the HTML: {same}")
    for lang in args.targets:
        paths = (LIVE / "live-manual.en.epub", LIVE / f"live-manual.{lang}.epub")
        if not all(p.exists() for p in paths):
            print(f"\n(missing {paths[1]}: apt-get install live-manual-epub)")
            continue
        sources = (read_file(paths[0]), read_file(paths[1]))
        _report("Live Systems Manual", sources, ("en", lang), _raw_markup(paths[1], lang))
        _stress(sources, ("en", lang))


if __name__ == "__main__":
    main()
