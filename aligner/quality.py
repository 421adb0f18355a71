"""What to tell a user about an alignment: warnings, and the beads kept above a confidence.

The figures behind them are the alignment's own: :attr:`Alignment.quality` (expected share of
right beads among the paired ones) and the bead confidences, both calibrated probabilities
(:mod:`aligner.scoring.confidence`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from aligner.types import Alignment, Bead

__all__ = [
    "LOPSIDED_RATIO",
    "QUALITY_THRESHOLD",
    "Kept",
    "alignment_warnings",
    "filter_beads",
]

#: Below this quality the paired beads are more likely wrong than right: the texts do not read
#: as translations of each other. On the dev sets (``tools/fit_calibration.py``, held out) true
#: pairs score 0.68 and up, each document paired with another one's translation 0.01 at most.
QUALITY_THRESHOLD = 0.5
#: One side with more than this many times the sentences or the characters of the other is
#: lopsided (our choice). The dev translations (de-fr, fr-en, fr-ru) stay within 1.35 times in
#: sentences and 1.31 in characters; a text against a quarter of it or less is more likely an
#: excerpt, a partial translation or the wrong file, and the alignment leaves most of it
#: unaligned or packs it into wide beads.
LOPSIDED_RATIO = 4.0
NOT_TRANSLATIONS = "these texts do not read as translations of each other"


def _ratio(a: int, b: int) -> float:
    """The larger of two sizes over the smaller (infinite when only one is 0, 1 when both)."""
    lo, hi = min(a, b), max(a, b)
    if hi == 0:
        return 1.0
    return hi / lo if lo else math.inf


def _lopsided(alignment: Alignment) -> str | None:
    """The lopsided-input warning, or None."""
    n_src, n_tgt = len(alignment.src), len(alignment.tgt)
    c_src = sum(len(s) for s in alignment.src)
    c_tgt = sum(len(s) for s in alignment.tgt)
    if max(_ratio(n_src, n_tgt), _ratio(c_src, c_tgt)) <= LOPSIDED_RATIO:
        return None
    return (
        f"lopsided input: the source has {_count(n_src, 'sentence')} "
        f"({_count(c_src, 'character')}), the target {_count(n_tgt, 'sentence')} "
        f"({_count(c_tgt, 'character')}), one more than {LOPSIDED_RATIO:g} times the other: "
        "an excerpt, a partial translation or the wrong file?"
    )


def _count(n: int, noun: str) -> str:
    """``1 sentence``, ``5,000 sentences``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def alignment_warnings(alignment: Alignment) -> list[str]:
    """One line per thing the user should know before trusting ``alignment`` (maybe none).

    A quality under :data:`QUALITY_THRESHOLD` ("these texts do not read as translations of each
    other"), and lopsided input (:data:`LOPSIDED_RATIO`). Alignments without sentences on either
    side get no quality warning: there is nothing to pair.
    """
    out: list[str] = []
    lopsided = _lopsided(alignment)
    if lopsided is not None:
        out.append(lopsided)
    if alignment.src and alignment.tgt and alignment.quality < QUALITY_THRESHOLD:
        out.append(
            f"{NOT_TRANSLATIONS} (quality {alignment.quality:.2f}, under {QUALITY_THRESHOLD:g})"
        )
    return out


@dataclass(frozen=True)
class Kept:
    """The beads whose confidence is at least ``min_confidence``, in order, and how many beads
    (and sentences, both sides counted) were left out."""

    beads: tuple[Bead, ...]
    min_confidence: float
    left_out: int
    left_out_sentences: int


def filter_beads(alignment: Alignment, min_confidence: float) -> Kept:
    """The beads of ``alignment`` with a confidence of at least ``min_confidence`` (in [0, 1]).

    The rest are left out: a corpus builder keeps what is likely right. ValueError for a
    threshold outside [0, 1] (or NaN).
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, got {min_confidence!r}")
    kept = tuple(b for b in alignment.beads if b.confidence >= min_confidence)
    dropped = [b for b in alignment.beads if b.confidence < min_confidence]
    return Kept(
        beads=kept,
        min_confidence=min_confidence,
        left_out=len(dropped),
        left_out_sentences=sum(len(b.src) + len(b.tgt) for b in dropped),
    )
