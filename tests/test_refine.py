"""The boundary refinement (aligner.scoring.refine): exclusive word links, and a path that keeps
every sentence once, in order."""

from __future__ import annotations

import numpy as np
import pytest
from engine import VOCAB_SRC, VOCAB_TGT, model_of, sentences
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.config import AlignConfig
from aligner.features.length import LengthModel
from aligner.features.lexicon import spelling_table
from aligner.scoring.cost import Model, Texts
from aligner.scoring.refine import (
    Scorer,
    _link_at_once,
    _options,
    _Translations,
    _Words,
    model1_log_likelihood,
    refine,
)
from aligner.search import Step

SRC = [
    "Kathmandu Lhotse Annapurna expedition.",
    "Kathmandu Lhotse Annapurna expedition again.",
    "Dhaulagiri Makalu.",
]
TGT = ["Kathmandou Lhotse Annapurna expedition.", "Dhaulagiri Makalu."]


def test_a_repeated_sentence_earns_no_link_in_a_merged_bead() -> None:
    model = model_of(SRC, TGT)
    bead = (0, 2, 0, 1)  # both source sentences with the one target sentence
    exclusive = Scorer(model, exclusive=True, src=SRC, tgt=TGT).links(bead)
    # Every target word is used once: one source sentence takes all, the other nothing.
    per_sentence = sorted(exclusive.src_mass(k, range(0, 1)) for k in (0, 1))
    assert per_sentence[0] == 0.0 and per_sentence[1] > 0.0
    best = Scorer(model, exclusive=False).links(bead)
    assert min(best.src_mass(k, range(0, 1)) for k in (0, 1)) > 0.0


def test_a_word_written_twice_may_link_twice() -> None:
    src = ["Kathmandu, Kathmandu expedition."]
    tgt = ["Kathmandou expedition.", "Kathmandou."]
    texts = Texts.of(src, tgt, (), ())
    model = Model.of(
        texts,
        LengthModel.estimate(texts.src.lengths, texts.tgt.lengths),
        spelling_table(texts.src, texts.tgt),
        AlignConfig(),
    )
    links = Scorer(model, exclusive=True, src=src, tgt=tgt).links((0, 1, 0, 2))
    assert links.tgt_mass(0, range(1)) > 0.0 and links.tgt_mass(1, range(1)) > 0.0


def test_refine_keeps_every_sentence_once_in_order_and_fixed_boundaries() -> None:
    model = model_of(SRC, TGT)
    steps = (Step(0, 2, 0, 1, 0.0), Step(2, 3, 1, 2, 0.0))
    for fixed in ((), ((2, 1),)):
        out = refine(model, steps, SRC, TGT, fixed=fixed)
        assert [i for s in out for i in range(s.i0, s.i1)] == [0, 1, 2]
        assert [j for s in out for j in range(s.j0, s.j1)] == [0, 1]
        if fixed:
            assert any(s.i1 == 2 and s.j1 == 1 for s in out)


def _steps_model(src: list[str], tgt: list[str]) -> Model:
    texts = Texts.of(src, tgt, (), ())
    return Model.of(
        texts,
        LengthModel.estimate(texts.src.lengths, texts.tgt.lengths),
        spelling_table(texts.src, texts.tgt),
        AlignConfig(),
    )


# Pairs of names after the first three, so that a shared name is rare (chance levels low).
NAMES = ["Zermatt", "Grindelwald", "Chamonix", "Cervinia", "Courmayeur", "Saastal", "Arolla"]
FILLER = [f"{a} {b}." for a, b in zip(NAMES, NAMES[1:] + NAMES[:1], strict=True)]
BLOCKS_SRC = [
    "Kathmandu Lhotse expedition.",
    "Dhaulagiri Makalu summit.",
    "Annapurna glacier.",
    *FILLER,
]
BLOCKS_TGT = [
    "Kathmandou Lhotse expedition.",
    "Dhaulagiri Makalu summit.",
    "Annapurna glacier.",
    *FILLER,
]
MERGED = (
    Step(0, 2, 0, 2, 0.0),
    Step(2, 3, 2, 3, 0.0),
    *(Step(k, k + 1, k, k + 1, 0.0) for k in range(3, len(BLOCKS_SRC))),
)


def test_a_merged_bead_whose_links_fall_into_two_blocks_is_split() -> None:
    model = _steps_model(BLOCKS_SRC, BLOCKS_TGT)
    out = refine(model, MERGED, BLOCKS_SRC, BLOCKS_TGT)
    assert [(s.i0, s.i1, s.j0, s.j1) for s in out][:3] == [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3)]


