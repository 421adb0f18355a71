"""The Gale–Church length model: bead costs from character lengths, parameters from the texts.

William A. Gale and Kenneth W. Church (1993), "A Program for Aligning Sentences in Bilingual
Corpora", Computational Linguistics 19(1). https://aclanthology.org/J93-1004/

A bead pairs ``l1`` source characters with ``l2`` target characters. Gale and Church model
``l2`` as normal with mean ``c * l1`` and variance ``s2 * l1``; the cost of a bead is
``-log P(|delta| as large as observed) - log P(bead type)`` with ``delta = (l2 - c l1) /
sqrt(s2 l1)``. They fixed ``c = 1`` and ``s2 = 6.8`` for English–French–German; here both are
estimated from the two texts (a French–Russian pair has another ratio), and the variance is
re-estimated from the first pass's beads. Lengths are symmetrised as nltk does (``l1`` replaced by
the mean of ``l1`` and ``l2 / c``), so an insertion and a deletion are scored alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from aligner.arrays import FloatArray
from aligner.types import Shape

#: Variance per character of the length difference, Gale & Church (1993), section 4.
GC_VARIANCE = 6.8
#: Bead-type probabilities, Gale & Church (1993), table 5 (from 1,316 hand-aligned beads of the
#: Union Bank of Switzerland reports). The table pools 1-0 with 0-1 and 2-1 with 1-2; like nltk we
#: give each shape the pooled figure (the search normalises nothing, only ratios matter).
GC_PRIORS: Mapping[Shape, float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099,
    (0, 1): 0.0099,
    (2, 1): 0.089,
    (1, 2): 0.089,
    (2, 2): 0.011,
}
#: Prior for shapes Gale and Church did not model (1-3, 3-1, wider): our choice, below 2-2, and
#: divided by 10 for each further sentence. Strict F1 Text+Berg / TransRead at max_bead 4:
#: 0.904 / 0.937 against 0.905 / 0.935 for 0.002 and 0.904 / 0.936 for 0.01; at max_bead 5
#: dividing by 3 instead of 10 gave 0.917 / 0.940 against 0.916 / 0.940, by 2 0.906 / 0.939.
WIDE_PRIOR = 0.005
#: Weight of the Gale–Church priors when bead-type frequencies are re-estimated from a first
#: pass: they act as this many pseudo-beads (a Dirichlet prior). Strict F1 Text+Berg /
#: TransRead at max_bead 4: 0.904 / 0.937 against 0.901 / 0.938 for 100 and 0.909 / 0.934 for
#: 1000; at max_bead 5: 0.916 / 0.940 against 0.916 / 0.940 for 150 and 0.916 / 0.938 for 600.
#: Scaling the re-estimated 1-0 and 0-1 priors by 0.7, 1.5, 2 or 3 did no better on both.
PRIOR_PSEUDO_BEADS = 300.0
#: Share of the Gale–Church length cost kept for insertions and deletions (our choice). The
#: normal model says little about a sentence with no counterpart; its tail cost grows with the
#: length, so long untranslated sentences were forced into wrong 1-2 beads instead. Strict F1
#: Text+Berg / TransRead at max_bead 4: 0.904 / 0.937 against 0.900 / 0.935 for 0.05 and
#: 0.902 / 0.933 for 0.2.
INDEL_LENGTH_FACTOR = 0.1
#: 1-1 beads a first pass must have before their lengths replace the ratio of the totals.
MIN_RATIO_BEADS = 3
#: A&S 7.1.26 coefficients for erfc (Abramowitz & Stegun 1964, Handbook of Mathematical
#: Functions, formula 7.1.26; absolute error < 1.5e-7): numpy has no erfc, and the cost must be
#: vectorised over millions of cells.
_AS_P = 0.3275911
_AS_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def shape_prior(shape: Shape) -> float:
    """Gale–Church prior of a bead shape, :data:`WIDE_PRIOR` scaled down for wider ones."""
    if shape in GC_PRIORS:
        return GC_PRIORS[shape]
    a, b = shape
    if a < 0 or b < 0 or a + b == 0:
        raise ValueError(f"bad bead shape {shape}")
    return WIDE_PRIOR * 0.1 ** max(0, a + b - 4)


def log_erfc(x: FloatArray) -> FloatArray:
    """``log(erfc(x))`` for ``x >= 0``, stable for large ``x`` (A&S 7.1.26)."""
    return _log_erfc_into(np.abs(np.asarray(x, np.float64)))


def _log_erfc_into(x: FloatArray) -> FloatArray:
    """:func:`log_erfc` of ``x >= 0`` (float64), computed in the place of ``x`` and one more
    array: the same operations in the same order as the formula written out, without a
    temporary array per operation (the search asks for millions of cells)."""
    t = _AS_P * x
    t += 1.0
    np.divide(1.0, t, out=t)
    # Horner's scheme from the inside out: t * (A0 + t * (A1 + ... + t * A4)).
    poly = t * _AS_A[4]
    for coefficient in _AS_A[3::-1]:
        poly += coefficient
        poly *= t
    np.log(poly, out=poly)
    np.multiply(x, x, out=x)
    poly -= x
    return poly


@dataclass(frozen=True)
class LengthModel:
    """Expected target/source character ratio ``c`` and variance ``s2`` per source character."""

    ratio: float = 1.0
    variance: float = GC_VARIANCE
    priors: Mapping[Shape, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.ratio) and self.ratio > 0):
            raise ValueError(f"length ratio must be positive, got {self.ratio}")
        if not (math.isfinite(self.variance) and self.variance > 0):
            raise ValueError(f"length variance must be positive, got {self.variance}")
        for shape, p in self.priors.items():
            if not 0 < p <= 1:
                raise ValueError(f"prior of {shape} must be in (0, 1], got {p}")

    @classmethod
    def estimate(cls, src_lengths: FloatArray, tgt_lengths: FloatArray) -> LengthModel:
        """Ratio from the totals of the two texts, Gale and Church's variance rescaled to it."""
        total_src, total_tgt = float(np.sum(src_lengths)), float(np.sum(tgt_lengths))
        ratio = total_tgt / total_src if total_src > 0 and total_tgt > 0 else 1.0
        # s2 is a variance in target characters per source character: it scales with c.
        return cls(ratio=ratio, variance=GC_VARIANCE * ratio)

    def prior(self, shape: Shape) -> float:
        """Probability of a bead shape: re-estimated if known, else Gale and Church's."""
        return self.priors.get(shape, shape_prior(shape))

    def refit(
        self,
        shape_counts: Mapping[Shape, int],
        src_lengths: FloatArray | None = None,
        tgt_lengths: FloatArray | None = None,
    ) -> LengthModel:
        """Priors from a first pass's bead counts; the ratio from its 1-1 beads' lengths.

        The ratio of the totals is wrong when one text lacks whole passages (a translation of
        the first half only); the lengths of beads the first pass aligned one to one (at least
        :data:`MIN_RATIO_BEADS` of them) give it back. Gale and Church's priors act as
        :data:`PRIOR_PSEUDO_BEADS` pseudo-beads (a Dirichlet prior), so a short text keeps
        close to them. The variance only follows the ratio: re-estimated from a first pass's
        beads it came out too small (the beads chosen are those whose lengths agree) and the
        second pass then trusted lengths too much (strict F1 Text+Berg / TransRead at max_bead
        4, 0.904 / 0.937: the mean over the 1-1 beads 0.878 / 0.926, a median-based estimate
        0.871 / 0.919, the mean times 1.5 0.898 / 0.935, the mean shrunk to Gale and Church's
        with 300 pseudo-beads 0.899 / 0.932; at max_bead 5, the larger of the two 0.916 / 0.941
        against 0.916 / 0.940). A tail linear beyond 2 or 3 standard deviations (heavier than
        the normal) gave 0.900 / 0.939 and 0.904 / 0.937.
        """
        ratio, variance = self.ratio, self.variance
        if src_lengths is not None and tgt_lengths is not None:
            l1, l2 = float(np.sum(src_lengths)), float(np.sum(tgt_lengths))
            if len(src_lengths) >= MIN_RATIO_BEADS and l1 > 0 and l2 > 0:
                ratio = l2 / l1
                variance = self.variance * ratio / self.ratio
        total = sum(shape_counts.values())
        if total == 0:
            return LengthModel(ratio=ratio, variance=variance, priors=self.priors)
        shapes = set(shape_counts) | set(self.priors) | set(GC_PRIORS)
        base = {s: shape_prior(s) for s in shapes}
        norm = sum(base.values())
        priors = {
            s: (shape_counts.get(s, 0) + PRIOR_PSEUDO_BEADS * base[s] / norm)
            / (total + PRIOR_PSEUDO_BEADS)
            for s in shapes
        }
        return LengthModel(ratio=ratio, variance=variance, priors=priors)

    def cost(self, shape: Shape, l1: FloatArray, l2: FloatArray) -> FloatArray:
        """``-log P(delta) - log P(shape)`` for beads of ``l1`` and ``l2`` characters."""
        l1 = np.asarray(l1, np.float64)
        l2 = np.asarray(l2, np.float64)
        # The operations of ``(l1 + l2 / c) / 2``, ``(l2 - c l1) / sqrt(s2 * max(mean, 1))``
        # and so on, each written into an array already made (see _log_erfc_into).
        mean = l2 / self.ratio
        mean += l1
        mean /= 2
        root = np.maximum(mean, 1.0)
        root *= self.variance
        np.sqrt(root, out=root)
        delta = self.ratio * l1
        np.subtract(l2, delta, out=delta)
        delta /= root
        # P(|Z| >= |delta|) = erfc(|delta| / sqrt 2): a two-tailed normal probability.
        delta /= math.sqrt(2.0)
        np.abs(delta, out=delta)
        match = _log_erfc_into(delta)
        np.negative(match, out=match)
        np.copyto(match, 0.0, where=~(mean > 0))
        if 0 in shape:
            match *= INDEL_LENGTH_FACTOR
        match -= math.log(self.prior(shape))
        return match
