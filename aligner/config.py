"""The engine's settings: one frozen value, checked once, passed down every stage."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from aligner.errors import UsageError
from aligner.types import Shape

__all__ = ["AlignConfig"]


@dataclass(frozen=True)
class AlignConfig:
    """Settings of :func:`~aligner.pipeline.align`; the defaults are what the benchmarks report.

    Each default was measured on the dev sets (strict F1, Text+Berg / TransRead; the table of
    what moved them is in ``benchmarks/RESULTS.md``); none is tuned to one document.
    """

    #: Widest side of a bead: 4 gives 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-4, 4-1, 2-3, 3-2;
    #: 5 adds 1-5, 5-1, 2-4, 4-2, 3-3 (a bead has at most ``max(4, max_bead + 1)`` sentences).
    #: The gold sets have such beads. Strict F1 Text+Berg / TransRead: 4 beat 3 (0.877 / 0.926
    #: against 0.860 / 0.912, an earlier engine). On this one, with the first pass kept to 4
    #: (:data:`aligner.pipeline.FIRST_PASS_MAX_BEAD`), 5 gives 0.916 / 0.940 against 0.904 /
    #: 0.937 for 4; 6 (and 5 with 7 sentences a bead) gave the same as 5: the first pass counts
    #: none of the widest shapes, so their priors stay too small for them to win.
    max_bead: int = 5
    #: Realignments with a lexicon learned from the previous pass (0: none); a second round
    #: measured 0.874 / 0.927 against 0.876 / 0.931 for one.
    lexicon_rounds: int = 1
    #: The user's (source word, target word) pairs, added to the shipped dictionary.
    dictionary: tuple[tuple[str, str], ...] = ()
    #: Also use the bilingual dictionary shipped for the language pair, if any
    #: (:mod:`aligner.features.dictionary`); words meet its entries by form or by lemma. On the
    #: dev sets: Text+Berg 0.878 -> 0.898, TransRead 0.931 -> 0.936 strict F1.
    builtin_dictionary: bool = True
    #: Weight of the Gale–Church length cost; 0.7 and 1.5 were each within ±0.01, none better
    #: on both sets; at max_bead 5, 0.85 and 1.15 gave 0.912 / 0.937 and 0.909 / 0.938 (both
    #: passes at 5) against 0.912 / 0.9395; 0.85 0.917 / 0.937 (pass 1 at 4) against 0.916 / 0.940.
    length_weight: float = 1.0
    #: Weight of the lexical bonus against the length cost: 45 (from 12) moved the dev sets from
    #: 0.716 / 0.827 to 0.811 / 0.885; 35 and 60 did no better on both. At max_bead 5 (pass 1 at
    #: 4), 50 gave 0.917 / 0.938 against 0.916 / 0.940.
    lexical_weight: float = 45.0
    #: Cost of a bead that crosses a paragraph boundary on one side only, in the units of the
    #: length cost (about a 2-sigma length mismatch): paragraphs are evidence, not walls.
    paragraph_penalty: float = 3.0
    #: Weight of the dialogue-turn cost (:mod:`aligner.features.turns`) in pass 2, a log-odds
    #: learned from pass 1's beads. Strict F1 (benchmarks/accuracy.py) Text+Berg shipped / none,
    #: TransRead shipped / none: 0 gave 0.927 / 0.916, 0.941 / 0.933 (Text+Berg pieces alone
    #: 0.920 / 0.948 / 0.905 / 0.896); 0.5 gave 0.927 / 0.916, 0.945 / 0.934; 0.75 gave
    #: 0.927 / 0.916, 0.947 / 0.935, the last piece 0.910 (0.919 with the corpus lexicon, from
    #: 0.905), the others unchanged; 1.0 gave 0.931 / 0.912, 0.948 / 0.937. Bible 1.000 at all.
    turn_weight: float = 0.75
    #: Up to this many sentence pairs the whole matrix is searched (100,000 cells cost well
    #: under a second); beyond it, a band around a guide through the anchors.
    full_search_cells: int = 100_000
    #: Sentences searched on either side of the guide path in the first pass of a large input.
    band_width: int = 20
    #: Sentences searched on either side of the first pass's path in the second pass: the first
    #: path is already close, so a narrow band keeps pass 2 cheap on books. It must leave room
    #: for the widest bead and the search's edge slack (``search.edge_contacts``): with
    #: max_bead 5 a band of 8 made a diagonal path press on its edge everywhere, and the Bible
    #: fr-en (23,145 verses) was searched twice in pass 2 (8.1 s CPU against 6.8 s with 10).
    realign_band_width: int = 10
    #: Beads with two or more sentences on both sides (2-2, 2-3, 3-2, …); None decides from the
    #: first pass: left out when the texts' units are numbered in parallel (see
    #: :data:`aligner.pipeline.PARALLEL_UNITS_SHARE`).
    many_to_many: bool | None = None
    #: Decide each boundary next to a bead that is not 1-1 again after pass 2, with exclusive
    #: word links (:mod:`aligner.scoring.refine`): a sentence with no counterpart that repeats
    #: its neighbour's words no longer rides in a merged bead, and a merged bead whose links
    #: fall apart into two blocks is split.
    refine: bool = True
    #: Count the refinement's coverage from exclusive links (competitive linking, each word in
    #: one link); False counts each word's best match in the bead, as the search does (kept to
    #: measure what exclusivity alone moves).
    exclusive_links: bool = True

    def signature(self) -> str:
        """The settings that change the beads, as ``name:value`` items joined by ``|`` (the idea
        of sacrebleu's signatures): the bead width, the dictionaries and the many-to-many
        choice always, every other setting when it differs from its default.

        >>> AlignConfig().signature()
        'max_bead:5|dictionary:shipped|many_to_many:auto'
        >>> AlignConfig(builtin_dictionary=False, lexical_weight=30.0).signature()
        'max_bead:5|dictionary:none|many_to_many:auto|lexical_weight:30.0'
        """
        shipped = "shipped" if self.builtin_dictionary else "none"
        users = f"+{len(self.dictionary)}pairs" if self.dictionary else ""
        auto = {None: "auto", True: "yes", False: "no"}[self.many_to_many]
        items = [
            f"max_bead:{self.max_bead}",
            f"dictionary:{shipped}{users}",
            f"many_to_many:{auto}",
        ]
        shown = {"max_bead", "builtin_dictionary", "dictionary", "many_to_many"}
        default = AlignConfig()
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name not in shown and value != getattr(default, f.name):
                items.append(f"{f.name}:{value}")
        return "|".join(items)

    def __post_init__(self) -> None:
        if not 1 <= self.max_bead <= 8:
            raise UsageError(f"max_bead must be between 1 and 8, got {self.max_bead}")
        if not 0 <= self.lexicon_rounds <= 5:
            raise UsageError(f"lexicon_rounds must be between 0 and 5, got {self.lexicon_rounds}")
        for name in ("length_weight", "lexical_weight", "paragraph_penalty", "turn_weight"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise UsageError(f"{name} must be a finite number >= 0, got {value!r}")
        if self.builtin_dictionary not in (True, False):
            raise UsageError(
                f"builtin_dictionary must be True or False, got {self.builtin_dictionary!r}"
            )
        if self.many_to_many not in (None, True, False):
            raise UsageError(f"many_to_many must be True, False or None, got {self.many_to_many!r}")
        for name in ("full_search_cells", "band_width", "realign_band_width"):
            if getattr(self, name) < 1:
                raise UsageError(f"{name} must be >= 1, got {getattr(self, name)}")
        for pair in self.dictionary:
            if not (
                isinstance(pair, tuple)
                and len(pair) == 2
                and all(isinstance(w, str) and w.strip() for w in pair)
            ):
                raise UsageError(f"dictionary entries must be (word, word) pairs, got {pair!r}")

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
