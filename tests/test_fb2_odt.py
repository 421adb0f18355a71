"""FB2 and ODT readers, and hostile XML refused by every XML reader (files written here)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.errors import InputError
from aligner.readers.dispatch import kind_of, read_source
from aligner.readers.source import SourceText

FB2 = """<?xml version="1.0" encoding="{encoding}"?>
<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0"
  xmlns:l="http://www.w3.org/1999/xlink">
<description><title-info><book-title>Metadata title</book-title></title-info></description>
<body>
<title><p>Война и мир</p></title>
<epigraph><p>Всё проходит.</p><text-author>Соломон</text-author></epigraph>
<section>
<title><p>Глава первая</p></title>
<p>Первый абзац<a l:href="#n1" type="note">[1]</a> первой главы.</p>
<poem><stanza><v>Мороз и солнце;</v><v>день чудесный!</v></stanza></poem>
<p>Второй абзац.</p>
<section><title><p>Часть</p></title><p>Вложенный текст.</p></section>
</section>
<section>
<title><p>Глава вторая</p></title>
<subtitle>Подзаголовок</subtitle>
<p><code>make install</code></p>
</section>
</body>
<body name="notes">
<section id="n1"><title><p>1</p></title><p>Текст примечания.</p></section>
</body>
<binary id="cover.jpg" content-type="image/jpeg">AAAA</binary>
</FictionBook>
"""


def _fb2(encoding: str = "utf-8") -> bytes:
    return FB2.format(encoding=encoding).encode(encoding)


def _headings(source: SourceText) -> list[tuple[str, int]]:
    return [(source.text[h.start : h.end], h.level) for h in source.headings]


def _chapter_texts(source: SourceText) -> list[str]:
    return [source.text[start:].split("\n\n")[0] for start in source.chapters]


def _verbatim(source: SourceText) -> list[str]:
    return [source.text[start:].split("\n\n")[0] for start in source.verbatim]


def test_fb2_sections_titles_epigraphs_poems_notes() -> None:
    source = read_source(_fb2(), "book.fb2")
    assert source.kind == "fb2"
    assert source.paragraphs == (
        "Война и мир",
        "Всё проходит.",
        "Соломон",
        "Глава первая",
        "Первый абзац первой главы.",
        "Мороз и солнце; день чудесный!",
        "Второй абзац.",
        "Часть",
        "Вложенный текст.",
        "Глава вторая",
        "Подзаголовок",
        "make install",
        "Текст примечания.",
    )
    assert _headings(source) == [
        ("Война и мир", 1),
        ("Глава первая", 1),
        ("Часть", 2),
        ("Глава вторая", 1),
        ("Подзаголовок", 2),
    ]
    assert _chapter_texts(source) == ["Глава первая", "Глава вторая", "Текст примечания."]
    assert _verbatim(source) == ["make install"]


def test_fb2_in_windows_1251_and_zipped() -> None:
    plain = read_source(_fb2(), "book.fb2")
    assert read_source(_fb2("windows-1251"), "book.fb2").text == plain.text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("book.fb2", _fb2("windows-1251"))
    assert kind_of(buffer.getvalue(), "book.fb2.zip") == "fb2"
    assert read_source(buffer.getvalue(), "book.fb2.zip").text == plain.text
    # Recognised by its content whatever its name says.
    assert kind_of(_fb2(), "book.txt") == "fb2"


ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)
ODT_BODY = """
<text:sequence-decls><text:sequence-decl text:name="Table"/></text:sequence-decls>
<text:table-of-content><text:index-body><text:p>Contents 1</text:p></text:index-body>
</text:table-of-content>
<text:h text:outline-level="1">The title</text:h>
<text:p text:style-name="P1">A first<text:s text:c="2"/>paragraph with a note<text:note
 text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>
<text:p>The note's text.</text:p></text:note-body></text:note> in it.</text:p>
<text:list><text:list-item><text:p>An item.</text:p></text:list-item>
<text:list-item><text:p>Another<text:tab/>item.</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>Cell one.</text:p></table:table-cell>
<table:table-cell><text:p>Cell two.</text:p></table:table-cell></table:table-row></table:table>
<text:h text:outline-level="2">A section</text:h>
<text:p text:style-name="P2">$ make<text:line-break/>$ make install</text:p>
<text:p>Last words.<office:annotation><text:p>A comment.</text:p></office:annotation></text:p>
"""
ODT_STYLES = """<office:automatic-styles>
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="P2" style:family="paragraph"
 style:parent-style-name="Preformatted_20_Text"/>
</office:automatic-styles>"""


def _odt(body: str = ODT_BODY, content: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            content
            or (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS}>'
                f"{ODT_STYLES}<office:body><office:text>{body}</office:text></office:body>"
                "</office:document-content>"
            ),
        )
        archive.writestr(
            "styles.xml",
            f"<office:document-styles {ODT_NS}><office:styles><style:style style:name="
            '"Preformatted_20_Text" style:display-name="Preformatted Text" '
            'style:family="paragraph"/></office:styles></office:document-styles>',
        )
    return buffer.getvalue()


def test_odt_paragraphs_headings_lists_tables_notes_code() -> None:
    source = read_source(_odt(), "doc.odt")
    assert source.kind == "odt"
    assert source.paragraphs == (
        "The title",
        "A first paragraph with a note in it.",
        "The note's text.",
        "An item.",
        "Another item.",
        "Cell one.",
        "Cell two.",
        "A section",
        "$ make",
        "$ make install",
        "Last words.",
    )
    assert _headings(source) == [("The title", 1), ("A section", 2)]
    assert _verbatim(source) == ["$ make", "$ make install"]


def test_odt_is_recognised_by_content() -> None:
    assert kind_of(_odt(), "doc.zip") == "odt"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
"""


def _hostile_files(prolog: str, use: str) -> dict[str, bytes]:
    fb2 = f"{prolog}<FictionBook><body><p>{use}</p></body></FictionBook>".encode()
    odt = _odt(
        content=f"{prolog}<office:document-content {ODT_NS}><office:body><office:text>"
        f"<text:p>{use}</text:p></office:text></office:body></office:document-content>"
    )
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr(
            "word/document.xml",
            f'{prolog}<w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{use}</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    epub = io.BytesIO()
    with zipfile.ZipFile(epub, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr(
            "META-INF/container.xml",
            f'{prolog}<container><rootfiles><rootfile full-path="{use}"/></rootfiles></container>',
        )
    return {
        "book.fb2": fb2,
        "doc.odt": odt,
        "doc.docx": docx.getvalue(),
        "book.epub": epub.getvalue(),
    }


@pytest.mark.parametrize(("prolog", "use"), [(BILLION_LAUGHS, "&lol4;"), (EXTERNAL, "&secret;")])
def test_hostile_xml_is_refused_in_every_xml_format(prolog: str, use: str, tmp_path: Path) -> None:
    for name, data in _hostile_files(prolog, use).items():
        with pytest.raises(InputError, match="declares XML entities"):
            read_source(data, name)
        path = tmp_path / name
        path.write_bytes(data)
        result = CliRunner().invoke(cli, ["split", str(path), "--lang", "en"])
        assert result.exit_code == 1, name
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "declares XML entities" in lines[0], name
