"""The error lister of ``benchmarks/error_regions.py``: wrong and missed beads grouped where
they share a sentence, and each group classed by what went wrong."""

from __future__ import annotations

from scripts import load_script

er = load_script("benchmarks/error_regions.py")


def test_a_dropped_sentence_merged_into_its_neighbour_is_one_merged_null_region() -> None:
    gold = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]
    pred = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    found = er.regions(pred, gold)
    assert found == [([((1, 2), (1,))], [((1,), ()), ((2,), (1,))])]
    assert er.classify(found[0]) == "merged-null"
    assert er.shapes(found[0]) == "2-1 <- gold 1-0 1-1"


def test_separate_errors_are_separate_regions_each_with_its_class() -> None:
    gold = [((0,), (0,)), ((1,), (1,)), ((2, 3), (2, 3)), ((4,), (4,)), ((5,), (5,))]
    pred = [((0, 1), (0, 1)), ((2,), (2,)), ((3,), (3,)), ((4,), (4, 5)), ((5,), ())]
    found = er.regions(pred, gold)
    assert [er.classify(r) for r in found] == ["merged", "split", "split-null"]


def test_a_boundary_one_sentence_off_is_moved() -> None:
    gold = [((0, 1), (0,)), ((2,), (1,))]
    pred = [((0,), (0,)), ((1, 2), (1,))]
    (region,) = er.regions(pred, gold)
    assert er.classify(region) == "moved"


def test_right_beads_make_no_region() -> None:
    gold = [((0,), (0,)), ((1,), ())]
    assert er.regions(gold, gold) == []
