"""Heading blocks: a title line left without counterpart joins the heading bead beside it.

A title and its subtitle are lines of their own, and a translator often retitles them as a
block: two lines rendered as one, or one as two (the French leaflet's «Proposition d'armistice
et de paix immédiate» and «Aux peuples des pays belligérants !» are the Russian original's one
line «Обращение Совета Народных Комиссаров к народам воюющих стран»). The cost model cannot
price that: each heading line is a paragraph of its own, so a bead that takes two of them on
one side only pays the paragraph penalty, and a retitled line shares no word with its
counterpart. The search then leaves one line unaligned, which tells the reviewer of an
omission that is not there. A heading line the translation drops and one it retitles share no
word with the other side either way, so the block and its lengths decide: after the search and
the refinement, a heading line in a null bead may join the adjacent bead when every sentence
of both beads, on both sides, is a line of its own (a paragraph of one short sentence), each
side holds a heading line, and the block on the null bead's side heads body text (it is
followed by a sentence that is not such a line; lines at the end, such as a signature, head
nothing). Inside such a block neither the paragraph breaks (each line is one by construction)
nor the words (a retitled line shares none) are evidence, so what Gale and Church's model
alone says decides: the line joins when the merged bead's length cost with its shape's prior
is below that of the two beads apart. A chapter number paired with «CHAPTER II» keeps an
added chapter title apart: two characters against a long title fit worse than apart.

William A. Gale and Kenneth W. Church (1993), "A program for aligning sentences in bilingual
corpora", Computational Linguistics 19(1).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from aligner.scoring.cost import Model
from aligner.search import Step
from aligner.segmentation.structure import HEADING_MAX_WORDS, heading_paragraphs, is_heading
from aligner.types import Shape

__all__ = ["Lines", "length_price", "merge_heading_blocks"]

Span = tuple[int, int, int, int]  # i0, i1, j0, j1


@dataclass(frozen=True)
class Lines:
    """Per sentence of one side: a line of its own (a paragraph of one short sentence), and a
    heading line (such a line, unpunctuated: :func:`~aligner.segmentation.structure.is_heading`)."""

    alone: tuple[bool, ...]
    heading: tuple[bool, ...]

    @classmethod
    def of(cls, sentences: Sequence[str], paragraphs: Sequence[int]) -> Lines:
        """The lines of ``sentences``; without paragraph indices (one per sentence), headings
        make their own paragraphs (:func:`heading_paragraphs`), as the cost model reads them."""
        n = len(sentences)
        par = list(paragraphs) if len(paragraphs) == n else heading_paragraphs(sentences)
        alone = tuple(
            (k == 0 or par[k - 1] != par[k])
            and (k == n - 1 or par[k + 1] != par[k])
            and len(sentences[k].split()) <= HEADING_MAX_WORDS
            for k in range(n)
        )
        heading = tuple(a and is_heading(s) for a, s in zip(alone, sentences, strict=True))
        return cls(alone, heading)

    def heads_body(self, k: int) -> bool:
        """Whether the run of lines of their own holding sentence ``k`` is followed by body text."""
        n = len(self.alone)
        while k < n and self.alone[k]:
            k += 1
        return k < n


def length_price(model: Model) -> Callable[[Span], float]:
    """Gale and Church's cost of a bead under ``model``'s length model: how far its lengths are
    from a translation's, and its shape's prior (no words, no paragraphs)."""
    src_len, tgt_len = model.texts.src_len, model.texts.tgt_len

    def price(span: Span) -> float:
        i0, i1, j0, j1 = span
        l1 = np.array([src_len[i1] - src_len[i0]])
        l2 = np.array([tgt_len[j1] - tgt_len[j0]])
        return float(model.length.cost((i1 - i0, j1 - j0), l1, l2)[0])

    return price


def merge_heading_blocks(
    steps: Sequence[Step],
    src: Lines,
    tgt: Lines,
    shapes: Collection[Shape],
    price: Callable[[Span], float],
    cost: Callable[[Span], float],
    fixed: Collection[tuple[int, int]] = (),
) -> tuple[Step, ...]:
    """The path with each heading line of a null bead merged into the adjacent heading bead
    where the merged bead's ``price`` (:func:`length_price`) is below the two beads' apart.

    Only into a bead of a searched shape, never across a ``fixed`` boundary ``(i, j)``; where
    both neighbours qualify, the merge that saves the most is taken. New beads get their
    ``cost`` (the search's); every sentence stays in exactly one bead, in order.
    """
    spans: list[Span] = [(s.i0, s.i1, s.j0, s.j1) for s in steps]
    allowed, keep = set(shapes), set(fixed)

    def block(span: Span) -> bool:
        i0, i1, j0, j1 = span
        return all(src.alone[i0:i1]) and all(tgt.alone[j0:j1])

    def heads(span: Span) -> bool:
        i0, i1, j0, j1 = span
        return any(src.heading[i0:i1]) and any(tgt.heading[j0:j1])

    k = 0
    while k < len(spans):
        lone = spans[k]
        i0, i1, j0, j1 = lone
        source = i1 > i0
        if (j1 > j0) == source or not (src.heading[i0] if source else tgt.heading[j0]):
            k += 1
            continue
        if not (src.heads_body(i0) if source else tgt.heads_body(j0)):
            k += 1
            continue
        options: list[tuple[float, int, Span]] = []
        for n in (k - 1, k + 1):
            if not 0 <= n < len(spans):
                continue
            other = spans[n]
            if other[0] == other[1] or other[2] == other[3]:
                continue
            first, last = (other, lone) if n < k else (lone, other)
            if (first[1], first[3]) in keep:
                continue
            merged = (first[0], last[1], first[2], last[3])
            if (merged[1] - merged[0], merged[3] - merged[2]) not in allowed:
                continue
            saved = price(lone) + price(other) - price(merged)
            if saved > 0 and block(merged) and heads(merged):
                options.append((-saved, min(n, k), merged))
        if options:
            _, at, merged = min(options)
            spans[at : at + 2] = [merged]
            k = at
        else:
            k += 1
    costs = {(s.i0, s.i1, s.j0, s.j1): s.cost for s in steps}
    return tuple(Step(*s, costs[s] if s in costs else cost(s)) for s in spans)
