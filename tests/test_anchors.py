"""Tests of anchors from rare shared keys, the heaviest monotone chain and the guide path."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.features.anchors import (
    candidate_pairs,
    drop_isolated,
    find_anchors,
    guide_path,
    heaviest_chain,
)
from aligner.search import Band


def brute_chain_weight(pairs: dict[tuple[int, int], float]) -> float:
    best = 0.0
    items = sorted(pairs.items())
    for r in range(1, len(items) + 1):
        for combo in itertools.combinations(items, r):
            if all(a[0][0] < b[0][0] and a[0][1] < b[0][1] for a, b in itertools.pairwise(combo)):
                best = max(best, sum(w for _, w in combo))
    return best


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(0, 12), st.integers(0, 12)),
        st.floats(0.1, 5.0, allow_nan=False),
        max_size=9,
    )
)
def test_heaviest_chain_is_monotone_and_optimal(pairs: dict[tuple[int, int], float]) -> None:
    chain = heaviest_chain(pairs)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(chain))
    assert set(chain) <= set(pairs)
    assert sum(pairs[p] for p in chain) == pytest.approx(brute_chain_weight(pairs))


def test_heaviest_chain_prefers_evidence_over_length() -> None:
    # Three weak pairs against two strong crossing ones.
    pairs = {(1, 5): 0.5, (2, 6): 0.5, (3, 7): 0.5, (4, 1): 2.0, (5, 2): 2.0}
    assert heaviest_chain(pairs) == [(4, 1), (5, 2)]
    assert heaviest_chain({}) == []


def test_pairs_of_one_row_never_chain() -> None:
    assert len(heaviest_chain({(3, 1): 1.0, (3, 2): 1.0, (3, 3): 1.0})) == 1


def make_texts(n: int, drop: range = range(0)) -> tuple[list[list[str]], list[list[str]]]:
    """Source sentences each with one rare key and one common key; the target drops some."""
    src = [[f"name{i}", "the"] for i in range(n)]
    tgt = [[f"name{i}", "the"] for i in range(n) if i not in drop]
    return src, tgt


def test_find_anchors_pairs_rare_keys() -> None:
    src, tgt = make_texts(200, drop=range(50, 80))
    anchors = find_anchors(src, tgt)
    expected = [(i, i if i < 50 else i - 30) for i in range(200) if i not in range(50, 80)]
    assert anchors == expected


def test_find_anchors_drops_common_ambiguous_and_misplaced_keys() -> None:
    n = 400
    src = [[f"k{i}"] for i in range(n)]
    tgt = [[f"k{i}"] for i in range(n)]
    src[10].append("twice")
    src[20].append("twice")
    tgt[30].append("twice")  # counts differ: ambiguous
    src[5].append("far")
    tgt[390].append("far")  # far from the same relative position
    for s in (src[100], src[200], src[300], tgt[100], tgt[200], tgt[300]):
        s.append("common")  # three times: above MAX_OCCURRENCES
    assert (5, 390) in candidate_pairs(src, tgt)
    pairs = candidate_pairs(src, tgt, max_relative_offset=0.1)
    assert (5, 390) not in pairs
    assert (10, 30) not in pairs and (20, 30) not in pairs
    assert pairs[(100, 100)] == 1.0
    assert find_anchors(src, tgt) == [(i, i) for i in range(n)]


def test_false_anchor_is_filtered_by_the_chain() -> None:
    src, tgt = make_texts(100)
    src[40].append("x")
    tgt[45].append("x")  # a crossing coincidence, weaker than the true pairs around it
    src[44].append("y")
    tgt[41].append("y")
    anchors = find_anchors(src, tgt)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(anchors))
    assert (40, 40) in anchors and (44, 44) in anchors


def test_find_anchors_on_empty_input() -> None:
    assert find_anchors([], [["a"]]) == []
    assert find_anchors([["a"]], []) == []


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 300),
    m=st.integers(0, 300),
    raw=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), max_size=30),
)
def test_guide_is_monotone_and_ends_at_the_corner(
    n: int, m: int, raw: list[tuple[float, float]]
) -> None:
    pairs = {(int(a * n), int(b * m)): 1.0 for a, b in raw if n and m}
    pairs = {p: w for p, w in pairs.items() if p[0] < n and p[1] < m}
    anchors = heaviest_chain(pairs)
    guide = guide_path(n, m, anchors)
    assert guide.shape == (n + 1,)
    assert np.all(np.diff(guide) >= 0)
    assert guide[-1] == m
    if n and len(anchors) < 4:  # with fewer, no slope to extrapolate from
        assert guide[0] == 0
    band = Band.around(guide, m, 3)
    assert band.n_src == n and band.n_tgt == m


def test_guide_without_anchors_is_the_diagonal() -> None:
    assert np.allclose(guide_path(4, 8, []), [0, 2, 4, 6, 8])


def test_guide_passes_through_anchors() -> None:
    guide = guide_path(100, 100, [(10, 60), (20, 70)])
    assert guide[10] < 60.5 < guide[11]
    assert guide[20] < 70.5 < guide[21]


def test_guide_follows_the_chain_past_its_ends_into_a_partial_translation() -> None:
    # The target goes on 9 times as far as the source, after a target head of 500 sentences.
    anchors = [(i, 500 + i) for i in range(50, 1000, 100)]
    guide = guide_path(1000, 10_000, anchors)
    assert guide[0] == pytest.approx(500, abs=1)
    assert guide[500] == pytest.approx(1000)
    assert guide[999] == pytest.approx(1499)
    assert guide[-1] == 10_000


def test_guide_heads_for_the_corner_when_the_ends_agree() -> None:
    anchors = [(i, i + i // 10) for i in range(50, 900, 100)]
    guide = guide_path(1000, 1100, anchors)
    assert guide[0] == 0
    assert guide[-1] == 1100
    assert np.all(np.diff(guide[851:]) == pytest.approx((1100 - 935.5) / (1000 - 850.5)))


def test_guide_reaches_the_last_column_first_when_the_source_runs_on() -> None:
    anchors = [(i, i) for i in range(10, 200, 20)]
    guide = guide_path(2000, 200, anchors)
    assert guide[190] == pytest.approx(190)
    assert np.all(guide[200:] == 200)


def test_guide_refuses_bad_anchors() -> None:
    with pytest.raises(ValueError, match="monotonically"):
        guide_path(10, 10, [(3, 3), (2, 5)])
    with pytest.raises(ValueError, match="outside"):
        guide_path(10, 10, [(10, 3)])
    with pytest.raises(ValueError):
        guide_path(-1, 10, [])


def test_isolated_spike_is_dropped_but_a_shift_is_kept() -> None:
    diagonal = [(i, i) for i in range(0, 1000, 40)]
    spike = sorted([*diagonal, (500, 900)])
    spike = [p for p in spike if p != (480, 480) and p != (520, 520)]
    assert (500, 900) not in drop_isolated(spike, 1000, 1000)
    # A passage of 300 target sentences missing after row 500: the anchors after it all move.
    shifted = [(i, i if i < 500 else i - 300) for i in range(0, 1000, 40)]
    assert drop_isolated(shifted, 1000, 700) == shifted


def test_anchors_across_a_missing_passage_guide_the_band() -> None:
    src, tgt = make_texts(3000, drop=range(1000, 1500))
    anchors = find_anchors(src, tgt)
    assert (999, 999) in anchors and (1500, 1000) in anchors
    guide = guide_path(3000, 2500, anchors)
    assert abs(guide[1000] - 1000) < 1 and abs(guide[1500] - 1000) < 1
