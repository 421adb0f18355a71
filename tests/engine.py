"""Small engine inputs built in the tests: a model of two sentence lists and a path of shapes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import strategies as st

from aligner.band import Band
from aligner.config import AlignConfig
from aligner.features.length import LengthModel
from aligner.features.lexicon import spelling_table
from aligner.scoring.cost import Model, Texts
from aligner.search import Step

# Forty verse-like pairs that share names and numbers: every bead 1-1, every sentence linked.
SOLOMON_SRC = [
    f"Le roi Salomon régna {n} ans à Jérusalem sur Israël et Juda, dit le chapitre {n + 7}."
    for n in range(1, 41)
]
SOLOMON_TGT = [
    f"King Solomon reigned {n} years in Jerusalem over Israel and Judah, says chapter {n + 7}."
    for n in range(1, 41)
]


def model_of(src: Sequence[str], tgt: Sequence[str], config: AlignConfig | None = None) -> Model:
    """The cost model of two texts with no dictionary: lengths and the spelling table only."""
    texts = Texts.of(src, tgt, (), ())
    length = LengthModel.estimate(texts.src.lengths, texts.tgt.lengths)
    table = spelling_table(texts.src, texts.tgt)
    return Model.of(texts, length, table, config or AlignConfig())


def diagonal_band(model: Model, half: int = 6) -> Band:
    """The band ``half`` target sentences either side of each source row's index."""
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    rows = np.arange(n_src + 1)
    return Band(np.maximum(rows - half, 0), np.minimum(rows + half, n_tgt))


def path_of(shapes: Sequence[tuple[int, int]]) -> list[Step]:
    """Steps of the given shapes from the texts' start, each of cost 0."""
    steps, i, j = [], 0, 0
    for a, b in shapes:
        steps.append(Step(i, i + a, j, j + b, 0.0))
        i, j = i + a, j + b
    return steps


#: Words for drawn texts: names the spelling table links across the two sides, and words it
#: links or not, repeated within and across sentences as the draws fall.
VOCAB_SRC = ["Kathmandu", "Lhotse", "Annapurna", "expedition", "Makalu", "summit", "glacier"]
VOCAB_TGT = ["Kathmandou", "Lhotse", "Annapurna", "expedition", "Makalou", "sommet", "glacier"]


def sentences(vocab: list[str], most: int = 6) -> st.SearchStrategy[str]:
    """A sentence of one to ``most`` words of ``vocab``."""
    return st.lists(st.sampled_from(vocab), min_size=1, max_size=most).map(
        lambda ws: " ".join(ws) + "."
    )


def drawn_path(
    data: st.DataObject, shapes: Sequence[tuple[int, int]], most: int
) -> tuple[list[Step], list[str], list[str]] | None:
    """A path of two to ``most`` beads of the given ``shapes`` and texts of its sizes (None
    where one side would be empty)."""
    drawn = data.draw(st.lists(st.sampled_from(shapes), min_size=2, max_size=most))
    n_s, n_t = sum(a for a, _ in drawn), sum(b for _, b in drawn)
    if n_s == 0 or n_t == 0:
        return None
    src = data.draw(st.lists(sentences(VOCAB_SRC), min_size=n_s, max_size=n_s))
    tgt = data.draw(st.lists(sentences(VOCAB_TGT), min_size=n_t, max_size=n_t))
    return path_of(drawn), src, tgt
