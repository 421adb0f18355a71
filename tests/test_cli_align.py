"""`aligner align` through click's CliRunner: formats, outputs, detection, and every bad input."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import aligner.cli
from aligner.cli import cli
from aligner.evaluation import parse_beads

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "texts" / "armistice-1917"

FR = "Le pas décisif est fait.\nOui ou non ?\n\nNous, le Conseil, adressons cette question.\n"
EN = "The decisive step has been taken.\nYes or no?\n\nWe, the Council, ask this question.\n"
RU = "Решительный шаг сделан.\nДа или нет?\n\nМы, Совет, задаём этот вопрос.\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["align", *map(str, args)])


def check_error(result: Result, code: int, *words: str) -> None:
    """Exit ``code``, one line on stderr that names ``words``, no traceback, no stdout."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr


@pytest.fixture
def texts(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for lang, text in (("fr", FR), ("en", EN), ("ru", RU)):
        out[lang] = tmp_path / f"{lang}.txt"
        out[lang].write_text(text, encoding="utf-8")
    return out


def presplit(texts: dict[str, Path], *langs: str) -> list[str | Path]:
    args: list[str | Path] = [texts[lang] for lang in langs]
    args += ["--presplit", "--src-lang", langs[0], "-q"]
    for lang in langs[1:]:
        args += ["--tgt-lang", lang]
    return args


def test_tsv_to_stdout_by_default(texts: dict[str, Path]) -> None:
    result = run(*presplit(texts, "fr", "en"))
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[0] for r in rows] == [
        "Le pas décisif est fait.",
        "Oui ou non ?",
        "Nous, le Conseil, adressons cette question.",
    ]
    assert [r[3:] for r in rows] == [["0", "0"], ["1", "1"], ["2", "2"]]
    assert result.stderr == ""


