"""Punctuation evidence of bead boundaries (aligner.scoring.boundary_marks): learned from the
path's own beads, it moves a sentence ending in a colon to the bead of what it announces."""

from __future__ import annotations

import pytest
from test_refine import FILLER, _steps_model

from aligner.scoring.boundary_marks import BoundaryMarks, end_class, side_evidence, start_class
from aligner.scoring.refine import refine
from aligner.search import Step


def test_marks_read_past_closing_quotes_and_opening_dashes() -> None:
    assert end_class("Die erfolgreichen Bergsteiger waren :") == ":"
    assert end_class("« Il n'en existe pas ! »") == "!"
    assert end_class("Attendez...") == "..."
    assert end_class("CHAPTER V") == "word"
    assert start_class("-- Qu'entendez-vous ?") == "dash"
    assert start_class("dit M. Knightley .") == "lower"
    assert start_class("« Non »") == "open"


def test_a_mark_the_path_never_ends_a_bead_after_weighs_against_a_boundary() -> None:
    # Six colons, each inside a bead (its sentence joined to the next); full stops end beads.
    sentences = ["Liste :", "Alpha beta.", "Gamma.", "Delta."] * 6
    ends = [k for k in range(1, len(sentences) + 1) if sentences[k - 1].endswith(".")]
    evidence = side_evidence(sentences, ends)
    after_colon = [e for s, e in zip(sentences, evidence, strict=False) if s.endswith(":")]
    after_stop = [e for s, e in zip(sentences, evidence, strict=False) if s.endswith(".")]
    assert max(after_colon) < -1.0 < 0.0 < min(after_stop)


def test_verse_numbered_texts_get_no_evidence() -> None:
    # Every sentence ends a bead, whatever its mark: the marks say nothing.
    sentences = ["In the beginning :", "And the earth ;", "And God said,", "Let there be."] * 5
    evidence = side_evidence(sentences, range(1, len(sentences) + 1))
    assert evidence == pytest.approx([0.0] * (len(sentences) - 1))


# Three announcements ("… :") each joined in one bead with what they announce, then a sentence
# ending in a colon that the search left with the bead before it.
ANNOUNCED = [
    ("Ersteiger :", "Hartog Brown Patey.", "Ersteiger Hartog Brown Patey."),
    ("Teilnehmer :", "Magnone Lachenal Terray.", "Teilnehmer Magnone Lachenal Terray."),
    ("Literatur :", "Dyhrenfurth Baltoro Schwabe.", "Dyhrenfurth Baltoro Schwabe."),
]
SRC = [s for a, b, _ in ANNOUNCED for s in (a, b)]
TGT = [t for _, _, t in ANNOUNCED]
SRC += ["Kathmandu Lhotse expedition Makalu.", "Quellen :", "Franco Arthaud Grenoble.", *FILLER]
TGT += ["Kathmandou Lhotse expedition Makalu.", "Franco Arthaud Grenoble.", *FILLER]
STEPS = (
    Step(0, 2, 0, 1, 0.0),
    Step(2, 4, 1, 2, 0.0),
    Step(4, 6, 2, 3, 0.0),
    Step(6, 8, 3, 4, 0.0),
    Step(8, 9, 4, 5, 0.0),
    *(Step(k + 4, k + 5, k, k + 1, 0.0) for k in range(5, len(TGT))),
)


def _spans(steps: tuple[Step, ...]) -> list[tuple[int, int, int, int]]:
    return [(s.i0, s.i1, s.j0, s.j1) for s in steps]


def test_a_sentence_ending_in_a_colon_goes_with_what_it_announces() -> None:
    model = _steps_model(SRC, TGT)
    out = _spans(refine(model, STEPS, SRC, TGT))
    assert out[3:5] == [(6, 7, 3, 4), (7, 9, 4, 5)]
    assert [i for s in out for i in range(s[0], s[1])] == list(range(len(SRC)))
    # Without the marks the words and lengths leave it where the search put it.
    assert _spans(refine(model, STEPS, SRC, TGT, marks=False))[3:5] == [(6, 8, 3, 4), (8, 9, 4, 5)]


def test_the_marks_cost_nothing_where_a_span_has_no_inner_boundary() -> None:
    marks = BoundaryMarks.learn(_spans(STEPS), SRC, TGT)
    assert marks([(6, 9, 3, 5)]) == 0.0
    assert marks([(6, 8, 3, 4), (8, 9, 4, 5)]) < 0.0 < marks([(6, 7, 3, 4), (7, 9, 4, 5)])


def test_the_offer_test_weighs_the_marks_with_the_words() -> None:
    marks = BoundaryMarks.learn(_spans(STEPS), SRC, TGT)
    old, new = [(6, 8, 3, 4), (8, 9, 4, 5)], [(6, 7, 3, 4), (7, 9, 4, 5)]
    both = marks.added(lambda o, n: 0.25)
    assert both(old, new) == pytest.approx(0.25 + marks(new) - marks(old))
    assert both(old, new) > 0.25 > both(new, old)
