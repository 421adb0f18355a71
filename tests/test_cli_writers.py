"""XLSX, EPUB and line-parallel outputs, the TSV header and text hygiene, from the command line
and corpus mode."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from books import make_epub
from click.testing import CliRunner, Result

import aligner.cli.align
from aligner.cli import cli
from aligner.corpus.batch import run_batch
from aligner.corpus.jobs import BatchOptions, PairJob, align_pair, output_size
from aligner.corpus.manifest import DocumentPair
from aligner.errors import UsageError

FR = "Le pas décisif est fait.\nOui ou non ?\n\nNous, le Conseil, adressons cette question.\n"
EN = "The decisive step has been taken.\nYes or no?\n\nWe, the Council, ask this question.\n"
RU = "Решительный шаг сделан.\nДа или нет?\n\nМы, Совет, задаём этот вопрос.\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def check_usage_error(result: Result, *words: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    for word in words:
        assert word in result.stderr


@pytest.fixture
def texts(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for lang, text in (("fr", FR), ("en", EN), ("ru", RU)):
        out[lang] = tmp_path / f"{lang}.txt"
        out[lang].write_text(text, encoding="utf-8")
    return out


def align_args(texts: dict[str, Path], *langs: str) -> list[str | Path]:
    args: list[str | Path] = ["align", *(texts[lang] for lang in langs)]
    args += ["--presplit", "--src-lang", langs[0], "-q"]
    for lang in langs[1:]:
        args += ["--tgt-lang", lang]
    return args


def bead_count(texts: dict[str, Path], *langs: str) -> int:
    """The rows of the same alignment, counted in its TSV."""
    result = run(*align_args(texts, *langs), "-f", "tsv")
    assert result.exit_code == 0, result.stderr
    return len(result.stdout.splitlines())


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_from_the_extension_has_a_row_per_bead(texts: dict[str, Path], tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out.xlsx"
    result = run(*align_args(texts, "fr", "en", "ru"), "-o", out)
    assert result.exit_code == 0, result.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("fr", "en", "ru")
    assert len(rows) == 1 + bead_count(texts, "fr", "en", "ru")
    assert [r[0] for r in rows[1:]] == [
        "Le pas décisif est fait.",
        "Oui ou non ?",
        "Nous, le Conseil, adressons cette question.",
    ]


def test_binary_formats_to_a_terminal_are_refused(
    texts: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aligner.cli.align, "is_terminal", lambda stream: True)
    for fmt in ("xlsx", "epub"):
        check_usage_error(run(*align_args(texts, "fr", "en"), "-f", fmt), fmt, "-o FILE")


def test_binary_formats_to_a_pipe_are_written(texts: dict[str, Path]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    result = run(*align_args(texts, "fr", "en"), "-f", "xlsx")
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes)).active
    assert sheet.max_row == 1 + bead_count(texts, "fr", "en")


def test_an_extension_no_format_claims_is_still_refused(
    texts: dict[str, Path], tmp_path: Path
) -> None:
    check_usage_error(run(*align_args(texts, "fr", "en"), "-o", tmp_path / "a.docx"), "docx")
    assert not (tmp_path / "a.docx").exists()


# --- EPUB ------------------------------------------------------------------------------------


def test_epub_keeps_the_originals_chapters_and_passes_epubcheck(tmp_path: Path) -> None:
    fr, en = tmp_path / "Armistice.fr.epub", tmp_path / "Armistice.en.epub"
    fr.write_bytes(
        make_epub(
            "fr",
            [
                "<h1>Le décret</h1><p>Le pas décisif est fait. Oui ou non ?</p>",
                "<h1>La réponse</h1><p>Nous, le Conseil, adressons cette question.</p>",
            ],
        )
    )
    en.write_bytes(
        make_epub(
            "en",
            [
                "<h1>The decree</h1><p>The decisive step has been taken. Yes or no?</p>",
                "<h1>The answer</h1><p>We, the Council, ask this question.</p>",
            ],
        )
    )
    book = tmp_path / "book.epub"
    result = run("align", fr, en, "--src-lang", "fr", "--tgt-lang", "en", "-q", "-o", book)
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(book) as archive:
        names = archive.namelist()
        opf = archive.read("OEBPS/content.opf").decode()
        chapters = [archive.read(n).decode() for n in sorted(names) if "chapter-" in n]
    assert "<dc:title>Armistice.fr</dc:title>" in opf  # the original file's name
    assert len(chapters) == 2  # one per chapter of the original
    assert "<h1" in chapters[0] and "Le décret" in chapters[0] and "The decree" in chapters[0]
    assert "La réponse" in chapters[1] and "We, the Council, ask this question." in chapters[1]
    found = shutil.which("epubcheck")
    if found is None:
        pytest.skip("epubcheck is not installed (apt-get install epubcheck)")
    command = ["java", "-jar", found] if Path(found).resolve().suffix == ".jar" else [found]
    checked = subprocess.run(
        [*command, str(book)], capture_output=True, text=True, timeout=120, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_epub_from_plain_text_uses_the_writers_default_parts(
    texts: dict[str, Path], tmp_path: Path
) -> None:
    book = tmp_path / "book.epub"
    result = run(*align_args(texts, "fr", "en"), "-o", book)
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(book) as archive:
        assert [n for n in archive.namelist() if "chapter-" in n] == ["OEBPS/chapter-0001.xhtml"]
        assert "<dc:title>fr</dc:title>" in archive.read("OEBPS/content.opf").decode()


# --- line-parallel files ---------------------------------------------------------------------


def test_lines_writes_a_line_parallel_file_per_language(
    texts: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run(*align_args(texts, "fr", "en", "ru"), "-f", "lines", "-o", out / "corpus")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["corpus.en", "corpus.fr", "corpus.ru"]
    lines = {lang: (out / f"corpus.{lang}").read_text("utf-8").splitlines() for lang in texts}
    assert {len(v) for v in lines.values()} == {bead_count(texts, "fr", "en", "ru")}
    assert lines["fr"][1] == "Oui ou non ?" and lines["ru"][1] == "Да или нет?"


@pytest.mark.parametrize("output", [[], ["-o", "-"]])
def test_lines_without_a_prefix_is_a_usage_error(texts: dict[str, Path], output: list[str]) -> None:
    check_usage_error(run(*align_args(texts, "fr", "en"), "-f", "lines", *output), "-o PREFIX")


def test_lines_never_write_over_an_input(tmp_path: Path) -> None:
    fr, en = tmp_path / "Emma.fr", tmp_path / "Emma.en"
    fr.write_text(FR, encoding="utf-8")
    en.write_text(EN, encoding="utf-8")
    result = run(
        "align", fr, en, "--presplit", "--src-lang", "fr", "--tgt-lang", "en", "-q",
        "-f", "lines", "-o", tmp_path / "Emma",
    )  # fmt: skip
    check_usage_error(result, "is an input")
    assert fr.read_text(encoding="utf-8") == FR and en.read_text(encoding="utf-8") == EN


# --- the TSV header and text hygiene ---------------------------------------------------------


def test_header_row_on_request(texts: dict[str, Path]) -> None:
    plain = run(*align_args(texts, "fr", "en"))
    headed = run(*align_args(texts, "fr", "en"), "--header")
    assert headed.exit_code == 0, headed.stderr
    first, *rest = headed.stdout.splitlines()
    assert first.split("\t") == ["fr", "en", "score", "src_ids", "tgt_ids"]
    assert rest == plain.stdout.splitlines()
    several = run(*align_args(texts, "fr", "en", "ru"), "--header").stdout.splitlines()[0]
    assert several.split("\t")[3:] == ["score_en", "score_ru", "src_ids", "ids_en", "ids_ru"]
    check_usage_error(run(*align_args(texts, "fr", "en"), "-f", "jsonl", "--header"), "tsv")


def test_sentences_come_out_on_one_line_with_single_spaces(tmp_path: Path) -> None:
    fr, en = tmp_path / "fr.txt", tmp_path / "en.txt"
    fr.write_text("Le pas   décisif\test fait.\nOui  ou non ?\n", encoding="utf-8")
    en.write_text("The  decisive step\t\tis taken.\nYes or\u00a0 no?\n", encoding="utf-8")
    base = ["align", fr, en, "--presplit", "--src-lang", "fr", "--tgt-lang", "en", "-q"]
    clean = {
        "Le pas décisif est fait.",
        "Oui ou non ?",
        "The decisive step is taken.",
        "Yes or no?",
    }
    tsv = [line.split("\t") for line in run(*base).stdout.splitlines()]
    assert {r[0] for r in tsv} | {r[1] for r in tsv} == clean
    records = [json.loads(line) for line in run(*base, "-f", "jsonl").stdout.splitlines()[1:]]
    assert {r["src"] for r in records} | {r["tgt"] for r in records} == clean
    root = ET.fromstring(run(*base, "-f", "tmx").stdout_bytes)
    assert {seg.text for seg in root.iter("seg")} == clean


# --- corpus mode -----------------------------------------------------------------------------


def _manifest(texts: dict[str, Path], tmp_path: Path) -> Path:
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(f"{texts['fr']}\t{texts['en']}\tfr\ten\n", encoding="utf-8")
    return manifest


def test_batch_writes_xlsx(texts: dict[str, Path], tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "aligned"
    args = ["batch", _manifest(texts, tmp_path), "-o", out, "-f", "xlsx", "-j", "1", "-q"]
    result = run(*args, "--presplit")
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out / "fr-en.xlsx").active
    assert sheet.max_row == 1 + bead_count(texts, "fr", "en")
    record = json.loads((out / "summary.jsonl").read_text(encoding="utf-8"))
    assert record["output_bytes"] == (out / "fr-en.xlsx").stat().st_size
    assert record["files"] == ["fr-en.xlsx"]
    again = run(*args, "--presplit")  # resume: the pair is complete, skipped
    assert again.exit_code == 0 and json.loads((out / "summary.jsonl").read_text()) == record


def test_batch_writes_lines_named_after_the_pair(texts: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "aligned"
    result = run(
        "batch", _manifest(texts, tmp_path), "-o", out, "-f", "lines", "-j", "1", "-q",
        "--presplit",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["fr-en.en", "fr-en.fr", "summary.jsonl"]
    fr, en = ((out / f"fr-en.{k}").read_text("utf-8").splitlines() for k in ("fr", "en"))
    assert len(fr) == len(en) == bead_count(texts, "fr", "en")
    record = json.loads((out / "summary.jsonl").read_text(encoding="utf-8"))
    assert record["output"] == "fr-en" and record["files"] == ["fr-en.fr", "fr-en.en"]
    assert record["output_bytes"] == sum((out / n).stat().st_size for n in record["files"])


def test_a_pairs_outputs_are_measured_for_resume(texts: dict[str, Path], tmp_path: Path) -> None:
    pair = DocumentPair(texts["fr"], texts["en"], "fr", "en")
    job = PairJob(pair, tmp_path / "fr-en", BatchOptions(fmt="lines", presplit=True))
    result = align_pair(job)
    assert result.ok and result.files == ("fr-en.fr", "fr-en.en")
    assert output_size(job, result) == result.output_bytes
    (tmp_path / "fr-en.en").unlink()
    assert output_size(job, result) is None  # a missing file: not complete


def test_batch_header_option_reaches_the_outputs(texts: dict[str, Path], tmp_path: Path) -> None:
    pair = DocumentPair(texts["fr"], texts["en"], "fr", "en")
    plain, headed = (
        BatchOptions(presplit=True),
        BatchOptions(presplit=True, header=True),
    )
    assert plain.signature() != headed.signature()
    assert "header" not in plain.signature()  # the fingerprints of earlier runs still hold
    job = PairJob(pair, tmp_path / "fr-en.tsv", headed)
    assert align_pair(job).ok
    first = (tmp_path / "fr-en.tsv").read_text(encoding="utf-8").splitlines()[0]
    assert first.split("\t") == ["fr", "en", "score", "src_ids", "tgt_ids"]


def test_batch_header_from_the_command_line(texts: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "aligned"
    args = ["batch", _manifest(texts, tmp_path), "-o", out, "-j", "1", "-q", "--presplit"]
    result = run(*args, "--header")
    assert result.exit_code == 0, result.stderr
    first, *rest = (out / "fr-en.tsv").read_text(encoding="utf-8").splitlines()
    assert first.split("\t") == ["fr", "en", "score", "src_ids", "tgt_ids"]
    assert len(rest) == bead_count(texts, "fr", "en")
    check_usage_error(run(*args, "--header", "-f", "jsonl"), "tsv")
    with pytest.raises(UsageError, match="tsv"):
        run_batch([DocumentPair(texts["fr"], texts["en"])], out, fmt="tmx", header=True)


def test_run_batch_library_lines(texts: dict[str, Path], tmp_path: Path) -> None:
    pairs = [DocumentPair(texts["fr"], texts["ru"], "fr", "ru")]
    report = run_batch(pairs, tmp_path / "o", fmt="lines", jobs=1, presplit=True)
    assert report.failed == 0
    assert (tmp_path / "o" / "fr-ru.ru").read_text("utf-8").splitlines()[0] == (
        "Решительный шаг сделан."
    )
