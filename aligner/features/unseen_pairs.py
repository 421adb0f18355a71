"""Translations of the words a thinned IBM Model 1 sample never saw, by co-occurrence (Dice).

On a book the training beads hold more word pairs than :data:`~aligner.features.ibm1.
MAX_TRAINING_PAIRS`, and Model 1 trains on a sample of the beads: a word met in a few beads
is then often met in none of the sample, and gets no translation at all. Such words are
paired here over every training bead, each with the words the sample missed on the other side,
by the Dice coefficient of the beads they share (Smadja et al. 1996), a pair kept where each is
the other's best partner (Melamed 2000's one-to-one assumption) and shares at least
:data:`~aligner.features.ibm1.MIN_COOCCURRENCE` beads. Where Model 1 saw every bead the set is
empty.

Frank Smadja, Kathleen McKeown and Vasileios Hatzivassiloglou (1996), "Translating
Collocations for Bilingual Lexicons: A Statistical Approach", Computational Linguistics 22(1).
I. Dan Melamed (2000), "Models of Translational Equivalence among Words", Computational
Linguistics 26(2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.arrays import FloatArray, IntArray
from aligner.features import ibm1
from aligner.features.ibm1 import (
    EVIDENCE_PSEUDOCOUNT,
    MIN_COOCCURRENCE,
    _bead_of,
    _bead_types,
    _counted,
)
from aligner.features.tokens import Side


def _unlearned(
    side: Side, bead_of: IntArray, learned: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """(bead, token) of the matched tokens without a learned translation, each token's beads,
    and every bead's count of matched tokens."""
    beads, toks = _bead_types(side, bead_of, None, matched=True)
    per_bead = np.bincount(beads)
    held = np.zeros(len(side.vocab), np.bool_)
    held[learned] = True
    sel = ~held[toks]
    beads, toks = beads[sel], toks[sel]
    return beads, toks, np.bincount(toks, minlength=len(side.vocab)), per_bead


def unseen_pairs(
    src: Side,
    tgt: Side,
    beads: Sequence[tuple[int, int, int, int]],
    learned: tuple[IntArray, IntArray],
    always: bool = False,
) -> tuple[IntArray, IntArray, FloatArray]:
    """``(source token, target token, value)`` for words Model 1 gave no translation
    (``learned``: the source and target tokens it did), over all the training ``beads``, where
    its sample was thinned (or ``always``); the value is the Dice coefficient shrunk by the
    evidence as Model 1's values are (:data:`~aligner.features.ibm1.EVIDENCE_PSEUDOCOUNT`)."""
    z = np.zeros(0, np.int64)
    empty = (z, z, np.zeros(0, np.float64))
    n_beads = len(beads)
    if n_beads == 0:
        return empty
    spans = np.asarray(beads, np.int64).reshape(-1, 4)
    sb, st, s_df, s_all = _unlearned(src, _bead_of(spans[:, 0], spans[:, 1], src.n), learned[0])
    tb, tt, t_df, t_all = _unlearned(tgt, _bead_of(spans[:, 2], spans[:, 3], tgt.n), learned[1])
    n = min(s_all.size, t_all.size)
    thinned = int(np.dot(s_all[:n], t_all[:n])) > ibm1.MAX_TRAINING_PAIRS
    if sb.size == 0 or tb.size == 0 or not (thinned or always):
        return empty
    # Every (unseen source, unseen target) pair of each bead.
    s, t, shared = shared_beads(sb, st, tb, tt, n_beads, len(tgt.vocab))
    dice, best_s, best_t = dice_and_best(s, t, shared, s_df, t_df)
    keep = (shared >= MIN_COOCCURRENCE) & (dice >= best_s) & (dice >= best_t)
    value = dice * shared / (shared + EVIDENCE_PSEUDOCOUNT)
    return s[keep], t[keep], value[keep]


def shared_beads(
    sb: IntArray, st: IntArray, tb: IntArray, tt: IntArray, n_beads: int, n_tgt_types: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Each distinct (source token, target token) pair met together in a bead, and in how many
    beads: ``(sb, st)`` and ``(tb, tt)`` are (bead, token) lists sorted by bead."""
    t_count = np.bincount(tb, minlength=n_beads)
    t_start = np.concatenate([[0], np.cumsum(t_count)])
    reps = t_count[sb]
    owner = np.repeat(np.arange(sb.size, dtype=np.int64), reps)
    rank = np.arange(owner.size, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    width = np.int64(n_tgt_types + 1)
    keys, shared = _counted(st[owner] * width + tt[t_start[sb[owner]] + rank])
    return keys // width, keys % width, shared


def dice_and_best(
    s: IntArray, t: IntArray, shared: IntArray, s_df: IntArray, t_df: IntArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per pair, its Dice coefficient (``s_df``, ``t_df``: each token's beads), and the best
    coefficient its source and its target word reach in any pair."""
    dice = 2.0 * shared / (s_df[s] + t_df[t])
    best_s = np.zeros(s_df.size, np.float64)
    best_t = np.zeros(t_df.size, np.float64)
    np.maximum.at(best_s, s, dice)
    np.maximum.at(best_t, t, dice)
    return dice, best_s[s], best_t[t]
