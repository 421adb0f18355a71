"""The sort-based distinct values of the features (``distinct``, ``distinct_inverse``, IBM 1's
``_counted``): the same as ``np.unique``, by numpy's stable sort (issue 21: two to three times
faster than the default sort on keys that arrive in sorted runs)."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest

from aligner.features.ibm1 import _counted
from aligner.features.tokens import build_side, distinct, distinct_inverse


def runs(seed: int) -> np.ndarray:
    """Integers in sorted runs with repeats, as the features' keys arrive (bead by bead)."""
    rng = np.random.default_rng(seed)
    parts = [np.sort(rng.integers(0, 5_000, rng.integers(0, 300))) for _ in range(40)]
    return np.concatenate(parts).astype(np.int64)


@pytest.mark.parametrize("seed", range(5))
def test_distinct_helpers_equal_np_unique(seed: int) -> None:
    values = runs(seed)
    uniq, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    assert np.array_equal(distinct(values), uniq)
    got, got_inverse = distinct_inverse(values)
    assert np.array_equal(got, uniq) and np.array_equal(got_inverse, inverse)
    got, got_counts = _counted(values)
    assert np.array_equal(got, uniq) and np.array_equal(got_counts, counts)


def test_distinct_helpers_of_nothing() -> None:
    empty = np.zeros(0, np.int64)
    assert distinct(empty).size == 0
    got, got_counts = _counted(empty)
    assert got.size == 0 and got_counts.size == 0


def test_sorts_of_values_ask_for_the_stable_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    """``distinct``, ``_counted`` and the occurrences of ``build_side`` sort with
    ``kind="stable"`` (the fast path: it sorts the same values)."""
    kinds: list[Any] = []
    real = np.sort

    def recording(a: Any, axis: int = -1, kind: Any = None, order: Any = None, **kw: Any) -> Any:
        if sys._getframe(1).f_globals.get("__name__", "").startswith("aligner."):
            kinds.append(kind)
        return real(a, axis=axis, kind=kind, order=order, **kw)

    monkeypatch.setattr(np, "sort", recording)
    distinct(runs(0))
    _counted(runs(1))
    build_side(["Un deux trois.", "Quatre cinq, six !"])
    assert len(kinds) >= 3 and all(k == "stable" for k in kinds)
