"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 25 dev documents (7777 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.028 / 0.033
transread 0.015 / 0.014
bible 0.022 / 0.021
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "margin_for": 0.120048,
    "margin_against": -0.194292,
    "unaligned": -0.28874,
    "wide": -0.499695,
    "length_misfit": -0.061411,
    "shape_log_prior": 0.131392,
    "one_to_one_share": 1.04305,
    "one_to_one_share*margin_for": 0.86567,
    "matched_share": 0.840844,
    "unaligned*matched_share": -0.257794,
    "bias": 0.668121,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.718841,
    "bias": -6.946556,
}