def test_a_fixed_boundary_keeps_its_beads() -> None:
    model = _steps_model(BLOCKS_SRC, BLOCKS_TGT)
    out = refine(model, MERGED, BLOCKS_SRC, BLOCKS_TGT, fixed=((2, 2),))
    assert [(s.i0, s.i1, s.j0, s.j1) for s in out][:2] == [(0, 2, 0, 2), (2, 3, 2, 3)]


# The first source sentence also says what the second target sentence says (Nuptse).
ACROSS_SRC = ["Kathmandu Lhotse expedition Nuptse.", *BLOCKS_SRC[1:]]
ACROSS_TGT = [BLOCKS_TGT[0], "Dhaulagiri Makalu summit Nuptse.", *BLOCKS_TGT[2:]]


def test_without_model1_a_merged_bead_with_a_sentence_linking_across_stands() -> None:
    model = _steps_model(ACROSS_SRC, ACROSS_TGT)
    out = refine(model, MERGED, ACROSS_SRC, ACROSS_TGT, model1=False)
    assert next((s.i0, s.i1, s.j0, s.j1) for s in out) == (0, 2, 0, 2)


def test_model1_splits_a_bead_held_by_one_word_against_the_rest() -> None:
    # One shared name across the cut against three on each side of it: under Model 1 the two
    # parts explain their words better than the whole, whose every word has twice the
    # positions to come from.
    model = _steps_model(ACROSS_SRC, ACROSS_TGT)
    out = refine(model, MERGED, ACROSS_SRC, ACROSS_TGT)
    assert [(s.i0, s.i1, s.j0, s.j1) for s in out][:2] == [(0, 1, 0, 1), (1, 2, 1, 2)]


def test_model1_keeps_a_bead_whose_words_cross_the_cut() -> None:
    # A clause moved across the sentence boundary: each target sentence holds words of both
    # source sentences, so no cut explains the words better than the whole.
    src = ["Kathmandu Lhotse expedition.", "Dhaulagiri Makalu summit.", *BLOCKS_SRC[2:]]
    tgt = ["Kathmandou Lhotse Makalu.", "Dhaulagiri expedition summit.", *BLOCKS_TGT[2:]]
    model = _steps_model(src, tgt)
    scorer = Scorer(model, src=src, tgt=tgt)
    assert scorer.cut_gain([(0, 2, 0, 2)], [(0, 1, 0, 1), (1, 2, 1, 2)]) < 0
    out = refine(model, MERGED, src, tgt)
    assert next((s.i0, s.i1, s.j0, s.j1) for s in out) == (0, 2, 0, 2)


def test_model1_likelihood_rises_with_a_translation_and_falls_with_an_unrelated_sentence() -> None:
    table = {1: {10: 0.9}, 2: {}}
    word = [(10, 1.0, 1)]
    alone = model1_log_likelihood(word, [(1, 1.0, 1)], lambda s: table[s], 0.01)
    diluted = model1_log_likelihood(word, [(1, 1.0, 1), (2, 1.0, 1)], lambda s: table[s], 0.01)
    unexplained = model1_log_likelihood(word, [(2, 1.0, 1)], lambda s: table[s], 0.01)
    assert unexplained < diluted < alone


def test_the_scorers_model1_is_model1_both_ways() -> None:
    model = _steps_model(ACROSS_SRC, ACROSS_TGT)
    scorer = Scorer(model, src=ACROSS_SRC, tgt=ACROSS_TGT)
    span = (0, 2, 0, 3)
    src = [w for k in range(0, 2) for w in scorer.src_words(k)]
    tgt = [w for m_ in range(0, 3) for w in scorer.tgt_words(m_)]
    pairs = {(s, t): v for s, _, _ in src for t, v in scorer.translations(s).items()}
    forward = model1_log_likelihood(tgt, src, scorer.translations, 1 / len(model.texts.tgt.weight))
    back = model1_log_likelihood(
        src,
        tgt,
        lambda t: {s: v for (s, t_), v in pairs.items() if t_ == t},
        1 / len(model.texts.src.weight),
    )
    assert abs(scorer.model1(span) - (forward + back)) < 1e-9


def test_model1_offers_a_merge_only_where_it_explains_the_words_better() -> None:
    a, b = (0, 1, 0, 2), (1, 2, 2, 3)
    shapes = AlignConfig().shapes

    def never(old: object, new: object) -> float:
        return -1.0

    def always(old: object, new: object) -> float:
        return 1.0

    def no(*args: object) -> bool:
        return False

    merged = ((0, 2, 0, 3),)
    assert merged not in _options(a, b, shapes, no, no, never)
    assert merged in _options(a, b, shapes, no, no, always)
    assert merged in _options(a, b, shapes, no, no, None)


