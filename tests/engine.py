"""Small engine inputs built in the tests: a model of two sentence lists and a path of shapes."""

from __future__ import annotations

from collections.abc import Sequence

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


def path_of(shapes: Sequence[tuple[int, int]]) -> list[Step]:
    """Steps of the given shapes from the texts' start, each of cost 0."""
    steps, i, j = [], 0, 0
    for a, b in shapes:
        steps.append(Step(i, i + a, j, j + b, 0.0))
        i, j = i + a, j + b
    return steps
