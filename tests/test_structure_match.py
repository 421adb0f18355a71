"""Structure as evidence: chapters and headings of two texts paired into cut points."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.features.structure import Structure, match_structure, segments, sentence_structure
from aligner.readers.source import SourceBuilder, SourceText
from aligner.segmentation.sentences import segment

TEXTS = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"


def _book(lang: str, heading: str, every: int) -> SourceText:
    """The armistice text with a heading (and a chapter) before every ``every`` paragraphs."""
    paragraphs = [
        p.strip()
        for p in (TEXTS / f"{lang}.txt").read_text(encoding="utf-8").split("\n\n")
        if p.strip()
    ]
    builder = SourceBuilder()
    for k, p in enumerate(paragraphs):
        if k % every == 0:
            builder.start_chapter()
            builder.add(f"{heading} {k // every + 1}", 1)
        builder.add(p)
    return builder.build()


def test_sentence_structure_maps_offsets_to_sentences() -> None:
    source = _book("fr", "Partie", 7)
    document = segment(source.text, "fr")
    structure = sentence_structure(source, document)
    assert len(structure.lengths) == len(document.sentences)
    assert [document.sentences[i].text for i in structure.chapters] == [
        "Partie 1",
        "Partie 2",
        "Partie 3",
    ]
    assert [(document.sentences[i].text, level) for i, level in structure.headings] == [
        ("Partie 1", 1),
        ("Partie 2", 1),
        ("Partie 3", 1),
    ]
    with pytest.raises(ValueError):
        sentence_structure(source, segment("Autre texte.", "fr"))


def test_armistice_chapters_pair_across_languages() -> None:
    fr_source, en_source = _book("fr", "Partie", 5), _book("en", "Part", 5)
    fr, en = segment(fr_source.text, "fr"), segment(en_source.text, "en")
    cuts = match_structure(sentence_structure(fr_source, fr), sentence_structure(en_source, en))
    assert [(fr.sentences[i].text, en.sentences[j].text) for i, j in cuts] == [
        ("Partie 2", "Part 2"),
        ("Partie 3", "Part 3"),
        ("Partie 4", "Part 4"),
        ("Partie 5", "Part 5"),
    ]


def test_a_heading_one_side_lacks_is_passed_over() -> None:
    # The target lacks the heading at 20: pairs within GAP_MARGIN_CHARS of the gap are not
    # cuts (lengths may not tell which side lost it), the others are.
    lengths = tuple([200] * 60)
    src = Structure(lengths, headings=tuple((i, 2) for i in (3, 10, 20, 30, 45, 55)))
    tgt = Structure(lengths, headings=tuple((i, 2) for i in (3, 10, 30, 45, 55)))
    assert match_structure(src, tgt) == ((3, 3), (45, 45), (55, 55))


def test_dense_headings_pair_by_section_lengths_not_positions() -> None:
    # Sections of very different lengths; the translation's first section is 20 % longer, so
    # relative positions drift by about the gap between headings: the nearest heading by
    # position is the wrong one.
    sections = [30, 4, 4, 12, 4, 6, 20]
    src_lengths: list[int] = []
    tgt_lengths: list[int] = []
    src_heads: list[tuple[int, int]] = []
    tgt_heads: list[tuple[int, int]] = []
    for k, n in enumerate(sections):
        if k:
            src_heads.append((len(src_lengths), 3))
            tgt_heads.append((len(tgt_lengths), 3))
        src_lengths += [100] * n
        tgt_lengths += [100] * (n + 6 if k == 0 else n)
    src = Structure(tuple(src_lengths), headings=tuple(src_heads))
    tgt = Structure(tuple(tgt_lengths), headings=tuple(tgt_heads))
    assert match_structure(src, tgt) == tuple(
        (i, j) for (i, _), (j, _) in zip(src_heads, tgt_heads, strict=True)
    )


def test_boundaries_that_disagree_are_not_cuts() -> None:
    lengths = tuple([50] * 40)
    # Different levels; then a pair whose stretches are far out of proportion.
    src = Structure(lengths, headings=((5, 1),))
    tgt = Structure(lengths, headings=((5, 2),))
    assert match_structure(src, tgt) == ()
    src = Structure(tuple([50] * 40), headings=((10, 2),))
    tgt = Structure(tuple([50] * 10 + [400] * 2 + [50] * 28), headings=((12, 2),))
    assert match_structure(src, tgt) == ()


def test_equal_chapter_counts_allow_more_drift() -> None:
    src = Structure(tuple([40] * 100), chapters=(0, 30, 60))
    tgt = Structure(tuple([40] * 30 + [48] * 70), chapters=(0, 30, 60))  # later parts longer
    assert match_structure(src, tgt) == ((30, 30), (60, 60))
    uneven = Structure(tuple([40] * 100), chapters=(0, 20, 90))
    assert match_structure(src, uneven) == ()


def test_segments_cover_both_texts() -> None:
    assert segments([(3, 4), (7, 9)], 10, 12) == [(0, 3, 0, 4), (3, 7, 4, 9), (7, 10, 9, 12)]
    assert segments([], 5, 6) == [(0, 5, 0, 6)]
    with pytest.raises(ValueError):
        segments([(4, 4), (3, 5)], 10, 10)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(1, 80), min_size=2, max_size=40),
    st.lists(st.integers(1, 80), min_size=2, max_size=40),
    st.data(),
)
def test_cuts_always_increase_and_leave_both_sides_non_empty(
    src_lengths: list[int], tgt_lengths: list[int], data: st.DataObject
) -> None:
    def marks(n: int) -> st.SearchStrategy[list[int]]:
        return st.lists(st.integers(0, n - 1), unique=True, max_size=6).map(sorted)

    src_h = data.draw(marks(len(src_lengths)))
    tgt_h = data.draw(marks(len(tgt_lengths)))
    src = Structure(tuple(src_lengths), headings=tuple((i, 1) for i in src_h))
    tgt = Structure(tuple(tgt_lengths), headings=tuple((j, 1) for j in tgt_h))
    cuts = match_structure(src, tgt)
    points = [(0, 0), *cuts, (len(src_lengths), len(tgt_lengths))]
    for (i0, j0), (i1, j1) in itertools.pairwise(points):
        assert i1 > i0 and j1 > j0
