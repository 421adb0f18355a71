"""Pinned beads and structure cuts: what is fixed in advance, and the text between realigned.

A pin pairing sentences on both sides cuts both texts: the search runs in the gaps between such
pins, each gap a small alignment of its own, so one fix also repairs its neighbourhood. A pin
with one empty side ("this sentence has no translation") takes its sentence out of its gap
before the gap is aligned, and is put back as a bead of its own after it. A cut ``(i, j)``
(chapters or headings both texts have: :mod:`aligner.features.structure`) is a pin of no
sentences: source sentences before ``i`` go with target sentences before ``j``. A cut that
would split or cross a pin gives way to it.
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


def align_around_pins(
    pins: Sequence[Bead],
    n_src: int,
    n_tgt: int,
    align_gap: GapAligner,
    cuts: Sequence[tuple[int, int]] = (),
) -> list[Bead]:
    """Every sentence in one bead, in order: the pins as given, the gaps by ``align_gap``.

    The pins must pass :func:`check_pins`; ``cuts`` that do not fit them are dropped.
    """
    lone_src = {i: p for p in pins if not p.tgt for i in p.src}
    lone_tgt = {j: p for p in pins if not p.src for j in p.tgt}
    full = sorted((p for p in pins if p.src and p.tgt), key=lambda p: p.src[0])
    # Boundaries in text order: each pin at its start, each cut as a pin of no sentences.
    bounds: list[tuple[int, int, Bead | None]] = [(p.src[0], p.tgt[0], p) for p in full]
    bounds += [(i, j, None) for i, j in _cuts_that_fit(cuts, full, n_src, n_tgt)]
    bounds.sort(key=lambda b: (b[0], b[1], b[2] is not None))
    beads: list[Bead] = []
    i = j = 0
    for i_end, j_end, pin in [*bounds, (n_src, n_tgt, None)]:
        src_ids = [k for k in range(i, i_end) if k not in lone_src]
        tgt_ids = [k for k in range(j, j_end) if k not in lone_tgt]
        gap = [_lift(b, src_ids, tgt_ids) for b in align_gap(src_ids, tgt_ids)]
        lone = [_kept(lone_src[k], (k,), ()) for k in range(i, i_end) if k in lone_src]
        lone += [_kept(lone_tgt[k], (), (k,)) for k in range(j, j_end) if k in lone_tgt]
        beads += _interleave(gap, lone)
        if pin is not None:
            beads.append(_kept(pin, pin.src, pin.tgt))
            i, j = pin.src[-1] + 1, pin.tgt[-1] + 1
        else:
            i, j = i_end, j_end
    return beads


def _kept(pin: Bead, src: tuple[int, ...], tgt: tuple[int, ...]) -> Bead:
    """A pin as the alignment keeps it: pinned, with its user's marks (``verified``)."""
    return Bead(src, tgt, PIN_CONFIDENCE, pinned=True, verified=pin.verified)


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
