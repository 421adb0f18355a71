"""The learned lexicon (aligner.features.lexicon: cooccurrences, ibm1, learned_table) on a
synthetic parallel corpus whose word translations are known."""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass

import numpy as np
import pytest

from aligner.features.ibm1 import (
    IBM1_ITERATIONS,
    MAX_TRANSLATIONS,
    MIN_ASSOCIATION,
    MIN_COOCCURRENCE,
    both_ways,
    cooccurrences,
    ibm1,
)
from aligner.features.lexicon import learned_table
from aligner.features.tokens import Side, build_side

#: Words per side of the synthetic corpus, and its sentence pairs.
VOCABULARY = 12
SENTENCES = 60


def words(prefix: str, n: int) -> list[str]:
    """``n`` distinct pseudo-words of letters only (digits would make number keys)."""
    pairs = itertools.islice(itertools.product(string.ascii_lowercase, repeat=2), n)
    return [prefix + a + b for a, b in pairs]


@dataclass(frozen=True)
class Corpus:
    """Sentence pairs built word for word through a known one-to-one mapping."""

    src: Side
    tgt: Side
    beads: list[tuple[int, int, int, int]]
    translation: dict[str, str]  # source word -> target word


def corpus(seed: int, extra_src: tuple[str, ...] = (), extra_tgt: tuple[str, ...] = ()) -> Corpus:
    """Random sentences of 3-5 source words; each target sentence holds their translations
    in another order. ``extra_*`` are appended as one more, unrelated, sentence pair."""
    rng = np.random.default_rng(seed)
    src_words, tgt_words = words("zor", VOCABULARY), words("mek", VOCABULARY)
    perm = rng.permutation(VOCABULARY)
    translation = {src_words[k]: tgt_words[int(perm[k])] for k in range(VOCABULARY)}
    src, tgt = [], []
    for _ in range(SENTENCES):
        chosen = rng.choice(VOCABULARY, size=int(rng.integers(3, 6)), replace=False)
        src.append(" ".join(src_words[k] for k in chosen) + ".")
        tgt.append(" ".join(translation[src_words[k]] for k in rng.permutation(chosen)) + ".")
    if extra_src or extra_tgt:
        src.append(" ".join(extra_src) + ".")
        tgt.append(" ".join(extra_tgt) + ".")
    beads = [(k, k + 1, k, k + 1) for k in range(len(src))]
    return Corpus(build_side(src), build_side(tgt), beads, translation)


def token(side: Side, word: str) -> int:
    return side.vocab.index(word)


def best_of(given: np.ndarray, produced: np.ndarray, prob: np.ndarray, g: int) -> tuple[int, float]:
    """The most probable word produced by ``g`` and its probability."""
    sel = np.flatnonzero(given == g)
    k = sel[np.argmax(prob[sel])]
    return int(produced[k]), float(prob[k])


SEEDS = [0, 1, 2]


# --- co-occurrences -----------------------------------------------------------------------------


def brute_cooccurrences(c: Corpus) -> set[tuple[int, int, int]]:
    """(bead, source type, target type) for every pair of types in a bead, by loops."""
    out = set()
    for b, (i0, i1, j0, j1) in enumerate(c.beads):
        s_types = {
            int(t)
            for s, t in zip(c.src.occ_sent, c.src.occ_tok, strict=True)
            if i0 <= s < i1 and c.src.df[t] >= MIN_COOCCURRENCE
        }
        t_types = {
            int(t)
            for s, t in zip(c.tgt.occ_sent, c.tgt.occ_tok, strict=True)
            if j0 <= s < j1 and c.tgt.df[t] >= MIN_COOCCURRENCE
        }
        out |= {(b, s, t) for s in s_types for t in t_types}
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_cooccurrences_list_every_type_pair_of_every_bead_once(seed: int) -> None:
    c = corpus(seed)
    co = cooccurrences(c.src, c.tgt, c.beads)
    found = list(zip(co.bead.tolist(), co.src.tolist(), co.tgt.tolist(), strict=True))
    assert len(found) == len(set(found))
    assert set(found) == brute_cooccurrences(c)


def test_cooccurrences_of_wider_beads() -> None:
    c = corpus(0)
    beads = [(k, k + 2, k, k + 2) for k in range(0, SENTENCES, 2)]  # 2-2 beads
    beads[3] = (6, 7, 6, 8)  # and a 1-2 bead, leaving sentence 7 out
    wide = Corpus(c.src, c.tgt, beads, c.translation)
    co = cooccurrences(c.src, c.tgt, beads)
    found = set(zip(co.bead.tolist(), co.src.tolist(), co.tgt.tolist(), strict=True))
    assert found == brute_cooccurrences(wide)


