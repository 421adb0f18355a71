"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46981 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.028 / 0.023
transread 0.008 / 0.010
bible 0.003 / 0.004
perturbed 0.007 / 0.007
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.295816,
    "wide": -1.48184,
    "soft_edge": -0.931218,
    "shape_log_prior": 0.028951,
    "one_to_one_share": 1.750262,
    "one_to_one_share*posterior": 1.512006,
    "matched_share": 0.923471,
    "outward": -1.319317,
    "next_to_wide": -0.690342,
    "bias": 0.45086,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.851021,
    "bias": -6.967809,
}
