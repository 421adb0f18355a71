"""What the rules on top of Punkt read around a boundary: marks, windows, first letter and word."""

from __future__ import annotations

import re

# Characters skipped when looking for the first letter of a sentence: quote marks (with the
# TeX-style `` of wiki text), dashes, brackets and spaces.
LEADING_PUNCT = "\"'`«»„“”‚‘’‹›—–-()[]{} \t"
# A piece that is nothing but a list marker: "1." "12)" "(a)" "b)" "IV." "•" "—".
LIST_MARKER_RE = re.compile(r"\(?(?:\d{1,3}|[A-Za-z]|[IVXLCDM]{1,6})[.)]|[—–•▪‣◦*-]")
# How far back to look for the number before an abbreviation such as "гг." (characters).
LOOKBEHIND = 40
# How much text around a proposed boundary the rules read (characters). Bounding it keeps
# splitting linear on a book that is one long paragraph.
WINDOW = 200
# One letter and a period: an initial ("V."), or a one-letter abbreviation ("т.", "p.").
INITIAL_RE = re.compile(r"[^\W\d_]\.")
# Emoji and emoticons end sentences in social-media text ("красиво! 😍😍😍 Зато",
# "хорошие))) Стильно", "Шедеврально! =) Супер").
# No pattern here may try again at each character of a long run (a line of 10,000 ")" or emoji
# took seconds, and the time grew with the square of the run): each match may start only where
# a run starts, and alternatives that could split one run in several ways are made atomic
# ("(?=(?P<x>...))(?P=x)": what a lookahead matched is never given back).
_EMOJI_BASE = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
_EMOJI_MOD = "\ufe0f\u200d\U0001f3fb-\U0001f3ff"
# A run of emoji, matched from its first character (only its end is read); skin tones are
# both emoji and modifiers, so the run is one class, with an emoji somewhere in it.
_EMOJI_RUN = (
    f"(?<![{_EMOJI_BASE}{_EMOJI_MOD}])(?=[{_EMOJI_MOD}]*[{_EMOJI_BASE}])"
    f"[{_EMOJI_BASE}{_EMOJI_MOD}]+"
)
# Closing parentheses glued to a word: from the run's first one, or its second when the first
# follows a space (where "(?<=\S)\)+" would first match).
_PARENS_RUN = r"(?:(?<=[^\s)])|(?<=(?<!\S)\)))\)+"
EMOTICON_END_RE = re.compile(
    r"(?:" + _EMOJI_RUN + "|" + _PARENS_RUN + r"|(?<!\w)[:;=8]-?[)(DPp]+(?!\w))\s+"
)
EMOTICONS_ONLY_RE = re.compile(
    f"(?:[{_EMOJI_BASE}](?=(?P<mods>[{_EMOJI_MOD}]*))(?P=mods)"
    r"|(?=(?P<parens>\)+))(?P=parens)|[:;=8]-?(?=(?P<mouth>[)(DPp]+))(?P=mouth)|\s)+"
)


def first_letter(text: str) -> str:
    """The first character of ``text`` after quote marks, dashes, opening brackets and spaces."""
    stripped = text.lstrip(LEADING_PUNCT)
    return stripped[:1]


def first_word(text: str) -> str:
    """The first word of ``text`` after quote marks, dashes and opening brackets."""
    match = re.match(r"[^\W\d_]+", text.lstrip(LEADING_PUNCT))
    return match.group(0) if match else ""


def starts_like_sentence(text: str) -> bool:
    """True if ``text`` begins, after quotes and dashes, with a capital letter."""
    return first_letter(text).isupper()


def skip_spaces(block: str, i: int) -> int:
    """The index of the first character at or after ``i`` that is not a space."""
    while i < len(block) and block[i].isspace():
        i += 1
    return i
