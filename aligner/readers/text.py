"""Reading input files: bytes to text, with one clear error for each way a file can be unusable."""

from __future__ import annotations

import os
from pathlib import Path

from aligner.errors import DecodeError, InputError

# How much of a file to inspect for NUL bytes when deciding that it is binary.
_BINARY_SNIFF_BYTES = 8192


def decode(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """Decode ``data`` read from ``name``; refuse binary data and say where decoding failed."""
    if b"\x00" in data[:_BINARY_SNIFF_BYTES] and not encoding.lower().startswith("utf-16"):
        raise InputError(f"{name}: looks like binary data (NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"{name}: not valid {encoding} at byte offset {exc.start} (name the file's encoding)"
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    return text


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a file; InputError with one clear sentence if it cannot be read."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}: no such file")
    if p.is_dir():
        raise InputError(f"{name}: is a directory, not a file")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None


def text_of(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """Decoded text that has something in it: an empty or blank input is an InputError."""
    text = decode(data, name, encoding)
    if not text.strip():
        raise InputError(f"{name}: is empty")
    return text


def read_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> str:
    """Read a text file, raising InputError with one clear sentence for each kind of failure.

    An empty file, or one holding only white space, is an error: there is nothing to align.
    """
    return text_of(read_bytes(path), str(path), encoding)
