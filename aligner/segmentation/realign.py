"""Boundaries moved onto the right sentence: past closing quotes, brackets and note calls, or
back before opening quotes ("fin. « Début")."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from aligner.segmentation.languages import LanguageRules

_QUOTES = "\"'«»„“”‚‘’‹›"
_OPENING_BRACKETS = "([{"
_CLOSING_BRACKETS = ")]}"
# Marks after which a quote mark is still "glued" to the text it closes.
_AFTER_CLOSER = ".,;:!?…" + _CLOSING_BRACKETS
# A footnote call after a sentence end belongs to that sentence: "… in 1805. [6] He …".
_NOTE_RE = re.compile(r"\[\d{1,3}(?:[,–-]\s?\d{1,3})*\]")
# So does a bare note number before a capitalised sentence opener ("rights. 4 Even though",
# "(Figure 1.6). 5 At the other end"): a sentence cannot begin "5 At". Before any other word
# the number begins the sentence ("He won. 5 Americans died.").
_BARE_NOTE_RE = re.compile(r"(\d{1,2})\s+([^\W\d_]+)")
_DIGITS_RE = re.compile(r"\d+")


def _quotes_before(quotes: Sequence[int], i: int) -> int:
    """How many straight double quotes, at the sorted positions ``quotes``, come before ``i``."""
    return bisect.bisect_left(quotes, i)


def _closes(block: str, i: int, rules: LanguageRules, quotes: Sequence[int]) -> bool:
    """True if the mark at ``block[i]`` closes a quotation or a bracket."""
    mark = block[i]
    if mark in _CLOSING_BRACKETS:
        return True
    if mark not in _QUOTES:
        return False
    before = block[i - 1] if i > 0 else " "
    after = block[i + 1] if i + 1 < len(block) else " "
    glued_before = not before.isspace()
    free_after = after.isspace() or after in _AFTER_CLOSER or after in _QUOTES
    if glued_before == free_after:
        # "word» " closes, " «word" opens.
        return glued_before
    if mark == '"':
        # Straight quotes spaced on both sides: an odd number of them before this one means
        # this one closes the quotation.
        return _quotes_before(quotes, i) % 2 == 1
    # Spaced on both sides (French « … ») or on neither: the language's habit decides.
    return mark in rules.closers


def _opens(block: str, i: int, rules: LanguageRules, quotes: Sequence[int]) -> bool:
    """True if the mark at ``block[i]``, followed by a space, opens a quotation or a bracket."""
    mark = block[i]
    if mark in _OPENING_BRACKETS:
        return True
    if mark not in _QUOTES or mark == "'":
        return False
    before = block[i - 1] if i > 0 else " "
    if not before.isspace():
        return False
    if mark == '"':
        return _quotes_before(quotes, i) % 2 == 0
    return mark not in rules.closers


def _bare_note(block: str, i: int, rules: LanguageRules) -> re.Match[str] | None:
    """A note number at ``block[i]`` followed by a capitalised sentence opener, if any."""
    match = _BARE_NOTE_RE.match(block, i)
    if match is None or not match.group(2)[0].isupper():
        return None
    if match.group(2).lower() not in rules.starters:
        return None
    # Only the number moves to the previous sentence.
    return _DIGITS_RE.match(block, i)


def realign(block: str, cut: int, rules: LanguageRules, quotes: Sequence[int]) -> int:
    """Move a boundary past closing marks, or back before opening marks ("fin. « Début")."""
    n = len(block)
    moved = cut
    while moved < n:
        note = _NOTE_RE.match(block, moved) or _bare_note(block, moved, rules)
        if note:
            moved = note.end()
        elif _closes(block, moved, rules, quotes):
            moved += 1
        else:
            break
        while moved < n and block[moved].isspace():
            moved += 1
    if moved != cut:
        return moved
    while True:
        end = moved
        while end > 0 and block[end - 1].isspace():
            end -= 1
        if end > 0 and end < moved and _opens(block, end - 1, rules, quotes):
            moved = end - 1
        else:
            return moved
