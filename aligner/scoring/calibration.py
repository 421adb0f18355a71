"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).

Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.

Fitted on 33 dev documents (46956 beads) and 25 mismatched pairs.
Expected calibration error, in sample / held out:
textberg 0.031 / 0.029
transread 0.007 / 0.008
bible 0.003 / 0.003
perturbed 0.009 / 0.008
"""

from __future__ import annotations

from collections.abc import Mapping

#: Bead model: P(bead exactly right | the texts are translations) =
#: sigmoid(bias + sum of weight * feature), features as
#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.
BEAD_WEIGHTS: Mapping[str, float] = {
    "posterior": 0.272165,
    "wide": -1.505604,
    "soft_edge": -0.931824,
    "shape_log_prior": 0.031215,
    "one_to_one_share": 1.847503,
    "one_to_one_share*posterior": 1.582686,
    "matched_share": 0.94943,
    "outward": -1.264644,
    "next_to_wide": -0.710212,
    "bias": 0.382034,
}
#: Document model: P(the texts are translations of each other), same form, features as
#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.
DOCUMENT_WEIGHTS: Mapping[str, float] = {
    "matched_share": 15.883873,
    "bias": -6.973343,
}
