"""Tests for the band module: the search's lattice points against the join's sentence pairs."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.band import Band


@pytest.mark.parametrize("seed", range(6))
def test_sentence_pairs_hold_every_pair_a_bead_ending_in_the_band_reads(seed: int) -> None:
    # A bead (a, b) ending at the point (i, j) reads, for each of its source sentences r, the
    # pair (r, j - 1), and for each of its target sentences c, the pair (i - 1, c) (seen from
    # the target side): every one must be a cell of the sentence-pair view.
    rng = np.random.default_rng(seed)
    n_src, n_tgt = int(rng.integers(3, 30)), int(rng.integers(3, 30))
    guide = np.linspace(0, n_tgt, n_src + 1) + rng.normal(0, 2, n_src + 1)
    band = Band.around(guide, n_tgt, int(rng.integers(0, 4)))
    max_a, max_b = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    pairs = band.sentence_pairs(max_a, max_b)
    assert pairs.lo.size == pairs.hi.size == n_src  # one row per source sentence

    def holds(r: int, c: int) -> bool:
        return 0 <= r < n_src and int(pairs.lo[r]) <= c < int(pairs.hi[r])

    for i in range(n_src + 1):
        for j in range(int(band.lo[i]), int(band.hi[i]) + 1):
            for a in range(max_a + 1):
                for b in range(max_b + 1):
                    if a + b == 0 or not band.contains(i - a, j - b):
                        continue
                    if b:
                        assert all(holds(r, j - 1) for r in range(i - a, i)), (i, j, a, b)
                    if a:
                        assert all(holds(i - 1, c) for c in range(j - b, j)), (i, j, a, b)
