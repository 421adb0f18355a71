"""Bead confidences (aligner.scoring.confidence) tested directly on small cost models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.config import AlignConfig
from aligner.features.length import LengthModel
from aligner.features.lexicon import spelling_table
from aligner.scoring.confidence import calibrated, confidences, evidence
from aligner.scoring.cost import Model, Texts, factory
from aligner.search import Band, Step, search
from aligner.types import Shape

# (English, French) pairs sharing names and numbers: plenty of evidence for each pairing.
A = (
    "The delegation arrived in Brest-Litovsk on 20 November 1917.",
    "La délégation arriva à Brest-Litovsk le 20 novembre 1917.",
)
B = (
    "General Hoffmann received 4711 Russian officers at the station.",
    "Le général Hoffmann reçut 4711 officiers russes à la gare.",
)
C = (
    "Trotsky read the declaration to the assembly in Petrograd.",
    "Trotsky lut la déclaration devant l'assemblée à Petrograd.",
)
D = (
    "Negotiations about the Baltic islands continued until December.",
    "Les négociations sur les îles de la Baltique durèrent jusqu'en décembre.",
)
E = (
    "Kamenev and Joffe signed the protocol at 3 o'clock (Berlin time)!",
    "Kamenev et Joffe signèrent le protocole à 3 heures (heure de Berlin) !",
)
#: French sentences that translate nothing on the English side, of similar lengths.
UNRELATED = (
    *(f"Une phrase sans aucun rapport, la {w}, reste ici." for w in ("première", "deuxième")),
    *(f"Encore une phrase sans rapport, numéro {w}." for w in ("trois", "quatre", "cinq", "six")),
    *(f"Toujours rien à voir, phrase {w}." for w in ("sept", "huit", "neuf", "dix", "onze")),
)


def make_model(src: Sequence[str], tgt: Sequence[str], config: AlignConfig | None = None) -> Model:
    """A pass-1 model: ratio of the totals, spelling table, no paragraphs."""
    texts = Texts.of(src, tgt, (), ())
    length = LengthModel.estimate(texts.src.lengths, texts.tgt.lengths)
    return Model.of(texts, length, spelling_table(texts.src, texts.tgt), config or AlignConfig())


def path_of(model: Model, shapes: Sequence[Shape]) -> list[Step]:
    """The steps of a path of beads, each with its cost over the whole matrix."""
    fn = factory(model)(Band.full(model.texts.src.n, model.texts.tgt.n))
    steps, i, j = [], 0, 0
    for a, b in shapes:
        cost = float(fn((a, b), np.array([i + a], np.int64), np.array([j + b], np.int64))[0])
        steps.append(Step(i, i + a, j, j + b, cost))
        i, j = i + a, j + b
    assert (i, j) == (model.texts.src.n, model.texts.tgt.n)
    return steps


def searched(model: Model) -> list[Step]:
    """The best path under ``model``."""
    n, m = model.texts.src.n, model.texts.tgt.n
    return list(search(n, m, model.config.shapes, factory(model)))


def logit(p: np.ndarray) -> np.ndarray:
    """The inverse of the sigmoid."""
    return np.asarray(np.log(p) - np.log1p(-p))


# --- range and count -----------------------------------------------------------------------------


def test_one_confidence_per_step_in_the_unit_interval() -> None:
    pairs = (A, B, C, D, E)
    model = make_model([p[0] for p in pairs], [p[1] for p in pairs[:3]] + list(UNRELATED[:2]))
    steps = searched(model)
    conf = confidences(model, steps)
    assert conf.shape == (len(steps),)
    assert np.all(np.isfinite(conf)) and np.all((conf >= 0) & (conf <= 1))


WORDS = st.sampled_from(
    ["Paris", "Moscou", "1917", "42", "paix", "peace", "war", "la", "the", "?", "!", "Lenin"]
)
SENTENCES = st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=7)


@settings(max_examples=30, deadline=None)
@given(src=SENTENCES, tgt=SENTENCES, max_bead=st.integers(1, 4))
def test_confidences_of_any_best_path_are_probabilities(
    src: list[str], tgt: list[str], max_bead: int
) -> None:
    model = make_model(src, tgt, AlignConfig(max_bead=max_bead))
    steps = searched(model)
    conf = confidences(model, steps)
    assert conf.shape == (len(steps),)
    assert np.all((conf >= 0) & (conf <= 1)), conf


@pytest.mark.parametrize("posterior", [0.0, 1.0])
def test_extreme_posteriors_are_clipped_not_nan(posterior: float) -> None:
    model = make_model([A[0], B[0]], [A[1], B[1]])
    ev = evidence(model, path_of(model, [(1, 1), (1, 1)]))
    conf = calibrated(replace(ev, posterior=np.full(2, posterior)))
    assert np.all(np.isfinite(conf)) and np.all((conf >= 0) & (conf <= 1))


# --- clear against ambiguous ------------------------------------------------------------------


def test_a_bead_with_an_identical_twin_is_less_confident_than_a_distinct_one() -> None:
    # B's translation appears twice: pairing B with either copy costs the same, so its bead
    # is less sure than A's, which has no rival. (Calibrated on dev gold, a bead tied with a
    # local alternative is still right most of the time: ties are not capped at 0.5.)
    model = make_model([A[0], B[0], C[0]], [A[1], B[1], B[1], C[1]])
    steps = path_of(model, [(1, 1), (1, 1), (0, 1), (1, 1)])
    conf = confidences(model, steps)
    assert conf[0] > conf[1]


def test_repeated_sentences_are_ambiguous_everywhere_in_the_run() -> None:
    # Three identical sentences on each side, between two distinct ones: each 1-1 bead in the
    # run may shift by one at no cost.
    src = [A[0], B[0], B[0], B[0], C[0]]
    tgt = [A[1], B[1], B[1], B[1], C[1]]
    model = make_model(src, tgt)
    conf = confidences(model, path_of(model, [(1, 1)] * 5))
    assert conf[0] > conf[1:4].max() and conf[4] > conf[1:4].max()


@pytest.mark.parametrize(
    "unaligned",
    [
        0,
        3,
        8,
        # Regression: with nine or more unaligned sentences after the bead,
        # confidences() asks the cost function for the bead's shifted alternatives outside the
        # band it built it for (path_band centres the bead's row on the end of the run; see
        # test_cost.py::test_path_band_holds_every_cell_the_path_visits). Their lexical matches
        # read as zero, the twin looks much worse than the bead, and the coin toss gets 0.98.
        pytest.param(9, id="bug-9-unaligned-after"),
        pytest.param(11, id="bug-11-unaligned-after"),
    ],
)
def test_a_twin_stays_ambiguous_whatever_follows_it(unaligned: int) -> None:
    # B, then its translation twice, then ``unaligned`` French sentences that translate
    # nothing; the path leaves the second copy and those sentences unaligned.
    src = [A[0], B[0], C[0], D[0]]
    tgt = [A[1], B[1], B[1], *UNRELATED[:unaligned], C[1], D[1]]
    model = make_model(src, tgt)
    steps = path_of(model, [(1, 1), (1, 1), *[(0, 1)] * (unaligned + 1), (1, 1), (1, 1)])
    conf = confidences(model, steps)
    assert conf[1] < min(conf[0], conf[-1]), f"twin bead confidence {conf[1]:.3f}"


def test_a_translation_is_more_confident_than_a_forced_pairing() -> None:
    # The same path shape, once over translations and once pairing C with an unrelated
    # sentence: only lengths speak for the forced bead, so leaving both sentences out comes
    # closer to it than shifting a translation comes to the right bead.
    right = make_model([A[0], C[0], E[0]], [A[1], C[1], E[1]])
    forced = make_model([A[0], C[0], E[0]], [A[1], UNRELATED[0], E[1]])
    good = confidences(right, path_of(right, [(1, 1)] * 3))
    bad = confidences(forced, path_of(forced, [(1, 1)] * 3))
    assert good[1] > 0.9
    assert bad[1] < good[1]


# --- monotone in the posterior ----------------------------------------------------------------


def test_confidence_is_monotone_in_the_posterior() -> None:
    # A bead more of the lattice's weight passes through is never less confident, and over the
    # whole range it is more.
    pairs = (A, B, C, D, E)
    model = make_model([p[0] for p in pairs], [p[1] for p in pairs])
    ev = evidence(model, path_of(model, [(1, 1)] * len(pairs)))
    previous = None
    for p in np.linspace(0.01, 0.99, 13):
        conf = calibrated(replace(ev, posterior=np.full(len(pairs), p)))
        if previous is not None:
            assert np.all(conf >= previous)
        else:
            first = conf
        previous = conf
    assert np.all(previous > first)


def test_confidence_of_one_bead_depends_on_its_own_posterior_not_its_neighbours() -> None:
    pairs = (A, B, C, D)
    model = make_model([p[0] for p in pairs], [p[1] for p in pairs])
    ev = evidence(model, path_of(model, [(1, 1)] * len(pairs)))
    assert ev.posterior is not None
    before = calibrated(ev)
    lowered = ev.posterior.copy()
    lowered[1] = 0.3
    after = calibrated(replace(ev, posterior=lowered))
    assert after[1] < before[1]
    np.testing.assert_array_equal(np.delete(after, 1), np.delete(before, 1))


def test_twin_beads_share_the_posterior_and_see_their_rival() -> None:
    # B's translation twice: pairing B with either copy costs about the same, so the lattice gives
    # both 1-1 beads the same posterior, and each sees the other reading (here the 1-2 bead
    # taking both copies, which the search prefers) as a strong local alternative. A's bead,
    # without a rival, keeps nearly all the weight.
    model = make_model([A[0], B[0], C[0]], [A[1], B[1], B[1], C[1]])
    first = evidence(model, path_of(model, [(1, 1), (1, 1), (0, 1), (1, 1)]))
    second = evidence(model, path_of(model, [(1, 1), (0, 1), (1, 1), (1, 1)]))
    assert first.posterior is not None and second.posterior is not None
    assert first.alternative is not None
    assert first.posterior[0] > 0.95
    assert first.posterior[1] == pytest.approx(second.posterior[2], rel=0.01)
    assert first.posterior[1] < 0.5 < first.alternative[1]


def test_length_misfit_is_the_gale_church_tail_without_the_shape_prior() -> None:
    # A 2-1 bead whose lengths fit exactly (delta = 0): -log P(|delta| >= 0) = 0, whatever the
    # shape's prior; the prior is read apart as shape_log_prior.
    src = ("Un deux trois quatre.", "Cinq six sept huit.", A[0])
    model = make_model(src, ("x" * 10, A[1]))
    length = model.length
    l1 = model.texts.src_len[2] - model.texts.src_len[0]
    l2 = model.texts.tgt_len[1] - model.texts.tgt_len[0]
    model = replace(model, length=replace(length, ratio=float(l2 / l1)))
    ev = evidence(model, path_of(model, [(2, 1), (1, 1)]))
    assert ev.shape_log_prior[0] < np.log(0.5)
    assert ev.length_misfit[0] == pytest.approx(0.0, abs=1e-6)
    assert np.all(ev.length_misfit >= -1e-9)
