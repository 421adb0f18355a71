"""Posterior probabilities of beads: forward-backward over the search's banded programme.

The search (:mod:`aligner.search`) keeps the cheapest path; here every path of the same band is
kept, weighted by ``exp(-cost / temperature)``: bead costs are read as negative
log-probabilities, and the temperature says how sharp they are (fitted on dev, see
:mod:`aligner.scoring.confidence`). The forward values ``alpha[i, j]`` (log of the summed weight
of the paths from ``(0, 0)`` to ``(i, j)``) and the backward values ``beta[i, j]`` (from
``(i, j)`` to the end) give the posterior of any bead ``(a, b)`` ending in ``(i, j)``::

    P = exp(alpha[i - a, j - b] - cost / temperature + beta[i, j] - log Z)

the share of the total weight ``Z`` carried by the paths through that bead (Rabiner 1989, "A
tutorial on hidden Markov models", Proc. IEEE 77(2), the forward-backward procedure). Rows are
filled like the search's, with numpy over a row: shapes with ``a >= 1`` read finished rows, and
the insertion ``(0, 1)`` is a running log-sum-exp along the row (``np.logaddexp.accumulate``).
The forward and the backward sweeps run side by side, forward row ``t`` with backward row
``n_src - t``, so that the two rows' log-sum-exps are one set of numpy calls. The bead weights
are computed block by block (the beads ending in a block's cells) by the sweep that enters the
block first; the backward sweep reads those starting in a block's cells. A table of every
bead's weight (shapes x cells x 8 bytes) would be the largest array of a long text, so only the
last blocks' weights are held, up to :data:`HELD_WEIGHT_BYTES` in each of :data:`HELD_PARTS`
arrays, and the backward sweep asks the cost function again for the blocks before them;
:meth:`Lattice.bead` asks it again for the few beads it is asked about. Each cell and shape
beyond the held blocks costs a second call.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aligner.allocator import MMAP_THRESHOLD
from aligner.arrays import FloatArray, IntArray
from aligner.band import Band
from aligner.search.programme import BLOCK_CELLS as SEARCH_BLOCK_CELLS
from aligner.search.programme import CostFactory, CostFunction, normalise_shapes
from aligner.types import Shape

#: Stands for -inf as the shift of a log-sum-exp (far below any sum of real log-weights).
LOG_FLOOR = -1e300

#: Bytes of bead weights the forward sweep holds for the backward one (the last blocks'; the
#: others are computed again). Bounds the lattice's memory on long texts, where the whole table
#: would be its largest array (and is held while pass 2's matches are); most of a book's table
#: fits, so a book asks again for a few blocks only. Kept a MiB under the command line's
#: ``mmap`` threshold (:data:`aligner.allocator.MMAP_THRESHOLD`) so that the table is carved
#: from the memory the allocator keeps, not mapped afresh: a new mapping's pages are faulted in
#: one by one, beyond the process's peak where the refinement left the heap full (figures in
#: benchmarks/RESULTS.md).
HELD_WEIGHT_BYTES = MMAP_THRESHOLD - (1 << 20)
#: Parts of :data:`HELD_WEIGHT_BYTES` each the weights may take: each part is its own array
#: under the threshold, carved from the kept heap as one array is, and the second holds the
#: blocks before the first's. A book with wide beads (the Old Testament with joined and dropped
#: verses: 17 shapes, a 47 MB table) then asks for no block twice.
HELD_PARTS = 2
#: Cells per block of rows whose bead weights are computed at once: half the search's blocks,
#: as the forward and the backward loops each hold a block's arrays at the same time.
BLOCK_CELLS = SEARCH_BLOCK_CELLS // 2


@dataclass(frozen=True, eq=False)
class Lattice:
    """Forward and backward log-values of every cell of a band, and the cost of its beads.

    ``alpha`` and ``beta`` hold one value per band cell in row-major order (row ``i`` from
    ``offsets[i]``), plus a last ``-inf`` that stands for "outside the band"; ``cost`` is the
    cost function they were computed with (a bead's log-weight is ``-cost / temperature``).
    """

    band: Band
    shapes: tuple[Shape, ...]
    offsets: IntArray
    alpha: FloatArray
    beta: FloatArray
    cost: CostFunction
    log_z: float
    temperature: float

    def _flat(self, i: IntArray, j: IntArray) -> IntArray:
        """Flat index of cells ``(i, j)``; the ``-inf`` slot for cells outside the band."""
        band, sentinel = self.band, self.alpha.size - 1
        ok = (i >= 0) & (i <= band.n_src)
        safe = np.where(ok, i, 0)
        lo, hi = band.lo[safe], band.hi[safe]
        ok &= (j >= lo) & (j <= hi)
        return np.where(ok, self.offsets[safe] + j - lo, sentinel)

    def node(self, i: IntArray, j: IntArray) -> FloatArray:
        """Probability that a path passes through cell ``(i, j)`` (0 outside the band)."""
        i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
        f = self._flat(i, j)
        with np.errstate(invalid="ignore"):
            return np.asarray(np.exp(self.alpha[f] + self.beta[f] - self.log_z), np.float64)

    def bead(self, shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
        """Probability that a path holds the bead ``shape`` ending in ``(i, j)`` (0 if the
        bead is not in the lattice)."""
        i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
        if shape not in self.shapes:
            return np.zeros(i.shape, np.float64)
        a, b = shape
        end, start = self._flat(i, j), self._flat(i - a, j - b)
        sentinel = self.alpha.size - 1
        inside = np.flatnonzero((end != sentinel) & (start != sentinel))
        w = np.full(i.shape, -np.inf)
        w[inside] = _log_weights(self.cost, shape, i[inside], j[inside], self.temperature)
        with np.errstate(invalid="ignore"):
            log_p = self.alpha[start] + w + self.beta[end] - self.log_z
        return np.asarray(np.exp(np.minimum(log_p, 0.0)), np.float64)


def _log_weights(
    fn: CostFunction, shape: Shape, i: IntArray, j: IntArray, temperature: float
) -> FloatArray:
    """``-cost / temperature`` of the beads ``shape`` ending in ``(i, j)``, all inside the band."""
    if i.size == 0:
        return np.zeros(0, np.float64)
    c = np.asarray(fn(shape, i, j), np.float64)
    if np.isnan(c).any() or (c == -np.inf).any():
        raise ValueError(f"cost function gave NaN or -inf for shape {shape}")
    return np.asarray(-c / temperature, np.float64)


def _scan(x: FloatArray, w: FloatArray, reverse: bool) -> FloatArray:
    """Runs of insertions along a row, in log space.

    Forward: ``out[t] = logaddexp(x[t], out[t-1] + w[t])``; reverse:
    ``out[t] = logaddexp(x[t], out[t+1] + w[t+1])``. ``w[t]`` is the log-weight of the insertion
    into cell ``t`` (``w[0]`` ignored); a ``-inf`` one cuts the row into runs.
    """
    out = np.array(x, dtype=np.float64)
    cuts = [0, *(np.flatnonzero(np.isneginf(w[1:])) + 1).tolist(), x.size]
    for s, e in itertools.pairwise(cuts):
        if e - s < 2:
            continue
        c = w[s:e].copy()
        c[0] = 0.0
        csum = np.cumsum(c)  # log-weight of the insertions from the run's first cell to t
        if reverse:
            out[s:e] = np.logaddexp.accumulate((x[s:e] + csum)[::-1])[::-1] - csum
        else:
            out[s:e] = np.logaddexp.accumulate(x[s:e] - csum) + csum
    return out


def _neighbours(
    band: Band, offsets: IntArray, rows: IntArray, cols: IntArray, di: int, dj: int
) -> IntArray:
    """Flat index of the cells ``(rows + di, cols + dj)``; ``cells`` (the ``-inf`` slot) where
    they leave the band."""
    sentinel = int(offsets[-1])
    r, c = rows + di, cols + dj
    ok = (r >= 0) & (r <= band.n_src)
    safe = np.where(ok, r, 0)
    lo, hi = band.lo[safe], band.hi[safe]
    ok &= (c >= lo) & (c <= hi)
    return np.where(ok, offsets[safe] + c - lo, sentinel)


def _blocks(offsets: IntArray, n_rows: int) -> list[tuple[int, int]]:
    """Row ranges of about :data:`BLOCK_CELLS` cells each."""
    out: list[tuple[int, int]] = []
    r0 = 0
    while r0 < n_rows:
        r1 = int(np.searchsorted(offsets, offsets[r0] + BLOCK_CELLS, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n_rows)
        out.append((r0, r1))
        r0 = r1
    return out


def _cells(band: Band, offsets: IntArray, r0: int, r1: int) -> tuple[IntArray, IntArray]:
    """Row and column of every cell of rows ``[r0, r1)``, in storage order."""
    widths = band.widths[r0:r1]
    rows = np.repeat(np.arange(r0, r1, dtype=np.int64), widths)
    starts = np.repeat(offsets[r0:r1] - offsets[r0], widths)
    cols = np.arange(rows.size, dtype=np.int64) - starts + np.repeat(band.lo[r0:r1], widths)
    return rows, cols


def lattice(
    n_src: int,
    n_tgt: int,
    shapes: Sequence[Shape],
    cost: CostFactory,
    *,
    temperature: float,
    band: Band | None = None,
) -> Lattice:
    """Forward-backward over the band (the whole matrix without one): see the module docstring.

    The arguments are the search's (:func:`aligner.search.search`), but the band is taken as
    given: it is not widened. ``cost(band)`` is called once. Raises ``ValueError`` when no path
    reaches ``(n_src, n_tgt)`` inside the band or the temperature is not positive.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    with np.errstate(divide="ignore"):  # log(0) = -inf is the value meant for no path
        return _lattice(n_src, n_tgt, shapes, cost, temperature, band)


def _row_sums(values: FloatArray, rows: IntArray, in_row: IntArray, widths: IntArray) -> FloatArray:
    """Running sums of ``values`` along each row (rows given per cell, in storage order)."""
    padded = np.zeros((widths.size, int(widths.max())), np.float64)
    padded[rows, in_row] = values
    np.cumsum(padded, axis=1, out=padded)
    return np.asarray(padded[rows, in_row], np.float64)


def _logsumexp_into(cand: FloatArray) -> FloatArray:
    """Log-sum-exp down axis 0 of ``cand`` (overwritten), ``-inf`` where every entry is."""
    # The ufuncs' own reductions: ``cand.max`` and ``cand.sum`` are the same calls behind a
    # Python wrapper each, and this runs twice per row of the lattice.
    m = np.maximum.reduce(cand, axis=0)
    # A finite floor instead of a test for -inf: -inf - floor = -inf, and exp gives 0.
    np.maximum(m, LOG_FLOOR, out=m)
    np.subtract(cand, m, out=cand)
    np.exp(cand, out=cand)
    out = np.add.reduce(cand, axis=0)
    np.log(out, out=out)
    np.add(out, m, out=out)
    return out  # type: ignore[no-any-return]


def _lattice(
    n_src: int,
    n_tgt: int,
    shapes: Sequence[Shape],
    cost: CostFactory,
    temperature: float,
    band: Band | None,
) -> Lattice:
    all_shapes = normalise_shapes(shapes)
    band = Band.full(n_src, n_tgt) if band is None else band.connected()
    if band.n_src != n_src or band.n_tgt != n_tgt:
        raise ValueError(f"band is for {band.n_src} x {band.n_tgt}, the texts {n_src} x {n_tgt}")
    state = _State.of(band, all_shapes, cost(band), temperature)
    alpha, beta, cells = state.alpha, state.beta, state.cells
    blocks, offs, n_rows = state.blocks, state.offsets.tolist(), n_src + 1
    # Forward and backward together: step t fills forward row t and backward row
    # n_src - t, which read only rows filled at earlier steps. Their candidates are gathered
    # by one take and summed by one log-sum-exp (the values are column by column the same):
    # the row loops run a dozen numpy calls on rows of ~20 cells, and the per-call overhead
    # is their cost. Each direction computes its blocks as it enters them.
    forward, backward = iter(blocks), iter(reversed(blocks))
    f_end, b_start = 0, n_rows
    gather, concatenate = state.values.take, np.concatenate
    add, subtract, accumulate = np.add, np.subtract, np.logaddexp.accumulate
    ins_sum = state.ins_sum
    for i in range(n_rows):
        if i == f_end:
            fwd = state.forward_block(*next(forward))
            f_base, f_end, f_cut = fwd.base, fwd.r1, state.cut[fwd.r0 : fwd.r1].tolist()
            f_index, f_weight, f_into, f_r0 = fwd.index, fwd.weight, fwd.insertion, fwd.r0
        ib = n_src - i
        if ib < b_start:
            bwd = state.backward_block(*next(backward))
            b_base, b_start, b_cut = bwd.base, bwd.r0, state.cut[bwd.r0 : bwd.r1].tolist()
            b_index, b_weight, b_into = bwd.index, bwd.weight, bwd.insertion
        f0, f1, g0, g1 = offs[i], offs[i + 1], offs[ib], offs[ib + 1]
        c0, c1, d0, d1 = f0 - f_base, f1 - f_base, g0 - b_base, g1 - b_base
        cand = gather(concatenate((f_index[:, c0:c1], b_index[:, d0:d1]), axis=1))
        add(cand, concatenate((f_weight[:, c0:c1], b_weight[:, d0:d1]), axis=1), out=cand)
        both = _logsumexp_into(cand)
        x, y = both[: f1 - f0], both[f1 - f0 :]
        if i == 0:
            x[0] = 0.0
        if f_cut[i - f_r0]:
            alpha[f0:f1] = _scan(x, f_into[c0:c1], reverse=False)
        else:
            csum = ins_sum[f0:f1]
            subtract(x, csum, out=x)
            out = alpha[f0:f1]
            accumulate(x, out=out)
            add(out, csum, out=out)
        if ib == n_src:
            y[-1] = 0.0
        if b_cut[ib - b_start]:
            beta[g0:g1] = _scan(y, b_into[d0:d1], reverse=True)
        else:
            csum = ins_sum[g0:g1]
            add(y, csum, out=y)
            back = accumulate(y[::-1])
            subtract(back[::-1], csum, out=beta[g0:g1])
    log_z = float(alpha[cells - 1])
    if not np.isfinite(log_z):
        raise ValueError("no path reaches the end inside the band")
    return Lattice(band, all_shapes, state.offsets, alpha, beta, state.fn, log_z, temperature)


@dataclass(frozen=True)
class _Rows:
    """What one direction's row loop reads for a block of rows ``[r0, r1)``: per candidate
    bead of each cell (the shapes but the insertion), where the value it extends sits in
    :attr:`_State.values` and its log-weight; and the log-weight of the insertion into each
    cell (read by the slower scan of a row that forbids one)."""

    r0: int
    r1: int
    base: int  # flat index of the block's first cell
    index: IntArray
    weight: FloatArray
    insertion: FloatArray


@dataclass
class _State:
    """The lattice being filled: its values, the insertion sums, and the weights held.

    ``values`` holds alpha (``cells + 1`` values, the last ``-inf`` for "outside the band")
    then beta (likewise). The blocks from the first cell ``held_from`` on keep the weights of
    the beads ending in their cells in ``held`` (plus a last ``-inf`` column), computed by
    whichever direction enters the block first; the backward direction asks the cost function
    again for the blocks before them (see :data:`HELD_WEIGHT_BYTES`).
    """

    band: Band
    shapes: tuple[Shape, ...]
    fn: CostFunction
    temperature: float
    offsets: IntArray
    blocks: list[tuple[int, int]]
    values: FloatArray
    ins_sum: FloatArray  # per cell: the summed insertion log-weights from its row's start
    cut: npt.NDArray[np.bool_]  # per row: an insertion is forbidden somewhere in it
    held_from: int
    held: FloatArray
    weighed: set[int]  # held blocks (by first row) whose weights are in ``held`` (or ``before``)
    summed: set[int]  # blocks (by first row) whose rows' ins_sum and cut are filled
    before_from: int  # the blocks from this cell to ``held_from`` are held in ``before``
    before: FloatArray

    @classmethod
    def of(
        cls, band: Band, shapes: tuple[Shape, ...], fn: CostFunction, temperature: float
    ) -> _State:
        offsets = np.zeros(band.n_src + 2, np.int64)
        np.cumsum(band.widths, out=offsets[1:])
        cells = int(offsets[-1])
        blocks = _blocks(offsets, band.n_src + 1)
        room = HELD_WEIGHT_BYTES // (8 * len(shapes))
        held_from = next(
            (int(offsets[r0]) for r0, _ in blocks if cells - offsets[r0] <= room), cells
        )
        # The second part: the blocks before ``held_from`` that fit its room.
        before_from = held_from
        if HELD_PARTS > 1:
            before_from = next(
                (
                    int(offsets[r0])
                    for r0, _ in blocks
                    if offsets[r0] <= held_from and held_from - offsets[r0] <= room
                ),
                held_from,
            )
        return cls(
            band,
            shapes,
            fn,
            temperature,
            offsets,
            blocks,
            np.full(2 * (cells + 1), -np.inf),
            np.zeros(cells, np.float64),
            np.zeros(band.n_src + 1, np.bool_),
            held_from,
            np.full((len(shapes), cells - held_from + 1), -np.inf),
            set(),
            set(),
            before_from,
            np.full((len(shapes), held_from - before_from), -np.inf),
        )

    @property
    def cells(self) -> int:
        return int(self.offsets[-1])

    @property
    def k_ins(self) -> int:
        return len(self.shapes) - 1  # (0, 1) is last

    @property
    def alpha(self) -> FloatArray:
        return self.values[: self.cells + 1]

    @property
    def beta(self) -> FloatArray:
        return self.values[self.cells + 1 :]

    def _end_weights(
        self, r0: int, r1: int, rows: IntArray, cols: IntArray
    ) -> tuple[FloatArray, IntArray | None]:
        """The log-weights of every bead ending in the cells of rows ``[r0, r1)`` (shapes x
        cells), into ``held`` for a held block (once: read from there after); and, when they
        were computed here, each cell's predecessors by the shapes but the insertion."""
        base, cells = int(self.offsets[r0]), self.cells
        if base >= self.held_from:
            weights = self.held[:, base - self.held_from : base - self.held_from + rows.size]
            if r0 in self.weighed:
                return weights, None
            self.weighed.add(r0)
        elif base >= self.before_from:
            at = base - self.before_from
            weights = self.before[:, at : at + rows.size]
            if r0 in self.weighed:
                return weights, None
            self.weighed.add(r0)
        else:
            weights = np.full((len(self.shapes), rows.size), -np.inf)
        prev = np.empty((self.k_ins, rows.size), np.int64)
        for k, (a, b) in enumerate(self.shapes):
            p = _neighbours(self.band, self.offsets, rows, cols, -a, -b)
            ok = np.flatnonzero(p < cells)
            weights[k, ok] = _log_weights(self.fn, (a, b), rows[ok], cols[ok], self.temperature)
            if k < self.k_ins:
                prev[k] = p
        return weights, prev

    def _sum_insertions(
        self, r0: int, r1: int, rows: IntArray, cols: IntArray, into: FloatArray
    ) -> None:
        """``ins_sum`` and ``cut`` for rows ``[r0, r1)``, from the log-weights of the
        insertions into their cells (``into``; a row's first cell is not read)."""
        if r0 in self.summed:
            return
        self.summed.add(r0)
        base = int(self.offsets[r0])
        in_row = cols - self.band.lo[rows]
        w_ins = np.where(in_row > 0, into, 0.0)
        forbidden = np.isneginf(w_ins)
        self.cut[rows[forbidden]] = True
        self.ins_sum[base : base + rows.size] = _row_sums(
            np.where(forbidden, 0.0, w_ins), rows - r0, in_row, self.band.widths[r0:r1]
        )

    def forward_block(self, r0: int, r1: int) -> _Rows:
        """The forward loop's arrays for rows ``[r0, r1)``: each cell's predecessors by the
        shapes, and the weights of the beads ending in it."""
        band, offsets, k_ins = self.band, self.offsets, self.k_ins
        rows, cols = _cells(band, offsets, r0, r1)
        weights, prev = self._end_weights(r0, r1, rows, cols)
        if prev is None:  # the weights were made by the backward loop
            prev = np.stack(
                [_neighbours(band, offsets, rows, cols, -a, -b) for a, b in self.shapes[:k_ins]]
            )
        self._sum_insertions(r0, r1, rows, cols, weights[k_ins])
        return _Rows(r0, r1, int(offsets[r0]), prev, weights[:k_ins], weights[k_ins])

    def backward_block(self, r0: int, r1: int) -> _Rows:
        """The backward loop's arrays for rows ``[r0, r1)``: each cell's successors by the
        shapes (as indices into beta's part of ``values``), and the weights of the beads
        starting in it, read from ``held`` or asked of the cost function again."""
        band, offsets, k_ins, cells = self.band, self.offsets, self.k_ins, self.cells
        rows, cols = _cells(band, offsets, r0, r1)
        base = int(offsets[r0])
        succ = np.stack(
            [_neighbours(band, offsets, rows, cols, a, b) for a, b in self.shapes[:k_ins]]
        )
        if base >= self.held_from:  # the successors are in this block or later ones, held
            # This block's own weights, unless the forward loop made them already (the later
            # blocks' were made when this loop entered them).
            self._end_weights(r0, r1, rows, cols)
            w_succ = self.held[np.arange(k_ins)[:, None], succ - self.held_from]
            into = self.held[k_ins, base - self.held_from : base - self.held_from + rows.size]
        elif base >= self.before_from:  # held in the second part, the successors in it or later
            self._end_weights(r0, r1, rows, cols)
            shape_of = np.arange(k_ins)[:, None]
            here = succ < self.held_from
            w_succ = np.where(
                here,
                self.before[shape_of, np.where(here, succ - self.before_from, 0)],
                self.held[shape_of, np.where(here, 0, succ - self.held_from)],
            )
            at = base - self.before_from
            into = self.before[k_ins, at : at + rows.size]
        else:
            w_succ = np.full((k_ins, rows.size), -np.inf)
            for k, (a, b) in enumerate(self.shapes[:k_ins]):
                ok = np.flatnonzero(succ[k] < cells)
                w_succ[k, ok] = _log_weights(
                    self.fn, (a, b), rows[ok] + a, cols[ok] + b, self.temperature
                )
            into = np.full(rows.size, -np.inf)
            # The insertions into the block's cells: for its sums when the forward loop has
            # not made them yet, and for the scan of rows that forbid one.
            if r0 not in self.summed or self.cut[r0:r1].any():
                ok = np.flatnonzero(cols > band.lo[rows])
                into[ok] = _log_weights(
                    self.fn, self.shapes[k_ins], rows[ok], cols[ok], self.temperature
                )
        self._sum_insertions(r0, r1, rows, cols, into)
        succ += cells + 1  # beta's part of ``values`` (the sentinel lands on its -inf slot)
        return _Rows(r0, r1, base, succ, w_succ, into)
