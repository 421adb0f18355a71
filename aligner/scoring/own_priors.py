"""Shape priors counted again on the refined path, for the refinement's second reading.

Pass 2's shape priors are counted on pass 1's path (``LengthModel.refit``, Gale and Church's
priors as pseudo-beads), and pass 1 rarely produces the shapes the refinement makes: the nulls
of dropped verses, the 1-1 pairs it cuts out of 2-2 beads, the 2-1 beads of moved sentences. The
refinement then weighs its options under priors that undercount the shapes it finds. Counted on
the refined path instead, the priors are the text's own beads, smoothed the same way, and the
refinement reads the pass-2 path again under them (``refine.refine``'s ``own_priors``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from aligner.scoring.cost import Model
from aligner.search import Step


def with_own_priors(model: Model, path: Sequence[Step]) -> Model:
    """``model`` with every shape's prior counted on ``path`` (smoothed as pass 2's are)."""
    # Counted from the edges: ``Step.shape`` caches its value on each step, which cost more
    # than the count on a book's path read once.
    counted = model.length.refit(Counter((s.i1 - s.i0, s.j1 - s.j0) for s in path))
    return replace(model, length=replace(model.length, priors=counted.priors))
