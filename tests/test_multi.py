"""Merging several translations' alignments on the original's sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.multi import MergedRow, MultiAlignment, merge, paragraph_starts
from aligner.types import Alignment, Bead


def alignment(
    src: tuple[str, ...], shapes: list[tuple[int, int]], lang: str = "en", conf: float = 0.9
) -> Alignment:
    """An alignment of ``src`` built from bead shapes (a source, b target sentences)."""
    beads, i, j = [], 0, 0
    for a, b in shapes:
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), conf))
        i, j = i + a, j + b
    tgt = tuple(f"{lang}{k}" for k in range(j))
    return Alignment(src, tgt, tuple(beads), "fr", lang)


SRC4 = ("s0", "s1", "s2", "s3")


def test_one_translation_gives_its_beads() -> None:
    a = alignment(SRC4, [(1, 1), (0, 1), (0, 1), (2, 1), (1, 0), (0, 2)])
    rows = merge([a]).rows
    assert [(r.src, r.tgt[0]) for r in rows] == [(b.src, b.tgt) for b in a.beads]


def test_different_groupings_merge_to_the_union_of_spans() -> None:
    en = alignment(SRC4, [(2, 1), (1, 1), (1, 1)], "en")
    ru = alignment(SRC4, [(1, 1), (2, 2), (1, 1)], "ru")
    rows = merge([en, ru]).rows
    assert [r.src for r in rows] == [(0, 1, 2), (3,)]
    assert rows[0].tgt == ((0, 1), (0, 1, 2))


def test_insertion_between_rows_gets_its_own_row() -> None:
    en = alignment(SRC4, [(1, 1), (0, 1), (3, 3)], "en")
    ru = alignment(SRC4, [(1, 1), (3, 1)], "ru")
    rows = merge([en, ru]).rows
    assert [r.src for r in rows] == [(0,), (), (1, 2, 3)]
    assert rows[1].tgt == ((1,), ())
    assert rows[1].confidence == (0.9, None)


def test_insertion_inside_another_translations_bead_joins_the_row() -> None:
    en = alignment(SRC4, [(1, 1), (0, 1), (3, 3)], "en")
    ru = alignment(SRC4, [(2, 1), (2, 1)], "ru")
    rows = merge([en, ru]).rows
    assert [r.src for r in rows] == [(0, 1, 2, 3)]
    assert rows[0].tgt == ((0, 1, 2, 3, 4), (0, 1))


def test_insertions_at_one_place_pair_up_in_order() -> None:
    en = alignment(SRC4, [(2, 2), (0, 1), (0, 1), (2, 2)], "en")
    ru = alignment(SRC4, [(2, 2), (0, 1), (2, 2)], "ru")
    rows = merge([en, ru]).rows
    assert [r.tgt for r in rows] == [
        ((0, 1), (0, 1)),
        ((2,), (2,)),
        ((3,), ()),
        ((4, 5), (3, 4)),
    ]


def test_row_confidence_is_the_lowest_bead() -> None:
    en = alignment(SRC4, [(1, 1), (1, 1), (2, 2)], "en", conf=0.9)
    low = Alignment(en.src, en.tgt, (en.beads[0], Bead((1,), (1,), 0.2), en.beads[2]), "fr", "ru")
    rows = merge([en, alignment(SRC4, [(2, 2), (2, 2)], "ru", conf=0.7)]).rows
    assert rows[0].confidence == (0.9, 0.7)
    rows = merge([low, alignment(SRC4, [(2, 2), (2, 2)], "ru", conf=0.7)]).rows
    assert rows[0].confidence == (0.2, 0.7) and rows[0].min_confidence == 0.2


def test_refuses_different_originals_and_nothing() -> None:
    with pytest.raises(ValueError, match="different original"):
        merge([alignment(SRC4, [(4, 1)]), alignment(("x",), [(1, 1)])])
    with pytest.raises(ValueError):
        merge([])


def test_rows_are_checked() -> None:
    a = alignment(SRC4, [(4, 1)])
    with pytest.raises(ValueError, match="cover"):
        MultiAlignment((a,), (MergedRow((0, 1), ((0,),), (1.0,)),))
    with pytest.raises(ValueError, match="at least one sentence"):
        MergedRow((), ((),), (None,))


def test_paragraph_starts() -> None:
    assert paragraph_starts((0, 0, 1, 1, 3)) == {0, 2, 4}
    assert paragraph_starts(()) == frozenset()


@st.composite
def shapes_for(draw: st.DrawFn, n_src: int) -> list[tuple[int, int]]:
    """Random bead shapes covering ``n_src`` source sentences (widths 0..3)."""
    shapes: list[tuple[int, int]] = []
    left = n_src
    while left or draw(st.booleans()):
        a = draw(st.integers(0, min(3, left)))
        b = draw(st.integers(0 if a else 1, 3))
        shapes.append((a, b))
        left -= a
        if len(shapes) > 40:
            break
    if left:
        shapes.append((left, 1))
    return shapes


@st.composite
def translations(draw: st.DrawFn) -> list[Alignment]:
    n_src = draw(st.integers(0, 12))
    src = tuple(f"s{i}" for i in range(n_src))
    count = draw(st.integers(1, 4))
    out = []
    for t in range(count):
        shapes = draw(shapes_for(n_src))
        if not shapes:
            continue
        conf = draw(st.floats(0, 1))
        out.append(alignment(src, shapes, f"l{t}", conf))
    if not out:
        out.append(alignment(src, [(n_src, 1)] if n_src else [(0, 1)]))
    return out


@settings(max_examples=150, deadline=None)
@given(translations())
def test_every_sentence_of_every_text_once_in_order(alignments: list[Alignment]) -> None:
    multi = merge(alignments)
    src = [i for row in multi.rows for i in row.src]
    assert src == list(range(len(alignments[0].src)))
    for t, a in enumerate(alignments):
        assert [j for row in multi.rows for j in row.tgt[t]] == list(range(len(a.tgt)))
    # Every bead lies inside one row, and rows are as small as the beads allow.
    for a in alignments:
        for bead in a.beads:
            if bead.src:
                holders = [r for r in multi.rows if set(bead.src) & set(r.src)]
                assert len(holders) == 1 and set(bead.src) <= set(holders[0].src)
    for row in multi.rows:
        for i in row.src[1:]:
            # A row goes on past sentence i only when some bead holds both i - 1 and i.
            assert any(i in b.src[1:] for a in alignments for b in a.beads)
    if len(alignments) == 1:
        assert len(multi.rows) == len(alignments[0].beads)
