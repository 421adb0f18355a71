"""Null options of the boundary refinement: an edge sentence linking nothing into its bead.

A sentence with no counterpart (a dropped verse, a line the translator left out) rides in its
neighbour's bead when the search's coverage does not see it is missing: each word takes its best
match anywhere in the bead. The refinement (:mod:`aligner.scoring.refine`) scores its options by
exclusive word links; here it is also offered, at each boundary, each wider bead with its edge
sentence next to the boundary taken out as a null bead, but only where that sentence's words
link into the rest of its bead no more than chance (the bead's other side holds no translation
of it). A sentence that does link into its bead is not offered: the costs under the null prior
learned from pass 1's few nulls are no evidence that a translated sentence is missing, and
offering every edge sentence lost whole beads of prose (``benchmarks/RESULTS.md``, round six).
The bead costs then choose, as for the other options.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from aligner.types import Shape

Span = tuple[int, int, int, int]  # i0, i1, j0, j1
#: Whether sentence ``k`` of a side (source: ``(span, k, None)``; target: ``(span, None, k)``)
#: links into the bead ``span``'s other side beyond chance (``refine.Scorer.holds``).
Holds = Callable[[Span, int | None, int | None], bool]


def _edges(bead: Span, last: bool) -> list[tuple[Span, Span, int | None, int | None]]:
    """The bead's edge sentences at one end (``last``: its end, else its start) on each side
    of more than one sentence, as (the rest, the null bead, source sentence, target sentence)."""
    i0, i1, j0, j1 = bead
    out: list[tuple[Span, Span, int | None, int | None]] = []
    if i1 - i0 > 1:
        k = i1 - 1 if last else i0
        rest = (i0, i1 - 1, j0, j1) if last else (i0 + 1, i1, j0, j1)
        at = j1 if last else j0
        out.append((rest, (k, k + 1, at, at), k, None))
    if j1 - j0 > 1:
        m_ = j1 - 1 if last else j0
        rest = (i0, i1, j0, j1 - 1) if last else (i0, i1, j0 + 1, j1)
        at = i1 if last else i0
        out.append((rest, (at, at, m_, m_ + 1), None, m_))
    return out


def null_options(
    a: Span, b: Span, shapes: Collection[Shape], held: Holds
) -> list[tuple[Span, ...]]:
    """The two adjacent beads ``a`` and ``b`` with an edge sentence next to their boundary
    made a null bead, for each such sentence of a bead with sentences on both sides that does
    not link into the bead beyond chance (``held``); only beads of a searched shape."""
    allowed = set(shapes)
    out: list[tuple[Span, ...]] = []
    for bead, last in ((a, True), (b, False)):
        if bead[0] == bead[1] or bead[2] == bead[3]:
            continue
        for rest, null, k, m_ in _edges(bead, last):
            shape_rest = (rest[1] - rest[0], rest[3] - rest[2])
            shape_null = (null[1] - null[0], null[3] - null[2])
            if shape_rest not in allowed or shape_null not in allowed or held(bead, k, m_):
                continue
            out.append((rest, null, b) if last else (a, null, rest))
    return out
