"""Best monotone path of beads through a sentence-pair matrix: a banded, vectorised programme.

:func:`search` runs the rounds: a sweep of the programme over the band
(:mod:`~aligner.search.programme`), the path read back as steps (:mod:`~aligner.search.path`),
and, when the best path runs along an edge of the band, the band widened there
(:mod:`~aligner.search.widening`) and searched again (a bounded number of rounds), so a guide
that is locally wrong costs time, not accuracy. :mod:`~aligner.search.lattice` weighs all the
paths of a band instead of keeping the best. Bands are :mod:`aligner.band`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.arrays import FloatArray, IntArray
from aligner.band import Band, _check_sizes
from aligner.search.path import Step, _backtrace, _steps, step_edges
from aligner.search.programme import (
    BLOCK_CELLS,
    DELETION,
    INSERTION,
    PAD_GROWTH,
    CostFactory,
    CostFunction,
    _Previous,
    _Resume,
    _row_cumsum,
    _sweep,
    first_change,
    normalise_shapes,
)
from aligner.search.widening import (
    MAX_REACH_ROUNDS,
    MAX_WIDEN_GROWTH,
    MAX_WIDEN_ROUNDS,
    MIN_WIDEN_MARGIN,
    WIDEN_FREE_CELLS,
    edge_contacts,
    widen,
)
from aligner.types import Progress, Shape

__all__ = [
    "BLOCK_CELLS",
    "DELETION",
    "FORBIDDEN_PENALTY",
    "INSERTION",
    "MAX_REACH_ROUNDS",
    "MAX_WIDEN_GROWTH",
    "MAX_WIDEN_ROUNDS",
    "MIN_WIDEN_MARGIN",
    "PAD_GROWTH",
    "WIDEN_FREE_CELLS",
    "Band",
    "CostFactory",
    "CostFunction",
    "Shape",
    "Step",
    "_row_cumsum",
    "edge_contacts",
    "first_change",
    "normalise_shapes",
    "search",
    "step_edges",
    "widen",
]

#: Cost given to a forbidden (+inf) ``(1, 0)`` or ``(0, 1)`` bead when nothing else reaches the
#: end: large enough to lose against any real path, small enough to keep float64 sums exact-ish.
FORBIDDEN_PENALTY = 1e12


def _penalised(fn: CostFunction) -> CostFunction:
    """``fn`` with forbidden (1, 0) and (0, 1) beads made merely very expensive."""

    def cost(shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
        out = fn(shape, i, j)
        if shape in (INSERTION, DELETION):
            out = np.where(np.isinf(out), FORBIDDEN_PENALTY, out)
        return out

    return cost


def search(
    n_src: int,
    n_tgt: int,
    shapes: Sequence[Shape],
    cost: CostFactory,
    *,
    band: Band | None = None,
    progress: Progress | None = None,
) -> tuple[Step, ...]:
    """Best monotone path of beads from ``(0, 0)`` to ``(n_src, n_tgt)``, exact within the band.

    ``cost(band)`` is called once per band searched and returns the bead cost function for the
    cells of that band (see :data:`CostFunction`). Without ``band`` the whole matrix is searched.
    Where the best path runs along the band's edge the band is widened there and searched again
    (at most :data:`MAX_WIDEN_ROUNDS` times, and while the band stays within
    :data:`MAX_WIDEN_GROWTH` times its first size); if the end cannot be reached the band is widened
    everywhere, and if it still cannot, forbidden ``(1, 0)`` / ``(0, 1)`` beads are allowed at
    :data:`FORBIDDEN_PENALTY`, so the result always partitions both sides. Ties go to the shape
    listed first, and to a shape with ``a >= 1`` over an insertion. ``progress(done_rows,
    total_rows)`` is called after each block of rows; a widened pass counts again from zero.
    """
    _check_sizes(n_src, n_tgt)
    all_shapes = normalise_shapes(shapes)
    if band is None:
        band = Band.full(n_src, n_tgt)
    elif band.n_src != n_src or band.n_tgt != n_tgt:
        raise ValueError(
            f"band is for {band.n_src} x {band.n_tgt} sentences, the texts have {n_src} x {n_tgt}"
        )
    if n_src == 0 and n_tgt == 0:
        return ()
    band = band.connected()
    margin = max(MIN_WIDEN_MARGIN, int(np.median(band.widths)))
    # Where the end is out of reach the band is wrong everywhere: it widens by more.
    reach_margin = max(MIN_WIDEN_MARGIN, 2 * int(np.median(band.widths)))
    # Widening mends a guide that is locally wrong; a guide wrong everywhere would make it
    # grow without end, so it stops at a few times the band given (or at a small band's size).
    cell_cap = max(MAX_WIDEN_GROWTH * band.cells, WIDEN_FREE_CELLS)
    widen_rounds = reach_rounds = 0
    penalise = False
    resume: _Resume | None = None
    previous: _Previous | None = None
    while True:
        fn = cost(band)
        if penalise:
            fn = _penalised(fn)
        # A band short of the whole matrix may widen by its edges: its values are kept for the
        # sweep of the widened band to reuse where its rows are unchanged.
        keep = not band.is_full and not penalise
        result = _sweep(band, all_shapes, fn, progress, resume, keep_values=keep, previous=previous)
        resume, previous = None, None
        if not result.reached:
            if penalise:  # cannot happen: a connected band always has a finite path then
                raise ValueError("no path through the band, even with penalised gaps")
            if band.is_full or reach_rounds >= MAX_REACH_ROUNDS:
                penalise = True
            else:
                everywhere = np.ones(band.n_src + 1, np.bool_)
                band = widen(band, everywhere, everywhere, reach_margin)
                reach_margin *= 2
                reach_rounds += 1
            continue
        path = _backtrace(band, all_shapes, result.codes)
        if widen_rounds >= MAX_WIDEN_ROUNDS:
            break
        lo_rows, hi_rows = edge_contacts(band, path, all_shapes)
        if not (lo_rows.any() or hi_rows.any()):
            break
        wider = widen(band, lo_rows, hi_rows, margin)
        if wider.cells > cell_cap:
            break
        # Rows whose edges and inputs are unchanged keep their values: the next sweep computes
        # only from each widened run until the values agree again.
        if result.values is not None:
            previous = _Previous(band, result.values, result.codes)
        else:
            resume = result.resume_before(band, first_change(band, wider))
        band = wider
        margin *= 2
        widen_rounds += 1
    return _steps(path, fn)
