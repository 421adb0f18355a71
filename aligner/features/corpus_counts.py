"""A corpus lexicon from counts: what one pair's first pass teaches, combined across pairs.

:func:`~aligner.features.lexicon.pooled_lexicon` needs every pair's features at once, so a
corpus run would have to hold (or rebuild) every document in one process. Here each pair's
contribution is reduced where the pair is aligned to :class:`PairCounts`: the IBM Model 1
inputs of its training beads (co-occurring word types, as compact arrays over its own
vocabulary) and its dictionary pairs. :func:`combine_counts` maps them onto one vocabulary in
pair order and trains exactly as ``pooled_lexicon`` does: the same pairs in the same order give
the same :class:`~aligner.features.lexicon.Lexicon`, value for value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aligner.arrays import IntArray
from aligner.features.lexicon import (
    MAX_POOLED_PAIRS,
    Cooccurrence,
    Lexicon,
    Table,
    _associations,
    _global_ids,
    _thinned,
    cooccurrences,
)
from aligner.features.tokens import Side, distinct

__all__ = ["PairCounts", "combine_counts", "pair_counts"]

#: Ids and bead numbers of one document: int32 is plenty, and halves what a worker sends back.
Int32Array = npt.NDArray[np.int32]

#: Dictionary pairs of the pooled vocabulary are packed as ``source << 32 | target``, as
#: ``pooled_lexicon`` packs them (a vocabulary stays far below 2**32 words).
_PACK = 32


@dataclass(frozen=True)
class PairCounts:
    """One pair's training evidence for a corpus lexicon, in its own vocabulary's ids.

    ``bead``, ``src``, ``tgt``: the (training bead, source type, target type) triples of
    :func:`~aligner.features.lexicon.cooccurrences`, in its order; ``n_beads``: its training
    beads (some may hold no triple); ``prior_src`` / ``prior_tgt``: its dictionary table's
    pairs. The vocabularies are whole (words in no triple too): the pooled vocabulary numbers
    words in the order the pairs' vocabularies list them, and the training reads that order.
    Small and picklable: int32 arrays and two tuples of words.
    """

    src_vocab: tuple[str, ...]
    tgt_vocab: tuple[str, ...]
    bead: Int32Array
    src: Int32Array
    tgt: Int32Array
    n_beads: int
    prior_src: Int32Array
    prior_tgt: Int32Array

    def __post_init__(self) -> None:
        if not self.bead.shape == self.src.shape == self.tgt.shape:
            raise ValueError("co-occurrence arrays must have equal lengths")
        if self.prior_src.shape != self.prior_tgt.shape:
            raise ValueError("dictionary pair arrays must have equal lengths")

    @classmethod
    def empty(cls) -> PairCounts:
        """The counts of a pair that teaches nothing (an empty side)."""
        z = np.zeros(0, np.int32)
        return cls((), (), z, z, z, 0, z, z)

    @property
    def pairs(self) -> int:
        """The (source type, target type) pairs this pair adds to the training."""
        return int(self.bead.size)


def _compact(values: IntArray) -> Int32Array:
    """``values`` as int32 (ids and bead numbers of one document fit easily)."""
    return np.asarray(values, np.int64).astype(np.int32)


def pair_counts(
    src: Side, tgt: Side, spans: Sequence[tuple[int, int, int, int]], dictionary: Table
) -> PairCounts:
    """The counts of one pair: its sides, its training beads ``(i0, i1, j0, j1)`` and its
    dictionary table (the prior evidence), as ``pooled_lexicon`` takes them for one part."""
    co = cooccurrences(src, tgt, spans, dictionary)
    return PairCounts(
        src.vocab,
        tgt.vocab,
        _compact(co.bead),
        _compact(co.src),
        _compact(co.tgt),
        len(spans),
        _compact(dictionary.src),
        _compact(dictionary.tgt),
    )


def combine_counts(parts: Sequence[PairCounts], src_lang: str, tgt_lang: str) -> Lexicon:
    """One lexicon from several pairs' counts, equal to ``pooled_lexicon`` on the same pairs.

    The steps are ``pooled_lexicon``'s, reading counts instead of features: the words pooled
    by folded form across pairs, the beads thinned evenly to
    :data:`~aligner.features.lexicon.MAX_POOLED_PAIRS`, each dictionary pair once as a
    one-word bead, then IBM Model 1 both ways.
    """
    s_index: dict[str, int] = {}
    t_index: dict[str, int] = {}
    beads: list[IntArray] = []
    srcs: list[IntArray] = []
    tgts: list[IntArray] = []
    prior: list[IntArray] = []
    offset = 0
    for part in parts:
        s_ids = _global_ids(part.src_vocab, s_index)
        t_ids = _global_ids(part.tgt_vocab, t_index)
        beads.append(part.bead.astype(np.int64) + offset)
        srcs.append(s_ids[part.src.astype(np.int64)])
        tgts.append(t_ids[part.tgt.astype(np.int64)])
        offset += part.n_beads
        prior.append(
            s_ids[part.prior_src.astype(np.int64)] * np.int64(1 << _PACK)
            + t_ids[part.prior_tgt.astype(np.int64)]
        )
    if not beads:
        return Lexicon(src_lang, tgt_lang, (), (), ())
    co = _thinned(
        Cooccurrence(np.concatenate(beads), np.concatenate(srcs), np.concatenate(tgts)),
        offset,
        MAX_POOLED_PAIRS,
    )
    pairs = distinct(np.concatenate(prior))
    extra = np.arange(offset, offset + pairs.size, dtype=np.int64)
    co = Cooccurrence(
        np.concatenate([co.bead, extra]),
        np.concatenate([co.src, pairs >> np.int64(_PACK)]),
        np.concatenate([co.tgt, pairs & np.int64((1 << _PACK) - 1)]),
    )
    if co.bead.size == 0:
        return Lexicon(src_lang, tgt_lang, (), (), ())
    s, t, v = _associations(co, len(s_index), len(t_index))
    s_words, t_words = list(s_index), list(t_index)
    return Lexicon(
        src_lang,
        tgt_lang,
        tuple(s_words[k] for k in s.tolist()),
        tuple(t_words[k] for k in t.tolist()),
        tuple(v.tolist()),
    )
