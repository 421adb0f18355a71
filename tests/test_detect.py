"""Language detection: script first, then the n-gram model, confirmed for fr/en/de/ru."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.errors import UsageError
from aligner.segmentation import detect
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
            "n-gram model and frequent words",
        ),
        (
            "Il était une fois une petite fille qui vivait dans les bois avec sa mère.",
            "fr",
            "n-gram model and frequent words",
        ),
        (
            "It was the best of times, it was the worst of times, and we had nothing.",
            "en",
            "n-gram model and frequent words",
        ),
        ("Мы, Совет Народных Комиссаров, обращаемся к народам.", "ru", "n-gram model and letters"),
        (
            "Ми, Рада Народних Комісарів, звертаємося до їхніх народів і урядів.",
            "uk",
            "n-gram model",
        ),
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


# Languages without shipped rules must be named as themselves, never as fr/en/ru/de (written
# for these tests; the benchmark's samples are others).
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("La casa de mis padres está cerca del río y tiene un jardín muy grande.", "es"),
        ("Ayer fuimos al mercado y compramos fruta para toda la semana.", "es"),
        ("La casa dei miei genitori è vicina al fiume e ha un giardino molto grande.", "it"),
        ("A casa dos meus pais fica perto do rio e tem um jardim muito grande.", "pt"),
        ("Het huis van mijn ouders staat vlak bij de rivier en heeft een grote tuin.", "nl"),
        ("Будинок моїх батьків стоїть біля річки і має дуже великий сад.", "uk"),
        ("هذا نص باللغة العربية للتجربة فقط", "ar"),
    ],
)
def test_other_languages_are_named(text: str, code: str) -> None:
    assert detect_language(text).code == code


def test_model_answer_of_french_needs_french_words(monkeypatch: pytest.MonkeyPatch) -> None:
    # A model that says French for a Spanish text: the frequent words refuse it.
    class Says:
        def classify(self, text: str) -> tuple[str, float]:
            return "fr", 0.9

    monkeypatch.setattr(detect, "_identifier", lambda: Says())
    with pytest.raises(
        UsageError, match="frequent words are another language's; name its language"
    ):
        detect_language("El tren salió tarde de la estación y llegamos de noche.", "es.txt")


def test_russian_answer_needs_russian_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    class Says:
        def classify(self, text: str) -> tuple[str, float]:
            return "ru", 0.9

    monkeypatch.setattr(detect, "_identifier", lambda: Says())
    with pytest.raises(UsageError, match="Ukrainian letters"):
        detect_language("Ми звертаємося до їхніх народів і урядів, їхніх її.", "uk.txt")


def test_doubtful_model_answer_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class Unsure:
        def classify(self, text: str) -> tuple[str, float]:
            return "es", detect.MIN_MODEL_CONFIDENCE / 2

    monkeypatch.setattr(detect, "_identifier", lambda: Unsure())
    with pytest.raises(UsageError, match=r"perhaps es, probability 0\.25\); name its language"):
        detect_language("Una frase cualquiera en un idioma cualquiera.", "x.txt")
