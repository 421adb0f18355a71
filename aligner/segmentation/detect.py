"""Language detection for texts whose language was not given: by script, then by a model.

Letters are counted by Unicode script first: a Greek, Armenian, Georgian, Korean, Japanese,
Thai or Hebrew text is named by its script alone. Any other text (Latin, Cyrillic, or a script
this module does not name) goes to py3langid, a naive Bayes classifier over byte n-grams that
ships its model for 97 languages (Lui & Baldwin 2012, "langid.py: An Off-the-shelf Language
Identification Tool"; BSD-3-Clause). Its answer stands when its probability is at least
:data:`MIN_MODEL_CONFIDENCE`; an answer of French, English or German must also be confirmed by
the text's most frequent words (a short list of each language's function words), and one of
Russian by its letters (not more of Ukrainian's own letters than of Russian's), because those
answers choose sentence-splitting rules: a text in another language taken for one of them would
be split wrongly without a word of warning. When the whole sample names no language (scripts
mixed, or frequent words of another language: a technical manual's commands and names, a
passage left untranslated), each of its paragraphs is detected by the same tests and the
language holding the most letters wins (method "paragraph by paragraph"). Anything else raises
:class:`~aligner.errors.UsageError` asking for the language.

Measured with benchmarks/detect_languages.py (single sentences and windows of three from the
UD dev sets, Text+Berg, Debian Reference in fr/de/es/it/pt, and sentences written in es, it, pt,
nl, uk, ca, ro, pl, sv, bg): Spanish, Italian and Portuguese sentences of Debian Reference were
taken for French, English or German 44 % of the time by the function words alone, under 1 % now
(and those were English sentences left untranslated); see that script's docstring for the
figures. py3langid beat lingua and langdetect there, and is 20 times smaller than lingua.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aligner.errors import UsageError

__all__ = ["Detection", "detect_language", "language_letters", "script_counts"]

#: Characters of the text looked at: enough for a stable answer, bounded on a book.
SAMPLE_CHARS = 20_000
#: Fewest letters needed before saying anything.
MIN_LETTERS = 12
#: Share of the letters that the dominant script must have.
MIN_SCRIPT_SHARE = 0.6
#: Lowest probability (py3langid's, normalised over its languages) of an answer that stands.
#: Measured on short texts (benchmarks/detect_languages.py): at 0.5, 0.8 % of single sentences
#: get a wrong language and 11 % none; of three-sentence windows, 0.5 % and 1.2 %.
MIN_MODEL_CONFIDENCE = 0.5
#: Languages whose detection chooses shipped sentence-splitting rules: confirmed twice.
_CONFIRMED_BY_WORDS = frozenset({"fr", "en", "de"})


@functools.cache
def _scripts() -> dict[str, Any]:
    """Scripts that name a language, and the letters that tell Ukrainian from Russian, from
    ``data/scripts.json`` (read once)."""
    text = (
        resources.files("aligner.segmentation")
        .joinpath("data")
        .joinpath("scripts.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def _script_languages() -> dict[str, str]:
    """Scripts that name one language well enough (prefix of the Unicode character name -> code)."""
    languages: dict[str, str] = _scripts()["languages"]
    return languages


@functools.cache
def _known_scripts() -> tuple[str, ...]:
    """The scripts this module counts: Latin, Cyrillic and those that name a language."""
    return ("LATIN", "CYRILLIC", *_script_languages())


@functools.cache
def _stopwords() -> dict[str, frozenset[str]]:
    """The function-word lists of ``data/function_words.txt`` as sets, without the words of two
    lists or more (read once)."""
    text = (
        resources.files("aligner.segmentation")
        .joinpath("data")
        .joinpath("function_words.txt")
        .read_text(encoding="utf-8")
    )
    words: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            code, *listed = line.split()
            words.setdefault(code, []).extend(listed)
    lists = {lang: frozenset(listed) for lang, listed in words.items()}
    seen: Counter[str] = Counter(w for words in lists.values() for w in words)
    return {lang: frozenset(w for w in words if seen[w] == 1) for lang, words in lists.items()}


_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_PARAGRAPH_SPLIT_RE = re.compile(r"\n+")


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
    return next((s for s in _known_scripts() if name.startswith(s)), None)


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


def _stopword_shares(sample: str) -> tuple[dict[str, float], int]:
    """Share of the words that are function words of each listed language; number of words."""
    # Apostrophes split French elisions ("l'armistice" -> "l", "armistice") for the lookup.
    words = [w for t in _WORD_RE.findall(sample.lower()) for w in re.split("['’]", t) if w]
    if not words:
        return {lang: 0.0 for lang in _stopwords()}, 0
    shares = {
        lang: sum(w in stop for w in words) / len(words) for lang, stop in _stopwords().items()
    }
    return shares, len(words)


def _words_confirm(sample: str, code: str) -> bool:
    """Whether the frequent words allow ``code`` (fr, en or de): no other listed language has
    more of them (a text with none of them, a short title say, is left to the model)."""
    shares, _ = _stopword_shares(sample)
    return shares[code] >= max(shares.values())


def _letters_confirm_russian(sample: str) -> bool:
    """Whether the letters allow Russian: no more of Ukrainian's own letters than Russian's."""
    lower = sample.lower()
    letters = _scripts()["own_letters"]
    ukrainian = sum(lower.count(c) for c in letters["uk"])
    russian = sum(lower.count(c) for c in letters["ru"])
    return ukrainian <= russian


@functools.cache
def _identifier() -> Any:
    """py3langid's classifier with its shipped model, probabilities normalised (loaded once)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _model(sample: str, name: str) -> Detection:
    code, probability = _identifier().classify(sample)
    code, probability = str(code), float(probability)
    if probability < MIN_MODEL_CONFIDENCE:
        raise UsageError(
            f"{name}: cannot tell its language (perhaps {code}, probability "
            f"{probability:.2f}); name its language"
        )
    method = "n-gram model"
    if code in _CONFIRMED_BY_WORDS:
        if not _words_confirm(sample, code):
            raise UsageError(
                f"{name}: looks like {code} to the n-gram model, but its frequent words are "
                f"another language's; name its language"
            )
        method = "n-gram model and frequent words"
    elif code == "ru":
        if not _letters_confirm_russian(sample):
            raise UsageError(
                f"{name}: looks like ru to the n-gram model, but it has Ukrainian letters; "
                f"name its language"
            )
        method = "n-gram model and letters"
    return Detection(code, round(min(probability, 1.0), 3), method)


