"""Every example runs and produces what it says."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # The scripts find the `aligner` command next to this Python (the venv's bin).
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result


def test_library(tmp_path: Path) -> None:
    out = tmp_path / "fr-en.tsv"
    result = run(sys.executable, EXAMPLES / "library.py", out, cwd=tmp_path)
    assert "French and" in result.stdout and "bead types" in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(len(line.split("\t")) == 5 for line in lines)


def test_html_from_python(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = run(sys.executable, EXAMPLES / "html_from_python.py", out, cwd=tmp_path)
    assert "fr.txt: fr" in result.stdout and "ru.txt: ru" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Обращение (ru)" in page


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_cli_script(tmp_path: Path) -> None:
    if shutil.which("aligner", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the aligner command is not installed next to this Python")
    result = run("bash", EXAMPLES / "cli.sh", tmp_path, cwd=tmp_path)
    assert "strict" in result.stdout and "1.0000" in result.stdout
    for name in ("armistice.html", "fr-en.tmx", "all.jsonl", "fr-en.txt"):
        assert (tmp_path / name).stat().st_size > 0, name
    ET.parse(tmp_path / "fr-en.tmx")
