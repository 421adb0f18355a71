"""Dictionaries and lemma tables with a stated lifetime: loaded on first use, released on purpose.

The shipped bilingual dictionaries (:mod:`aligner.features.dictionary`) and simplemma's form →
lemma tables (:mod:`aligner.features.lemmas`) are the only large things the aligner reads that
do not come from the texts: a Russian lemma table is some 130 MB, the German–French dictionary
index 10 MB. A :class:`Resources` object holds them for as long as its owner says, instead of
module caches that live as long as the process (or that a long text empties and a short one
fills again).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from aligner.features.dictionary import Index, base_language, shipped
from aligner.features.lemmas import LemmaTables


class Resources:
    """The shipped dictionaries and lemma tables a caller aligns with, each loaded on first use.

    Lifetime: what it loads stays until :meth:`close` (or the end of a ``with`` block), or, for
    the lemma tables alone, :meth:`release_lemmas`; a closed object loads again if asked.

    * :func:`aligner.align` (and the functions built on it) make one for each call when none is
      given, and close it as soon as both texts are prepared: the tables never sit under the
      search's arrays, and nothing outlives the call.
    * A caller that aligns many texts of one language pair passes one object to every call
      (``align(..., resources=res)``) so that each table is read once. A batch worker does this
      for all the pairs it runs::

          with Resources() as res:
              for src, tgt in pairs:
                  align(src, tgt, src_lang="fr", tgt_lang="ru", resources=res)

      In ``aligner.corpus`` a job is one pair: a worker holds one object for the pairs it is
      handed (a job taking a list of pairs, or the worker process's initializer making one
      and its exit closing it) and passes it to each ``align_documents`` call.
      The tables are then held between pairs (a Russian table, about 130 MB, for the worker's
      whole life); a worker aligning books rather than short documents can call
      :meth:`release_lemmas` after each pair, which costs the reading again (about 1 s for
      Russian, 0.2 s for French) and keeps its peak to one text's.

    Not thread-safe: one object per worker process or thread.
    """

    def __init__(self) -> None:
        self._dictionaries: dict[tuple[str, str], Index] = {}
        self._lemmas = LemmaTables()

    def dictionary(self, src_lang: str, tgt_lang: str) -> Index:
        """The shipped dictionary from ``src_lang`` to ``tgt_lang`` (empty when none is
        shipped), read from its file the first time it is asked for."""
        key = (base_language(src_lang), base_language(tgt_lang))
        index = self._dictionaries.get(key)
        if index is None:
            index = shipped(*key)
            self._dictionaries[key] = index
        return index

    def lemmatize(self, words: Sequence[str], lang: str) -> list[str]:
        """The lemma of each distinct word (see :meth:`LemmaTables.lemmatize`)."""
        return self._lemmas.lemmatize(words, lang)

    @property
    def lemma_tables(self) -> LemmaTables:
        """The lemma tables, for the features that read them."""
        return self._lemmas

    @property
    def loaded(self) -> tuple[str, ...]:
        """What is held now: ``dictionary:src-tgt`` and ``lemmas:lang`` entries."""
        names = [f"dictionary:{s}-{t}" for s, t in self._dictionaries]
        return (*names, *(f"lemmas:{lang}" for lang in self._lemmas.loaded))

    def release_lemmas(self) -> None:
        """Let every lemma table go (the dictionaries stay: they are small)."""
        self._lemmas.release()

    def close(self) -> None:
        """Let everything go; the object stays usable and loads again on demand."""
        self._dictionaries.clear()
        self._lemmas.release()

    def __enter__(self) -> Resources:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
