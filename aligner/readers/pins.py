"""Pinned beads: corrections a person made (the editor page's JSONL export) read back and checked.

A pin file is JSON Lines, one bead per line with ``src_ids`` and ``tgt_ids`` (consecutive
sentence indices, either side may be empty, not both); every other field, blank lines and the
summary line (the object with the key ``aligner`` that ``-f jsonl`` writes first) are ignored,
so an export of the side-by-side page, a ``-f jsonl`` output and a hand-written file of two
beads are all pin files. A file where some beads carry a mark (``"edited": true``,
``"verified": true`` or ``"pinned": true``, as the page and ``-f jsonl`` write them) pins only
those: the corrections stay, the rest is aligned again; a file with no mark pins every bead.
The pins need not cover the texts nor come in order; they must not overlap or cross each
other, and must point inside the texts: anything else is refused with a
:class:`~aligner.errors.UsageError` naming the line of the bad pin.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from aligner.errors import UsageError
from aligner.types import Bead

__all__ = ["MARKS", "PIN_CONFIDENCE", "check_pins", "read_pins"]

#: Confidence given to a pinned bead: a person decided it, so the aligner does not doubt it.
PIN_CONFIDENCE = 1.0
# The key of the summary line that -f jsonl writes before the beads.
_SUMMARY_KEY = "aligner"
#: The fields that mark a bead as a person's correction (true only: absent means unmarked).
MARKS = ("edited", "verified", "pinned")


@dataclass(frozen=True)
class _Pin:
    """A bead as read, with the line (1-based) it came from, for error messages."""

    bead: Bead
    line: int
    marked: bool

    def __str__(self) -> str:
        return f"{list(self.bead.src)}:{list(self.bead.tgt)}"


def _ids(record: dict[str, Any], key: str, line: int) -> tuple[int, ...]:
    value = record.get(key)
    if value is None:
        hint = " (one translation per pin file)" if "translations" in record else ""
        raise UsageError(f"line {line}: a pin needs {key}{hint}")
    # bool is an int subclass in Python; true/false are not sentence indices.
    if not isinstance(value, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in value
    ):
        raise UsageError(f"line {line}: {key} must be a list of sentence indices")
    return tuple(value)


def _number(i: int) -> str:
    """An index as a message shows it: a number of many digits is shortened."""
    digits = str(i)
    return digits if len(digits) <= 20 else f"{digits[:10]}… ({len(digits)} digits)"


def _listed(ids: tuple[int, ...]) -> str:
    """Indices as a message shows them: the first few, shortened."""
    shown = ", ".join(_number(i) for i in ids[:6])
    return f"[{shown}{', …' if len(ids) > 6 else ''}]"


def _check_side(ids: tuple[int, ...], n: int, side: str, line: int) -> None:
    if any(b != a + 1 for a, b in pairwise(ids)):
        raise UsageError(f"line {line}: {side} sentences {_listed(ids)} are not consecutive")
    for i in ids:
        if not 0 <= i < n:
            raise UsageError(
                f"line {line}: {side} sentence {_number(i)} is outside the text "
                f"({n} sentences, numbered from 0)"
            )


def _parse_line(raw: str, line: int, n_src: int, n_tgt: int) -> _Pin | None:
    """The pin on one line, or None for a blank or summary line."""
    if not raw.strip():
        return None
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(f"line {line}: not a JSON object ({exc.msg})") from None
    except RecursionError:
        raise UsageError(f"line {line}: not a pin (JSON nested too deep)") from None
    except ValueError:  # a number of thousands of digits (Python's limit on int conversion)
        raise UsageError(f"line {line}: not a pin (a number too long)") from None
    if not isinstance(record, dict):
        raise UsageError(f"line {line}: not a JSON object")
    if _SUMMARY_KEY in record:
        return None
    src = _ids(record, "src_ids", line)
    tgt = _ids(record, "tgt_ids", line)
    if not src and not tgt:
        raise UsageError(f"line {line}: a pin needs at least one sentence")
    _check_side(src, n_src, "source", line)
    _check_side(tgt, n_tgt, "target", line)
    verified = record.get("verified") is True
    bead = Bead(src, tgt, PIN_CONFIDENCE, verified=verified)
    return _Pin(bead, line, any(record.get(k) is True for k in MARKS))


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
    for (_, a), (_, b) in pairwise(both):
        if pins[b].tgt[0] < pins[a].tgt[-1]:
            raise UsageError(
                f"{_name(b, names)}: crosses {_name(a, names)} (source {_span(pins[b].src)} "
                f"comes after {_span(pins[a].src)}, target {_span(pins[b].tgt)} before "
                f"{_span(pins[a].tgt)})"
            )


def _in_order(pins: Sequence[_Pin], full: Sequence[_Pin]) -> tuple[Bead, ...]:
    """All pins in the order of an alignment path.

    A pin with an empty side has a position in one text only: it goes before the first full
    pin that starts after it in that text, deletions before insertions within one gap.
    """
    src_starts = [p.bead.src[0] for p in full]
    tgt_starts = [p.bead.tgt[0] for p in full]
    keys: list[tuple[int, int, int, int]] = []
    for pin in pins:
        src, tgt = pin.bead.src, pin.bead.tgt
        if src and tgt:
            keys.append((bisect_left(src_starts, src[0]), 1, 0, 0))
        elif src:
            keys.append((bisect_left(src_starts, src[0]), 0, 0, src[0]))
        else:
            keys.append((bisect_left(tgt_starts, tgt[0]), 0, 1, tgt[0]))
    return tuple(pin.bead for _, pin in sorted(zip(keys, pins, strict=True), key=lambda x: x[0]))


def read_pins(text: str, n_src: int, n_tgt: int) -> tuple[Bead, ...]:
    """The pinned beads of a JSON Lines ``text`` for texts of ``n_src`` and ``n_tgt`` sentences.

    Returns the pins in alignment order, each with confidence :data:`PIN_CONFIDENCE` and
    verified where the file says so (empty when the file holds no pin); when some beads
    are marked (:data:`MARKS`), only those. Raises :class:`~aligner.errors.UsageError` naming
    the line of the first bad pin: unreadable, outside the texts, or overlapping or crossing
    another pin.

    >>> text = '{"src_ids": [2], "tgt_ids": [1, 2]}\\n{"src_ids": [0], "tgt_ids": [0]}'
    >>> [(b.src, b.tgt, b.confidence) for b in read_pins(text, 3, 3)]
    [((0,), (0,), 1.0), ((2,), (1, 2), 1.0)]
    """
    if n_src < 0 or n_tgt < 0:
        raise ValueError(f"negative sentence counts {n_src}, {n_tgt}")
    pins = [
        pin
        for line, raw in enumerate(text.split("\n"), 1)
        if (pin := _parse_line(raw, line, n_src, n_tgt)) is not None
    ]
    if any(p.marked for p in pins):
        pins = [p for p in pins if p.marked]
    check_pins([p.bead for p in pins], n_src, n_tgt, names=[f"line {p.line}" for p in pins])
    full = sorted((p for p in pins if p.bead.src and p.bead.tgt), key=lambda p: p.bead.src[0])
    return _in_order(pins, full)
