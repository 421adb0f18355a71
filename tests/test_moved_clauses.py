"""The refinement's moved-clause test (aligner.scoring.moved_clauses): a bead held by a word
linking across its cut is offered cut unless the word stands at the facing edges of the two
sentences meeting at the cut, as a clause moved across a sentence boundary does."""

from __future__ import annotations

from test_refine import FILLER, _steps_model

from aligner.scoring.moved_clauses import MovedClauses, edge_splits
from aligner.scoring.refine import Scorer, refine
from aligner.search import Step


def _texts(first: str, second: str) -> tuple[list[str], list[str]]:
    """Two pairs whose second source sentence repeats the first's words (which the first target
    sentence's own translation takes), with one rare name, Tingri, in the first source sentence
    (``first``) and in the second target one (``second``): it links across the cut."""
    src = [
        first,
        "Kathmandu Lhotse expedition, Dhaulagiri Makalu summit.",
        "Annapurna glacier.",
        *FILLER,
    ]
    tgt = ["Kathmandou Lhotse expedition.", second, "Annapurna glacier.", *FILLER]
    return src, tgt


MERGED = (Step(0, 2, 0, 2, 0.0), *(Step(k, k + 1, k, k + 1, 0.0) for k in range(2, 10)))
WHOLE = (0, 2, 0, 2)


def _spans(steps: tuple[Step, ...]) -> list[tuple[int, int, int, int]]:
    return [(s.i0, s.i1, s.j0, s.j1) for s in steps]


def test_a_word_linking_across_from_inside_both_sentences_lets_the_bead_be_cut() -> None:
    # Tingri opens the sentence before the cut and stands inside the one after it.
    src, tgt = _texts("Tingri Kathmandu Lhotse expedition.", "Dhaulagiri Makalu Tingri summit.")
    model = _steps_model(src, tgt)
    scorer = Scorer(model, src=src, tgt=tgt)
    # The Model 1 test keeps the bead, and the name links across beyond chance ...
    assert scorer.cut_gain((WHOLE,), ((0, 1, 0, 1), (1, 2, 1, 2))) < 0
    assert scorer.links_across(WHOLE, 1, 1)
    # ... but it is no clause moved across the cut: the split is offered, and the costs take it.
    assert not MovedClauses(scorer, src, tgt).held(WHOLE, 1, 1)
    assert _spans(refine(model, MERGED, src, tgt))[:2] == [(0, 1, 0, 1), (1, 2, 1, 2)]
    assert _spans(refine(model, MERGED, src, tgt, moved=False))[0] == WHOLE


def test_a_word_at_the_facing_edges_holds_the_bead() -> None:
    # Tingri ends the sentence before the cut and opens the one after it: a moved clause.
    src, tgt = _texts("Kathmandu Lhotse expedition Tingri.", "Tingri Dhaulagiri Makalu summit.")
    model = _steps_model(src, tgt)
    held = MovedClauses(Scorer(model, src=src, tgt=tgt), src, tgt).held
    assert held(WHOLE, 1, 1)
    assert edge_splits(WHOLE, (2, 3, 2, 3), model.config.shapes, held) == []
    assert _spans(refine(model, MERGED, src, tgt))[0] == WHOLE
