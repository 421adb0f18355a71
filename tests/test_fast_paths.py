"""Round six's fast paths give what the plain paths give, and are taken: each test fails if its
fast path is switched off.

Speed itself is measured in ``benchmarks/`` (``speed.py``, ``profile_stages.py``).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from engine import SOLOMON_SRC, SOLOMON_TGT, diagonal_band, model_of

import aligner.features.tokens as tokens
import aligner.output.writers as writers
import aligner.scoring.cost as cost
from aligner.features.length import LengthModel
from aligner.multi import merge
from aligner.search import search
from aligner.types import Alignment, Bead


def _alignment() -> Alignment:
    """Insertions first and last, a deletion, a 2-1 and 1-2 bead, untidy white space."""
    src = ("Un.", "  Deux\tet\n trois. ", "Quatre.", "Cinq.", "Six.", "Sept.")
    tgt = ("Zero.", "One.", "Two and", "three.", "Four.", "Five  and six.", "Seven.", "Eight.")
    beads = (
        Bead((), (0,), 0.4),
        Bead((0,), (1,), 0.9),
        Bead((1,), (2, 3), 0.7),
        Bead((2,), (), 0.2),
        Bead((3, 4), (4,), 0.6),
        Bead((5,), (5,), 1.0),
        Bead((), (6,), 0.3),
        Bead((), (7,), 0.5),
    )
    return Alignment(src, tgt, beads, "fr", "en")


def test_the_tsv_of_one_alignment_is_written_from_its_beads_as_the_merged_rows_write_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alignment = _alignment()
    expected = {
        (header, cut): writers.write_tsv_rows(merge([alignment]), cut, header=header)
        for header in (False, True)
        for cut in (0.0, 0.5)
    }

    def no_merge(*args: object) -> None:
        raise AssertionError("the one-alignment TSV merged its beads into rows")

    monkeypatch.setattr(writers, "merge", no_merge)
    for (header, cut), text in expected.items():
        assert writers.write_tsv(alignment, cut, header=header) == text
    assert expected[(False, 0.0)].count("\n") == len(alignment.beads)


class _NoFindall:
    """``tokens._WORD`` with ``findall`` refused: the one-pass path for ASCII text must not
    fall back to the pattern sentence by sentence."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(text)

    def findall(self, text: str) -> list[str]:
        raise AssertionError("ASCII text was read with the pattern")


def test_the_words_of_ascii_text_are_read_in_one_pass_as_the_pattern_finds_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sentences = [
        "In the beginning, God's word_play: 3 days\tand 40 nights (or so)!",
        "",
        "  x2y \x0b a-b--c  ",
        "Ends with a space ",
        "[1] Only\x00odd\x1fbytes~",
    ]
    expected = [tokens._WORD.findall(s) for s in sentences]
    joined = tokens._JOIN.join(sentences)
    monkeypatch.setattr(tokens, "_WORD", _NoFindall(tokens._WORD))
    assert tokens._words(sentences, joined) == expected
    assert expected[0][:4] == ["In", "the", "beginning", "God"]


def test_text_that_is_not_ascii_or_holds_line_breaks_takes_the_pattern() -> None:
    for sentences in (["Créa les cieux.", "Et la terre."], ["one\ntwo", "three"]):
        joined = tokens._JOIN.join(sentences)
        assert tokens._words(sentences, joined) == [tokens._WORD.findall(s) for s in sentences]


SRC, TGT = SOLOMON_SRC, SOLOMON_TGT


