"""Pinned beads and structure cuts: constraints on the one search over the whole text.

A pin pairing sentences on both sides is a forced bead: the path runs through its two corners
and takes the rectangle between them as one bead, whatever its shape. A cut ``(i, j)`` (chapters
or headings both texts have: :mod:`aligner.features.structure`) is a point the path must cross:
source sentences before ``i`` go with target sentences before ``j``, and no bead straddles it. A
cut that would split or cross a pin gives way to it. A pin with one side empty ("this sentence
has no translation") makes its sentences a bead of their own.

All of it is one search under the one model of the whole text (its features, lexicon, length
model and cost function), with the cost of every bead that breaks a constraint made infinite: a
bead that starts before a corner (a cut, or a pin's corner) on either side and ends after it on
either side, a bead other than its own 1-0 or 0-1 that covers a sentence pinned alone. Inside a
pin's rectangle every bead costs nothing (the path must cross it, whatever way); the steps the
search takes there are then joined into the pin, and priced as the model prices it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from aligner.arrays import FloatArray, IntArray
from aligner.band import Band
from aligner.readers.pins import PIN_CONFIDENCE, check_pins
from aligner.scoring.cost import MatchCache, Model, factory, path_band
from aligner.search import CostFunction, Step, search
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


def _rect(pin: Bead) -> Rect:
    """A pin's rectangle: a two-sided one as it is, a one-sided one as :func:`_lone_rect`."""
    if pin.src and pin.tgt:
        return (pin.src[0], pin.src[-1] + 1, pin.tgt[0], pin.tgt[-1] + 1)
    return _lone_rect(pin)


