"""Reading input files: bytes to text, with one clear error for each way a file can be unusable."""

from __future__ import annotations

import os
from pathlib import Path

from aligner.errors import InputError
from aligner.readers.encoding import decode_bytes


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode ``data`` read from ``name`` (see :func:`aligner.readers.encoding.decode_bytes`:
    a byte-order mark wins, then ``encoding``, then UTF-16 by its NUL bytes, then UTF-8)."""
    return decode_bytes(data, name, encoding)


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


def text_of(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decoded text that has something in it: an empty or blank input is an InputError."""
    text = decode(data, name, encoding)
    if not text.strip():
        raise InputError(f"{name}: is empty")
    return text


def read_text(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """Read a text file, raising InputError with one clear sentence for each kind of failure.

    An empty file, or one holding only white space, is an error: there is nothing to align.
    """
    return text_of(read_bytes(path), str(path), encoding)
