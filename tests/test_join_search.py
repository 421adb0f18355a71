"""The join's search (aligner.features.matching._hits): entries whose band row holds none of
their target token's sentences are told apart by the first search alone, and only the others
are searched for their row's end (issue 21: seven entries in eight find nothing on a book)."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest

import aligner.features.matching as matching
from aligner.band import SentenceBand
from aligner.features.lexicon import spelling_table
from aligner.features.matching import window_matches
from aligner.features.tokens import Side, build_side

N_SRC, N_TGT = 40, 44


def sides(seed: int) -> tuple[Side, Side]:
    """Two texts over many words, so that a narrow band row misses most translations."""
    rng = np.random.default_rng(seed)
    words = [f"parole{k}" for k in range(60)]
    src = [" ".join(rng.choice(words, 4)) for _ in range(N_SRC)]
    tgt = [" ".join(rng.choice(words, 3)) for _ in range(N_TGT)]
    return build_side(src), build_side(tgt)


def narrow_band() -> SentenceBand:
    centre = np.arange(N_SRC) * N_TGT // N_SRC
    return SentenceBand.of(np.maximum(centre - 2, 0), np.minimum(centre + 3, N_TGT))


def brute(src: Side, tgt: Side, table: Any, i: int, j: int, width: int, lo: int) -> float:
    """Matched mass of source ``i`` against targets ``j - width + 1 .. j`` that lie in its
    band row (from ``lo`` on: the join sees no sentence outside the band), pair by pair."""
    val = {
        (int(s), int(t)): float(v) for s, t, v in zip(table.src, table.tgt, table.val, strict=True)
    }
    first = max(j - width + 1, lo)
    targets = set(tgt.occ_tok[(tgt.occ_sent >= first) & (tgt.occ_sent <= j)].tolist())
    total = 0.0
    for s in set(src.occ_tok[src.occ_sent == i].tolist()):
        best = max((val.get((s, t), 0.0) for t in targets if tgt.weight[t] > 0), default=0.0)
        total += src.weight[s] * best
    return total


def assert_join_is_brute_force(src: Side, tgt: Side, table: Any, band: SentenceBand) -> int:
    """Check the join's matched mass of every cell and window width (up to 3) against
    :func:`brute`; the number of cells with some mass."""
    out = window_matches(src, tgt, table.src, table.tgt, table.val, band, 3)
    checked = 0
    for i in range(N_SRC):
        for j in range(int(band.lo[i]), int(band.hi[i])):
            cell = int(band.offsets[i]) + j - int(band.lo[i])
            for width in (1, 2, 3):
                if j - width + 1 < 0:
                    continue
                expected = brute(src, tgt, table, i, j, width, int(band.lo[i]))
                assert out[width - 1, cell] == pytest.approx(expected, rel=1e-5)
                checked += expected > 0
    return checked


@pytest.mark.parametrize("seed", range(3))
def test_join_on_a_narrow_band_equals_brute_force(seed: int) -> None:
    src, tgt = sides(seed)
    table = spelling_table(src, tgt)
    band = narrow_band()
    assert_join_is_brute_force(src, tgt, table, band)


def test_only_entries_with_hits_are_searched_for_their_end(monkeypatch: pytest.MonkeyPatch) -> None:
    src, tgt = sides(0)
    table = spelling_table(src, tgt)
    needles: list[int] = []
    real = np.searchsorted

    def recording(a: Any, v: Any, *args: Any, **kwargs: Any) -> Any:
        if sys._getframe(1).f_code.co_name == "_hits":
            needles.append(np.size(v))
        return real(a, v, *args, **kwargs)

    monkeypatch.setattr(matching.np, "searchsorted", recording)
    window_matches(src, tgt, table.src, table.tgt, table.val, narrow_band(), 3)
    starts, ends = needles[0::2], needles[1::2]
    assert starts and len(starts) == len(ends)
    # Fewer than half the entries find a translation in their narrow row here.
    assert all(0 < e < s / 2 for s, e in zip(starts, ends, strict=True))
