"""Boundaries the rules take back: where a reader would not mark one ("? » murmura", "No. 5").

A proposed boundary before a lower-case word, a comma or a number after "No.", after a list
marker, initials ("J.A. Howe") or a German ordinal ("am 3. Oktober") is dropped; a piece of
punctuation alone joins the sentence next to it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from aligner.segmentation.context import (
    EMOTICONS_ONLY_RE,
    INITIAL_RE,
    LEADING_PUNCT,
    LIST_MARKER_RE,
    LOOKBEHIND,
    WINDOW,
    first_letter,
    first_word,
)
from aligner.segmentation.languages import LanguageRules

# A sentence never begins with these: a piece that does belongs to the one before.
_NEVER_FIRST = ",;:.?!…/%"
# A list number inside a sentence: "le plan : 1. Introduction ; 2. Méthode".
_INLINE_NUMBER_RE = re.compile(r"[:;,]\s+\(?\d{1,2}[.)]$")
# A word of letters ending a sentence with a period.
_LONG_WORD_END_RE = re.compile(r"[^\W\d_]{4,}\.")
# A word of two letters or more ending a sentence (see ``lower_case_writer`` in
# data/languages.json for where a lower-case paragraph start is read as no capitals at all).
_PLAIN_END_RE = re.compile(r"[^\W\d_]{2,}(?:\.|[?!]+)")
# Several initials written as one token: "J.A.", "H.R.F.", "R.-G.", "U.S.A.".
_INITIALS_RE = re.compile(r"(?:[^\W\d_]\.-?){2,}")
# German ordinals: "am 3. Oktober", "im 19. Jahrhundert" are not sentence ends.
_ORDINAL_END_RE = re.compile(r"(?<![\d.,])\d{1,3}\.$")


def _ends_with_abbreviation(text: str, names: frozenset[str]) -> bool:
    """True if ``text`` ends with one of ``names`` followed by a period ("No.")."""
    words = text[-LOOKBEHIND:].split()
    if not words or not words[-1].endswith("."):
        return False
    # "l'art." and "l’art." are looked up as "art".
    word = re.split(r"['’]", words[-1][:-1].lower())[-1]
    return word.lstrip(LEADING_PUNCT) in names


def _joins(
    previous: str,
    following: str,
    rules: LanguageRules,
    whole: bool = True,
    uncapitalised: bool = False,
) -> bool:
    """True if a proposed boundary between ``previous`` and ``following`` is not one.

    Both may be cut to a window around the boundary; ``whole`` is False when ``following``
    was cut short; ``uncapitalised`` is True in a paragraph that begins in lower case.
    """
    head = previous.strip()
    if not head or LIST_MARKER_RE.fullmatch(head) or _INLINE_NUMBER_RE.search(head):
        return True
    if whole and EMOTICONS_ONLY_RE.fullmatch(following.strip()):
        # Emoji after a sentence end belong to it: "красиво! 😍😍😍 Зато".
        return True
    first = first_letter(following)
    last = head.split()[-1].lstrip(LEADING_PUNCT)
    if first and first in _NEVER_FIRST:
        return True
    # "? » murmura-t-il", "? — спросил он", "… puis", "approx. three": the sentence goes on.
    # A plain word of several letters before a period is no abbreviation, though: a lower-case
    # letter after it starts a sentence written without capitals (web text).
    if first.islower():
        if _LONG_WORD_END_RE.fullmatch(last):
            return False
        # English web text written without capitals ("are you kidding? why would you", "don't
        # tell val. the following weekend"): there a short word, a question or an exclamation
        # before a lower-case word ends a sentence too, unless it is an abbreviation.
        return not (
            uncapitalised
            and rules.lower_case_writer
            and _PLAIN_END_RE.fullmatch(last) is not None
            and re.sub(r"[.?!]+$", "", last).lower() not in rules.abbreviations
        )
    if first.isdigit() and (
        _ends_with_abbreviation(head, rules.before_number)
        or INITIAL_RE.fullmatch(last)
        or _INITIALS_RE.fullmatch(last)
    ):
        # "No. 5", "art. L. 642-3", "die I.H.E. 1934"
        return True
    if (
        _INITIALS_RE.fullmatch(last)
        and first.isupper()
        and first_word(following).lower() not in rules.starters
    ):
        # Several initials in one token: "J.A. Howe", "H.R.F. Keating", "R.-G. Réau".
        return True
    if rules.street_suffix and first.isdigit() and last.lower().endswith(rules.street_suffix):
        # Street names: "Goethestr. 5".
        return True
    if rules.ordinal_numbers and _ORDINAL_END_RE.search(head):
        # German ordinals ("am 3. Oktober"); a usual sentence opener after them still splits.
        return first_word(following).lower() not in rules.starters
    return False


def filter_cuts(block: str, cuts: Sequence[int], rules: LanguageRules) -> list[int]:
    """Keep the proposed boundaries a reader would mark, left to right."""
    uncapitalised = first_letter(block[:WINDOW]).islower()
    kept: list[int] = []
    start = 0
    for k, cut in enumerate(cuts):
        end = cuts[k + 1] if k + 1 < len(cuts) else len(block)
        stop = cut
        while stop > start and block[stop - 1].isspace():
            stop -= 1
        previous = block[max(start, stop - WINDOW) : stop]
        following = block[cut : min(end, cut + WINDOW)]
        if _joins(previous, following, rules, end - cut <= WINDOW, uncapitalised):
            continue
        kept.append(cut)
        start = cut
    return kept


def _is_bare_punctuation(text: str) -> bool:
    """True if ``text`` holds only punctuation and spaces (no letter, digit or emoji)."""
    return all(unicodedata.category(c)[0] in "PZ" for c in text)


def merge_bare_punctuation(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each piece made of punctuation only (a quote mark left alone by spaced
    typography: "… conversation ? '") joined to the sentence before it, or to the one after
    it when it comes first. Emoji are not punctuation and keep their own rules."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _is_bare_punctuation(line[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and _is_bare_punctuation(line[merged[0][0] : merged[0][1]]):
        merged[:2] = [(merged[0][0], merged[1][1])]
    return merged
