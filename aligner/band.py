"""Bands: the cells a search or a lexical join looks at, in the engine's two views of them.

A :class:`Band` is a set of lattice points ``(i, j)`` of the search's programme, boundaries
between sentences: ``0 <= i <= n_src``, so ``n_src + 1`` rows, and row ``i`` keeps the columns
``lo[i] <= j <= hi[i]`` (``hi`` inclusive). A point is where a bead ends.

A :class:`SentenceBand` is a set of sentence pairs ``(i, j)``, what a lexical join fills:
``0 <= i < n_src``, so ``n_src`` rows, row ``i`` keeps the target sentences
``lo[i] <= j < hi[i]`` (``hi`` exclusive), and ``offsets`` lay its cells out flat, row by row.

:meth:`Band.sentence_pairs` turns the first into the second: the sentence pairs that any bead
of up to ``(max_a, max_b)`` sentences ending at a point of the band may cover.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aligner.arrays import IntArray


@dataclass(frozen=True, eq=False)
class Band:
    """The lattice points the programme may visit: row ``i`` keeps the columns ``lo[i]..hi[i]``,
    both included.

    ``lo`` and ``hi`` have ``n_src + 1`` entries, are non-decreasing, ``lo[0] == 0`` and
    ``hi[n_src] == n_tgt``, and ``lo <= hi``.
    """

    lo: IntArray
    hi: IntArray

    def __post_init__(self) -> None:
        lo = np.array(self.lo, dtype=np.int64).ravel()
        hi = np.array(self.hi, dtype=np.int64).ravel()
        if lo.size == 0 or lo.shape != hi.shape:
            raise ValueError(
                f"band needs lo and hi of equal, non-zero length, got {lo.size}, {hi.size}"
            )
        if lo[0] != 0:
            raise ValueError(f"band must start at column 0, lo[0] = {lo[0]}")
        if np.any(lo > hi) or np.any(lo < 0):
            raise ValueError("band needs 0 <= lo <= hi in every row")
        if np.any(np.diff(lo) < 0) or np.any(np.diff(hi) < 0):
            raise ValueError("band edges lo and hi must be non-decreasing")
        lo.setflags(write=False)
        hi.setflags(write=False)
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    @property
    def n_src(self) -> int:
        """Number of source sentences (rows minus one)."""
        return int(self.lo.size - 1)

    @property
    def n_tgt(self) -> int:
        """Number of target sentences (the last row's upper column)."""
        return int(self.hi[-1])

    @property
    def widths(self) -> IntArray:
        """Cells per row."""
        return self.hi - self.lo + 1

    @property
    def cells(self) -> int:
        """Cells in the band."""
        return int(self.widths.sum())

    @property
    def is_full(self) -> bool:
        """True when the band is the whole matrix."""
        return bool(np.all(self.lo == 0) and np.all(self.hi == self.n_tgt))

    def contains(self, i: int, j: int) -> bool:
        """True when cell ``(i, j)`` is in the band."""
        return 0 <= i <= self.n_src and int(self.lo[i]) <= j <= int(self.hi[i])

    def connected(self) -> Band:
        """The band with each row reaching the next row's first column, so a path exists.

        With ``hi[i - 1] >= lo[i]`` a path of ``(0, 1)`` and ``(1, 0)`` beads always runs from
        ``(0, 0)`` to ``(n_src, n_tgt)``; a steep guide (1 sentence against 50,000) needs it.
        """
        hi = self.hi.copy()
        hi[:-1] = np.maximum(hi[:-1], self.lo[1:])
        return self if np.array_equal(hi, self.hi) else Band(self.lo, hi)

    def union(self, other: Band) -> Band:
        """The smallest band holding the cells of both."""
        if other.lo.shape != self.lo.shape or other.n_tgt != self.n_tgt:
            raise ValueError("cannot unite bands of different matrices")
        return Band(np.minimum(self.lo, other.lo), np.maximum(self.hi, other.hi))

    @classmethod
    def full(cls, n_src: int, n_tgt: int) -> Band:
        """The whole ``(n_src + 1) × (n_tgt + 1)`` matrix."""
        _check_sizes(n_src, n_tgt)
        return cls(np.zeros(n_src + 1, np.int64), np.full(n_src + 1, n_tgt, np.int64))

    @classmethod
    def around(cls, guide: npt.ArrayLike, n_tgt: int, width: int) -> Band:
        """Columns ``guide[i] ± width`` in each row, made monotone, clipped and connected."""
        g = np.asarray(guide, dtype=np.float64).ravel()
        if g.size == 0 or not np.all(np.isfinite(g)):
            raise ValueError("guide must be a non-empty array of finite column centres")
        if width < 0 or n_tgt < 0:
            raise ValueError(f"width and n_tgt must be >= 0, got {width}, {n_tgt}")
        # Running maxima make a slightly non-monotone guide usable instead of an error.
        lo = np.maximum.accumulate(np.clip(np.floor(g) - width, 0, n_tgt).astype(np.int64))
        hi = np.maximum.accumulate(np.clip(np.ceil(g) + width, 0, n_tgt).astype(np.int64))
        hi = np.maximum(hi, lo)
        lo[0] = 0
        hi[-1] = n_tgt
        return cls(lo, hi).connected()

    def sentence_pairs(self, max_a: int, max_b: int) -> SentenceBand:
        """Sentence pairs any bead of up to ``(max_a, max_b)`` sentences ending inside the band
        may cover."""
        n = self.n_src
        rows = np.arange(n, dtype=np.int64)
        lo = np.maximum(self.lo[np.minimum(rows + 1, n)] - max_b, 0)
        hi = self.hi[np.minimum(rows + max_a, n)]
        return SentenceBand.of(lo, hi)


@dataclass(frozen=True)
class SentenceBand:
    """Sentence pairs kept per source sentence ``i``: target columns ``lo[i] <= j < hi[i]``.

    ``offsets[i]`` is where row ``i`` starts in flat, row-major storage of its cells.
    """

    lo: IntArray
    hi: IntArray
    offsets: IntArray

    @classmethod
    def of(cls, lo: IntArray, hi: IntArray) -> SentenceBand:
        """A band from its edges; ``hi`` is exclusive."""
        lo = np.asarray(lo, np.int64)
        hi = np.maximum(np.asarray(hi, np.int64), lo)
        offsets = np.zeros(lo.size + 1, np.int64)
        np.cumsum(hi - lo, out=offsets[1:])
        return cls(lo, hi, offsets)

    @property
    def cells(self) -> int:
        """Number of sentence pairs in the band."""
        return int(self.offsets[-1])

    def covers(self, other: SentenceBand) -> bool:
        """True when every cell of ``other`` (a band over the same rows) is in this band."""
        if other.lo.shape != self.lo.shape:
            return False
        empty = other.hi <= other.lo
        inside = (other.lo >= self.lo) & (other.hi <= self.hi)
        return bool(np.all(inside | empty))

    def transpose(self, n_tgt: int) -> SentenceBand:
        """The same cells seen from the target side: rows are target sentences."""
        cols = np.arange(n_tgt, dtype=np.int64)
        # Row i holds column j iff lo[i] <= j < hi[i]; both edges are non-decreasing in i.
        lo = np.searchsorted(self.hi, cols, side="right")
        hi = np.searchsorted(self.lo, cols, side="right")
        return SentenceBand.of(lo, hi)

    def flat(self, i: IntArray, j: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Flat index of cells ``(i, j)`` and whether each is inside the band.

        A cell outside gets its row's first index. In place on one array, with each edge
        gathered once: the bead costs call this a few times per shape on every block of cells.
        """
        cell = j - self.lo[i]
        inside = cell >= 0
        inside &= j < self.hi[i]
        cell *= inside
        cell += self.offsets[i]
        return cell, inside


def _check_sizes(n_src: int, n_tgt: int) -> None:
    if n_src < 0 or n_tgt < 0:
        raise ValueError(f"sentence counts must be >= 0, got {n_src}, {n_tgt}")
