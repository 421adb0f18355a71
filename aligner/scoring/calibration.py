"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 25 dev documents (7769 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.030 / 0.035
transread 0.011 / 0.012
bible 0.024 / 0.024
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "margin_for": 0.09557,
    "margin_against": -0.324154,
    "unaligned": -0.380602,
    "wide": -0.121317,
    "length_misfit": -0.114657,
    "shape_log_prior": 0.255563,
    "one_to_one_share": 1.14635,
    "one_to_one_share*margin_for": 0.925936,
    "matched_share": 0.743131,
    "unaligned*matched_share": -0.351949,
    "bias": 0.753766,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.563336,
    "bias": -7.116647,
}
