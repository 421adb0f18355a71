"""Strict and lax scores, computed by hand on small bead sets (Sennrich & Volk 2011)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.errors import InputError
from aligner.evaluation import evaluate, evaluate_documents, parse_beads
from aligner.types import Bead

GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((4,), ()), ((), (4,))]


def test_perfect_alignment_scores_one() -> None:
    s = evaluate(GOLD, GOLD)
    assert s.strict_f1 == s.lax_f1 == 1.0


def test_hand_computed_figures() -> None:
    test = [
        ((0,), (0,)),  # exact: strict and lax hit
        ((1,), (1,)),  # 1 is linked to 1 in gold: lax hit only
        ((), (2,)),  # insertion not in gold: a miss both ways (counts in precision only)
        ((2,), (3,)),  # lax hit
        ((3,), ()),  # deletion not in gold: miss
        ((4,), (4,)),  # 4 is linked to nothing in gold: miss
    ]
    s = evaluate(test, GOLD)
    # precision over all 6 test beads
    assert s.strict_precision == pytest.approx(1 / 6)
    assert s.lax_precision == pytest.approx(3 / 6)
    # recall over gold beads with both sides (3), read against test beads with both sides (4)
    # gold (0)-(0) exact; gold (1)-(1,2): test (1)-(1) shares a link; gold (2,3)-(3): (2)-(3).
    assert s.strict_recall == pytest.approx(1 / 3)
    assert s.lax_recall == pytest.approx(3 / 3)
    assert s.strict_f1 == pytest.approx(2 * (1 / 6) * (1 / 3) / (1 / 6 + 1 / 3))


def test_many_to_many_and_empty() -> None:
    gold = [((0, 1), (0, 1))]
    assert evaluate([((0, 1), (0, 1))], gold).strict_f1 == 1.0
    s = evaluate([((0,), (0,)), ((1,), (1,))], gold)
    assert s.strict_f1 == 0.0 and s.lax_f1 == 1.0
    empty = evaluate([], [])
    assert empty.strict_f1 == 0.0 and empty.lax_precision == 0.0


def test_micro_average_sums_counts_before_dividing() -> None:
    doc1 = ([((0,), (0,))], [((0,), (0,))])
    doc2 = ([((0,), (1,)), ((1,), (0,)), ((2,), (2,))], [((0,), (0,)), ((1,), (1,)), ((2,), (2,))])
    s = evaluate_documents([doc1, doc2])
    assert s.strict_precision == pytest.approx(2 / 4)
    assert s.strict_recall == pytest.approx(2 / 4)


def test_accepts_bead_objects() -> None:
    assert evaluate([Bead((0,), (0,), 0.3)], [((0,), (0,))]).strict_f1 == 1.0


@given(
    st.lists(
        st.tuples(st.lists(st.integers(0, 9), max_size=3), st.lists(st.integers(0, 9), max_size=3))
    )
)
def test_scores_stay_in_unit_interval(raw: list[tuple[list[int], list[int]]]) -> None:
    beads = [(tuple(a), tuple(b)) for a, b in raw]
    s = evaluate(beads, GOLD)
    for value in s.as_dict().values():
        assert 0.0 <= value <= 1.0
    assert s.lax_precision >= s.strict_precision


def test_parse_beads_reads_vecalign_form() -> None:
    text = "[0]:[0, 1]:0.912\n[1, 2]:[]:0.000\n\n[]:[2]\n"
    assert parse_beads(text) == [((0,), (0, 1)), ((1, 2), ()), ((), (2,))]


@pytest.mark.parametrize("line", ["0:0", "[0]:[x]", "[0]", "[0]:[1]:abc", "[-1]:[0]", "[0]:5"])
def test_parse_beads_rejects_bad_lines(line: str) -> None:
    with pytest.raises(InputError, match=":1:"):
        parse_beads(line)