def test_languages_detected_and_reported(texts: dict[str, Path]) -> None:
    result = run(texts["fr"], texts["en"], texts["ru"], "--presplit", "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    notes = result.stderr.splitlines()
    assert len(notes) == 3
    assert "detected language fr" in notes[0] and "--src-lang" in notes[0]
    assert "detected language en" in notes[1] and "detected language ru" in notes[2]
    header = json.loads(result.stdout.splitlines()[0])["aligner"]
    assert header["src_lang"] == "fr" and header["tgt_langs"] == ["en", "ru"]


@pytest.mark.parametrize(
    ("name", "marker"),
    [("out.html", "<!DOCTYPE html>"), ("out.tmx", "<tmx"), ("out.jsonl", '{"aligner"')],
)
def test_format_follows_the_extension(
    texts: dict[str, Path], tmp_path: Path, name: str, marker: str
) -> None:
    out = tmp_path / name
    result = run(*presplit(texts, "fr", "en"), "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert marker in out.read_text(encoding="utf-8")


def test_beads_from_txt_extension_and_tsv_for_others(
    texts: dict[str, Path], tmp_path: Path
) -> None:
    run(*presplit(texts, "fr", "en"), "-o", tmp_path / "b.txt")
    beads = parse_beads((tmp_path / "b.txt").read_text(encoding="utf-8"))
    assert beads == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    check_error(run(*presplit(texts, "fr", "en"), "-o", tmp_path / "a.out"), 2, "--format")
    assert not (tmp_path / "a.out").exists()
    run(*presplit(texts, "fr", "en"), "-o", tmp_path / "c.out", "-f", "tmx")
    ET.parse(tmp_path / "c.out")


def test_dash_is_stdout(texts: dict[str, Path]) -> None:
    result = run(*presplit(texts, "fr", "en"), "-o", "-", "-f", "beads")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("[0]:[0]:")


def test_several_translations(texts: dict[str, Path], tmp_path: Path) -> None:
    result = run(*presplit(texts, "fr", "en", "ru"))
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(r) == 8 for r in rows)  # 3 texts, 2 scores, 3 id lists
    out = tmp_path / "three.html"
    assert run(*presplit(texts, "fr", "en", "ru"), "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('role="cell"') == 3 * len(rows)


def test_bundled_texts_to_html(tmp_path: Path) -> None:
    out = tmp_path / "armistice.html"
    args = [TEXTS / f"{lang}.txt" for lang in ("fr", "en", "ru")]
    result = run(*args, "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert ">fr.txt<" in page and 'lang="ru"' in page


def test_html_to_a_terminal_needs_an_output_file(
    texts: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aligner.cli.align, "is_terminal", lambda stream: True)
    check_error(run(*presplit(texts, "fr", "en"), "-f", "html"), 2, "-o FILE")


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["align", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout and "aligner align" in result.stdout


# ---------------------------------------------------------------------------------------------
# Bad input


def test_missing_file(texts: dict[str, Path], tmp_path: Path) -> None:
    check_error(run(tmp_path / "nope.txt", texts["en"]), 1, "nope.txt", "no such file")


def test_directory(texts: dict[str, Path], tmp_path: Path) -> None:
    check_error(run(texts["fr"], tmp_path), 1, "is a directory")


def test_empty_file(texts: dict[str, Path], tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    check_error(run(texts["fr"], empty), 1, "empty.txt", "is empty")


def test_binary_file(texts: dict[str, Path], tmp_path: Path) -> None:
    binary = tmp_path / "a.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    check_error(run(texts["fr"], binary), 1, "binary")


def test_invalid_utf8_gives_the_byte_offset_and_encoding_fixes_it(
    texts: dict[str, Path], tmp_path: Path
) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le pas décisif est fait.\nOui ou non ?\n".encode("latin-1"))
    check_error(run(latin, texts["en"], "--presplit"), 1, "byte offset 8", "--encoding")
    result = run(latin, "--encoding", "latin-1", "--presplit", "--src-lang", "fr", "-q", latin)
    assert result.exit_code == 0, result.stderr
    assert "décisif" in result.stdout


def test_unknown_encoding(texts: dict[str, Path]) -> None:
    check_error(run(texts["fr"], texts["en"], "--encoding", "klingon-8"), 2, "klingon-8")


def test_unknown_language_code(texts: dict[str, Path]) -> None:
    check_error(run(texts["fr"], texts["en"], "--src-lang", "xx-klingon"), 2, "--src-lang")
    check_error(run(texts["fr"], texts["en"], "--tgt-lang", "zzz"), 2, "--tgt-lang")


def test_mismatched_target_languages(texts: dict[str, Path]) -> None:
    result = run(texts["fr"], texts["en"], texts["ru"], "--tgt-lang", "en")
    check_error(result, 2, "1 --tgt-lang for 2 translations")


def test_undetectable_language_asks_for_it(texts: dict[str, Path], tmp_path: Path) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_text("Xyzzy plugh frobnicate quux blorf zorp.\n", encoding="utf-8")
    check_error(run(texts["fr"], odd), 2, "odd.txt", "--tgt-lang")


def test_beads_with_several_translations(texts: dict[str, Path]) -> None:
    check_error(run(*presplit(texts, "fr", "en", "ru"), "-f", "beads"), 2, "one translation")


def test_unwritable_output(texts: dict[str, Path], tmp_path: Path) -> None:
    check_error(run(*presplit(texts, "fr", "en"), "-o", tmp_path / "no" / "a.tsv"), 2, "folder")
    check_error(run(*presplit(texts, "fr", "en"), "-o", tmp_path), 2, "is a directory")


def test_output_under_a_file(texts: dict[str, Path], tmp_path: Path) -> None:
    # A regular file where a folder should be: unwritable even for root, so no skip is needed.
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder\n", encoding="utf-8")
    check_error(run(*presplit(texts, "fr", "en"), "-o", blocker / "a.tsv"), 2, "does not exist")
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_a_failed_run_leaves_no_output(texts: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out.tsv"
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    check_error(run(texts["fr"], empty, "-o", out), 1)
    assert not out.exists()
    out.write_text("previous result\n", encoding="utf-8")
    check_error(run(texts["fr"], empty, "-o", out), 1)
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "empty.txt",
        "en.txt",
        "fr.txt",
        "out.tsv",
        "ru.txt",
    ]


def test_failed_write_leaves_no_partial_file(
    texts: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aligner.output.writers

    def broken(*args: object, **kwargs: object) -> str:
        raise MemoryError

    monkeypatch.setattr(aligner.output.writers, "write_tsv", broken)
    out = tmp_path / "out.tsv"
    result = run(*presplit(texts, "fr", "en"), "-o", out)
    assert result.exit_code != 0
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".aligner-")]


def test_progress_line() -> None:
    stream = io.StringIO()
    bar = aligner.cli.align._ProgressLine(stream, "reading fr.txt")
    bar(0, 10)
    bar.label = "aligning fr→en"
    for done in (5, 5, 10):
        bar(done, 10)
    bar.close()
    text = stream.getvalue()
    assert "reading fr.txt" in text and "aligning fr→en" in text and "100%" in text
    assert text.count(" 50%") == 1  # a repeated count is not drawn again
    assert text.endswith("\n")


def test_progress_bar_on_a_terminal(
    texts: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aligner.cli.align, "is_terminal", lambda stream: True)
    monkeypatch.setattr(aligner.cli.align, "PROGRESS_MIN_BYTES", 0)
    args = [texts["fr"], texts["en"], "--presplit", "--src-lang", "fr", "--tgt-lang", "en"]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    shown = [part.split("%")[0].split()[-1] for part in result.stderr.split("\r") if "%" in part]
    percents = [int(p) for p in shown]
    # One count over the whole run, from reading to writing: it only grows, and ends at 100.
    assert percents == sorted(percents) and percents[-1] == 100
    for stage in ("reading", "aligning fr→en", "writing"):
        assert stage in result.stderr
    assert "aligning" not in run(*args, "--quiet").stderr


def test_library_progress_is_one_growing_count() -> None:
    fr = [f"Phrase numéro {k} du texte." for k in range(300)]
    en = [f"Sentence number {k} of the text." for k in range(300)]
    seen: list[tuple[int, int]] = []
    aligner.align(fr, en, src_lang="fr", tgt_lang="en", progress=lambda d, t: seen.append((d, t)))
    counts = [d for d, _ in seen]
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == seen[-1][1]
    assert len({t for _, t in seen}) == 1 and len(seen) >= 4


def test_language_without_rules_warns_in_one_line(texts: dict[str, Path], tmp_path: Path) -> None:
    it = tmp_path / "it.txt"
    it.write_text("Il passo decisivo è fatto. Sì o no?\n", encoding="utf-8")
    result = run(texts["fr"], it, "--src-lang", "fr", "--tgt-lang", "it")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("aligner: warning: ") and "'it'" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_max_bead_limits_the_bead_shapes(texts: dict[str, Path], tmp_path: Path) -> None:
    # Two French sentences against one English: a 2-1 bead, unless beads are 1 wide at most.
    fr = tmp_path / "two.txt"
    fr.write_text("Le pas décisif est fait.\nOui ou non ?\n", encoding="utf-8")
    en = tmp_path / "one.txt"
    en.write_text("The decisive step has been taken: yes or no?\n", encoding="utf-8")
    common = [fr, en, "--presplit", "--src-lang", "fr", "--tgt-lang", "en", "-f", "beads"]
    wide = run(*common)
    assert wide.exit_code == 0, wide.stderr
    assert [b[:2] for b in parse_beads(wide.stdout)] == [((0, 1), (0,))]
    narrow = run(*common, "--max-bead", "1")
    assert narrow.exit_code == 0, narrow.stderr
    beads = parse_beads(narrow.stdout)
    assert all(len(s) <= 1 and len(t) <= 1 for s, t, *_ in beads)
    check_error(run(*common, "--max-bead", "9"), 2, "--max-bead")


def test_many_to_many_choice(tmp_path: Path) -> None:
    # Five dated sentences; the second and third cut at a different place in French: a 2-2
    # bead (with one pair in five crossed, the units are not numbered in parallel), unless
    # refused.
    cities = ["Amsterdam", "Berlin", "Dublin", "Geneva", "Oslo"]
    en = [f"In {1900 + k} the travellers reached {c} and rested." for k, c in enumerate(cities)]
    fr = [f"En {1900 + k} les voyageurs atteignirent {c} et s'y reposèrent." for k, c in
          enumerate(cities)]  # fmt: skip
    fr[1:3] = [fr[1][:20], fr[1][20:] + " " + fr[2]]
    (tmp_path / "fr.txt").write_text("\n".join(fr) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    common = [tmp_path / "fr.txt", tmp_path / "en.txt", "--presplit", "--src-lang", "fr"]
    common += ["--tgt-lang", "en", "-f", "beads"]
    for choice, crossed in (("auto", True), ("yes", True), ("no", False)):
        result = run(*common, "--many-to-many", choice)
        assert result.exit_code == 0, result.stderr
        beads = [b[:2] for b in parse_beads(result.stdout)]
        assert (((1, 2), (1, 2)) in beads) is crossed, (choice, beads)
    check_error(run(*common, "--many-to-many", "maybe"), 2, "--many-to-many")


def test_dictionary_is_read_and_checked(texts: dict[str, Path], tmp_path: Path) -> None:
    words = tmp_path / "words.tsv"
    words.write_text("# fr\ten\ndécisif\tdecisive\nquestion\tquestion\n", encoding="utf-8")
    result = run(*presplit(texts, "fr", "en"), "--dictionary", words, "-f", "beads")
    assert result.exit_code == 0, result.stderr
    assert [b[:2] for b in parse_beads(result.stdout)] == [((i,), (i,)) for i in range(3)]
    words.write_text("décisif decisive\n", encoding="utf-8")
    check_error(run(*presplit(texts, "fr", "en"), "--dictionary", words), 1, "words.tsv:1")
    check_error(run(*presplit(texts, "fr", "en"), "--dictionary", tmp_path / "none.tsv"), 1)
