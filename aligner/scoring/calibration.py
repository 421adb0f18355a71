"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46925 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.029 / 0.027
transread 0.009 / 0.010
bible 0.003 / 0.003
perturbed 0.008 / 0.007
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.349437,
    "wide": -1.581391,
    "length_misfit": 0.046909,
    "shape_log_prior": 0.084279,
    "one_to_one_share": 1.830764,
    "one_to_one_share*posterior": 1.587555,
    "matched_share": 0.66125,
    "outward": -1.212257,
    "next_to_wide": -0.761275,
    "bias": 0.2931,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.928328,
    "bias": -6.962414,
}
