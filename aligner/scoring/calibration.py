"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46947 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.031 / 0.029
transread 0.007 / 0.008
bible 0.003 / 0.003
perturbed 0.008 / 0.008
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.269352,
    "wide": -1.504464,
    "soft_edge": -0.932403,
    "shape_log_prior": 0.032031,
    "one_to_one_share": 1.834945,
    "one_to_one_share*posterior": 1.589172,
    "matched_share": 0.949332,
    "outward": -1.264714,
    "next_to_wide": -0.709232,
    "bias": 0.38894,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.883753,
    "bias": -6.973294,
}
