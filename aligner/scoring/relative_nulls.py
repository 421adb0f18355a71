"""The null option's lengths weighed under the text's own length variance.

The refinement's null options (:mod:`aligner.scoring.null_options`) are priced, like every
bead, by Gale and Church's length cost with their variance, one constant for every text. But
how closely a translated sentence follows its counterpart's length is a property of the
translation: a literal one (the Bible) keeps its verses' lengths far closer than a free one (an
abridged novel). A dropped verse merged into its neighbour's bead leaves that bead too long on
one side by a whole verse, which the constant variance forgives; a sentence translated freely
into its neighbour's keeps the bead's lengths whole. Here a null option is weighed against the
kept bead by their lengths under the text's own variance instead: Gale and Church's squared
deviation averaged over the path's 1-1 beads (its moment estimate). Every other option keeps
the constant: in the search, a variance re-estimated from a first pass's beads made pass 2 trust
lengths too much (``LengthModel.refit``); here it decides only whether an edge sentence is left
unaligned, where its lengths are the evidence the links lack.

William A. Gale and Kenneth W. Church (1993), "A Program for Aligning Sentences in Bilingual
Corpora", Computational Linguistics 19(1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from aligner.scoring.cost import Model

if TYPE_CHECKING:
    from aligner.scoring.refine import Scorer

Span = tuple[int, int, int, int]  # i0, i1, j0, j1


@dataclass(frozen=True)
class RelativeNulls:
    """The text's own length variance, and what it changes in a null option's cost."""

    variance: float

    @classmethod
    def learn(cls, scorer: Scorer, path: Sequence[Span]) -> RelativeNulls:
        """The variance of ``path``'s 1-1 beads under ``scorer``'s model."""
        return cls(own_variance(scorer.model, path))

    def weigh(self, scorer: Scorer, option: Sequence[Span], a: Span, b: Span) -> float:
        """What to add to the cost of the null option ``option`` made from the beads ``a`` and
        ``b``: its lengths against the kept bead's under the text's variance instead of the
        model's (the shape priors, the same under both, cancel)."""
        bead, rest, null = (
            (a, option[0], option[1]) if option[2] == b else (b, option[2], option[1])
        )
        model = scorer.model
        own = replace(model, length=replace(model.length, variance=self.variance))
        moved = _lengths(own, (rest, null)) - _lengths(own, (bead,))
        return moved - (_lengths(model, (rest, null)) - _lengths(model, (bead,)))


def own_variance(model: Model, path: Sequence[Span]) -> float:
    """The text's own length variance: the mean of Gale and Church's squared deviation
    ``(l2 - c l1)^2 / mean length`` over ``path``'s 1-1 beads (its moment estimate; the
    model's where there are none)."""
    sl, tl, c = model.texts.src_len, model.texts.tgt_len, model.length.ratio
    total, count = 0.0, 0
    for i0, i1, j0, j1 in path:
        if (i1 - i0, j1 - j0) == (1, 1):
            l1, l2 = float(sl[i1] - sl[i0]), float(tl[j1] - tl[j0])
            total += (l2 - c * l1) ** 2 / max((l1 + l2 / c) / 2, 1.0)
            count += 1
    return total / count if count and total > 0 else model.length.variance


def _lengths(model: Model, spans: Sequence[Span]) -> float:
    """The weighted length costs of ``spans`` (their priors included) under ``model``."""
    sl, tl = model.texts.src_len, model.texts.tgt_len
    out = 0.0
    for i0, i1, j0, j1 in spans:
        l1, l2 = np.array([sl[i1] - sl[i0]]), np.array([tl[j1] - tl[j0]])
        out += float(model.length.cost((i1 - i0, j1 - j0), l1, l2)[0])
    return model.config.length_weight * out
