"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46925 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.027 / 0.024
transread 0.007 / 0.008
bible 0.003 / 0.003
perturbed 0.009 / 0.008
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.245253,
    "wide": -1.477774,
    "soft_edge": -0.918138,
    "shape_log_prior": 0.039959,
    "one_to_one_share": 1.689684,
    "one_to_one_share*posterior": 1.690739,
    "matched_share": 1.024052,
    "outward": -1.244133,
    "next_to_wide": -0.714699,
    "bias": 0.353315,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.928328,
    "bias": -6.962414,
}
