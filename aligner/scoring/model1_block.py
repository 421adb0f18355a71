"""IBM Model 1 of every bead inside a boundary's two beads at once, to decide its test's sign.

The refinement (:mod:`aligner.scoring.refine`) offers a boundary's merge, moves and splits only
where Model 1's log ratio of the new beads over the old is positive (``Scorer.cut_gain``),
summing each bead's terms sentence by sentence (``Scorer._term``: a few small numpy calls per
sentence and per range of the other side's sentences). Every bead the options of one boundary
weigh lies inside the span of its two beads, so here every term of that span is found at once:
the table's values of each source word with each target word of the span in one matrix, what
each sentence gives each word of the other side by two products, and for every range of the
other side's sentences the words' sums, their logarithms and the terms by three more. The
numbers are Model 1's, added in other orders: they differ from the sentence-by-sentence sums
in the last bits only, far below :data:`MARGIN`. So a ratio found here further than the margin
from zero has the sign of the exact one, and only the rare ratio within it is summed again the
exact way (:func:`decided_gain`). What the test decides is unchanged.

Peter F. Brown et al. (1993), "The Mathematics of Statistical Machine Translation: Parameter
Estimation", Computational Linguistics 19(2).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.features.tokens import Side
from aligner.scoring.link_batch import row_ranges

Span = tuple[int, int, int, int]  # i0, i1, j0, j1
Word = tuple[int, float, int]  # token, weight, occurrences
Gain = Callable[[Sequence[Span], Sequence[Span]], float]
#: How far from zero, relative to the sizes of the beads' log-likelihoods added (plus one nat),
#: a ratio found here must be for its sign to be taken: the two ways of summing differ by a few
#: units in the last place of each of at most some thousand additions and logarithms (about
#: 1e-13 of the sums), a million times less.
MARGIN = 1e-7


class Source(Protocol):
    """What the refinement's scorer gives: each sentence's informative words, the table's
    translations of a source token, NULL's probability on each side."""

    _floor_src: float
    _floor_tgt: float

    def src_words(self, k: int) -> list[Word]:
        """Source sentence ``k``'s informative words."""
        ...

    def tgt_words(self, m_: int) -> list[Word]:
        """Target sentence ``m_``'s informative words."""
        ...

    @property
    def translations(self) -> Mapping[int, Mapping[int, float]]:
        """The table's translations of each source token."""
        ...

    def live_words(self, src: bool, k0: int, k1: int) -> LiveWords | None:
        """The informative words of sentences ``k0:k1`` of a side, as :func:`live_words`
        reads them (None where the counts were not taken with the tokens)."""
        ...

    @property
    def pair_values(self) -> PairValues | None:
        """The same table, for a block's words at once (None: read word by word)."""
        ...


#: A run of sentences' informative words: their tokens, how often each is written, and how
#: many words each sentence holds.
LiveWords = tuple[IntArray, IntArray, list[int]]


def live_words(side: Side, starts: IntArray, k0: int, k1: int) -> LiveWords | None:
    """The informative words (weight above 0) of ``side``'s sentences ``k0:k1`` read from its
    arrays, each written at least once: the words of the refinement's sentence lists
    (``Scorer.src_words``), in their order; ``starts``: where each sentence's occurrences
    start. None where the side's counts were not taken with its tokens (the scorer counts
    them from the sentences' text)."""
    written = side.occ_count
    if written is None:
        return None
    a, b = int(starts[k0]), int(starts[k1])
    toks = side.occ_tok[a:b]
    live = side.weight[toks] > 0
    sizes = np.bincount(side.occ_sent[a:b][live] - k0, minlength=k1 - k0).tolist()
    return toks[live], np.maximum(written[a:b][live], 1), sizes


