"""The banded, vectorised programme of the search: one sweep over a band's rows, back-pointers out.

The programme fills ``D[i, j]``, the least cost of aligning ``src[:i]`` with ``tgt[:j]``::

    D[0, 0] = 0
    D[i, j] = min over shapes (a, b) of D[i - a, j - b] + cost((a, b), i, j)

only over the cells of a :class:`~aligner.band.Band` (every row ``i`` keeps the columns
``lo[i]..hi[i]``), so memory and time grow with ``n_src × band width``, not ``n_src × n_tgt``.
Rows are filled one after the other with numpy over the whole row: shapes with ``a >= 1`` read
finished rows, and the insertion ``(0, 1)``, which reads the row being filled, is a
prefix-minimum scan (``D[j] = min(X[j], D[j-1] + c[j])`` is a running minimum of
``X - cumsum(c)``). Bead costs do not depend on ``D``, so they are asked for in large batches,
one call per shape per block of rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.band import Band
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
#: The shapes every search has, so that a path always exists.
INSERTION: Shape = (0, 1)
DELETION: Shape = (1, 0)


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
            r1 = self.block_end(r0)
            out.append((r0, r1))
            r0 = r1
        return out

    def block_end(self, r0: int) -> int:
        """The end of the block of about :data:`BLOCK_CELLS` cells that starts at row ``r0``."""
        target = self.offsets[r0] + BLOCK_CELLS
        r1 = int(np.searchsorted(self.offsets, target, side="right")) - 1
        return min(max(r1, r0 + 1), self.band.n_src + 1)

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
            # Into the row's view: an assignment through ``cost[k, sel]`` took twice as long.
            cost[k][sel] = _checked_costs(self.fn, (a, b), rows.take(sel), cols.take(sel))
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
    values: FloatArray | None = None  # every cell's value, laid out like the band, when kept

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


#: Rows swept past a changed run of rows before the values are compared with the previous
#: sweep's again; doubled while they still differ, so a change that never fades costs a few
#: more blocks, not a block per few rows.
REUSE_TAIL = 16


@dataclass(frozen=True)
class _Previous:
    """A finished sweep over another band of the same texts and costs: values and back-pointers.

    Row ``t`` of the programme reads only its own cells' costs and the values of rows
    ``t - carry .. t - 1`` within the band: where those rows' edges are the same in both bands
    and their values are equal, row ``t``'s values and back-pointers are equal as well, and are
    copied instead of computed.
    """

    band: Band
    values: FloatArray
    codes: npt.NDArray[np.int8]


@dataclass(frozen=True)
class _Reuse:
    """Which rows of a sweep over a band may take a previous sweep's values (:class:`_Previous`)."""

    previous: _Previous
    old_offsets: IntArray
    same: npt.NDArray[np.bool_]  # per row: the same edges in both bands
    copyable: npt.NDArray[np.bool_]  # per row: it and the ``carry`` rows before it are the same
    changed_at: IntArray  # rows not copyable, in order
    copyable_at: IntArray  # rows copyable, in order

    @classmethod
    def of(cls, previous: _Previous, band: Band, carry: int) -> _Reuse:
        old = previous.band
        if (old.n_src, old.n_tgt) != (band.n_src, band.n_tgt):
            raise ValueError("a previous sweep is reused only for a band over the same texts")
        same = (old.lo == band.lo) & (old.hi == band.hi)
        changed = np.concatenate([[0], np.cumsum(~same, dtype=np.int64)])  # in rows before t
        rows = np.arange(same.size)
        # Copyable: no changed row among t - carry .. t.
        copyable = changed[rows + 1] == changed[np.maximum(rows - carry, 0)]
        return cls(
            previous,
            _Layout.of(old).offsets,
            same,
            copyable,
            np.flatnonzero(~copyable),
            np.flatnonzero(copyable),
        )

    def next_changed(self, row: int) -> int:
        """The first row at or after ``row`` that is not copyable (``n_rows`` when none)."""
        k = int(np.searchsorted(self.changed_at, row))
        return int(self.changed_at[k]) if k < self.changed_at.size else self.same.size

    def next_copyable(self, row: int) -> int:
        """The first copyable row at or after ``row`` (``n_rows`` when none)."""
        k = int(np.searchsorted(self.copyable_at, row))
        return int(self.copyable_at[k]) if k < self.copyable_at.size else self.same.size

    def copy(
        self,
        r0: int,
        r1: int,
        offsets: IntArray,
        values: FloatArray,
        codes: npt.NDArray[np.int8],
    ) -> None:
        """Rows ``[r0, r1)`` (copyable, so as wide in both bands) taken from the previous sweep."""
        o0, o1 = int(self.old_offsets[r0]), int(self.old_offsets[r1])
        n0, n1 = int(offsets[r0]), int(offsets[r1])
        values[n0:n1] = self.previous.values[o0:o1]
        codes[n0:n1] = self.previous.codes[o0:o1]

    def agreeing(self, r0: int, r1: int, offsets: IntArray, values: FloatArray, before: int) -> int:
        """How many rows up to ``r1 - 1`` have the previous sweep's edges and values, in a row,
        given ``before`` such rows up to ``r0 - 1`` (``values`` laid out like the new band)."""
        old = self.previous.values
        for t in range(r1 - 1, r0 - 1, -1):
            if not self.same[t]:
                return r1 - 1 - t
            o0, o1 = int(self.old_offsets[t]), int(self.old_offsets[t + 1])
            n0 = int(offsets[t])
            if not np.array_equal(values[n0 : n0 + o1 - o0], old[o0:o1]):
                return r1 - 1 - t
        return before + r1 - r0


