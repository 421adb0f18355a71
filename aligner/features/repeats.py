"""Recurring words: translations found by where they occur, without a dictionary.

A word that recurs in a text and its translation, which recurs as often in the other, sit
in sentences that an alignment puts together, occurrence after occurrence: "Conseil des
Commissaires du Peuple" and "Совет Народных Комиссаров" share no spelling, but both come back
in the same places. This is the idea of Fung & Church's K-vec (1994) and Fung & McKeown's
DK-vec (1997), which pair words whose distributions of positions over the two texts agree;
here the positions are compared through the guide path of the rare-key anchors rather than
through equal slices of the texts (K-vec) or arrival-time vectors (DK-vec).

For every pair of types seen at least twice on each side, the occurrences that lie on the
path (the guide through the rare-key anchors, :mod:`aligner.features.anchors`; in a
sentence's partner, :data:`WINDOW`) are counted on both sides. A pair is kept when at least
two occurrences match on each side, when their share (Dice coefficient of matched
occurrences over all of them) is high, when the matches are more than chance would give (a
binomial tail, Fung & Church compare to chance with a t-score), and when each word of it is
the other's one best partner (competitive linking, Melamed 2000): a word seen everywhere does
not pair with everything, and the words of a phrase that recurs whole, which tie with each
other, say nothing about which translates which. The chance test keeps the expected share of
chance pairs among those kept under :data:`FALSE_DISCOVERY` (Benjamini & Hochberg 1995), so
unrelated texts gain no pair, and a free translation, where few pairs stand out, gains few;
on a short text (a dozen sentences) no pair is significant either, and the texts are
aligned as before.

Pascale Fung and Kenneth W. Church (1994), "K-vec: A New Approach for Aligning Parallel
Texts", COLING. Pascale Fung and Kathleen McKeown (1997), "A Technical Word- and Term-
Translation Aid Using Noisy Parallel Corpora across Language Groups", Machine Translation
12(1-2). I. Dan Melamed (2000), "Models of Translational Equivalence among Words",
Computational Linguistics 26(2). Yoav Benjamini and Yosef Hochberg (1995), "Controlling the
False Discovery Rate", Journal of the Royal Statistical Society B 57(1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.features.lexicon import Table
from aligner.features.tokens import Side, _expand, distinct

#: Masks over pairs.
BoolArray = npt.NDArray[np.bool_]

#: Occurrences match when they lie this many sentences from each other's partner on the path
#: at most. python benchmarks/accuracy.py --no-bible, strict F1 (Text+Berg shipped / none,
#: TransRead shipped / none), with the other rules of this module: one sentence either way
#: 0.904 / 0.900 / 0.937 / 0.929, none 0.910 / 0.905 / 0.936 / 0.930 (main 0.904 / 0.878 /
#: 0.937 / 0.931): a neighbour's word lends a pair to the neighbouring cell, a shift.
WINDOW = 0
#: A word recurs when it occurs in at least this many sentences (k >= 2 in the brief of
#: DK-vec: one occurrence has no pattern to compare).
MIN_REPEATS = 2
#: Words in more sentences than this are left out: their positions are spread everywhere and
#: say little, and the pairs of close occurrences would grow with the square of their counts.
MAX_REPEATS = 50
#: Fewest matched occurrences on each side (two: a pattern, not one coincidence).
MIN_MATCHED = 2
#: Smallest Dice share of matched occurrences, ``2 min(m_s, m_t) / (df_s + df_t)``.
MIN_DICE = 0.5
#: Largest expected share of chance pairs among the pairs kept (Benjamini & Hochberg 1995).
#: It replaced a Bonferroni bound (0.05 over the pairs tested) on the product of both sides'
#: tails, which squared one coincidence's chance: two occurrences each side, matched, passed
#: as often in a free translation as in a close one (35 pairs on TransRead's Emma, 160
#: sentences, nearly all wrong; now none). Same dev sets and columns as :data:`WINDOW`:
#: Bonferroni on the product 0.908 / 0.905 / 0.936 / 0.930, on one tail 0.904 / 0.893 / 0.937
#: / 0.930; false discovery 0.05 0.910 / 0.905 / 0.936 / 0.930, 0.1 0.908 / 0.901 / 0.936 /
#: 0.930.
FALSE_DISCOVERY = 0.05
#: A kept pair's value is its Dice share times this: half, as a cognate at the cutoff counts.
#: On the dev sets without dictionaries, with a window of one and a Bonferroni bound on both
#: tails' product, full value gave Text+Berg 0.888 and TransRead 0.926 strict F1, half 0.901
#: and 0.928 (main: 0.878 and 0.931).
REPEAT_VALUE = 0.5


@dataclass(frozen=True)
class Repeats:
    """Candidate pairs with their counts: types, sentences each occurs in, matched ones."""

    src: IntArray
    tgt: IntArray
    df_src: IntArray
    df_tgt: IntArray
    matched_src: IntArray
    matched_tgt: IntArray
    #: Close sentence pairs per sentence, on average: how many of the other text's sentences
    #: an occurrence of each side may meet.
    reach_src: float
    reach_tgt: float

    @property
    def matched(self) -> IntArray:
        """Occurrences matched one to one: a clump of one side's occurrences near a single
        occurrence of the other (a passage one text lacks, left around one bead) counts once."""
        return np.minimum(self.matched_src, self.matched_tgt)

    @property
    def dice(self) -> FloatArray:
        """Share of the occurrences of both words matched one to one."""
        return np.asarray(2 * self.matched / (self.df_src + self.df_tgt), np.float64)


def close_cells(
    src_at: IntArray, tgt_at: IntArray, window: int = WINDOW
) -> tuple[IntArray, IntArray]:
    """Distinct sentence pairs ``(i, j)`` within ``window`` of a partner, seen from either
    side: ``|j - src_at[i]| <= window`` or ``|i - tgt_at[j]| <= window``."""
    n_src, n_tgt = src_at.size, tgt_at.size
    offsets = np.arange(-window, window + 1, dtype=np.int64)
    rows = np.repeat(np.arange(n_src, dtype=np.int64), offsets.size)
    cols = (src_at[:, None] + offsets[None, :]).ravel()
    t_cols = np.repeat(np.arange(n_tgt, dtype=np.int64), offsets.size)
    t_rows = (tgt_at[:, None] + offsets[None, :]).ravel()
    i = np.concatenate([rows, t_rows])
    j = np.concatenate([cols, t_cols])
    ok = (i >= 0) & (i < n_src) & (j >= 0) & (j < n_tgt)
    key = distinct(i[ok] * np.int64(n_tgt) + j[ok])
    return key // n_tgt, key % n_tgt


def _eligible(side: Side) -> tuple[IntArray, IntArray]:
    """Occurrences of recurring matchable types: their types, sorted by sentence, and per
    sentence where its occurrences start (``n + 1`` offsets)."""
    tok = side.occ_tok
    # Distinct sentences: a sentence repeated verbatim is one occurrence, not a pattern.
    df = side.distinct_df
    keep = (side.weight[tok] > 0) & (df[tok] >= MIN_REPEATS) & (df[tok] <= MAX_REPEATS)
    sent, tok = side.occ_sent[keep], tok[keep]
    starts = np.zeros(side.n + 1, np.int64)
    np.cumsum(np.bincount(sent, minlength=side.n), out=starts[1:])
    return tok, starts


def _count_distinct(pair: IntArray, sent: IntArray, n: int) -> tuple[IntArray, IntArray]:
    """Distinct pair keys and, per key, the number of distinct sentences it was seen in."""
    key = distinct(pair * np.int64(n) + sent)
    pairs = key // n
    first = np.concatenate([[True], pairs[1:] != pairs[:-1]]) if pairs.size else pairs.astype(bool)
    idx = np.flatnonzero(first)
    counts = np.diff(np.append(idx, pairs.size))
    return pairs[idx], counts.astype(np.int64)


def _log_tail(
    df_self: IntArray, df_other: IntArray, matched: IntArray, reach: float, n_other: int
) -> FloatArray:
    """log P(X >= matched), X ~ Binomial(df_self, q): the chance that as many occurrences of a
    word of ``df_self`` sentences find one of a word of ``df_other`` sentences placed at
    random, when each occurrence sees ``reach`` of the other text's ``n_other`` sentences."""
    free = min(max(1.0 - reach / max(n_other, 1), 0.0), 1.0)
    out = np.empty(df_self.size, np.float64)
    for k, (n, m, d) in enumerate(
        zip(df_self.tolist(), matched.tolist(), df_other.tolist(), strict=True)
    ):
        q = min(max(1.0 - free**d, 1e-12), 1.0 - 1e-12)
        tail = sum(math.comb(n, x) * q**x * (1.0 - q) ** (n - x) for x in range(m, n + 1))
        out[k] = math.log(max(tail, 1e-300))
    return out


