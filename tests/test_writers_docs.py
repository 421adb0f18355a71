"""Writers for people and MT training: text hygiene, line-parallel files, XLSX, bilingual EPUB."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.multi import merge
from aligner.output.epub import write_epub
from aligner.output.html import SHADE_BOUNDS
from aligner.output.hygiene import clean_sentence
from aligner.output.lines import file_keys, write_lines
from aligner.output.xlsx import SHADE_FILLS, write_xlsx
from aligner.readers.dispatch import read_source
from aligner.types import Alignment, Bead

FR = ("Chapitre un", "Le pas\n  décisif est fait.", "=SUM(A1)", "Nous proposons la paix.")
EN = ("Chapter one", "The decisive step\tis taken.", "=SUM(A1)", "We offer", "peace.")
RU = ("Глава первая", "Решительный шаг сделан.", "=SUM(A1)", "Мы предлагаем мир.", "Лишнее.")


def _en() -> Alignment:
    beads = (
        Bead((0,), (0,), 0.99),
        Bead((1,), (1,), 0.9),
        Bead((2,), (2,), 0.7),
        Bead((3,), (3, 4), 0.4),
    )
    return Alignment(FR, EN, beads, "fr", "en", (0, 1, 1, 2), (0, 1, 1, 2, 2))


def _ru() -> Alignment:
    beads = (
        Bead((0,), (0,), 0.97),
        Bead((1,), (1,), 0.96),
        Bead((2,), (2,), 0.96),
        Bead((3,), (3,), 0.6),
        Bead((), (4,), 0.2),
    )
    return Alignment(FR, RU, beads, "fr", "ru", (0, 1, 1, 2), (0, 1, 1, 2, 2))


# ---------------------------------------------------------------------------------------------
# Hygiene


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  a\n  b\t\tc  ", "a b c"),
        ("vous\u00a0?\u2028suite\u2029", "vous ? suite"),
        ("bell\x07 and nul\x00 gone", "bell and nul gone"),
        ("", ""),
    ],
)
def test_clean_sentence(raw: str, clean: str) -> None:
    assert clean_sentence(raw) == clean


@given(st.text())
def test_clean_sentence_is_one_clean_line(text: str) -> None:
    out = clean_sentence(text)
    assert out == out.strip() and "  " not in out
    assert not any(c.isspace() and c != " " for c in out)
    assert clean_sentence(out) == out


# ---------------------------------------------------------------------------------------------
# Line-parallel files


def test_lines_one_translation() -> None:
    files = write_lines(_en())
    assert files == {
        "fr": "Chapitre un\nLe pas décisif est fait.\n=SUM(A1)\nNous proposons la paix.\n",
        "en": "Chapter one\nThe decisive step is taken.\n=SUM(A1)\nWe offer peace.\n",
    }


def test_lines_several_translations_stay_parallel() -> None:
    files = write_lines(merge([_en(), _ru()]), keep_partial=True)
    counts = {key: text.count("\n") for key, text in files.items()}
    assert set(files) == {"fr", "en", "ru"}
    assert len(set(counts.values())) == 1
    assert files["ru"].splitlines()[-1] == "Лишнее." and files["fr"].splitlines()[-1] == ""
    trimmed = write_lines(merge([_en(), _ru()]), min_confidence=0.5)
    assert trimmed["fr"].splitlines() == ["Chapitre un", "Le pas décisif est fait.", "=SUM(A1)"]
    assert all(line for text in trimmed.values() for line in text.splitlines())


def test_file_keys_number_repeated_languages() -> None:
    assert file_keys(["fr", "en", "en", "en"]) == ["fr", "en", "en-2", "en-3"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=12))
def test_lines_keep_every_sentence_once(shapes: list[tuple[int, int]]) -> None:
    shapes = [s for s in shapes if s != (0, 0)] or [(1, 1)]
    n_src = sum(a for a, _ in shapes)
    n_tgt = sum(b for _, b in shapes)
    src = tuple(f"s{i}" for i in range(n_src))
    tgt = tuple(f"t{j}" for j in range(n_tgt))
    beads, i, j = [], 0, 0
    for a, b in shapes:
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), 0.5))
        i, j = i + a, j + b
    alignment = Alignment(src, tgt, tuple(beads), "fr", "en")
    files = write_lines(alignment, keep_partial=True)
    assert files["fr"].split() == list(src)
    assert files["en"].split() == list(tgt)
    assert files["fr"].count("\n") == files["en"].count("\n") == len(beads)
    # By default only the beads with both sides are lines, all their sentences kept.
    paired = write_lines(alignment)
    both = [b for b in beads if b.src and b.tgt]
    assert paired["fr"].split() == [src[i] for b in both for i in b.src]
    assert paired["en"].split() == [tgt[j] for b in both for j in b.tgt]
    assert paired["fr"].count("\n") == paired["en"].count("\n") == len(both)


# ---------------------------------------------------------------------------------------------
# XLSX


def test_xlsx_rows_header_colours() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    data = write_xlsx(merge([_en(), _ru()]))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("fr", "en", "ru", "confidence en", "confidence ru")
    assert len(rows) == 1 + len(merge([_en(), _ru()]).rows)
    assert rows[2][:2] == ("Le pas décisif est fait.", "The decisive step is taken.")
    assert rows[3][0] == "=SUM(A1)" and sheet.cell(4, 1).data_type == "s"  # text, no formula
    assert sheet.freeze_panes == "A2"
    fills = {
        sheet.cell(r, 4).value: sheet.cell(r, 4).fill.fgColor.rgb for r in range(2, len(rows) + 1)
    }
    # Each score takes the fill of its bucket, as on the page; at or above the last bound, none.
    for score, fill in fills.items():
        if not isinstance(score, float):
            continue
        bucket = next((k for k, bound in enumerate(SHADE_BOUNDS) if score < bound), None)
        shaded = [f for f in SHADE_FILLS if fill.endswith(f.lstrip("#"))]
        assert shaded == ([] if bucket is None else [SHADE_FILLS[bucket]]), score


def test_xlsx_one_translation() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(_en()))).active
    assert sheet.max_row == 1 + len(_en().beads) and sheet.max_column == 3


# ---------------------------------------------------------------------------------------------
# EPUB

MODIFIED = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_epub_structure_and_read_back() -> None:
    data = write_epub(
        merge([_en(), _ru()]), title="Armistice & paix", chapters=[0, 2], headings={0: 1}
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
        names = archive.namelist()
        opf = archive.read("OEBPS/content.opf").decode()
    assert "OEBPS/chapter-0001.xhtml" in names and "OEBPS/chapter-0002.xhtml" in names
    assert "<dc:language>fr</dc:language><dc:language>en</dc:language>" in opf
    source = read_source(data, "book.epub")
    assert len(source.chapters) == 2
    assert source.paragraphs == (
        "Chapitre un",
        "Chapter one",
        "Глава первая",
        "Le pas décisif est fait.",
        "The decisive step is taken.",
        "Решительный шаг сделан.",
        "=SUM(A1)",  # a chapter starts here, inside the original's paragraph
        "=SUM(A1)",
        "=SUM(A1)",
        "Nous proposons la paix.",
        "We offer peace.",
        "Мы предлагаем мир. Лишнее.",
    )
    assert [source.text[h.start : h.end] for h in source.headings] == ["Chapitre un"]


def test_epub_is_reproducible_and_parts_without_chapters() -> None:
    first = write_epub(_en(), modified=MODIFIED)
    assert first == write_epub(_en(), modified=MODIFIED)
    assert read_source(first, "b.epub").paragraphs[0] == "Chapitre un"


def test_epub_passes_epubcheck(tmp_path: Path) -> None:
    found = shutil.which("epubcheck")
    if found is None:
        pytest.skip("epubcheck is not installed (apt-get install epubcheck)")
    # Debian's epubcheck is a jar behind a symbolic link: run it with java.
    command = ["java", "-jar", found] if Path(found).resolve().suffix == ".jar" else [found]
    book = tmp_path / "book.epub"
    book.write_bytes(
        write_epub(
            merge([_en(), _ru()]),
            title="Armistice <1917>",
            chapters=[0, 2],
            headings={0: 1},
            modified=MODIFIED,
        )
    )
    result = subprocess.run(
        [*command, str(book)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
