"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46911 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.036 / 0.039
transread 0.013 / 0.014
bible 0.008 / 0.008
perturbed 0.017 / 0.017
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 1.394324,
    "wide": -0.6155,
    "length_misfit": -0.036972,
    "shape_log_prior": 0.07111,
    "one_to_one_share": 0.996603,
    "matched_share": 0.568436,
    "bias": 0.507149,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.925986,
    "bias": -6.959834,
}
