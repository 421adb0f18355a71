"""IBM Model 1: word-translation probabilities trained by EM on the word pairs of aligned beads.

A first alignment's beads give (bead, source type, target type) co-occurrences; IBM Model 1
(Brown et al. 1993) is trained on them in both directions, and the pairs both directions agree
on, often enough, are the learned translations (:func:`_associations`), from which
:mod:`aligner.features.lexicon` builds its tables.

Peter F. Brown et al. (1993), "The Mathematics of Statistical Machine Translation: Parameter
Estimation", Computational Linguistics 19(2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.features.tokens import Side, distinct, distinct_inverse, stable_order

if TYPE_CHECKING:  # the lexicon's tables are built from this module's training
    from aligner.features.lexicon import Table

#: EM iterations of IBM Model 1 (Brown et al. 1993); a handful is enough for a sentence aligner.
IBM1_ITERATIONS = 5
#: Learned pairs kept: the geometric mean of both directions' probabilities at least this …
MIN_ASSOCIATION = 0.05
#: … and co-occurring in at least this many beads.
MIN_COOCCURRENCE = 2
#: Translations kept per source word (per source lemma, where the texts have lemmas): the
#: strongest. Measured with the shipped dictionaries, lemma training and sense weighting
#: (since left out, see ``pipeline._dictionaries``), before evidence shrinkage
#: (``python benchmarks/accuracy.py``, strict F1 Text+Berg / TransRead): 2 gave 0.911 / 0.939,
#: 3 gave 0.912 / 0.939, 4 and 5 gave 0.912 / 0.938. Kept at 5: the gain of 3 is two beads of
#: TransRead, and a corpus lexicon, learned on word forms, needs room for a word's forms (3
#: loses ``malles`` / ``trunks`` in tests/test_dictionaries.py).
MAX_TRANSLATIONS = 5
#: A learned pair's value is scaled by ``n / (n + EVIDENCE_PSEUDOCOUNT)``, ``n`` the beads (and
#: dictionary entry) it was seen in: a pair seen in one training bead and the dictionary gets
#: the full IBM Model 1 value of a rare word, and in pass 2 it confirms the very bead it came
#: from, which is most of what unrelated short texts hold (their pass-1 beads pair words by
#: chance). Measured (``python benchmarks/accuracy.py`` strict F1 Text+Berg / TransRead, and the
#: document quality of 120 unrelated 21-sentence windows of the dev sets, mean / highest): 0
#: gave 0.912 / 0.938 and 0.010 / 0.135 (the armistice's unrelated halves 0.42, under the 0.5
#: threshold by little); 0.5 gave 0.912 / 0.937 and 0.004 / 0.048; 1 gives 0.912 / 0.938 and
#: 0.002 / 0.033 (armistice halves 0.04); 2 gave 0.910 / 0.936; 4 gave 0.913 / 0.936.
EVIDENCE_PSEUDOCOUNT = 1.0
#: Bound on (source type × target type) pairs IBM Model 1 trains on; beads beyond it are
#: sampled evenly, keeping memory and time linear on book-length texts.
MAX_TRAINING_PAIRS = 600_000


@dataclass(frozen=True)
class Cooccurrence:
    """(bead, source type, target type) triples of training beads, as parallel arrays."""

    bead: IntArray
    src: IntArray
    tgt: IntArray


def _bead_types(
    side: Side, bead_of: IntArray, always: npt.NDArray[np.bool_] | None, matched: bool = False
) -> tuple[IntArray, IntArray]:
    """Distinct (bead, token) pairs of the sentences in beads (``bead_of`` = -1 elsewhere):
    tokens seen at least :data:`MIN_COOCCURRENCE` times, and those ``always`` marks; with
    ``matched``, only tokens the matching reads (weight above zero)."""
    common = side.df[side.occ_tok] >= MIN_COOCCURRENCE
    if always is not None:
        common |= always[side.occ_tok]
    if matched:
        common &= side.weight[side.occ_tok] > 0
    keep = (bead_of[side.occ_sent] >= 0) & common
    beads = bead_of[side.occ_sent[keep]]
    toks = side.occ_tok[keep]
    key = distinct(beads * np.int64(len(side.vocab) + 1) + toks)
    return key // (len(side.vocab) + 1), key % (len(side.vocab) + 1)


def always_known(
    src: Side, tgt: Side, prior: Table | None
) -> tuple[npt.NDArray[np.bool_] | None, npt.NDArray[np.bool_] | None]:
    """Per source and target token, whether ``prior`` (a dictionary table) holds it, so that one
    bead is enough for it (None for both without a prior)."""
    if prior is None or not len(prior):
        return None, None
    s_always = np.zeros(len(src.vocab), np.bool_)
    t_always = np.zeros(len(tgt.vocab), np.bool_)
    s_always[prior.src] = True
    t_always[prior.tgt] = True
    return s_always, t_always


def cooccurrences(
    src: Side,
    tgt: Side,
    beads: Sequence[tuple[int, int, int, int]],
    prior: Table | None = None,
) -> Cooccurrence:
    """All (source type, target type) pairs within each training bead ``(i0, i1, j0, j1)``.

    Words seen once are left out (they cannot co-occur twice), unless ``prior`` (a dictionary
    table) has them: with their dictionary entry, one bead is enough. Over
    :data:`MAX_TRAINING_PAIRS`, the words the matching never reads are left out first, then
    beads are sampled evenly.
    """
    n_beads = len(beads)
    if n_beads == 0:
        z = np.zeros(0, np.int64)
        return Cooccurrence(z, z, z)
    spans = np.asarray(beads, np.int64).reshape(-1, 4)
    s_bead_of = _bead_of(spans[:, 0], spans[:, 1], src.n)
    t_bead_of = _bead_of(spans[:, 2], spans[:, 3], tgt.n)
    s_always, t_always = always_known(src, tgt, prior)
    sb, st = _bead_types(src, s_bead_of, s_always)
    tb, tt = _bead_types(tgt, t_bead_of, t_always)
    s_count = np.bincount(sb, minlength=n_beads)
    t_count = np.bincount(tb, minlength=n_beads)
    pairs = s_count * t_count
    if pairs.sum() > MAX_TRAINING_PAIRS:
        # Over the bound, the words the matching never reads (weight 0: too frequent,
        # ``tokens.MAX_DF``) go before any bead does: their translations are never looked up,
        # while a bead left out takes its rare words' only co-occurrences with it.
        sb, st = _bead_types(src, s_bead_of, s_always, matched=True)
        tb, tt = _bead_types(tgt, t_bead_of, t_always, matched=True)
        s_count = np.bincount(sb, minlength=n_beads)
        t_count = np.bincount(tb, minlength=n_beads)
        pairs = s_count * t_count
    keep_beads = np.ones(n_beads, np.bool_)
    if pairs.sum() > MAX_TRAINING_PAIRS:
        # Evenly spaced beads, deterministic, so that the pairs fit the bound.
        step = pairs.sum() / MAX_TRAINING_PAIRS
        keep_beads[:] = False
        keep_beads[distinct(np.arange(0, n_beads, step).astype(np.int64))] = True
    s_sel = keep_beads[sb]
    sb, st = sb[s_sel], st[s_sel]
    t_start = np.concatenate([[0], np.cumsum(t_count)])
    reps = np.where(keep_beads[sb], t_count[sb], 0)
    owner = np.repeat(np.arange(sb.size, dtype=np.int64), reps)
    rank = np.arange(owner.size, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    t_pos = t_start[sb[owner]] + rank
    return Cooccurrence(sb[owner], st[owner], tt[t_pos])


def _bead_of(start: IntArray, stop: IntArray, n: int) -> IntArray:
    out = np.full(n, -1, np.int64)
    lengths = stop - start
    owner = np.repeat(np.arange(start.size, dtype=np.int64), lengths)
    pos = (
        np.repeat(start, lengths)
        + np.arange(owner.size)
        - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    out[pos] = owner
    return out


def ibm1(
    bead: IntArray, given: IntArray, produced: IntArray, n_given: int, iterations: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """IBM Model 1 ``p(produced | given)`` over the co-occurring pairs, with a NULL word.

    Returns the distinct (given, produced) pairs and their probabilities. Vectorised: each EM
    step is a few ``bincount`` calls over the pair list.
    """
    if bead.size == 0:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0, np.float64)
    null = np.int64(n_given)
    width = np.int64(produced.max() + 1)
    group_key = bead * width + produced
    # Each produced word of each bead may also come from NULL: one link per (bead, produced
    # word), its group; every link's group is one of those, told by a binary search (the
    # links arrive bead by bead, so the search walks) instead of a sort of all the links.
    groups = distinct(group_key)
    group_id = np.concatenate(
        [np.searchsorted(groups, group_key), np.arange(groups.size, dtype=np.int64)]
    )
    del group_key
    pair_key = np.concatenate([given * width + produced, null * width + groups % width])
    del groups
    uniq, pair_id = distinct_inverse(pair_key)
    del pair_key
    u_given = uniq // width
    prob = np.ones(uniq.size, np.float64)
    # The same operations as ``prob[pair_id]`` and ``p / denom[group_id]``, into buffers made
    # once (a book's links are some 660,000: each fresh array was 5 MB to fault in).
    p = np.empty(pair_id.size, np.float64)
    post = np.empty(pair_id.size, np.float64)
    for _ in range(iterations):
        np.take(prob, pair_id, out=p)
        denom = np.bincount(group_id, weights=p)
        np.take(denom, group_id, out=post)
        np.divide(p, post, out=post)
        counts = np.bincount(pair_id, weights=post, minlength=uniq.size)
        totals = np.bincount(u_given, weights=counts, minlength=n_given + 1)
        prob = counts / totals[u_given]
    real = u_given != null
    return u_given[real], (uniq % width)[real], prob[real]


def _counted(values: IntArray) -> tuple[IntArray, IntArray]:
    """The sorted distinct values and how often each occurs: ``np.unique(values,
    return_counts=True)``, by a stable sort (see :func:`aligner.features.tokens.distinct`)."""
    ordered = np.sort(values, kind="stable")
    if ordered.size == 0:
        return ordered, np.zeros(0, np.int64)
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return ordered[starts], np.diff(np.append(starts, ordered.size))


def _common(ordered: IntArray, other: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """``np.intersect1d(ordered, other, assume_unique=True, return_indices=True)`` of an
    increasing array and one of distinct values: ``other`` sorted by radix passes
    (:func:`~aligner.features.tokens.stable_order`) and ``ordered`` looked up in it, instead
    of a merge sort of both together."""
    order = stable_order(other)
    found = other[order]
    if found.size == 0 or ordered.size == 0:
        none = np.zeros(0, np.int64)
        return ordered[:0], none, none
    at = np.minimum(np.searchsorted(found, ordered), found.size - 1)
    fi = np.flatnonzero(found[at] == ordered)
    return ordered[fi], fi, order[at[fi]]


def _associations(co: Cooccurrence, n_s: int, n_t: int) -> tuple[IntArray, IntArray, FloatArray]:
    """IBM Model 1 both ways over ``co``: the strongest few translations of each source type."""
    fs, ft, fp = ibm1(co.bead, co.src, co.tgt, n_s, IBM1_ITERATIONS)
    bt, bs, bp = ibm1(co.bead, co.tgt, co.src, n_t, IBM1_ITERATIONS)
    width = np.int64(n_t + 1)
    fkey = fs * width + ft
    bkey = bs * width + bt
    both, fi, bi = _common(fkey, bkey)
    val = np.sqrt(fp[fi] * bp[bi])
    seen, seen_count = _counted(co.src * width + co.tgt)
    pair_count = seen_count[np.searchsorted(seen, both)]
    keep = (val >= MIN_ASSOCIATION) & (pair_count >= MIN_COOCCURRENCE)
    # Thresholds on the model's own value; the value passed on is shrunk by the evidence.
    val = val * (pair_count / (pair_count + EVIDENCE_PSEUDOCOUNT))
    s, t, v = both[keep] // width, both[keep] % width, val[keep]
    # Keep the strongest few translations of each source word.
    order = np.lexsort((-v, s))
    s, t, v = s[order], t[order], v[order]
    starts = np.concatenate([[0], np.flatnonzero(s[1:] != s[:-1]) + 1])
    rank = np.arange(s.size) - np.repeat(starts, np.diff(np.concatenate([starts, [s.size]])))
    top = rank < MAX_TRANSLATIONS
    return s[top], t[top], v[top]
