"""Language detection for texts whose language was not given: by script, then by frequent words.

Letters are counted by Unicode script first: a Cyrillic text is Russian (Ukrainian when it has
the letters Ukrainian has and Russian lacks), a Greek one Greek, and so on. A Latin text is
told apart by its most frequent words: the share of its words found in a short list of function
words of French, English and German. A text that fits none of these raises
:class:`~aligner.errors.UsageError` asking for the language.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from aligner.errors import UsageError

__all__ = ["Detection", "detect_language", "script_counts"]

#: Characters of the text looked at: enough for a stable answer, bounded on a book.
SAMPLE_CHARS = 20_000
#: Fewest letters needed before saying anything.
MIN_LETTERS = 12
#: Share of the letters that the dominant script must have.
MIN_SCRIPT_SHARE = 0.6
#: Fewest Latin words, and the share of them that must be function words of one language.
MIN_WORDS = 3
MIN_STOPWORD_SHARE = 0.08

# Scripts that name one language well enough (prefix of the Unicode character name -> code).
_SCRIPT_LANGUAGES = {
    "GREEK": "el",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "THAI": "th",
    "HEBREW": "he",
}
_SCRIPTS = ("LATIN", "CYRILLIC", *_SCRIPT_LANGUAGES)

# Letters of Ukrainian that Russian lacks, and of Russian that Ukrainian lacks.
_UKRAINIAN_ONLY = frozenset("іїєґ")
_RUSSIAN_ONLY = frozenset("ыэъё")

# Function words: articles, pronouns, prepositions, conjunctions and auxiliaries, the words
# that make up a large share of any running text. Words shared by two of the languages are
# left out of both, so that each hit is evidence for one language.
_STOPWORD_TEXT = {
    "fr": (
        """le la les un une des du au aux et ou est sont été être avoir ont avons nous vous
        ils elle elles je tu il ce cette ces qui que quoi dont où pour par sur dans avec sans
        pas ne plus mais leur leurs son sa ses mon ma mes notre nos votre vos se y en été
        faire fait comme tout tous toute aussi bien très même entre depuis"""
    ),
    "en": (
        """the of and to a is are was were be been being have has had that this these those
        which who whom what with for from by on at as it its he she they them their his her
        we our you your not but or if would should could will there an all one so than then
        into out up about"""
    ),
    "de": (
        """der die das den dem ein eine einen einem einer eines und ist sind war waren
        sein hat haben wird werden nicht mit von zu auf für bei aus nach wie auch sich ich
        er sie wir ihr es als aber oder wenn dass noch nur schon über unter zum zur im
        vom diese dieser dieses"""
    ),
}


@functools.cache
def _stopwords() -> dict[str, frozenset[str]]:
    """The function-word lists as sets (made on first use)."""
    return {lang: frozenset(words.split()) for lang, words in _STOPWORD_TEXT.items()}


_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Detection:
    """A detected language: ISO 639-1 ``code``, ``confidence`` in [0, 1], and how it was found.

    Unpacks as ``code, confidence = detect_language(text)``.
    """

    code: str
    confidence: float
    method: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is outside [0, 1]")

    def __iter__(self) -> Iterator[str | float]:
        return iter((self.code, self.confidence))


def _script(char: str) -> str | None:
    """The script of a letter, among those this module knows (None for any other)."""
    name = unicodedata.name(char, "")
    return next((s for s in _SCRIPTS if name.startswith(s)), None)


def script_counts(sample: str) -> tuple[Counter[str], int]:
    """Letters of each script this module knows (LATIN, CYRILLIC, GREEK…), and all letters."""
    counts: Counter[str] = Counter()
    letters = 0
    # Each distinct character is named once: a book's sample has a few hundred of them.
    for char, n in Counter(sample).items():
        if char.isalpha():
            letters += n
            script = _script(char)
            if script is not None:
                counts[script] += n
    return counts, letters


def _cyrillic(sample: str, share: float) -> Detection:
    lower = sample.lower()
    ukrainian = sum(lower.count(c) for c in _UKRAINIAN_ONLY)
    russian = sum(lower.count(c) for c in _RUSSIAN_ONLY)
    code = "uk" if ukrainian > russian else "ru"
    return Detection(code, round(share, 3), "script")


def _latin(sample: str, name: str) -> Detection:
    # Apostrophes split French elisions ("l'armistice" -> "l", "armistice") for the lookup.
    words = [w for t in _WORD_RE.findall(sample.lower()) for w in re.split("['’]", t) if w]
    if len(words) < MIN_WORDS:
        raise UsageError(f"{name}: too few words to tell its language; name its language")
    shares = {
        lang: sum(w in stop for w in words) / len(words) for lang, stop in _stopwords().items()
    }
    ranked = sorted(shares.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_STOPWORD_SHARE:
        raise UsageError(
            f"{name}: cannot tell its language (not French, English or German by its frequent "
            f"words); name its language"
        )
    return Detection(best, round(top / (top + second), 3), "frequent words")


def detect_language(text: str, name: str = "text") -> Detection:
    """Guess the language of ``text``; raise UsageError when nothing fits.

    >>> detect_language("Le pas décisif est fait. Nous proposons la paix à tous les peuples.").code
    'fr'
    >>> detect_language("Обращение Совета Народных Комиссаров к народам воюющих стран").code
    'ru'
    """
    sample = text[:SAMPLE_CHARS]
    counts, letters = script_counts(sample)
    if letters < MIN_LETTERS:
        raise UsageError(f"{name}: too little text to tell its language; name its language")
    script, n = counts.most_common(1)[0] if counts else ("", 0)
    share = n / letters
    if share < MIN_SCRIPT_SHARE:
        raise UsageError(f"{name}: cannot tell its language from its script; name its language")
    if script == "CYRILLIC":
        return _cyrillic(sample, share)
    if script == "LATIN":
        return _latin(sample, name)
    return Detection(_SCRIPT_LANGUAGES[script], round(share, 3), "script")
