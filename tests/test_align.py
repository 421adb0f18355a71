"""Tests for the alignment engine: bead types, empty inputs, paragraphs, invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.features.length import LengthModel
from aligner.features.lexicon import spelling_table
from aligner.pipeline import AlignConfig, align, align_documents
from aligner.scoring.cost import (
    MatchCache,
    Model,
    Texts,
    make_matches,
)
from aligner.search import Band
from aligner.segmentation.structure import heading_paragraphs, is_heading, is_note
from aligner.types import Alignment, Document, Sentence

NAMES = [
    "Amsterdam", "Berlin", "Copenhagen", "Dublin", "Edinburgh", "Florence", "Geneva",
    "Helsinki", "Istanbul", "Jerusalem", "Kyoto", "Lisbon", "Madrid", "Nairobi", "Oslo",
    "Prague", "Quebec", "Rome", "Stockholm", "Toronto", "Utrecht", "Vienna", "Warsaw",
]  # fmt: skip


def source(n: int) -> list[str]:
    """Sentences each with its own rare name and number, of varied lengths."""
    return [
        f"In {1900 + k} the travellers reached {NAMES[k % len(NAMES)]}"
        + " and rested there" * (k % 3)
        + "."
        for k in range(n)
    ]


def translation(n: int) -> list[str]:
    """A French-like translation of :func:`source`."""
    return [
        f"En {1900 + k} les voyageurs atteignirent {NAMES[k % len(NAMES)]}"
        + " et s'y reposèrent" * (k % 3) + "."
        for k in range(n)
    ]  # fmt: skip


def kinds(alignment: Alignment) -> list[str]:
    return [b.kind for b in alignment.beads]


def run(src: list[str], tgt: list[str], **kw: object) -> Alignment:
    return align(src, tgt, src_lang="en", tgt_lang="fr", **kw)  # type: ignore[arg-type]


def test_one_to_one() -> None:
    result = run(source(10), translation(10))
    assert kinds(result) == ["1-1"] * 10
    assert [b.src for b in result.beads] == [(k,) for k in range(10)]


def split_at(sentences: list[str], k: int) -> list[str]:
    """Sentence ``k`` cut in two after its name."""
    words = sentences[k].rstrip(".").split(" ")
    half = len(words) // 2 + 1
    return [*sentences[:k], " ".join(words[:half]) + ".", " ".join(words[half:]) + ".",
            *sentences[k + 1 :]]  # fmt: skip


def merge_at(sentences: list[str], k: int, count: int = 2) -> list[str]:
    """Sentences ``k .. k + count - 1`` joined into one."""
    return [*sentences[:k], " ".join(sentences[k : k + count]), *sentences[k + count :]]


@pytest.mark.parametrize(
    ("make_src", "make_tgt", "bead"),
    [
        (lambda: source(8), lambda: merge_at(translation(8), 3), ((3, 4), (3,))),
        (lambda: merge_at(source(8), 3), lambda: translation(8), ((3,), (3, 4))),
        (lambda: source(8), lambda: merge_at(translation(8), 3, 3), ((3, 4, 5), (3,))),
        (lambda: merge_at(source(8), 3, 3), lambda: translation(8), ((3,), (3, 4, 5))),
    ],
)
def test_many_to_one(make_src, make_tgt, bead) -> None:  # type: ignore[no-untyped-def]
    result = run(make_src(), make_tgt())
    assert bead in [(b.src, b.tgt) for b in result.beads]
    assert sum(1 for b in result.beads if b.kind != "1-1") == 1


def cross(src: list[str], tgt: list[str], k: int) -> None:
    """Cut sentences ``k`` and ``k + 1`` at a different place on each side (in place)."""
    src[k : k + 2] = [src[k] + " " + src[k + 1][:12], src[k + 1][12:]]
    tgt[k : k + 2] = [tgt[k][:15], tgt[k][15:] + " " + tgt[k + 1]]


def test_two_to_two() -> None:
    src, tgt = source(8), translation(8)
    cross(src, tgt, 3)
    result = run(src, tgt)
    assert ((3, 4), (3, 4)) in [(b.src, b.tgt) for b in result.beads]


@pytest.mark.parametrize("extra", [0, 12])
def test_parallel_units_keep_crossed_units_one_to_one(extra: int) -> None:
    # 60 units, all one to one but for two cut at a different place, like verses numbered in
    # parallel: unit k still pairs with unit k unless 2-2 beads are asked for. The target may
    # hold more (a passage the source lacks, at its end).
    src, tgt = source(60), translation(60)
    words = src[31].split(" ")
    src[30:32] = [src[30] + " " + " ".join(words[:4]), " ".join(words[4:])]
    tgt += [f"Une phrase ajoutée, la {k + 1}e, sans équivalent." for k in range(extra)]
    pairs = [(b.src, b.tgt) for b in run(src, tgt).beads]
    assert pairs == [((k,), (k,)) for k in range(60)] + [((), (60 + k,)) for k in range(extra)]
    forced = [(b.src, b.tgt) for b in run(src, tgt, config=AlignConfig(many_to_many=True)).beads]
    assert ((30, 31), (30, 31)) in forced


def test_shapes_without_many_to_many() -> None:
    shapes = set(AlignConfig(many_to_many=False).shapes)
    assert shapes == {
        (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (1, 4), (4, 1), (1, 5), (5, 1), (1, 0), (0, 1),
    }  # fmt: skip
    assert set(AlignConfig(many_to_many=True).shapes) == set(AlignConfig().shapes)


def test_deletion_and_insertion() -> None:
    src = source(10)
    tgt = translation(10)
    extra = "Une phrase ajoutée par le traducteur, sans équivalent aucun."
    result = run(src, [*tgt[:4], extra, *tgt[4:]])
    assert ((), (4,)) in [(b.src, b.tgt) for b in result.beads]
    result = run(src, tgt[:4] + tgt[5:])
    assert ((4,), ()) in [(b.src, b.tgt) for b in result.beads]
    assert kinds(result).count("1-1") == 9


def test_identical_texts_are_one_to_one_with_high_confidence() -> None:
    text = source(15)
    result = run(text, text)
    assert kinds(result) == ["1-1"] * 15
    assert min(b.confidence for b in result.beads) > 0.9


def test_one_side_empty() -> None:
    result = run(source(3), [])
    assert kinds(result) == ["1-0"] * 3
    result = run([], translation(2))
    assert kinds(result) == ["0-1"] * 2
    assert run([], []).beads == ()


def test_missing_paragraph_gives_a_run_of_deletions() -> None:
    src = source(20)
    tgt = translation(20)
    result = run(src, tgt[:8] + tgt[13:])
    pairs = [(b.src, b.tgt) for b in result.beads]
    assert [((k,), ()) for k in range(8, 13)] == [p for p in pairs if not p[1]]
    assert sum(1 for p in pairs if len(p[0]) == len(p[1]) == 1) == 15


def test_paragraphs_are_soft_anchors() -> None:
    src, tgt = source(6), merge_at(translation(6), 2)

    def doc(texts: list[str], paragraphs: list[int], lang: str) -> Document:
        sentences, pos = [], 0
        for t, p in zip(texts, paragraphs, strict=True):
            sentences.append(Sentence(t, pos, pos + len(t), p))
            pos += len(t) + 1
        return Document(" ".join(texts), lang, tuple(sentences))

    result = align_documents(doc(src, [0, 0, 0, 1, 1, 1], "en"), doc(tgt, [0, 0, 0, 1, 1], "fr"))
    assert result.src_paragraphs == (0, 0, 0, 1, 1, 1)


def test_empty_strings_do_not_crash() -> None:
    result = run(["", "Hello Berlin.", ""], ["", "Bonjour Berlin."])
    assert any(1 in b.src and b.tgt == (1,) for b in result.beads)


def test_dictionary_adds_to_the_lexicon() -> None:
    cfg = AlignConfig(dictionary=(("travellers", "voyageurs"),))
    result = run(source(5), translation(5), config=cfg)
    assert kinds(result) == ["1-1"] * 5


def test_progress_is_reported() -> None:
    calls: list[tuple[int, int]] = []
    run(source(5), translation(5), progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]


@pytest.mark.parametrize(
    "kw",
    [{"max_bead": 0}, {"lexicon_rounds": -1}, {"lexical_weight": float("nan")},
     {"many_to_many": "yes"},
     {"length_weight": -1.0}, {"dictionary": (("a", ""),)}, {"band_width": 0}],
)  # fmt: skip
def test_bad_config_is_refused(kw: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        AlignConfig(**kw)  # type: ignore[arg-type]


def test_shapes_of_max_bead() -> None:
    assert set(AlignConfig(max_bead=3).shapes) == {
        (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 0), (0, 1),
    }  # fmt: skip
    assert set(AlignConfig(max_bead=4).shapes) == set(AlignConfig(max_bead=3).shapes) | {
        (1, 4), (4, 1), (2, 3), (3, 2),
    }  # fmt: skip
    assert set(AlignConfig().shapes) == set(AlignConfig(max_bead=4).shapes) | {
        (1, 5), (5, 1), (2, 4), (4, 2), (3, 3),
    }  # fmt: skip
    assert set(AlignConfig(max_bead=1).shapes) == {(1, 1), (1, 0), (0, 1)}


def test_paragraph_lengths_must_match() -> None:
    with pytest.raises(ValueError):
        run(source(3), translation(3), src_paragraphs=[0, 0])


def test_one_against_many() -> None:
    # 1 sentence against 460: the search must reach the corner without a full matrix.
    result = run(["Berlin 1900."], translation(23) * 20)
    assert len(result.beads) >= 460


def test_huge_sentence() -> None:
    result = run([" ".join(source(23)) * 20, "Rome."], translation(3))
    assert result.beads[0].src == (0,) and result.beads[0].tgt == (0, 1, 2)


sentence = st.text(alphabet="abcdeé Крыл0123456789.,?!", max_size=40)


@settings(max_examples=40, deadline=None)
@given(st.lists(sentence, max_size=12), st.lists(sentence, max_size=12))
def test_partition_and_determinism(src: list[str], tgt: list[str]) -> None:
    first = run(src, tgt)
    assert all(0.0 <= b.confidence <= 1.0 for b in first.beads)
    assert run(src, tgt) == first


@pytest.mark.parametrize(
    ("text", "heading"),
    [("CHAPTER VII", True), ("VII", True), ("A WOMAN'S COURAGE", True), ("Jules Verne", True),
     ("Thus ended this memorable seance.", False), ("CHAPTER III .", False), ("", False),
     ("one two three four five six seven eight nine ten eleven twelve thirteen", False)],
)  # fmt: skip
def test_headings_are_short_unpunctuated_lines(text: str, heading: bool) -> None:
    assert is_heading(text) is heading


@pytest.mark.parametrize(
    ("text", "note"),
    [("( Tr . )", True), ("[Runic glyphs occur here]", True), ("[ 1 ] In the cipher, audax.", True),
     ("(Dinah was the cat.)", True), ("[Руфь] сказала ей: сделаю все.", False),
     ("Text (with an aside) goes on.", False),
     ("(" + "a long aside " * 5 + ")", False)],
)  # fmt: skip
def test_notes_are_footnotes_and_short_bracketed_lines(text: str, note: bool) -> None:
    assert is_note(text) is note


def test_headings_stand_in_for_paragraphs() -> None:
    lines = ["Text ends here.", "CHAPTER VII", "A WOMAN'S COURAGE", "Text goes on.", "And on."]
    assert heading_paragraphs(lines) == [0, 1, 2, 3, 3]
    assert heading_paragraphs(["One.", "( Tr . )", "Two.", "Three."]) == [0, 1, 2, 2]


def test_a_subtitle_does_not_join_the_prose_under_it() -> None:
    # Without paragraphs, the English subtitle would ride in a 1-2 bead with the first sentence.
    src = [
        "Je ne dormis pas de la nuit.",
        "VII",
        "Ainsi se termina cette mémorable séance.",
        "Cet entretien me donna la fièvre.",
        "Je sortis dans les rues de Hambourg.",
    ]
    tgt = [
        "I did not sleep that night.",
        "CHAPTER VII",
        "A WOMAN'S COURAGE",
        "Thus ended this memorable seance.",
        "That conversation threw me into a fever.",
        "I went out into the streets of Hamburg.",
    ]
    result = align(src, tgt, src_lang="fr", tgt_lang="en")
    assert [(b.src, b.tgt) for b in result.beads] == [
        ((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,)),
    ]  # fmt: skip
    assert result.src_paragraphs == () and result.tgt_paragraphs == ()


def test_match_cache_reuses_matches_for_covered_bands() -> None:
    n = len(NAMES)
    src, tgt = source(n), translation(n)
    texts = Texts.of(src, tgt, (), ())
    model = Model.of(texts, LengthModel(), spelling_table(texts.src, texts.tgt), AlignConfig())
    cache = MatchCache(model)
    diagonal = np.linspace(0, n, n + 1)
    wide = cache(Band.around(diagonal, n, 8))
    assert cache(Band.around(diagonal, n, 3)) is wide
    assert cache(Band.full(n, n)) is not wide
    # The cached matches give the same coverage as matches made for the narrow band itself.
    narrow = make_matches(model, Band.around(diagonal, n, 3))
    i = np.arange(1, n + 1)
    assert np.array_equal(wide.coverage(model, i, i, 1, 1), narrow.coverage(model, i, i, 1, 1))
