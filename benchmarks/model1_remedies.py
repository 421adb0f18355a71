"""Moore (2004)'s remedies for IBM Model 1's rare words, as variants of ``ibm1.both_ways``.

Model 1's rare words act as garbage collectors: a word seen in few beads has little else to
explain, so EM gives it high probability for every word of its beads that nothing else
explains well (Moore 2004, section 3). Moore's remedies, each an option here (all off is the
shipped :func:`aligner.features.ibm1.both_ways`, bit for bit):

* add-n smoothing: ``(C(g, p) + n) / (C(g) + n |V|)``, the virtual mass ``n |V|`` spread evenly
  over the produced vocabulary, so a word of few counts keeps part of its probability for
  words it was never seen with (``smoothing`` the mass ``n |V|``; ``smoothed_values`` off: the
  smoothing shapes EM's counts, and the values passed on are the last counts' own shares);
* a heavier NULL: NULL's probability weighed ``null_weight`` times in the E-step (several NULL
  words a bead), so a word no given word explains goes to NULL rather than to a rare word;
* the first probabilities from log-likelihood ratios (Dunning 1993) of each pair's beads,
  divided by the largest sum of one given word's scores, NULL's from the produced words'
  frequencies (``llr``): a rare pair's score is low however perfectly it co-occurs.

Used by ``lexicon_variants.py`` (round twelve, ``m1``); measured, not shipped.

Robert C. Moore (2004), "Improving IBM Word-Alignment Model 1", ACL.
Ted Dunning (1993), "Accurate Methods for the Statistics of Surprise and Coincidence",
Computational Linguistics 19(1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.arrays import FloatArray, IntArray
from aligner.features import ibm1
from aligner.features.ibm1 import Cooccurrence, _Groups, _groups
from aligner.features.tokens import distinct, distinct_inverse


@dataclass(frozen=True)
class Remedies:
    """One direction's options; the defaults are the plain model. ``init`` / ``null_init``: the
    first E-step's probabilities of the pairs and of NULL's words (None: uniform)."""

    smoothing: float = 0.0
    null_weight: float = 1.0
    init: FloatArray | None = None
    null_init: FloatArray | None = None
    smoothed_values: bool = True


def em(
    pair_id: IntArray,
    pair_given: IntArray,
    groups: _Groups,
    n_given: int,
    iterations: int,
    remedies: Remedies,
) -> FloatArray:
    """``ibm1._em`` with :class:`Remedies` (its sums in the same order: the same values when
    every remedy is off)."""
    n_pairs = pair_given.size
    n_words = int(groups.word.max()) + 1 if groups.word.size else 0
    n_groups = groups.word.size
    prob = np.ones(n_pairs, np.float64) if remedies.init is None else remedies.init
    null_prob = np.ones(n_words, np.float64)
    if remedies.null_init is not None:
        null_prob = remedies.null_init
    # Add-n: ``n`` per produced word of the vocabulary, ``n |V|`` per given word in all.
    add_n = 0.0
    if remedies.smoothing:
        add_n = remedies.smoothing / max(int(np.count_nonzero(np.bincount(groups.word))), 1)
    tiny = np.finfo(np.float64).tiny
    counts = np.zeros(n_pairs, np.float64)
    totals = np.ones(n_given, np.float64)
    for _ in range(iterations):
        p = prob[pair_id]
        null_p = null_prob[groups.word] * remedies.null_weight
        denom = np.asarray(np.bincount(groups.of_link, p, n_groups), np.float64)
        denom += null_p
        post = p / denom[groups.of_link]
        counts = np.bincount(pair_id, weights=post, minlength=n_pairs)
        null_counts = np.bincount(groups.word, weights=null_p / denom, minlength=n_words)
        totals = np.bincount(pair_given, weights=counts, minlength=n_given)
        if remedies.smoothing:
            prob = (counts + add_n) / (totals[pair_given] + remedies.smoothing)
        else:
            # A word whose first scores were all 0 (no positive association) has no counts.
            prob = counts / np.maximum(totals, tiny)[pair_given]
        null_prob = null_counts / np.cumsum(null_counts)[-1]
    if remedies.smoothing and not remedies.smoothed_values:
        prob = counts / np.maximum(totals, tiny)[pair_given]
    return prob


def both_ways(
    co: Cooccurrence,
    n_s: int,
    n_t: int,
    iterations: int,
    *,
    smoothing: float = 0.0,
    null_weight: float = 1.0,
    llr: bool = False,
    smoothed_values: bool = True,
) -> tuple[IntArray, IntArray, FloatArray, FloatArray, IntArray]:
    """``ibm1.both_ways`` with Moore (2004)'s remedies (the module's docstring)."""
    width = np.int64(n_t + 1)
    uniq, pair_id = distinct_inverse(co.src * width + co.tgt)
    s, t = uniq // width, uniq % width
    count = np.bincount(pair_id, minlength=s.size)
    fwd = bwd = Remedies(smoothing, null_weight, smoothed_values=smoothed_values)
    if llr:
        n_beads = distinct(co.bead).size
        s_df = _df(co.bead, co.src, n_s)
        t_df = _df(co.bead, co.tgt, n_t)
        score = log_likelihood_ratio(count, s_df[s], t_df[t], n_beads)
        fwd = Remedies(
            smoothing, null_weight, normalised(score, s, n_s), unigram(t_df), smoothed_values
        )
        bwd = Remedies(
            smoothing, null_weight, normalised(score, t, n_t), unigram(s_df), smoothed_values
        )
    forward = em(pair_id, s, _groups(co.bead, co.tgt, width), n_s, iterations, fwd)
    s_width = np.int64(n_s + 1)
    backward = em(pair_id, t, _groups(co.bead, co.src, s_width), n_t, iterations, bwd)
    return s, t, forward, backward, count


def _df(bead: IntArray, word: IntArray, n: int) -> IntArray:
    """Per word, the training beads holding it."""
    return np.bincount(distinct(bead * np.int64(n + 1) + word) % (n + 1), minlength=n)


def log_likelihood_ratio(both: IntArray, a: IntArray, b: IntArray, n: int) -> FloatArray:
    """Dunning (1993)'s G² of each pair's 2 × 2 table of beads (``both`` hold the two words,
    ``a`` / ``b`` the first / second, ``n`` beads in all), 0 where the two words co-occur no
    more than chance would have them (Moore initialises only positive associations)."""
    k = np.stack([both, a - both, b - both, n - a - b + both]).astype(np.float64)
    rows = np.stack([a, a, n - a, n - a]).astype(np.float64)
    cols = np.stack([b, n - b, b, n - b]).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(k > 0, k * np.log(k * n / (rows * cols)), 0.0)
    g2 = 2.0 * terms.sum(axis=0)
    return np.where(both * np.int64(n) > a * b, np.maximum(g2, 0.0), 0.0)


def normalised(score: FloatArray, given: IntArray, n_given: int) -> FloatArray:
    """Scores as Moore turns them into first probabilities: each divided by the largest sum of
    one given word's scores, so no word's sum exceeds one and a rare word, whose scores are
    all low, starts with little probability to hand out."""
    sums = np.bincount(given, weights=score, minlength=n_given)
    top = float(sums.max()) if sums.size else 0.0
    return score / top if top > 0 else np.ones_like(score)


def unigram(df: IntArray) -> FloatArray:
    """NULL's first probabilities: each produced word's share of the training's words."""
    total = float(df.sum())
    return df / total if total > 0 else np.ones(df.size, np.float64)


def both_above(co: Cooccurrence, n_s: int, n_t: int) -> tuple[IntArray, IntArray, FloatArray]:
    """``ibm1._associations`` keeping a pair only where each direction's probability reaches
    ``MIN_ASSOCIATION`` (not their geometric mean): a rare word's garbage pair has a strong
    forward probability and a weak backward one, which the mean lets through."""
    s, t, fp, bp, pair_count = ibm1.both_ways(co, n_s, n_t, ibm1.IBM1_ITERATIONS)
    val = np.sqrt(fp * bp)
    keep = (np.minimum(fp, bp) >= ibm1.MIN_ASSOCIATION) & (pair_count >= ibm1.MIN_COOCCURRENCE)
    val = val * (pair_count / (pair_count + ibm1.EVIDENCE_PSEUDOCOUNT))
    s, t, v = s[keep], t[keep], val[keep]
    order = np.lexsort((-v, s))
    s, t, v = s[order], t[order], v[order]
    starts = np.concatenate([[0], np.flatnonzero(s[1:] != s[:-1]) + 1])
    rank = np.arange(s.size) - np.repeat(starts, np.diff(np.concatenate([starts, [s.size]])))
    top = rank < ibm1.MAX_TRANSLATIONS
    return s[top], t[top], v[top]
