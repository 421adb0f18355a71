"""Sentence lengths with runs of whitespace squeezed: the substring tests that let clean text
skip the split and join give the lengths the split and join give, and are taken."""

from __future__ import annotations

import pytest

import aligner.features.tokens as tokens


class _Counted(str):
    """A sentence that counts the calls of its ``split``."""

    calls = 0

    def split(self, *args: object, **kwargs: object) -> list[str]:  # type: ignore[override]
        _Counted.calls += 1
        return super().split(*args, **kwargs)  # type: ignore[arg-type]


def _formula(sentences: list[str]) -> list[float]:
    return [float(len(" ".join(s.split()))) for s in sentences]


def test_other_spaces_are_the_whitespace_python_splits_at_but_space_and_line_break() -> None:
    python = {c for c in map(chr, range(0x110000)) if c.isspace()} - {" ", "\n"}
    assert set(tokens.OTHER_SPACES) == python


@pytest.mark.parametrize(
    "sentences",
    [
        ["Au commencement, Dieu créa les cieux.", "", "La terre était informe."],
        ["Deux  espaces.", "Un."],
        [" Au début.", "Un."],
        ["Un.", "À la fin. "],
        ["Un\ttab.", "Deux."],
        ["Un\u00a0: insécable.", "Deux."],
        ["Un\u202f!", "Deux."],
        ["Un\t deux.", "Trois."],
        ["Un.", "Deux\u00a0\u00a0trois."],
        ["Un.\u00a0", "Deux."],
        ["\u3000Un.", "Deux."],
        ["Une ligne\ncoupée.", "Deux."],
        ["Un.", " ", "Trois."],
        ["Вначале сотворил Бог небо и землю.", "Земля же была безвидна\u3000и пуста."],
        [],
    ],
)
def test_squeezed_lengths_are_the_split_and_join_lengths(sentences: list[str]) -> None:
    assert tokens.squeezed_lengths(sentences).tolist() == _formula(sentences)


def test_clean_text_is_not_split_and_untidy_text_is() -> None:
    clean = [_Counted(s) for s in ("Au commencement.", "Dieu créa les cieux et la terre.")]
    _Counted.calls = 0
    assert tokens.squeezed_lengths(clean).tolist() == [16.0, 32.0]
    assert _Counted.calls == 0
    untidy = [_Counted(s) for s in ("Au  commencement.", "Dieu créa.")]
    assert tokens.squeezed_lengths(untidy).tolist() == [16.0, 10.0]
    assert _Counted.calls == 2
