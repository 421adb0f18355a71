"""Tests of the banded dynamic programme: exactness, banding, widening, partitions, hard shapes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.features.anchors import find_anchors, guide_path
from aligner.search import (
    PAD_GROWTH,
    Band,
    CostFunction,
    Shape,
    Step,
    _Previous,
    _row_cumsum,
    _sweep,
    normalise_shapes,
    search,
)
from aligner.search.widening import widen

SHAPES: list[Shape] = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 0), (0, 1)]
Table = dict[Shape, np.ndarray]


def table_factory(table: Table, seen: list[Band] | None = None):  # type: ignore[no-untyped-def]
    """A cost factory reading a dense table per shape; records the bands it is asked for."""

    def factory(band: Band) -> CostFunction:
        if seen is not None:
            seen.append(band)

        def cost(shape: Shape, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            a, b = shape
            assert np.all(i >= a) and np.all(j >= b)
            # Every cell asked for and its predecessor lie in the band.
            assert np.all((band.lo[i] <= j) & (j <= band.hi[i]))
            assert np.all((band.lo[i - a] <= j - b) & (j - b <= band.hi[i - a]))
            return np.asarray(table[shape][i, j], dtype=np.float64)

        return cost

    return factory


def random_table(rng: np.random.Generator, n: int, m: int, p_inf: float = 0.0) -> Table:
    out: Table = {}
    for shape in SHAPES:
        t = rng.random((n + 1, m + 1)) * 3.0
        if p_inf:
            t[rng.random(t.shape) < p_inf] = np.inf
        out[shape] = t
    return out


def reference(n: int, m: int, table: Table, shapes: Sequence[Shape] = SHAPES) -> float:
    """The optimum by the textbook cell-by-cell programme (plain Python)."""
    d = [[math.inf] * (m + 1) for _ in range(n + 1)]
    d[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for a, b in shapes:
                if (i, j) != (0, 0) and i >= a and j >= b:
                    d[i][j] = min(d[i][j], d[i - a][j - b] + float(table[(a, b)][i, j]))
    return d[n][m]


def brute_force(n: int, m: int, table: Table) -> float:
    """The optimum by enumerating every path (tiny sizes only)."""
    best = math.inf

    def walk(i: int, j: int, total: float) -> None:
        nonlocal best
        if (i, j) == (n, m):
            best = min(best, total)
            return
        for a, b in SHAPES:
            if i + a <= n and j + b <= m:
                walk(i + a, j + b, total + float(table[(a, b)][i + a, j + b]))

    walk(0, 0, 0.0)
    return best


def assert_partition(steps: Sequence[Step], n: int, m: int) -> None:
    i = j = 0
    for s in steps:
        assert (s.i0, s.j0) == (i, j)
        assert s.shape in SHAPES
        i, j = s.i1, s.j1
    assert (i, j) == (n, m)


def total(steps: Sequence[Step]) -> float:
    return sum(s.cost for s in steps)


def path(steps: Sequence[Step]) -> list[tuple[int, int, int, int]]:
    return [(s.i0, s.i1, s.j0, s.j1) for s in steps]


# --- exactness ------------------------------------------------------------------------------


def test_matches_brute_force_on_tiny_tables() -> None:
    rng = np.random.default_rng(1)
    for _ in range(40):
        n, m = (int(x) for x in rng.integers(0, 5, 2))
        table = random_table(rng, n, m)
        steps = search(n, m, SHAPES, table_factory(table))
        assert_partition(steps, n, m)
        assert total(steps) == pytest.approx(brute_force(n, m, table), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 14),
    m=st.integers(0, 14),
    seed=st.integers(0, 2**32 - 1),
    p_inf=st.sampled_from([0.0, 0.2, 0.6]),
)
def test_matches_reference_dp(n: int, m: int, seed: int, p_inf: float) -> None:
    table = random_table(np.random.default_rng(seed), n, m, p_inf)
    # Keep one path finite so the optimum is a real number to compare.
    table[(1, 0)][1:, 0] = 1.0
    table[(0, 1)][n, 1:] = 1.0
    steps = search(n, m, SHAPES, table_factory(table))
    assert_partition(steps, n, m)
    assert total(steps) == pytest.approx(reference(n, m, table), abs=1e-9)


def test_step_costs_are_the_bead_costs() -> None:
    table = random_table(np.random.default_rng(3), 6, 7)
    for s in search(6, 7, SHAPES, table_factory(table)):
        assert s.cost == table[s.shape][s.i1, s.j1]


def test_identity_costs_give_the_diagonal() -> None:
    n = 300

    def factory(band: Band) -> CostFunction:
        def cost(shape: Shape, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            if shape == (1, 1):
                return np.where(i == j, 0.0, 5.0)
            return np.full(i.size, 3.0)

        return cost

    steps = search(n, n, SHAPES, factory, band=Band.around(np.arange(n + 1), n, 5))
    assert path(steps) == [(k, k + 1, k, k + 1) for k in range(n)]


# --- partitions and degenerate sizes ----------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 40),
    m=st.integers(0, 40),
    seed=st.integers(0, 2**32 - 1),
    p_inf=st.sampled_from([0.0, 0.5, 1.0]),
    width=st.integers(0, 6),
)
def test_always_a_full_partition(n: int, m: int, seed: int, p_inf: float, width: int) -> None:
    # Even when every bead is forbidden and the band is narrow, both sides are covered in order.
    table = random_table(np.random.default_rng(seed), n, m, p_inf)
    guide = np.linspace(0, m, n + 1)
    steps = search(n, m, SHAPES, table_factory(table), band=Band.around(guide, m, width))
    assert_partition(steps, n, m)


@pytest.mark.parametrize(("n", "m"), [(0, 0), (0, 7), (7, 0), (1, 500), (500, 1)])
def test_degenerate_sizes(n: int, m: int) -> None:
    table = random_table(np.random.default_rng(5), n, m)
    steps = search(n, m, SHAPES, table_factory(table))
    assert_partition(steps, n, m)
    assert total(steps) == pytest.approx(reference(n, m, table), abs=1e-9)


def test_one_against_fifty_thousand_with_a_steep_guide() -> None:
    m = 50_000
    lengths = np.random.default_rng(0).integers(1, 100, m)

    def factory(band: Band) -> CostFunction:
        def cost(shape: Shape, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            if shape == (0, 1):
                return np.full(i.size, 1.0)
            # The one source sentence matches target 31,000 best.
            return np.where(j - shape[1] == 31_000, 0.0, 50.0) + lengths[j - 1] * 0.0

        return cost

    guide = np.array([0.0, float(m)])
    steps = search(1, m, SHAPES, factory, band=Band.around(guide, m, 50))
    assert_partition(steps, 1, m)
    matched = [s for s in steps if s.i1 - s.i0 == 1]
    assert len(matched) == 1
    assert matched[0].j0 == 31_000


@pytest.mark.parametrize(("n", "gap_at", "anchored"), [(20_000, 9_000, True), (1_500, 500, False)])
def test_source_missing_five_hundred_lines(n: int, gap_at: int, anchored: bool) -> None:
    # Sentence k of the source is sentence k of the target, except that the target lacks 500
    # source sentences: the gap must come out as 500 deletions, the rest as 1-1. At book size
    # the band follows anchors (every 40th sentence shares a rare key); on a short text a
    # diagonal band must widen to reach the gap.
    gap = range(gap_at, gap_at + 500)
    tgt_ids = np.concatenate([np.arange(gap.start), np.arange(gap.stop, n)])
    m = tgt_ids.size

    def factory(band: Band) -> CostFunction:
        def cost(shape: Shape, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            if shape == (1, 1):
                return np.where(tgt_ids[j - 1] == i - 1, 0.0, 6.0)
            if shape in ((1, 0), (0, 1)):
                return np.full(i.size, 2.0)
            return np.full(i.size, 9.0)

        return cost

    if anchored:
        src_keys = [[f"k{i}"] if i % 40 == 0 else [] for i in range(n)]
        tgt_keys = [[f"k{i}"] if i % 40 == 0 else [] for i in tgt_ids.tolist()]
        guide = guide_path(n, m, find_anchors(src_keys, tgt_keys))
    else:
        guide = np.linspace(0, m, n + 1)
    steps = search(n, m, SHAPES, factory, band=Band.around(guide, m, 20))
    assert_partition(steps, n, m)
    assert [s.i0 for s in steps if s.shape == (1, 0)] == list(gap)
    assert all(tgt_ids[s.j0] == s.i0 for s in steps if s.shape == (1, 1))
    assert sum(s.shape == (1, 1) for s in steps) == m


def test_target_ten_times_longer() -> None:
    # Each source sentence was translated as ten target sentences: a path of (1, 3)-and-(0, 1)
    # beads; the optimum of the banded search must equal the full one.
    n, m = 60, 600
    rng = np.random.default_rng(11)
    table = random_table(rng, n, m)
    full = search(n, m, SHAPES, table_factory(table))
    banded = search(
        n, m, SHAPES, table_factory(table), band=Band.around(np.linspace(0, m, n + 1), m, 30)
    )
    assert_partition(banded, n, m)
    assert total(banded) == pytest.approx(total(full), abs=1e-9)


# --- banding and widening -------------------------------------------------------------------


def band_around_path(steps: Sequence[Step], n: int, m: int, width: int) -> Band:
    """Every cell of the path's rows within ``width`` columns of the path."""
    lo = np.full(n + 1, m, np.int64)
    hi = np.zeros(n + 1, np.int64)
    for s in steps:
        for i, j in ((s.i0, s.j0), (s.i1, s.j1)):
            lo[i] = min(lo[i], max(j - width, 0))
            hi[i] = max(hi[i], min(j + width, m))
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0] = 0
    return Band(lo, np.maximum(hi, lo))


