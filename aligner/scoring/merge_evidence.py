"""Merge evidence of each bead of a path: what joining it with a neighbouring bead would change.

The commonest errors the confidence misses are granularity disagreements: a gold 2-2 or 3-2
bead cut into 1-1 beads, or the reverse, each part a faithful translation. What can tell such a
cut from a right one is what the two beads would look like as one bead:

* ``length_gain``: how much the Gale–Church length term (``-log P(|delta|)``, no shape prior)
  of the two beads exceeds the merged bead's (the larger of the merges with the previous and the
  next bead). A sentence boundary one translator put elsewhere shows as complementary length
  deviations in adjacent beads, one too long on the source side, the next on the target side,
  which cancel when merged; two right beads' independent deviations rarely do.

The calibration's ablation measured it and, with ``full``, the search's own view of the merge
(the others cost a call of the cost function per boundary); none is a shipped input of the
confidence (``benchmarks/RESULTS.md``, round six):

* ``posterior``: the lattice's probability that the merged bead is on the path (the larger of
  the two merges), at the temperature the bead's own posterior is read at;
* ``margin``: the merged bead's cost less the two beads' (the smaller of the two merges): what
  the merge costs in the search's own terms, priors included;
* ``coverage_gain``: the merged bead's summed sentence coverage (each word's best match on its
  other side, less chance) less the two beads' (the larger of the two merges): words of one bead
  whose translation is in the neighbour's other side.

A merge is read only into a paired bead (two unaligned sentences of one side merged are still
unaligned); the search's figures only for merged shapes the search has (others read as no
merge: margin :data:`MARGIN_CLIP`, posterior and coverage gain 0).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from aligner.arrays import FloatArray, IntArray
from aligner.scoring.cost import Matches, Model
from aligner.search import CostFunction, Step, step_edges
from aligner.search.lattice import Lattice
from aligner.types import Shape

#: Cost margins are clipped to ±this (cost units): a bead with no merge the search has reads it.
MARGIN_CLIP = 50.0


@dataclass(frozen=True)
class MergeEvidence:
    """Per bead of a path, the figures of the module docstring (the last three zeros, and the
    margin :data:`MARGIN_CLIP`, unless measured)."""

    length_gain: FloatArray
    posterior: FloatArray
    margin: FloatArray
    coverage_gain: FloatArray


def _match(model: Model, shape: Shape, l1: FloatArray, l2: FloatArray) -> FloatArray:
    """The Gale–Church length term of beads ``shape`` (their length cost less the shape prior)."""
    length = model.length
    return np.asarray(length.cost(shape, l1, l2) + math.log(length.prior(shape)), np.float64)


def _by_shape(a_of: IntArray, b_of: IntArray) -> list[tuple[Shape, IntArray]]:
    """The indices of each shape ``(a, b)`` among the pairs of sizes, paired shapes only."""
    shapes = {(int(a), int(b)) for a, b in zip(a_of, b_of, strict=True) if a and b}
    return [(s, np.flatnonzero((a_of == s[0]) & (b_of == s[1]))) for s in sorted(shapes)]


def _per_bead(edge: FloatArray, k: int, pick: np.ufunc, empty: float) -> FloatArray:
    """Each bead's value from its two boundaries' (``pick`` of the two; ``empty`` for none)."""
    out = np.full(k, empty)
    out[:-1] = pick(out[:-1], edge)
    out[1:] = pick(out[1:], edge)
    return out


def merge_evidence(
    model: Model,
    steps: Sequence[Step],
    fn: CostFunction | None = None,
    matches: Matches | None = None,
    lat: Lattice | None = None,
    full: bool = False,
) -> MergeEvidence:
    """The :class:`MergeEvidence` of each step of a path under ``model``; with ``full``, the
    search's figures too, from ``fn`` and ``matches`` (covering a band around the path) and the
    lattice ``lat`` over it."""
    k = len(steps)
    i0, i1, j0, j1 = step_edges(steps)
    texts = model.texts
    l1 = texts.src_len[i1] - texts.src_len[i0]
    l2 = texts.tgt_len[j1] - texts.tgt_len[j0]
    own = np.zeros(k)
    for shape, sel in _by_shape(i1 - i0, j1 - j0):
        own[sel] = _match(model, shape, l1[sel], l2[sel])
    zeros = np.zeros(k)
    if k < 2:
        return MergeEvidence(zeros, zeros, np.full(k, MARGIN_CLIP), zeros)
    # Each boundary between beads b and b + 1 once; both beads read its merge.
    first, second = np.arange(k - 1), np.arange(1, k)
    merged = _by_shape(i1[second] - i0[first], j1[second] - j0[first])
    edge = np.zeros(k - 1)
    for shape, sel in merged:
        f, s = first[sel], second[sel]
        edge[sel] = own[f] + own[s] - _match(model, shape, l1[f] + l1[s], l2[f] + l2[s])
    length_gain = _per_bead(edge, k, np.maximum, 0.0)
    if not full or fn is None or matches is None:
        return MergeEvidence(length_gain, zeros, np.full(k, MARGIN_CLIP), zeros)
    raw = replace(model, baseline=0.0)  # coverage against chance only, as the confidence reads it
    cost = np.zeros(k)
    cover = np.zeros(k)
    for a, b in {(int(a), int(b)) for a, b in zip(i1 - i0, j1 - j0, strict=True)}:
        sel = np.flatnonzero((i1 - i0 == a) & (j1 - j0 == b))
        cost[sel] = fn((a, b), i1[sel], j1[sel])
        if a and b:
            cover[sel] = matches.coverage(raw, i1[sel], j1[sel], a, b)
    allowed = set(model.config.shapes)
    post, margin, gain = np.zeros(k - 1), np.full(k - 1, MARGIN_CLIP), np.full(k - 1, -np.inf)
    for shape, sel in merged:
        if shape not in allowed:
            continue
        f, s = first[sel], second[sel]
        ei, ej = i1[s], j1[s]
        margin[sel] = np.asarray(fn(shape, ei, ej), np.float64) - cost[f] - cost[s]
        gain[sel] = matches.coverage(raw, ei, ej, *shape) - cover[f] - cover[s]
        if lat is not None:
            post[sel] = lat.bead(shape, ei, ej)
    coverage_gain = _per_bead(gain, k, np.maximum, -np.inf)
    return MergeEvidence(
        length_gain,
        _per_bead(post, k, np.maximum, 0.0),
        np.clip(_per_bead(margin, k, np.minimum, MARGIN_CLIP), -MARGIN_CLIP, MARGIN_CLIP),
        np.where(np.isfinite(coverage_gain), coverage_gain, 0.0),
    )
