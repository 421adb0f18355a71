"""Pinned beads and structure cuts: constraints on the one search over the whole text.

A pin pairing sentences on both sides is a forced bead: the path runs through its two corners
and takes the rectangle between them as one bead, whatever its shape. A cut ``(i, j)`` (chapters
or headings both texts have: :mod:`aligner.features.structure`) is a point the path must cross:
source sentences before ``i`` go with target sentences before ``j``, and no bead straddles it. A
cut that would split or cross a pin gives way to it. Between consecutive such points the path is
searched stretch by stretch, each stretch in the texts' own numbering under the one model of the
whole text (the same features, lexicon, length model and cost function): the best path through
points every path must cross is the best path of each stretch between them, so the stretches
together are the best path under the constraints. A pin with one side empty ("this sentence
has no translation") makes its sentence a bead of its own: any other bead that would cover the
sentence is forbidden inside its stretch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from aligner.arrays import FloatArray, IntArray
from aligner.readers.pins import PIN_CONFIDENCE, check_pins
from aligner.scoring.cost import MatchCache, Model, factory
from aligner.search import Band, CostFunction, Step, search
from aligner.types import Bead, Progress, Shape

__all__ = ["PIN_CONFIDENCE", "Constraints", "check_pins", "constrained_search"]

#: A rectangle of the texts ``(i0, i1, j0, j1)``: source ``[i0, i1)`` with target ``[j0, j1)``.
Rect = tuple[int, int, int, int]


def _cuts_that_fit(
    cuts: Sequence[tuple[int, int]], full: Sequence[Bead], n_src: int, n_tgt: int
) -> list[tuple[int, int]]:
    """The cuts inside the texts, increasing, that fall wholly before or after every pin."""
    kept: list[tuple[int, int]] = []
    for i, j in sorted(cuts):
        inside = 0 < i < n_src and 0 < j < n_tgt
        after_last = not kept or (i > kept[-1][0] and j > kept[-1][1])
        clear = all(
            (p.src[-1] < i and p.tgt[-1] < j) or (p.src[0] >= i and p.tgt[0] >= j) for p in full
        )
        if inside and after_last and clear:
            kept.append((i, j))
    return kept


def _lone_rect(pin: Bead) -> Rect:
    """A one-sided pin's sentences as a rectangle of no width on the empty side."""
    if pin.src:
        return (pin.src[0], pin.src[-1] + 1, 0, 0)
    return (0, 0, pin.tgt[0], pin.tgt[-1] + 1)


def _joined(steps: Sequence[Step], lone: Sequence[Rect]) -> list[Step]:
    """The path with each one-sided pin of several sentences made one step again.

    The search gives such a pin as 1-0 (or 0-1) steps, possibly with steps of the other side
    between them (at the same place of the path, so they commute): each pin's step goes where
    its first sentence was, the steps between after it, and the path is laid out again (a 1-0
    or 0-1 bead's cost does not depend on where the other text stands).
    """
    owner: dict[tuple[str, int], int] = {}
    for k, (i0, i1, j0, j1) in enumerate(lone):
        if i1 - i0 > 1 or j1 - j0 > 1:
            owner.update({("src", i): k for i in range(i0, i1)})
            owner.update({("tgt", j): k for j in range(j0, j1)})
    if not owner:
        return list(steps)
    order: list[Step | int] = []
    parts: dict[int, list[Step]] = {}
    for s in steps:
        key = ("src", s.i0) if s.j0 == s.j1 else ("tgt", s.j0) if s.i0 == s.i1 else None
        pin = owner.get(key) if key is not None else None
        if pin is None:
            order.append(s)
            continue
        if pin not in parts:
            parts[pin] = []
            order.append(pin)
        parts[pin].append(s)
    out: list[Step] = []
    i = j = 0
    for item in order:
        if isinstance(item, int):
            a = sum(s.i1 - s.i0 for s in parts[item])
            b = sum(s.j1 - s.j0 for s in parts[item])
            cost = sum(s.cost for s in parts[item])
        else:
            a, b, cost = item.i1 - item.i0, item.j1 - item.j0, item.cost
        out.append(Step(i, i + a, j, j + b, cost))
        i, j = i + a, j + b
    return out


def _marks(ids: frozenset[int], n: int) -> IntArray:
    """Prefix counts of the marked sentences: ``out[k]`` marked sentences before ``k``."""
    marked = np.zeros(n, np.int64)
    marked[sorted(ids)] = 1
    out = np.zeros(n + 1, np.int64)
    np.cumsum(marked, out=out[1:])
    return out


