"""Confidence of each bead of a path: how much cheaper it is than its local alternatives.

Confidence of a bead is ``sigmoid(margin / CONFIDENCE_TEMPERATURE)``, the margin being how much
cheaper the bead is than its best local alternative: the same sentences left unaligned, the
bead shifted by one sentence on either side, or, for an insertion or deletion, the sentence
joined to the neighbouring bead. Near 0.5 the model barely preferred the bead over another
reading (check it); near 1 every local alternative is much worse. On the dev sets 60 % of the
beads under 0.5 and 95 % of those from 0.8 to 0.95 are exactly right.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner.arrays import FloatArray
from aligner.scoring.cost import Model, factory, path_band, prefix
from aligner.search import Step

#: Margins are divided by this before the sigmoid: fitted by log-loss of "bead exactly right"
#: on the dev sets (Text+Berg, TransRead), where it beat 1, 2, 6 and 8. Costs include the
#: lexical weight, so raw margins overstate the odds.
CONFIDENCE_TEMPERATURE = 4.0


#: Margins are clipped here before the sigmoid: exp(50) is far from overflow, and the
#: confidence is already 1 - 2e-22 there.
MAX_LOGIT = 50.0


def confidences(model: Model, steps: Sequence[Step]) -> FloatArray:
    """``sigmoid(margin)`` per step against its local alternatives (see the module docstring)."""
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    band = path_band(steps, n_src, n_tgt, model.config.max_bead + 2)
    fn = factory(model)(band)
    allowed = set(model.config.shapes)
    k = len(steps)
    i0 = np.array([s.i0 for s in steps], np.int64)
    i1 = np.array([s.i1 for s in steps], np.int64)
    j0 = np.array([s.j0 for s in steps], np.int64)
    j1 = np.array([s.j1 for s in steps], np.int64)
    own = np.array([s.cost for s in steps], np.float64)
    # Costs of leaving every sentence unaligned, as prefix sums over sentences.
    dele = prefix(fn((1, 0), np.arange(1, n_src + 1), np.zeros(n_src, np.int64)))
    inse = prefix(fn((0, 1), np.zeros(n_tgt, np.int64), np.arange(1, n_tgt + 1)))
    alt = np.full(k, np.inf)
    both = (i1 > i0) & (j1 > j0)
    null = dele[i1] - dele[i0] + inse[j1] - inse[j0]
    alt = np.where(both, null, alt)
    a_of, b_of = i1 - i0, j1 - j0
    for a, b in {(int(a), int(b)) for a, b in zip(a_of, b_of, strict=True) if a and b}:
        sel = np.flatnonzero((a_of == a) & (b_of == b))
        for di, dj in ((0, 1), (0, -1), (1, 0), (-1, 0)):
            ii, jj = i1[sel] + di, j1[sel] + dj
            ok = (ii >= a) & (ii <= n_src) & (jj >= b) & (jj <= n_tgt)
            if ok.any():
                c = np.full(sel.size, np.inf)
                c[ok] = fn((a, b), ii[ok], jj[ok])
                alt[sel] = np.minimum(alt[sel], c)
    # Insertions and deletions: joined to the previous or the next bead instead, a shape at a
    # time over all of them.
    lone = np.flatnonzero(~both)
    for side in (-1, 1):
        nb = lone + side
        ok = (nb >= 0) & (nb < k)
        idx, nb = lone[ok], nb[ok]
        lo, hi = np.minimum(idx, nb), np.maximum(idx, nb)
        da, db = i1[hi] - i0[lo], j1[hi] - j0[lo]
        for a, b in allowed:
            sel = np.flatnonzero((da == a) & (db == b))
            if sel.size:
                merged = fn((a, b), i1[hi[sel]], j1[hi[sel]])
                alt[idx[sel]] = np.minimum(alt[idx[sel]], merged - own[nb[sel]])
    margin = np.clip((alt - own) / CONFIDENCE_TEMPERATURE, -MAX_LOGIT, MAX_LOGIT)
    return np.asarray(1.0 / (1.0 + np.exp(-margin)), np.float64)
