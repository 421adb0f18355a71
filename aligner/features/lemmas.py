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
20 MB for French, 15 MB for English (measured after loading), and its ``lemmatize`` function
keeps every table it loads for the process. Kept, the Russian table sat under the whole
alignment's peak on the Old Testament (566 MB fr-ru). Only short texts keep the tables between
calls now (:data:`KEEP_BELOW_WORDS`): a longer one lets its language's table go once its words are
lemmatised, before the search allocates its arrays (Old Testament peaks: fr-ru 567 → 441 MB,
fr-en 422 → 388 MB, ``benchmarks/speed.py``). The lemmas are the same either way: the same
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

#: Distinct words from which a text's language table is let go once its words are lemmatised;
#: shorter texts leave it loaded for the next call. A text this large is book-length
#: (the first 10,000 verses of the Old Testament: 10,362 French words, aligned fr-en in 3.3 s
#: CPU), where reloading a table costs little beside the alignment (0.15 s English, 0.2 s
#: French, 1.0 s German, 1.2 s Russian, measured), while the dev documents (at most 2,879
#: words a side: Text+Berg, TransRead) align in under a second each and would mostly reload.
KEEP_BELOW_WORDS = 10_000


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
    nouns keep their capital). From :data:`KEEP_BELOW_WORDS` words on, the language's table is
    let go afterwards.
    """
    if not supported(lang):
        return list(words)
    lemmatizer, tables = _lemmatizer()
    lemmas = [lemmatizer.lemmatize(w, lang) for w in words]
    if len(words) >= KEEP_BELOW_WORDS:
        tables.drop(lang)
    return lemmas


class _Tables:
    """simplemma's ``DictionaryFactory``: each language's form → lemma table, loaded on first use
    and kept until :meth:`drop` (simplemma's own factories offer no way to let one go)."""

    def __init__(self) -> None:
        self._loaded: dict[str, Mapping[str, str]] = {}

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        table = self._loaded.get(lang)
        if table is None:
            from simplemma.strategies.dictionaries import DefaultDictionaryFactory

            # A factory without a cache: the table is held here only.
            table = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang)
            self._loaded[lang] = table
        return table

    def drop(self, lang: str) -> None:
        """Let ``lang``'s table go (it is loaded again if asked for)."""
        self._loaded.pop(lang, None)


@cache
def _lemmatizer() -> tuple[Lemmatizer, _Tables]:
    """simplemma's default lemmatiser (the strategies, fallback and result cache of its
    ``lemmatize`` function) reading the tables of a :class:`_Tables`, both kept for the process."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    tables = _Tables()
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=tables)), tables
