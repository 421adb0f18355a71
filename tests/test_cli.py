"""The command group, `split` and `evaluate`, driven through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner import __version__
from aligner.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FR = ROOT / "texts" / "armistice-1917" / "fr.txt"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Example" in out and f"aligner {command}" in out


def test_split_text_and_jsonl() -> None:
    code, out, err = run("split", str(FR), "--lang", "fr")
    assert code == 0, err
    paragraphs = out.strip("\n").split("\n\n")
    assert paragraphs[0] == "Proposition d'armistice et de paix immédiate"
    assert paragraphs[1] == "Aux peuples des pays belligérants !"
    code, out, _ = run("split", str(FR), "--lang", "fr", "-f", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    text = FR.read_text(encoding="utf-8")
    assert records[0]["text"] == text[records[0]["start"] : records[0]["end"]]
    assert [r["index"] for r in records] == list(range(len(records)))


def test_split_reads_stdin() -> None:
    code, out, _ = run("split", "-", "--lang", "en", stdin=b"One. Two.\n")
    assert code == 0 and out.splitlines() == ["One.", "Two."]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "directory"),
        (lambda d: _write(d / "empty.txt", b""), "empty"),
        (lambda d: _write(d / "bin.txt", b"\x00\xff\x00\x10"), "binary"),
        (lambda d: _write(d / "latin.txt", "caf\xe9 noir".encode("latin-1")), "byte offset 3"),
    ],
)
def test_split_bad_input_is_one_line(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("split", str(make(tmp_path)), "--lang", "fr")
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_split_unknown_language() -> None:
    code, _, err = run("split", str(FR), "--lang", "xx1")
    assert code != 0 and "xx1" in err and "Traceback" not in err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_evaluate_several_documents(tmp_path: Path) -> None:
    t1 = _write(tmp_path / "t1", b"[0]:[0]:0.9\n[1]:[1]:0.8\n")
    g1 = _write(tmp_path / "g1", b"[0]:[0]\n[1]:[1]\n")
    t2 = _write(tmp_path / "t2", b"[0]:[0, 1]:0.5\n")
    g2 = _write(tmp_path / "g2", b"[0]:[0]\n[]:[1]\n")
    code, out, err = run(
        "evaluate", "--test", str(t1), str(t2), "--gold", str(g1), str(g2), "--json"
    )
    assert code == 0, err
    scores = json.loads(out)
    assert scores["strict_precision"] == pytest.approx(2 / 3)
    assert scores["lax_precision"] == pytest.approx(1.0)
    code, out, _ = run("evaluate", "--test", str(t1), "--gold", str(g1))
    assert code == 0 and "strict" in out and "1.0000" in out


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate"],
        ["evaluate", "--test", "a"],
        ["evaluate", "--test", "a", "b", "--gold", "c"],
        ["evaluate", "a", "--gold", "b"],
        ["evaluate", "--test", "a", "--gold", "b", "--bogus"],
    ],
)
def test_evaluate_usage_errors(args: list[str]) -> None:
    code, _, err = run(*args)
    assert code == 2 and "Traceback" not in err


def test_evaluate_bad_bead_file(tmp_path: Path) -> None:
    t = _write(tmp_path / "t", b"not beads\n")
    code, _, err = run("evaluate", "--test", str(t), "--gold", str(t))
    assert code == 1 and ("cannot read" in err or "expected" in err)
