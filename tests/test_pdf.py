"""PDF reading: PDFs written here with reportlab (BSD licence), read back through the dispatcher."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.errors import InputError
from aligner.readers import pdf as pdf_reader
from aligner.readers.dispatch import kind_of, read_source

canvas_module = pytest.importorskip("reportlab.pdfgen.canvas")

# A line: (text, font, size, x, indent-free?) placed top-down by the writer below.
Line = tuple[str, str, float, float]
BODY = 11.0
LEFT = 72.0


def _pdf(pages: Sequence[Sequence[Line | None]], header: str = "A Book of Tests") -> bytes:
    """A PDF of ``pages``: each a list of lines, ``None`` for a paragraph gap; every page has a
    running header and a page number at its foot."""
    buffer = io.BytesIO()
    canvas = canvas_module.Canvas(buffer, pagesize=(595, 842))
    for number, lines in enumerate(pages, 1):
        canvas.setFont("Helvetica", 9)
        canvas.drawString(LEFT, 800, header)
        canvas.drawString(290, 40, str(number))
        y = 760.0
        for line in lines:
            if line is None:
                y -= 10
                continue
            text, font, size, x = line
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
            y -= size * 1.25
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _body(text: str, x: float = LEFT) -> Line:
    return (text, "Helvetica", BODY, x)


PROSE = [
    ("Chapter One", "Helvetica-Bold", 18.0, LEFT),
    None,
    _body("The translation of a manual is read from its PDF here, and the reader has to find"),
    _body("the paragraphs again. A word cut at the end of a line, such as transla-"),
    _body("tion, must come back whole, while a compound such as well-"),
    _body("known keeps its hyphen, as well-known words do."),
    None,
    _body("A second paragraph opens after a gap and holds the listing below it."),
    None,
    ("$ make install", "Courier", 10.0, LEFT),
    ("$ make check", "Courier", 10.0, LEFT),
    None,
    _body("Contents"),
    _body("Introduction . . . . . . . . . . . . . . 3"),
]
SECOND = [
    _body("The last page goes on with more prose, so that the header and the page number"),
    _body("repeat at the same place on three pages."),
    None,
    _body("The end of the text comes here."),
]
THIRD = [_body("A third page with one sentence.")]


@pytest.fixture(scope="module")
def book() -> bytes:
    return _pdf([PROSE, SECOND, THIRD])


def test_pdf_is_recognised_by_its_header() -> None:
    assert kind_of(b"%PDF-1.7\n...", "x.txt") == "pdf"
    assert kind_of(b"\n %PDF-1.4\n", "x") == "pdf"


def test_furniture_is_left_out(book: bytes) -> None:
    text = read_source(book, "book.pdf").text
    assert "A Book of Tests" not in text
    assert all(p not in ("1", "2", "3") for p in text.split("\n\n"))


def test_hyphenated_words_are_joined_only_when_the_joined_word_is_a_word(book: bytes) -> None:
    text = read_source(book, "book.pdf").text
    assert "translation, must come back whole" in text
    assert "transla-tion" not in text
    assert "a compound such as well-known keeps its hyphen" in text


def test_paragraphs_headings_and_code_come_from_the_layout(book: bytes) -> None:
    source = read_source(book, "book.pdf")
    paragraphs = source.paragraphs
    assert paragraphs[0] == "Chapter One"
    assert source.headings and source.headings[0].level == 1
    assert paragraphs[1].startswith("The translation of a manual")
    assert paragraphs[1].endswith("as well-known words do.")
    assert paragraphs[2].startswith("A second paragraph")
    code = [source.text[start:].split("\n\n")[0] for start in source.verbatim]
    assert code == ["$ make install", "$ make check"]


def test_dot_leaders_are_dropped(book: bytes) -> None:
    paragraphs = read_source(book, "book.pdf").paragraphs
    assert "Introduction" in paragraphs
    assert not any(". . ." in p for p in paragraphs)


def test_a_paragraph_cut_by_a_page_end_is_joined_again() -> None:
    first = [_body("This sentence runs to the foot of the page and goes on"), None]
    second = [_body("on the next page, where it ends."), None, _body("Another one.")]
    source = read_source(_pdf([first, second, THIRD]), "cut.pdf")
    assert (
        "This sentence runs to the foot of the page and goes on on the next page, where it ends."
        in source.paragraphs
    )


def test_a_pdf_without_a_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    canvas = canvas_module.Canvas(buffer)
    canvas.rect(100, 100, 200, 200, fill=1)  # a scanned page: no text at all
    canvas.showPage()
    canvas.save()
    with pytest.raises(InputError, match="no text layer: run OCR first"):
        read_source(buffer.getvalue(), "scan.pdf")
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    result = CliRunner().invoke(cli, ["split", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"aligner: error: {path}: no text layer: run OCR first"
    ]


def test_a_damaged_pdf_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="not a readable PDF"):
        read_source(b"%PDF-1.4\n this is not a PDF body at all", "broken.pdf")


def test_furniture_needs_repeats(book: bytes) -> None:
    """With the repeat count out of reach, the header stays: the removal is what the rule does."""
    original = pdf_reader.MIN_REPEATS
    try:
        pdf_reader.MIN_REPEATS = 10
        assert "A Book of Tests" in read_source(book, "book.pdf").text
    finally:
        pdf_reader.MIN_REPEATS = original


def test_a_dash_keeps_the_space_after_it() -> None:
    """A dash set with a narrow space after it (Russian and French typography) is extracted
    glued to the next word: the space comes back."""
    buffer = io.BytesIO()
    canvas = canvas_module.Canvas(buffer)
    canvas.setFont("Helvetica", BODY)
    head = "The program gentoo \u2014"
    canvas.drawString(LEFT, 700, head)
    width = canvas.stringWidth(head, "Helvetica", BODY)
    canvas.drawString(LEFT + width + 0.3, 700, "a file manager.")
    canvas.showPage()
    canvas.save()
    assert read_source(buffer.getvalue(), "dash.pdf").text == (
        "The program gentoo \u2014 a file manager."
    )


def test_two_columns_are_read_column_by_column() -> None:
    left = [
        "The first column opens the page and its",
        "paragraph runs down to the end of the",
        "column before the second one begins.",
    ]
    right = [
        "The second column holds another",
        "paragraph, which is read only once",
        "the first column has been read.",
    ]
    buffer = io.BytesIO()
    canvas = canvas_module.Canvas(buffer, pagesize=(595, 842))
    canvas.setFont("Helvetica", BODY)
    for k, (a, b) in enumerate(zip(left, right, strict=True)):
        canvas.drawString(LEFT, 700 - 14 * k, a)
        canvas.drawString(320, 700 - 14 * k, b)
    canvas.showPage()
    canvas.save()
    assert read_source(buffer.getvalue(), "columns.pdf").paragraphs == (
        " ".join(left),
        " ".join(right),
    )


def test_an_encrypted_pdf_is_one_clear_error() -> None:
    buffer = io.BytesIO()
    canvas = canvas_module.Canvas(buffer, encrypt="secret")
    canvas.drawString(LEFT, 700, "A locked text.")
    canvas.showPage()
    canvas.save()
    with pytest.raises(InputError, match="encrypted"):
        read_source(buffer.getvalue(), "locked.pdf")
