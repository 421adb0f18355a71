"""Round ten's fast paths give what the plain paths give, and are taken: the tokens' scans for
Roman numerals, digits and punctuation read from code points (``tokens._marks``), the stable
order of the features' keys by radix passes, IBM 1's groups by binary search; and the command
line's process asks numpy for no huge pages.

Speed itself is measured in ``benchmarks/`` (``speed.py``, ``profile_stages.py``).
"""

from __future__ import annotations

import random
import re
import subprocess
import sys

import numpy as np
import pytest

import aligner.features.tokens as tokens

#: Characters that exercise every kind the scans tell: Roman letters, ASCII and other decimal
#: digits (Arabic-Indic and Devanagari in the table, fullwidth past it), every punctuation key,
#: a number that is not a decimal digit (``²``), letters, spaces, a line separator, an emoji.
_ALPHABET = 'aIVXLCiv ?!:()«»“”„"0123456789٣५１²\u2028\t€😀‟é'


def _scanned(pattern: re.Pattern[str], joined: str, starts: np.ndarray) -> list[int]:
    """The sentence of every match of ``pattern`` in the joined sentences: the scan
    ``_marks`` replaces."""
    found = [m.start() for m in pattern.finditer(joined)]
    return (np.searchsorted(starts, np.array(found, np.int64), side="right") - 1).tolist()


def _plain(sentences: list[str]) -> tuple[list[int], list[int], list[int], list[str]]:
    """What ``_raw_keys`` read with the three pattern scans over the joined sentences."""
    lengths = np.array([len(s) for s in sentences], np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths[:-1] + 1)]).astype(np.int64)
    joined = "\n".join(sentences)
    roman = list(dict.fromkeys(_scanned(tokens._ROMAN_HINT, joined, starts)))
    digit = list(dict.fromkeys(_scanned(tokens._DIGIT, joined, starts)))
    marks = [tokens._PUNCT[m] for m in tokens._PUNCT_RE.findall(joined)]
    return roman, digit, _scanned(tokens._PUNCT_RE, joined, starts), marks


def _texts() -> list[list[str]]:
    rnd = random.Random(7)
    made = [
        ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 25))) for _ in range(400)]
        for _ in range(3)
    ]
    return [
        *made,
        ["Chapitre II : « Qui ? »", "", "Verset 1 000,5 (v. 12)!", "XIV", "I", "Ⅻ ٣"],
        ["١٢٣", "x\ud800y"],  # digits past ASCII only; a lone surrogate
        [""],
    ]


@pytest.mark.parametrize("sentences", _texts())
def test_the_code_point_scans_find_what_the_patterns_find(sentences: list[str]) -> None:
    lengths = np.array([len(s) for s in sentences], np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths[:-1] + 1)]).astype(np.int64)
    found = tokens._marks("\n".join(sentences), starts)
    assert found == _plain(sentences)


def test_the_sample_texts_hold_every_kind_the_scans_tell() -> None:
    """The comparison above is not vacuous: the texts hold candidates of every kind."""
    roman, digit, rows, _ = _plain(_texts()[0])
    assert roman and digit and rows
    assert _plain(_texts()[4])[1] == [0]  # only non-ASCII digits there


