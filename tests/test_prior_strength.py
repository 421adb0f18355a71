"""The benchmark's empirical-Bayes strength of the shape priors (benchmarks/prior_strength.py)."""

from __future__ import annotations

from collections import Counter

from scripts import load_script

from aligner.features.length import GC_PRIORS, LengthModel

PS = load_script("benchmarks/prior_strength.py")


def _mean() -> dict[tuple[int, int], float]:
    return PS.gc_mean(set(GC_PRIORS) | {(1, 3), (2, 3)})


def test_counts_as_the_mean_predicts_keep_a_strong_prior() -> None:
    mean = _mean()
    counts = Counter({s: round(1000 * m) for s, m in mean.items() if round(1000 * m)})
    assert PS.map_strength(counts, mean) > 1e4


def test_counts_far_from_the_mean_trust_themselves() -> None:
    mean = _mean()
    counts = Counter({(1, 1): 200, (2, 2): 40, (0, 1): 40, (1, 3): 15, (2, 3): 10})
    strength = PS.map_strength(counts, mean)
    assert 1 < strength < 100
    # The most likely strength: the likelihood is lower on both sides of it.
    here = PS.loglik(strength, counts, mean)
    assert PS.loglik(strength / 2, counts, mean) < here > PS.loglik(strength * 2, counts, mean)
    # Integrated out, the strength stays close to the most likely one on a peaked likelihood.
    assert abs(PS.posterior_strength(counts, mean) / strength - 1) < 0.2


def test_estimated_refit_smooths_with_the_estimate() -> None:
    counts = Counter({(1, 1): 200, (2, 2): 40, (0, 1): 40, (1, 3): 15, (2, 3): 10})
    shipped = LengthModel().refit(counts)
    estimated = PS.estimated_refit()(LengthModel(), counts)
    # A weaker prior than the shipped 300 pseudo-beads: 2-2 nearer its own share (40 / 305).
    assert shipped.priors[(2, 2)] < estimated.priors[(2, 2)] < 40 / 305
    assert abs(sum(estimated.priors.values()) - 1) < 1e-9
