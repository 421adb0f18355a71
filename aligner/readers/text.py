"""Reading input files: bytes to text, with one clear error for each way a file can be unusable."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from aligner.errors import InputError
from aligner.readers.encoding import decode_bytes
from aligner.readers.limits import DEFAULT_LIMITS, Limits, input_too_large

#: Bytes read at a time: a stream of unknown length is read in bounded pieces, so that an
#: endless one (/dev/zero) is stopped at the limit instead of filling the memory first.
CHUNK_BYTES = 1024 * 1024


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode ``data`` read from ``name`` (see :func:`aligner.readers.encoding.decode_bytes`:
    a byte-order mark wins, then ``encoding``, then UTF-16 by its NUL bytes, then UTF-8)."""
    return decode_bytes(data, name, encoding)


def read_stream(stream: BinaryIO, name: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """All the bytes of an open binary stream, refused past ``limits.max_input_bytes``."""
    chunks: list[bytes] = []
    total = 0
    try:
        while chunk := stream.read(CHUNK_BYTES):
            total += len(chunk)
            if total > limits.max_input_bytes:
                raise input_too_large(name, limits)
            chunks.append(chunk)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    return b"".join(chunks)


def read_bytes(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a file; InputError with one clear sentence if it cannot be read.

    A file (or a device, or a pipe) longer than ``limits.max_input_bytes`` is refused: a
    regular file by its size, before reading; anything else once that much has been read.
    """
    p = Path(path)
    name = str(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{name}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a directory, not a file")
    if stat.S_ISREG(info.st_mode) and info.st_size > limits.max_input_bytes:
        raise input_too_large(name, limits)
    try:
        with p.open("rb") as handle:
            return read_stream(handle, name, limits)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def text_of(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decoded text that has something in it: an empty or blank input is an InputError."""
    text = decode(data, name, encoding)
    if not text.strip():
        raise InputError(f"{name}: is empty")
    return text


def read_text(
    path: str | os.PathLike[str], encoding: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> str:
    """Read a text file, raising InputError with one clear sentence for each kind of failure.

    An empty file, or one holding only white space, is an error: there is nothing to align.
    """
    return text_of(read_bytes(path, limits), str(path), encoding)
