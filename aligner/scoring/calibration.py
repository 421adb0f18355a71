"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 25 dev documents (7757 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.028 / 0.033
transread 0.011 / 0.011
bible 0.022 / 0.029
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "margin_for": 0.033928,
    "margin_against": -0.492862,
    "unaligned": -0.351987,
    "wide": -0.047474,
    "length_misfit": -0.114886,
    "shape_log_prior": 0.287352,
    "one_to_one_share": 0.996919,
    "one_to_one_share*margin_for": 1.022678,
    "matched_share": 0.945468,
    "unaligned*matched_share": -0.264697,
    "bias": 0.626362,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 23.539775,
    "bias": -6.396393,
}