def test_the_tokens_are_read_through_the_code_point_scans(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = ["Chapitre II : « Qui ? »", "Verset 12 !"]
    before = tokens._raw_keys(sentences)
    assert "#2" in before[1] and "#12" in before[1] and '"' in before[1]

    def scanned_by_pattern(*args: object) -> None:
        raise AssertionError("the tokens were not read through _marks")

    monkeypatch.setattr(tokens, "_marks", scanned_by_pattern)
    with pytest.raises(AssertionError, match="_marks"):
        tokens._raw_keys(sentences)


HUGE_PAGES = """
import sys
try:
    from numpy._core.multiarray import _set_madvise_hugepage
except ImportError:  # numpy 1
    from numpy.core.multiarray import _set_madvise_hugepage
if sys.argv[1] == "keep":
    from aligner.allocator import keep_freed_memory
    keep_freed_memory()
print(_set_madvise_hugepage(True))  # the setting it had
"""


def test_the_command_lines_allocator_setting_turns_numpys_huge_page_advice_off() -> None:
    """Round ten: the command line's process asks numpy for no huge pages (the kernel's
    compaction at first touch cost more system time than the pages saved)."""

    def advised(mode: str) -> str:
        run = [sys.executable, "-c", HUGE_PAGES, mode]
        return subprocess.run(run, capture_output=True, text=True, check=True).stdout.strip()

    assert advised("default") == "True"
    assert advised("keep") == "False"


@pytest.mark.parametrize("high", [50, 60_000, 3_000_000_000, 1 << 40])
def test_the_stable_order_by_radix_passes_is_numpys_stable_argsort(high: int) -> None:
    rng = np.random.default_rng(high % 97)
    values = np.sort(rng.integers(0, high, 5_000))  # sorted runs with repeats, as keys come
    values = np.concatenate([values[2_000:], values[:3_000], values[:50]])
    assert np.array_equal(tokens.stable_order(values), np.argsort(values, kind="stable"))
    negative = values - high // 2
    assert np.array_equal(tokens.stable_order(negative), np.argsort(negative, kind="stable"))
    assert tokens.stable_order(np.zeros(0, np.int64)).size == 0


def _plain_ibm1(
    bead: np.ndarray, given: np.ndarray, produced: np.ndarray, n_given: int, iterations: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IBM Model 1 as it read before round ten: every link's group and pair by ``np.unique``."""
    null = n_given
    width = int(produced.max()) + 1
    groups = np.unique(bead * width + produced)
    all_bead = np.concatenate([bead, groups // width])
    all_given = np.concatenate([given, np.full(groups.size, null)])
    all_prod = np.concatenate([produced, groups % width])
    uniq, pair_id = np.unique(all_given * width + all_prod, return_inverse=True)
    _, group_id = np.unique(all_bead * width + all_prod, return_inverse=True)
    u_given = uniq // width
    prob = np.ones(uniq.size, np.float64)
    for _ in range(iterations):
        p = prob[pair_id]
        denom = np.bincount(group_id, weights=p)
        post = p / denom[group_id]
        counts = np.bincount(pair_id, weights=post, minlength=uniq.size)
        totals = np.bincount(u_given, weights=counts, minlength=n_given + 1)
        prob = counts / totals[u_given]
    real = u_given != null
    return u_given[real], (uniq % width)[real], prob[real]


@pytest.mark.parametrize("seed", range(3))
def test_ibm1_with_groups_by_binary_search_is_the_plain_model_bit_for_bit(seed: int) -> None:
    from aligner.features.ibm1 import ibm1

    rng = np.random.default_rng(seed)
    links = []
    for b in range(300):  # the links of a bead: every given word with every produced word
        src = np.unique(rng.integers(0, 400, rng.integers(1, 8)))
        tgt = np.unique(rng.integers(0, 300, rng.integers(1, 8)))
        links += [(b, s, t) for s in src for t in tgt]
    bead, given, produced = (np.array(c, np.int64) for c in zip(*links, strict=True))
    got = ibm1(bead, given, produced, 400, 5)
    want = _plain_ibm1(bead, given, produced, 400, 5)
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g, w)
    assert got[2].size > 1000 and np.unique(got[2]).size > 100


class _NoFindall:
    """``_WORD`` whose ``findall`` may not be called (the one-pass path must be taken)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def findall(self, text: str) -> list[str]:
        raise AssertionError("the words were found sentence by sentence")

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(text)


@pytest.mark.parametrize(
    "sentences", [*_texts(), ["Créa les cieux", "漢字かな交じり文", "Ωμέγα ½ x²"]]
)
def test_the_words_of_text_that_is_not_ascii_are_read_from_code_points_as_the_pattern_finds_them(
    sentences: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = [tokens._WORD.findall(s) for s in sentences]
    joined = tokens._JOIN.join(sentences)
    if not joined.isascii():
        monkeypatch.setattr(tokens, "_WORD", _NoFindall(tokens._WORD))
    assert tokens._words(sentences, joined) == expected
    assert tokens._words(sentences, joined, tokens._code_points(joined)) == expected


@pytest.mark.parametrize("seed", range(3))
def test_the_join_with_values_of_every_size_equals_brute_force(seed: int) -> None:
    """The runs of columns (``matching._add_windows``, raised in place by the hits before
    their owner) with a table whose values differ pair by pair: a run must take the best
    value of the hits it covers, not of one more or one fewer (round ten)."""
    from test_join_search import assert_join_is_brute_force, narrow_band, sides

    from aligner.features.lexicon import Table

    src, tgt = sides(seed)
    rng = np.random.default_rng(seed)
    pairs = rng.integers(0, [len(src.vocab), len(tgt.vocab)], (400, 2))
    table = Table.build(pairs[:, 0], pairs[:, 1], rng.uniform(0.05, 1.0, 400))
    assert assert_join_is_brute_force(src, tgt, table, narrow_band()) > 50