class PairValues:
    """A translation table's values for the words of a block, found by numpy: each source
    word's entries (where its token's start), kept where the block holds their target word
    (a column per target token, marked in an array over the vocabulary and cleared after).
    The loop over the words and their translations' dicts placed the same floats in the same
    places (:func:`_values_by_loop`). ``src``, ``tgt``, ``val``: the table's entries, sorted
    by source then target token, one per pair; ``n_src``, ``n_tgt``: the vocabularies'
    sizes."""

    def __init__(
        self, src: IntArray, tgt: IntArray, val: FloatArray, n_src: int, n_tgt: int
    ) -> None:
        self.starts = np.searchsorted(src, np.arange(n_src + 1))
        self.tgt, self.val = tgt, val
        self.column = np.full(max(n_tgt, int(tgt.max()) + 1 if tgt.size else 0), -1, np.int64)

    @classmethod
    def of(
        cls, src: IntArray, tgt: IntArray, val: FloatArray, n_src: int, n_tgt: int
    ) -> PairValues | None:
        """The reader of a table whose entries are one per pair (Table.build's), else None:
        with two entries of a pair, the dicts keep the last and the arrays may not."""
        if src.size > 1 and not np.all(
            (src[1:] > src[:-1]) | ((src[1:] == src[:-1]) & (tgt[1:] > tgt[:-1]))
        ):
            return None
        return cls(src, tgt, val, n_src, n_tgt)

    def values(self, src: Sequence[int] | IntArray, tgt: Sequence[int] | IntArray) -> FloatArray:
        """The table's value of each token of ``src`` (rows) with each of ``tgt`` (columns),
        0 where it has none."""
        s_tok = np.array(src, np.int64)
        t_tok = np.array(tgt, np.int64)
        values = np.zeros((s_tok.size, t_tok.size))
        # A token written twice gets its last column here, the other copied below.
        column = self.column
        column[t_tok] = np.arange(t_tok.size)
        rows, entries = row_ranges(self.starts[s_tok], self.starts[s_tok + 1])
        at = column[self.tgt[entries]]
        hit = at >= 0
        values[rows[hit], at[hit]] = self.val[entries[hit]]
        first = column[t_tok]
        column[t_tok] = -1
        again = np.flatnonzero(first != np.arange(t_tok.size))
        if again.size:
            values[:, again] = values[:, first[again]]
        return values


