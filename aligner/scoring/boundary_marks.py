"""Punctuation evidence of a bead boundary, learned from the text's own path.

Where a sentence ends and how the next one begins says whether a translation's bead may end
there: a sentence closed by a colon announces what follows (``Literatur :``, ``Die
erfolgreichen Bergsteiger waren :``), one closed by a semicolon or followed by a sentence
starting in lower case (``dit M. Knightley .``) continues the same thought, and a translator who
keeps the thought together leaves no sentence boundary there on the other side. How strongly
each mark holds depends on the text (a segmenter that cuts at colons, a French translation that
joins clauses with semicolons, verse-numbered texts where every verse ends a bead whatever its
punctuation), so nothing is assumed: for each side, the share of sentences of each end class
(and each start class of the sentence after) that the path puts at a bead boundary is counted,
shrunk toward the side's overall share, and the naive-Bayes log odds of a boundary given the two
marks, less the log odds of any boundary (the shape priors already price how many there are),
is the evidence of a boundary after each sentence, in nats like the costs. The boundary
refinement (:mod:`aligner.scoring.refine`) adds it to each option for each boundary it puts
inside the span the options share, and to the Model 1 log ratio that decides which options are
offered (both are log ratios of the same cut: the words' evidence and the marks'). On
verse-numbered texts every verse ends a bead whatever its mark, and the evidence is zero (about
zero where a few verses are joined).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Span = tuple[int, int, int, int]  # i0, i1, j0, j1
#: Pseudo-sentences of the side's overall boundary share added to each class's counts, so a
#: class seen a few times says little (a Beta prior of this weight, as add-one smoothing has).
PRIOR_WEIGHT = 2.0
#: Closing marks read past at a sentence's end, opening marks at its start.
CLOSERS = "\"'»”’)]} "
OPENERS = "\"'«“‘„([{¿¡"
DASHES = "-‐‑‒–—―"
TERMINALS = {".": ".", "…": "...", "!": "!", "?": "?", "。": ".", "！": "!", "？": "?"}


def end_class(sentence: str) -> str:
    """The mark a sentence ends with, closing quotes and brackets read past."""
    s = sentence.rstrip().rstrip(CLOSERS)
    if not s:
        return "none"
    c = s[-1]
    if c == "." and s.endswith("..."):
        return "..."
    if c in TERMINALS:
        return TERMINALS[c]
    if c in ":;,":
        return c
    if c in DASHES:
        return "dash"
    return "word" if c.isalnum() else "other"


def start_class(sentence: str) -> str:
    """How a sentence begins: a dash, an opening quote or bracket, a lower-case or other
    letter, a digit."""
    s = sentence.lstrip()
    if not s:
        return "none"
    c = s[0]
    if c in DASHES:
        return "dash"
    if c in OPENERS:
        return "open"
    if c.islower():
        return "lower"
    if c.isalpha():
        return "letter"
    return "digit" if c.isdigit() else "other"


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def side_evidence(sentences: Sequence[str], ends: Sequence[int]) -> list[float]:
    """Per sentence ``k`` (but the last), the log odds of a bead boundary after it given its
    end mark and the next sentence's start mark, less the side's log odds of any boundary;
    ``ends``: the positions (sentences before) where the path's beads of this side end."""
    n = len(sentences)
    if n < 2:
        return [0.0] * max(n - 1, 0)
    cut = set(ends)
    at = [k + 1 in cut for k in range(n - 1)]
    ends_of = [end_class(s) for s in sentences]
    starts_of = [start_class(s) for s in sentences]
    out = [0.0] * (n - 1)
    base = sum(at) / len(at)
    if base in (0.0, 1.0):
        # Every sentence ends a bead (verses), or none does: the marks tell nothing apart.
        return out
    for marks in (ends_of[:-1], starts_of[1:]):
        seen: Counter[str] = Counter()
        cuts: Counter[str] = Counter()
        for mark, b in zip(marks, at, strict=True):
            seen[mark] += 1
            cuts[mark] += b
        share = {m: (cuts[m] + PRIOR_WEIGHT * base) / (seen[m] + PRIOR_WEIGHT) for m in seen}
        for k, mark in enumerate(marks):
            out[k] += _logit(share[mark]) - _logit(base)
    return out


@dataclass(frozen=True)
class BoundaryMarks:
    """The punctuation evidence of a boundary after each sentence of each side."""

    src: tuple[float, ...]
    tgt: tuple[float, ...]

    @classmethod
    def learn(cls, spans: Sequence[Span], src: Sequence[str], tgt: Sequence[str]) -> BoundaryMarks:
        """The evidence of each side, counted on the path ``spans`` (consecutive beads)."""
        src_ends = [s[1] for s in spans if s[1] > s[0]]
        tgt_ends = [s[3] for s in spans if s[3] > s[2]]
        return cls(tuple(side_evidence(src, src_ends)), tuple(side_evidence(tgt, tgt_ends)))

    def __call__(self, beads: Sequence[Span]) -> float:
        """The evidence of the boundaries ``beads`` put between their first and last
        sentence on each side (the span all of a boundary's options share)."""
        if not beads or (not self.src and not self.tgt):
            return 0.0
        i0, i1, j0, j1 = beads[0][0], beads[-1][1], beads[0][2], beads[-1][3]
        src_cuts = {s[1] for s in beads if s[1] > s[0] and i0 < s[1] < i1}
        tgt_cuts = {s[3] for s in beads if s[3] > s[2] and j0 < s[3] < j1}
        return sum(self.src[p - 1] for p in src_cuts) + sum(self.tgt[q - 1] for q in tgt_cuts)

    def added(
        self, gain: Callable[[Sequence[Span], Sequence[Span]], float]
    ) -> Callable[[Sequence[Span], Sequence[Span]], float]:
        """``gain`` (a log ratio of beads ``new`` over beads ``old`` covering the same
        sentences) with the marks' log ratio of the two added."""

        def both(old: Sequence[Span], new: Sequence[Span]) -> float:
            return gain(old, new) + self(new) - self(old)

        return both
