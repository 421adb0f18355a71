"""Reading refuses bad files with one clear sentence; writing is atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.output.files import write_atomic
from aligner.readers.text import read_text


def test_reads_utf8(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Déjà vu.\n", encoding="utf-8")
    assert read_text(p) == "Déjà vu.\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n ", "is empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("abc é".encode("latin-1"), "byte offset 4"),
    ],
)
def test_bad_content(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_text(p)


def test_other_encoding(tmp_path: Path) -> None:
    p = tmp_path / "latin.txt"
    p.write_bytes("abc é".encode("latin-1"))
    assert read_text(p, "latin-1") == "abc é"
    with pytest.raises(InputError, match="unknown encoding"):
        read_text(p, "no-such-codec")


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "out.tsv"
    write_atomic(out, "first")
    write_atomic(out, "second")
    assert out.read_text() == "second"
    assert sorted(os.listdir(tmp_path)) == ["out.tsv"]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_write_atomic_to_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        write_atomic(tmp_path / "no" / "out.tsv", "x")