def test_over_the_bound_unmatched_words_go_before_any_bead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A word in every sentence has weight 0 (``tokens.MAX_DF_FRACTION``): the matching never
    reads it. Under the pair bound it is trained on like any word; over the bound it is left
    out, and every bead still trains, where thinning would have dropped some."""
    c = corpus(0)
    src = [" ".join([*s.split(), "zorfun"]) for s in _sentences(c.src)]
    tgt = [" ".join([*t.split(), "mekfun"]) for t in _sentences(c.tgt)]
    s_side, t_side = build_side(src), build_side(tgt)
    s_fun, t_fun = token(s_side, "zorfun"), token(t_side, "mekfun")
    assert s_side.weight[s_fun] == 0 and t_side.weight[t_fun] == 0
    full = cooccurrences(s_side, t_side, c.beads)
    assert s_fun in full.src.tolist() and t_fun in full.tgt.tolist()
    matched = (full.src != s_fun) & (full.tgt != t_fun)
    monkeypatch.setattr("aligner.features.ibm1.MAX_TRAINING_PAIRS", int(matched.sum()))
    bound = cooccurrences(s_side, t_side, c.beads)
    assert s_fun not in bound.src.tolist() and t_fun not in bound.tgt.tolist()
    assert set(bound.bead.tolist()) == set(range(len(c.beads)))
    assert bound.bead.size == int(matched.sum())


def test_over_the_bound_the_beads_of_fewest_pairs_train_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over the pair bound the beads that train are those of fewest pairs (Moore 2002's surest
    beads), as many as fit: none left out holds fewer pairs than one kept."""
    c = corpus(0)
    full = cooccurrences(c.src, c.tgt, c.beads)
    pairs = np.bincount(full.bead, minlength=len(c.beads))
    assert np.unique(pairs).size == 3  # beads of 3 to 5 words a side: 9, 16 or 25 pairs
    bound = full.bead.size // 2
    monkeypatch.setattr("aligner.features.ibm1.MAX_TRAINING_PAIRS", bound)
    kept = np.zeros(len(c.beads), np.bool_)
    kept[cooccurrences(c.src, c.tgt, c.beads).bead] = True
    assert pairs[kept].max() <= pairs[~kept].min()
    assert pairs[kept].sum() <= bound < pairs[kept].sum() + pairs[~kept].min()


def _sentences(side: Side) -> list[str]:
    """The side's sentences again, as words (the corpus keeps only the sides)."""
    out: list[list[str]] = [[] for _ in range(side.n)]
    for s, t in zip(side.occ_sent.tolist(), side.occ_tok.tolist(), strict=True):
        if side.vocab[t].isalpha():
            out[s].append(side.vocab[t])
    return [" ".join(words) + "." for words in out]


# --- IBM Model 1 -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_ibm1_puts_most_probability_on_the_right_translation(seed: int) -> None:
    c = corpus(seed)
    co = cooccurrences(c.src, c.tgt, c.beads)
    given, produced, prob = ibm1(co.bead, co.src, co.tgt, len(c.src.vocab), IBM1_ITERATIONS)
    for s_word, t_word in c.translation.items():
        best, p = best_of(given, produced, prob, token(c.src, s_word))
        assert best == token(c.tgt, t_word), s_word
        assert p > 0.5, (s_word, p)


@pytest.mark.parametrize("seed", SEEDS)
def test_ibm1_learns_the_reverse_direction_too(seed: int) -> None:
    c = corpus(seed)
    co = cooccurrences(c.src, c.tgt, c.beads)
    given, produced, prob = ibm1(co.bead, co.tgt, co.src, len(c.tgt.vocab), IBM1_ITERATIONS)
    for s_word, t_word in c.translation.items():
        best, p = best_of(given, produced, prob, token(c.tgt, t_word))
        assert best == token(c.src, s_word), t_word
        assert p > 0.5, (t_word, p)


def test_ibm1_probabilities_of_each_word_sum_to_one() -> None:
    c = corpus(0)
    co = cooccurrences(c.src, c.tgt, c.beads)
    given, produced, prob = ibm1(co.bead, co.src, co.tgt, len(c.src.vocab), IBM1_ITERATIONS)
    assert np.all((prob >= 0) & (prob <= 1))
    sums = np.bincount(given, weights=prob)
    np.testing.assert_allclose(sums[np.unique(given)], 1.0, rtol=1e-9)
    # One entry per (given, produced) pair, and only pairs that co-occurred.
    pairs = set(zip(given.tolist(), produced.tolist(), strict=True))
    assert len(pairs) == given.size
    assert pairs <= set(zip(co.src.tolist(), co.tgt.tolist(), strict=True))


def test_more_iterations_sharpen_the_right_translation() -> None:
    c = corpus(1)
    co = cooccurrences(c.src, c.tgt, c.beads)
    right = [(token(c.src, s), token(c.tgt, t)) for s, t in c.translation.items()]

    def mass(iterations: int) -> float:
        g, p, pr = ibm1(co.bead, co.src, co.tgt, len(c.src.vocab), iterations)
        lookup = dict(zip(zip(g.tolist(), p.tolist(), strict=True), pr.tolist(), strict=True))
        return float(sum(lookup[pair] for pair in right))

    masses = [mass(k) for k in (1, 2, 5, 10)]
    assert all(a < b for a, b in itertools.pairwise(masses)), masses


