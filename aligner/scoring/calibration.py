"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 25 dev documents (7773 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.033 / 0.036
transread 0.016 / 0.012
bible 0.022 / 0.022
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "margin_for": 0.140968,
    "margin_against": -0.136842,
    "unaligned": -0.272612,
    "wide": -0.494318,
    "length_misfit": -0.057323,
    "shape_log_prior": 0.154582,
    "one_to_one_share": 1.024618,
    "one_to_one_share*margin_for": 0.864658,
    "matched_share": 0.831973,
    "unaligned*matched_share": -0.242517,
    "bias": 0.672205,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.761291,
    "bias": -6.956883,
}
