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

Round four (``--round-four``, packages unpacked under ``--root``: ``apt-get download
maint-guide maint-guide-fr maint-guide-ru ubuntu-packaging-guide-epub debian-reference-en
debian-reference-fr`` and ``dpkg-deb -x`` of each into one folder, outside the repository;
Debian's ``pandoc`` for FB2 and ODT):
* PDF: the New Maintainers' Guide's PDFs (en, fr, ru) and Debian Reference's (en, fr) read
  with :mod:`aligner.readers.pdf` against the authors' own text rendering
  (``maint-guide.LANG.txt.gz``, ``debian-reference.LANG.txt.gz``, read as wrapped text): the
  share of the PDF's prose sentences found word for word in the text rendering and the other
  way round (quotes, list markers, note markers and web addresses in parentheses evened out:
  the two renderings write them differently), sentences repeated three times or more beyond
  the text rendering and at most eight words long (page furniture: a running title, a page
  number), and words broken or wrongly joined at line ends (a form the text rendering lacks
  whose hyphenated or joined form it has, or two PDF words that join into one of its words);
  then en-fr and en-ru aligned from the PDFs;
* FB2 and ODT: each HTML page of the guide (en, fr) read, written back as plain HTML
  (headings, paragraphs, ``pre`` for verbatim units), converted by pandoc to FB2 and ODT and
  read again: the same text, headings and verbatim units, and the same beads en-fr;
* detection on every HTML page of the French and Russian guides, code left out;
* the Ubuntu Packaging Guide EPUB, as Debian ships it (other languages non-linear in the
  spine, so skipped) and with all its spine made linear (17 English chapters, then the guide
  in six other languages): the warning, and what ``only_lang`` keeps.
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import re
import shutil
import subprocess
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

from aligner.documents import load_document, read_document
from aligner.errors import UsageError
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


# --- round four: PDF, FB2, ODT, detection, books in several languages -----------------------

_EVEN = str.maketrans(
    {"’": "'", "‘": "'", "”": '"', "“": '"', "«": '"', "»": '"', "—": "-", "–": "-"}
    | {"•": " ", "*": " ", "+": " "}
)
_WORDS_RE = re.compile(r"\w+(?:-\w+)*")


def _even(text: str) -> str:
    """A sentence with the differences of rendering evened out (see the module's docstring)."""
    text = re.sub(r"\^\[\d+\]|\[\d+\]", "", text).translate(_EVEN)
    text = re.sub(r"\s*\(https?://[^)\s]*\)", "", text)
    text = re.sub(r"(\d)\. ", r"\1 ", text)
    text = re.sub(r"(?<![\w.])- ", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _prose_sentences(source: SourceText, lang: str) -> tuple[list[str], str]:
    """The evened prose sentences of a source (verbatim units left out) and its evened text."""
    document = segment(source.text, lang, verbatim=source.verbatim)
    kept = set(document.verbatim)
    texts = [_even(s.text) for k, s in enumerate(document.sentences) if k not in kept]
    return texts, _even(source.text)


def _broken_words(pdf_text: str, reference: str) -> tuple[int, int, int]:
    """Words the PDF reading broke: hyphen kept where the reference joins, joined where the
    reference hyphenates, a word split in two by a space."""
    vocabulary = Counter(_WORDS_RE.findall(reference.lower()))
    words = _WORDS_RE.findall(pdf_text.lower())
    kept = joined = split = 0
    for w in set(words):
        if vocabulary[w]:
            continue
        if "-" in w and vocabulary[w.replace("-", "")]:
            kept += 1
        elif "-" not in w and any(vocabulary[f"{w[:k]}-{w[k:]}"] for k in range(2, len(w) - 1)):
            joined += 1
    for a, b in pairwise(words):
        if not vocabulary[a] and not vocabulary[b] and vocabulary[a + b]:
            split += 1
    return kept, joined, split


def _pdf_report(root: Path, lang: str) -> SourceText | None:
    folder = root / "usr/share/doc" / ("maint-guide" if lang == "en" else f"maint-guide-{lang}")
    pdf, txt = folder / f"maint-guide.{lang}.pdf", folder / f"maint-guide.{lang}.txt.gz"
    return _pdf_against_text("New Maintainers' Guide", pdf, txt, lang)


def _pdf_against_text(label: str, pdf: Path, txt: Path, lang: str) -> SourceText | None:
    """Read ``pdf`` and print how it compares with the text rendering ``txt`` (gzipped)."""
    if not (pdf.exists() and txt.exists()):
        print(f"\n(missing {pdf}: apt-get download the package, dpkg-deb -x)")
        return None
    start = time.process_time()
    source = read_file(pdf)
    seconds = time.process_time() - start
    reference = read_source(gzip.decompress(txt.read_bytes()), txt.name[:-3])
    pdf_sentences, pdf_flat = _prose_sentences(source, lang)
    txt_sentences, txt_flat = _prose_sentences(reference, lang)
    in_txt = sum(s in txt_flat for s in pdf_sentences) / len(pdf_sentences)
    in_pdf = sum(s in pdf_flat for s in txt_sentences) / len(txt_sentences)
    pdf_counts, txt_counts = Counter(pdf_sentences), Counter(txt_sentences)
    # A running header or footer is short: a title, a page number.
    furniture = sum(
        n - txt_counts[s]
        for s, n in pdf_counts.items()
        if n >= 3 and n > txt_counts[s] and len(s.split()) <= 8
    )
    kept, joined, split = _broken_words(pdf_flat, txt_flat)
    print(f"\n## {label} PDF, {lang} ({seconds:.1f} s CPU to read)")
    print(
        f"paragraphs {len(source.paragraphs)}, headings {len(source.headings)}, verbatim "
        f"lines {len(source.verbatim)}; prose sentences PDF {len(pdf_sentences)}, text "
        f"rendering {len(txt_sentences)}"
    )
    print(
        f"PDF sentences found in the text rendering {in_txt:.3f}, text rendering's found in "
        f"the PDF {in_pdf:.3f}"
    )
    print(
        f"repeated beyond the text rendering (furniture) {furniture}; words with a hyphen "
        f"kept {kept}, wrongly joined {joined}, split by a space {split}"
    )
    return source


def _align_report(
    label: str, sources: tuple[SourceText, SourceText], langs: tuple[str, str]
) -> Alignment:
    documents = [
        replace_structure(source, _segment_verbatim(source, lang))
        for source, lang in zip(sources, langs, strict=True)
    ]
    start = time.process_time()
    alignment = align_documents(documents[0], documents[1])
    seconds = time.process_time() - start
    ones = alignment.counts().get("1-1", 0) / max(len(alignment.beads), 1)
    verbatim_pairs = sum(
        len(b.src) == len(b.tgt) == 1
        and b.src[0] in documents[0].verbatim
        and alignment.src[b.src[0]] == alignment.tgt[b.tgt[0]]
        for b in alignment.beads
    )
    identical_verbatim = len(
        set(documents[0].sentences[i].text for i in documents[0].verbatim)
        & set(documents[1].sentences[j].text for j in documents[1].verbatim)
    )
    print(
        f"{label} {langs[0]}-{langs[1]}: sentences {len(alignment.src)}/{len(alignment.tgt)}, "
        f"quality {alignment.quality:.3f}, coverage {alignment.coverage[0]:.3f}/"
        f"{alignment.coverage[1]:.3f}, 1-1 {ones:.3f}"
        f", verbatim lines paired 1-1 with an identical line {verbatim_pairs} (distinct "
        f"identical lines on both sides {identical_verbatim}), {seconds:.1f} s CPU"
    )
    return alignment


def _segment_verbatim(source: SourceText, lang: str) -> Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return segment(source.text, lang, verbatim=source.verbatim)


def replace_structure(source: SourceText, document: Document) -> Document:
    """``document`` with the chapters and headings its source gives (as load_document does)."""
    from dataclasses import replace

    structure = sentence_structure(source, document)
    return replace(document, chapters=structure.chapters, headings=structure.headings)


def _clean_html(source: SourceText) -> str:
    """A plain HTML page holding ``source``: headings, paragraphs, verbatim units in ``pre``."""
    levels = {h.start: h.level for h in source.headings}
    verbatim = set(source.verbatim)
    parts, offset = [], 0
    for paragraph in source.text.split("\n\n"):
        text = html.escape(paragraph, quote=False)
        if offset in levels:
            parts.append(f"<h{levels[offset]}>{text}</h{levels[offset]}>")
        elif offset in verbatim:
            parts.append(f"<pre>{text}</pre>")
        else:
            parts.append(f"<p>{text}</p>")
        offset += len(paragraph) + 2
    return "<!DOCTYPE html><html><body>\n" + "\n".join(parts) + "\n</body></html>"


def _pandoc(page: str, fmt: str, folder: Path) -> bytes:
    source, target = folder / "page.html", folder / f"page.{fmt}"
    source.write_text(page, encoding="utf-8")
    subprocess.run(["pandoc", "-f", "html", "-t", fmt, str(source), "-o", str(target)], check=True)
    return target.read_bytes()


def _fb2_odt_report(root: Path) -> None:
    if shutil.which("pandoc") is None:
        print("\n(pandoc missing: apt-get install pandoc)")
        return
    pages = sorted((root / "usr/share/doc/maint-guide/html").glob("*.en.html"))
    if not pages:
        print("\n(missing the New Maintainers' Guide HTML: apt-get download maint-guide)")
        return
    print("\n## FB2 and ODT made by pandoc from the guide's HTML pages (en, fr)")
    same = {"fb2": 0, "odt": 0}
    total = 0
    beads_same = {"fb2": 0, "odt": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for page in pages:
            french = root / "usr/share/doc/maint-guide-fr/html" / page.name.replace(".en.", ".fr.")
            if not french.exists():
                continue
            html_sources = (read_file(page), read_file(french))
            html_alignment = align_documents(
                *(
                    replace_structure(s, _segment_verbatim(s, lang))
                    for s, lang in zip(html_sources, ("en", "fr"), strict=True)
                )
            )
            for fmt in ("fb2", "odt"):
                made = tuple(
                    read_source(_pandoc(_clean_html(s), fmt, Path(tmp)), f"page.{fmt}")
                    for s in html_sources
                )
                for a, b in zip(html_sources, made, strict=True):
                    same[fmt] += (a.text, a.headings, a.verbatim) == (
                        b.text,
                        b.headings,
                        b.verbatim,
                    )
                alignment = align_documents(
                    *(
                        replace_structure(s, _segment_verbatim(s, lang))
                        for s, lang in zip(made, ("en", "fr"), strict=True)
                    )
                )
                beads_same[fmt] += alignment.beads == html_alignment.beads
            total += 1
    for fmt in ("fb2", "odt"):
        print(
            f"{fmt}: {same[fmt]} of {2 * total} pages read to the same text, headings and "
            f"verbatim units as their HTML; {beads_same[fmt]} of {total} page pairs align to "
            "the same beads"
        )


def _detection_report(root: Path) -> None:
    print("\n## Detection on every page of the New Maintainers' Guide (code left out)")
    for lang in ("fr", "ru"):
        pages = sorted((root / f"usr/share/doc/maint-guide-{lang}/html").glob("*.html"))
        right, methods = 0, Counter()
        for page in pages:
            try:
                found = read_document(page).detection
            except UsageError as exc:
                print(f"  {page.name}: {exc}")
                continue
            assert found is not None
            right += found.code == lang
            methods[found.method] += 1
            if found.code != lang:
                print(f"  {page.name}: detected {found.code}")
        print(f"{lang}: {right} of {len(pages)} pages detected {lang}; methods {dict(methods)}")
        pdf = root / f"usr/share/doc/maint-guide-{lang}/maint-guide.{lang}.pdf"
        if pdf.exists():
            found = read_document(pdf).detection
            print(f"{lang}: the whole PDF detected {found.code if found else None}")


def _book_report(root: Path) -> None:
    path = root / "usr/share/doc/ubuntu-packaging-guide-epub/ubuntu-packaging-guide.epub"
    if not path.exists():
        print(
            "\n(missing the Ubuntu Packaging Guide: apt-get download ubuntu-packaging-guide-epub)"
        )
        return
    print("\n## A book in several languages: the Ubuntu Packaging Guide EPUB")
    shipped = read_document(path)
    print(
        f"as Debian ships it: {len(shipped.document.sentences)} sentences, warnings "
        f"{list(shipped.warnings) or 'none'} (its other languages are non-linear: not read)"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(buffer, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith(".opf"):
                data = data.replace(b' linear="no"', b"")
            out.writestr(info, data)
    built = buffer.getvalue()
    start = time.process_time()
    every = load_document(built, "all-linear.epub")
    seconds = time.process_time() - start
    print(
        f"every spine item linear: {len(every.document.sentences)} sentences, detected "
        f"{every.detection.code if every.detection else None}, {seconds:.1f} s CPU; warning: "
        f"{[w for w in every.warnings if 'languages' in w]}"
    )
    for lang in ("en", "fr", "ru"):
        only = load_document(built, "all-linear.epub", lang, only_lang=True)
        print(
            f"--only-lang with {lang}: {len(only.document.sentences)} sentences, "
            f"{len(only.document.chapters)} chapters; {list(only.warnings)}"
        )


def round_four(root: Path, skip_pdf_alignment: bool) -> None:
    sources = {lang: _pdf_report(root, lang) for lang in ("en", "fr", "ru")}
    # Debian Reference's PDF is typeset by LaTeX (justified, hyphenated, tables on many pages).
    reference = root / "usr/share/debian-reference"
    for lang in ("en", "fr"):
        if (reference / f"debian-reference.{lang}.pdf").exists():
            _pdf_against_text(
                "Debian Reference",
                reference / f"debian-reference.{lang}.pdf",
                reference / f"debian-reference.{lang}.txt.gz",
                lang,
            )
    if not skip_pdf_alignment and sources["en"] is not None:
        print("\n## Aligned from the PDFs, and from the authors' text renderings")
        for lang in ("fr", "ru"):
            target = sources[lang]
            if target is None:
                continue
            _align_report("PDF", (sources["en"], target), ("en", lang))
            texts = []
            for code in ("en", lang):
                folder = (
                    root
                    / "usr/share/doc"
                    / ("maint-guide" if code == "en" else f"maint-guide-{code}")
                )
                txt = folder / f"maint-guide.{code}.txt.gz"
                texts.append(read_source(gzip.decompress(txt.read_bytes()), txt.name[:-3]))
            _align_report("text rendering", (texts[0], texts[1]), ("en", lang))
    _fb2_odt_report(root)
    _detection_report(root)
    _book_report(root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapters", nargs="*", default=["ch03", "ch04"])
    parser.add_argument("--targets", nargs="*", default=["fr", "de"])
    parser.add_argument("--skip-docx", action="store_true")
    parser.add_argument("--round-four", action="store_true", help="PDF, FB2, ODT, detection, books")
    parser.add_argument("--root", type=Path, default=Path("/"), help="where packages are unpacked")
    parser.add_argument("--skip-pdf-alignment", action="store_true")
    args = parser.parse_args()
    if args.round_four:
        round_four(args.root, args.skip_pdf_alignment)
        return
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