def _lone_key_rect(step: Step) -> Rect:
    """A one-sided step's rectangle as :func:`_lone_rect` writes it (the empty side at 0)."""
    return (step.i0, step.i1, 0, 0) if step.j0 == step.j1 else (0, 0, step.j0, step.j1)


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
    """Pins and cuts, as rectangles of the texts (``(i0, i1, j0, j1)``: source ``[i0, i1)``
    with target ``[j0, j1)``).

    ``corners``: the points the path must cross, in path order (the cuts that fit and both
    corners of every two-sided pin); ``pins``: the two-sided pins in order; ``lone``: the pins
    with one side empty (an empty side as ``(0, 0)``); ``verified``: the pins, of either kind,
    that a person marked verified (the marks go through to the realigned beads).
    """

    n_src: int
    n_tgt: int
    corners: tuple[tuple[int, int], ...]
    pins: tuple[Rect, ...]
    lone: tuple[Rect, ...]
    verified: frozenset[Rect] = frozenset()

    @classmethod
    def of(
        cls, pins: Sequence[Bead], cuts: Sequence[tuple[int, int]], n_src: int, n_tgt: int
    ) -> Constraints:
        """The constraints of ``pins`` (UsageError unless they pass :func:`check_pins`) and of
        the ``cuts`` that fit them (the others give way)."""
        check_pins(pins, n_src, n_tgt)
        full = sorted((p for p in pins if p.src and p.tgt), key=lambda p: p.src[0])
        rects = tuple((p.src[0], p.src[-1] + 1, p.tgt[0], p.tgt[-1] + 1) for p in full)
        corners = [(i0, j0) for i0, _, j0, _ in rects] + [(i1, j1) for _, i1, _, j1 in rects]
        corners += _cuts_that_fit(cuts, full, n_src, n_tgt)
        return cls(
            n_src,
            n_tgt,
            tuple(sorted(set(corners))),
            rects,
            tuple(_lone_rect(p) for p in pins if not (p.src and p.tgt)),
            frozenset(_rect(p) for p in pins if p.verified),
        )

    @property
    def lone_src(self) -> frozenset[int]:
        """Source sentences pinned with no target."""
        return frozenset(i for i0, i1, _, _ in self.lone for i in range(i0, i1))

    @property
    def lone_tgt(self) -> frozenset[int]:
        """Target sentences pinned with no source."""
        return frozenset(j for _, _, j0, j1 in self.lone for j in range(j0, j1))

    def is_verified(self, step: Step) -> bool:
        """True when ``step`` is a pin a person marked verified."""
        return (step.i0, step.i1, step.j0, step.j1) in self.verified or (
            self.pinned(step) and _lone_key_rect(step) in self.verified
        )

    def pinned(self, step: Step) -> bool:
        """True when ``step`` is a pin, two-sided or one-sided."""
        if step.j0 == step.j1:
            return ("src", step.i0, step.i1) in self._lone_keys
        if step.i0 == step.i1:
            return ("tgt", step.j0, step.j1) in self._lone_keys
        return (step.i0, step.i1, step.j0, step.j1) in self._pin_set

    @cached_property
    def _pin_set(self) -> frozenset[Rect]:
        return frozenset(self.pins)

    @cached_property
    def _lone_keys(self) -> frozenset[tuple[str, int, int]]:
        # A one-sided bead sits at any column (or row): only its own side's span names it.
        return frozenset(
            ("src", i0, i1) if i1 > i0 else ("tgt", j0, j1) for i0, i1, j0, j1 in self.lone
        )

    def holding(self, band: Band | None) -> Band | None:
        """``band`` grown to hold every corner (None, the whole matrix, holds them already).

        A connected band through every corner has a path that keeps every constraint (a
        staircase of 1-0 and 0-1 beads along its edges), so the search never has to fall back
        on forbidden beads.
        """
        if band is None or not self.corners:
            return band
        lo, hi = band.lo.copy(), band.hi.copy()
        for i, j in self.corners:
            lo[i] = min(lo[i], j)
            hi[i] = max(hi[i], j)
        lo = np.minimum.accumulate(lo[::-1])[::-1]
        hi = np.maximum.accumulate(hi)
        return Band(lo, hi).connected()

    def mask(self, fn: CostFunction) -> CostFunction:
        """``fn`` with every bead that breaks a constraint at +inf, and every bead inside a
        pin's rectangle at 0 (see the module's description)."""
        # Corners at or before / strictly before each row and each column, looked up per
        # bead instead of searched for.
        ci = np.array([c[0] for c in self.corners], np.int64)
        cj = np.array([c[1] for c in self.corners], np.int64)
        rows, cols = np.arange(self.n_src + 1), np.arange(self.n_tgt + 1)
        upto_i, before_i = ci.searchsorted(rows, "right"), ci.searchsorted(rows, "left")
        upto_j, before_j = cj.searchsorted(cols, "right"), cj.searchsorted(cols, "left")
        pins = np.array(self.pins, np.int64).reshape(-1, 4)
        src_marks = _marks(self.lone_src, self.n_src)
        tgt_marks = _marks(self.lone_tgt, self.n_tgt)

        def cost(shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
            a, b = shape
            out = np.array(fn(shape, i, j), np.float64)
            i0, j0 = i - a, j - b
            # Corners k the bead starts before (a suffix) and ends after (a prefix).
            bad = np.minimum(upto_i[i0], upto_j[j0]) < np.maximum(before_i[i], before_j[j])
            if a and shape != (1, 0):
                bad |= src_marks[i] > src_marks[i - a]
            if b and shape != (0, 1):
                bad |= tgt_marks[j] > tgt_marks[j - b]
            out[bad] = np.inf
            if pins.size:
                k = np.maximum(pins[:, 0].searchsorted(i0, "right") - 1, 0)
                rect = pins[k]
                inside = (i0 >= rect[:, 0]) & (i <= rect[:, 1])
                inside &= (j0 >= rect[:, 2]) & (j <= rect[:, 3])
                out[inside] = 0.0
            return out

        return cost

    def joined(self, steps: Sequence[Step]) -> list[Step]:
        """The path with the steps inside each pin joined into the pin (one step)."""
        starts = {(i0, j0): (i1, j1) for i0, i1, j0, j1 in self.pins}
        out: list[Step] = []
        end: tuple[int, int] | None = None
        for s in steps:
            if end is not None:
                last = out[-1]
                out[-1] = Step(last.i0, s.i1, last.j0, s.j1, last.cost + s.cost)
            else:
                out.append(s)
                end = starts.get((s.i0, s.j0))
            if end == (s.i1, s.j1):
                end = None
        return _joined(out, self.lone)


def _reach(model: Model) -> tuple[int, int]:
    """The widest bead's sides under the model's config: the widest its cost function prices."""
    shapes = model.config.shapes
    return max(a for a, _ in shapes), max(b for _, b in shapes)


def within_reach(model: Model, steps: Sequence[Step]) -> list[bool]:
    """Per step: whether ``model``'s cost function (and so the confidence model) can price it."""
    max_a, max_b = _reach(model)
    return [s.i1 - s.i0 <= max_a and s.j1 - s.j0 <= max_b for s in steps]


def constrained_search(
    model: Model,
    band: Band | None,
    constraints: Constraints,
    progress: Progress | None = None,
    cache: MatchCache | None = None,
) -> tuple[Step, ...]:
    """The best path under ``model`` in ``band`` (None: the whole matrix) that keeps every
    constraint: :func:`~aligner.search.search` with the constraints' costs, the pins joined
    after. A pin's step costs what the model says of it, or 0 beyond its widest bead.
    """
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    make = factory(model, cache)
    found = search(
        n_src,
        n_tgt,
        model.config.shapes,
        lambda b: constraints.mask(make(b)),
        band=constraints.holding(band),
        progress=progress,
    )
    steps = constraints.joined(found)
    reach = within_reach(model, steps)
    priced = [k for k, s in enumerate(steps) if reach[k] and constraints.pinned(s)]
    if priced:
        # The path's own cells: matches the cache holds already, or few to compute.
        fn = make(path_band(steps, n_src, n_tgt, 0))
        for k in priced:
            s = steps[k]
            cost = fn(s.shape, np.array([s.i1], np.int64), np.array([s.j1], np.int64))
            steps[k] = Step(s.i0, s.i1, s.j0, s.j1, float(cost[0]))
    return tuple(steps)
