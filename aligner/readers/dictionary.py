"""Reading a user's bilingual word list: ``source word<TAB>target word`` per line."""

from __future__ import annotations

import os

from aligner.errors import InputError
from aligner.readers.text import read_text

__all__ = ["parse_dictionary", "read_dictionary"]


def parse_dictionary(text: str, name: str) -> tuple[tuple[str, str], ...]:
    """The word pairs of a TSV text; blank and ``#`` lines are skipped.

    A line that is not two non-empty fields raises InputError naming ``name`` and the line.
    """
    out: list[tuple[str, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise InputError(
                f"{name}:{lineno}: expected 'source word<TAB>target word', got {line!r}"
            )
        out.append((parts[0].strip(), parts[1].strip()))
    return tuple(out)


def read_dictionary(path: str | os.PathLike[str]) -> tuple[tuple[str, str], ...]:
    """The word pairs of the TSV file at ``path`` (see :func:`parse_dictionary`)."""
    return parse_dictionary(read_text(path), os.fspath(path))
