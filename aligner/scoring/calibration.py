"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46976 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.031 / 0.025
transread 0.008 / 0.010
bible 0.004 / 0.004
perturbed 0.007 / 0.007
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.290994,
    "wide": -1.483383,
    "soft_edge": -0.939532,
    "shape_log_prior": 0.030625,
    "one_to_one_share": 1.71821,
    "one_to_one_share*posterior": 1.517723,
    "matched_share": 0.966106,
    "outward": -1.336498,
    "next_to_wide": -0.693923,
    "bias": 0.440634,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.810201,
    "bias": -6.966443,
}