@cache
def _ranges(n: int) -> tuple[dict[tuple[int, int], int], npt.NDArray[np.float64]]:
    """Every range ``lo:hi`` of ``n`` sentences (empty ones too), numbered, and which
    sentences each holds (a row of ones per range; the same few sizes recur, so kept)."""
    index: dict[tuple[int, int], int] = {}
    rows = np.zeros(((n + 1) * (n + 2) // 2, n))
    for lo in range(n + 1):
        for hi in range(lo, n + 1):
            rows[len(index), lo:hi] = 1.0
            index[lo, hi] = len(index)
    rows.flags.writeable = False
    return index, rows


def _ends(sizes: list[int]) -> list[tuple[int, int]]:
    """Each size with where its run ends when the runs are laid end to end."""
    out, at = [], 0
    for n in sizes:
        at += n
        out.append((n, at))
    return out


def _owners(sizes: list[int]) -> npt.NDArray[np.float64]:
    """Which sentence each word belongs to: a row of ones per sentence of ``sizes`` words."""
    ids = np.repeat(np.arange(len(sizes)), sizes)
    return np.asarray(ids == np.arange(len(sizes))[:, None], dtype=np.float64)


def _values_by_loop(
    translations: Mapping[int, Mapping[int, float]], src: list[list[Word]], tgt: list[list[Word]]
) -> FloatArray:
    """The table's value of each source word of a block (rows) with each target word
    (columns), read word by word from the translations' dicts."""
    where: dict[int, list[int]] = {}
    width = 0
    for words in tgt:
        for t, _, _ in words:
            if t in where:
                where[t].append(width)
            else:
                where[t] = [width]
            width += 1
    # Each value's place in the matrix, row after row.
    at: list[int] = []
    vals: list[float] = []
    found, r = where.keys(), 0
    for words in src:
        for s, _, _ in words:
            trans = translations[s]
            for t in trans.keys() & found:
                v = trans[t]
                for c in where[t]:
                    at.append(r + c)
                    vals.append(v)
            r += width
    values = np.zeros((sum(len(words) for words in src), width))
    values.put(at, vals)
    return values


class BlockModel1:
    """Model 1's log-likelihood (``Scorer.model1``, up to the last bits) of each bead inside
    the span ``block``."""

    def __init__(self, source: Source, block: Span) -> None:
        i0, i1, j0, j1 = block
        self.block = block
        pairs = source.pair_values
        got_s = source.live_words(True, i0, i1) if pairs is not None else None
        got_t = source.live_words(False, j0, j1) if got_s is not None else None
        if pairs is not None and got_s is not None and got_t is not None:
            # The words of the block's sentences read from the sides' arrays at once: the same
            # tokens and counts as the sentences' lists, in the same order.
            (tok_s, occ_s, sizes_s), (tok_t, occ_t, sizes_t) = got_s, got_t
            counts_s, counts_t = occ_s.tolist(), occ_t.tolist()
            values = pairs.values(tok_s, tok_t)
        else:
            src = [source.src_words(k) for k in range(i0, i1)]
            tgt = [source.tgt_words(m_) for m_ in range(j0, j1)]
            sizes_s = [len(words) for words in src]
            sizes_t = [len(words) for words in tgt]
            counts_s = [c for words in src for _, _, c in words]
            counts_t = [c for words in tgt for _, _, c in words]
            values = (
                _values_by_loop(source.translations, src, tgt)
                if pairs is None
                else pairs.values(
                    [s for w in src for s, _, _ in w], [t for w in tgt for t, _, _ in w]
                )
            )
        occ_s = np.array(counts_s, dtype=np.float64)
        occ_t = np.array(counts_t, dtype=np.float64)
        own_s = _owners(sizes_s)
        own_t = _owners(sizes_t)
        # What each source sentence gives each target word, and each target sentence each
        # source word: the occurrences times the values.
        gives_t = own_s @ (occ_s[:, None] * values)
        gives_s = own_t @ (values * occ_t).T
        self.src_index, in_s = _ranges(i1 - i0)
        self.tgt_index, in_t = _ranges(j1 - j0)
        # Per range of the other side, each word's probability (NULL's and each sentence's),
        # its logarithm times the word's occurrences, summed per sentence.
        fwd = np.log(in_s @ gives_t + source._floor_tgt)
        fwd *= occ_t
        back = np.log(in_t @ gives_s + source._floor_src)
        back *= occ_s
        self.fwd: list[list[float]] = (fwd @ own_t.T).tolist()
        self.back: list[list[float]] = (back @ own_s.T).tolist()
        # Whole numbers: their sums are exact in any order.
        self.n_src: list[float] = [float(sum(counts_s[a - n : a])) for n, a in _ends(sizes_s)]
        self.n_tgt: list[float] = [float(sum(counts_t[a - n : a])) for n, a in _ends(sizes_t)]
        self._model1: dict[Span, float] = {}

    def model1(self, span: Span) -> float:
        """The bead ``span``'s ``log P(target | source) + log P(source | target)`` (memoised:
        the two beads kept are weighed against each option)."""
        got = self._model1.get(span)
        if got is None:
            got = self._model1[span] = self._sum(span)
        return got

    def _sum(self, span: Span) -> float:
        b0, _, c0, _ = self.block
        i0, i1, j0, j1 = span[0] - b0, span[1] - b0, span[2] - c0, span[3] - c0
        fwd = self.fwd[self.src_index[i0, i1]]
        back = self.back[self.tgt_index[j0, j1]]
        n_s, n_t = sum(self.n_src[i0:i1]), sum(self.n_tgt[j0:j1])
        got = sum(fwd[j0:j1]) + sum(back[i0:i1])
        return got - (n_t * math.log(n_s + 1) + n_s * math.log(n_t + 1))


def _inside(span: Span, block: Span) -> bool:
    """Whether the bead ``span`` lies inside the span ``block``."""
    return (
        block[0] <= span[0] and span[1] <= block[1] and block[2] <= span[2] and span[3] <= block[3]
    )


class Blocks:
    """The last :class:`BlockModel1` made, taken again for a later boundary whose two beads lie
    inside it: a bead's Model 1 is the same in any block that holds it (up to the last bits),
    so a block made over three beads serves the boundaries on both sides of the middle one."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.last: BlockModel1 | None = None

    def holding(self, span: Span, reach: Span) -> BlockModel1:
        """A block holding ``span``: the last one if it does, else a new one over ``reach``
        (which holds ``span``)."""
        last = self.last
        if last is None or not _inside(span, last.block):
            last = self.last = BlockModel1(self.source, reach)
        return last


def decided_gain(
    source: Source,
    span: Span,
    exact: Gain,
    marks: Callable[[Sequence[Span]], float] | None,
    blocks: Blocks | None = None,
    reach: Span | None = None,
) -> Gain:
    """The test's log ratio of beads ``new`` over ``old`` (all inside ``span``): from the
    :class:`BlockModel1` of ``span`` (made on the first call) where it lies beyond
    :data:`MARGIN` from zero (the sign is all the test reads), else ``exact`` (the exact ratio
    with the marks' added, as the refinement computes it); ``marks``: the marks' evidence of
    a set of beads, or None. With ``blocks``, the block is the last one made where it holds
    ``span``, else one made over ``reach`` (default ``span``), kept there for the next."""
    made: list[BlockModel1] = []
    # Per set of old beads (the two beads kept, weighed against every option): their Model 1
    # summed, its size and their marks' evidence.
    olds: dict[tuple[Span, ...], tuple[float, float, float]] = {}

    def gain(old: Sequence[Span], new: Sequence[Span]) -> float:
        if not made:
            made.append(
                BlockModel1(source, span)
                if blocks is None
                else blocks.holding(span, span if reach is None else reach)
            )
        block = made[0]
        key = tuple(old)
        was = olds.get(key)
        if was is None:
            before = [block.model1(s) for s in old]
            was = olds[key] = (
                sum(before),
                sum(abs(x) for x in before),
                0.0 if marks is None else marks(old),
            )
        after = [block.model1(s) for s in new]
        got = sum(after) - was[0]
        if marks is not None:
            got += marks(new) - was[2]
        size = sum(abs(x) for x in after) + was[1] + 1.0
        if abs(got) > MARGIN * size:
            return got
        return exact(old, new)

    return gain