def test_the_searchs_coverage_reads_terms_made_once_per_block_and_gives_the_same_sums(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = replace(model_of(SRC, TGT), baseline=0.1)
    band = diagonal_band(model)
    matches = cost.make_matches(model, band)
    coverage = cost._Coverage(model, matches)
    rows = np.repeat(np.arange(band.n_src + 1), band.widths)
    cols = np.concatenate([np.arange(lo, hi + 1) for lo, hi in zip(band.lo, band.hi, strict=True)])
    made: dict[tuple[int, int], set[int]] = {}
    real_terms = cost._SideTerms.terms

    def terms(self: cost._SideTerms, width: int, *rows: int) -> tuple[object, object]:
        out = real_terms(self, width, *rows)
        made.setdefault((id(self), width), set()).add(id(out[1]))
        return out

    monkeypatch.setattr(cost._SideTerms, "terms", terms)
    for a, b in model.config.shapes:
        if not (a and b):
            continue
        # The cells whose bead lies in the band, as the programme asks for them.
        keep = (rows >= a) & (cols >= b) & (cols - b >= band.lo[np.maximum(rows - a, 0)])
        keep &= cols - b <= band.hi[np.maximum(rows - a, 0)]
        i, j = rows[keep], cols[keep]
        expected = matches.coverage(model, i, j, a, b)
        with monkeypatch.context() as patched:
            # The terms must come from the held arrays, not from _add_side's gathers.
            patched.setattr(cost.Matches, "_add_side", lambda *_: pytest.fail("gathered"))
            assert np.array_equal(coverage(i, j, a, b), expected)
    # One array per side and window width (the band is one block), read by all its shapes.
    widest = max(max(s) for s in model.config.shapes)
    assert len(made) == 2 * widest
    assert all(len(arrays) == 1 for arrays in made.values())


def test_the_search_asks_the_held_terms_for_its_coverage(monkeypatch: pytest.MonkeyPatch) -> None:
    model = model_of(SRC, TGT)
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    expected = search(n_src, n_tgt, model.config.shapes, cost.factory(model))
    monkeypatch.setattr(cost.Matches, "coverage", lambda *_: pytest.fail("coverage per call"))
    assert search(n_src, n_tgt, model.config.shapes, cost.factory(model)) == expected


def test_the_length_cost_computed_in_place_is_the_formula_written_out_bit_for_bit() -> None:
    from aligner.features import length as gc

    rng = np.random.default_rng(3)
    l1 = rng.integers(0, 500, 5000).astype(np.float64)
    l2 = rng.integers(0, 500, 5000).astype(np.float64)
    l1[:40] = 0.0
    l2[:20] = 0.0
    model = LengthModel(ratio=0.93, variance=6.3)
    for shape in ((1, 1), (2, 1), (1, 0), (0, 1)):
        mean = (l1 + l2 / model.ratio) / 2
        delta = (l2 - model.ratio * l1) / np.sqrt(model.variance * np.maximum(mean, 1.0))
        x = np.abs(delta / np.sqrt(2.0))
        t = 1.0 / (1.0 + gc._AS_P * x)
        a0, a1, a2, a3, a4 = gc._AS_A
        poly = t * (a0 + t * (a1 + t * (a2 + t * (a3 + t * a4))))
        match = np.where(mean > 0, -(np.log(poly) - x * x), 0.0)
        if 0 in shape:
            match = gc.INDEL_LENGTH_FACTOR * match
        expected = match - np.log(model.prior(shape))
        assert model.cost(shape, l1, l2).tobytes() == expected.tobytes()


def test_a_clean_sentence_is_returned_as_it_is_and_others_are_cleaned_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import aligner.output.hygiene as hygiene

    def cleaned(text: str) -> str:
        return " ".join(hygiene._INVISIBLE_RE.sub("", text).split())

    untidy = ["", " a", "a ", "a  b", "a\tb", "a\u00a0b", "a\x00b", "\ud800", "a\u2028b", "\ufeffa"]
    for text in [*untidy, "Le pas décisif est fait.", "a b", "«Oui»", "x"]:
        assert hygiene.clean_sentence(text) == cleaned(text)
    # Clean text is not run through the pattern at all.
    monkeypatch.setattr(hygiene, "_INVISIBLE_RE", None)
    assert hygiene.clean_sentence("Le pas décisif est fait.") == "Le pas décisif est fait."


def test_cells_spread_over_the_band_are_read_where_they_are_without_holding_a_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = model_of(SRC, TGT)
    n_src = model.texts.src.n
    band = diagonal_band(model)
    matches = cost.make_matches(model, band)
    coverage = cost._Coverage(model, matches)
    # A path's cells: one a row, over every row of the band.
    i = np.arange(2, n_src + 1)
    expected = matches.coverage(model, i, i, 2, 2)
    assert np.array_equal(coverage(i, i, 2, 2), expected)
    assert coverage.src.held == {} and coverage.tgt.held == {}
    # A block's cells (every cell of rows 10-29 whose 2-2 bead lies in the band): held.
    rows = np.repeat(np.arange(band.n_src + 1), band.widths)
    cols = np.concatenate([np.arange(lo, hi + 1) for lo, hi in zip(band.lo, band.hi, strict=True)])
    keep = (rows >= 10) & (rows < 30) & (cols - 2 >= band.lo[rows - 2])
    keep &= cols - 2 <= band.hi[rows - 2]
    i, j = rows[keep], cols[keep]
    expected = matches.coverage(model, i, j, 2, 2)
    assert np.array_equal(coverage(i, j, 2, 2), expected)
    assert set(coverage.src.held) == {2} and set(coverage.tgt.held) == {2}
