"""Split options of the boundary refinement where no word links across the cut beyond chance.

The refinement (:mod:`aligner.scoring.refine`) offers to cut a bead in two only where IBM Model
1's likelihood ratio prefers the two beads. Under that test one word whose translation stands
on the other side of the cut is worth about the log of its table value over NULL's probability
(one over the vocabulary, some 8 nats), against well under a nat for each word the one bead
dilutes: a word the two verses repeat ("l'Éternel" / "the Lord" twice), or one the table knows
only faintly, keeps two verse pairs together as one 2-2 bead, although it links across the cut
no more than any sentence of the neighbourhood would (``Scorer.links_across``, the local chance
level of ``pipeline.passes._local_chance``). Where no sentence of the bead links across the cut
beyond that chance, the links are no evidence of content moved across the sentence boundary;
the split is then offered too, and the bead costs, with the lengths at the cut
(:mod:`aligner.scoring.cuts`), decide as for every other option. Where a word does link across
beyond chance, the Model 1 test alone decides, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from aligner.types import Shape

Span = tuple[int, int, int, int]  # i0, i1, j0, j1
#: Whether a sentence of the bead ``span`` links across its cut at source ``ci`` and target
#: ``cj`` beyond chance (``refine.Scorer.links_across``).
Across = Callable[[Span, int, int], bool]


def uncrossed_splits(
    a: Span, b: Span, shapes: Collection[Shape], across: Across
) -> list[tuple[Span, ...]]:
    """The two adjacent beads ``a`` and ``b`` with either one cut in two, at each inner cut
    (a sentence on both sides of it on both sides) that no sentence links across beyond
    chance (``across``); only parts of a searched shape."""
    allowed = set(shapes)
    out: list[tuple[Span, ...]] = []
    for bead, first in ((a, True), (b, False)):
        i0, i1, j0, j1 = bead
        for ci in range(i0 + 1, i1):
            for cj in range(j0 + 1, j1):
                left, right = (i0, ci, j0, cj), (ci, i1, cj, j1)
                shaped = (ci - i0, cj - j0) in allowed and (i1 - ci, j1 - cj) in allowed
                if shaped and not across(bead, ci, cj):
                    out.append((left, right, b) if first else (a, left, right))
    return out
