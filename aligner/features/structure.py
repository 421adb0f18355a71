"""Structure as evidence: chapters and headings both texts have, paired to cut the alignment.

A book's chapters and a manual's headings are boundaries its translation has too, at about the
same place. :func:`sentence_structure` maps a :class:`~aligner.readers.source.SourceText`'s chapters
and headings to the sentences of its segmented :class:`~aligner.types.Document`;
:func:`match_structure` pairs the boundaries of two texts and returns *cut points* ``(i, j)``:
source sentences ``[:i]`` go with target sentences ``[:j]``: the sentence search's path must
cross each of them (:mod:`aligner.pinned`), so a chapter cannot drift into the next.

Pairing is Gale and Church's idea one level up (Gale & Church 1993, "A program for aligning
sentences in bilingual corpora"): the stretches of text between consecutive paired boundaries
must have lengths in a translation's proportion. Two boundaries may pair when they are of the
same kind (chapter with chapter, heading with a heading of the same level) and their relative
positions (share of the text before them) differ by at most :data:`POSITION_TOLERANCE`
(:data:`EQUAL_COUNT_TOLERANCE` for chapters when both texts have as many). Of the chains of
pairs that keep the order on both sides, the one of highest score is taken: each pair gains
:data:`PAIR_GAIN`, each boundary passed over
costs :data:`SKIP_COST`, and each stretch costs ``delta ** 2 / 2``, ``delta`` being the
difference between its target length (scaled by the texts' overall ratio) and its source
length over the spread a translation allows (Gale and Church's variance per character, plus
:data:`RELATIVE_SPREAD` of the length for long stretches, whose ratio varies more than the sum
of their sentences would say). Positions alone would not do: in a manual with a heading every
1 % of the text, the drift of relative positions is as large as the gap between headings. A
missing cut costs little (the search is wider); a wrong one forces a wrong alignment, hence
the caution: a cut is never made where a stretch would be empty on one side, nor within
:data:`GAP_MARGIN_CHARS` of a boundary the chain passed over (where one text lacks a short
section, the lengths may not tell which one).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.readers.source import SourceText
from aligner.types import Document

__all__ = [
    "Structure",
    "match_structure",
    "segments",
    "sentence_structure",
]

#: Largest difference of relative position (share of the text before the boundary) between
#: two boundaries that may pair: a filter that bounds the work; the stretch lengths decide.
POSITION_TOLERANCE = 0.05
#: The same for chapters when both texts have the same number of them (count is evidence).
EQUAL_COUNT_TOLERANCE = 0.15
#: Gale and Church's variance of the target length per source character (1993: 6.8).
VARIANCE_PER_CHAR = 6.8
#: Spread of a long stretch's length ratio, as a share of its length (our choice: whole
#: chapters of a translation vary by about a tenth in relative length).
RELATIVE_SPREAD = 0.1
#: Score of a pair of boundaries: worth a stretch up to about 2.8 spreads off.
PAIR_GAIN = 4.0
#: Cost of each boundary that the chain passes over.
SKIP_COST = 1.0
#: Most boundaries passed over, on one side, between two pairs of a chain.
MAX_SKIP = 8
#: Pairs closer than this (characters, on either text) to a boundary passed over are not cuts.
GAP_MARGIN_CHARS = 1000

_CHAPTER = 0  # kind of a chapter boundary; a heading's kind is its level (1-6)


@dataclass(frozen=True)
class Structure:
    """A text's sentences' lengths and the sentences that open its chapters and headings."""

    lengths: tuple[int, ...]
    chapters: tuple[int, ...] = ()
    headings: tuple[tuple[int, int], ...] = ()  # (first sentence, level)

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
    before: int  # characters of the text before the boundary


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
    headings: list[tuple[int, int]] = []
    for h in source.headings:
        k = first_from(h.start)
        if k < n and starts[k] < h.end and (not headings or headings[-1][0] != k):
            headings.append((k, h.level))
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
    found = [
        _Boundary(i, _CHAPTER, before[i] / total, before[i]) for i in sorted(chapters) if i > 0
    ]
    found += [
        _Boundary(i, level, before[i] / total, before[i])
        for i, level in structure.headings
        if i > 0 and i not in chapters
    ]
    return sorted(found, key=lambda b: b.sentence)


def _stretch_cost(src_chars: int, tgt_chars: int, ratio: float) -> float:
    """``delta ** 2 / 2`` of a stretch (see the module's description)."""
    expected = src_chars * ratio
    variance = VARIANCE_PER_CHAR * max(src_chars, 1) + (RELATIVE_SPREAD * expected) ** 2
    delta = (tgt_chars - expected) / math.sqrt(variance)
    return delta * delta / 2


def _candidates(
    src: Sequence[_Boundary], tgt: Sequence[_Boundary], chapter_tolerance: float
) -> list[tuple[int, int]]:
    """Index pairs of boundaries that may pair, ordered by source then target index."""
    positions = [b.position for b in tgt]
    widest = max(POSITION_TOLERANCE, chapter_tolerance)
    out: list[tuple[int, int]] = []
    for a_index, a in enumerate(src):
        tolerance = chapter_tolerance if a.kind == _CHAPTER else POSITION_TOLERANCE
        low = bisect.bisect_left(positions, a.position - widest)
        high = bisect.bisect_right(positions, a.position + widest)
        for b_index in range(low, high):
            b = tgt[b_index]
            if b.kind == a.kind and abs(a.position - b.position) <= tolerance:
                out.append((a_index, b_index))
    return out


def _chain(
    src: Sequence[_Boundary],
    tgt: Sequence[_Boundary],
    totals: tuple[int, int],
    chapter_tolerance: float,
) -> list[tuple[_Boundary, _Boundary]]:
    """The order-keeping chain of pairs of highest score (see the module's description)."""
    ratio = totals[1] / totals[0]
    candidates = _candidates(src, tgt, chapter_tolerance)
    index = {pair: k for k, pair in enumerate(candidates)}
    best: list[float] = []
    back: list[int] = []
    for a_index, b_index in candidates:
        a, b = src[a_index], tgt[b_index]
        gain = PAIR_GAIN
        # From the start of both texts, passing over every boundary before this pair.
        score = gain - SKIP_COST * (a_index + b_index) - _stretch_cost(a.before, b.before, ratio)
        previous = -1
        for pa in range(max(0, a_index - 1 - MAX_SKIP), a_index):
            for pb in range(max(0, b_index - 1 - MAX_SKIP), b_index):
                k = index.get((pa, pb))
                if k is None:
                    continue
                skipped = (a_index - pa - 1) + (b_index - pb - 1)
                stretch = _stretch_cost(a.before - src[pa].before, b.before - tgt[pb].before, ratio)
                value = best[k] + gain - SKIP_COST * skipped - stretch
                if value > score:
                    score, previous = value, k
        best.append(score)
        back.append(previous)
    # Close each chain at the ends of both texts; the empty chain scores 0.
    top, last = 0.0, -1
    for k, (a_index, b_index) in enumerate(candidates):
        skipped = (len(src) - a_index - 1) + (len(tgt) - b_index - 1)
        stretch = _stretch_cost(
            totals[0] - src[a_index].before, totals[1] - tgt[b_index].before, ratio
        )
        value = best[k] - SKIP_COST * skipped - stretch
        if value > top:
            top, last = value, k
    pairs: list[tuple[int, int]] = []
    while last >= 0:
        pairs.append(candidates[last])
        last = back[last]
    chain = [(src[a], tgt[b]) for a, b in reversed(pairs)]
    return _firm(chain, (len(src), len(tgt)), [(a, b) for a, b in reversed(pairs)])


def _firm(
    chain: Sequence[tuple[_Boundary, _Boundary]],
    counts: tuple[int, int],
    indices: Sequence[tuple[int, int]],
) -> list[tuple[_Boundary, _Boundary]]:
    """The pairs of ``chain`` not within :data:`GAP_MARGIN_CHARS` of a boundary passed over.

    Where one text has a boundary the other lacks, the lengths may not tell on which side of
    a short section it was lost: the pairs close to the gap, on either text, are left out.
    """
    points = [(-1, -1), *indices, counts]
    spots = [(-1, -1), *((a.before, b.before) for a, b in chain), (-1, -1)]
    doubtful: list[tuple[int, int, int, int]] = []  # char ranges (source, target) near gaps
    for k, ((a0, b0), (a1, b1)) in enumerate(itertools.pairwise(points)):
        if a1 - a0 > 1 or b1 - b0 > 1:
            low, high = spots[k], spots[k + 1]
            doubtful.append(
                (
                    low[0] - GAP_MARGIN_CHARS if k else -1,
                    high[0] + GAP_MARGIN_CHARS if k < len(chain) else 1 << 62,
                    low[1] - GAP_MARGIN_CHARS if k else -1,
                    high[1] + GAP_MARGIN_CHARS if k < len(chain) else 1 << 62,
                )
            )
    return [
        (a, b)
        for a, b in chain
        if not any(s0 <= a.before <= s1 or t0 <= b.before <= t1 for s0, s1, t0, t1 in doubtful)
    ]


def match_structure(src: Structure, tgt: Structure) -> tuple[tuple[int, int], ...]:
    """Cut points ``(i, j)``, increasing on both sides, where both texts' structures agree.

    Neither ``(0, 0)`` nor the ends are included; an empty tuple means no usable structure.
    """
    totals = (sum(src.lengths), sum(tgt.lengths))
    if not all(totals):
        return ()
    equal_chapters = len(src.chapters) == len(tgt.chapters) > 1
    chapter_tolerance = EQUAL_COUNT_TOLERANCE if equal_chapters else POSITION_TOLERANCE
    chain = _chain(_boundaries(src), _boundaries(tgt), totals, chapter_tolerance)
    cuts: list[tuple[int, int]] = []
    for a, b in chain:
        last = cuts[-1] if cuts else (0, 0)
        # Never a stretch empty on one side (chains keep boundaries apart; sentences may not).
        if a.sentence > last[0] and b.sentence > last[1]:
            cuts.append((a.sentence, b.sentence))
    while cuts and not (cuts[-1][0] < len(src.lengths) and cuts[-1][1] < len(tgt.lengths)):
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
