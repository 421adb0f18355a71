"""The write stage: one registry of output formats, by name and by file extension.

Every format is a :class:`Format` here and nowhere else: the command line takes its choices,
corpus mode its file extensions, and :func:`write` its writers from :data:`FORMATS`. Writers
live in :mod:`aligner.output.writers` (text formats) and :mod:`aligner.output.html` (the page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from aligner.errors import UsageError
from aligner.multi import MultiAlignment, merge
from aligner.output import writers
from aligner.types import Alignment

__all__ = ["FORMATS", "Format", "format_for_path", "write"]


@dataclass(frozen=True)
class Format:
    """An output format: its name, file extensions (the first is written), and writers.

    ``one`` writes one translation's alignment; ``rows`` writes the merged rows of several
    translations, or is None for formats that hold one translation only. Both take a
    ``min_confidence`` under which beads (rows) are left out; the page keeps them, flagged.
    """

    name: str
    extensions: tuple[str, ...]
    summary: str
    one: Callable[[Alignment, float], str]
    rows: Callable[[MultiAlignment, float], str] | None

    @property
    def extension(self) -> str:
        """The extension given to files written in this format."""
        return self.extensions[0]


def _html_rows(
    multi: MultiAlignment, min_confidence: float = 0.0, titles: Sequence[str] | None = None
) -> str:
    from aligner.output.html import render_html

    return render_html(multi, titles=titles, min_confidence=min_confidence)


def _html_one(alignment: Alignment, min_confidence: float = 0.0) -> str:
    return _html_rows(merge([alignment]), min_confidence)


#: Every output format, by name.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "html",
            (".html", ".htm"),
            "side-by-side page",
            _html_one,
            _html_rows,
        ),
        Format(
            "tsv",
            (".tsv",),
            "no header: source text, target texts, scores, source ids, target ids",
            writers.write_tsv,
            writers.write_tsv_rows,
        ),
        Format(
            "jsonl",
            (".jsonl",),
            "a signature line, then one object per bead or row",
            writers.write_jsonl,
            writers.write_jsonl_rows,
        ),
        Format(
            "tmx",
            (".tmx",),
            "TMX 1.4b, one unit per bead or row with two languages or more",
            writers.write_tmx,
            writers.write_tmx_rows,
        ),
        Format(
            "beads",
            (".txt",),
            "[i]:[j]:score lines, one translation only",
            writers.write_beads,
            None,
        ),
    )
}


def format_for_path(path: str | PurePath) -> str | None:
    """The format whose extension ``path`` has (case-insensitive), or None."""
    suffix = PurePath(path).suffix.lower()
    return next((f.name for f in FORMATS.values() if suffix in f.extensions), None)


def _format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


def write(
    alignment: Alignment | MultiAlignment,
    fmt: str,
    *,
    titles: Sequence[str] | None = None,
    min_confidence: float = 0.0,
) -> str:
    """The whole document of ``alignment`` in format ``fmt``.

    ``titles`` (one per text, original first) name the columns of the HTML page; the other
    formats ignore them. A :class:`MultiAlignment` with one translation is written like that
    translation's alignment. Beads (rows) with a confidence under ``min_confidence`` are left
    out of every format but the page, which keeps them flagged; the JSON Lines summary says
    how many were left out.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise UsageError(f"min_confidence must be between 0 and 1, got {min_confidence}")
    spec = _format(fmt)
    if isinstance(alignment, MultiAlignment) and len(alignment.translations) == 1:
        alignment = alignment.translations[0]
    if spec.name == "html":
        multi = alignment if isinstance(alignment, MultiAlignment) else merge([alignment])
        return _html_rows(multi, min_confidence, titles)
    if isinstance(alignment, Alignment):
        return spec.one(alignment, min_confidence)
    if spec.rows is None:
        multi_formats = [f.name for f in FORMATS.values() if f.rows is not None]
        raise UsageError(
            f"the {fmt} format holds one translation; give one translation, "
            f"or choose one of {', '.join(multi_formats)}"
        )
    return spec.rows(alignment, min_confidence)
