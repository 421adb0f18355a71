"""The engine's settings: one frozen value, checked once, passed down every stage."""

from __future__ import annotations

import math
from dataclasses import dataclass

from aligner.types import Shape

__all__ = ["AlignConfig"]


@dataclass(frozen=True)
class AlignConfig:
    """Settings of :func:`align`; the defaults are what the benchmarks report.

    ``max_bead``: widest side of a bead (4 gives 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-4,
    4-1, 2-3, 3-2; gold sets have such beads, and 4 beat 3 on both dev sets).
    ``lexicon_rounds``: realignments with a lexicon learned from the previous pass (0: none).
    ``dictionary``: extra (source word, target word) pairs, added to the learned lexicon.
    ``length_weight`` / ``lexical_weight``: weights of the two costs. ``paragraph_penalty``:
    cost of a bead crossing a paragraph boundary on one side only. ``full_search_cells``: up to
    this many sentence pairs the whole matrix is searched, beyond it a band of ``band_width``
    sentences either side of a guide path. ``many_to_many``: allow beads with two or more
    sentences on both sides (2-2, 2-3, 3-2, …); None decides from the first pass (see
    :func:`_parallel_units`).
    """

    max_bead: int = 4
    lexicon_rounds: int = 1
    dictionary: tuple[tuple[str, str], ...] = ()
    length_weight: float = 1.0
    lexical_weight: float = 45.0
    paragraph_penalty: float = 3.0
    full_search_cells: int = 100_000
    band_width: int = 20
    realign_band_width: int = 8
    many_to_many: bool | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.max_bead <= 8:
            raise ValueError(f"max_bead must be between 1 and 8, got {self.max_bead}")
        if not 0 <= self.lexicon_rounds <= 5:
            raise ValueError(f"lexicon_rounds must be between 0 and 5, got {self.lexicon_rounds}")
        for name in ("length_weight", "lexical_weight", "paragraph_penalty"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if self.many_to_many not in (None, True, False):
            raise ValueError(f"many_to_many must be True, False or None, got {self.many_to_many!r}")
        for name in ("full_search_cells", "band_width", "realign_band_width"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        for pair in self.dictionary:
            if not (
                isinstance(pair, tuple)
                and len(pair) == 2
                and all(isinstance(w, str) and w.strip() for w in pair)
            ):
                raise ValueError(f"dictionary entries must be (word, word) pairs, got {pair!r}")

    @property
    def shapes(self) -> tuple[Shape, ...]:
        """Bead shapes searched: 1-1 first (ties go to it), then wider, then 1-0 and 0-1."""
        m = self.max_bead
        limit = max(4, m + 1)
        many = [
            (a, b)
            for total in range(3, limit + 1)
            for a in range(total - 1, 0, -1)
            if (b := total - a) <= m
            and a <= m
            and (self.many_to_many is not False or a == 1 or b == 1)
        ]
        return ((1, 1), *many, (1, 0), (0, 1))
