"""Output writers: golden files for each format, TMX structure, TSV/JSONL safety, the registry."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from aligner import __version__
from aligner.errors import InputError, UsageError
from aligner.evaluation import parse_beads
from aligner.multi import merge
from aligner.output import (
    FORMATS,
    WriteOptions,
    format_for_path,
    output_paths,
    save,
    write,
    write_bytes,
)
from aligner.types import Alignment, Bead

GOLDEN = Path(__file__).resolve().parent / "golden"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def small() -> Alignment:
    """A fixed alignment with 1-1, 2-1, 1-2, 1-0 and 0-1 beads and awkward characters."""
    return Alignment(
        src=(
            "Le pas décisif est fait.",
            "Oui\tou non ?",
            "Il dit : « <b>paix</b> & pain ».",
            "Nous, le Conseil.",
            "Une note.",
        ),
        tgt=(
            "The decisive step\nhas been taken.",
            'He said: "<b>peace</b> & bread".',
            "Yes or no?",
            "We, the Council.",
            "Signed.",
            "Extra.",
        ),
        beads=(
            Bead((0, 1), (0,), 0.912),
            Bead((2,), (1, 2), 0.4),
            Bead((3,), (3,), 1.0),
            Bead((4,), (), 0.75),
            Bead((), (4, 5), 0.5),
        ),
        src_lang="fr",
        tgt_lang="en",
        src_paragraphs=(0, 0, 1, 1, 2),
        tgt_paragraphs=(0, 1, 1, 1, 2, 2),
    )


def ru() -> Alignment:
    """A second translation of the same original, grouping it differently."""
    a = small()
    return Alignment(
        src=a.src,
        tgt=("Шаг сделан.", "Да или нет?", "Он сказал: «мир».", "Мы, Совет."),
        beads=(
            Bead((0,), (0,), 0.9),
            Bead((1, 2), (1, 2), 0.6),
            Bead((3,), (3,), 0.95),
            Bead((4,), (), 0.8),
        ),
        src_lang="fr",
        tgt_lang="ru",
    )


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME (the version number is written as VERSION there).

    ALIGNER_UPDATE_GOLDEN=1 rewrites the file instead.
    """
    normalised = text.replace(__version__, "VERSION")
    path = GOLDEN / name
    if os.environ.get("ALIGNER_UPDATE_GOLDEN"):
        path.write_text(normalised, encoding="utf-8")
    assert normalised == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "tmx", "beads"])
def test_golden_single(fmt: str) -> None:
    check_golden(f"small{FORMATS[fmt].extension}", write(small(), fmt))


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "tmx"])
def test_golden_multi(fmt: str) -> None:
    check_golden(f"multi{FORMATS[fmt].extension}", write(merge([small(), ru()]), fmt))


def test_tsv_one_line_per_bead_five_columns_no_tabs_in_text() -> None:
    lines = write(small(), "tsv").splitlines()
    assert len(lines) == len(small().beads)
    rows = [line.split("\t") for line in lines]
    assert all(len(r) == 5 for r in rows)
    assert rows[0] == [
        "Le pas décisif est fait. Oui ou non ?",
        "The decisive step has been taken.",
        "0.912",
        "0,1",
        "0",
    ]
    assert rows[3][1] == "" and rows[3][4] == ""
    assert rows[4][0] == "" and rows[4][4] == "4,5"


def test_tsv_line_separators_inside_text_do_not_split_records() -> None:
    a = Alignment(("a\u2028b\rc",), ("d\x85e",), (Bead((0,), (0,)),), "fr", "en")
    text = write(a, "tsv")
    assert len(text.splitlines()) == 1
    assert text.split("\t")[:2] == ["a b c", "d e"]


def test_jsonl_signature_then_one_bead_per_line() -> None:
    lines = write(small(), "jsonl").splitlines()
    header = json.loads(lines[0])["aligner"]
    assert header["version"] == __version__
    assert header["src_lang"] == "fr" and header["tgt_langs"] == ["en"]
    beads = [json.loads(line) for line in lines[1:]]
    assert len(beads) == 5
    assert beads[1] == {
        "src_ids": [2],
        "tgt_ids": [1, 2],
        "src": "Il dit : « <b>paix</b> & pain ».",
        "tgt": 'He said: "<b>peace</b> & bread". Yes or no?',
        "score": 0.4,
        "src_lang": "fr",
        "tgt_lang": "en",
    }
    assert "«" in lines[2]  # ensure_ascii=False


def test_jsonl_unicode_line_separators_never_split_a_record() -> None:
    a = Alignment(("a\u2028b",), ("c\u2029",), (Bead((0,), (0,)),), "fr", "en")
    lines = write(a, "jsonl").splitlines()
    assert len(lines) == 2
    assert json.loads(lines[1])["src"] == "a b" and json.loads(lines[1])["tgt"] == "c"


