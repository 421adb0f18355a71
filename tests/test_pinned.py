"""Pinned beads: kept exactly, the rest realigned between them, bad pins refused."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aligner
from aligner.errors import UsageError
from aligner.pinned import align_around_pins, check_pins
from aligner.types import Bead, check_partition

ARMISTICE = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"


def test_a_pin_fixes_the_partial_russian_translation() -> None:
    fr = aligner.read_document(ARMISTICE / "fr.txt", "fr").document
    ru = aligner.read_document(ARMISTICE / "ru.txt", "ru").document
    pinned = aligner.align_documents(fr, ru, pins=[Bead((14,), (12,))])
    assert Bead((14,), (12,), 1.0, pinned=True) in pinned.beads
    # Everything after the pin on the French side has no Russian left to pair with.
    after = [b for b in pinned.beads if b.src and b.src[0] > 14]
    assert all(not b.tgt for b in after) and len(after) == len(fr.sentences) - 15
    assert (12,) not in [b.tgt for b in pinned.beads if b.src and b.src[0] > 14]


@pytest.mark.parametrize(
    ("pins", "message"),
    [
        ([Bead((5,), (9,))], "outside the text"),
        ([Bead((1,), (1,)), Bead((1, 2), ())], "pinned twice"),
        ([Bead((3,), (1,)), Bead((1,), (3,))], "crosses"),
    ],
)
def test_bad_pins_are_refused_naming_the_pin(pins: list[Bead], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        check_pins(pins, 5, 5)
    with pytest.raises(UsageError, match=r"pin [12]"):
        aligner.align(["a."] * 5, ["b."] * 5, pins=pins)


def test_pins_are_named_as_the_caller_says() -> None:
    with pytest.raises(UsageError, match=r"pins\.jsonl:3"):
        names = ["pins.jsonl:1", "pins.jsonl:3"]
        check_pins([Bead((0,), (0,)), Bead((9,), ())], 5, 5, names=names)


def test_a_lone_pin_inside_a_gap_bead_splits_it() -> None:
    # The gap aligner joins its first two sentences, which are 0 and 2 once 1 is taken out.
    def joins_all(src: list[int] | tuple[int, ...], tgt: list[int] | tuple[int, ...]) -> list[Bead]:
        if not src or not tgt:
            return [Bead((k,), ()) for k in range(len(src))] + [
                Bead((), (k,)) for k in range(len(tgt))
            ]
        return [Bead(tuple(range(len(src))), tuple(range(len(tgt))))]

    beads = align_around_pins([Bead((1,), ())], 3, 2, joins_all)
    check_partition(beads, 3, 2)
    assert Bead((1,), (), 1.0, pinned=True) in beads


@st.composite
def texts_and_pins(draw: st.DrawFn) -> tuple[int, int, list[Bead]]:
    n_src = draw(st.integers(1, 12))
    n_tgt = draw(st.integers(1, 12))
    # A random monotone chain of pins: cut points on both sides, then some lone sentences.
    cuts = sorted(set(draw(st.lists(st.integers(0, min(n_src, n_tgt) - 1), max_size=4))))
    pins: list[Bead] = []
    used_src: set[int] = set()
    used_tgt: set[int] = set()
    for c in cuts:
        j = min(n_tgt - 1, c + draw(st.integers(0, 1)))
        if c not in used_src and j not in used_tgt and all(p.tgt[-1] < j for p in pins if p.tgt):
            pins.append(Bead((c,), (j,)))
            used_src.add(c)
            used_tgt.add(j)
    for i in draw(st.lists(st.integers(0, n_src - 1), max_size=3)):
        if i not in used_src:
            pins.append(Bead((i,), ()))
            used_src.add(i)
    return n_src, n_tgt, pins


@settings(max_examples=40, deadline=None)
@given(texts_and_pins())
def test_every_sentence_once_and_every_pin_kept(case: tuple[int, int, list[Bead]]) -> None:
    n_src, n_tgt, pins = case
    src = [f"Phrase {k} à Berlin en {1900 + k}." for k in range(n_src)]
    tgt = [f"Sentence {k} in Berlin in {1900 + k}." for k in range(n_tgt)]
    result = aligner.align(src, tgt, src_lang="fr", tgt_lang="en", pins=pins)
    kept = {(b.src, b.tgt) for b in result.beads}
    assert all((p.src, p.tgt) in kept for p in pins)


def _chapter_document(chapters: list[list[str]], lang: str) -> aligner.Document:
    """Sentences one per paragraph, each chapter opened by a heading sentence."""
    sentences = [s for chapter in chapters for s in chapter]
    doc = aligner.read_presplit("\n\n".join(sentences) + "\n", lang)
    starts, k = [], 0
    for chapter in chapters:
        starts.append(k)
        k += len(chapter)
    return dataclasses.replace(doc, chapters=tuple(starts), headings=tuple((s, 1) for s in starts))


def test_chapters_both_texts_have_bound_the_search() -> None:
    # The translation lacks the middle chapter: with the structure, no bead of the first or last
    # chapter leaves it, and the middle chapter's sentences stay unaligned.
    def chapter(n: int, k: int, lang: str) -> list[str]:
        word = {"fr": "Chapitre", "en": "Chapter"}[lang]
        body = {
            "fr": "Le voyageur arriva à la ville numéro",
            "en": "The traveller reached town number",
        }
        return [f"{word} {n}."] + [f"{body[lang]} {n * 100 + i}." for i in range(k)]

    fr = _chapter_document([chapter(1, 6, "fr"), chapter(2, 5, "fr"), chapter(3, 6, "fr")], "fr")
    en = _chapter_document([chapter(1, 6, "en"), chapter(3, 6, "en")], "en")
    result = aligner.align_documents(fr, en)
    middle = range(7, 13)
    for bead in result.beads:
        if any(i in middle for i in bead.src):
            assert not bead.tgt
        if bead.src and bead.tgt:
            assert (bead.src[0] < 7) == (bead.tgt[0] < 7)
