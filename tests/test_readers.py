"""Readers: EPUB, HTML, DOCX, Markdown and plain text to paragraphs, headings and chapters."""

from __future__ import annotations

import codecs
import io
import textwrap
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.errors import InputError
from aligner.readers.dispatch import kind_of, read_file, read_source
from aligner.readers.encoding import decode_bytes
from aligner.readers.plain import is_wrapped, read_plain_text
from aligner.readers.source import Heading, SourceBuilder, SourceText
from aligner.segmentation.sentences import segment

ARMISTICE = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917" / "fr.txt"


def _armistice_paragraphs() -> tuple[str, ...]:
    text = ARMISTICE.read_text(encoding="utf-8")
    return tuple(p.strip() for p in text.split("\n\n") if p.strip())


def _headings(source: SourceText) -> list[tuple[str, int]]:
    return [(source.text[h.start : h.end], h.level) for h in source.headings]


# ---------------------------------------------------------------------------------------------
# Encodings


@pytest.mark.parametrize(
    "codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"]
)
def test_byte_order_marks(codec: str) -> None:
    text = "Le pas décisif est fait. Мир народам!"
    boms = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }
    bom = boms.get(codec, b"")  # the other codecs write their own
    data = bom + text.encode(codec)
    assert decode_bytes(data, "x.txt") == text


def test_utf16_without_bom_is_recognised() -> None:
    text = "Plain English text written as UTF-16 by an old editor.\n" * 3
    assert decode_bytes(text.encode("utf-16-le"), "x.txt") == text
    assert decode_bytes(text.encode("utf-16-be"), "x.txt") == text


def test_binary_data_is_refused() -> None:
    with pytest.raises(InputError, match=r"x\.bin: looks like binary data"):
        decode_bytes(bytes(range(256)) * 4, "x.bin")


def test_bad_utf8_names_the_offset() -> None:
    with pytest.raises(
        InputError, match=r"not valid utf-8 at byte offset 4 \(name the file.s encoding\)"
    ):
        decode_bytes(b"abcd\xe9fgh", "x.txt")


def test_given_encoding_is_used_without_bom() -> None:
    assert decode_bytes("café".encode("latin-1"), "x.txt", "latin-1") == "café"
    with pytest.raises(InputError, match="unknown encoding"):
        decode_bytes(b"abc", "x.txt", "no-such-codec")


def test_bom_wins_over_given_encoding() -> None:
    data = codecs.BOM_UTF8 + "café".encode()
    assert decode_bytes(data, "x.txt", "latin-1") == "café"


# ---------------------------------------------------------------------------------------------
# SourceText


def test_builder_spans_and_chapters() -> None:
    builder = SourceBuilder(kind="test")
    builder.start_chapter()
    builder.add("  Chapter   One ", 1)
    builder.add("First\n paragraph.")
    builder.add("   ")  # dropped
    builder.start_chapter()
    builder.add("Chapter Two", 2)
    source = builder.build()
    assert source.text == "Chapter One\n\nFirst paragraph.\n\nChapter Two"
    assert _headings(source) == [("Chapter One", 1), ("Chapter Two", 2)]
    assert [source.text[c:].split("\n")[0] for c in source.chapters] == [
        "Chapter One",
        "Chapter Two",
    ]


def test_source_text_checks_itself() -> None:
    with pytest.raises(ValueError):
        SourceText("abc", headings=(Heading(0, 5, 1),))
    with pytest.raises(ValueError):
        SourceText("abc", chapters=(2, 1))
    with pytest.raises(ValueError):
        Heading(0, 1, 7)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("ab é\u00a0\t\n.Ж"), min_size=0, max_size=30),
        max_size=8,
    )
)
def test_segment_keeps_the_readers_text(paragraphs: list[str]) -> None:
    # Sentence spans must point into the text the reader produced: segmenting it changes nothing.
    builder = SourceBuilder()
    for p in paragraphs:
        builder.add(p)
    source = builder.build()
    assert segment(source.text, "fr").text == source.text
    assert "\n" not in source.text.replace("\n\n", "")


# ---------------------------------------------------------------------------------------------
# Plain text


