"""Labels, expected calibration error, reliability tables and AUC for the calibration work.

Shared by ``benchmarks/calibration.py`` and ``tools/fit_calibration.py``. A bead is right when it
is exactly a gold bead (strict, as in ``aligner.evaluate``); in an unrelated pair (empty gold)
every paired bead is wrong and every unaligned sentence right.

Expected calibration error: beads binned by confidence into :data:`BINS` equal-width bins, the
gap between mean confidence and share right in each bin, weighted by the bin's share of beads
(Naeini, Cooper and Hauskrecht 2015, "Obtaining well calibrated probabilities using Bayesian
binning", AAAI; the form Guo et al. 2017 report).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from devsets import Doc

from aligner.pipeline import align
from aligner.scoring.confidence import Evidence, recording
from aligner.types import Alignment

FloatArray = npt.NDArray[np.float64]
#: Equal-width confidence bins of the reliability tables and the ECE.
BINS = 10


@dataclass(frozen=True)
class Scored:
    """One aligned document: its alignment, the evidence behind it and each bead's label."""

    doc: Doc
    alignment: Alignment
    evidence: Evidence
    right: FloatArray


def labels(alignment: Alignment, doc: Doc) -> FloatArray:
    """1.0 for each bead that is exactly right against ``doc.gold``, else 0.0."""
    if not doc.gold:
        return np.array([0.0 if b.src and b.tgt else 1.0 for b in alignment.beads])
    gold = set(doc.gold)
    return np.array([1.0 if (b.src, b.tgt) in gold else 0.0 for b in alignment.beads])


def score(doc: Doc) -> Scored:
    """Align ``doc`` with the default settings and label its beads."""
    with recording() as seen:
        result = align(doc.src, doc.tgt, src_lang=doc.src_lang, tgt_lang=doc.tgt_lang)
    if len(seen) != 1:  # an empty side is aligned without scoring a path
        raise ValueError(f"{doc.name}: expected one scored path, got {len(seen)}")
    return Scored(doc, result, seen[0], labels(result, doc))


def reliability(
    conf: FloatArray, right: FloatArray
) -> list[tuple[float, float, int, float, float]]:
    """Per non-empty bin: its bounds, number of beads, mean confidence and share right."""
    idx = np.minimum((conf * BINS).astype(np.int64), BINS - 1)
    out = []
    for b in range(BINS):
        sel = idx == b
        if sel.any():
            out.append(
                (
                    b / BINS,
                    (b + 1) / BINS,
                    int(sel.sum()),
                    float(conf[sel].mean()),
                    float(right[sel].mean()),
                )
            )
    return out


def ece(conf: FloatArray, right: FloatArray) -> float:
    """Expected calibration error over :data:`BINS` equal-width bins (0 for no beads)."""
    if conf.size == 0:
        return 0.0
    return sum(n / conf.size * abs(c - r) for _, _, n, c, r in reliability(conf, right))


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))
