"""Word-link evidence of each bead of a path: how its sentences link across its edges and cuts.

The lattice's posterior weighs a bead against other cuts of the text by their costs, and the
costs count each word's best match anywhere on the other side of a bead: a sentence that
translates part of its neighbour's sentence still earns credit where it is, so a gold 3-2 cut
into 1-1 + 2-1 (or the reverse) costs about the same either way and the posterior stays high.
The exclusive word links of the boundary refinement (:class:`aligner.scoring.refine.Scorer`:
competitive linking, every word occurrence in at most one link) say it more directly:

* ``outward``: the strongest link beyond chance of a sentence of the bead into the other side
  of a neighbouring bead, or of a neighbour's sentence into the bead's other side, counted on
  the links of the two beads merged (a sentence linking into two beads: the cut between them
  may be wrong);
* ``split``: the weakest of the bead's cuts into two parts, each cut scored by its strongest
  link beyond chance across it (a bead whose parts do not link to each other may be two);
* ``inside``: the weakest sentence of the bead, by its mass linked inside the bead beyond chance
  over its mass (a sentence that finds nothing in its bead may belong elsewhere).

Strengths are shares of a sentence's token mass, less the model's chance level for as many
sentences, as the cost model's coverage counts them. They are read only where the path changes
granularity, as the refinement does: ``outward`` at the boundaries next to a bead that is not
1-1, ``split`` and ``inside`` in beads that are not 1-1; in a run of 1-1 beads each side of a
cut translates the other and the links of every boundary would cost a link pass over the whole
text (half the alignment's time again on a Bible). Beads with nothing to link (an unaligned
sentence's ``split`` and ``inside``, a boundary between 1-1 beads, a text's first bead's outward
edge) read 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.arrays import FloatArray
from aligner.scoring.cost import Model
from aligner.scoring.link_batch import exclusive_links
from aligner.scoring.linking import Links
from aligner.scoring.refine import Scorer, Span
from aligner.search import Step


@dataclass(frozen=True)
class LinkEvidence:
    """Per bead of a path, the three strengths of the module docstring."""

    outward: FloatArray
    split: FloatArray
    inside: FloatArray


def _src_strength(model: Model, links: Links, k: int, targets: range) -> float:
    """Source sentence ``k``'s mass linked into ``targets`` beyond chance, over its mass."""
    if not len(targets):
        return 0.0
    chance = model.src_chance[min(len(targets), len(model.src_chance)) - 1, k]
    return float((links.src_mass(k, targets) - chance) * model.src_scale[k])


def _tgt_strength(model: Model, links: Links, m_: int, sources: range) -> float:
    """Target sentence ``m_``'s mass linked into ``sources`` beyond chance, over its mass."""
    if not len(sources):
        return 0.0
    chance = model.tgt_chance[min(len(sources), len(model.tgt_chance)) - 1, m_]
    return float((links.tgt_mass(m_, sources) - chance) * model.tgt_scale[m_])


def across(model: Model, links: Links, span: Span, ci: int, cj: int) -> float:
    """The strongest link beyond chance of a sentence of ``span`` across the cut at source
    ``ci`` and target ``cj`` (into the other part's other side); 0 if no sentence has one."""
    i0, i1, j0, j1 = span
    best = 0.0
    found = False
    for srcs, tgts in ((range(i0, ci), range(cj, j1)), (range(ci, i1), range(j0, cj))):
        if len(tgts):
            for k in srcs:
                s = _src_strength(model, links, k, tgts)
                best, found = (s if not found else max(best, s)), True
    for tgts, srcs in ((range(j0, cj), range(ci, i1)), (range(cj, j1), range(i0, ci))):
        if len(srcs):
            for m_ in tgts:
                s = _tgt_strength(model, links, m_, srcs)
                best, found = (s if not found else max(best, s)), True
    return best if found else 0.0


def _split(model: Model, scorer: Scorer, span: Span) -> float:
    """The weakest cut of a paired bead (see the module docstring)."""
    i0, i1, j0, j1 = span
    links = scorer.links(span)
    # Every cut that leaves a sentence in each part, one-sided parts included (a 2-1 bead may be
    # a 1-1 and an unaligned sentence).
    cuts = [
        (ci, cj)
        for ci in range(i0, i1 + 1)
        for cj in range(j0, j1 + 1)
        if (ci, cj) not in ((i0, j0), (i1, j1))
    ]
    return min(across(model, links, span, ci, cj) for ci, cj in cuts)


def _inside(model: Model, scorer: Scorer, span: Span) -> float:
    """The weakest sentence of a paired bead by its links inside it."""
    i0, i1, j0, j1 = span
    links = scorer.links(span)
    src = [_src_strength(model, links, k, range(j0, j1)) for k in range(i0, i1)]
    tgt = [_tgt_strength(model, links, m_, range(i0, i1)) for m_ in range(j0, j1)]
    return min(src + tgt)


def link_evidence(model: Model, steps: Sequence[Step], within: bool = False) -> LinkEvidence:
    """The :class:`LinkEvidence` of each step of a path under ``model``; ``split`` and ``inside``
    only when ``within`` (the calibration's ablation measures them; they are not shipped inputs),
    else zeros."""
    k = len(steps)
    spans: list[Span] = [(s.i0, s.i1, s.j0, s.j1) for s in steps]
    plain = [s[1] - s[0] == 1 and s[3] - s[2] == 1 for s in spans]
    # Strength across each boundary between beads b and b + 1, on the links of both merged.
    edge = np.zeros(max(k - 1, 0))
    read: list[tuple[int, Span]] = []
    for b in range(k - 1):
        if plain[b] and plain[b + 1]:
            continue
        a, c = spans[b], spans[b + 1]
        merged = (a[0], c[1], a[2], c[3])
        if merged[0] == merged[1] or merged[2] == merged[3]:
            continue  # one side empty: nothing links
        read.append((b, merged))
    # The scorer's links, found for all the merged beads at once.
    found = exclusive_links(model, [merged for _, merged in read])
    for (b, merged), links in zip(read, found, strict=True):
        edge[b] = across(model, links, merged, spans[b][1], spans[b][3])
    outward = np.zeros(k)
    if k > 1:
        outward[1:] = edge
        outward[:-1] = np.maximum(outward[:-1], edge)
    split = np.zeros(k)
    inside = np.zeros(k)
    scorer = Scorer(model)
    for b, span in enumerate(spans):
        if within and not plain[b] and span[0] < span[1] and span[2] < span[3]:
            split[b] = _split(model, scorer, span)
            inside[b] = _inside(model, scorer, span)
    return LinkEvidence(outward, split, inside)
