"""Moore (2004)'s remedies for Model 1's rare words, as the benchmark measures them
(benchmarks/model1_remedies.py): off, the shipped Model 1; on, a rare word takes less of the
frequent word it happens to share its beads with."""

from __future__ import annotations

import numpy as np
import pytest
from scripts import load_script

from aligner.features.ibm1 import IBM1_ITERATIONS, Cooccurrence, both_ways

MR = load_script("benchmarks/model1_remedies.py", register=True)

#: The rare source word: in two beads only, its translation in neither.
RARE = 10


def garbage_beads(seed: int = 0) -> Cooccurrence:
    """Forty beads of three words translated one for one (word ``k`` as ``k``), and two more
    holding the frequent word 1 and :data:`RARE`, whose translation is missing."""
    rng = np.random.default_rng(seed)
    beads = []
    for _ in range(40):
        words = rng.choice(np.arange(1, 10), size=3, replace=False).tolist()
        beads.append((words, words))
    beads += [([1, 2, RARE], [1, 2]), ([1, 3, RARE], [1, 3])]
    links = [(k, s, t) for k, (src, tgt) in enumerate(beads) for s in src for t in tgt]
    bead, src, tgt = (np.array(x, np.int64) for x in zip(*links, strict=True))
    return Cooccurrence(bead, src, tgt)


def _forward(co: Cooccurrence, source: int, target: int, **options: object) -> float:
    s, t, forward, _, _ = MR.both_ways(co, RARE + 1, RARE, IBM1_ITERATIONS, **options)
    return float(forward[(s == source) & (t == target)][0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_remedy_off_is_the_shipped_model_bit_for_bit(seed: int) -> None:
    co = garbage_beads(seed)
    want = both_ways(co, RARE + 1, RARE, IBM1_ITERATIONS)
    got = MR.both_ways(co, RARE + 1, RARE, IBM1_ITERATIONS)
    assert all(np.array_equal(a, b) for a, b in zip(want, got, strict=True))


def test_smoothing_keeps_a_rare_word_from_taking_a_frequent_words_translation() -> None:
    co = garbage_beads()
    plain = _forward(co, RARE, 1)
    assert plain > 0.7  # the garbage collector: most of the rare word's mass on word 1
    smoothed = _forward(co, RARE, 1, smoothing=1.0)
    assert smoothed < plain / 2
    # The frequent word keeps its own translation.
    assert _forward(co, 1, 1, smoothing=1.0) > 0.85


def test_llr_starts_a_rare_word_low_and_the_frequent_pair_high() -> None:
    both, a, b = np.array([2, 30]), np.array([2, 30]), np.array([20, 30])
    score = MR.log_likelihood_ratio(both, a, b, 42)
    assert 0 < score[0] < score[1]
    # No more than chance: no score.
    assert MR.log_likelihood_ratio(np.array([1]), np.array([10]), np.array([10]), 100)[0] == 0
