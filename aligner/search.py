"""Best monotone path of beads through a sentence-pair matrix: a banded, vectorised programme.

The programme fills ``D[i, j]``, the least cost of aligning ``src[:i]`` with ``tgt[:j]``::

    D[0, 0] = 0
    D[i, j] = min over shapes (a, b) of D[i - a, j - b] + cost((a, b), i, j)

only over the cells of a :class:`Band` (every row ``i`` keeps the columns ``lo[i]..hi[i]``), so
memory and time grow with ``n_src × band width``, not ``n_src × n_tgt``. Rows are filled one
after the other with numpy over the whole row: shapes with ``a >= 1`` read finished rows, and the
insertion ``(0, 1)``, which reads the row being filled, is a prefix-minimum scan
(``D[j] = min(X[j], D[j-1] + c[j])`` is a running minimum of ``X - cumsum(c)``). Bead costs do
not depend on ``D``, so they are asked for in large batches, one call per shape per block of rows.

When the best path runs along an edge of the band, the band is widened there and the search runs
again (a bounded number of rounds), so a guide that is locally wrong costs time, not accuracy.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.band import Band, _check_sizes
from aligner.types import Progress, Shape

#: ``cost(shape, i, j)``: the cost of the bead ``(a, b) = shape`` covering ``src[i-a:i]`` and
#: ``tgt[j-b:j]``, for int64 arrays ``i``, ``j`` of equal length; float64, lower is better, +inf
#: forbids. Every cell asked for lies in the band, and so does its predecessor ``(i-a, j-b)``;
#: a cell's cost must not depend on the band (the band says what to precompute, not what it is).
CostFunction = Callable[[Shape, IntArray, IntArray], FloatArray]
#: ``factory(band)``: called once per band searched (again after a widening), so the cost side
#: can precompute for exactly the cells of that band.
CostFactory = Callable[["Band"], CostFunction]

#: Cells per block of rows whose bead costs are asked for in one call per shape: large enough
#: that the cost side works on big vectors, small enough to keep the block's memory to a few MB.
BLOCK_CELLS = 1 << 16
#: Rounds of widening where the best path touches the band's edge (each doubles the margin).
#: The first margin is the band's median width, and at least this many cells: a band a few
#: cells wide would otherwise widen by less than one bead's reach. It was twice the median
#: width: on the Old Testament with joined and dropped verses (fr-ru) pass 2 pressed its band
#: on 98 rows, and 46 columns there doubled the band (492,462 to 963,039 cells) for the sweep
#: run again; 23 make it 621,532 cells, with the same path and F1 and 0.5 s less CPU (16
#: columns, 556,363 cells and 0.9 s, were too few for a guide that is wrong by far: a steep
#: guide, one sentence against 50,000, needs one wide round).
MIN_WIDEN_MARGIN = 16
MAX_WIDEN_ROUNDS = 5
#: Widening stops before the band has more than this many times the cells of the band given
#: (each widened sweep costs a sweep and a new cost table; 2 was measured too tight: on the
#: first 20,000 Bible verses fr-ru a misplaced guide needed a band 3.2 times as large)...
MAX_WIDEN_GROWTH = 4
#: ...unless it stays under this many cells, where a widening is cheap whatever its growth.
WIDEN_FREE_CELLS = 1_000_000
#: Rounds of widening everywhere when ``(n_src, n_tgt)`` is unreachable inside the band.
MAX_REACH_ROUNDS = 3
#: Cost given to a forbidden (+inf) ``(1, 0)`` or ``(0, 1)`` bead when nothing else reaches the
#: end: large enough to lose against any real path, small enough to keep float64 sums exact-ish.
FORBIDDEN_PENALTY = 1e12
#: The shapes every search has, so that a path always exists.
INSERTION: Shape = (0, 1)
DELETION: Shape = (1, 0)


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


def normalise_shapes(shapes: Sequence[Shape]) -> tuple[Shape, ...]:
    """The shapes without duplicates, in the order given, (1, 0) added, (0, 1) moved last.

    Shapes ``(0, b)`` with ``b > 1`` are refused: they read the row being filled in a way the
    prefix scan cannot, and ``b`` insertions of ``(0, 1)`` cover the same ground.
    """
    out: list[Shape] = []
    for shape in (*shapes, DELETION, INSERTION):
        a, b = int(shape[0]), int(shape[1])
        if a < 0 or b < 0 or a + b == 0:
            raise ValueError(f"bead shape {shape} must have a, b >= 0 and cover a sentence")
        if a == 0 and b > 1:
            raise ValueError(f"bead shape {shape} is not supported: use (0, 1) repeatedly")
        if (a, b) not in out and (a, b) != INSERTION:
            out.append((a, b))
    if len(out) >= np.iinfo(np.int8).max:  # back-pointers are int8 shape codes
        raise ValueError(f"at most 126 bead shapes are supported, got {len(out) + 1}")
    return (*out, INSERTION)


@dataclass(frozen=True)
class _Layout:
    """Where each row of the band lives in flat, row-major storage."""

    band: Band
    offsets: IntArray  # offsets[i] = first flat cell of row i; offsets[-1] = cells

    @classmethod
    def of(cls, band: Band) -> _Layout:
        offsets = np.zeros(band.n_src + 2, np.int64)
        np.cumsum(band.widths, out=offsets[1:])
        return cls(band, offsets)

    def blocks(self, start: int = 0) -> list[tuple[int, int]]:
        """Row ranges ``[r0, r1)`` from ``start`` on, of about :data:`BLOCK_CELLS` cells each."""
        out: list[tuple[int, int]] = []
        r0, n_rows = start, self.band.n_src + 1
        while r0 < n_rows:
            target = self.offsets[r0] + BLOCK_CELLS
            r1 = int(np.searchsorted(self.offsets, target, side="right")) - 1
            r1 = min(max(r1, r0 + 1), n_rows)
            out.append((r0, r1))
            r0 = r1
        return out

    def cells_of(self, r0: int, r1: int) -> tuple[IntArray, IntArray]:
        """Row and column of every cell of rows ``[r0, r1)``, in storage order."""
        widths = self.band.widths[r0:r1]
        rows = np.repeat(np.arange(r0, r1, dtype=np.int64), widths)
        starts = self.offsets[r0:r1] - self.offsets[r0]
        cols = np.arange(rows.size, dtype=np.int64) - np.repeat(starts, widths)
        cols += np.repeat(self.band.lo[r0:r1], widths)
        return rows, cols


def _checked_costs(fn: CostFunction, shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
    if i.size == 0:
        return np.zeros(0, np.float64)
    out = np.asarray(fn(shape, i, j), dtype=np.float64)
    if out.shape != i.shape:
        raise ValueError(f"cost function gave {out.shape} costs for {i.size} cells of {shape}")
    if not out.min() > -np.inf:  # one pass: false for NaN too
        raise ValueError(f"cost function gave NaN or -inf for shape {shape}")
    return out


@dataclass(frozen=True)
class _Block:
    """Predecessor positions and bead costs for a block of rows, computed before its sweep."""

    base: int  # flat band offset of the block's first cell
    prev: IntArray  # (shapes with a >= 1, cells): position in the value buffer (or its +inf end)
    cost: FloatArray  # (shapes with a >= 1, cells)
    # Running sum of the (0, 1) costs along each row (a forbidden one counted as 0), for the
    # prefix scan; computed here, before the sweep, because it does not depend on D.
    insert_sum: FloatArray
    insert_cut: list[bool]  # per row of the block: a forbidden (0, 1) bead cuts the row
    insert_cost: FloatArray  # (cells,): cost of (0, 1) into the cell; 0 in a row's first cell


@dataclass(frozen=True)
class _Sweep:
    """Everything one pass of the programme over a band needs.

    The values ``D`` of a block's rows, preceded by the ``carry`` rows before them that beads
    read back to, live in one flat buffer laid out like the band; its cell ``n`` (just past the
    block) holds +inf and stands for "no predecessor in the band".
    """

    layout: _Layout
    shapes: tuple[Shape, ...]  # shapes with a >= 1, in the order given; code k = shapes[k]
    fn: CostFunction
    carry: int  # rows kept from one block to the next: the widest bead's a
    scratch_prev: IntArray  # (shapes, cells of the largest block), reused block after block
    scratch_cost: FloatArray

    def buffer_start(self, r0: int) -> int:
        """Flat band offset of the first value the buffer holds for the block starting at r0."""
        return int(self.layout.offsets[max(0, r0 - self.carry)])

    def block(self, r0: int, r1: int) -> _Block:
        layout, band = self.layout, self.layout.band
        rows, cols = layout.cells_of(r0, r1)
        widths = band.widths[r0:r1]
        n_cells = rows.size
        row_lo = band.lo[r0:r1]
        in_row = cols - np.repeat(row_lo, widths)  # offset of each cell within its row
        start = self.buffer_start(r0)
        sentinel = int(layout.offsets[r1]) - start
        prev = self.scratch_prev[:, :n_cells]
        cost = self.scratch_cost[:, :n_cells]
        row_ids = np.arange(r0, r1, dtype=np.int64)
        never = np.iinfo(np.int64).max
        for k, (a, b) in enumerate(self.shapes):
            prow = row_ids - a
            has = prow >= 0
            safe = np.where(has, prow, 0)
            p_lo, p_hi = band.lo[safe], band.hi[safe]
            # Per row: the in-row offsets whose predecessor (i - a, j - b) is in the band...
            first = np.where(has, p_lo + b - row_lo, never)
            last = p_hi + b - row_lo
            # ...and where the predecessor of in-row offset 0 would sit in the buffer.
            shift = layout.offsets[safe] - start + row_lo - b - p_lo
            np.add(in_row, np.repeat(shift, widths), out=prev[k])
            ok = in_row >= np.repeat(first, widths)
            ok &= in_row <= np.repeat(last, widths)
            bad = ~ok
            np.copyto(prev[k], sentinel, where=bad)  # cheaper than a boolean-mask assignment
            np.copyto(cost[k], np.inf, where=bad)
            sel = np.flatnonzero(ok)
            cost[k, sel] = _checked_costs(self.fn, (a, b), rows[sel], cols[sel])
        insert_cost = np.zeros(n_cells, np.float64)
        ok = in_row > 0
        insert_cost[ok] = _checked_costs(self.fn, INSERTION, rows[ok], cols[ok])
        forbidden = np.isinf(insert_cost)
        insert_cut = np.zeros(r1 - r0, np.bool_)
        if forbidden.any():
            insert_cut[rows[forbidden] - r0] = True
        # Summed row by row, not over the block: a running sum over many rows would grow large
        # and cost the small differences the scan takes of it their precision.
        finite_cost = np.where(forbidden, 0.0, insert_cost)
        insert_sum = _row_cumsum(finite_cost, rows - r0, in_row, widths)
        base = int(layout.offsets[r0])
        return _Block(base, prev, cost, insert_sum, insert_cut.tolist(), insert_cost)


#: :func:`_row_cumsum` pads the rows of a block to its widest row when that takes at most this
#: many times the block's cells (a steep band may hold one row far wider than the others).
PAD_GROWTH = 4


def _row_cumsum(
    values: FloatArray, row: IntArray, in_row: IntArray, widths: IntArray
) -> FloatArray:
    """Running sums of ``values`` restarting at every row (cells given row by row).

    All rows at once as the rows of a zero-padded matrix: ``np.cumsum`` along a row adds in
    order like the 1-d sum, so the sums are those of one ``cumsum`` per row, without a Python
    loop per row.
    """
    out = np.empty_like(values)
    widest = int(widths.max(initial=0))
    if widths.size * widest <= PAD_GROWTH * values.size:
        padded = np.zeros((widths.size, widest), np.float64)
        padded[row, in_row] = values
        np.cumsum(padded, axis=1, out=padded)
        out[:] = padded[row, in_row]
        return out
    bounds = np.concatenate([[0], np.cumsum(widths)]).tolist()
    for s, e in itertools.pairwise(bounds):
        values[s:e].cumsum(out=out[s:e])
    return out


def _insertion_scan(x: FloatArray, c: FloatArray) -> FloatArray:
    """Row values with runs of (0, 1) beads (the general path, for rows that forbid some).

    ``x[t]`` is the best value of cell ``t`` without an insertion, ``c[t]`` the cost of the
    insertion into cell ``t`` from ``t - 1`` (``c[0]`` is ignored).
    """
    d = np.array(x, dtype=np.float64)
    # A forbidden insertion cuts the row: runs of (0, 1) cannot cross it.
    cuts = [0, *(np.flatnonzero(np.isinf(c[1:])) + 1).tolist(), x.size]
    for s, e in itertools.pairwise(cuts):
        if e - s > 1:
            seg = c[s:e].copy()
            seg[0] = 0.0
            _scan(x[s:e], np.cumsum(seg), d[s:e])
    return d


def _scan(x: FloatArray, csum: FloatArray, out: FloatArray) -> None:
    """``out[t] = min_k (x[k] + c[k+1] + ... + c[t]) = C[t] + min_{k <= t} (x[k] - C[k])``.

    ``csum`` is ``C`` up to a constant, which cancels. Cells where no insertion is strictly
    better (compared in the shifted space) get ``x`` exactly, so ``D < x`` later tells, without
    rounding doubts, which cells took an insertion.
    """
    e = x - csum
    best = np.minimum.accumulate(e)
    np.copyto(out, x)
    np.add(best, csum, out=out, where=best < e)


@dataclass(frozen=True)
class _Resume:
    """Where a sweep may start again: row ``row``, with everything before it already known.

    ``codes`` holds the back-pointers of the rows before ``row`` and ``carry`` the values of
    the rows ``row - carry rows .. row - 1`` (flat, as many rows as the widest bead reads back).
    """

    row: int
    codes: npt.NDArray[np.int8]
    carry: FloatArray


@dataclass(frozen=True)
class _Pass:
    """One sweep's outcome: back-pointer codes per band cell, whether the end was reached, and
    the values carried into each block (to resume from when only later rows change)."""

    codes: npt.NDArray[np.int8]
    reached: bool
    checkpoints: dict[int, FloatArray]

    def resume_before(self, band: Band, row: int) -> _Resume | None:
        """The latest checkpoint at or before ``row`` of a sweep over ``band``."""
        starts = [r for r in self.checkpoints if 0 < r <= row]
        if not starts:
            return None
        r = max(starts)
        offsets = _Layout.of(band).offsets
        return _Resume(r, self.codes[: int(offsets[r])].copy(), self.checkpoints[r])


def first_change(old: Band, new: Band) -> int:
    """The first row whose band edges differ (``n_src + 1`` when none do)."""
    differ = (old.lo != new.lo) | (old.hi != new.hi)
    hits = np.flatnonzero(differ)
    return int(hits[0]) if hits.size else old.n_src + 1


def _block_codes(
    blk: _Block, values: FloatArray, start: int, insert_code: int
) -> npt.NDArray[np.int8]:
    """Back-pointer codes of a finished block, all rows at once.

    The best shape with ``a >= 1`` is recomputed from the finished values (the same sums as
    in the sweep, so the same numbers); a cell took an insertion where its value is below it.
    """
    # Shape by shape on contiguous rows: an argmin down the short axis of a (shapes, cells)
    # array is many times slower. Strictly lower wins, so ties keep the earlier shape.
    best = values[blk.prev[0]] + blk.cost[0]
    codes = np.zeros(best.size, np.int8)
    for k in range(1, blk.prev.shape[0]):
        cand = values[blk.prev[k]]
        cand += blk.cost[k]
        np.putmask(codes, cand < best, k)
        np.minimum(best, cand, out=best)
    own = values[blk.base - start : blk.base - start + best.size]
    np.putmask(codes, own < best, insert_code)
    return codes


def _sweep(
    band: Band,
    shapes: tuple[Shape, ...],
    fn: CostFunction,
    progress: Progress | None,
    resume: _Resume | None = None,
) -> _Pass:
    """Fill the band row by row; ``shapes`` lists those with ``a >= 1`` first, then (0, 1).

    With ``resume``, the rows before ``resume.row`` are taken from it instead of computed.
    """
    layout = _Layout.of(band)
    main = shapes[:-1]
    carry = max(a for a, _ in shapes)
    first_row = 0 if resume is None else resume.row
    blocks = layout.blocks(first_row)
    offsets = layout.offsets.tolist()
    largest = max(offsets[r1] - offsets[r0] for r0, r1 in blocks)
    buffer_size = max(offsets[r1] - offsets[max(0, r0 - carry)] for r0, r1 in blocks) + 1
    sweep = _Sweep(
        layout=layout,
        shapes=main,
        fn=fn,
        carry=carry,
        scratch_prev=np.empty((len(main), largest), np.int64),
        scratch_cost=np.empty((len(main), largest), np.float64),
    )
    insert_code = len(main)
    values = np.empty(buffer_size, np.float64)
    codes = np.zeros(band.cells, np.int8)
    carried = np.zeros(0, np.float64)
    if resume is not None:
        codes[: resume.codes.size] = resume.codes
        carried = resume.carry
    n_rows = band.n_src + 1
    checkpoints: dict[int, FloatArray] = {}
    add, min_reduce, min_accumulate = np.add, np.minimum.reduce, np.minimum.accumulate
    for r0, r1 in blocks:
        checkpoints[r0] = carried
        blk = sweep.block(r0, r1)
        start = sweep.buffer_start(r0)
        values[: carried.size] = carried
        values[offsets[r1] - start] = np.inf
        prev, cost, insert_sum, cut = blk.prev, blk.cost, blk.insert_sum, blk.insert_cut
        base = blk.base
        # This loop runs once per row, a few numpy calls on ~40-cell rows each: the per-call
        # overhead is the cost, so functions are bound once and each row's best value over the
        # shapes goes straight into the value buffer (the scan then reads and updates it).
        take = values.take
        for i in range(r0, r1):
            f0, f1 = offsets[i], offsets[i + 1]
            c0, c1 = f0 - base, f1 - base
            cand = take(prev[:, c0:c1])
            add(cand, cost[:, c0:c1], out=cand)
            out = values[f0 - start : f1 - start]
            min_reduce(cand, axis=0, out=out)
            if i == 0:
                out[0] = 0.0
            if cut[i - r0]:
                out[:] = _insertion_scan(out, blk.insert_cost[c0:c1])
            else:  # _scan, inlined
                csum = insert_sum[c0:c1]
                e = out - csum
                best = min_accumulate(e)
                add(best, csum, out=out, where=best < e)
        codes[base : offsets[r1]] = _block_codes(blk, values, start, insert_code)
        # The next block reads back up to ``carry`` rows (older ones than this block's, when
        # it is shorter than that: the buffer still holds them).
        carried = values[offsets[max(0, r1 - carry)] - start : offsets[r1] - start].copy()
        if progress is not None:
            progress(r1, n_rows)
    reached = bool(np.isfinite(carried[-1])) if carried.size else False
    return _Pass(codes, reached, checkpoints)


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


def _dilate(mask: npt.NDArray[np.bool_], radius: int) -> npt.NDArray[np.bool_]:
    """Rows within ``radius`` of a marked row."""
    csum = np.concatenate([[0], np.cumsum(mask, dtype=np.int64)])
    idx = np.arange(mask.size)
    upper = np.minimum(idx + radius + 1, mask.size)
    lower = np.maximum(idx - radius, 0)
    return np.asarray((csum[upper] - csum[lower]) > 0)


def edge_contacts(
    band: Band, path: Sequence[Shape], shapes: Sequence[Shape]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Rows whose lower / upper band edge the path presses on.

    A path cell ``(i, j)`` presses on the lower edge of its own row when ``j == lo[i]``, and of
    row ``i + a`` when one bead ``(a, b)`` from it would land left of that row's band
    (``j + b < lo[i + a]``); likewise on the upper edge of row ``i`` when ``j == hi[i]`` and of
    row ``i - a`` when a bead ending in ``(i, j)`` could have started right of that row's band.
    Both tests allow a slack of the widest shape's ``b``: a path that close is held back too.
    Edges on the matrix border (``lo == 0``, ``hi == n_tgt``) do not count.
    """
    rows, cols = _ends(path)
    last = band.n_src
    # Slack: a path a bead's width from the edge may be held back by it as well.
    slack = max(b for _, b in shapes)
    lo_rows = np.zeros(last + 1, np.bool_)
    hi_rows = np.zeros(last + 1, np.bool_)
    lowest: dict[int, int] = {}  # a -> least b among shapes (a, b)
    for a, b in shapes:
        lowest[a] = min(b, lowest.get(a, b))
    lowest[0] = 0
    for a, b in lowest.items():
        below = np.minimum(rows + a, last)
        lo = band.lo[below]
        lo_rows[below[(lo > cols + b - slack) & (lo > 0)]] = True
        above = np.maximum(rows - a, 0)
        hi = band.hi[above]
        hi_rows[above[(hi < cols - b + slack) & (hi < band.n_tgt)]] = True
    return lo_rows, hi_rows


