"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46911 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.023 / 0.032
transread 0.011 / 0.012
bible 0.006 / 0.006
perturbed 0.014 / 0.014
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.719435,
    "wide": -0.59933,
    "length_misfit": -0.038566,
    "shape_log_prior": 0.053733,
    "one_to_one_share": 0.86646,
    "one_to_one_share*posterior": 1.052673,
    "matched_share": 0.54871,
    "bias": 0.516343,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.925986,
    "bias": -6.959834,
}
