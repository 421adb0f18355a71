"""A text that repeats itself is weighed and anchored as its distinct content is.

Rarity (:func:`aligner.features.tokens.rarity_weights`), anchors
(:func:`aligner.features.anchors.candidate_pairs`) and recurring words
(:mod:`aligner.features.repeats`) count a sentence repeated verbatim once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from aligner.config import AlignConfig
from aligner.features.anchors import candidate_pairs, find_anchors
from aligner.features.repeats import repeat_table
from aligner.features.tokens import MAX_DF, build_side, first_copies
from aligner.pipeline import _prepare
from aligner.segmentation.sentences import segment

ARMISTICE = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"


def _sentences(lang: str) -> tuple[str, ...]:
    return segment((ARMISTICE / f"{lang}.txt").read_text(encoding="utf-8"), lang).texts


def test_first_copies_points_each_repeat_at_its_first_sentence() -> None:
    copies = first_copies(["a", "b", "a", "c", "b", "a"])
    assert copies is not None
    assert copies.tolist() == [0, 1, 0, 3, 1, 0]
    # Nothing repeats: nothing to tell (every sentence is distinct).
    assert first_copies(["a", "b", "c"]) is None


def test_a_word_common_in_one_copy_keeps_its_weight_in_many() -> None:
    # 600 distinct sentences, "often" in half of them: under the cut-off of one copy (at most
    # MAX_DF and half the sentences), so it weighs; given twice over it is in 600 sentences,
    # over MAX_DF, yet the repetition says nothing new about where the word is rare.
    one = [f"often word{k} here" if k % 2 else f"seldom word{k} there" for k in range(600)]
    assert 300 <= MAX_DF < 600
    single, twice = build_side(one), build_side(one * 2)
    often = single.vocab.index("often")
    assert single.weight[often] > 0
    assert twice.vocab == single.vocab
    np.testing.assert_array_equal(twice.weight, single.weight)
    np.testing.assert_array_equal(twice.mass, np.tile(single.mass, 2))
    # The raw counts still count every sentence (chance levels read them as shares).
    assert twice.df[often] == 2 * single.df[often]
    assert twice.distinct_df[often] == single.df[often]
    assert (twice.distinct_n, twice.n) == (600, 1200)


def test_a_refrain_does_not_make_its_words_common() -> None:
    # "amen" ends every other verse as a sentence of its own: one distinct sentence.
    verses = [f"verse {k} of the song" for k in range(40)]
    text = [s for v in verses for s in (v, "Amen !")]
    side = build_side(text)
    amen = side.vocab.index("amen")
    assert side.df[amen] == 40
    assert side.distinct_df[amen] == 1
    assert side.weight[amen] == np.log1p(41)  # 41 distinct sentences, one holds it


def test_a_repeated_rare_key_pairs_occurrence_by_occurrence() -> None:
    src = [["alpha"], ["beta"], ["gamma"]] * 3
    tgt = [["alpha"], ["beta"], ["gamma"]] * 3
    copies = [0, 1, 2] * 3
    pairs = candidate_pairs(src, tgt, src_copy_of=copies, tgt_copy_of=copies)
    assert pairs == {(i, i): 1.0 for i in range(9)}
    # Counted sentence by sentence, each key is in three sentences, too common to anchor.
    assert candidate_pairs(src, tgt) == {}


def test_a_repeated_key_with_different_counts_is_ambiguous() -> None:
    # The target repeats its sentence once more than the source: which pairs with which?
    src, tgt = [["alpha"], ["alpha"], ["beta"]], [["alpha"], ["alpha"], ["alpha"], ["beta"]]
    pairs = candidate_pairs(src, tgt, src_copy_of=[0, 0, 2], tgt_copy_of=[0, 0, 0, 3])
    assert pairs == {(2, 3): 1.0}


def test_a_key_in_three_distinct_sentences_is_common_however_repeated() -> None:
    src = [["alpha", "a"], ["alpha", "b"], ["alpha", "c"]] * 2
    copies = [0, 1, 2] * 2
    pairs = candidate_pairs(src, src, src_copy_of=copies, tgt_copy_of=copies)
    assert set(pairs) == {(i, i) for i in range(6)}  # the letters', not "alpha"
    assert all(w == 1.0 for w in pairs.values())


def test_a_book_given_three_times_anchors_as_one_copy_three_times() -> None:
    fr, en = _sentences("fr"), _sentences("en")
    cfg = AlignConfig()
    one = _prepare(fr, en, "fr", "en", (), (), cfg).anchors
    three = _prepare(fr * 3, en * 3, "fr", "en", (), (), cfg).anchors
    assert len(one) >= 5
    shifted = [(i + k * len(fr), j + k * len(en)) for k in range(3) for i, j in one]
    assert three == shifted


def test_find_anchors_of_a_repeated_key_list() -> None:
    keys = [[f"k{i}"] for i in range(30)]
    copies = list(range(30)) * 3
    anchors = find_anchors(keys * 3, keys * 3, src_copy_of=copies, tgt_copy_of=copies)
    assert anchors == [(i, i) for i in range(90)]


def test_recurring_words_of_a_text_given_twice_are_those_of_one_copy() -> None:
    fr, en = _sentences("fr"), _sentences("en")
    assert len(fr) == len(en)

    def table(k: int) -> set[tuple[str, str, float]]:
        s, t = build_side(fr * k), build_side(en * k)
        at = np.arange(s.n, dtype=np.int64)
        found = repeat_table(s, t, at, at)
        return {
            (s.vocab[a], t.vocab[b], v)
            for a, b, v in zip(found.src, found.tgt, found.val, strict=True)
        }

    one = table(1)
    assert ("armistice", "armistice") in {(a, b) for a, b, _ in one}
    assert table(2) == one


def test_repeated_sentences_without_tokens() -> None:
    side = build_side(["", "", "Amen .", "", "Amen ."])
    assert side.distinct_n == 2
    assert side.distinct_df.tolist() == [1]
    assert side.weight.tolist() == [np.log1p(2)]
