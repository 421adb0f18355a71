"""The search's coverage passes each side's window extent, made once from both sides' cells:
the same extent as read from the side's own rows and columns."""

from __future__ import annotations

import numpy as np
import pytest
from engine import SOLOMON_SRC, SOLOMON_TGT, diagonal_band, model_of

import aligner.scoring.cost as cost


def test_the_window_extent_given_to_each_side_is_the_one_its_cells_span(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = model_of(SOLOMON_SRC, SOLOMON_TGT)
    band = diagonal_band(model)
    matches = cost.make_matches(model, band)
    coverage = cost._Coverage(model, matches)
    rows = np.repeat(np.arange(band.n_src + 1), band.widths)
    cols = np.concatenate([np.arange(lo, hi + 1) for lo, hi in zip(band.lo, band.hi, strict=True)])
    real_add = cost._SideTerms.add
    checked: list[tuple[int, int]] = []

    def add(
        self: cost._SideTerms,
        total: np.ndarray,
        width: int,
        first: np.ndarray,
        count: int,
        col: np.ndarray,
        bounds: tuple[tuple[int, int], tuple[int, int]] | None = None,
    ) -> bool:
        plain = (
            (int(first.min()), int(first.max()) + count),
            (int(col.min()), int(col.max()) + 1),
        )
        assert bounds == plain
        checked.append((width, count))
        return real_add(self, total, width, first, count, col, bounds)

    monkeypatch.setattr(cost._SideTerms, "add", add)
    for a, b in model.config.shapes:
        if not (a and b):
            continue
        # Rows 10-29, the cells whose bead lies in the band, as the programme asks for them.
        keep = (rows >= max(a, 10)) & (rows < 30) & (cols >= b)
        keep &= (cols - b >= band.lo[rows - a]) & (cols - b <= band.hi[rows - a])
        i, j = rows[keep], cols[keep]
        expected = matches.coverage(model, i, j, a, b)
        assert np.array_equal(coverage(i, j, a, b), expected)
    # Both sides of every shape went through the held terms.
    assert len(checked) == 2 * sum(1 for a, b in model.config.shapes if a and b)
