"""The write stage: one registry of output formats, by name and by file extension.

Every format is a :class:`Format` here and nowhere else: the command line takes its choices,
corpus mode its file extensions, and :func:`write`, :func:`write_bytes` and :func:`save` their
writers from :data:`FORMATS`. Writers live in :mod:`aligner.output.writers` (text formats),
:mod:`aligner.output.html` (the page), :mod:`aligner.output.xlsx` and
:mod:`aligner.output.epub` (binary) and :mod:`aligner.output.lines` (a file per language).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Literal

from aligner.errors import UsageError
from aligner.multi import MultiAlignment, merge
from aligner.output import writers
from aligner.types import Alignment

__all__ = [
    "FORMATS",
    "Format",
    "FormatName",
    "Saved",
    "WriteOptions",
    "format_for_path",
    "output_paths",
    "save",
    "write",
    "write_bytes",
]

#: The names of the output formats (:data:`FORMATS`). Where a function takes one, a file name
#: with a known extension (``"out.tsv"``) names its format too.
FormatName = Literal["html", "tsv", "jsonl", "tmx", "beads", "xlsx", "epub", "lines"]

#: What a writer returns: a text, a binary file's bytes, or the texts of several files by key
#: (``PREFIX.<key>``).
Payload = str | bytes | dict[str, str]


@dataclass(frozen=True)
class WriteOptions:
    """What writers may use besides the alignment; each format reads the fields it knows.

    ``min_confidence``: beads (rows) under it are left out (the page and the book keep them).
    ``titles``: the page's column titles, one per text, original first. ``header``: TSV's
    line of column names. ``title``, ``chapters`` (original sentences opening a chapter) and
    ``headings`` (original sentence, level): the EPUB book's (when not given, those the
    alignment carries). ``keep_partial``: line-parallel files keep the beads with an empty side
    as empty lines.
    """

    min_confidence: float = 0.0
    titles: tuple[str, ...] | None = None
    header: bool = False
    title: str | None = None
    chapters: tuple[int, ...] = ()
    headings: tuple[tuple[int, int], ...] = ()
    keep_partial: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_confidence <= 1.0:
            raise UsageError(f"min_confidence must be between 0 and 1, got {self.min_confidence}")


@dataclass(frozen=True)
class Format:
    """An output format: its name, file extensions (the first is written), and writers.

    ``one`` writes one translation's alignment; ``rows`` writes the merged rows of several
    translations, or is None for formats that hold one translation only. A text format's
    writers return ``str``; a ``binary`` one's ``bytes``; a ``multifile`` one's a text per
    key, each written to ``PREFIX.<key>`` (such a format has no extension of its own).
    """

    name: str
    extensions: tuple[str, ...]
    summary: str
    one: Callable[[Alignment, WriteOptions], Payload]
    rows: Callable[[MultiAlignment, WriteOptions], Payload] | None
    binary: bool = False
    multifile: bool = False

    @property
    def extension(self) -> str:
        """The extension given to files written in this format ("" for a multi-file one)."""
        return self.extensions[0] if self.extensions else ""

    @property
    def several(self) -> bool:
        """True when the format holds several translations."""
        return self.rows is not None


# --- adapters from the registry's (alignment, options) to each writer's parameters ---------


def _html_rows(multi: MultiAlignment, options: WriteOptions) -> str:
    from aligner.output.html import render_html

    return render_html(multi, titles=options.titles, min_confidence=options.min_confidence)


def _html_one(alignment: Alignment, options: WriteOptions) -> str:
    return _html_rows(merge([alignment]), options)


def _tsv(alignment: Alignment, options: WriteOptions) -> str:
    return writers.write_tsv(alignment, options.min_confidence, header=options.header)


def _tsv_rows(multi: MultiAlignment, options: WriteOptions) -> str:
    return writers.write_tsv_rows(multi, options.min_confidence, header=options.header)


def _jsonl(alignment: Alignment, options: WriteOptions) -> str:
    return writers.write_jsonl(alignment, options.min_confidence)


def _jsonl_rows(multi: MultiAlignment, options: WriteOptions) -> str:
    return writers.write_jsonl_rows(multi, options.min_confidence)


def _tmx(alignment: Alignment, options: WriteOptions) -> str:
    return writers.write_tmx(alignment, options.min_confidence)


def _tmx_rows(multi: MultiAlignment, options: WriteOptions) -> str:
    return writers.write_tmx_rows(multi, options.min_confidence)


def _beads(alignment: Alignment, options: WriteOptions) -> str:
    return writers.write_beads(alignment, options.min_confidence)


def _xlsx(alignment: Alignment | MultiAlignment, options: WriteOptions) -> bytes:
    from aligner.output.xlsx import write_xlsx

    return write_xlsx(alignment, min_confidence=options.min_confidence)


def _epub(alignment: Alignment | MultiAlignment, options: WriteOptions) -> bytes:
    from aligner.output.epub import write_epub

    chapters, headings = options.chapters, options.headings
    if not chapters and not headings:
        first = alignment if isinstance(alignment, Alignment) else alignment.translations[0]
        chapters, headings = first.src_chapters, first.src_headings
    return write_epub(alignment, title=options.title, chapters=chapters, headings=dict(headings))


def _lines(alignment: Alignment | MultiAlignment, options: WriteOptions) -> dict[str, str]:
    from aligner.output.lines import write_lines

    return write_lines(
        alignment, keep_partial=options.keep_partial, min_confidence=options.min_confidence
    )


#: Every output format, by name.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", (".html", ".htm"), "side-by-side page", _html_one, _html_rows),
        Format(
            "tsv",
            (".tsv",),
            "source text, target texts, scores, source ids, target ids (header with --header)",
            _tsv,
            _tsv_rows,
        ),
        Format(
            "jsonl",
            (".jsonl",),
            "a signature line, then one object per bead or row",
            _jsonl,
            _jsonl_rows,
        ),
        Format(
            "tmx",
            (".tmx",),
            "TMX 1.4b, one unit per bead or row with two languages or more",
            _tmx,
            _tmx_rows,
        ),
        Format("beads", (".txt",), "[i]:[j]:score lines, one translation only", _beads, None),
        Format(
            "xlsx",
            (".xlsx",),
            "spreadsheet, a row per bead or row, a column per language",
            _xlsx,
            _xlsx,
            binary=True,
        ),
        Format(
            "epub",
            (".epub",),
            "bilingual book, each paragraph of the original followed by its translations",
            _epub,
            _epub,
            binary=True,
        ),
        Format(
            "lines",
            (),
            "PREFIX.<lang> files, one bead or row a line, line-parallel (for MT training)",
            _lines,
            _lines,
            multifile=True,
        ),
    )
}


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The format whose extension ``path`` has (case-insensitive), or None."""
    suffix = PurePath(os.fspath(path)).suffix.lower()
    return next((f.name for f in FORMATS.values() if suffix in f.extensions), None)