def test_wrapped_text_is_joined_and_hyphens_mended() -> None:
    text = (
        "The program was written in a hurry, and the pro-\n"
        "gram still runs on every machine we have in the\n"
        "building today, said the engineer in charge of it.\n"
        "\n"
        "A self-\n"
        "evident truth is rarely written down by anyone at\n"
        "all, and this paragraph says so in many words too.\n"
    )
    source = read_plain_text(text)
    assert source.paragraphs == (
        "The program was written in a hurry, and the program still runs on every machine we "
        "have in the building today, said the engineer in charge of it.",
        "A self-evident truth is rarely written down by anyone at all, and this paragraph says "
        "so in many words too.",
    )


def test_indented_lines_and_list_items_start_paragraphs() -> None:
    text = (
        "    It was a long day at the office, and the rain fell on\n"
        "the windows without a pause from morning until night.\n"
        "    Then the telephone rang, and everything in the room\n"
        "was suddenly quiet as we waited for the voice to speak.\n"
        "- a first item that is long enough to be wrapped over\n"
        "  two lines of the text file by the writer's editor.\n"
        "- a second item\n"
    )
    assert read_plain_text(text).paragraphs == (
        "It was a long day at the office, and the rain fell on the windows without a pause "
        "from morning until night.",
        "Then the telephone rang, and everything in the room was suddenly quiet as we waited "
        "for the voice to speak.",
        "- a first item that is long enough to be wrapped over two lines of the text file by "
        "the writer's editor.",
        "- a second item",
    )


def test_a_paragraph_per_line_is_kept() -> None:
    lines = [
        "Short line.",
        "A much longer line that holds a whole paragraph of the text, " * 4,
        "Another.",
        "A line of middling length, as paragraphs often are.",
        "x" * 300,
    ]
    text = "\n".join(lines)
    assert not is_wrapped(text)
    assert read_plain_text(text).paragraphs == tuple(line.strip() for line in lines)


def test_capitals_line_is_a_heading() -> None:
    source = read_plain_text("CHAPITRE PREMIER\n\nIl était une fois une histoire.\n")
    assert _headings(source) == [("CHAPITRE PREMIER", 1)]


@pytest.mark.parametrize(("width", "indent", "sep"), [(70, "", "\n\n"), (60, "    ", "\n")])
def test_armistice_wrapped_reads_back(width: int, indent: str, sep: str) -> None:
    paragraphs = _armistice_paragraphs()
    wrapped = sep.join(textwrap.fill(p, width, initial_indent=indent) for p in paragraphs)
    assert read_source(wrapped.encode(), "fr.txt").paragraphs == paragraphs


# ---------------------------------------------------------------------------------------------
# HTML

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Not text</title><style>p{color:red}</style>
<script>var x = "<p>no</p>";</script></head>
<body>
<nav><ul><li><a href="#a">Contents</a></li></ul></nav>
<div class="navheader"><table><tr><td>Prev</td><td>Next</td></tr></table></div>
<h1 id="t">The  <em>first</em> chapter</h1>
<div class="toc"><dl><dt><a href="#s">1.1. A section</a></dt></dl></div>
<p>Caf&eacute; &amp; cr&egrave;me: 5 &lt; 6.
   A second sentence.</p>
<ul><li>One item</li><li>Two <b>items</b></li></ul>
<p>Verse one<br>verse two<br/><br/>New stanza</p>
<pre>line one
  line two</pre>