def _sweep(
    band: Band,
    shapes: tuple[Shape, ...],
    fn: CostFunction,
    progress: Progress | None,
    resume: _Resume | None = None,
    *,
    keep_values: bool = False,
    previous: _Previous | None = None,
) -> _Pass:
    """Fill the band row by row; ``shapes`` lists those with ``a >= 1`` first, then (0, 1).

    With ``resume``, the rows before ``resume.row`` are taken from it instead of computed. With
    ``previous`` (a sweep over another band of the same texts and costs, not with ``resume``),
    the rows whose inputs are unchanged take its values and back-pointers, and only the rows
    from each changed run of rows until the values agree again are computed. With
    ``keep_values`` (or ``previous``) every cell's value is kept in the result, for a later
    sweep to reuse.
    """
    if previous is not None and resume is not None:
        raise ValueError("a sweep resumes from a checkpoint or reuses a previous sweep, not both")
    layout = _Layout.of(band)
    main = shapes[:-1]
    carry = max(a for a, _ in shapes)
    first_row = 0 if resume is None else resume.row
    offsets = layout.offsets.tolist()
    reuse = None if previous is None else _Reuse.of(previous, band, carry)
    if reuse is None:
        blocks = layout.blocks(first_row)
        largest = max(offsets[r1] - offsets[r0] for r0, r1 in blocks)
        buffer_size = max(offsets[r1] - offsets[max(0, r0 - carry)] for r0, r1 in blocks) + 1
    else:  # blocks start anywhere: sized for the widest a block can be
        widest = int(band.widths.max())
        largest = max(BLOCK_CELLS, widest)
        buffer_size = largest + carry * widest + 1
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
    kept = np.empty(band.cells, np.float64) if keep_values or reuse is not None else None
    codes = np.zeros(band.cells, np.int8)
    carried = np.zeros(0, np.float64)
    if resume is not None:
        codes[: resume.codes.size] = resume.codes
        carried = resume.carry
    n_rows = band.n_src + 1
    checkpoints: dict[int, FloatArray] = {}
    add, min_reduce, min_accumulate = np.add, np.minimum.reduce, np.minimum.accumulate
    r0 = first_row
    agree, tail = 0, REUSE_TAIL  # rows in a row before r0 equal to the previous sweep's
    while r0 < n_rows:
        if reuse is not None and kept is not None:
            if reuse.copyable[r0] and agree >= min(carry, r0):
                r1 = reuse.next_changed(r0)
                reuse.copy(r0, r1, layout.offsets, kept, codes)
                agree += r1 - r0
                carried = kept[offsets[max(0, r1 - carry)] : offsets[r1]].copy()
                r0 = r1
                if progress is not None:
                    progress(r1, n_rows)
                continue
            r1 = min(layout.block_end(r0), reuse.next_copyable(r0) + tail)
        else:
            r1 = layout.block_end(r0)
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
        if kept is not None:
            kept[base : offsets[r1]] = values[base - start : offsets[r1] - start]
        if reuse is not None and kept is not None:
            agree = reuse.agreeing(r0, r1, layout.offsets, kept, agree)
            tail = REUSE_TAIL if agree >= carry else 2 * tail
        # The next block reads back up to ``carry`` rows (older ones than this block's, when
        # it is shorter than that: the buffer still holds them).
        carried = values[offsets[max(0, r1 - carry)] - start : offsets[r1] - start].copy()
        r0 = r1
        if progress is not None:
            progress(r1, n_rows)
    reached = bool(np.isfinite(carried[-1])) if carried.size else False
    return _Pass(codes, reached, checkpoints, kept)
