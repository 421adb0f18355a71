"""The refinement's uncrossed splits (aligner.scoring.uncrossed_splits): a bead is offered cut
where no word links across the cut beyond chance, even where the Model 1 test refuses it."""

from __future__ import annotations

from test_refine import FILLER, _steps_model

from aligner.scoring.refine import Scorer, refine
from aligner.scoring.uncrossed_splits import uncrossed_splits
from aligner.search import Step

# Two pairs; the second source sentence repeats the first's words, which the first target
# sentence's own translation takes (so nothing of it links across the cut beyond chance).
SRC = [
    "Kathmandu Lhotse expedition.",
    "Kathmandu Lhotse expedition, Dhaulagiri Makalu summit.",
    "Annapurna glacier.",
    *FILLER,
]
TGT = ["Kathmandou Lhotse expedition.", "Dhaulagiri Makalu summit.", "Annapurna glacier.", *FILLER]
MERGED = (
    Step(0, 2, 0, 2, 0.0),
    *(Step(k, k + 1, k, k + 1, 0.0) for k in range(2, len(SRC))),
)


def _spans(steps: tuple[Step, ...]) -> list[tuple[int, int, int, int]]:
    return [(s.i0, s.i1, s.j0, s.j1) for s in steps]


def test_two_pairs_held_by_a_repeated_word_are_split() -> None:
    model = _steps_model(SRC, TGT)
    scorer = Scorer(model, src=SRC, tgt=TGT)
    whole, parts = (0, 2, 0, 2), ((0, 1, 0, 1), (1, 2, 1, 2))
    # The Model 1 test prefers the one bead (the repeated words are explained there) ...
    assert scorer.cut_gain((whole,), parts) < 0
    # ... but no word links across the cut beyond chance: the split is offered, and taken.
    assert not scorer.links_across(whole, 1, 1)
    out = _spans(refine(model, MERGED, SRC, TGT))
    assert out[:3] == [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3)]
    assert _spans(refine(model, MERGED, SRC, TGT, uncrossed=False, moved=False))[0] == (0, 2, 0, 2)


def test_only_cuts_no_sentence_links_across_and_of_searched_shapes_are_offered() -> None:
    a, b = (0, 2, 0, 2), (2, 5, 2, 4)
    shapes = {(1, 1), (2, 1), (1, 2), (2, 2)}
    crossed = {((2, 5, 2, 4), 3, 3)}

    def across(bead: tuple[int, int, int, int], ci: int, cj: int) -> bool:
        return (bead, ci, cj) in crossed

    got = uncrossed_splits(a, b, shapes, across)
    assert got == [
        ((0, 1, 0, 1), (1, 2, 1, 2), b),
        (a, (2, 4, 2, 3), (4, 5, 3, 4)),
    ]
    # ``b`` cut into a 1-1 and a 2-1 is crossed, so only its cut into a 2-1 and a 1-1 is offered.
    assert uncrossed_splits(a, b, shapes, lambda bead, ci, cj: True) == []