@dataclass(frozen=True)
class Constraints:
    """Pins and cuts laid out along the path.

    ``pieces`` are rectangles in path order that tile the path's course from ``(0, 0)`` to
    ``(n_src, n_tgt)``; ``forced[k]`` says whether piece ``k`` is a pin (one bead, kept) or a
    stretch to search. ``lone``: the pins with one side empty, inside the stretches.
    """

    n_src: int
    n_tgt: int
    pieces: tuple[Rect, ...]
    forced: tuple[bool, ...]
    lone: tuple[Rect, ...]

    @property
    def lone_src(self) -> frozenset[int]:
        """Source sentences pinned with no target."""
        return frozenset(i for i0, i1, _, _ in self.lone for i in range(i0, i1))

    @property
    def lone_tgt(self) -> frozenset[int]:
        """Target sentences pinned with no source."""
        return frozenset(j for _, _, j0, j1 in self.lone for j in range(j0, j1))

    @classmethod
    def of(
        cls, pins: Sequence[Bead], cuts: Sequence[tuple[int, int]], n_src: int, n_tgt: int
    ) -> Constraints:
        """The constraints of ``pins`` (UsageError unless they pass :func:`check_pins`) and of
        the ``cuts`` that fit them (the others give way)."""
        check_pins(pins, n_src, n_tgt)
        full = sorted((p for p in pins if p.src and p.tgt), key=lambda p: p.src[0])
        # Corners in path order: a pin spans from its first corner to its second, a cut is
        # a corner of its own.
        marks: list[tuple[int, int, Rect | None]] = [
            (p.src[0], p.tgt[0], (p.src[0], p.src[-1] + 1, p.tgt[0], p.tgt[-1] + 1)) for p in full
        ]
        marks += [(i, j, None) for i, j in _cuts_that_fit(cuts, full, n_src, n_tgt)]
        marks.sort(key=lambda m: (m[0], m[1], m[2] is not None))
        pieces: list[Rect] = []
        forced: list[bool] = []
        i = j = 0
        for i_end, j_end, pin in [*marks, (n_src, n_tgt, None)]:
            if (i_end, j_end) != (i, j):
                pieces.append((i, i_end, j, j_end))
                forced.append(False)
            i, j = i_end, j_end
            if pin is not None:
                pieces.append(pin)
                forced.append(True)
                i, j = pin[1], pin[3]
        return cls(
            n_src,
            n_tgt,
            tuple(pieces),
            tuple(forced),
            tuple(_lone_rect(p) for p in pins if not (p.src and p.tgt)),
        )

    def pinned(self, step: Step) -> bool:
        """True when ``step`` is a pin: a forced piece, or a sentence pinned alone."""
        if step.j0 == step.j1:
            return ("src", step.i0, step.i1) in self._lone_keys
        if step.i0 == step.i1:
            return ("tgt", step.j0, step.j1) in self._lone_keys
        rect = (step.i0, step.i1, step.j0, step.j1)
        return any(f and p == rect for p, f in zip(self.pieces, self.forced, strict=True))

    @cached_property
    def _lone_keys(self) -> frozenset[tuple[str, int, int]]:
        # A one-sided bead sits at any column (or row): only its own side's span names it.
        return frozenset(
            ("src", i0, i1) if i1 > i0 else ("tgt", j0, j1) for i0, i1, j0, j1 in self.lone
        )

    def band(self, band: Band | None) -> Band:
        """``band`` (None: the whole matrix) cut to the pieces: each stretch keeps the cells of
        ``band`` inside its rectangle (and always its corners), each pin its whole rectangle."""
        base = band if band is not None else Band.full(self.n_src, self.n_tgt)
        window = _Window(np.full(self.n_src + 1, self.n_tgt, np.int64), np.zeros_like(base.lo))
        for rect, forced in zip(self.pieces, self.forced, strict=True):
            i0, i1, j0, j1 = rect
            if forced:
                lo = np.full(i1 - i0 + 1, 0, np.int64)
                hi = np.full(i1 - i0 + 1, j1 - j0, np.int64)
                window.add(rect, Band(lo, hi))
            else:
                window.add(rect, _local(base.lo, base.hi, rect))
        return window.band()


def _local(lo: IntArray, hi: IntArray, rect: Rect) -> Band:
    """The rows of a global band's edges inside ``rect``, in the rectangle's own numbering."""
    i0, i1, j0, j1 = rect
    width = j1 - j0
    llo = np.clip(lo[i0 : i1 + 1] - j0, 0, width)
    lhi = np.clip(hi[i0 : i1 + 1] - j0, 0, width)
    llo[0] = 0
    lhi[-1] = width
    return Band(llo, np.maximum(lhi, llo)).connected()


