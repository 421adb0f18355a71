"""Several translations of one original: their alignments merged into rows on the original.

Each translation is aligned to the original on its own; :func:`merge` then cuts the original
into rows so that every translation's bead falls inside one row. Where translations group the
original differently, the row is the union of the overlapping source spans (the smallest
grouping all of them agree with), so no sentence is repeated or lost. A translation's sentences
aligned to no original sentence (0-1 beads) get rows of their own at their position when the
other translations allow a cut there, else they join the row around them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aligner.errors import UsageError
from aligner.types import Alignment

__all__ = ["MergedRow", "MultiAlignment", "merge", "paragraph_starts"]


@dataclass(frozen=True)
class MergedRow:
    """One row: consecutive original sentences and, per translation, the sentences beside them.

    ``tgt[t]`` are translation ``t``'s sentence indices (possibly empty); ``confidence[t]`` is
    the lowest confidence of translation ``t``'s beads in the row, or None when translation
    ``t`` has no bead here (a row made for another translation's insertion).
    """

    src: tuple[int, ...]
    tgt: tuple[tuple[int, ...], ...]
    confidence: tuple[float | None, ...]

    def __post_init__(self) -> None:
        if len(self.tgt) != len(self.confidence):
            raise UsageError(f"{len(self.tgt)} target sides but {len(self.confidence)} scores")
        if not self.src and not any(self.tgt):
            raise UsageError("a row needs at least one sentence")
        for c in self.confidence:
            if c is not None and not 0.0 <= c <= 1.0:
                raise UsageError(f"confidence {c} is outside [0, 1]")

    @property
    def min_confidence(self) -> float:
        """The lowest confidence over the translations that have a bead in this row."""
        known = [c for c in self.confidence if c is not None]
        return min(known) if known else 1.0


@dataclass(frozen=True)
class MultiAlignment:
    """An original, its alignments with each translation, and the merged rows."""

    translations: tuple[Alignment, ...]
    rows: tuple[MergedRow, ...]

    def __post_init__(self) -> None:
        if not self.translations:
            raise UsageError("a merged alignment needs at least one translation")
        first = self.translations[0]
        for k, a in enumerate(self.translations[1:], 1):
            if a.src != first.src:
                raise UsageError(f"translation {k} is aligned to a different original")
        _check_rows(self.rows, self.translations)

    @property
    def src(self) -> tuple[str, ...]:
        """The original's sentences."""
        return self.translations[0].src

    @property
    def src_lang(self) -> str:
        """The original's language code."""
        return self.translations[0].src_lang

    @property
    def src_paragraphs(self) -> tuple[int, ...]:
        """Paragraph index of each original sentence (empty when unknown)."""
        return self.translations[0].src_paragraphs


def _check_rows(rows: Sequence[MergedRow], translations: Sequence[Alignment]) -> None:
    """Raise ValueError unless the rows cover every text's sentences once, in order."""
    n = len(translations)
    next_src = 0
    next_tgt = [0] * n
    for k, row in enumerate(rows):
        if len(row.tgt) != n:
            raise UsageError(f"row {k} has {len(row.tgt)} target sides for {n} translations")
        if row.src and row.src != tuple(range(next_src, next_src + len(row.src))):
            raise UsageError(f"row {k} source {row.src} does not continue at {next_src}")
        next_src += len(row.src)
        for t, ids in enumerate(row.tgt):
            if ids and ids != tuple(range(next_tgt[t], next_tgt[t] + len(ids))):
                raise UsageError(f"row {k} translation {t} does not continue at {next_tgt[t]}")
            next_tgt[t] += len(ids)
    expected = [len(a.tgt) for a in translations]
    if next_src != len(translations[0].src) or next_tgt != expected:
        raise UsageError("the rows do not cover every sentence of every text")


def _cuts(alignments: Sequence[Alignment], n_src: int) -> list[bool]:
    """``cut[i]``: may a row start at original sentence ``i`` (no bead spans ``i-1``, ``i``)?"""
    cut = [True] * (n_src + 1)
    for a in alignments:
        for bead in a.beads:
            for i in bead.src[1:]:
                cut[i] = False
    return cut


def _row_of(cut: Sequence[bool]) -> list[int]:
    """Row index of each original sentence, given where rows may start."""
    row_of: list[int] = []
    row = -1
    for i in range(len(cut) - 1):
        if cut[i]:
            row += 1
        row_of.append(row)
    return row_of


# A slot orders rows: (position in the original, 0 for insertion rows before it / 1 for the
# source row starting there, rank of the insertion at that position).
_Slot = tuple[int, int, int]


def _slots_of(
    a: Alignment, cut: Sequence[bool], row_of: Sequence[int], start_of_row: Sequence[int]
) -> list[_Slot]:
    """The slot each bead of ``a`` goes to."""
    slots: list[_Slot] = []
    position, rank = 0, 0
    for bead in a.beads:
        if bead.src:
            slots.append((start_of_row[row_of[bead.src[0]]], 1, 0))
            position, rank = bead.src[-1] + 1, 0
        elif cut[position]:
            slots.append((position, 0, rank))
            rank += 1
        else:
            # Inside a row that another translation keeps whole: the insertion joins it.
            slots.append((start_of_row[row_of[position]], 1, 0))
    return slots


def merge(alignments: Sequence[Alignment]) -> MultiAlignment:
    """Merge alignments of one original with several translations into rows.

    With one translation, the rows are its beads, one for one.

    >>> from aligner.types import Bead
    >>> en = Alignment(("A.", "B."), ("a b.",), (Bead((0, 1), (0,)),), "fr", "en")
    >>> ru = Alignment(("A.", "B."), ("a.", "b."), (Bead((0,), (0,)), Bead((1,), (1,))), "fr", "ru")
    >>> [(r.src, r.tgt) for r in merge([en, ru]).rows]
    [((0, 1), ((0,), (0, 1)))]
    """
    if not alignments:
        raise UsageError("merge needs at least one alignment")
    n_src = len(alignments[0].src)
    for k, a in enumerate(alignments):
        if a.src != alignments[0].src:
            raise UsageError(f"translation {k} is aligned to a different original")
    cut = _cuts(alignments, n_src)
    start_of_row = [i for i in range(n_src) if cut[i]]
    row_of = _row_of(cut)
    n = len(alignments)
    table: dict[_Slot, tuple[list[list[int]], list[list[float]]]] = {}
    for t, a in enumerate(alignments):
        for slot, bead in zip(_slots_of(a, cut, row_of, start_of_row), a.beads, strict=True):
            ids, scores = table.setdefault(slot, ([[] for _ in range(n)], [[] for _ in range(n)]))
            ids[t].extend(bead.tgt)
            scores[t].append(bead.confidence)
    for i in start_of_row:
        table.setdefault((i, 1, 0), ([[] for _ in range(n)], [[] for _ in range(n)]))
    rows: list[MergedRow] = []
    for slot in sorted(table):
        ids, scores = table[slot]
        src: tuple[int, ...] = ()
        if slot[1] == 1:
            k = row_of[slot[0]] + 1
            src = tuple(range(slot[0], start_of_row[k] if k < len(start_of_row) else n_src))
        rows.append(
            MergedRow(
                src=src,
                tgt=tuple(tuple(x) for x in ids),
                confidence=tuple(min(s) if s else None for s in scores),
            )
        )
    return MultiAlignment(translations=tuple(alignments), rows=tuple(rows))


def paragraph_starts(paragraphs: Sequence[int]) -> frozenset[int]:
    """Indices of the sentences that open a paragraph (none when paragraphs are unknown)."""
    if not paragraphs:
        return frozenset()
    return frozenset(i for i, p in enumerate(paragraphs) if i == 0 or p != paragraphs[i - 1])