def test_band_containing_the_optimum_gives_the_optimum() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        n, m = (int(x) for x in rng.integers(20, 60, 2))
        table = random_table(rng, n, m)
        full = search(n, m, SHAPES, table_factory(table))
        seen: list[Band] = []
        band = band_around_path(full, n, m, 15)
        banded = search(n, m, SHAPES, table_factory(table, seen), band=band)
        assert path(banded) == path(full)
        assert len(seen) == 1  # the optimum lay well inside: no widening
        assert seen[0].cells < (n + 1) * (m + 1)


def length_factory(src_len: np.ndarray, tgt_len: np.ndarray):  # type: ignore[no-untyped-def]
    """A Gale–Church-like cost from lengths, enough to make realistic windows."""
    cs = np.concatenate([[0.0], np.cumsum(src_len)])
    ct = np.concatenate([[0.0], np.cumsum(tgt_len)])
    prior = {(1, 1): 0.0, (1, 0): 4.5, (0, 1): 4.5, (2, 1): 2.3, (1, 2): 2.3}

    def factory(band: Band) -> CostFunction:
        def cost(shape: Shape, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            a, b = shape
            x, y = cs[i] - cs[i - a], ct[j] - ct[j - b]
            delta = (y - x) / np.sqrt(6.8 * ((x + y) / 2 + 1))
            return np.asarray(delta * delta / 2 + prior.get(shape, 5.0), dtype=np.float64)

        return cost

    return factory


def test_sample_of_windows_matches_the_unbanded_search() -> None:
    # A translation with merges, splits and small omissions; windows of it are aligned with a
    # diagonal band and without one: the results must agree.
    rng = np.random.default_rng(2024)
    src_len = rng.integers(10, 300, 4000).astype(float)
    tgt: list[float] = []
    starts = []  # first target sentence of each source sentence's translation
    for x in src_len:
        starts.append(len(tgt))
        r = rng.random()
        if r < 0.02:
            continue  # omitted
        if r < 0.06:
            half = x * rng.uniform(0.3, 0.7)
            tgt += [half, x - half]  # split in two
        else:
            tgt.append(x * rng.normal(1.0, 0.08))
    tgt_len = np.asarray(tgt)
    for _ in range(12):
        start = int(rng.integers(0, 3700))
        end = start + int(rng.integers(50, 300))
        s, t = src_len[start:end], tgt_len[starts[start] : starts[end]]
        factory = length_factory(s, t)
        full = search(s.size, t.size, SHAPES, factory)
        guide = np.linspace(0, t.size, s.size + 1)
        banded = search(s.size, t.size, SHAPES, factory, band=Band.around(guide, t.size, 10))
        assert path(banded) == path(full)


def test_widening_recovers_an_optimum_outside_the_band() -> None:
    # The first 40 target sentences have no source: the optimum leaves a diagonal band of
    # width 3 at once; widening must find it.
    n, m = 200, 240

    def factory(band: Band) -> CostFunction:
        def cost(shape: Shape, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            if shape == (1, 1):
                return np.where(j - i == 40, 0.0, 4.0)
            return np.full(i.size, 1.5)

        return cost

    seen: list[Band] = []

    def recording(band: Band) -> CostFunction:
        seen.append(band)
        return factory(band)

    full = search(n, m, SHAPES, factory)
    banded = search(n, m, SHAPES, recording, band=Band.around(np.linspace(0, m, n + 1), m, 3))
    assert path(banded) == path(full)
    assert len(seen) > 1
    assert seen[-1].cells > seen[0].cells


def test_unreachable_band_is_widened() -> None:
    # Insertions and deletions are forbidden and only 1-1 exists: a band off the diagonal
    # cannot reach the end until it is widened.
    n = 50
    table = {s: np.full((n + 1, n + 1), np.inf) for s in SHAPES}
    table[(1, 1)][:] = 1.0
    lo = np.zeros(n + 1, np.int64)
    hi = np.minimum(np.arange(n + 1) + 30, n)
    lo[1:] = np.minimum(np.arange(1, n + 1) + 5, hi[1:])
    lo = np.maximum.accumulate(lo)
    lo[0] = 0
    hi[-1] = n
    steps = search(n, n, SHAPES, table_factory(table), band=Band(lo, hi))
    assert path(steps) == [(k, k + 1, k, k + 1) for k in range(n)]


# --- determinism, progress, validation ------------------------------------------------------


def test_deterministic_with_ties() -> None:
    def factory(band: Band) -> CostFunction:
        return lambda shape, i, j: np.ones(i.size)

    first = search(30, 45, SHAPES, factory, band=Band.around(np.linspace(0, 45, 31), 45, 4))
    for _ in range(3):
        again = search(30, 45, SHAPES, factory, band=Band.around(np.linspace(0, 45, 31), 45, 4))
        assert again == first


def test_progress_reaches_the_last_row() -> None:
    calls: list[tuple[int, int]] = []
    table = random_table(np.random.default_rng(0), 30, 30)
    search(30, 30, SHAPES, table_factory(table), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (31, 31)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_shapes_are_normalised() -> None:
    assert normalise_shapes([(1, 1), (1, 1), (2, 1)]) == ((1, 1), (2, 1), (1, 0), (0, 1))
    with pytest.raises(ValueError, match="not supported"):
        normalise_shapes([(0, 2)])
    with pytest.raises(ValueError, match="cover a sentence"):
        normalise_shapes([(0, 0)])
    with pytest.raises(ValueError):
        normalise_shapes([(-1, 1)])


def test_only_insertions_and_deletions_when_no_shapes_given() -> None:
    table = random_table(np.random.default_rng(9), 4, 3)
    steps = search(4, 3, [], table_factory(table))
    assert {s.shape for s in steps} <= {(1, 0), (0, 1)}
    assert total(steps) == pytest.approx(reference(4, 3, table, [(1, 0), (0, 1)]), abs=1e-9)


def test_bad_cost_function_is_refused() -> None:
    def nan_factory(band: Band) -> CostFunction:
        return lambda shape, i, j: np.full(i.size, np.nan)

    def short_factory(band: Band) -> CostFunction:
        return lambda shape, i, j: np.zeros(max(i.size - 1, 0))

    with pytest.raises(ValueError, match="NaN"):
        search(3, 3, SHAPES, nan_factory)
    with pytest.raises(ValueError, match="costs for"):
        search(3, 3, SHAPES, short_factory)


def test_band_validation() -> None:
    with pytest.raises(ValueError):
        Band(np.array([1, 1]), np.array([2, 2]))  # lo[0] != 0
    with pytest.raises(ValueError):
        Band(np.array([0, 3, 2]), np.array([3, 3, 3]))  # lo decreases
    with pytest.raises(ValueError):
        Band(np.array([0, 2]), np.array([1, 1]))  # lo > hi
    with pytest.raises(ValueError):
        Band(np.array([], np.int64), np.array([], np.int64))
    with pytest.raises(ValueError, match="band is for"):
        search(3, 4, SHAPES, table_factory({}), band=Band.full(3, 5))
    with pytest.raises(ValueError):
        search(-1, 4, SHAPES, table_factory({}))


@settings(max_examples=50, deadline=None)
@given(
    guide=st.lists(st.floats(-5, 500, allow_nan=False), min_size=1, max_size=40),
    n_tgt=st.integers(0, 400),
    width=st.integers(0, 30),
)
def test_band_around_is_valid_and_connected(guide: list[float], n_tgt: int, width: int) -> None:
    band = Band.around(np.asarray(guide), n_tgt, width)
    assert band.n_src == len(guide) - 1
    assert band.n_tgt == n_tgt
    assert band.lo[0] == 0
    assert np.all(np.diff(band.lo) >= 0) and np.all(np.diff(band.hi) >= 0)
    assert np.all(band.hi[:-1] >= band.lo[1:])  # consecutive rows overlap


def test_full_band() -> None:
    band = Band.full(3, 4)
    assert band.is_full and band.cells == 20
    assert band.contains(3, 4) and not band.contains(4, 0)


def test_widening_late_in_the_text_resumes_and_stays_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Thirty extra target sentences after source 450: only the rows from there on change when
    # the band widens, so the new sweep starts from a checkpoint, with the same optimum.
    monkeypatch.setattr("aligner.search.programme.BLOCK_CELLS", 400)
    n, extra, at = 600, 30, 450
    m = n + extra
    src_of = np.concatenate([np.arange(at), np.full(extra, -1), np.arange(at, n)])
    first_rows: list[int] = []  # per band: the first row of the first batch of costs asked

    def factory(band: Band) -> CostFunction:
        calls: list[int] = []

        def cost(shape: Shape, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            if not calls:
                first_rows.append(int(i.min()))
            calls.append(i.size)
            if shape == (1, 1):
                return np.where(src_of[j - 1] == i - 1, 0.0, 5.0)
            return np.full(i.size, 2.0 if shape in ((1, 0), (0, 1)) else 9.0)

        return cost

    guide = np.minimum(np.arange(n + 1, dtype=float), m)
    banded = search(n, m, SHAPES, factory, band=Band.around(guide, m, 8))
    full = search(n, m, SHAPES, factory)
    assert path(banded) == path(full)
    assert [s.j0 for s in banded if s.shape == (0, 1)] == list(range(at, at + extra))
    assert len(first_rows) >= 3, first_rows  # banded: one widening at least; then the full
    assert max(first_rows[1:-1]) > 100, first_rows


def test_band_union_and_connection() -> None:
    a = Band(np.array([0, 0, 5]), np.array([2, 3, 9]))
    b = Band(np.array([0, 1, 1]), np.array([1, 6, 9]))
    u = a.union(b)
    assert u.lo.tolist() == [0, 0, 1] and u.hi.tolist() == [2, 6, 9]
    assert a.connected().hi.tolist() == [2, 5, 9]  # row 1 must reach row 2's first column
    with pytest.raises(ValueError, match="different matrices"):
        a.union(Band.full(2, 8))


def test_too_many_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="at most 126"):
        normalise_shapes([(a, b) for a in range(1, 13) for b in range(12)])


@pytest.mark.parametrize("steep", [False, True])
def test_row_cumsum_is_bitwise_one_cumsum_per_row(steep: bool) -> None:
    # The insertion scan compares sums exactly: the all-rows version must add in the same order.
    rng = np.random.default_rng(5)
    widths = rng.integers(0, 40, 200)
    if steep:  # one row far wider than the others: the per-row loop, not the padded matrix
        widths[17] = 40 * 200 * PAD_GROWTH
    values = rng.random(int(widths.sum())) * 10.0 ** rng.uniform(-6, 6, int(widths.sum()))
    starts = np.concatenate([[0], np.cumsum(widths)[:-1]])
    row = np.repeat(np.arange(widths.size), widths)
    in_row = np.arange(values.size) - np.repeat(starts, widths)
    got = _row_cumsum(values, row, in_row, widths)
    for s, w in zip(starts.tolist(), widths.tolist(), strict=True):
        assert np.array_equal(
            got[s : s + w].view(np.int64), np.cumsum(values[s : s + w]).view(np.int64)
        )


def _widened_pair(
    rng: np.random.Generator, n: int, m: int, width: int, runs: int
) -> tuple[Band, Band]:
    """A band around a wandering guide and the band widened at a few random runs of rows."""
    guide = np.clip(np.linspace(0, m, n + 1) + rng.normal(0, 2, n + 1).cumsum() * 0.3, 0, m)
    band = Band.around(np.maximum.accumulate(guide), m, width).connected()
    lo_rows = np.zeros(n + 1, np.bool_)
    hi_rows = np.zeros(n + 1, np.bool_)
    for _ in range(runs):
        at = int(rng.integers(0, n + 1))
        (lo_rows if rng.random() < 0.5 else hi_rows)[at] = True
    return band, widen(band, lo_rows, hi_rows, int(rng.integers(1, 6)))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    block=st.sampled_from([50, 300, 1 << 16]),
    off_diagonal=st.sampled_from([0.0, 1.0, 20.0]),
    p_inf=st.sampled_from([0.0, 0.2]),
)
def test_a_widened_band_reswept_where_it_changed_equals_a_full_sweep(
    seed: int, block: int, off_diagonal: float, p_inf: float
) -> None:
    # The sweep of a widened band that copies the previous sweep's unchanged rows gives the
    # values and back-pointers of a sweep of the whole widened band, bit for bit.
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 120)), int(rng.integers(1, 120))
    table = random_table(rng, n, m, p_inf)
    # Cells far from the diagonal cost more, so a widening often leaves the values as they were.
    ii, jj = np.meshgrid(np.arange(n + 1), np.arange(m + 1), indexing="ij")
    for t in table.values():
        t += off_diagonal * (np.abs(ii * m / max(n, 1) - jj) > 3)
    old, new = _widened_pair(rng, n, m, int(rng.integers(1, 8)), int(rng.integers(1, 4)))
    shapes = normalise_shapes(SHAPES)
    factory = table_factory(table)
    with mock.patch("aligner.search.programme.BLOCK_CELLS", block):
        first = _sweep(old, shapes, factory(old), None, keep_values=True)
        assert first.values is not None
        reswept = _sweep(
            new, shapes, factory(new), None, previous=_Previous(old, first.values, first.codes)
        )
        full = _sweep(new, shapes, factory(new), None, keep_values=True)
    assert reswept.reached == full.reached
    assert np.array_equal(reswept.codes, full.codes)
    assert reswept.values is not None and full.values is not None
    assert np.array_equal(reswept.values.view(np.int64), full.values.view(np.int64))


