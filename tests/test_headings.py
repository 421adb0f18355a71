"""Heading blocks (aligner.scoring.headings): a retitled title line joins the heading bead beside
it instead of standing unaligned."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner import AlignConfig, align, align_documents
from aligner.scoring.headings import Lines, merge_heading_blocks
from aligner.search import Step
from aligner.segmentation.sentences import segment

ARMISTICE = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"
BODY_FR = [
    "Le vieil homme marchait lentement jusqu'au port chaque matin.",
    "Il regardait les bateaux et parlait aux pêcheurs.",
    "En hiver la mer était grise et le vent était froid.",
    "Personne ne savait d'où il venait, ni pourquoi il restait.",
    "Un jour une lettre arriva pour lui de la ville.",
    "Il la lut deux fois puis la brûla dans le poêle.",
]
BODY_EN = [
    "The old man walked slowly to the harbour every morning.",
    "He looked at the boats and spoke to the fishermen.",
    "In winter the sea was grey and the wind was cold.",
    "Nobody knew where he had come from, nor why he stayed.",
    "One day a letter arrived for him from the city.",
    "He read it twice and then burned it in the stove.",
]


def _pairs(beads: object) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def armistice() -> dict[str, object]:
    return {
        lang: segment((ARMISTICE / f"{lang}.txt").read_text(encoding="utf-8"), lang)
        for lang in ("fr", "en", "ru")
    }


def test_the_armistice_title_block_is_right_in_both_translations(
    armistice: dict[str, object],
) -> None:
    fr, en, ru = armistice["fr"], armistice["en"], armistice["ru"]
    # The Russian original's one title line is the French title and address together.
    fr_ru = _pairs(align_documents(fr, ru).beads)  # type: ignore[arg-type]
    assert fr_ru[:2] == [((0, 1), (0,)), ((2,), (1,))]
    # The English translation keeps both lines: two 1-1 beads, left as they were.
    fr_en = _pairs(align_documents(fr, en).beads)  # type: ignore[arg-type]
    assert fr_en[:3] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_a_retitled_block_is_one_bead_and_an_added_chapter_title_stays_apart() -> None:
    # Title and subtitle (paragraphs of their own) rendered as one title line.
    fr = ["Le vieil homme du port", "Chronique d'un hiver", *BODY_FR]
    en = ["A Winter by the Sea", *BODY_EN]
    got = align(
        fr,
        en,
        src_lang="fr",
        tgt_lang="en",
        src_paragraphs=[0, 1, 2, 2, 2, 3, 3, 3],
        tgt_paragraphs=[0, 1, 1, 1, 2, 2, 2],
    )
    assert _pairs(got.beads)[:2] == [((0, 1), (0,)), ((2,), (1,))]
    # A chapter number with "CHAPTER II" and a title the translation added: two characters
    # against a long title fit worse merged than apart, so the title stays unaligned.
    en = ["CHAPTER II", "A MYSTERY TO BE SOLVED AT ANY PRICE", *BODY_EN]
    got = align(["II", *BODY_FR], en, src_lang="fr", tgt_lang="en")
    assert _pairs(got.beads)[:3] == [((0,), (0,)), ((), (1,)), ((1,), (2,))]
    # Switched off, the retitled block is left with an unaligned line.
    off = align(
        ["Le vieil homme du port", "Chronique d'un hiver", *BODY_FR],
        ["A Winter by the Sea", *BODY_EN],
        src_lang="fr",
        tgt_lang="en",
        src_paragraphs=[0, 1, 2, 2, 2, 3, 3, 3],
        tgt_paragraphs=[0, 1, 1, 1, 2, 2, 2],
        config=AlignConfig(heading_blocks=False),
    )
    assert _pairs(off.beads)[0] != ((0, 1), (0,))


SRC = ["Title", "Subtitle", "Body one. ", "Body two."]
TGT = ["Titre", "Corps un.", "Corps deux."]
SRC_PARS = [0, 1, 2, 2]
TGT_PARS = [0, 1, 1]
STEPS = (Step(0, 1, 0, 0, 1.0), Step(1, 2, 0, 1, 1.0), Step(2, 4, 1, 3, 1.0))
SHAPES = {(1, 1), (2, 1), (1, 2), (2, 2), (1, 0), (0, 1)}


def _merge(
    src: Lines,
    tgt: Lines,
    price: float = 1.0,
    fixed: tuple[tuple[int, int], ...] = (),
) -> list[tuple[int, int, int, int]]:
    """STEPS through the merge, every bead priced 1 but a merged one ``price``."""

    def priced(span: tuple[int, int, int, int]) -> float:
        return price if span == (0, 2, 0, 1) else 1.0

    out = merge_heading_blocks(STEPS, src, tgt, SHAPES, priced, lambda s: 0.0, fixed)
    return [(s.i0, s.i1, s.j0, s.j1) for s in out]


def test_a_heading_line_joins_the_heading_bead_only_inside_a_block() -> None:
    src, tgt = Lines.of(SRC, SRC_PARS), Lines.of(TGT, TGT_PARS)
    merged = [(0, 2, 0, 1), (2, 4, 1, 3)]
    assert _merge(src, tgt) == merged
    kept = [(0, 1, 0, 0), (1, 2, 0, 1), (2, 4, 1, 3)]
    # Not where the merged bead's lengths and prior fit worse than apart.
    assert _merge(src, tgt, price=2.5) == kept
    # Not across a fixed boundary (a pin's edge, a cut).
    assert _merge(src, tgt, fixed=((1, 0),)) == kept
    # Not when the subtitle shares its paragraph with the body (it is no line of its own).
    assert _merge(Lines.of(SRC, [0, 1, 1, 1]), tgt) == kept
    # Not when the other side's line is no heading (a punctuated sentence).
    assert _merge(src, Lines.of(["Titre.", *TGT[1:]], TGT_PARS)) == kept
    # Not when the block heads no body text (closing lines, a signature).
    assert _merge(Lines.of(SRC, [0, 1, 2, 3]), tgt) == kept
