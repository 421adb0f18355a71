"""Length evidence of a cut: whether two adjacent beads' lengths put their boundary at
corresponding places on both sides, against one bead whose inner boundaries are unrelated.

Gale and Church (1993) score a bead by its total lengths only. When the boundary refinement
(:mod:`aligner.scoring.refine`) weighs two adjacent beads against the one bead they make
together (two 1-1 beads against a 2-2, a 1-1 and a 2-1 against a 3-2), both options have the
same total lengths, and the Gale–Church costs of the parts say only that neither part is a
mismatch: a tail probability, which a perfect match cannot better. What tells the options
apart is where the cut falls. If the text holds two beads there, the target's characters
before the cut are about ``c`` times the source's, with Gale and Church's variance (a normal
density); if it holds one bead (a translator who moved a clause across the sentence boundary),
the two sides' inner sentence boundaries are unrelated and the target's cut may fall anywhere
along the bead (a uniform density over its length). The log ratio of the two densities is the
cut's evidence, in nats like the costs; the two directions (the target's cut given the
source's, and the source's given the target's) are averaged, as Gale and Church's lengths are
symmetrised.

William A. Gale and Kenneth W. Church (1993), "A Program for Aligning Sentences in Bilingual
Corpora", Computational Linguistics 19(1).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from aligner.features.length import LengthModel

Span = tuple[int, int, int, int]  # i0, i1, j0, j1


def cut_log_ratio(
    length: LengthModel,
    src_len: Sequence[float],
    tgt_len: Sequence[float],
    whole: Span,
    ci: int,
    cj: int,
) -> float:
    """``log`` of the density of the cut at source ``ci`` and target ``cj`` if the bead
    ``whole`` is two beads there, over its density if it is one bead (``src_len`` and
    ``tgt_len``: prefix sums of the sentences' characters)."""
    i0, i1, j0, j1 = whole
    l1, l2 = src_len[ci] - src_len[i0], tgt_len[cj] - tgt_len[j0]
    total1, total2 = src_len[i1] - src_len[i0], tgt_len[j1] - tgt_len[j0]
    c, s2 = length.ratio, length.variance
    # Gale and Church's symmetrised length and standardised difference (features.length).
    mean = max((l1 + l2 / c) / 2, 1.0)
    delta = (l2 - c * l1) / math.sqrt(s2 * mean)
    two = -0.5 * delta * delta - 0.5 * math.log(2 * math.pi * s2 * mean)
    # Uniform over the target's length, and over the source's in target characters.
    one = -0.5 * math.log(max(total2, 1.0) * max(c * total1, 1.0))
    return two - one


def cut_evidence(
    length: LengthModel, src_len: Sequence[float], tgt_len: Sequence[float], beads: Sequence[Span]
) -> float:
    """The summed :func:`cut_log_ratio` of the boundaries between consecutive ``beads`` where
    both beads have sentences on both sides (a null bead's edge is no cut inside a bead)."""
    total = 0.0
    for a, b in itertools.pairwise(beads):
        if a[0] == a[1] or a[2] == a[3] or b[0] == b[1] or b[2] == b[3]:
            continue
        total += cut_log_ratio(length, src_len, tgt_len, (a[0], b[1], a[2], b[3]), a[1], a[3])
    return total
