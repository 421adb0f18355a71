"""Forward-backward posteriors (aligner.search.lattice) against brute-force enumeration of paths."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from aligner.arrays import FloatArray, IntArray
from aligner.search import Band, CostFunction, search
from aligner.search.lattice import lattice
from aligner.types import Shape

SHAPES: tuple[Shape, ...] = ((1, 1), (2, 1), (1, 2), (2, 2), (1, 0), (0, 1))


def _table_cost(seed: int) -> CostFunction:
    """A fixed pseudo-random cost per (shape, cell), some beads forbidden."""
    rng = np.random.default_rng(seed)
    table = {s: rng.uniform(0.0, 6.0, size=(8, 8)) for s in SHAPES}
    table[(2, 2)][rng.uniform(size=(8, 8)) < 0.3] = np.inf
    # Some forbidden insertions cut rows into runs (the scan's slower path).
    table[(0, 1)][rng.uniform(size=(8, 8)) < 0.2] = np.inf

    def cost(shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
        return np.asarray(table[shape][i, j], np.float64)

    return cost


def _paths(n: int, m: int, band: Band | None) -> Iterator[list[tuple[Shape, int, int]]]:
    """Every monotone path of SHAPES from (0, 0) to (n, m) inside the band, as (shape, i, j)."""

    def inside(i: int, j: int) -> bool:
        return band is None or band.contains(i, j)

    def walk(i: int, j: int) -> Iterator[list[tuple[Shape, int, int]]]:
        if (i, j) == (n, m):
            yield []
            return
        for a, b in SHAPES:
            if i + a <= n and j + b <= m and inside(i + a, j + b):
                for rest in walk(i + a, j + b):
                    yield [((a, b), i + a, j + b), *rest]

    yield from walk(0, 0)


def _brute(n: int, m: int, fn: CostFunction, t: float, band: Band | None):
    """Log Z, and per bead (shape, i, j) and per cell the summed path weight, over all paths."""
    beads: dict[tuple[Shape, int, int], float] = {}
    cells: dict[tuple[int, int], float] = {}
    total = 0.0
    for path in _paths(n, m, band):
        cost = sum(float(fn(s, np.array([i]), np.array([j]))[0]) for s, i, j in path)
        w = math.exp(-cost / t)
        total += w
        for step in path:
            beads[step] = beads.get(step, 0.0) + w
        for cell in [(0, 0), *((i, j) for _, i, j in path)]:
            cells[cell] = cells.get(cell, 0.0) + w
    return total, beads, cells


@pytest.mark.parametrize(("n", "m", "seed", "t"), [(4, 5, 1, 1.0), (5, 4, 2, 3.0), (3, 3, 3, 0.5)])
def test_posteriors_match_enumeration(n: int, m: int, seed: int, t: float) -> None:
    fn = _table_cost(seed)
    lat = lattice(n, m, SHAPES, lambda band: fn, temperature=t)
    total, beads, cells = _brute(n, m, fn, t, None)
    assert lat.log_z == pytest.approx(math.log(total), rel=1e-9)
    for a, b in SHAPES:
        for i in range(n + 1):
            for j in range(m + 1):
                want = beads.get(((a, b), i, j), 0.0) / total
                got = float(lat.bead((a, b), np.array([i]), np.array([j]))[0])
                assert got == pytest.approx(want, abs=1e-12)
    for i in range(n + 1):
        for j in range(m + 1):
            want = cells.get((i, j), 0.0) / total
            got = float(lat.node(np.array([i]), np.array([j]))[0])
            assert got == pytest.approx(want, abs=1e-12)


def test_band_restricts_paths_and_posteriors_sum_to_one_per_row() -> None:
    n, m = 6, 6
    fn = _table_cost(4)
    band = Band(np.array([0, 0, 1, 2, 3, 4, 5]), np.array([2, 3, 4, 5, 6, 6, 6]))
    lat = lattice(n, m, SHAPES, lambda b: fn, temperature=2.0, band=band)
    total, beads, _ = _brute(n, m, fn, 2.0, band)
    assert lat.log_z == pytest.approx(math.log(total), rel=1e-9)
    for (shape, i, j), w in beads.items():
        got = float(lat.bead(shape, np.array([i]), np.array([j]))[0])
        assert got == pytest.approx(w / total, abs=1e-12)
    # Every path leaves row 0 exactly once by a bead with a >= 1: those posteriors sum to 1.
    out_of_first = sum(w for (s, i, _), w in beads.items() if s[0] >= 1 and i - s[0] < 1)
    assert out_of_first / total == pytest.approx(1.0)
    assert float(lat.beta[0]) == pytest.approx(lat.log_z, rel=1e-9)


def test_best_path_beads_dominate_at_low_temperature() -> None:
    fn = _table_cost(5)
    steps = search(7, 7, SHAPES, lambda band: fn)
    lat = lattice(7, 7, SHAPES, lambda band: fn, temperature=1e-3)
    for s in steps:
        p = lat.bead(s.shape, np.array([s.i1]), np.array([s.j1]))[0]
        assert p == pytest.approx(1.0, abs=1e-6)


def test_rejects_bad_temperature_and_unreachable_end() -> None:
    fn = _table_cost(1)
    with pytest.raises(ValueError, match="temperature"):
        lattice(3, 3, SHAPES, lambda band: fn, temperature=0.0)

    def forbid(shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
        return np.full(i.shape, np.inf)

    with pytest.raises(ValueError, match="no path"):
        lattice(3, 3, SHAPES, lambda band: forbid, temperature=1.0)


@pytest.mark.parametrize(
    ("seed", "block", "held"), [(6, 1, 0), (7, 5, 0), (8, 13, 0), (9, 5, 30), (10, 13, 25)]
)
def test_blocked_weights_equal_one_block(
    monkeypatch: pytest.MonkeyPatch, seed: int, block: int, held: int
) -> None:
    """Weights held for the last ``held`` cells only (the others asked again per block in the
    backward sweep, and for each bead queried) give the same lattice, to the bit, as one block
    over the whole band with every weight held."""
    n, m = 7, 7
    fn = _table_cost(seed)
    band = Band(np.array([0, 0, 0, 1, 2, 3, 4, 5]), np.array([3, 4, 5, 6, 7, 7, 7, 7]))
    whole = lattice(n, m, SHAPES, lambda b: fn, temperature=1.5, band=band)
    monkeypatch.setattr("aligner.search.lattice.BLOCK_CELLS", block)
    monkeypatch.setattr("aligner.search.lattice.HELD_WEIGHT_BYTES", held * 8 * len(SHAPES))
    blocked = lattice(n, m, SHAPES, lambda b: fn, temperature=1.5, band=band)
    assert blocked.log_z == whole.log_z
    np.testing.assert_array_equal(blocked.alpha, whole.alpha)
    np.testing.assert_array_equal(blocked.beta, whole.beta)
    i, j = (x.ravel() for x in np.mgrid[0 : n + 1, 0 : m + 1])
    for shape in SHAPES:
        np.testing.assert_array_equal(blocked.bead(shape, i, j), whole.bead(shape, i, j))


def _counted(
    table: Callable[[Shape, IntArray, IntArray], FloatArray],
) -> tuple[Callable[[Shape, IntArray, IntArray], FloatArray], dict[tuple[Shape, int, int], int]]:
    """``table`` as a cost function that counts how often each bead is asked of it."""
    asked: dict[tuple[Shape, int, int], int] = {}

    def fn(shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
        for a, b in zip(i.tolist(), j.tolist(), strict=True):
            asked[(shape, a, b)] = asked.get((shape, a, b), 0) + 1
        return table(shape, i, j)

    return fn, asked


def test_held_weights_are_asked_of_the_cost_function_once() -> None:
    """With every weight held, each bead of each cell is asked for once, whichever of the
    forward and backward loops (run side by side, block by block) enters its block first."""
    n, m = 7, 7
    table = _table_cost(11)
    fn, asked = _counted(table)

    band = Band(np.array([0, 0, 0, 1, 2, 3, 4, 5]), np.array([3, 4, 5, 6, 7, 7, 7, 7]))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("aligner.search.lattice.BLOCK_CELLS", 5)
        lat = lattice(n, m, SHAPES, lambda b: fn, temperature=1.5, band=band)
    assert np.isfinite(lat.log_z)
    assert asked and max(asked.values()) == 1


def test_held_weights_stay_under_the_command_lines_mmap_threshold() -> None:
    """On a book-sized band with the widest beads pass 2 allows, the held weights fill their
    room and stay one block of the command line's kept heap: under glibc's ``mmap`` threshold
    as :mod:`aligner.allocator` sets it, so they are not mapped (and faulted in) afresh."""
    from aligner.allocator import MMAP_THRESHOLD
    from aligner.search.lattice import _State
    from aligner.search.programme import normalise_shapes

    shapes = normalise_shapes([(a, b) for a in range(1, 6) for b in range(1, 6) if a + b <= 6])
    n = 20_000
    lo = np.maximum(np.arange(n + 1) - 20, 0)
    band = Band(lo, np.minimum(lo + 40, n))
    state = _State.of(band, shapes, lambda shape, i, j: np.zeros(i.size), 1.0)
    assert state.held_from > 0  # the room is full: the table would be larger
    assert state.held.nbytes < MMAP_THRESHOLD
    # The second part holds the blocks before, in an array of its own under the threshold too.
    assert 0 < state.before_from < state.held_from
    assert 0 < state.before.nbytes < MMAP_THRESHOLD


def test_two_parts_hold_a_table_one_part_cannot() -> None:
    """A table larger than one part's room but within two is asked of the cost function once
    per bead, and gives the lattice of one part (the blocks before the held ones asked again),
    to the bit."""
    n, m = 7, 7
    table = _table_cost(12)
    fn, asked = _counted(table)

    band = Band(np.array([0, 0, 0, 1, 2, 3, 4, 5]), np.array([3, 4, 5, 6, 7, 7, 7, 7]))
    lats = []
    for parts in (2, 1):
        asked.clear()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("aligner.search.lattice.BLOCK_CELLS", 5)
            mp.setattr("aligner.search.lattice.HELD_WEIGHT_BYTES", 30 * 8 * len(SHAPES))
            mp.setattr("aligner.search.lattice.HELD_PARTS", parts)
            lats.append(lattice(n, m, SHAPES, lambda b: fn, temperature=1.5, band=band))
        if parts == 2:
            assert max(asked.values()) == 1
        else:
            assert max(asked.values()) == 2
    two, one = lats
    assert two.log_z == one.log_z
    np.testing.assert_array_equal(two.alpha, one.alpha)
    np.testing.assert_array_equal(two.beta, one.beta)
