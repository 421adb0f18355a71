"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46920 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.025 / 0.032
transread 0.013 / 0.013
bible 0.006 / 0.006
perturbed 0.014 / 0.014
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.713508,
    "wide": -0.567302,
    "length_misfit": -0.039648,
    "shape_log_prior": 0.049619,
    "one_to_one_share": 0.871235,
    "one_to_one_share*posterior": 1.054386,
    "matched_share": 0.549837,
    "bias": 0.508409,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.930122,
    "bias": -6.962322,
}
