"""Exclusive word links of many beads at once: the candidates found by numpy, linked in order.

The confidences read the exclusive links (:meth:`aligner.scoring.refine.Scorer.links`) of the
two beads merged at each boundary next to a bead that is not 1-1, thousands of beads on a book
whose verses were joined and dropped. One bead at a time, finding each candidate link (a source
word, a target word the table translates it into, both in the bead) cost a Python loop over the
bead's words and their translations. Here the candidates of a block of beads are found by array
joins (each source word's table entries, then the bead's target sentences holding each entry's
word) and ordered as the scorer orders them (strongest link first, ties to the one nearer the
bead's diagonal, then by sentence and token); only the competitive linking itself, which
depends on the links made before, stays a loop. The links are the scorer's, float for float.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from aligner.arrays import IntArray
from aligner.features.tokens import Side
from aligner.scoring.cost import Model
from aligner.scoring.linking import Candidate, Links, link_in_order

Span = tuple[int, int, int, int]  # i0, i1, j0, j1
#: Beads whose candidates are found at once: the arrays of a block stay a few megabytes.
SPAN_BLOCK = 512


def row_ranges(lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray]:
    """Every ``x`` in ``lo[r]:hi[r]`` for each row ``r``, as (row, x), rows in order."""
    counts = hi - lo
    rows = np.repeat(np.arange(len(lo)), counts)
    firsts = np.cumsum(counts) - counts
    return rows, lo[rows] + np.arange(int(counts.sum())) - firsts[rows]


class _Live:
    """One side's informative word occurrences (weight above 0), by sentence, with how often
    each is written (1 when not counted: the scorer's words without the sentences' text)."""

    def __init__(self, side: Side) -> None:
        live = side.weight[side.occ_tok] > 0
        self.sent = side.occ_sent[live]
        self.tok = side.occ_tok[live]
        count = side.occ_count
        self.count = (
            np.maximum(count[live], 1).astype(np.int64)
            if count is not None
            else np.ones(len(self.tok), np.int64)
        )
        self.starts = np.searchsorted(self.sent, np.arange(side.n + 1))


class _Joins:
    """What the joins of every block read: both sides' informative occurrences and where each
    source token's table entries start."""

    def __init__(self, model: Model) -> None:
        self.src, self.tgt = _Live(model.texts.src), _Live(model.texts.tgt)
        self.table = model.table
        tokens = np.arange(len(model.texts.src.weight) + 1)
        self.tab_starts = np.searchsorted(self.table.src, tokens)
        self.n_src, self.n_tgt = len(model.texts.src.weight), len(model.texts.tgt.weight)
        # Python floats for the linking loop, as the scorer's.
        self.s_weight: list[float] = model.texts.src.weight.tolist()
        self.t_weight: list[float] = model.texts.tgt.weight.tolist()

    def candidates(self, block: IntArray) -> tuple[list[int], list[Candidate]]:
        """The candidate links of the beads of ``block`` (rows of i0, i1, j0, j1), as the
        scorer makes them, bead after bead, each bead's in the scorer's order; and where each
        bead's start in that list (one more for the end)."""
        src, tgt, n_t = self.src, self.tgt, self.n_tgt
        i0, i1, j0, j1 = (block[:, c] for c in range(4))
        # Each bead's target words keyed by bead and token, sorted: a few thousand keys
        # searched for each source word's table entries in the bead.
        trow, q_all = row_ranges(tgt.starts[j0], tgt.starts[j1])
        tkey = trow * n_t + tgt.tok[q_all]
        by_key = np.argsort(tkey, kind="stable")
        tkey, q_all = tkey[by_key], q_all[by_key]
        rows, p = row_ranges(src.starts[i0], src.starts[i1])
        tok = src.tok[p]
        at, e = row_ranges(self.tab_starts[tok], self.tab_starts[tok + 1])
        # Only the entries whose word some bead of the block holds can match: the others are
        # left out before the searches (most of a word's translations are not in its bead).
        written = np.zeros(n_t, np.bool_)
        written[tgt.tok[q_all]] = True
        entry = self.table.tgt[e]
        kept = np.flatnonzero(written[entry])
        at, e, entry = at[kept], e[kept], entry[kept]
        rows, p = rows[at], p[at]
        want = rows * n_t + entry
        lo = np.searchsorted(tkey, want, "left")
        hi = np.searchsorted(tkey, want, "right")
        at, q = row_ranges(lo, hi)
        rows, p, e, q = rows[at], p[at], e[at], q_all[q]
        k, m_ = src.sent[p], tgt.sent[q]
        neg = -self.table.val[e]
        # The scorer's distance from the diagonal, the same operations on the same numbers.
        rel = (k - i0[rows] + 0.5) / (i1 - i0)[rows]
        dist = np.abs(rel - (m_ - j0[rows] + 0.5) / (j1 - j0)[rows])
        s, t = src.tok[p], tgt.tok[q]
        # The scorer sorts (minus the value, distance, k, s, m_, t): bead first, then these.
        by = np.lexsort((t, m_, s, k, dist, neg, rows))
        cols = (
            neg,
            dist,
            k,
            s,
            m_,
            t,
            src.count[p],
            tgt.count[q],
            k * self.n_src + s,
            m_ * n_t + t,
        )
        starts = np.searchsorted(rows[by], np.arange(len(block) + 1))
        cands: list[Candidate] = list(zip(*(c[by].tolist() for c in cols), strict=True))
        return starts.tolist(), cands

    def links(self, block: IntArray) -> list[Links]:
        """The exclusive links of each bead of ``block``, linked as the scorer links them."""
        starts, cands = self.candidates(block)
        s_weight, t_weight = self.s_weight, self.t_weight
        return [link_in_order(cands[lo:hi], s_weight, t_weight) for lo, hi in pairwise(starts)]


def exclusive_links(model: Model, spans: Sequence[Span]) -> list[Links]:
    """The exclusive links of each bead of ``spans``, as ``Scorer(model).links(span)`` gives
    them (a sentence holds each word once, and the table one entry per pair of words)."""
    joins = _Joins(model)
    out: list[Links] = []
    for first in range(0, len(spans), SPAN_BLOCK):
        block = np.asarray(spans[first : first + SPAN_BLOCK], np.int64).reshape(-1, 4)
        out += joins.links(block)
    return out