def _paragraph_language(paragraph: str) -> str | None:
    """The language of one paragraph by the same tests as a whole text (its script, then the
    model and its confirmations), None when they name none or its scripts are mixed."""
    counts, letters = script_counts(paragraph)
    if letters < MIN_LETTERS or not counts:
        return None
    script, n = counts.most_common(1)[0]
    if n < MIN_SCRIPT_SHARE * letters:
        return None
    if script in _script_languages():
        return _script_languages()[script]
    try:
        return _model(paragraph, "paragraph").code
    except UsageError:
        return None


def language_letters(text: str) -> Counter[str]:
    """Letters of ``text`` in each language, its paragraphs (or lines) detected one by one;
    paragraphs that name no language are not counted."""
    letters: Counter[str] = Counter()
    for paragraph in _PARAGRAPH_SPLIT_RE.split(text):
        code = _paragraph_language(paragraph)
        if code is not None:
            letters[code] += script_counts(paragraph)[1]
    return letters


def _paragraph_vote(sample: str) -> Detection | None:
    """The language holding the most letters among the paragraphs of ``sample`` (see
    :func:`language_letters`), with its share as confidence; None if no paragraph names one."""
    letters = language_letters(sample)
    if not letters:
        return None
    code, n = letters.most_common(1)[0]
    if len(letters) > 1 and n == letters.most_common(2)[1][1]:
        return None  # a tie names nothing
    return Detection(code, round(n / sum(letters.values()), 3), "paragraph by paragraph")


def detect_language(text: str, name: str = "text") -> Detection:
    """Guess the language of ``text``; raise UsageError when nothing fits.

    >>> detect_language("Le pas décisif est fait. Nous proposons la paix à tous les peuples.").code
    'fr'
    >>> detect_language("Обращение Совета Народных Комиссаров к народам воюющих стран").code
    'ru'
    >>> detect_language("El tren salió tarde de la estación y llegamos de noche.").code
    'es'
    """
    sample = text[:SAMPLE_CHARS]
    counts, letters = script_counts(sample)
    if letters < MIN_LETTERS:
        raise UsageError(f"{name}: too little text to tell its language; name its language")
    script, n = counts.most_common(1)[0] if counts else ("", 0)
    share = n / letters
    if script in _script_languages() and share >= MIN_SCRIPT_SHARE:
        return Detection(_script_languages()[script], round(share, 3), "script")
    try:
        if (
            counts
            and share < MIN_SCRIPT_SHARE
            and sum(counts.values()) >= MIN_SCRIPT_SHARE * letters
        ):
            raise UsageError(f"{name}: cannot tell its language from its script; name its language")
        return _model(sample, name)
    except UsageError:
        # A technical text mixes its prose with names, commands and passages left untranslated
        # in another script or language; read paragraph by paragraph, the prose outweighs them.
        vote = _paragraph_vote(sample)
        if vote is None:
            raise
        return vote