def test_beads_are_vecalign_lines_that_parse_back() -> None:
    text = write(small(), "beads")
    assert text.splitlines()[:2] == ["[0, 1]:[0]:0.912", "[2]:[1, 2]:0.400"]
    assert parse_beads(text) == [(b.src, b.tgt) for b in small().beads]


def test_tmx_structure() -> None:
    root = ET.fromstring(write(small(), "tmx").encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    for attribute in (
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
        "datatype",
    ):
        assert header.get(attribute), attribute
    assert header.get("srclang") == "fr" and header.get("segtype") == "sentence"
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props["x-skipped-beads"] == "2"  # the 1-0 and the 0-1 bead
    assert __version__ in (props["x-aligner-signature"] or "")
    units = root.findall("body/tu")
    assert len(units) == 3
    for tu in units:
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["fr", "en"]
        assert all(t.find("seg") is not None and t.findtext("seg") for t in tuvs)
        assert tu.find("prop[@type='x-score']") is not None
        # TMX wants a tu's props and notes before its tuvs.
        assert [c.tag for c in tu][-2:] == ["tuv", "tuv"]
    assert units[1].findall("tuv")[0].findtext("seg") == "Il dit : « <b>paix</b> & pain »."


def test_tmx_drops_characters_xml_forbids() -> None:
    a = Alignment(("a\x00b\x1bc",), ("d",), (Bead((0,), (0,)),), "fr", "en")
    root = ET.fromstring(write(a, "tmx").encode("utf-8"))
    assert root.findtext("body/tu/tuv/seg") == "abc"


def test_tmx_multi_has_a_tuv_per_language() -> None:
    root = ET.fromstring(write(merge([small(), ru()]), "tmx").encode("utf-8"))
    first = root.findall("body/tu")[0]
    assert [t.get(XML_LANG) for t in first.findall("tuv")] == ["fr", "en", "ru"]
    assert {p.get("type") for p in first.findall("prop")} == {"x-score-en", "x-score-ru"}


def test_multi_tsv_columns() -> None:
    rows = [line.split("\t") for line in write(merge([small(), ru()]), "tsv").splitlines()]
    # source, en, ru texts; en, ru scores; source, en, ru ids
    assert all(len(r) == 8 for r in rows)
    assert rows[0][0] == "Le pas décisif est fait. Oui ou non ? Il dit : « <b>paix</b> & pain »."
    assert rows[0][3:5] == ["0.400", "0.600"]
    assert rows[0][5:] == ["0,1,2", "0,1,2", "0,1,2"]


def test_one_translation_as_multi_writes_like_the_alignment() -> None:
    for fmt in ("tsv", "jsonl", "tmx", "beads"):
        assert write(merge([small()]), fmt) == write(small(), fmt)


def test_beads_refuse_several_translations() -> None:
    with pytest.raises(UsageError, match="one translation"):
        write(merge([small(), ru()]), "beads")


def test_unknown_format() -> None:
    with pytest.raises(UsageError, match="unknown format"):
        write(small(), "docx")


def test_registry_and_extensions() -> None:
    assert set(FORMATS) == {"tsv", "jsonl", "tmx", "beads", "html", "xlsx", "epub", "lines"}
    assert {f.name for f in FORMATS.values() if f.several} == set(FORMATS) - {"beads"}
    assert {f.name for f in FORMATS.values() if f.binary} == {"xlsx", "epub"}
    assert {f.name for f in FORMATS.values() if f.multifile} == {"lines"}
    assert FORMATS["lines"].extension == ""
    assert format_for_path("book.EPUB") == "epub"
    assert format_for_path("a.xlsx") == "xlsx"
    assert format_for_path("out/a.HTML") == "html"
    assert format_for_path("a.htm") == "html"
    assert format_for_path("a.txt") == "beads"
    assert format_for_path("a.tmx") == "tmx"
    assert format_for_path("a.jsonl") == "jsonl"
    assert format_for_path("a.out") is None
    assert format_for_path("noext") is None


def test_html_through_the_registry() -> None:
    page = FORMATS["html"].one(small(), WriteOptions())
    assert page.startswith("<!DOCTYPE html>")
    assert write(small(), "html", titles=["a", "b"]).count('role="row"') == 1 + len(small().beads)


# --- the header row, binary and multi-file formats, text hygiene ------------------------------


def test_tsv_header_names_the_columns() -> None:
    lines = write(small(), "tsv", header=True).splitlines()
    assert lines[0].split("\t") == ["fr", "en", "score", "src_ids", "tgt_ids"]
    assert lines[1:] == write(small(), "tsv").splitlines()
    multi = write(merge([small(), ru()]), "tsv", header=True).splitlines()
    names = ["fr", "en", "ru", "score_en", "score_ru", "src_ids", "ids_en", "ids_ru"]
    assert multi[0].split("\t") == names
    assert all(len(line.split("\t")) == len(names) for line in multi)
    # Repeated languages are numbered, so every column name is distinct.
    twice = write(merge([small(), small()]), "tsv", header=True).splitlines()[0].split("\t")
    assert twice[:3] == ["fr", "en", "en-2"] and len(set(twice)) == len(twice)


def test_header_is_off_by_default_and_only_changes_tsv() -> None:
    assert write(small(), "tsv").split("\t")[0] == "Le pas décisif est fait. Oui ou non ?"
    for fmt in ("jsonl", "tmx", "beads"):
        assert write(small(), fmt, header=True) == write(small(), fmt)


@pytest.mark.parametrize("fmt", ["xlsx", "epub", "lines"])
def test_write_refuses_binary_and_multifile_formats(fmt: str) -> None:
    with pytest.raises(UsageError, match=f"the {fmt} format .*(write_bytes|save)"):
        write(small(), fmt)


def test_write_bytes_gives_every_single_file_format() -> None:
    for fmt in ("tsv", "jsonl", "tmx", "beads", "html"):
        assert write_bytes(small(), fmt) == write(small(), fmt).encode("utf-8")
    assert write_bytes(small(), "xlsx")[:2] == b"PK"
    book = write_bytes(small(), "epub", title="Small", chapters=[0, 3], headings={0: 1})
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        assert archive.read("mimetype") == b"application/epub+zip"
        assert "<dc:title>Small</dc:title>" in archive.read("OEBPS/content.opf").decode()
        assert "OEBPS/chapter-0002.xhtml" in archive.namelist()
    with pytest.raises(UsageError, match="one file per language"):
        write_bytes(small(), "lines")
    with pytest.raises(UsageError, match="min_confidence"):
        write_bytes(small(), "xlsx", min_confidence=2.0)


def test_save_lines_writes_a_parallel_file_per_text(tmp_path: Path) -> None:
    saved = save(merge([small(), ru()]), "lines", tmp_path / "corpus")
    assert [p.name for p in saved.paths] == ["corpus.fr", "corpus.en", "corpus.ru"]
    texts = [p.read_text(encoding="utf-8") for p in saved.paths]
    assert saved.size == sum(p.stat().st_size for p in saved.paths)
    assert len({t.count("\n") for t in texts}) == 1
    assert (
        texts[0].splitlines()[0]
        == "Le pas décisif est fait. Oui ou non ? Il dit : « <b>paix</b> & pain »."
    )
    assert output_paths("lines", tmp_path / "corpus", ["fr", "en"])[1] == tmp_path / "corpus.en"
    assert output_paths("tsv", tmp_path / "a.tsv", ["fr", "en"]) == [tmp_path / "a.tsv"]


def test_save_lines_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace
    calls: list[str] = []

    def second_rename_fails(src: str, dst: str) -> None:
        calls.append(str(dst))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", second_rename_fails)
    with pytest.raises(InputError, match=r"corpus\.en: cannot write"):
        save(merge([small(), ru()]), "lines", tmp_path / "corpus")
    assert list(tmp_path.iterdir()) == []  # neither the renamed file nor any temporary one


def test_save_single_file_formats(tmp_path: Path) -> None:
    saved = save(small(), "tsv", tmp_path / "a.tsv", header=True)
    assert saved.paths == (tmp_path / "a.tsv",)
    assert saved.size == (tmp_path / "a.tsv").stat().st_size
    assert (tmp_path / "a.tsv").read_text(encoding="utf-8").startswith("fr\ten\tscore")
    assert save(small(), "xlsx", tmp_path / "a.xlsx").size == (tmp_path / "a.xlsx").stat().st_size


def hygiene_alignment() -> Alignment:
    return Alignment(
        ("Le pas\n    décisif   est\r\n fait. ", "Oui  ou\tnon ?"),
        ("The decisive\n  step is   taken.", "Yes or\u00a0 no?"),
        (Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.8)),
        "fr",
        "en",
    )


def test_every_text_format_writes_sentences_on_one_clean_line() -> None:
    a = hygiene_alignment()
    clean = {
        "Le pas décisif est fait.",
        "Oui ou non ?",
        "The decisive step is taken.",
        "Yes or no?",
    }
    tsv = [line.split("\t") for line in write(a, "tsv").splitlines()]
    assert {r[0] for r in tsv} | {r[1] for r in tsv} == clean
    records = [json.loads(line) for line in write(a, "jsonl").splitlines()[1:]]
    assert {r["src"] for r in records} | {r["tgt"] for r in records} == clean
    root = ET.fromstring(write(a, "tmx").encode("utf-8"))
    assert {seg.text for seg in root.iter("seg")} == clean
    # The alignment itself (and so any span) keeps the original characters.
    assert a.src[0] == "Le pas\n    décisif   est\r\n fait. "
