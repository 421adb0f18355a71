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
from aligner.features.ibm1 import Cooccurrence, cooccurrences
from aligner.features.lexicon import Lexicon, PoolPart, Table, pool
from aligner.features.tokens import Side

__all__ = ["PairCounts", "combine_counts", "pair_counts"]

#: Ids and bead numbers of one document: int32 is plenty, and halves what a worker sends back.
Int32Array = npt.NDArray[np.int32]


@dataclass(frozen=True)
class PairCounts:
    """One pair's training evidence for a corpus lexicon, in its own vocabulary's ids.

    ``bead``, ``src``, ``tgt``: the (training bead, source type, target type) triples of
    :func:`~aligner.features.ibm1.cooccurrences`, in its order; ``n_beads``: its training
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

    Both go through :func:`~aligner.features.lexicon.pool`, this one reading counts instead of
    features.
    """
    pooled = (
        PoolPart(
            part.src_vocab,
            part.tgt_vocab,
            Cooccurrence(
                part.bead.astype(np.int64), part.src.astype(np.int64), part.tgt.astype(np.int64)
            ),
            part.n_beads,
            part.prior_src.astype(np.int64),
            part.prior_tgt.astype(np.int64),
        )
        for part in parts
    )
    return pool(pooled, src_lang, tgt_lang)