def test_model1_from_memoised_terms_equals_the_plain_sum_exactly() -> None:
    model = _steps_model(ACROSS_SRC, ACROSS_TGT)
    n_s, n_t = len(ACROSS_SRC), len(ACROSS_TGT)
    spans = [
        (i0, i1, j0, j1)
        for i0 in range(n_s)
        for i1 in range(i0, min(n_s, i0 + 3) + 1)
        for j0 in range(n_t)
        for j1 in range(j0, min(n_t, j0 + 3) + 1)
    ]
    memoised = Scorer(model, src=ACROSS_SRC, tgt=ACROSS_TGT)
    plain = Scorer(model, src=ACROSS_SRC, tgt=ACROSS_TGT, memoised=False)
    # The same floats, not merely close ones: the refinement's choices must not move.
    assert [memoised.model1(s) for s in spans] == [plain.model1(s) for s in spans]
    assert memoised._terms and not plain._terms  # the memoised path was the one taken
    # Ranges that differ only by sentences sharing no word with a sentence share its term.
    assert len(memoised._sums) < len(memoised._terms)


def test_a_boundary_with_nothing_else_offered_reads_no_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The split's parts link to each other (a clause moved across), so the merged bead is kept
    # without its costs being read.
    src = ["Kathmandu Lhotse expedition.", "Dhaulagiri Makalu summit.", *BLOCKS_SRC[2:]]
    tgt = ["Kathmandou Lhotse Makalu.", "Dhaulagiri expedition summit.", *BLOCKS_TGT[2:]]
    model = _steps_model(src, tgt)

    def unread(self: Scorer, span: object) -> float:
        raise AssertionError(f"cost of {span} read")

    monkeypatch.setattr(Scorer, "cost", unread)
    # The moved-clause splits left out: the words linking across stand inside the sentences.
    out = refine(model, MERGED, src, tgt, moved=False)
    assert [(s.i0, s.i1, s.j0, s.j1) for s in out] == [(s.i0, s.i1, s.j0, s.j1) for s in MERGED]


def test_exclusive_links_found_by_intersection_equal_the_plain_loop() -> None:
    model = _steps_model(ACROSS_SRC, ACROSS_TGT)
    spans = [(0, 2, 0, 2), (0, 3, 0, 2), (0, 2, 0, 3), (1, 3, 1, 3), (0, 1, 0, 1)]
    fast = Scorer(model, src=ACROSS_SRC, tgt=ACROSS_TGT)
    plain = Scorer(model, src=ACROSS_SRC, tgt=ACROSS_TGT, memoised=False)
    # The fast path only intersects a word's translations with the bead's words, and its
    # exclusive pass keys occurrences by numbers (the plain pass is never called).
    fast.translations = _Unlooped(model)

    def plain_pass(span: object) -> object:
        raise AssertionError("the plain link pass ran")

    fast._link = plain_pass  # type: ignore[assignment,method-assign]
    assert [fast.links(s) for s in spans] == [plain.links(s) for s in spans]


