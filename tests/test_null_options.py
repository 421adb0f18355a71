"""The refinement's null options (aligner.scoring.null_options): an edge sentence that links
nothing into its bead may be left unaligned, one that links into it may not."""

from __future__ import annotations

from test_refine import FILLER, _steps_model

from aligner.scoring.null_options import null_options
from aligner.scoring.refine import Scorer, refine
from aligner.search import Step

# The second source sentence has no counterpart: the search put it with the first.
SRC = [
    "Kathmandu Lhotse expedition.",
    "Eiger Jungfrau Matterhorn pilgrimage.",
    "Dhaulagiri Makalu summit.",
    *FILLER,
]
TGT = ["Kathmandou Lhotse expedition.", "Dhaulagiri Makalu summit.", *FILLER]
MERGED = (
    Step(0, 2, 0, 1, 0.0),
    Step(2, 3, 1, 2, 0.0),
    *(Step(k + 1, k + 2, k, k + 1, 0.0) for k in range(2, len(TGT))),
)


def _spans(steps: tuple[Step, ...]) -> list[tuple[int, int, int, int]]:
    return [(s.i0, s.i1, s.j0, s.j1) for s in steps]


def test_a_dropped_sentence_merged_into_its_neighbour_is_left_unaligned() -> None:
    model = _steps_model(SRC, TGT)
    out = refine(model, MERGED, SRC, TGT)
    assert _spans(out)[:3] == [(0, 1, 0, 1), (1, 2, 1, 1), (2, 3, 1, 2)]
    assert [i for s in out for i in range(s.i0, s.i1)] == list(range(len(SRC)))
    assert [j for s in out for j in range(s.j0, s.j1)] == list(range(len(TGT)))
    # Without null options nothing else re-cuts the bead: the sentence stays merged.
    assert _spans(refine(model, MERGED, SRC, TGT, nulls=False))[:2] == [(0, 2, 0, 1), (2, 3, 1, 2)]


def test_an_added_target_line_is_left_unaligned_too() -> None:
    steps = tuple(Step(s.j0, s.j1, s.i0, s.i1, 0.0) for s in MERGED)
    out = _spans(refine(_steps_model(TGT, SRC), steps, TGT, SRC))
    assert out[:3] == [(0, 1, 0, 1), (1, 1, 1, 2), (1, 2, 2, 3)]


def test_a_sentence_that_links_into_its_bead_is_not_offered() -> None:
    src = ["Kathmandu Lhotse expedition.", "Dhaulagiri Makalu summit.", *FILLER]
    tgt = ["Kathmandou Lhotse expedition, Dhaulagiri Makalu summit.", *FILLER]
    scorer = Scorer(_steps_model(src, tgt), src=src, tgt=tgt)
    a, b = (0, 2, 0, 1), (2, 3, 1, 2)
    assert null_options(a, b, {(1, 1), (2, 1), (1, 0), (0, 1)}, scorer.holds) == []
    # The dropped sentence of SRC, at the same place, is offered.
    scorer = Scorer(_steps_model(SRC, TGT), src=SRC, tgt=TGT)
    offered = null_options(a, (2, 3, 1, 2), {(1, 1), (2, 1), (1, 0), (0, 1)}, scorer.holds)
    assert offered == [((0, 1, 0, 1), (1, 2, 1, 1), (2, 3, 1, 2))]