class _Window:
    """The cells one constrained pass may read, as global band edges grown piece by piece.

    Consecutive pieces share a corner row; each row keeps the union of what its pieces give
    it, so the edges stay non-decreasing (a piece's cells lie between its corners).
    """

    def __init__(self, lo: IntArray, hi: IntArray) -> None:
        self.lo = lo
        self.hi = hi

    def add(self, rect: Rect, local: Band) -> None:
        """Take in the cells of ``local``, a band over ``rect`` in its own numbering."""
        i0, i1, j0, _ = rect
        rows = slice(i0, i1 + 1)
        np.minimum(self.lo[rows], local.lo + j0, out=self.lo[rows])
        np.maximum(self.hi[rows], local.hi + j0, out=self.hi[rows])

    def band(self) -> Band:
        return Band(self.lo.copy(), self.hi.copy())

    def local(self, rect: Rect) -> Band:
        return _local(self.lo, self.hi, rect)


def _lone_mask(
    fn: CostFunction, src_marks: IntArray, tgt_marks: IntArray, shift: tuple[int, int]
) -> CostFunction:
    """``fn`` in a stretch's numbering (``shift`` is its first corner), with every bead that
    covers a sentence pinned alone forbidden, but that sentence's own 1-0 or 0-1 bead."""
    i0, j0 = shift
    any_lone = bool(src_marks[-1] or tgt_marks[-1])

    def cost(shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
        gi, gj = i + i0, j + j0
        out = fn(shape, gi, gj)
        if not any_lone:
            return out
        a, b = shape
        bad = np.zeros(gi.shape, np.bool_)
        if a and shape != (1, 0):
            bad |= src_marks[gi] > src_marks[gi - a]
        if b and shape != (0, 1):
            bad |= tgt_marks[gj] > tgt_marks[gj - b]
        return np.where(bad, np.inf, out)

    return cost


def _reach(model: Model) -> tuple[int, int]:
    """The widest bead's sides under the model's config: the widest its cost function prices."""
    shapes = model.config.shapes
    return max(a for a, _ in shapes), max(b for _, b in shapes)


def within_reach(model: Model, step: Step) -> bool:
    """True when ``model``'s cost function (and so the confidence model) can price ``step``."""
    max_a, max_b = _reach(model)
    return step.i1 - step.i0 <= max_a and step.j1 - step.j0 <= max_b


def constrained_search(
    model: Model,
    band: Band | None,
    constraints: Constraints,
    progress: Progress | None = None,
    cache: MatchCache | None = None,
) -> tuple[Step, ...]:
    """The best path under ``model`` through every piece of ``constraints``, in ``band``.

    Each stretch is searched in the cells of ``band`` inside it (widened as
    :func:`~aligner.search.search` widens, within the stretch); the matches behind the costs
    are computed once for all stretches together (again only when a widening leaves them). A
    pin's step costs what the model says of it, or 0 beyond the model's widest bead.
    """
    texts = model.texts
    n_src, n_tgt = texts.src.n, texts.tgt.n
    cache = cache if cache is not None else MatchCache(model)
    make = factory(model, cache)
    start = constraints.band(band)
    window = _Window(start.lo.copy(), start.hi.copy())
    src_marks = _marks(constraints.lone_src, n_src)
    tgt_marks = _marks(constraints.lone_tgt, n_tgt)
    steps: list[Step] = []
    pins: list[int] = []
    for rect, forced in zip(constraints.pieces, constraints.forced, strict=True):
        i0, i1, j0, j1 = rect
        if forced:
            pins.append(len(steps))
            steps.append(Step(i0, i1, j0, j1, 0.0))
            continue

        def stretch_cost(local: Band, rect: Rect = rect) -> CostFunction:
            window.add(rect, local)
            return _lone_mask(make(window.band()), src_marks, tgt_marks, (rect[0], rect[2]))

        def moved(done: int, _total: int, i0: int = i0) -> None:
            if progress is not None:
                progress(i0 + done, n_src + 1)

        found = search(
            i1 - i0,
            j1 - j0,
            model.config.shapes,
            stretch_cost,
            band=window.local(rect),
            progress=moved,
        )
        steps += [Step(s.i0 + i0, s.i1 + i0, s.j0 + j0, s.j1 + j0, s.cost) for s in found]
    priced = [k for k in pins if within_reach(model, steps[k])]
    if priced:
        fn = make(window.band())
        for k in priced:
            s = steps[k]
            cost = fn(s.shape, np.array([s.i1], np.int64), np.array([s.j1], np.int64))
            steps[k] = Step(s.i0, s.i1, s.j0, s.j1, float(cost[0]))
    return tuple(_joined(steps, constraints.lone))
