"""Pinned beads: a user's corrections kept exactly, and the text between them realigned.

A pin pairing sentences on both sides cuts both texts: the search runs in the gaps between such
pins, each gap a small alignment of its own, so one fix also repairs its neighbourhood. A pin
with one empty side ("this sentence has no translation") takes its sentence out of its gap
before the gap is aligned, and is put back as a bead of its own after it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from aligner.readers.pins import PIN_CONFIDENCE, check_pins
from aligner.types import Bead

__all__ = ["align_around_pins", "check_pins"]


#: Aligns the sentences with the given ids (a gap between pins) and returns beads over
#: positions in those id lists.
GapAligner = Callable[[Sequence[int], Sequence[int]], Sequence[Bead]]


def align_around_pins(
    pins: Sequence[Bead], n_src: int, n_tgt: int, align_gap: GapAligner
) -> list[Bead]:
    """Every sentence in one bead, in order: the pins as given, the gaps by ``align_gap``.

    The pins must pass :func:`check_pins`.
    """
    lone_src = frozenset(i for p in pins if not p.tgt for i in p.src)
    lone_tgt = frozenset(j for p in pins if not p.src for j in p.tgt)
    cuts = sorted((p for p in pins if p.src and p.tgt), key=lambda p: p.src[0])
    beads: list[Bead] = []
    i = j = 0
    for pin in [*cuts, None]:
        i_end, j_end = (n_src, n_tgt) if pin is None else (pin.src[0], pin.tgt[0])
        src_ids = [k for k in range(i, i_end) if k not in lone_src]
        tgt_ids = [k for k in range(j, j_end) if k not in lone_tgt]
        gap = [_lift(b, src_ids, tgt_ids) for b in align_gap(src_ids, tgt_ids)]
        lone = [Bead((k,), (), PIN_CONFIDENCE) for k in range(i, i_end) if k in lone_src]
        lone += [Bead((), (k,), PIN_CONFIDENCE) for k in range(j, j_end) if k in lone_tgt]
        beads += _interleave(gap, lone)
        if pin is not None:
            beads.append(Bead(pin.src, pin.tgt, PIN_CONFIDENCE))
            i, j = pin.src[-1] + 1, pin.tgt[-1] + 1
    return beads


def _lift(bead: Bead, src_ids: Sequence[int], tgt_ids: Sequence[int]) -> list[Bead]:
    """A gap's bead in the texts' numbering; split where a lone pinned sentence fell inside."""
    src = tuple(src_ids[k] for k in bead.src)
    tgt = tuple(tgt_ids[k] for k in bead.tgt)
    if _consecutive(src) and _consecutive(tgt):
        return [Bead(src, tgt, bead.confidence)]
    # A lone pin sat between two sentences this bead joins: keep the first run of each side
    # together and let the rest stand alone, so no bead jumps over the pinned sentence.
    head_src, head_tgt = _first_run(src), _first_run(tgt)
    out = [Bead(head_src, head_tgt, bead.confidence)]
    out += [Bead((k,), (), bead.confidence) for k in src[len(head_src) :]]
    out += [Bead((), (k,), bead.confidence) for k in tgt[len(head_tgt) :]]
    return out


def _consecutive(ids: tuple[int, ...]) -> bool:
    return all(b == a + 1 for a, b in itertools.pairwise(ids))


def _first_run(ids: tuple[int, ...]) -> tuple[int, ...]:
    end = 1
    while end < len(ids) and ids[end] == ids[end - 1] + 1:
        end += 1
    return ids[:end]


def _interleave(gap: list[list[Bead]], lone: list[Bead]) -> list[Bead]:
    """The gap's beads with the lone pinned beads put where their sentence falls."""
    beads = [b for group in gap for b in group]
    for pin in sorted(lone, key=lambda b: b.src[0] if b.src else b.tgt[0]):
        side = "src" if pin.src else "tgt"
        index = getattr(pin, side)[0]
        # After the last bead holding a sentence of that side before the pinned one.
        ends = [getattr(b, side)[-1] if getattr(b, side) else -1 for b in beads]
        last_before = max((k for k, e in enumerate(ends) if -1 < e < index), default=-1)
        beads.insert(last_before + 1, pin)
    return beads
