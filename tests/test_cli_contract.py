"""The command line's contract, command by command (split, align, evaluate, batch).

Usage errors exit 2 with one error line, data errors exit 1 with one line on stderr, never a
traceback; ``-`` reads standard input wherever a path is read, once per command; every option
shows in ``--help``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from aligner.cli import cli

ROOT = Path(__file__).resolve().parent.parent
ARMISTICE = ROOT / "texts" / "armistice-1917"
FR, EN, RU = (ARMISTICE / f"{lang}.txt" for lang in ("fr", "en", "ru"))
COMMANDS = ("split", "align", "evaluate", "batch")


def invoke(args: list[str], stdin: bytes | str | None = None) -> Result:
    return CliRunner().invoke(cli, args, input=stdin)


def assert_clean(result: Result) -> None:
    """No exception escaped to click's runner (it would have been a traceback)."""
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith(("Error:", "aligner: error:"))]


def assert_usage_error(result: Result, mentions: str) -> None:
    """Exit status 2, nothing on stdout, one error line naming ``mentions``."""
    assert_clean(result)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.stdout == ""
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert mentions in lines[0], lines[0]


def assert_data_error(result: Result, mentions: str) -> None:
    """Exit status 1, nothing on stdout, exactly one line on stderr naming ``mentions``."""
    assert_clean(result)
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("aligner: error: "), result.stderr
    assert mentions in lines[0], lines[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small inputs: the armistice's first paragraphs, bad files, beads, a dictionary."""
    d = tmp_path_factory.mktemp("inputs")
    out = {}
    for lang, path in (("fr", FR), ("en", EN)):
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")[:4]
        out[lang] = d / f"short.{lang}.txt"
        out[lang].write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    out["missing"] = d / "missing.txt"
    out["empty"] = d / "empty.txt"
    out["empty"].write_bytes(b"")
    out["blank"] = d / "blank.txt"
    out["blank"].write_bytes(b"  \n\n\t\n")
    out["binary"] = d / "binary.txt"
    out["binary"].write_bytes(b"\x00\x01\x02\x03PK\x00\xff" * 8)
    out["beads"] = d / "test.beads"
    out["beads"].write_text("[0]:[0]:0.9\n[1]:[1]:0.8\n[2,3]:[2]:0.7\n", encoding="utf-8")
    out["gold"] = d / "gold.beads"
    out["gold"].write_text("[0]:[0]:1\n[1]:[1]:1\n[2]:[2]:1\n[3]:[]:1\n", encoding="utf-8")
    out["dictionary"] = d / "dictionary.tsv"
    out["dictionary"].write_text("paix\tpeace\narmistice\tarmistice\n", encoding="utf-8")
    out["manifest"] = d / "pairs.tsv"
    out["manifest"].write_text(f"{out['fr']}\t{out['en']}\tfr\ten\n", encoding="utf-8")
    return out


# --- usage errors: exit status 2 ---------------------------------------------------------------


def usage_cases(f: dict[str, Path], out: Path) -> list[tuple[list[str], str]]:
    """(arguments, what the error line names) for every command's usage errors."""
    fr, en, beads, manifest = str(f["fr"]), str(f["en"]), str(f["beads"]), str(f["manifest"])
    outdir = str(out / "batch")
    return [
        (["split", fr, "--bogus"], "--bogus"),
        (["split", fr, "--lang", "xx1"], "xx1"),
        (["split", fr, "--lang", "fr", "-f", "xml"], "xml"),
        (["split", fr, "--lang", "fr", "--encoding", "no-such-codec"], "no-such-codec"),
        (["split"], "FILE"),
        (["align", fr, en, "--bogus"], "--bogus"),
        (["align", fr, en, "--src-lang", "xx1"], "xx1"),
        (["align", fr, en, "--tgt-lang", "zz9"], "zz9"),
        (["align", fr, en, "-f", "xml"], "xml"),
        (["align", fr, en, "-o", str(out / "aligned.docx")], ".docx"),
        (["align", fr, en, "-o", str(out / "aligned")], "no format"),
        (["align", fr, en, "--encoding", "no-such-codec"], "no-such-codec"),
        (["align", fr, en, "--tgt-lang", "en", "--tgt-lang", "ru"], "--tgt-lang"),
        (["align", fr, en, en, "-f", "beads"], "beads"),
        (["align", fr, en, "--max-bead", "9"], "9"),
        (["align", fr, en, "--many-to-many", "maybe"], "maybe"),
        (["align", fr], "TRANSLATIONS"),
        (["evaluate", "--test", beads, "--gold", beads, "--bogus"], "--bogus"),
        (["evaluate", "--test", beads], "--gold"),
        (["evaluate", "--test", beads, beads, "--gold", beads], "--test"),
        (["batch", manifest, "-o", outdir, "--bogus"], "--bogus"),
        (["batch", manifest, "-o", outdir, "--src-lang", "xx1"], "xx1"),
        (["batch", manifest, "-o", outdir, "--tgt-lang", "zz9"], "zz9"),
        (["batch", manifest, "-o", outdir, "-f", "xml"], "xml"),
        (["batch", manifest, "-o", outdir, "--jobs", "2", "--scheduler", "tcp://h:1"], "--jobs"),
        (["batch", manifest, "-o", outdir, "--jobs", "0"], "--jobs"),
        (["batch", manifest, "-o", outdir, "--encoding", "no-such-codec"], "no-such-codec"),
        (["batch", manifest], "--outdir"),
    ]


def _usage_ids() -> list[str]:
    """Test ids: the arguments, with placeholder file names."""
    fake = {k: Path(k) for k in ("fr", "en", "beads", "manifest")}
    return [" ".join(a).replace("/", "_") for a, _ in usage_cases(fake, Path("o"))]


@pytest.mark.parametrize("case", range(len(_usage_ids())), ids=_usage_ids())
def test_usage_errors_exit_2_with_one_error_line(
    files: dict[str, Path], tmp_path: Path, case: int
) -> None:
    args, mentions = usage_cases(files, tmp_path)[case]
    result = invoke(args)
    assert_usage_error(result, mentions)
    assert list(tmp_path.iterdir()) == []  # nothing written, no output folder made


def test_usage_errors_come_before_data_errors(files: dict[str, Path], tmp_path: Path) -> None:
    # A missing input and a bad option: the option is reported, as a usage error.
    missing = str(files["missing"])
    assert_usage_error(invoke(["split", missing, "--lang", "xx1"]), "xx1")
    assert_usage_error(invoke(["align", missing, missing, "-f", "xml"]), "xml")
    assert_usage_error(invoke(["align", missing, missing, "-o", str(tmp_path / "a.docx")]), "docx")
    args = ["batch", missing, "-o", str(tmp_path / "b"), "-j", "1", "--scheduler", "tcp://h:1"]
    assert_usage_error(invoke(args), "--jobs")


# --- data errors: exit status 1 --------------------------------------------------------------

BAD_FILES = [("missing", "no such file"), ("empty", "is empty"), ("blank", "is empty")]
BAD_FILES += [("binary", "binary")]


@pytest.mark.parametrize(("bad", "message"), BAD_FILES)
def test_split_data_errors(files: dict[str, Path], bad: str, message: str) -> None:
    result = invoke(["split", str(files[bad]), "--lang", "fr"])
    assert_data_error(result, message)
    assert_data_error(invoke(["split", str(files[bad]), "-q"]), message)


@pytest.mark.parametrize(("bad", "message"), BAD_FILES)
@pytest.mark.parametrize("position", ["original", "translation", "dictionary"])
def test_align_data_errors(
    files: dict[str, Path], tmp_path: Path, bad: str, message: str, position: str
) -> None:
    fr, en, path = str(files["fr"]), str(files["en"]), str(files[bad])
    args = {
        "original": [path, en],
        "translation": [fr, path],
        "dictionary": [fr, en, "--dictionary", path],
    }[position]
    output = tmp_path / "out.tsv"
    result = invoke(["align", *args, "-q", "-o", str(output)])
    assert_data_error(result, message)
    assert str(files[bad]) in result.stderr
    assert not output.exists()


@pytest.mark.parametrize(("bad", "message"), BAD_FILES)
@pytest.mark.parametrize("position", ["test", "gold"])
def test_evaluate_data_errors(
    files: dict[str, Path], bad: str, message: str, position: str
) -> None:
    beads, path = str(files["beads"]), str(files[bad])
    test, gold = (path, beads) if position == "test" else (beads, path)
    assert_data_error(invoke(["evaluate", "--test", test, "--gold", gold]), message)


@pytest.mark.parametrize(("bad", "message"), BAD_FILES)
@pytest.mark.parametrize("position", ["manifest", "dictionary"])
def test_batch_data_errors(
    files: dict[str, Path], tmp_path: Path, bad: str, message: str, position: str
) -> None:
    path, manifest = str(files[bad]), str(files["manifest"])
    outdir = tmp_path / "out"
    args = [path] if position == "manifest" else [manifest, "--dictionary", path]
    result = invoke(["batch", *args, "-o", str(outdir), "-q", "-j", "1"])
    assert_data_error(result, message)
    assert not outdir.exists()


def test_batch_with_a_bad_pair_exits_1_in_one_line(files: dict[str, Path], tmp_path: Path) -> None:
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(
        f"{files['fr']}\t{files['en']}\tfr\ten\n{files['fr']}\t{files['missing']}\tfr\ten\n",
        encoding="utf-8",
    )
    outdir = tmp_path / "out"
    result = invoke(["batch", str(manifest), "-o", str(outdir), "-q", "-j", "1"])
    assert_data_error(result, "1 of 2 pairs failed")
    records = [json.loads(ln) for ln in (outdir / "summary.jsonl").read_text().splitlines()]
    assert [r["error"] is None for r in records] == [True, False]


def test_undecodable_input_is_a_data_error_naming_the_encoding(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le café est noir. Il fait froid.\n".encode("latin-1"))
    assert_data_error(invoke(["split", str(latin), "--lang", "fr"]), "--encoding")
    result = invoke(["split", str(latin), "--lang", "fr", "--encoding", "latin-1"])
    assert result.exit_code == 0 and "café" in result.stdout


# --- standard input --------------------------------------------------------------------------


def test_split_reads_standard_input(files: dict[str, Path]) -> None:
    text = files["fr"].read_bytes()
    from_file = invoke(["split", str(files["fr"]), "--lang", "fr"])
    from_stdin = invoke(["split", "-", "--lang", "fr"], stdin=text)
    assert from_stdin.exit_code == 0, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout != ""


@pytest.mark.parametrize(("path", "code"), [(FR, "fr"), (EN, "en"), (RU, "ru")])
def test_split_detects_the_language(path: Path, code: str) -> None:
    detected = invoke(["split", str(path)])
    assert detected.exit_code == 0, detected.stderr
    assert f"detected language {code}" in detected.stderr
    assert detected.stdout == invoke(["split", str(path), "--lang", code]).stdout
    from_stdin = invoke(["split", "-", "-f", "jsonl"], stdin=path.read_bytes())
    assert from_stdin.exit_code == 0 and f"<stdin>: detected language {code}" in from_stdin.stderr
    assert from_stdin.stdout == invoke(["split", str(path), "-l", code, "-f", "jsonl"]).stdout


def test_split_quiet_detection_says_nothing(files: dict[str, Path]) -> None:
    result = invoke(["split", str(files["fr"]), "-q"])
    assert result.exit_code == 0 and result.stderr == ""


def test_split_of_text_in_no_known_language_asks_for_lang(tmp_path: Path) -> None:
    digits = tmp_path / "digits.txt"
    digits.write_text("1234 5678 9012.\n3456 7890.\n", encoding="utf-8")
    assert_usage_error(invoke(["split", str(digits)]), "--lang")


@pytest.mark.parametrize("which", ["original", "translation"])
def test_align_reads_either_text_from_standard_input(files: dict[str, Path], which: str) -> None:
    fr, en = str(files["fr"]), str(files["en"])
    expected = invoke(["align", fr, en, "-q", "--src-lang", "fr", "--tgt-lang", "en"])
    assert expected.exit_code == 0, expected.stderr
    args = ["-", en] if which == "original" else [fr, "-"]
    stdin = files["fr" if which == "original" else "en"].read_bytes()
    result = invoke(["align", *args, "-q", "--src-lang", "fr", "--tgt-lang", "en"], stdin=stdin)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout != ""


def test_align_reads_the_dictionary_from_standard_input(files: dict[str, Path]) -> None:
    fr, en, dictionary = str(files["fr"]), str(files["en"]), files["dictionary"]
    expected = invoke(["align", fr, en, "-q", "-f", "jsonl", "--dictionary", str(dictionary)])
    result = invoke(
        ["align", fr, en, "-q", "-f", "jsonl", "--dictionary", "-"], stdin=dictionary.read_bytes()
    )
    assert expected.exit_code == 0 and result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout


def test_evaluate_reads_test_beads_from_standard_input(files: dict[str, Path]) -> None:
    expected = invoke(["evaluate", "--test", str(files["beads"]), "--gold", str(files["gold"])])
    result = invoke(
        ["evaluate", "--test", "-", "--gold", str(files["gold"])], stdin=files["beads"].read_bytes()
    )
    assert expected.exit_code == 0 and result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout
    reverse = invoke(
        ["evaluate", "--test", str(files["beads"]), "--gold", "-", "--json"],
        stdin=files["gold"].read_bytes(),
    )
    assert reverse.exit_code == 0 and 0 < json.loads(reverse.stdout)["strict_f1"] < 1


def test_batch_reads_the_manifest_from_standard_input(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Paths of a manifest on standard input are relative to the current folder.
    monkeypatch.chdir(files["fr"].parent)
    manifest = f"{files['fr'].name}\t{files['en'].name}\tfr\ten\n"
    outdir = tmp_path / "out"
    result = invoke(["batch", "-", "-o", str(outdir), "-q", "-j", "1"], stdin=manifest)
    assert result.exit_code == 0, result.stderr
    (record,) = [json.loads(ln) for ln in (outdir / "summary.jsonl").read_text().splitlines()]
    assert record["error"] is None
    expected = invoke(["align", str(files["fr"]), str(files["en"]), "-q", "-f", "tsv"])
    assert (outdir / record["output"]).read_text(encoding="utf-8") == expected.stdout


def test_batch_reads_the_dictionary_from_standard_input(
    files: dict[str, Path], tmp_path: Path
) -> None:
    outdir = tmp_path / "out"
    args = ["batch", str(files["manifest"]), "-o", str(outdir), "-q", "-j", "1"]
    result = invoke([*args, "--dictionary", "-"], stdin=files["dictionary"].read_bytes())
    assert result.exit_code == 0, result.stderr
    assert (outdir / "summary.jsonl").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["align", "-", "-"],
        ["align", "{fr}", "-", "-"],
        ["align", "-", "{en}", "--dictionary", "-"],
        ["evaluate", "--test", "-", "--gold", "-"],
        ["evaluate", "--test", "-", "{beads}", "--gold", "{gold}", "-"],
        ["batch", "-", "-o", "{out}", "--dictionary", "-"],
    ],
    ids=lambda a: " ".join(a),
)
def test_standard_input_named_twice_is_a_usage_error(
    files: dict[str, Path], tmp_path: Path, args: list[str]
) -> None:
    names = {k: str(v) for k, v in files.items()} | {"out": str(tmp_path / "out")}
    result = invoke([a.format(**names) for a in args], stdin=b"x\ty\n")
    assert_usage_error(result, "standard input")
    assert not (tmp_path / "out").exists()


# --- help ------------------------------------------------------------------------------------


def test_the_group_help_lists_every_command() -> None:
    result = invoke(["--help"])
    assert result.exit_code == 0
    assert set(cli.commands) == set(COMMANDS)
    for name, command in cli.commands.items():
        line = re.search(rf"^\s+{name}\s+(\S.*)$", result.stdout, re.MULTILINE)
        assert line is not None, f"{name} missing from aligner --help"
        assert command.get_short_help_str() and line.group(1)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_appears_in_the_commands_help(name: str) -> None:
    command = cli.commands[name]
    result = invoke([name, "--help"])
    assert result.exit_code == 0 and result.stderr == ""
    short = invoke([name, "-h"])
    assert short.stdout == result.stdout
    usage = result.stdout.splitlines()[0]
    for param in command.params:
        if isinstance(param, click.Argument):
            assert param.human_readable_name in usage, (param.name, usage)
            continue
        assert isinstance(param, click.Option)
        assert not param.hidden, param.name
        for opt in (*param.opts, *param.secondary_opts):
            assert re.search(rf"(^|[\s,/]){re.escape(opt)}\b", result.stdout), (name, opt)
        assert param.help, f"{name} {param.opts[0]} has no help text"


# --- output files ------------------------------------------------------------------------------


# Regression: write_atomic writes through ".<name>.<16 hex>.tmp", 22 bytes longer
# than the name, so an output file name of 234-255 bytes, which the system accepts, fails with
# "File name too long" (exit 1) although check_output_path let it through.
def test_an_output_name_the_system_accepts_can_be_written(
    files: dict[str, Path], tmp_path: Path
) -> None:
    output = tmp_path / ("a" * 240 + ".tsv")
    output.write_text("the system accepts this name\n", encoding="utf-8")
    output.unlink()
    result = invoke(["align", str(files["fr"]), str(files["en"]), "-q", "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    assert output.read_text(encoding="utf-8").count("\n") > 0