def test_a_widened_band_computes_only_its_changed_rows() -> None:
    # One target sentence inserted late: the band widens around it, the values of the rows
    # before it and (the costs away from it being high) after it are those of the first sweep.
    rng = np.random.default_rng(3)
    n = m = 400
    table = {s: np.full((n + 1, m + 1), 9.0) for s in SHAPES}
    table[(1, 1)] = np.where(np.eye(n + 1, m + 1, dtype=bool), rng.random((n + 1, m + 1)), 9.0)
    old = Band.around(np.arange(n + 1, dtype=float), m, 4)
    marks = np.zeros(n + 1, np.bool_)
    marks[[100, 300]] = True
    new = widen(old, marks, marks, 3)
    asked: list[int] = []

    def counting(band: Band) -> CostFunction:
        inner = table_factory(table)(band)

        def cost(shape: Shape, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            asked.extend(np.unique(i).tolist())
            return inner(shape, i, j)

        return cost

    shapes = normalise_shapes(SHAPES)
    first = _sweep(old, shapes, counting(old), None, keep_values=True)
    assert first.values is not None
    full = _sweep(new, shapes, counting(new), None)
    asked.clear()
    previous = _Previous(old, first.values, first.codes)
    reswept = _sweep(new, shapes, counting(new), None, previous=previous)
    assert np.array_equal(reswept.codes, full.codes)
    changed = set(np.flatnonzero((old.lo != new.lo) | (old.hi != new.hi)).tolist())
    assert changed and set(asked) >= changed
    assert len(set(asked)) < len(changed) + 4 * 16, sorted(set(asked))
