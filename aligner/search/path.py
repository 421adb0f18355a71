"""The search's result: the best path read back from the programme's back-pointers, as steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from aligner.arrays import IntArray
from aligner.band import Band
from aligner.search.programme import CostFunction, _checked_costs, _Layout
from aligner.types import Shape


@dataclass(frozen=True)
class Step:
    """One bead of the best path: it covers ``src[i0:i1]`` and ``tgt[j0:j1]``."""

    i0: int
    i1: int
    j0: int
    j1: int
    cost: float

    def __post_init__(self) -> None:
        if not (0 <= self.i0 <= self.i1 and 0 <= self.j0 <= self.j1):
            raise ValueError(f"bad step [{self.i0}:{self.i1}] x [{self.j0}:{self.j1}]")
        if self.i0 == self.i1 and self.j0 == self.j1:
            raise ValueError("a step must cover at least one sentence")

    @cached_property
    def shape(self) -> Shape:
        """``(source sentences, target sentences)`` of the bead.

        Cached: the passes over a book's path ask for it some 200,000 times.
        """
        return (self.i1 - self.i0, self.j1 - self.j0)


def step_edges(steps: Sequence[Step]) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """``i0``, ``i1``, ``j0`` and ``j1`` of every step, as arrays (the confidence's inputs read
    them for a whole path at once)."""
    return (
        np.array([s.i0 for s in steps], np.int64),
        np.array([s.i1 for s in steps], np.int64),
        np.array([s.j0 for s in steps], np.int64),
        np.array([s.j1 for s in steps], np.int64),
    )


def _backtrace(band: Band, shapes: tuple[Shape, ...], codes: npt.NDArray[np.int8]) -> list[Shape]:
    # Plain Python ints and bytes: one step per bead, and numpy scalars cost more than a step.
    offsets = _Layout.of(band).offsets.tolist()
    lo = band.lo.tolist()
    code = codes.tobytes()  # codes are 0..126
    i, j = band.n_src, band.n_tgt
    path: list[Shape] = []
    while i > 0 or j > 0:
        a, b = shapes[code[offsets[i] + j - lo[i]]]
        path.append((a, b))
        i -= a
        j -= b
    path.reverse()
    return path


def _ends(path: Sequence[Shape]) -> tuple[IntArray, IntArray]:
    """Row and column of every cell the path visits, starting with (0, 0)."""
    a = np.fromiter((s[0] for s in path), np.int64, len(path))
    b = np.fromiter((s[1] for s in path), np.int64, len(path))
    zero = np.zeros(1, np.int64)
    return np.concatenate([zero, np.cumsum(a)]), np.concatenate([zero, np.cumsum(b)])


def _steps(path: Sequence[Shape], fn: CostFunction) -> tuple[Step, ...]:
    rows, cols = _ends(path)
    kinds = list(dict.fromkeys(path))
    kind_of = np.fromiter((kinds.index(s) for s in path), np.int64, len(path))
    costs = np.zeros(len(path), np.float64)
    for k, shape in enumerate(kinds):
        sel = np.flatnonzero(kind_of == k)
        costs[sel] = _checked_costs(fn, shape, rows[sel + 1], cols[sel + 1])
    r, c = rows.tolist(), cols.tolist()
    return tuple(
        Step(i0, i1, j0, j1, cost)
        for i0, i1, j0, j1, cost in zip(r, r[1:], c, c[1:], costs.tolist(), strict=False)
    )
