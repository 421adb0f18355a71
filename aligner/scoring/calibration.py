"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46978 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.031 / 0.021
transread 0.008 / 0.010
bible 0.003 / 0.004
perturbed 0.006 / 0.006
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.307493,
    "wide": -1.485021,
    "soft_edge": -0.932598,
    "shape_log_prior": 0.029132,
    "one_to_one_share": 1.723264,
    "one_to_one_share*posterior": 1.48763,
    "matched_share": 0.937846,
    "outward": -1.324102,
    "next_to_wide": -0.692304,
    "bias": 0.456424,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.839126,
    "bias": -6.96792,
}
