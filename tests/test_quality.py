"""Document quality and coverage on real text, the warnings, and the confidence filter."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.pipeline import align
from aligner.quality import (
    LOPSIDED_RATIO,
    NOT_TRANSLATIONS,
    QUALITY_THRESHOLD,
    alignment_warnings,
    filter_beads,
)
from aligner.segmentation.sentences import segment
from aligner.types import Alignment, Bead

ARMISTICE = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"


@pytest.fixture(scope="module")
def fr_en() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The armistice appeal in French and English, 42 sentences each."""
    fr = segment((ARMISTICE / "fr.txt").read_text(encoding="utf-8"), "fr").texts
    en = segment((ARMISTICE / "en.txt").read_text(encoding="utf-8"), "en").texts
    return fr, en


def _align(src: tuple[str, ...], tgt: tuple[str, ...]) -> Alignment:
    return align(src, tgt, src_lang="fr", tgt_lang="en")


def test_a_translation_reads_as_one(fr_en: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
    result = _align(*fr_en)
    assert result.quality >= QUALITY_THRESHOLD
    assert result.coverage == (1.0, 1.0)
    assert alignment_warnings(result) == []


def test_unrelated_halves_do_not(fr_en: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
    fr, en = fr_en
    # The second half of the French against the first half of the English, and the whole text
    # against its translation read backwards: neat beads of the right lengths, wrong meaning.
    for src, tgt in ((fr[21:], en[:21]), (fr, en[::-1])):
        result = _align(src, tgt)
        assert result.quality < QUALITY_THRESHOLD
        assert any(NOT_TRANSLATIONS in w for w in alignment_warnings(result))


def test_partial_translation_keeps_quality_and_shows_coverage(
    fr_en: tuple[tuple[str, ...], tuple[str, ...]],
) -> None:
    fr, en = fr_en
    result = _align(fr[:40], en[:20])
    assert result.quality >= QUALITY_THRESHOLD
    src_coverage, tgt_coverage = result.coverage
    assert src_coverage <= 0.6
    assert tgt_coverage >= 0.9


def _aligned(n_src: int, n_tgt: int, chars: int = 20, confidence: float = 0.9) -> Alignment:
    """Sentence 0 of each side paired, the rest unaligned."""
    src = tuple("x" * chars for _ in range(n_src))
    tgt = tuple("y" * chars for _ in range(n_tgt))
    beads = [Bead((0,), (0,), confidence)]
    beads += [Bead((i,), (), 1.0) for i in range(1, n_src)]
    beads += [Bead((), (j,), 1.0) for j in range(1, n_tgt)]
    return Alignment(src, tgt, tuple(beads), "fr", "en")


def test_lopsided_input_is_named() -> None:
    (line,) = alignment_warnings(_aligned(1, 5000))
    assert line.startswith("lopsided input") and "5,000" in line and "\n" not in line
    assert alignment_warnings(_aligned(10, int(10 * LOPSIDED_RATIO))) == []
    # As many sentences, but one side holds a hundred times the characters.
    long_src = Alignment(("x" * 2000,), ("y" * 20,), (Bead((0,), (0,), 0.9),), "fr", "en")
    assert alignment_warnings(long_src)[0].startswith("lopsided input")


def test_low_quality_warning_is_one_line() -> None:
    (line,) = alignment_warnings(_aligned(3, 3, confidence=0.2))
    assert NOT_TRANSLATIONS in line and "0.20" in line and "\n" not in line


def test_filter_leaves_out_beads_under_the_threshold() -> None:
    a = Alignment(
        ("A.", "B.", "C."),
        ("a.", "b."),
        (Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.4), Bead((2,), (), 0.3)),
        "fr",
        "en",
    )
    kept = filter_beads(a, 0.5)
    assert kept.beads == (a.beads[0],)
    assert (kept.left_out, kept.left_out_sentences) == (2, 3)
    assert filter_beads(a, 0.0).left_out == 0
    assert filter_beads(a, 0.4).beads == a.beads[:2]  # at the threshold is kept


@pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan])
def test_filter_refuses_thresholds_outside_0_1(bad: float) -> None:
    with pytest.raises(ValueError, match="min_confidence"):
        filter_beads(_aligned(2, 2), bad)


@given(
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=30),
    st.floats(0.0, 1.0),
)
def test_filter_partitions_the_beads(confidences: list[float], threshold: float) -> None:
    n = len(confidences)
    beads = tuple(Bead((i,), (i,), c) for i, c in enumerate(confidences))
    a = Alignment(tuple("s" * n), tuple("t" * n), beads, "fr", "en")
    kept = filter_beads(a, threshold)
    assert len(kept.beads) + kept.left_out == n
    assert all(b.confidence >= threshold for b in kept.beads)
    assert list(kept.beads) == [b for b in beads if b in kept.beads]  # order kept
