"""Reading input files with clear errors, and writing outputs atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from aligner.errors import InputError

# How much of a file to inspect for NUL bytes when deciding that it is binary.
_BINARY_SNIFF_BYTES = 8192


def decode(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """Decode ``data`` read from ``name``; refuse binary data and say where decoding failed."""
    if b"\x00" in data[:_BINARY_SNIFF_BYTES] and not encoding.lower().startswith("utf-16"):
        raise InputError(f"{name}: looks like binary data (NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid {encoding} at byte offset {exc.start} "
            f"(use --encoding to name the file's encoding)"
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    return text


def read_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> str:
    """Read a text file, raising InputError with one clear sentence for each kind of failure.

    An empty file, or one holding only white space, is an error: there is nothing to align.
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}: no such file")
    if p.is_dir():
        raise InputError(f"{name}: is a directory, not a file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    text = decode(data, name, encoding)
    if not text.strip():
        raise InputError(f"{name}: is empty")
    return text


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A run that fails half-way never leaves a truncated output behind. Text is written as UTF-8
    with ``\\n`` line ends.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        # mkstemp makes the file private; give it the mode a plain open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