def _format(fmt: FormatName | str | os.PathLike[str]) -> Format:
    """The format named ``fmt``, or the one a file name's extension gives."""
    if isinstance(fmt, str) and fmt in FORMATS:
        return FORMATS[fmt]
    if isinstance(fmt, (str, os.PathLike)):
        by_name = format_for_path(fmt)
        if by_name is not None:
            return FORMATS[by_name]
    extensions = ", ".join(e for f in FORMATS.values() for e in f.extensions)
    raise UsageError(
        f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}, "
        f"or a file name ending in {extensions}"
    )


def _render(alignment: Alignment | MultiAlignment, spec: Format, options: WriteOptions) -> Payload:
    """The format's writer applied: one translation's, or the merged rows' of several."""
    if isinstance(alignment, MultiAlignment) and len(alignment.translations) == 1:
        alignment = alignment.translations[0]
    if isinstance(alignment, Alignment):
        return spec.one(alignment, options)
    if spec.rows is None:
        several = [f.name for f in FORMATS.values() if f.several]
        raise UsageError(
            f"the {spec.name} format holds one translation; give one translation, "
            f"or choose one of {', '.join(several)}"
        )
    return spec.rows(alignment, options)


def write(
    alignment: Alignment | MultiAlignment,
    fmt: FormatName | str,
    *,
    titles: Sequence[str] | None = None,
    min_confidence: float = 0.0,
    header: bool = False,
) -> str:
    """The whole document of ``alignment`` in the text format ``fmt``.

    ``titles`` (one per text, original first) name the columns of the HTML page; ``header``
    puts a line of column names first in TSV; the other formats ignore them. A
    :class:`MultiAlignment` with one translation is written like that translation's
    alignment. Beads (rows) with a confidence under ``min_confidence`` are left out of every
    format but the page, which keeps them flagged; the JSON Lines summary says how many were
    left out. ``fmt`` may also be a file name whose extension names the format.

    Raises:
        UsageError: an unknown format, a binary format (use :func:`write_bytes`) or a
            multi-file one (use :func:`save`).
    """
    spec = _format(fmt)
    if spec.binary:
        raise UsageError(f"the {spec.name} format is binary: write it with write_bytes() or save()")
    if spec.multifile:
        raise UsageError(
            f"the {spec.name} format writes one file per language: write it with save()"
        )
    options = WriteOptions(min_confidence, None if titles is None else tuple(titles), header)
    payload = _render(alignment, spec, options)
    if not isinstance(payload, str):
        raise TypeError(f"the {spec.name} writer returned {type(payload).__name__}, not str")
    return payload