<h2>A section</h2><p hidden>secret</p><p>Last paragraph<span aria-hidden="true">*</span>.</p>
<ruby>漢<rt>kan</rt>字<rt>ji</rt></ruby>
</body></html>"""


def test_html_blocks_headings_and_dropped_parts() -> None:
    source = read_source(PAGE.encode(), "page.html")
    assert source.paragraphs == (
        "The first chapter",
        "Café & crème: 5 < 6. A second sentence.",
        "One item",
        "Two items",
        "Verse one verse two",
        "New stanza",
        "line one",
        "line two",
        "A section",
        "Last paragraph.",
        "漢字",
    )
    assert _headings(source) == [("The first chapter", 1), ("A section", 2)]
    assert source.kind == "html" and source.chapters == ()


def test_html_declared_encoding() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Мир</p></body></html>'
    assert read_source(page.encode("cp1251"), "ru.htm").paragraphs == ("Мир",)


def test_html_is_recognised_under_a_txt_name() -> None:
    assert kind_of(PAGE.encode(), "chapter.txt") == "html"
    utf16 = read_source(PAGE.encode("utf-16"), "chapter.txt")
    assert utf16.paragraphs[0] == "The first chapter"


# ---------------------------------------------------------------------------------------------
# EPUB


def _xhtml(body: str, lang: str = "fr") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}"><head><title>t</title>'
        f"</head><body>{body}</body></html>"
    )


def make_epub(chapters: list[str], *, mimetype_first: bool = True) -> bytes:
    """A small EPUB 3: a nav document, chapters listed in the manifest in reverse order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        if mimetype_first:
            z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OPS/book.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        items = [
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
            '<item id="notes" href="notes.xhtml" media-type="application/xhtml+xml"/>',
            '<item id="css" href="s.css" media-type="text/css"/>',
        ]
        items += [
            f'<item id="c{k}" href="text/ch%20{k}.xhtml" media-type="application/xhtml+xml"/>'
            for k in reversed(range(len(chapters)))
        ]
        spine = ['<itemref idref="nav"/>']
        spine += [f'<itemref idref="c{k}"/>' for k in range(len(chapters))]
        spine += ['<itemref idref="c0"/>', '<itemref idref="notes" linear="no"/>']
        z.writestr(
            "OPS/book.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
            'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:identifier id="id">x</dc:identifier><dc:title>T</dc:title>'
            f"<dc:language>fr</dc:language></metadata><manifest>{''.join(items)}</manifest>"
            f"<spine>{''.join(spine)}</spine></package>",
        )
        z.writestr(
            "OPS/nav.xhtml",
            _xhtml('<nav epub:type="toc"><ol><li><a href="x">Table</a></li></ol></nav>'),
        )
        z.writestr("OPS/notes.xhtml", _xhtml("<p>A note shown on demand.</p>"))
        z.writestr("OPS/s.css", "p{margin:0}")
        for k, body in enumerate(chapters):
            z.writestr(f"OPS/text/ch {k}.xhtml", _xhtml(body))
    return buffer.getvalue()


def test_epub_spine_order_chapters_and_headings() -> None:
    data = make_epub(
        [
            "<h1>Premier</h1><p>Un. Deux.</p>",
            '<section><h1>Second</h1><p>Trois<a epub:type="noteref" href="#n">1</a>.</p>'
            "<script>x()</script></section>",
        ]
    )
    source = read_source(data, "book.epub")
    assert source.paragraphs == ("Premier", "Un. Deux.", "Second", "Trois.")
    assert [source.text[c:].split("\n")[0] for c in source.chapters] == ["Premier", "Second"]
    assert _headings(source) == [("Premier", 1), ("Second", 1)]
    assert source.kind == "epub"


def test_epub_is_recognised_by_content() -> None:
    data = make_epub(["<p>Texte.</p>"])
    assert kind_of(data, "book.txt") == "epub"
    assert kind_of(make_epub(["<p>Texte.</p>"], mimetype_first=False), "b.zip") == "epub"


def test_epub_damaged_or_encrypted() -> None:
    with pytest.raises(InputError, match="not a valid EPUB"):
        read_source(b"not a zip at all", "book.epub")
    data = make_epub(["<p>Texte.</p>"])
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as z:
        z.writestr(
            "META-INF/encryption.xml",
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
            '<enc:CipherData><enc:CipherReference URI="OPS/text/ch%200.xhtml"/>'
            "</enc:CipherData></enc:EncryptedData></encryption>",
        )
    with pytest.raises(InputError, match="encrypted"):
        read_source(buffer.getvalue(), "book.epub")