def candidates(src: Side, tgt: Side, src_at: IntArray, tgt_at: IntArray) -> Repeats:
    """Every pair of recurring types with matched occurrences, counted on both sides."""
    i, j = close_cells(src_at, tgt_at)
    s_tok, s_starts = _eligible(src)
    t_tok, t_starts = _eligible(tgt)
    n_s = s_starts[i + 1] - s_starts[i]
    n_t = t_starts[j + 1] - t_starts[j]
    cell, rank = _expand(n_s * n_t)
    s_occ = s_starts[i[cell]] + rank // n_t[cell]
    t_occ = t_starts[j[cell]] + rank % n_t[cell]
    n_types_t = np.int64(len(tgt.vocab))
    pair = s_tok[s_occ] * n_types_t + t_tok[t_occ]
    # Matches in copies of one sentence count once, as its occurrences do (``_eligible``).
    pairs_s, m_s = _count_distinct(pair, src.first_copy[i[cell]], src.n)
    pairs_t, m_t = _count_distinct(pair, tgt.first_copy[j[cell]], tgt.n)
    # Both lists hold the same distinct pairs, in the same (sorted) order.
    s_type, t_type = pairs_s // n_types_t, pairs_s % n_types_t
    del pairs_t
    return Repeats(
        s_type,
        t_type,
        src.distinct_df[s_type],
        tgt.distinct_df[t_type],
        m_s,
        m_t,
        float(len(i)) / max(src.n, 1),
        float(len(i)) / max(tgt.n, 1),
    )


