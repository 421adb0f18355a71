"""Sentence-end agreement at each bead's edges: whether both texts end a sentence where it ends.

A bead boundary is where both translations finish what they were saying. Where one text's
sentence stops there with a full stop and the other's only pauses (its sentence before the
boundary ends in a semicolon, a colon, a comma or nothing, or its sentence after the boundary
opens in lower case, continuing a clause the splitter cut), the other translator's sentence runs
on into the next bead: the boundary falls inside what a reader would pair as one bead, the
commonest error the costs do not see (a gold 2-2 cut into two 1-1 beads, each part a fair
translation of the other). Where both texts pause, or both stop, the boundary agrees.

The marks are read after closing quotes and brackets, and before opening ones; a script without
letter case reads the punctuation alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray
from aligner.search import Step, step_edges

#: Marks that end a sentence (Latin, Cyrillic and Greek scripts' and the CJK full stops).
SENTENCE_ENDS = frozenset(".!?…。！？")
#: Closing quotes and brackets, read past at a sentence's end.
CLOSERS = "\"'»”’)]}›」』 "
#: Opening quotes, brackets and dialogue dashes, read past at a sentence's start.
OPENERS = "\"'«“‘„([{‹「『-–— "


def _stops(sentence: str) -> bool:
    """Whether ``sentence`` ends with a sentence-final mark (past any closing quotes)."""
    tail = sentence.rstrip().rstrip(CLOSERS)
    return bool(tail) and tail[-1] in SENTENCE_ENDS


def _continues(sentence: str) -> bool:
    """Whether ``sentence`` opens in lower case (past any opening quotes and dashes)."""
    head = sentence.lstrip().lstrip(OPENERS)
    return head[:1].islower()


def pauses(sentences: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Per boundary ``p`` in ``0 .. n`` (before sentence ``p``): whether the text only pauses
    there (the sentence before does not stop, or the one after continues in lower case); never
    at the text's two ends."""
    n = len(sentences)
    out = np.zeros(n + 1, bool)
    for p in range(1, n):
        out[p] = not _stops(sentences[p - 1]) or _continues(sentences[p])
    return out


def soft_edges(steps: Sequence[Step], src: Sequence[str], tgt: Sequence[str]) -> FloatArray:
    """Per step: 1.0 when at its start or its end one text pauses and the other stops, else 0.0
    (see the module docstring)."""
    ps, pt = pauses(src), pauses(tgt)
    i0, i1, j0, j1 = step_edges(steps)
    disagree = (ps[i0] != pt[j0]) | (ps[i1] != pt[j1])
    return np.asarray(disagree, np.float64)