# ---------------------------------------------------------------------------------------------
# DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(body: str, styles: str = "") -> bytes:
    """A minimal DOCX written by hand: the parts a reader needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document xmlns:w="{_W}" xmlns:mc="http://schemas.'
            f'openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>',
        )
        if styles:
            z.writestr(
                "word/styles.xml",
                f'<?xml version="1.0"?><w:styles xmlns:w="{_W}">{styles}</w:styles>',
            )
    return buffer.getvalue()


def test_docx_by_hand_styles_tracked_changes_text_boxes() -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Kapitel"><w:name w:val="Kapitel"/>'
        '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    )
    body = (
        '<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Titel</w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve">Ein </w:t></w:r><w:del><w:r><w:delText>alter '
        "</w:delText></w:r></w:del><w:ins><w:r><w:t>neuer</w:t></w:r></w:ins><w:r><w:tab/>"
        "<w:t>Satz.</w:t></w:r><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>"
        '<w:p><w:pPr><w:pStyle w:val="Kapitel"/></w:pPr><w:r><w:t>Zweites</w:t></w:r>'
        "<w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>Im Kasten.</w:t>"
        "</w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:p><w:r><w:t>Im Kasten.</w:t>"
        "</w:r></w:p></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Zelle</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    source = read_source(make_docx(body, styles), "doc.docx")
    assert source.paragraphs == ("Titel", "Ein neuer Satz.", "Zweites", "Im Kasten.", "Zelle")
    assert _headings(source) == [("Titel", 1), ("Zweites", 2)]


def test_armistice_docx_made_by_python_docx_reads_back() -> None:
    docx = pytest.importorskip("docx")
    paragraphs = _armistice_paragraphs()
    document = docx.Document()
    document.add_heading(paragraphs[0], 1)
    for p in paragraphs[1:]:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    source = read_source(buffer.getvalue(), "fr.docx")
    assert source.paragraphs == paragraphs
    assert _headings(source) == [(paragraphs[0], 1)]


def test_armistice_utf16_and_copies_give_the_same_sentences(tmp_path: Path) -> None:
    text = ARMISTICE.read_text(encoding="utf-8")
    paragraphs = _armistice_paragraphs()
    copies = {
        "utf16.txt": text.encode("utf-16"),
        "wrapped.txt": "\n\n".join(textwrap.fill(p, 66) for p in paragraphs).encode(),
        "page.html": (
            "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"
        ).encode(),
    }
    expected = segment(text, "fr").texts
    for name, data in copies.items():
        (tmp_path / name).write_bytes(data)
        source = read_file(tmp_path / name)
        assert source.paragraphs == paragraphs, name
        assert segment(source.text, "fr").texts == expected, name


# ---------------------------------------------------------------------------------------------
# Markdown


def test_markdown_blocks_and_inline_markup() -> None:
    text = """---
title: front matter
---
# The *first* title #

Some **bold** and _italic_ text with `code_span` and a [link](http://x.org "t").
It continues here with snake_case kept\\* and ![an image](i.png) gone.[^1]

Setext title
------------

- item one
  continued
* [x] item two with <span class="x">html</span> &amp; more

> quoted text

| Name | Value |
|------|------:|
| a    | b \\| c |

```python
x = 1  # **not** markup
```

[ref]: http://example.org
[^1]: The footnote.
<!-- a comment -->
"""
    source = read_source(text.encode(), "doc.md")
    assert source.paragraphs == (
        "The first title",
        "Some bold and italic text with code_span and a link. It continues here with "
        "snake_case kept* and gone.",
        "Setext title",
        "item one continued",
        "item two with html & more",
        "quoted text",
        "Name",
        "Value",
        "a",
        "b | c",
        "x = 1 # **not** markup",
        "The footnote.",
    )
    assert _headings(source) == [("The first title", 1), ("Setext title", 2)]


# ---------------------------------------------------------------------------------------------
# Dispatcher


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n...", "not a readable PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), r"legacy Office file \(\.doc\)"),
        (b"{\\rtf1\\ansi hello}", "an RTF file"),
    ],
)
def test_unread_formats_are_refused_with_advice(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_source(data, "input.txt")


def test_other_zips_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(InputError, match="OpenDocument"):
        read_source(buffer.getvalue(), "x.ods")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("data.csv", "a,b")
    with pytest.raises(InputError, match="holds no EPUB, DOCX, ODT or FB2"):
        read_source(buffer.getvalue(), "x.epub")


def test_docx_by_content_and_lying_extension() -> None:
    data = make_docx("<w:p><w:r><w:t>Hallo.</w:t></w:r></w:p>")
    assert read_source(data, "letter.txt").paragraphs == ("Hallo.",)
    with pytest.raises(InputError, match="not a valid DOCX"):
        read_source(b"plain words", "letter.docx")


def test_empty_inputs() -> None:
    with pytest.raises(InputError, match=r"x\.txt: is empty"):
        read_source(b"  \n\n ", "x.txt")
    with pytest.raises(InputError, match="no text in it"):
        read_source(b"<html><body><script>x</script></body></html>", "x.html")


def test_read_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_file(tmp_path)
