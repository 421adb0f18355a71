"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46924 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.027 / 0.026
transread 0.005 / 0.007
bible 0.004 / 0.003
perturbed 0.008 / 0.008
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.238629,
    "wide": -1.463585,
    "soft_edge": -0.934031,
    "shape_log_prior": 0.043152,
    "one_to_one_share": 1.711866,
    "one_to_one_share*posterior": 1.683673,
    "matched_share": 0.998257,
    "outward": -1.224003,
    "next_to_wide": -0.695305,
    "bias": 0.377958,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.90846,
    "bias": -6.967279,
}
