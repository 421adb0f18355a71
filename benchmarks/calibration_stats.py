"""Labels, calibration error, reliability tables, AUC and triage measures for the confidence work.

Shared by ``benchmarks/calibration.py``, ``benchmarks/triage.py`` and
``tools/fit_calibration.py``. A bead is right when it is exactly a gold bead (strict, as in
``aligner.evaluate``); in an unrelated pair (empty gold) every paired bead is wrong and every
unaligned sentence right.

Expected calibration error: beads binned by confidence into :data:`BINS` equal-width bins, the
gap between mean confidence and share right in each bin, weighted by the bin's share of beads
(Naeini, Cooper and Hauskrecht 2015, "Obtaining well calibrated probabilities using Bayesian
binning", AAAI; the form Guo et al. 2017 report).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from devsets import Doc, _cut_points, split_nulls

from aligner.evaluation import parse_beads
from aligner.pipeline import align_with_evidence
from aligner.scoring.confidence import Evidence
from aligner.types import Alignment

FloatArray = npt.NDArray[np.float64]
#: Equal-width confidence bins of the reliability tables and the ECE.
BINS = 10
#: Target languages of the perturbed Old Testament pairs (``bible_ot_perturbed_fr-*``).
PERTURBED_LANGS = ("en", "ru")


@dataclass(frozen=True)
class Scored:
    """One aligned document: its alignment, the evidence behind it and each bead's label."""

    doc: Doc
    alignment: Alignment
    evidence: Evidence
    right: FloatArray


def perturbed(data: Path, lang: str) -> Doc:
    """The perturbed Old Testament pair French-``lang`` (see its SOURCE.md), exact gold."""
    folder = data / f"bible_ot_perturbed_fr-{lang}"
    gold = parse_beads((folder / "gold").read_text(encoding="utf-8"))
    return Doc(
        f"perturbed-fr{lang}",
        "perturbed",
        tuple((folder / "src.txt").read_text(encoding="utf-8").splitlines()),
        tuple((folder / "tgt.txt").read_text(encoding="utf-8").splitlines()),
        "fr",
        lang,
        split_nulls(gold),
    )


def pieces(doc: Doc, count: int) -> list[Doc]:
    """``doc`` cut into ``count`` documents of about equal size at gold bead boundaries (every
    sentence of a piece before every sentence of the next, on both sides)."""
    gold = doc.gold
    cuts = [0, *_cut_points(gold, count), len(gold)]
    out: list[Doc] = []
    for k, (a, b) in enumerate(itertools.pairwise(cuts)):
        part = gold[a:b]
        s0 = min(i for s, _ in part for i in s)
        t0 = min(j for _, t in part for j in t)
        s1 = min((i for s, _ in gold[b:] for i in s), default=len(doc.src))
        t1 = min((j for _, t in gold[b:] for j in t), default=len(doc.tgt))
        shifted = tuple((tuple(i - s0 for i in s), tuple(j - t0 for j in t)) for s, t in part)
        out.append(
            replace(
                doc,
                name=f"{doc.name}-{k}",
                src=doc.src[s0:s1],
                tgt=doc.tgt[t0:t1],
                gold=shifted,
            )
        )
    return out


def labels(alignment: Alignment, doc: Doc) -> FloatArray:
    """1.0 for each bead that is exactly right against ``doc.gold``, else 0.0."""
    if not doc.gold:
        return np.array([0.0 if b.src and b.tgt else 1.0 for b in alignment.beads])
    gold = set(doc.gold)
    return np.array([1.0 if (b.src, b.tgt) in gold else 0.0 for b in alignment.beads])


def score(doc: Doc) -> Scored:
    """Align ``doc`` with the default settings and label its beads."""
    result, ev = align_with_evidence(doc.src, doc.tgt, src_lang=doc.src_lang, tgt_lang=doc.tgt_lang)
    if ev is None:  # an empty side is aligned without scoring a path
        raise ValueError(f"{doc.name}: no path was scored")
    return Scored(doc, result, ev, labels(result, doc))


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


def auroc(conf: FloatArray, right: FloatArray) -> float:
    """Probability that a random wrong bead is less confident than a random right one (ties
    count half); NaN when either kind is missing."""
    wrong = right < 0.5
    n_wrong, n_right = int(wrong.sum()), int((~wrong).sum())
    if n_wrong == 0 or n_right == 0:
        return float("nan")
    # Mann-Whitney U from mid-ranks: ties share their ranks.
    order = np.argsort(conf, kind="stable")
    ranks = np.empty(conf.size)
    sorted_conf = conf[order]
    starts = np.flatnonzero(np.r_[True, sorted_conf[1:] != sorted_conf[:-1]])
    ends = np.r_[starts[1:], conf.size]
    mid = (starts + ends + 1) / 2.0  # 1-based mid-rank of each run of ties
    ranks[order] = np.repeat(mid, ends - starts)
    u = ranks[~wrong].sum() - n_right * (n_right + 1) / 2.0
    return float(u / (n_right * n_wrong))


def found(conf: FloatArray, right: FloatArray, share: float) -> float:
    """Share of the wrong beads among the ``share`` least confident beads."""
    wrong = right < 0.5
    if not wrong.any():
        return float("nan")
    k = round(share * conf.size)
    least = np.argsort(conf, kind="stable")[:k]
    return float(wrong[least].sum() / wrong.sum())
