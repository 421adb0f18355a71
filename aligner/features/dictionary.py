"""Bilingual word lists shipped with the package, loaded lazily for the language pair in use.

The lists live in ``aligner/features/dictionaries`` as gzip TSV files named by the pair in
alphabetical order (``de-fr.tsv.gz``: German word, tab, French word), built from Debian's
FreeDict packages by ``tools/build_dictionaries.py``; each has its sources, attribution and
licence beside it (``de-fr.SOURCE.txt``). A pair may have further lists under other
licences (``fr-ru.pivot.tsv.gz``, composed through third languages), each with its own SOURCE
file: they are read after the pair's own list, into the same index. Entries are folded like the
texts' keys (:func:`aligner.features.tokens.fold`) and indexed by source word, so that a text's
words and lemmas are looked up directly. Only single words are indexed: the aligner's tokens
are words, and a phrase has no one token to stand for it. Nothing is cached here:
:class:`aligner.resources.Resources` holds the indices a caller uses, for as long as it says.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Mapping
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

from aligner.features.tokens import fold

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

#: Folder of the shipped lists, inside the ``aligner`` package.
DATA_PATH = ("features", "dictionaries")

#: Lines of a shipped file folded in one call: one call per line would cost a Python call per
#: word, one for the whole file a list of all its characters (:func:`fold` joins them), 20 MB
#: for de-fr; at 4,096 lines (about 100 KB) a call, neither cost shows.
FOLD_LINES = 4096

#: A dictionary as the aligner uses it: folded source word → folded target words.
Index = Mapping[str, tuple[str, ...]]


def base_language(lang: str) -> str:
    """``fr`` for ``fr``, ``FR``, ``fr-CA`` or ``fr_FR``: the files are named by ISO 639-1."""
    return lang.strip().lower().replace("_", "-").split("-")[0]


def _data_file(name: str) -> Traversable:
    folder = resources.files("aligner")
    for part in DATA_PATH:
        folder = folder / part
    return folder / name


def _lists() -> list[str]:
    """The shipped list files' names (``de-fr.tsv.gz``, ``fr-ru.pivot.tsv.gz``, …), sorted."""
    folder = _data_file("")
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tsv.gz"))


def available_pairs() -> tuple[str, ...]:
    """The shipped pairs, as file stems (``de-fr``, ``en-fr``, …)."""
    return tuple(sorted({name.split(".")[0] for name in _lists()}))


def pair_files(stem: str) -> list[str]:
    """The files of pair ``stem``: its own list first, then the further ones by name."""
    own = f"{stem}.tsv.gz"
    names = _lists()
    extra = [n for n in names if n.startswith(f"{stem}.") and n != own]
    return ([own] if own in names else []) + extra


def index_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """An index of (source word, target word) pairs, folded; multi-word entries left out."""
    out: dict[str, dict[str, None]] = {}
    for s, t in pairs:
        fs, ft = fold(s.strip()), fold(t.strip())
        if fs and ft and " " not in fs and " " not in ft:
            out.setdefault(fs, {})[ft] = None
    return {k: tuple(v) for k, v in out.items()}


def _index_file(stem: str, swap: bool) -> dict[str, tuple[str, ...]]:
    """The index of one shipped pair's files: first language → second, or the reverse with
    ``swap``; a word's translations from the pair's own list come first.

    Built straight from the file's lines, without a list of all its pairs, so only the index of
    the direction in use stays in memory; lines are folded :data:`FOLD_LINES` at a time. Measured
    with tracemalloc, retained / peak: fr-ru 2.4 / 7.0 MB (the pairs and index kept before,
    4.5 / 8.1 MB), de-fr 9.5 / 26.8 MB (19.1 / 43.0 MB); with fr-ru's pivot list, read on
    another machine, fr-ru 3.2 / 8.0 → 4.0 / 9.5 MB (benchmarks/RESULTS.md, round twelve).
    """
    out: dict[str, list[str]] = {}
    # One string object per distinct translation, however many headwords share it.
    words: dict[str, str] = {}
    for name in pair_files(stem):
        raw = gzip.decompress(_data_file(name).read_bytes()).decode("utf-8")
        lines = raw.splitlines()
        del raw
        for first in range(0, len(lines), FOLD_LINES):
            for line in fold("\n".join(lines[first : first + FOLD_LINES])).split("\n"):
                a, _, b = line.partition("\t")
                if a and b and " " not in a and " " not in b:
                    s, t = (b, a) if swap else (a, b)
                    found = out.setdefault(s, [])
                    if t not in found:
                        found.append(words.setdefault(t, t))
    return {k: tuple(v) for k, v in out.items()}


def shipped(src_lang: str, tgt_lang: str) -> Index:
    """The shipped dictionary from ``src_lang`` to ``tgt_lang`` (empty when none is shipped),
    read from its file on each call: :class:`aligner.resources.Resources` keeps it for as long
    as its owner says."""
    src, tgt = base_language(src_lang), base_language(tgt_lang)
    if src == tgt:
        return MappingProxyType({})
    stem = "-".join(sorted((src, tgt)))
    if stem not in available_pairs():
        return MappingProxyType({})
    return MappingProxyType(_index_file(stem, swap=src > tgt))
