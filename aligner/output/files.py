"""Writing output files atomically: a run that fails half-way never leaves a partial file."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from aligner.errors import InputError

__all__ = ["write_atomic"]

#: Attempts at a fresh temporary name before giving up (names are 64 random bits: a clash is
#: a stale file from a killed run, not chance).
_TEMP_NAME_TRIES = 8


def _create_temp(folder: Path) -> tuple[int, Path]:
    """A new file beside the target, created with the mode a plain ``open()`` gives.

    ``os.open(..., 0o666)`` lets the operating system apply the process umask, so nothing here
    reads or changes it (changing it would race with other threads of a Dask worker).
    """
    for _ in range(_TEMP_NAME_TRIES):
        # Not derived from the target's name: a name near the file system's limit must fit.
        tmp = folder / f".aligner-{secrets.token_hex(8)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Text is written as UTF-8 with ``\\n`` line ends. InputError when the folder is missing or
    not writable.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = _create_temp(folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