class _NoLoop(dict[int, float]):
    """A word's translations that may be intersected and read, never looped over."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("looped over every translation of a word")

    def items(self):  # type: ignore[no-untyped-def]
        raise AssertionError("looped over every translation of a word")


class _Unlooped(_Translations):
    def __missing__(self, s: int) -> dict[int, float]:
        got = _NoLoop(super().__missing__(s))
        self[s] = got
        return got


def test_sentence_pairs_found_by_intersection_equal_the_plain_loop() -> None:
    # What each sentence gives each word of the other (Model 1's terms): the same arrays.
    model = _steps_model(ACROSS_SRC, ACROSS_TGT)
    fast = Scorer(model, src=ACROSS_SRC, tgt=ACROSS_TGT)
    plain = Scorer(model, src=ACROSS_SRC, tgt=ACROSS_TGT, memoised=False)
    fast.translations = _Unlooped(model)
    pairs = [(k, m_) for k in range(len(ACROSS_SRC)) for m_ in range(len(ACROSS_TGT))]
    found = 0
    for k, m_ in pairs:
        got, want = fast._pair(k, m_), plain._pair(k, m_)
        assert (got is None) == (want is None)
        if got is not None and want is not None:
            found += 1
            assert got[0].tolist() == want[0].tolist() and got[1].tolist() == want[1].tolist()
    assert found  # some sentence pairs share translations


def test_a_sentences_informative_words_picked_by_numpy_equal_the_loop() -> None:
    model = _steps_model(ACROSS_SRC, ACROSS_TGT)
    side = model.texts.src
    assert side.occ_count is not None  # counted with the tokens: the numpy path
    words = _Words(side, ())
    for k in range(side.n):
        a, b = int(words.starts[k]), int(words.starts[k + 1])
        toks = side.occ_tok[a:b].tolist()
        want = [
            (t, float(side.weight[t]), max(1, int(c)))
            for t, c in zip(toks, side.occ_count[a:b].tolist(), strict=True)
            if side.weight[t] > 0
        ]
        assert words(k) == want
        assert all(type(t) is int and type(w) is float and type(c) is int for t, w, c in want)


def test_exclusive_links_where_words_compete_equal_the_plain_loop() -> None:
    # Two source sentences repeat the target's words and a word is written twice: which
    # occurrence takes a word (the strongest link, ties to the diagonal) decides the links.
    src = [*SRC, "Kathmandu, Kathmandu expedition."]
    tgt = [*TGT, "Kathmandou expedition.", "Kathmandou."]
    model = model_of(src, tgt)
    spans = [(0, 2, 0, 1), (0, 3, 0, 2), (1, 4, 0, 3), (3, 4, 2, 4), (0, 4, 0, 4)]
    fast = Scorer(model, src=src, tgt=tgt)
    plain = Scorer(model, src=src, tgt=tgt, memoised=False)
    assert [fast.links(s) for s in spans] == [plain.links(s) for s in spans]


def test_translations_found_by_their_starts_equal_a_search_per_word() -> None:
    model = _steps_model(ACROSS_SRC, ACROSS_TGT)
    table = model.table
    fast = _Translations(model)
    for s in range(len(model.texts.src.weight)):
        a, b = (int(x) for x in np.searchsorted(table.src, [s, s + 1]))
        assert fast[s] == dict(zip(table.tgt[a:b].tolist(), table.val[a:b].tolist(), strict=True))
    assert fast.starts  # the starts were found at once


@settings(max_examples=25, deadline=None)
@given(
    st.lists(sentences(VOCAB_SRC, 5), min_size=2, max_size=5),
    st.lists(sentences(VOCAB_TGT, 5), min_size=2, max_size=5),
)
def test_exclusive_links_of_random_beads_equal_the_plain_loop(
    src: list[str], tgt: list[str]
) -> None:
    # Words repeated within a sentence (written twice: linked up to twice) and across sentences
    # (competing for a link): the fast pass's candidates carry their occurrence counts.
    model = model_of(src, tgt)
    spans = [
        (i0, i1, j0, j1)
        for i0 in range(len(src))
        for i1 in range(i0 + 1, min(len(src), i0 + 3) + 1)
        for j0 in range(len(tgt))
        for j1 in range(j0 + 1, min(len(tgt), j0 + 3) + 1)
    ]
    plain = Scorer(model, src=src, tgt=tgt, memoised=False)
    fast = Scorer(model, src=src, tgt=tgt)
    assert [fast.links(s) for s in spans] == [plain.links(s) for s in spans]


def test_the_links_found_at_once_before_a_reading_are_the_scorers_one_by_one() -> None:
    # Beads of every shape over sentences that repeat words: the batch's links kept in the memo
    # are those the scorer finds bead by bead; a 1-1 bead is left to be linked when asked.
    src, tgt = [*ACROSS_SRC, *SRC], [*ACROSS_TGT, *TGT]
    model = _steps_model(src, tgt)
    spans = [(0, 2, 0, 1), (2, 3, 1, 3), (3, 4, 3, 4), (4, 6, 4, 5), (6, len(src), 5, len(tgt))]
    few = Scorer(model, src=src, tgt=tgt)
    _link_at_once(few, spans, set())
    assert not few._links  # fewer beads than a batch's block: left to be linked when asked
    batched = Scorer(model, src=src, tgt=tgt)
    _link_at_once(batched, spans, set(), least=1)
    found = dict(batched._links)
    assert (3, 4, 3, 4) not in found and set(found) >= {(0, 2, 0, 1), (2, 3, 1, 3)}
    one = Scorer(model, src=src, tgt=tgt)
    assert any(found[span].src for span in found)
    for span, links in found.items():
        assert links == one.links(span), span
    # A boundary kept as it is is not read: its beads are not linked for it.
    kept = Scorer(model, src=src, tgt=tgt)
    _link_at_once(kept, spans[:2], {(2, 1)}, least=1)
    assert not kept._links