def write_bytes(
    alignment: Alignment | MultiAlignment,
    fmt: FormatName | str,
    *,
    titles: Sequence[str] | None = None,
    min_confidence: float = 0.0,
    header: bool = False,
    title: str | None = None,
    chapters: Sequence[int] = (),
    headings: Mapping[int, int] | None = None,
) -> bytes:
    """The file of ``alignment`` in any single-file format ``fmt``, as bytes (text as UTF-8).

    ``title``, ``chapters`` (indices of the original's sentences that open a chapter) and
    ``headings`` (original sentence index -> level 1-6) make the EPUB book's title and table
    of contents (see :func:`aligner.features.structure.sentence_structure`); the other options
    are :func:`write`'s. The EPUB, like the page, keeps the beads under ``min_confidence``: a
    book with sentences missing is no use to a reader. Without ``chapters`` and ``headings``
    the book takes those the alignment carries (:func:`aligner.align_documents` keeps the
    original's).

    Raises:
        UsageError: an unknown or multi-file format.
    """
    spec = _format(fmt)
    if spec.multifile:
        raise UsageError(
            f"the {spec.name} format writes one file per language: write it with save()"
        )
    options = _options(titles, min_confidence, header, title, chapters, headings)
    payload = _render(alignment, spec, options)
    if isinstance(payload, dict):
        raise TypeError(f"the {spec.name} writer returned several files")
    return payload.encode("utf-8") if isinstance(payload, str) else payload


def _options(
    titles: Sequence[str] | None,
    min_confidence: float,
    header: bool,
    title: str | None,
    chapters: Sequence[int],
    headings: Mapping[int, int] | None,
) -> WriteOptions:
    return WriteOptions(
        min_confidence,
        None if titles is None else tuple(titles),
        header,
        title,
        tuple(chapters),
        tuple(sorted((headings or {}).items())),
    )


def output_paths(
    fmt: FormatName | str, path: str | os.PathLike[str], keys: Sequence[str]
) -> list[Path]:
    """Where :func:`save` writes: ``path`` itself, or ``path.<key>`` for each key of a
    multi-file format (``keys`` as :func:`aligner.output.lines.file_keys` gives them)."""
    if not _format(fmt).multifile:
        return [Path(path)]
    return [Path(f"{os.fspath(path)}.{key}") for key in keys]


@dataclass(frozen=True)
class Saved:
    """What :func:`save` wrote: the files, in order, and their size in bytes."""

    paths: tuple[Path, ...]
    size: int


def save(
    alignment: Alignment | MultiAlignment,
    fmt: FormatName | str | os.PathLike[str],
    path: str | os.PathLike[str] | None = None,
    *,
    titles: Sequence[str] | None = None,
    min_confidence: float = 0.0,
    header: bool = False,
    title: str | None = None,
    chapters: Sequence[int] = (),
    headings: Mapping[int, int] | None = None,
    inputs: Sequence[str | os.PathLike[str]] = (),
    keep_partial: bool = False,
) -> Saved:
    """Write ``alignment`` in format ``fmt`` to ``path``, atomically: all of it or nothing.

    A multi-file format (``lines``) takes ``path`` as a prefix and writes ``path.<key>``
    per text (original first), renaming them only when all are written. With ``path`` left
    out, ``fmt`` is the file to write and its extension names the format
    (``save(alignment, "fr-en.tmx")``). The options are :func:`write_bytes`'s;
    ``keep_partial``: the ``lines`` files keep beads with an empty side as empty lines.

    Raises:
        UsageError: an unknown format, or a file that would replace one of ``inputs`` (before
            anything is written).
        InputError: a file that cannot be written.
    """
    from aligner.output.files import check_not_inputs, write_atomic_files

    if path is None:
        path = fmt
    spec = _format(fmt)
    fmt = spec.name
    options = replace(
        _options(titles, min_confidence, header, title, chapters, headings),
        keep_partial=keep_partial,
    )
    payload = _render(alignment, spec, options)
    if isinstance(payload, dict):
        paths = output_paths(fmt, path, list(payload))
        files = [(p, text.encode("utf-8")) for p, text in zip(paths, payload.values(), strict=True)]
    else:
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        files = [(Path(path), data)]
    check_not_inputs([p for p, _ in files], inputs)
    write_atomic_files(files)
    return Saved(tuple(p for p, _ in files), sum(len(d) for _, d in files))
