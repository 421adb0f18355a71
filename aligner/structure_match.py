"""Structure as evidence: chapters and headings both texts have, paired to cut the alignment.

A book's chapters and a manual's headings are boundaries its translation has too, at about the
same place. :func:`sentence_structure` maps a :class:`~aligner.readers.SourceText`'s chapters
and headings to the sentences of its segmented :class:`~aligner.model.Document`;
:func:`match_structure` pairs the boundaries of two texts and returns *cut points* ``(i, j)``:
source sentences ``[:i]`` go with target sentences ``[:j]``, so the sentence search can run
between consecutive cuts (:func:`segments`) and a chapter cannot drift into the next.

Pairing: each boundary sits at a relative position, the share of the text's characters before
it. Two boundaries may pair when they are of the same kind (chapter with chapter, heading with
a heading of the same level), their positions differ by at most :data:`POSITION_TOLERANCE`
(:data:`EQUAL_COUNT_TOLERANCE` for chapters when both texts have as many), and, for headings,
the headings' own lengths are in a translation's proportions. Of the pairings that keep the
order on both sides, the one of highest total score is taken (a weighted longest chain); then a
cut is kept only where the stretch since the last kept cut has both sides non-empty and
lengths in a translation's proportions (:data:`MAX_STRETCH_RATIO`, relative to the texts'
overall ratio). A missing cut costs little (the search is wider); a wrong one forces a wrong
alignment, hence the caution.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.model import Document
from aligner.readers.source import SourceText

__all__ = [
    "Structure",
    "match_structure",
    "segments",
    "sentence_structure",
]

#: Largest difference of relative position (share of the text before the boundary) between
#: two paired boundaries.
POSITION_TOLERANCE = 0.03
#: The same for chapters when both texts have the same number of them (count is evidence).
EQUAL_COUNT_TOLERANCE = 0.1
#: Largest ratio between a stretch's length ratio and the texts' overall one (either way).
MAX_STRETCH_RATIO = 1.6
#: Stretches shorter than this (characters, on the shorter side) are not judged by ratio.
MIN_STRETCH_CHARS = 300
#: Largest ratio between two paired headings' lengths, relative to the overall ratio; headings
#: are short, so this is loose.
MAX_HEADING_RATIO = 2.5
#: Weight of a chapter pairing against a heading pairing in the chain's score.
CHAPTER_WEIGHT = 3.0

_CHAPTER = 0  # kind of a chapter boundary; a heading's kind is its level (1-6)


@dataclass(frozen=True)
class Structure:
    """A text's sentences' lengths and the sentences that open its chapters and headings."""

    lengths: tuple[int, ...]
    chapters: tuple[int, ...] = ()
    headings: tuple[tuple[int, int, int], ...] = ()  # (first sentence, level, characters)

    def __post_init__(self) -> None:
        n = len(self.lengths)
        if any(not 0 <= i < n for i in self.chapters):
            raise ValueError("a chapter starts outside the sentences")
        if any(not 0 <= h[0] < n for h in self.headings):
            raise ValueError("a heading starts outside the sentences")


@dataclass(frozen=True)
class _Boundary:
    sentence: int
    kind: int
    position: float
    size: int  # characters of the heading (0 for a chapter)


def sentence_structure(source: SourceText, document: Document) -> Structure:
    """Chapters and headings of ``source`` as indices of ``document``'s sentences.

    ``document`` must be ``source.text`` segmented (its text is the same); a chapter opens at
    its first sentence, a heading at the first sentence that starts inside it.
    """
    if document.text != source.text:
        raise ValueError("the document was not segmented from this source text")
    starts = [s.start for s in document.sentences]
    n = len(starts)

    def first_from(offset: int) -> int:
        return bisect.bisect_left(starts, offset)

    chapters = sorted({k for k in (first_from(c) for c in source.chapters) if k < n})
    headings: list[tuple[int, int, int]] = []
    for h in source.headings:
        k = first_from(h.start)
        if k < n and starts[k] < h.end and (not headings or headings[-1][0] != k):
            headings.append((k, h.level, h.end - h.start))
    return Structure(
        lengths=tuple(s.end - s.start for s in document.sentences),
        chapters=tuple(chapters),
        headings=tuple(headings),
    )


def _boundaries(structure: Structure) -> list[_Boundary]:
    total = sum(structure.lengths) or 1
    before = [0]
    for n in structure.lengths:
        before.append(before[-1] + n)
    chapters = set(structure.chapters)
    found = [_Boundary(i, _CHAPTER, before[i] / total, 0) for i in sorted(chapters) if i > 0]
    found += [
        _Boundary(i, level, before[i] / total, size)
        for i, level, size in structure.headings
        if i > 0 and i not in chapters
    ]
    return sorted(found, key=lambda b: b.sentence)


def _pair_score(a: _Boundary, b: _Boundary, ratio: float, tolerance: float) -> float:
    """Score of pairing two boundaries (> 0), or 0 when they may not pair."""
    if a.kind != b.kind:
        return 0.0
    distance = abs(a.position - b.position)
    if distance > tolerance:
        return 0.0
    if a.kind != _CHAPTER:
        expected = a.size * ratio
        if not expected / MAX_HEADING_RATIO <= b.size <= expected * MAX_HEADING_RATIO:
            return 0.0
    weight = CHAPTER_WEIGHT if a.kind == _CHAPTER else 1.0
    return weight * (1.0 - distance / (2 * tolerance))


def _chain(
    src: Sequence[_Boundary], tgt: Sequence[_Boundary], ratio: float, chapter_tolerance: float
) -> list[tuple[_Boundary, _Boundary]]:
    """The order-keeping pairing of highest total score (weighted longest chain)."""
    candidates: list[tuple[int, int, float]] = []
    positions = [b.position for b in tgt]
    widest = max(POSITION_TOLERANCE, chapter_tolerance)
    for a_index, a in enumerate(src):
        tolerance = chapter_tolerance if a.kind == _CHAPTER else POSITION_TOLERANCE
        low = bisect.bisect_left(positions, a.position - widest)
        high = bisect.bisect_right(positions, a.position + widest)
        for b_index in range(low, high):
            score = _pair_score(a, tgt[b_index], ratio, tolerance)
            if score > 0:
                candidates.append((a_index, b_index, score))
    # best[k]: best chain score ending with candidate k; chains need both indices increasing.
    # Candidates come ordered by source index; a Fenwick tree over target indices gives the
    # best chain ending before a target index, updated only after a source index is done.
    size = len(tgt)
    tree: list[tuple[float, int]] = [(0.0, -1)] * (size + 1)

    def query(b: int) -> tuple[float, int]:  # best over target indices < b
        best = (0.0, -1)
        while b > 0:
            best = max(best, tree[b])
            b -= b & -b
        return best

    def update(b: int, value: tuple[float, int]) -> None:
        b += 1
        while b <= size:
            tree[b] = max(tree[b], value)
            b += b & -b

    best: list[float] = []
    back: list[int] = []
    pending: list[int] = []
    for k, (a_index, b_index, score) in enumerate(candidates):
        if pending and candidates[pending[0]][0] != a_index:
            for p in pending:
                update(candidates[p][1], (best[p], p))
            pending = []
        previous_score, previous = query(b_index)
        best.append(previous_score + score)
        back.append(previous)
        pending.append(k)
    if not best:
        return []
    k = max(range(len(best)), key=lambda i: best[i])
    chain: list[tuple[_Boundary, _Boundary]] = []
    while k >= 0:
        a_index, b_index, _ = candidates[k]
        chain.append((src[a_index], tgt[b_index]))
        k = back[k]
    return chain[::-1]


def _stretch_ok(
    src_chars: int, tgt_chars: int, src_sentences: int, tgt_sentences: int, ratio: float
) -> bool:
    if src_sentences == 0 or tgt_sentences == 0:
        return False
    if min(src_chars, tgt_chars / ratio) < MIN_STRETCH_CHARS:
        return True
    stretch = (tgt_chars / ratio) / max(src_chars, 1)
    return 1 / MAX_STRETCH_RATIO <= stretch <= MAX_STRETCH_RATIO


def match_structure(src: Structure, tgt: Structure) -> tuple[tuple[int, int], ...]:
    """Cut points ``(i, j)``, increasing on both sides, where both texts' structures agree.

    Neither ``(0, 0)`` nor the ends are included; an empty tuple means no usable structure.
    """
    src_total, tgt_total = sum(src.lengths), sum(tgt.lengths)
    if not src_total or not tgt_total:
        return ()
    ratio = tgt_total / src_total
    equal_chapters = len(src.chapters) == len(tgt.chapters) > 1
    chapter_tolerance = EQUAL_COUNT_TOLERANCE if equal_chapters else POSITION_TOLERANCE
    chain = _chain(_boundaries(src), _boundaries(tgt), ratio, chapter_tolerance)
    src_before = [0]
    for n in src.lengths:
        src_before.append(src_before[-1] + n)
    tgt_before = [0]
    for n in tgt.lengths:
        tgt_before.append(tgt_before[-1] + n)
    cuts: list[tuple[int, int]] = []
    last = (0, 0)
    for a, b in chain:
        i, j = a.sentence, b.sentence
        if _stretch_ok(
            src_before[i] - src_before[last[0]],
            tgt_before[j] - tgt_before[last[1]],
            i - last[0],
            j - last[1],
            ratio,
        ):
            cuts.append((i, j))
            last = (i, j)
    # The last stretch must hold up too; drop cuts from the end until it does.
    n_src, n_tgt = len(src.lengths), len(tgt.lengths)
    while cuts:
        i, j = cuts[-1]
        if _stretch_ok(
            src_total - src_before[i], tgt_total - tgt_before[j], n_src - i, n_tgt - j, ratio
        ):
            break
        cuts.pop()
    return tuple(cuts)


def segments(
    cuts: Sequence[tuple[int, int]], n_src: int, n_tgt: int
) -> list[tuple[int, int, int, int]]:
    """The stretches between cuts: ``(src_start, src_end, tgt_start, tgt_end)``, covering both.

    >>> segments([(3, 4)], 10, 12)
    [(0, 3, 0, 4), (3, 10, 4, 12)]
    """
    points = [(0, 0), *cuts, (n_src, n_tgt)]
    for (i0, j0), (i1, j1) in itertools.pairwise(points):
        if i1 < i0 or j1 < j0:
            raise ValueError("cut points must increase on both sides")
    return [(i0, i1, j0, j1) for (i0, j0), (i1, j1) in itertools.pairwise(points)]
