"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Provisional (fitted on recorded dev evidence); rerun tools/fit_calibration.py.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 1.304421,
    "unaligned": -0.10899,
    "wide": -0.604412,
    "length_misfit": -0.031158,
    "shape_log_prior": 0.040324,
    "one_to_one_share": 0.82353,
    "matched_share": 0.512995,
    "unaligned*matched_share": -0.106657,
    "bias": 0.514267,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.761291,
    "bias": -6.956883,
}
