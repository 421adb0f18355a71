"""Lemmas of a text's word types (``народам`` → ``народ``, ``peuples`` → ``peuple``), by simplemma.

Dictionaries list base forms while texts hold inflected ones, and a learned lexicon sees each
form of a word apart; the lemma of every distinct word is looked up once. simplemma (Barbaresi,
MIT licence) ships its data for some fifty languages and needs no model download. Measured
against pymorphy3 for Russian on the Old Testament (35,564 word types): the share of types
whose lemma is a headword of the shipped Russian dictionaries is 0.473 with simplemma and
0.502 with pymorphy3, but simplemma lemmatises 250,000 types a second once loaded (1.5 s, the
first call) where pymorphy3 does 13,000 (2.7 s for the book), and one library covers French,
German and English too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

#: Languages simplemma lemmatises that the aligner is used with most: others are tried too
#: (simplemma knows some fifty), and a language it does not know gives no lemmas.
CORE_LANGUAGES = ("de", "en", "fr", "ru")


@cache
def supported(lang: str) -> bool:
    """True when simplemma has data for ``lang`` (an ISO 639-1 code)."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES
    except ImportError:  # pragma: no cover - simplemma moved its constant
        return lang in CORE_LANGUAGES
    return lang in SUPPORTED_LANGUAGES


def lemmatize(words: Sequence[str], lang: str) -> list[str]:
    """The lemma of each word (the word itself where simplemma knows none).

    Callers pass distinct words: each is looked up once, in the case it has in the text (German
    nouns keep their capital).
    """
    if not supported(lang):
        return list(words)
    from simplemma import lemmatize as simple

    return [simple(w, lang=lang) for w in words]