def widen(
    band: Band, lo_rows: npt.NDArray[np.bool_], hi_rows: npt.NDArray[np.bool_], margin: int
) -> Band:
    """The band pushed out by ``margin`` columns at the marked rows and ``margin`` rows around."""
    n_tgt = band.n_tgt
    lo = np.where(_dilate(lo_rows, margin), np.maximum(band.lo - margin, 0), band.lo)
    hi = np.where(_dilate(hi_rows, margin), np.minimum(band.hi + margin, n_tgt), band.hi)
    # Lowering lo in a row must lower it in every earlier row too (and raising hi, later ones).
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return Band(lo, hi).connected()


def _penalised(fn: CostFunction) -> CostFunction:
    """``fn`` with forbidden (1, 0) and (0, 1) beads made merely very expensive."""

    def cost(shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
        out = fn(shape, i, j)
        if shape in (INSERTION, DELETION):
            out = np.where(np.isinf(out), FORBIDDEN_PENALTY, out)
        return out

    return cost


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
    while True:
        fn = cost(band)
        if penalise:
            fn = _penalised(fn)
        result = _sweep(band, all_shapes, fn, progress, resume)
        resume = None
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
        # Rows above the first widened one keep their values: the next sweep starts there.
        resume = result.resume_before(band, first_change(band, wider))
        band = wider
        margin *= 2
        widen_rounds += 1
    return _steps(path, fn)
