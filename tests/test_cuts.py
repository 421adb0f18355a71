"""The length evidence of a cut (aligner.scoring.cuts) and the refinement's use of it."""

from __future__ import annotations

import numpy as np
from engine import model_of

from aligner.features.length import LengthModel
from aligner.scoring.cuts import cut_evidence, cut_log_ratio
from aligner.scoring.refine import refine
from aligner.search import Step

LENGTH = LengthModel(ratio=1.0, variance=6.8)
# Pairs of names after the first two, so that a shared name is rare (as in test_refine.py).
NAMES = ["Zermatt", "Grindelwald", "Chamonix", "Cervinia", "Courmayeur", "Saastal", "Arolla"]
FILLER = ["Annapurna glacier."] + [
    f"{a} {b}." for a, b in zip(NAMES, NAMES[1:] + NAMES[:1], strict=True)
]
MERGED = (
    Step(0, 2, 0, 2, 0.0),
    *(Step(k, k + 1, k, k + 1, 0.0) for k in range(2, 2 + len(FILLER))),
)


def _prefix(lengths: list[float]) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(lengths)])


def test_a_cut_at_corresponding_lengths_argues_for_two_beads_and_one_far_off_for_one() -> None:
    whole = (0, 2, 0, 2)
    matching = cut_log_ratio(LENGTH, _prefix([100, 100]), _prefix([104, 96]), whole, 1, 1)
    far_off = cut_log_ratio(LENGTH, _prefix([100, 100]), _prefix([40, 160]), whole, 1, 1)
    assert matching > 0 > far_off
    # The sides play the same part (Gale and Church's lengths are symmetrised).
    swapped = cut_log_ratio(LENGTH, _prefix([104, 96]), _prefix([100, 100]), whole, 1, 1)
    assert abs(matching - swapped) < 1e-9


def test_only_cuts_between_beads_with_both_sides_count() -> None:
    src, tgt = _prefix([100, 100, 50]), _prefix([104, 96, 50])
    two = [(0, 1, 0, 1), (1, 2, 1, 2)]
    assert cut_evidence(LENGTH, src, tgt, two) == cut_log_ratio(
        LENGTH, src, tgt, (0, 2, 0, 2), 1, 1
    )
    with_null = [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 2)]  # a 1-0 bead's edge is no cut
    assert cut_evidence(LENGTH, src, tgt, with_null) == cut_evidence(LENGTH, src, tgt, two)
    assert cut_evidence(LENGTH, src, tgt, [(0, 2, 0, 2)]) == 0.0


def test_a_bead_held_by_one_name_across_a_cut_at_matching_lengths_is_split() -> None:
    # "Nuptse" moved across the sentence boundary holds the 2-2 together by a hair under the
    # costs alone; the cut falls at corresponding lengths on both sides, which splits it.
    src = ["Kathmandu Lhotse Nuptse.", "Dhaulagiri Makalu summit Tengboche.", *FILLER]
    tgt = ["Kathmandu Lhotse.", "Dhaulagiri Makalu summit Tengboche Nuptse.", *FILLER]
    model = model_of(src, tgt)
    split = [(0, 1, 0, 1), (1, 2, 1, 2)]
    on = refine(model, MERGED, src, tgt)
    off = refine(model, MERGED, src, tgt, cut_lengths=False)
    assert [(s.i0, s.i1, s.j0, s.j1) for s in on][:2] == split
    assert next((s.i0, s.i1, s.j0, s.j1) for s in off) == (0, 2, 0, 2)
