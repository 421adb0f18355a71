"""Widening a band where the best path presses on its edges, so a wrong guide costs time only."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from aligner.band import Band
from aligner.search.path import _ends
from aligner.types import Shape

#: Rounds of widening where the best path touches the band's edge (each doubles the margin).
#: The first margin is the band's median width, and at least this many cells: a band a few
#: cells wide would otherwise widen by less than one bead's reach. It was twice the median
#: width: on the Old Testament with joined and dropped verses (fr-ru) pass 2 pressed its band
#: on 98 rows, and 46 columns there doubled the band (492,462 to 963,039 cells) for the sweep
#: run again; 23 make it 621,532 cells, with the same path and F1 and 0.5 s less CPU (16
#: columns, 556,363 cells and 0.9 s, were too few for a guide that is wrong by far: a steep
#: guide, one sentence against 50,000, needs one wide round).
MIN_WIDEN_MARGIN = 16
MAX_WIDEN_ROUNDS = 5
#: Widening stops before the band has more than this many times the cells of the band given
#: (each widened sweep costs a sweep and a new cost table; 2 was measured too tight: on the
#: first 20,000 Bible verses fr-ru a misplaced guide needed a band 3.2 times as large)...
MAX_WIDEN_GROWTH = 4
#: ...unless it stays under this many cells, where a widening is cheap whatever its growth.
WIDEN_FREE_CELLS = 1_000_000
#: Rounds of widening everywhere when ``(n_src, n_tgt)`` is unreachable inside the band.
MAX_REACH_ROUNDS = 3


def _dilate(mask: npt.NDArray[np.bool_], radius: int) -> npt.NDArray[np.bool_]:
    """Rows within ``radius`` of a marked row."""
    csum = np.concatenate([[0], np.cumsum(mask, dtype=np.int64)])
    idx = np.arange(mask.size)
    upper = np.minimum(idx + radius + 1, mask.size)
    lower = np.maximum(idx - radius, 0)
    return np.asarray((csum[upper] - csum[lower]) > 0)


def edge_contacts(
    band: Band, path: Sequence[Shape], shapes: Sequence[Shape]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Rows whose lower / upper band edge the path presses on.

    A path cell ``(i, j)`` presses on the lower edge of its own row when ``j == lo[i]``, and of
    row ``i + a`` when one bead ``(a, b)`` from it would land left of that row's band
    (``j + b < lo[i + a]``); likewise on the upper edge of row ``i`` when ``j == hi[i]`` and of
    row ``i - a`` when a bead ending in ``(i, j)`` could have started right of that row's band.
    Both tests allow a slack of the widest shape's ``b``: a path that close is held back too.
    Edges on the matrix border (``lo == 0``, ``hi == n_tgt``) do not count.
    """
    rows, cols = _ends(path)
    last = band.n_src
    # Slack: a path a bead's width from the edge may be held back by it as well.
    slack = max(b for _, b in shapes)
    lo_rows = np.zeros(last + 1, np.bool_)
    hi_rows = np.zeros(last + 1, np.bool_)
    lowest: dict[int, int] = {}  # a -> least b among shapes (a, b)
    for a, b in shapes:
        lowest[a] = min(b, lowest.get(a, b))
    lowest[0] = 0
    for a, b in lowest.items():
        below = np.minimum(rows + a, last)
        lo = band.lo[below]
        lo_rows[below[(lo > cols + b - slack) & (lo > 0)]] = True
        above = np.maximum(rows - a, 0)
        hi = band.hi[above]
        hi_rows[above[(hi < cols - b + slack) & (hi < band.n_tgt)]] = True
    return lo_rows, hi_rows


def widen(
    band: Band, lo_rows: npt.NDArray[np.bool_], hi_rows: npt.NDArray[np.bool_], margin: int
) -> Band:
    """The band pushed out by ``margin`` columns at the marked rows and ``margin`` rows around."""
    n_tgt = band.n_tgt
    lo = np.where(_dilate(lo_rows, margin), np.maximum(band.lo - margin, 0), band.lo)
    hi = np.where(_dilate(hi_rows, margin), np.minimum(band.hi + margin, n_tgt), band.hi)
    # Lowering lo in a row must lower it in every earlier row too (and raising hi, later ones).
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return Band(lo, hi).connected()
