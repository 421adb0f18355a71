"""Pin files: JSONL beads read back in order; bad pins refused with the line that holds them."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.errors import UsageError
from aligner.multi import merge
from aligner.output import write
from aligner.readers.pins import PIN_CONFIDENCE, read_pins
from aligner.types import Alignment, Bead

SHAPES = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2), (1, 3)]


@st.composite
def alignments(draw: st.DrawFn) -> Alignment:
    shapes = draw(st.lists(st.sampled_from(SHAPES), min_size=1, max_size=30))
    beads, i, j = [], 0, 0
    for ns, nt in shapes:
        confidence = draw(st.floats(0.0, 1.0))
        beads.append(Bead(tuple(range(i, i + ns)), tuple(range(j, j + nt)), confidence))
        i, j = i + ns, j + nt
    return Alignment(
        tuple(f"s{k}" for k in range(i)), tuple(f"t{k}" for k in range(j)), tuple(beads), "fr", "en"
    )


def line(src: list[int], tgt: list[int], /, **extra: object) -> str:
    return json.dumps({"src_ids": src, "tgt_ids": tgt, **extra})


def in_path_order(beads: tuple[Bead, ...]) -> bool:
    """Do the beads' sentences increase along the sequence in both texts?

    (A deletion and an insertion in the same gap may come in either order.)
    """
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    return src == sorted(src) and tgt == sorted(tgt)


def pins_of(*lines: str, n_src: int = 10, n_tgt: int = 10) -> tuple[Bead, ...]:
    return read_pins("\n".join(lines) + "\n", n_src, n_tgt)


@settings(max_examples=60, deadline=None)
@given(alignments())
def test_a_jsonl_output_reads_back_as_its_beads(alignment: Alignment) -> None:
    pins = read_pins(write(alignment, "jsonl"), len(alignment.src), len(alignment.tgt))
    assert sorted((p.src, p.tgt) for p in pins) == sorted((b.src, b.tgt) for b in alignment.beads)
    assert in_path_order(pins)
    Alignment(alignment.src, alignment.tgt, pins, "fr", "en")  # a partition, in order
    assert {p.confidence for p in pins} == {PIN_CONFIDENCE}


@settings(max_examples=60, deadline=None)
@given(alignments(), st.randoms(use_true_random=False))
def test_any_subset_in_any_order_comes_back_in_alignment_order(
    alignment: Alignment, rng: random.Random
) -> None:
    chosen = [b for b in alignment.beads if rng.random() < 0.5]
    lines = [line(list(b.src), list(b.tgt)) for b in chosen]
    rng.shuffle(lines)
    pins = read_pins("\n".join(lines), len(alignment.src), len(alignment.tgt))
    assert sorted((p.src, p.tgt) for p in pins) == sorted((b.src, b.tgt) for b in chosen)
    assert in_path_order(pins)
    full = [(p.src, p.tgt) for p in pins if p.src and p.tgt]
    assert full == [(b.src, b.tgt) for b in chosen if b.src and b.tgt]


def test_other_fields_blank_lines_and_the_summary_are_ignored() -> None:
    text = "\n".join(
        [
            json.dumps({"aligner": {"version": "0.1.0"}}),
            "",
            line([0], [0], src="Un.", score=None, note="no mark"),
            "   ",
            line([3, 4], [1], tgt_lang="en"),
        ]
    )
    assert read_pins(text, 5, 2) == (Bead((0,), (0,)), Bead((3, 4), (1,)))
    assert read_pins("", 5, 2) == ()


def test_a_hand_written_file_of_two_beads() -> None:
    assert pins_of(line([9], [8]), line([2], [])) == (Bead((2,), ()), Bead((9,), (8,)))


def test_pins_with_an_empty_side_go_in_their_gap() -> None:
    # A 1-0 deletion pin and a 0-1 insertion pin in the same gap: deletions first.
    pins = pins_of(line([], [4]), line([5], [5]), line([3], []), line([0, 1], [0, 1]))
    assert [(p.src, p.tgt) for p in pins] == [
        ((0, 1), (0, 1)),
        ((3,), ()),
        ((), (4,)),
        ((5,), (5,)),
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [line([0], [0]), line([1], [0])],
            r"^line 2: target sentence 0 is pinned twice \(also by line 1\)",
        ),
        ([line([1, 2], [0]), "", line([2], [3])], r"^line 3: source sentence 2 is pinned twice"),
        (
            [line([5], [5]), line([1], [2, 3]), line([2], [3])],
            r"^line 3: target sentence 3 is pinned",
        ),
        ([line([4], [1]), line([2], [5])], r"^line 1: crosses line 2 \(source \[4\] comes after"),
        ([line([0], [0]), line([6], [])], r"^line 2: source sentence 6 is outside the text"),
        ([line([0], [0]), line([], [-1])], r"^line 2: target sentence -1 is outside the text"),
        ([line([1, 3], [0])], r"^line 1: source sentences \[1, 3\] are not consecutive$"),
        ([line([], [])], r"^line 1: a pin needs at least one sentence$"),
        (['{"src_ids": [0]}'], r"^line 1: a pin needs tgt_ids$"),
        (['{"src_ids": [0], "tgt_ids": [true]}'], r"^line 1: tgt_ids must be a list of"),
        (['{"src_ids": "0", "tgt_ids": []}'], r"^line 1: src_ids must be a list of"),
        (["[0]:[0]:0.9"], r"^line 1: not a JSON object"),
        (["[[0], [0]]"], r"^line 1: not a JSON object$"),
        (["{src_ids: [0]"], r"^line 1: not a JSON object \("),
    ],
)
def test_bad_pins_are_refused_naming_their_line(lines: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        pins_of(*lines, n_src=6, n_tgt=6)


def test_a_file_of_several_translations_is_refused_with_a_hint() -> None:
    a = Alignment(("A.",), ("a.",), (Bead((0,), (0,)),), "fr", "en")
    b = Alignment(("A.",), ("б.",), (Bead((0,), (0,)),), "fr", "ru")
    with pytest.raises(UsageError, match=r"^line 2: a pin needs tgt_ids \(one translation"):
        read_pins(write(merge([a, b]), "jsonl"), 1, 1)


def test_line_numbers_count_every_line_even_with_line_separators_in_text() -> None:
    # U+2028 inside a JSON string is not a line end for a pin file (split on \n only).
    text = line([0], [0], src="a\u2028b") + "\n" + line([0], [1])
    with pytest.raises(UsageError, match=r"^line 2: "):
        read_pins(text, 2, 2)


def test_negative_counts_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        read_pins("", -1, 0)
