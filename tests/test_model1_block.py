"""Model 1 of a boundary's beads found at once (aligner.scoring.model1_block): the scorer's
numbers up to the last bits, and the refinement's choices unchanged."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from engine import VOCAB_SRC, VOCAB_TGT, drawn_path, model_of, sentences
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.scoring import model1_block
from aligner.scoring.model1_block import BlockModel1, decided_gain
from aligner.scoring.refine import Scorer, refine

Span = tuple[int, int, int, int]


def _spans(n_s: int, n_t: int) -> list[Span]:
    return [
        (i0, i1, j0, j1)
        for i0 in range(n_s + 1)
        for i1 in range(i0, n_s + 1)
        for j0 in range(n_t + 1)
        for j1 in range(j0, n_t + 1)
    ]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(sentences(VOCAB_SRC), min_size=1, max_size=4),
    st.lists(sentences(VOCAB_TGT), min_size=1, max_size=4),
)
def test_every_beads_model1_in_a_block_is_the_scorers_up_to_the_last_bits(
    src: list[str], tgt: list[str]
) -> None:
    # Words repeated within and across sentences, null beads, every range of either side.
    model = model_of(src, tgt)
    scorer = Scorer(model, src=src, tgt=tgt)
    block = BlockModel1(scorer, (0, len(src), 0, len(tgt)))
    for span in _spans(len(src), len(tgt)):
        exact, found = scorer.model1(span), block.model1(span)
        # Far inside the margin the test's sign is taken with.
        assert math.isclose(found, exact, rel_tol=1e-12, abs_tol=1e-10), span


def test_a_block_inside_the_text_reads_its_own_sentences() -> None:
    src = ["Kathmandu Lhotse.", "Annapurna expedition.", "Makalu summit.", "glacier."]
    tgt = ["Kathmandou Lhotse.", "Annapurna expedition.", "Makalou sommet.", "glacier."]
    scorer = Scorer(model_of(src, tgt), src=src, tgt=tgt)
    block = BlockModel1(scorer, (1, 3, 1, 4))
    for i0, i1, j0, j1 in _spans(2, 3):
        span = (i0 + 1, i1 + 1, j0 + 1, j1 + 1)
        assert math.isclose(block.model1(span), scorer.model1(span), rel_tol=1e-12)


def test_a_ratio_near_zero_is_left_to_the_exact_sum() -> None:
    src = ["Kathmandu Lhotse.", "Annapurna expedition."]
    tgt = ["Kathmandou Lhotse.", "Annapurna expedition."]
    scorer = Scorer(model_of(src, tgt), src=src, tgt=tgt)
    asked: list[tuple[Sequence[Span], Sequence[Span]]] = []

    def exact(old: Sequence[Span], new: Sequence[Span]) -> float:
        asked.append((old, new))
        return 42.0

    gain = decided_gain(scorer, (0, 2, 0, 2), exact, None)
    kept = ((0, 1, 0, 1), (1, 2, 1, 2))
    # The same beads: a ratio of zero, whose sign the block's sums cannot tell.
    assert gain(kept, kept) == 42.0 and asked == [(kept, kept)]
    # Two verse pairs merged: far from zero, taken from the block, as the exact ratio's sign.
    merged = gain(kept, ((0, 2, 0, 2),))
    assert len(asked) == 1
    assert (merged > 0) == (scorer.cut_gain(kept, ((0, 2, 0, 2),)) > 0)
    assert abs(merged - scorer.cut_gain(kept, ((0, 2, 0, 2),))) < 1e-9


def test_the_margin_is_relative_to_the_sums_and_above_their_rounding() -> None:
    assert 1e-13 < model1_block.MARGIN < 1e-4


SHAPES = [(1, 1), (1, 1), (2, 1), (1, 2), (2, 2), (1, 0), (0, 1)]


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_refine_with_the_blocks_sums_chooses_as_with_the_exact_ones(data: st.DataObject) -> None:
    drawn = drawn_path(data, SHAPES, 7)
    if drawn is None:
        return
    steps, src, tgt = drawn
    model = model_of(src, tgt)
    fast = refine(model, steps, src, tgt)
    assert fast == refine(model, steps, src, tgt, blocks=False)
    assert [s.cost for s in fast] == [s.cost for s in refine(model, steps, src, tgt, blocks=False)]


def test_a_block_over_three_beads_serves_the_next_boundary_and_no_other() -> None:
    src = ["Kathmandu Lhotse.", "Annapurna expedition.", "Makalu summit.", "glacier."]
    tgt = ["Kathmandou Lhotse.", "Annapurna expedition.", "Makalou sommet.", "glacier."]
    scorer = Scorer(model_of(src, tgt), src=src, tgt=tgt)
    blocks = model1_block.Blocks(scorer)
    first = blocks.holding((0, 2, 0, 2), (0, 3, 0, 3))
    # The boundary after: its two beads lie in the block made for the one before.
    assert blocks.holding((1, 3, 1, 3), (1, 4, 1, 4)) is first
    for span in [(1, 2, 1, 3), (2, 3, 1, 2), (1, 3, 2, 3)]:
        assert math.isclose(first.model1(span), scorer.model1(span), rel_tol=1e-12)
    # A boundary reaching past it gets a block of its own.
    assert blocks.holding((2, 4, 2, 4), (2, 4, 2, 4)) is not first


@settings(max_examples=40, deadline=None)
@given(
    st.lists(sentences(VOCAB_SRC), min_size=1, max_size=4),
    st.lists(sentences(VOCAB_TGT), min_size=1, max_size=4),
    st.data(),
)
def test_a_blocks_values_found_at_once_are_the_loops_float_for_float(
    src: list[str], tgt: list[str], data: st.DataObject
) -> None:
    # Words repeated within and across sentences (a target word twice takes its value twice).
    scorer = Scorer(model_of(src, tgt), src=src, tgt=tgt)
    pairs = scorer.pair_values
    assert pairs is not None
    i0 = data.draw(st.integers(0, len(src) - 1))
    j0 = data.draw(st.integers(0, len(tgt) - 1))
    i1 = data.draw(st.integers(i0 + 1, len(src)))
    j1 = data.draw(st.integers(j0 + 1, len(tgt)))
    s_words = [scorer.src_words(k) for k in range(i0, i1)]
    t_words = [scorer.tgt_words(m_) for m_ in range(j0, j1)]
    loop = model1_block._values_by_loop(scorer.translations, s_words, t_words)
    found = pairs.values(
        [s for w in s_words for s, _, _ in w], [t for w in t_words for t, _, _ in w]
    )
    assert found.shape == loop.shape and found.tolist() == loop.tolist()
    # The block made either way holds the same numbers.
    block = BlockModel1(scorer, (i0, i1, j0, j1))
    scorer.__dict__["pair_values"] = None
    by_loop = BlockModel1(scorer, (i0, i1, j0, j1))
    assert (block.fwd, block.back) == (by_loop.fwd, by_loop.back)


def test_a_table_with_two_entries_of_a_pair_is_read_word_by_word() -> None:
    one = np.array([0, 0, 1])
    assert model1_block.PairValues.of(one, np.array([2, 2, 0]), np.ones(3), 2, 3) is None
    assert model1_block.PairValues.of(one, np.array([1, 2, 0]), np.ones(3), 2, 3) is not None


def test_a_runs_words_read_at_once_are_its_sentences_lists() -> None:
    # Empty sentences and repeated words: the tokens, counts and sizes of the sentence lists.
    src = ["", "Kathmandu Kathmandu Lhotse.", "", "7.", "Makalu summit glacier.", ""]
    tgt = ["Kathmandou.", "Lhotse Lhotse.", "sommet."]
    scorer = Scorer(model_of(src, tgt), src=src, tgt=tgt)
    for side, n in ((True, len(src)), (False, len(tgt))):
        words = scorer.src_words if side else scorer.tgt_words
        for k0 in range(n):
            for k1 in range(k0, n + 1):
                got = scorer.live_words(side, k0, k1)
                assert got is not None
                lists = [words(k) for k in range(k0, k1)]
                assert got[0].tolist() == [t for w in lists for t, _, _ in w]
                assert got[1].tolist() == [c for w in lists for _, _, c in w]
                assert got[2] == [len(w) for w in lists]
