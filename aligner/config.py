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

    Each default was measured on the dev sets; the figures behind each are in
    ``benchmarks/RESULTS.md`` ("The engine's settings, as measured"), none tuned to one document.
    """

    #: Widest side of a bead: 4 gives 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-4, 4-1, 2-3, 3-2;
    #: 5 adds 1-5, 5-1, 2-4, 4-2, 3-3 (a bead has at most ``max(4, max_bead + 1)`` sentences).
    #: The gold sets have such beads; wider ones gain nothing, since the first pass (kept to 4,
    #: :data:`aligner.pipeline.FIRST_PASS_MAX_BEAD`) counts none of the widest shapes, so their
    #: priors stay too small for them to win.
    max_bead: int = 5
    #: Realignments with a lexicon learned from the previous pass (0: none); a second round
    #: learns nothing the first did not (it measured slightly worse).
    lexicon_rounds: int = 1
    #: The user's (source word, target word) pairs, added to the shipped dictionary.
    dictionary: tuple[tuple[str, str], ...] = ()
    #: Also use the bilingual dictionary shipped for the language pair, if any
    #: (:mod:`aligner.features.dictionary`); words meet its entries by form or by lemma, which
    #: pairs the words of languages that share few spellings.
    builtin_dictionary: bool = True
    #: Weight of the Gale–Church length cost: the cost is a log-probability already, and no
    #: other weight did better on both dev families.
    length_weight: float = 1.0
    #: Weight of the lexical bonus against the length cost: words are stronger evidence than
    #: lengths once matched against chance; the dev sets are flat around it.
    lexical_weight: float = 45.0
    #: Cost of a bead that crosses a paragraph boundary on one side only, in the units of the
    #: length cost (about a 2-sigma length mismatch): paragraphs are evidence, not walls.
    paragraph_penalty: float = 3.0
    #: Weight of the dialogue-turn cost (:mod:`aligner.features.turns`) in pass 2, a log-odds
    #: learned from pass 1's beads: below 1, since pass 1's beads that teach it are themselves
    #: uncertain; it helps dialogue-heavy novels and leaves prose and verse as they were.
    turn_weight: float = 0.75
    #: Up to this many sentence pairs the whole matrix is searched (100,000 cells cost well
    #: under a second); beyond it, a band around a guide through the anchors.
    full_search_cells: int = 100_000
    #: Sentences searched on either side of the guide path in the first pass of a large input.
    band_width: int = 20
    #: Sentences searched on either side of the first pass's path in the second pass: the first
    #: path is already close, so a narrow band keeps pass 2 cheap on books. It must leave room
    #: for the widest bead and the search's edge slack (``search.edge_contacts``), or the path
    #: presses on its edge everywhere and pass 2 is searched twice.
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
    #: Weigh the refinement's options also by where their cuts fall (:mod:`aligner.scoring.cuts`):
    #: two beads put their boundary at corresponding lengths on both sides, one bead's inner
    #: boundaries are unrelated, which Gale and Church's costs of total lengths cannot tell.
    cut_lengths: bool = True
    #: Let the refinement also leave unaligned an edge sentence that links nothing into its
    #: bead beyond chance (:mod:`aligner.scoring.null_options`): a dropped verse or an omitted
    #: line rides in its neighbour's bead when nothing weighs its missing words.
    null_options: bool = True
    #: Weigh the refinement's options, and its test of which to offer, also by the punctuation
    #: at their boundaries (:mod:`aligner.scoring.boundary_marks`): how often the text's own
    #: beads end after a colon or a semicolon, or before a sentence in lower case.
    boundary_marks: bool = True
    #: Let the refinement also cut a bead in two where no word links across the cut beyond
    #: chance (:mod:`aligner.scoring.uncrossed_splits`), not only where the Model 1 test
    #: prefers the cut: one repeated word keeps two verse pairs in one 2-2 bead under the test.
    uncrossed_splits: bool = True
    #: Let the refinement also cut a bead in two where the words linking across the cut are no
    #: run at the facing edges of two sentences meeting there
    #: (:mod:`aligner.scoring.moved_clauses`): a moved clause is written at the cut.
    moved_clauses: bool = True
    #: Refine twice: the second time under shape priors counted on the first refined path
    #: (:mod:`aligner.scoring.own_priors`), since pass 1's path, which pass 2's priors count,
    #: seldom holds the shapes the refinement makes (a 2-2 prior counted there is too high).
    own_priors: bool = True
    #: Weigh each null option of the refinement against its kept bead by their lengths under
    #: the text's own length variance, counted on its 1-1 beads
    #: (:mod:`aligner.scoring.relative_nulls`): a literal translation follows its sentences'
    #: lengths more closely than a free one, so a dropped sentence's misfit counts for more.
    relative_nulls: bool = True
    #: After the refinement, merge a heading line left unaligned into the heading bead beside
    #: it (:mod:`aligner.scoring.headings`): translators retitle a title and subtitle as a
    #: block, which the paragraph penalty and the words cannot price.
    heading_blocks: bool = True

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
