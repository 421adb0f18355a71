"""nltk's Punkt adapted to the splitter: its language variables, and a tokenizer per language."""

from __future__ import annotations

import functools
import re

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

from aligner.segmentation.languages import elided_words, language_rules

# Quote marks that a word never starts with, so that Punkt sees "«Bonjour" as « + Bonjour.
_NOT_WORD_START = "«»„“”‚‘’‹›"


class SegmenterLanguageVars(PunktLanguageVars):  # type: ignore[misc]  # nltk is untyped
    """Punkt's language variables with `…` as a sentence end and language-aware quote marks.

    ``closers`` are the language's closing quote marks; ``elided`` the words written elided
    before an apostrophe ("l'art." is l' + art., so that "art" is found among the abbreviations,
    while "McDonald's." keeps its "'s.").
    """

    __slots__ = ("_closers", "_elided")

    sent_end_chars = (".", "?", "!", "…")
    _re_word_start = r"[^\(\"\`{\[:;&\#\*@\)}\]\-," + _NOT_WORD_START + r"]"

    def __init__(self, closers: str, elided: frozenset[str]) -> None:
        super().__init__()
        self._closers = closers
        self._elided = elided

    def word_tokenize(self, s: str) -> list[str]:
        """Punkt's word tokens, with the apostrophe of an elided word split off its host."""
        tokens: list[str] = super().word_tokenize(s)
        out: list[str] = []
        for tok in tokens:
            if len(tok) > 1 and tok[0] in "'’" and out and out[-1].lower() in self._elided:
                out[-1] += tok[0]
                tok = tok[1:]
            out.append(tok)
        return out

    # nltk compiles Punkt's patterns with a wall-clock limit (nltk.redos, 5 s per scan of a
    # text), which a long line (a book written as one line, 20 MB) exceeded with a traceback.
    # Both patterns only look a token ahead: compiled with the standard library, they scan
    # any line in linear time and need no limit.
    def period_context_re(self) -> re.Pattern[str]:
        """Punkt's pattern for a possible sentence end and the token after it."""
        return _stdlib_pattern(
            self._period_context_fmt
            % {"NonWord": self._re_non_word_chars, "SentEndChars": self._re_sent_end_chars}
        )

    def _word_tokenizer_re(self) -> re.Pattern[str]:
        """Punkt's pattern that splits punctuation other than periods from words."""
        return _stdlib_pattern(
            self._word_tokenize_fmt
            % {
                "NonWord": self._re_non_word_chars,
                "MultiChar": self._re_multi_char_punct,
                "WordStart": self._re_word_start,
            }
        )

    @property
    def re_boundary_realignment(self) -> re.Pattern[str]:
        """Closing marks at the start of the next sentence that belong to the previous one.

        nltk's default also moves « and “, which open a quotation in French and German, so a
        spaced « ended up on the wrong sentence.
        """
        return _realignment_re(self._closers)


@functools.cache
def _stdlib_pattern(pattern: str) -> re.Pattern[str]:
    """One of Punkt's verbose patterns, compiled once per process with :mod:`re`."""
    return re.compile(pattern, re.UNICODE | re.VERBOSE)


@functools.cache
def _realignment_re(closers: str) -> re.Pattern[str]:
    """Punkt's realignment pattern for these closing marks."""
    # Straight quotes are left out: whether a spaced " closes or opens is decided later, by
    # counting the quotes before it (see _closes).
    return re.compile(r"[)\]}" + re.escape(closers) + r"]+?(?:\s+|(?=--)|$)", re.MULTILINE)


@functools.cache
def tokenizer(lang: str) -> PunktSentenceTokenizer:
    """A Punkt tokenizer with the shipped parameters, built once per language and process."""
    rules = language_rules(lang)
    params = PunktParameters()
    # Punkt matches abbreviations per token; entries with a space inside never match a token.
    params.abbrev_types = {a for a in rules.abbreviations if " " not in a}
    params.sent_starters = set(rules.starters)
    return PunktSentenceTokenizer(
        params, lang_vars=SegmenterLanguageVars(rules.closers, elided_words())
    )
