"""Pinned beads: a user's corrections kept exactly, and the text between them realigned.

A pin pairing sentences on both sides cuts both texts: the search runs in the gaps between such
pins, each gap a small alignment of its own, so one fix also repairs its neighbourhood. A pin
with one empty side ("this sentence has no translation") takes its sentence out of its gap
before the gap is aligned, and is put back as a bead of its own after it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from aligner.errors import UsageError
from aligner.types import Bead

__all__ = ["PINNED_CONFIDENCE", "align_around_pins", "check_pins"]

#: Confidence of a pinned bead: the user has said it is right.
PINNED_CONFIDENCE = 1.0

#: Aligns the sentences with the given ids (a gap between pins) and returns beads over
#: positions in those id lists.
GapAligner = Callable[[Sequence[int], Sequence[int]], Sequence[Bead]]


def _name(k: int, names: Sequence[str] | None) -> str:
    return names[k] if names is not None else f"pin {k + 1}"


def _span(ids: tuple[int, ...]) -> str:
    return f"[{', '.join(map(str, ids))}]"


def check_pins(
    pins: Sequence[Bead], n_src: int, n_tgt: int, names: Sequence[str] | None = None
) -> None:
    """Refuse pins that point outside the texts, overlap, or cross each other.

    UsageError naming the first bad pin (``names[k]`` for pin ``k``, e.g. a file and line, or
    "pin k+1"). Pins may come in any order.
    """
    seen_src: dict[int, int] = {}
    seen_tgt: dict[int, int] = {}
    for k, pin in enumerate(pins):
        for ids, n, side, seen in (
            (pin.src, n_src, "source", seen_src),
            (pin.tgt, n_tgt, "target", seen_tgt),
        ):
            if ids and ids[-1] >= n:
                raise UsageError(
                    f"{_name(k, names)}: {side} sentences {_span(ids)} outside the text "
                    f"({n} sentences)"
                )
            for i in ids:
                if i in seen:
                    raise UsageError(
                        f"{_name(k, names)}: {side} sentence {i} is pinned twice "
                        f"(also by {_name(seen[i], names)})"
                    )
                seen[i] = k
    both = sorted((p.src[0], k) for k, p in enumerate(pins) if p.src and p.tgt)
    for (_, a), (_, b) in itertools.pairwise(both):
        if pins[b].tgt[0] < pins[a].tgt[-1]:
            raise UsageError(
                f"{_name(b, names)}: crosses {_name(a, names)} (source {_span(pins[b].src)} "
                f"comes after {_span(pins[a].src)}, target {_span(pins[b].tgt)} before "
                f"{_span(pins[a].tgt)})"
            )


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
        lone = [Bead((k,), (), PINNED_CONFIDENCE) for k in range(i, i_end) if k in lone_src]
        lone += [Bead((), (k,), PINNED_CONFIDENCE) for k in range(j, j_end) if k in lone_tgt]
        beads += _interleave(gap, lone)
        if pin is not None:
            beads.append(Bead(pin.src, pin.tgt, PINNED_CONFIDENCE))
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
