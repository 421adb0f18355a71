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
from aligner.features.tokens import Side, distinct, distinct_inverse

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
#: Bound on (source type × target type) pairs IBM Model 1 trains on; over it the beads of
#: fewest pairs train first (:func:`_kept_beads`), keeping memory and time bounded on
#: book-length texts. Set by cost: the time Model 1 took for 600,000 pairs (the bound
#: before), which the two directions' shared pairs (:func:`both_ways`) make enough for half
#: as many again. A novel is under it; the Old Testament and the New Testament are over it.
MAX_TRAINING_PAIRS = 900_000


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
    the beads of most pairs (:func:`_kept_beads`).
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
        sb, st = _matched(src, sb, st)
        tb, tt = _matched(tgt, tb, tt)
        s_count = np.bincount(sb, minlength=n_beads)
        t_count = np.bincount(tb, minlength=n_beads)
        pairs = s_count * t_count
    keep_beads = np.ones(n_beads, np.bool_)
    if pairs.sum() > MAX_TRAINING_PAIRS:
        keep_beads = _kept_beads(pairs, MAX_TRAINING_PAIRS)
    s_sel = keep_beads[sb]
    sb, st = sb[s_sel], st[s_sel]
    t_start = np.concatenate([[0], np.cumsum(t_count)])
    reps = np.where(keep_beads[sb], t_count[sb], 0)
    owner = np.repeat(np.arange(sb.size, dtype=np.int64), reps)
    rank = np.arange(owner.size, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    t_pos = t_start[sb[owner]] + rank
    return Cooccurrence(sb[owner], st[owner], tt[t_pos])


def _matched(side: Side, beads: IntArray, toks: IntArray) -> tuple[IntArray, IntArray]:
    """The (bead, token) pairs of :func:`_bead_types` whose token the matching reads: the
    same as ``_bead_types(..., matched=True)``, without going through the text again."""
    keep = side.weight[toks] > 0
    return beads[keep], toks[keep]


def _kept_beads(pairs: IntArray, bound: int) -> npt.NDArray[np.bool_]:
    """The beads Model 1 trains on when all of them hold more than ``bound`` pairs: those of
    fewest pairs first (in text order among equals), as many as fit.

    A short bead holds few candidates for each of its words, so its posterior is sharp, and
    a bead of many pairs is more often a merge of a first pass's doubts: Moore (2002) trains
    Model 1 on the first pass's surest beads. For the same pairs, more beads train than an
    even sample would take."""
    order = np.argsort(pairs, kind="stable")
    fits = np.cumsum(pairs[order]) <= bound
    keep = np.zeros(pairs.size, np.bool_)
    keep[order[fits]] = True
    return keep


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
    width = np.int64(produced.max() + 1)
    uniq, pair_id = distinct_inverse(given * width + produced)
    u_given, u_produced = uniq // width, uniq % width
    del uniq
    prob = _em(pair_id, u_given, _groups(bead, produced, width), n_given, iterations)
    return u_given, u_produced, prob


@dataclass(frozen=True)
class _Groups:
    """The (bead, produced word) groups of the links: each link's group (a produced word of a
    bead may come from any given word of the bead, or from NULL), and each group's word."""

    of_link: IntArray
    word: IntArray


def _groups(bead: IntArray, produced: IntArray, width: np.int64) -> _Groups:
    """Each link's (bead, produced word) group, the groups numbered in (bead, word) order."""
    key = bead * width + produced
    if key.size < 2 or bool(np.all(key[1:] >= key[:-1])):
        # The links already arrive in group order (bead by bead, the backward direction's
        # produced words in order within a bead): a group starts where the key changes.
        starts = np.empty(key.size, np.bool_)
        starts[:1] = True
        np.not_equal(key[1:], key[:-1], out=starts[1:])
        word = produced[starts]
        of_link = np.cumsum(starts, dtype=np.int64)
        of_link -= 1
        return _Groups(of_link, word)
    # Every link's group is one of the distinct keys, told by a binary search (the links
    # arrive bead by bead, so the search walks) instead of a sort of all the links.
    groups = distinct(key)
    return _Groups(np.searchsorted(groups, key), groups % width)


def _em(
    pair_id: IntArray, pair_given: IntArray, groups: _Groups, n_given: int, iterations: int
) -> FloatArray:
    """EM of IBM Model 1 over the links: ``pair_id`` each link's (given, produced) pair, in an
    order sorted by given word within each produced word (the sums run in that order);
    ``pair_given`` each pair's given word. Returns each pair's ``p(produced | given)``.

    NULL's pairs (NULL, produced word), one link per group, are kept apart from the real
    pairs' links: their sums come after the real links', in group order, as they would in
    one list of real then NULL links."""
    n_pairs = pair_given.size
    n_words = int(groups.word.max()) + 1 if groups.word.size else 0
    n_groups = groups.word.size
    prob = np.ones(n_pairs, np.float64)
    null_prob = np.ones(n_words, np.float64)
    # Buffers made once (a book's links are some 660,000: each fresh array was 5 MB to
    # fault in).
    p = np.empty(pair_id.size, np.float64)
    post = np.empty(pair_id.size, np.float64)
    for _ in range(iterations):
        np.take(prob, pair_id, out=p)
        null_p = null_prob[groups.word]
        denom = np.asarray(np.bincount(groups.of_link, p, n_groups), np.float64)
        denom += null_p
        np.take(denom, groups.of_link, out=post)
        np.divide(p, post, out=post)
        counts = np.bincount(pair_id, weights=post, minlength=n_pairs)
        null_counts = np.bincount(groups.word, weights=null_p / denom, minlength=n_words)
        totals = np.bincount(pair_given, weights=counts, minlength=n_given)
        prob = counts / totals[pair_given]
        # NULL's total summed in word order, one after the other, as ``bincount`` sums.
        null_prob = null_counts / np.cumsum(null_counts)[-1]
    return prob


def both_ways(
    co: Cooccurrence, n_s: int, n_t: int, iterations: int
) -> tuple[IntArray, IntArray, FloatArray, FloatArray, IntArray]:
    """IBM Model 1 in both directions over the same links: the distinct (source, target)
    pairs, ``p(target | source)``, ``p(source | target)`` and the beads each pair is in.

    The two directions share their pairs (one sort of the pair keys, not one per direction,
    and no matching of the two directions' pairs afterwards); only the groups differ.
    Bit for bit :func:`ibm1` run each way: the sums run in the same order."""
    width = np.int64(n_t + 1)
    uniq, pair_id = distinct_inverse(co.src * width + co.tgt)
    s, t = uniq // width, uniq % width
    del uniq
    count = np.bincount(pair_id, minlength=s.size)
    forward = _em(pair_id, s, _groups(co.bead, co.tgt, width), n_s, iterations)
    s_width = np.int64(n_s + 1)
    backward = _em(pair_id, t, _groups(co.bead, co.src, s_width), n_t, iterations)
    return s, t, forward, backward, count


def _counted(values: IntArray) -> tuple[IntArray, IntArray]:
    """The sorted distinct values and how often each occurs: ``np.unique(values,
    return_counts=True)``, by a stable sort (see :func:`aligner.features.tokens.distinct`)."""
    ordered = np.sort(values, kind="stable")
    if ordered.size == 0:
        return ordered, np.zeros(0, np.int64)
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return ordered[starts], np.diff(np.append(starts, ordered.size))


def _associations(co: Cooccurrence, n_s: int, n_t: int) -> tuple[IntArray, IntArray, FloatArray]:
    """IBM Model 1 both ways over ``co``: the strongest few translations of each source type."""
    s, t, fp, bp, pair_count = both_ways(co, n_s, n_t, IBM1_ITERATIONS)
    val = np.sqrt(fp * bp)
    keep = (val >= MIN_ASSOCIATION) & (pair_count >= MIN_COOCCURRENCE)
    # Thresholds on the model's own value; the value passed on is shrunk by the evidence.
    val = val * (pair_count / (pair_count + EVIDENCE_PSEUDOCOUNT))
    s, t, v = s[keep], t[keep], val[keep]
    # Keep the strongest few translations of each source word.
    order = np.lexsort((-v, s))
    s, t, v = s[order], t[order], v[order]
    starts = np.concatenate([[0], np.flatnonzero(s[1:] != s[:-1]) + 1])
    rank = np.arange(s.size) - np.repeat(starts, np.diff(np.concatenate([starts, [s.size]])))
    top = rank < MAX_TRANSLATIONS
    return s[top], t[top], v[top]