def _best(keys: IntArray, score: FloatArray) -> FloatArray:
    """Per entry, the best score among the entries of its key."""
    if keys.size == 0:
        return score
    top = np.full(int(keys.max()) + 1, -math.inf)
    np.maximum.at(top, keys, score)
    return np.asarray(top[keys], np.float64)


def guide_partners(guide: FloatArray, n_tgt: int) -> tuple[IntArray, IntArray]:
    """Partners on a guide path (a column centre per row boundary, ``n_src + 1`` values, as
    :func:`~aligner.features.anchors.guide_path` gives): each source sentence's column at its
    middle, each target sentence's row at its middle."""
    mid = (guide[:-1] + guide[1:]) / 2
    src_at = np.clip(np.floor(mid), 0, max(n_tgt - 1, 0)).astype(np.int64)
    centres = np.arange(n_tgt, dtype=np.float64) + 0.5
    tgt_at = np.clip(np.searchsorted(mid, centres) - 1, 0, max(mid.size - 1, 0))
    return src_at, np.asarray(tgt_at, np.int64)


def _discoveries(log_p: FloatArray, n_tests: int, rate: float = FALSE_DISCOVERY) -> BoolArray:
    """Benjamini & Hochberg's step-up rule: the ``k`` smallest p-values, for the largest ``k``
    whose p-value is at most ``rate * k / n_tests`` (the untested count as p = 1)."""
    order = np.argsort(log_p, kind="stable")
    ranks = np.arange(1, order.size + 1, dtype=np.float64)
    passed = np.flatnonzero(log_p[order] <= np.log(rate * ranks / max(n_tests, 1)))
    keep = np.zeros(log_p.size, bool)
    if passed.size:
        keep[order[: passed[-1] + 1]] = True
    return keep


def _sole(keys: IntArray, size: int) -> BoolArray:
    """Entries whose key occurs once."""
    return np.asarray(np.bincount(keys, minlength=size)[keys] == 1, bool)


def repeat_table(src: Side, tgt: Side, src_at: IntArray, tgt_at: IntArray) -> Table:
    """Pairs of recurring words whose occurrences a path puts together: ``src_at[i]`` is the
    target sentence the path gives source sentence ``i``, ``tgt_at[j]`` the reverse."""
    if src.n == 0 or tgt.n == 0:
        return Table.empty()
    c = candidates(src, tgt, src_at, tgt_at)
    dice = c.dice
    keep = np.flatnonzero((c.matched >= MIN_MATCHED) & (dice >= MIN_DICE))
    m = c.matched[keep]
    # Both tails measure one coincidence, seen from either side: the weaker one counts.
    log_p = np.maximum(
        _log_tail(c.df_src[keep], c.df_tgt[keep], m, c.reach_src, tgt.distinct_n),
        _log_tail(c.df_tgt[keep], c.df_src[keep], m, c.reach_tgt, src.distinct_n),
    )
    keep = keep[_discoveries(log_p, c.src.size)]
    s, t, v = c.src[keep], c.tgt[keep], dice[keep]
    mutual = (v >= _best(s, v)) & (v >= _best(t, v))
    s, t, v = s[mutual], t[mutual], v[mutual]
    # Competitive linking links one to one: a word tied between partners keeps none.
    sole = _sole(s, len(src.vocab)) & _sole(t, len(tgt.vocab))
    return Table.build(s[sole], t[sole], REPEAT_VALUE * v[sole])
