"""Lemmas of a text's word types (``народам`` → ``народ``, ``peuples`` → ``peuple``), by simplemma.

Dictionaries list base forms while texts hold inflected ones, and a learned lexicon sees each
form of a word apart; the lemma of every distinct word is looked up once. simplemma (Barbaresi,
MIT licence) ships its data for some fifty languages and needs no model download. Measured
against pymorphy3 for Russian on the Old Testament (35,564 word types): the share of types
whose lemma is a headword of the shipped Russian dictionaries is 0.473 with simplemma and
0.502 with pymorphy3, but simplemma lemmatises 250,000 types a second once loaded (1.5 s, the
first call) where pymorphy3 does 13,000 (2.7 s for the book), and one library covers French,
German and English too.

Memory: simplemma holds a language's form → lemma table as a dict, 133 MB of RSS for Russian,
20 MB for French, 15 MB for English (measured after loading). The tables live in a
:class:`LemmaTables`, loaded on first use and let go by :meth:`LemmaTables.release` (or with
the :class:`aligner.resources.Resources` that holds them): the aligner holds them while it
prepares a text and lets them go before the search allocates its arrays, unless a caller
shares one set of tables between many texts. The lemmas are the same either way: the same
simplemma strategies read the same table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simplemma import Lemmatizer

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


class LemmaTables:
    """simplemma's lemmatiser over form → lemma tables loaded on first use and kept until
    :meth:`release`: its ``DictionaryFactory`` (simplemma's own factories keep what they load
    for good, or for a cache size, and offer no way to let one go).

    One object serves any number of texts and languages; its lifetime is its owner's
    (:class:`aligner.resources.Resources`).
    """

    def __init__(self) -> None:
        self._loaded: dict[str, Mapping[str, str]] = {}
        self._lemmatizer: Lemmatizer | None = None

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        """The form → lemma table of ``lang``, loaded on first use (simplemma's protocol)."""
        table = self._loaded.get(lang)
        if table is None:
            from simplemma.strategies.dictionaries import DefaultDictionaryFactory

            # A factory without a cache: the table is held here only.
            table = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang)
            self._loaded[lang] = table
        return table

    @property
    def loaded(self) -> tuple[str, ...]:
        """The languages whose tables are held now."""
        return tuple(self._loaded)

    def lemmatize(self, words: Sequence[str], lang: str) -> list[str]:
        """The lemma of each word (the word itself where simplemma knows none).

        Callers pass distinct words: each is looked up once, in the case it has in the text
        (German nouns keep their capital).
        """
        if not supported(lang):
            return list(words)
        if self._lemmatizer is None:
            from simplemma import Lemmatizer
            from simplemma.strategies import DefaultStrategy

            # simplemma's default strategies, fallback and result cache, over these tables.
            strategy = DefaultStrategy(dictionary_factory=self)
            self._lemmatizer = Lemmatizer(lemmatization_strategy=strategy)
        lemmatizer = self._lemmatizer
        return [lemmatizer.lemmatize(w, lang) for w in words]

    def release(self, lang: str | None = None) -> None:
        """Let ``lang``'s table go, or every table and the lemmatiser's result cache (loaded
        again if asked for)."""
        if lang is None:
            self._loaded.clear()
            self._lemmatizer = None
        else:
            self._loaded.pop(lang, None)


def lemmatize(words: Sequence[str], lang: str, tables: LemmaTables | None = None) -> list[str]:
    """The lemma of each of ``words`` (distinct), read from ``tables``; without them, from
    tables loaded for this call and let go after it."""
    if tables is not None:
        return tables.lemmatize(words, lang)
    own = LemmaTables()
    try:
        return own.lemmatize(words, lang)
    finally:
        own.release()