@pytest.mark.parametrize("seed", SEEDS)
def test_both_directions_on_their_shared_pairs_are_each_direction_bit_for_bit(seed: int) -> None:
    c = corpus(seed)
    co = cooccurrences(c.src, c.tgt, c.beads)
    n_s, n_t = len(c.src.vocab), len(c.tgt.vocab)
    s, t, forward, backward, count = both_ways(co, n_s, n_t, IBM1_ITERATIONS)
    given, produced, prob = ibm1(co.bead, co.src, co.tgt, n_s, IBM1_ITERATIONS)
    assert np.array_equal(given, s) and np.array_equal(produced, t)
    assert np.array_equal(prob, forward)
    given, produced, prob = ibm1(co.bead, co.tgt, co.src, n_t, IBM1_ITERATIONS)
    order = np.lexsort((given, produced))  # by source word, then target word
    assert np.array_equal(produced[order], s) and np.array_equal(given[order], t)
    assert np.array_equal(prob[order], backward)
    beads = {(a, b): set() for a, b in zip(s.tolist(), t.tolist(), strict=True)}
    for b, a, x in zip(co.bead.tolist(), co.src.tolist(), co.tgt.tolist(), strict=True):
        beads[a, x].add(b)
    assert count.tolist() == [len(v) for v in beads.values()]


def test_ibm1_of_no_pairs_is_empty() -> None:
    z = np.zeros(0, np.int64)
    given, produced, prob = ibm1(z, z, z, 10, IBM1_ITERATIONS)
    assert given.size == produced.size == prob.size == 0


# --- the learned table ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_learned_table_holds_exactly_the_known_translations(seed: int) -> None:
    c = corpus(seed)
    table = learned_table(c.src, c.tgt, c.beads)
    expected = {(token(c.src, s), token(c.tgt, t)) for s, t in c.translation.items()}
    strongest: dict[int, tuple[float, int]] = {}
    for s, t, v in zip(table.src.tolist(), table.tgt.tolist(), table.val.tolist(), strict=True):
        strongest[s] = max(strongest.get(s, (-1.0, -1)), (v, t))
    assert {(s, t) for s, (_, t) in strongest.items()} == expected
    assert np.all((table.val >= MIN_ASSOCIATION) & (table.val <= 1))
    assert np.all(np.diff(table.src) >= 0)
    assert np.bincount(table.src).max() <= MAX_TRANSLATIONS


def test_learned_pairs_cooccur_at_least_the_minimum_number_of_times() -> None:
    c = corpus(2)
    table = learned_table(c.src, c.tgt, c.beads)
    co = cooccurrences(c.src, c.tgt, c.beads)
    counts: dict[tuple[int, int], int] = {}
    for pair in zip(co.src.tolist(), co.tgt.tolist(), strict=True):
        counts[pair] = counts.get(pair, 0) + 1
    for pair in zip(table.src.tolist(), table.tgt.tolist(), strict=True):
        assert counts[pair] >= MIN_COOCCURRENCE, pair


def test_words_below_the_minimum_cooccurrence_are_left_out() -> None:
    # One more sentence pair, with a word on each side that occurs nowhere else (a perfect
    # pair, seen once) next to a word of the corpus.
    frequent = words("mek", 1)[0]
    c = corpus(0, extra_src=("quoxx", words("zor", 1)[0]), extra_tgt=("plimm", frequent))
    rare_s, rare_t = token(c.src, "quoxx"), token(c.tgt, "plimm")
    assert c.src.df[rare_s] == 1 and c.tgt.df[rare_t] == 1 < MIN_COOCCURRENCE
    co = cooccurrences(c.src, c.tgt, c.beads)
    assert rare_s not in co.src.tolist() and rare_t not in co.tgt.tolist()
    table = learned_table(c.src, c.tgt, c.beads)
    assert rare_s not in table.src.tolist() and rare_t not in table.tgt.tolist()
    assert token(c.tgt, frequent) in table.tgt.tolist()  # the frequent words are still learned


def test_no_beads_give_an_empty_table() -> None:
    c = corpus(0)
    assert len(learned_table(c.src, c.tgt, [])) == 0
    co = cooccurrences(c.src, c.tgt, [])
    assert co.bead.size == co.src.size == co.tgt.size == 0


def test_beads_of_one_side_only_or_of_rare_words_give_an_empty_table() -> None:
    src = build_side(["alpha beta.", "gamma delta.", "epsilon zeta."])
    tgt = build_side(["un deux.", "trois quatre.", "cinq six."])
    beads = [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3)]
    assert len(learned_table(src, tgt, beads)) == 0  # every word seen once
    assert len(learned_table(src, tgt, [(0, 3, 0, 0)])) == 0  # nothing on the target side
