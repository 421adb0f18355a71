"""Language detection: script first, then frequent words for French, English and German."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.errors import UsageError
from aligner.segmentation.detect import Detection, detect_language

TEXTS = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"


@pytest.mark.parametrize("lang", ["fr", "en", "ru"])
def test_bundled_texts(lang: str) -> None:
    found = detect_language((TEXTS / f"{lang}.txt").read_text(encoding="utf-8"))
    assert found.code == lang
    assert found.confidence > 0.9


@pytest.mark.parametrize(
    ("text", "code", "method"),
    [
        (
            "Der Bundesrat hat die Vorlage an die Kommission zurückgewiesen, weil sie nicht",
            "de",
            "frequent words",
        ),
        (
            "Il était une fois une petite fille qui vivait dans les bois avec sa mère.",
            "fr",
            "frequent words",
        ),
        (
            "It was the best of times, it was the worst of times, and we had nothing.",
            "en",
            "frequent words",
        ),
        ("Мы, Совет Народных Комиссаров, обращаемся к народам.", "ru", "script"),
        ("Ми, Рада Народних Комісарів, звертаємося до їхніх народів і урядів.", "uk", "script"),
        ("Ο πόλεμος τελείωσε και η ειρήνη ήρθε στους λαούς.", "el", "script"),
    ],
)
def test_languages(text: str, code: str, method: str) -> None:
    found = detect_language(text)
    assert (found.code, found.method) == (code, method)


def test_unpacks_as_code_and_confidence() -> None:
    code, confidence = detect_language("Nous proposons la paix à tous les peuples du monde.")
    assert code == "fr" and 0.5 < float(confidence) <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12345 67890 !!!",
        "Xyzzy plugh frobnicate quux blorf zorp",  # Latin letters, no known function words
        "هذا نص باللغة العربية للتجربة فقط",  # a script this module does not name
        "Abc абв abc абв abc абв",  # no script dominates
    ],
)
def test_nothing_fits(text: str) -> None:
    with pytest.raises(UsageError):
        detect_language(text, "sample.txt")


def test_error_names_the_text() -> None:
    with pytest.raises(UsageError, match=r"sample\.txt"):
        detect_language("Xyzzy plugh frobnicate quux blorf zorp", "sample.txt")


def test_detection_checks_confidence() -> None:
    with pytest.raises(ValueError):
        Detection("fr", 1.5, "script")
