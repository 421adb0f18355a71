"""Writing output files atomically: a run that fails half-way never leaves a partial file or set."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from aligner.errors import InputError, UsageError

__all__ = ["check_not_inputs", "write_atomic", "write_atomic_files"]

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


def check_not_inputs(
    outputs: Sequence[str | os.PathLike[str]], inputs: Sequence[str | os.PathLike[str]]
) -> None:
    """UsageError when an output would replace one of the inputs.

    ``-f lines -o Emma`` writes ``Emma.fr`` and ``Emma.en``: the very names a book's files
    often have, which the run would otherwise overwrite with one line per bead.
    """
    for output in outputs:
        for given in inputs:
            if _same_file(Path(output), Path(given)):
                raise UsageError(
                    f"{output}: is an input; writing there would replace it, choose another output"
                )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Text is written as UTF-8 with ``\\n`` line ends. InputError when the folder is missing or
    not writable.
    """
    write_atomic_files([(path, data)])


def write_atomic_files(files: Sequence[tuple[str | os.PathLike[str], str | bytes]]) -> None:
    """Write ``(path, data)`` files that belong together (line-parallel texts): all or none.

    Every file is written to a temporary file first; they are renamed to their names only when
    all are written. Should a rename still fail, the files of the set already renamed are
    removed too: a reader could not tell a half-renamed set (new lines in one language, old in
    another) from a good one, and line-parallel files that disagree are silently wrong.
    InputError when a folder is missing or not writable; no temporary file is left behind.
    """
    staged: list[tuple[Path, Path, str]] = []  # (temporary, target, name as given)
    try:
        for path, data in files:
            staged.append((*_stage(Path(path), data, str(path)), str(path)))
    except BaseException:
        for tmp, _target, _name in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    renamed: list[Path] = []
    for k, (tmp, target, name) in enumerate(staged):
        try:
            os.replace(tmp, target)
        except OSError as exc:
            for path in [t for t, _, _ in staged[k:]] + renamed:
                with contextlib.suppress(OSError):
                    os.unlink(path)
            raise InputError(f"{name}: cannot write ({exc.strerror or exc})") from None
        renamed.append(target)


def _stage(target: Path, data: str | bytes, name: str) -> tuple[Path, Path]:
    """``data`` written to a new temporary file beside ``target``: (temporary, target)."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{name}: folder {folder} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = _create_temp(folder)
    except OSError as exc:
        raise InputError(f"{name}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"{name}: cannot write ({exc.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp, target
