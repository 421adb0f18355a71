"""The input side of corpus mode: a manifest's document pairs and the output name of each pair.

A manifest lists one pair a line, ``source<TAB>target[<TAB>src_lang<TAB>tgt_lang]``, with paths
relative to the manifest's folder. Each pair gets an output file name of its own in the run's
output folder, next to the run's summary and journal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import AlignerError, InputError, UsageError

#: The summary of a run, one JSON record per manifest pair, in manifest order.
SUMMARY_NAME = "summary.jsonl"
#: The journal of the run in progress: one record appended per finished pair.
JOURNAL_NAME = SUMMARY_NAME + ".partial"
#: The run's work folder in the output folder: the corpus lexicons (kept for re-runs) and,
#: during a run, each learning pair's documents and first pass (in :data:`FIRST_PASS_FOLDER`).
WORK_NAME = ".aligner"
FIRST_PASS_FOLDER = "first-pass"
#: Longest base of an output name, in UTF-8 bytes: file systems take 255, and the ``-N``
#: suffix, the extension and the atomic writer's temporary name need the rest.
MAX_BASE_BYTES = 200
# Characters kept in output names; anything else (spaces, quotes, shell metacharacters) is "_".
_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True, init=False)
class DocumentPair:
    """One line of a manifest: a source file, its translation, and their languages if known.

    The paths may be given as strings or any path-like object; they are kept as ``Path``.
    """

    source: Path
    target: Path
    src_lang: str | None = None
    tgt_lang: str | None = None
    line: int | None = None

    def __init__(
        self,
        source: str | os.PathLike[str],
        target: str | os.PathLike[str],
        src_lang: str | None = None,
        tgt_lang: str | None = None,
        line: int | None = None,
    ) -> None:
        # Written out rather than generated so that a type checker accepts plain strings.
        object.__setattr__(self, "source", Path(source))
        object.__setattr__(self, "target", Path(target))
        object.__setattr__(self, "src_lang", src_lang)
        object.__setattr__(self, "tgt_lang", tgt_lang)
        object.__setattr__(self, "line", line)
        if line is not None and line < 1:
            raise UsageError(f"manifest line numbers start at 1, got {line}")


# --- the manifest -------------------------------------------------------------------------


def parse_manifest(text: str, base: Path, name: str = "manifest") -> tuple[DocumentPair, ...]:
    """Read manifest lines ``source<TAB>target[<TAB>src_lang<TAB>tgt_lang]``.

    Paths are relative to ``base`` (absolute paths stay as they are); blank lines and lines
    starting with ``#`` are skipped. A bad line raises InputError naming its line number.
    """
    pairs: list[DocumentPair] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in raw.split("\t")]
        where = f"{name}, line {number}"
        if len(fields) not in (2, 4):
            raise InputError(
                f"{where}: expected 2 or 4 tab-separated fields "
                f"(source, target[, source language, target language]), got {len(fields)}"
            )
        if not all(fields):
            raise InputError(f"{where}: empty field")
        src_lang, tgt_lang = (fields[2], fields[3]) if len(fields) == 4 else (None, None)
        for lang in (src_lang, tgt_lang):
            if lang is not None:
                known_language(lang, where)
        pairs.append(
            DocumentPair(base / fields[0], base / fields[1], src_lang, tgt_lang, line=number)
        )
    if not pairs:
        raise InputError(f"{name}: no pairs (every line is blank or a comment)")
    return tuple(pairs)


def read_manifest(
    path: str | os.PathLike[str], encoding: str | None = None
) -> tuple[DocumentPair, ...]:
    """Read a manifest file; its paths are relative to the folder that holds it."""
    from aligner.readers.text import read_text

    manifest = Path(path)
    return parse_manifest(read_text(manifest, encoding), manifest.absolute().parent, str(path))


def known_language(lang: str, where: str) -> str:
    """The language code as the segmenter knows it; InputError naming ``where`` if unknown."""
    from aligner.segmentation.sentences import check_language

    try:
        return str(check_language(lang))
    except AlignerError as exc:
        raise InputError(f"{where}: {exc}") from None


# --- output names -------------------------------------------------------------------------


def _base_name(pair: DocumentPair) -> str:
    """``Emma`` for Emma.fr/Emma.en, ``fr-en`` for fr.txt/en.txt: the pair's name, file-safe.

    Cut to :data:`MAX_BASE_BYTES` of UTF-8 (at a character boundary), so that two long input
    names still make an output name the file system takes.
    """
    src, tgt = pair.source.stem, pair.target.stem
    name = src if src.casefold() == tgt.casefold() else f"{src}-{tgt}"
    name = _UNSAFE_NAME.sub("_", name).strip("._")
    name = name.encode("utf-8")[:MAX_BASE_BYTES].decode("utf-8", errors="ignore")
    return name.strip("._") or "pair"


def output_names(pairs: Sequence[DocumentPair], ext: str) -> tuple[str, ...]:
    """One distinct output file name per pair, in order.

    A name that is taken (compared without case, for case-insensitive file systems) gets
    ``-2``, ``-3``, … in manifest order, so the same manifest always gives the same names. The
    summary's own names are never used.
    """
    taken = {SUMMARY_NAME.casefold(), JOURNAL_NAME.casefold()}
    names: list[str] = []
    for pair in pairs:
        base = _base_name(pair)
        name, k = f"{base}{ext}", 2
        while name.casefold() in taken:
            name, k = f"{base}-{k}{ext}", k + 1
        taken.add(name.casefold())
        names.append(name)
    return tuple(names)
