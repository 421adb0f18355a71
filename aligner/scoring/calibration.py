"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46920 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.033 / 0.028
transread 0.010 / 0.010
bible 0.003 / 0.003
perturbed 0.008 / 0.008
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.322661,
    "wide": -1.552372,
    "length_misfit": 0.039766,
    "shape_log_prior": 0.071916,
    "one_to_one_share": 1.727406,
    "one_to_one_share*posterior": 1.655706,
    "matched_share": 0.679565,
    "outward": -1.22285,
    "next_to_wide": -0.746874,
    "bias": 0.309403,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.930122,
    "bias": -6.962322,
}
