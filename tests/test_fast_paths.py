"""Round six's fast paths give what the plain paths give, and are taken: each test fails if its
fast path is switched off.

Speed itself is measured in ``benchmarks/`` (``speed.py``, ``profile_stages.py``).
"""

from __future__ import annotations

import re

import pytest

import aligner.features.tokens as tokens
import aligner.output.writers as writers
from aligner.multi import merge
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
