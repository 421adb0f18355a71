"""Writing output files atomically: a run that fails half-way never leaves a partial file or set.

What the output path names is never destroyed: a symbolic link is followed (the file it points
to is replaced, the link stays), and a device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO)
is written into, not renamed over. A SIGTERM while files are being written removes the
temporary ones before the process ends.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import stat
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from aligner.errors import InputError, UsageError

__all__ = ["check_not_inputs", "write_atomic", "write_atomic_files"]

#: Attempts at a fresh temporary name before giving up (names are 64 random bits: a clash is
#: a stale file from a killed run, not chance).
_TEMP_NAME_TRIES = 8
#: Exit status after a SIGTERM (128 + the signal's number, as a shell reports it).
_SIGTERM_STATUS = 128 + signal.SIGTERM


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
    """Whether ``a`` and ``b`` are one file; ``-`` is standard input (``-o fr.txt < fr.txt``)."""
    try:
        if str(b) == "-":
            if not sys.stdin or sys.stdin.closed:
                return False
            return os.path.samestat(os.stat(a), os.fstat(sys.stdin.fileno()))
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one does not exist (yet), or stdin has no file: not the same
        return False


def _is_special(path: Path) -> bool:
    """Whether ``path`` exists and is no regular file (a device, a FIFO, a socket)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _target(path: Path) -> Path:
    """Where writing ``path`` goes: the file a symbolic link points to, else ``path``."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextlib.contextmanager
def _cleanup_on_sigterm() -> Iterator[None]:
    """While temporary files exist, a SIGTERM raises SystemExit so that they are removed.

    Only the main thread can set a signal handler; elsewhere (a worker's thread) nothing
    changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(_SIGTERM_STATUS)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _write_through(path: Path, payload: bytes, name: str) -> None:
    """Write into a device or a pipe as it is (a rename would replace it with a file)."""
    try:
        with open(path, "wb") as handle:
            handle.write(payload)
    except OSError as exc:
        raise InputError(f"{name}: cannot write ({exc.strerror or exc})") from None


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
    with _cleanup_on_sigterm():
        _write_files(files)


def _write_files(files: Sequence[tuple[str | os.PathLike[str], str | bytes]]) -> None:
    staged: list[tuple[Path, Path, str]] = []  # (temporary, target, name as given)
    try:
        through = [(Path(p), d, str(p)) for p, d in files if _is_special(Path(p))]
        for path, data in files:
            if not _is_special(Path(path)):
                staged.append((*_stage(_target(Path(path)), data, str(path)), str(path)))
        for special, data, name in through:
            _write_through(special, data.encode("utf-8") if isinstance(data, str) else data, name)
    except BaseException:
        for tmp, _target_path, _name in staged:
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
