"""Text structure the splitter and the cost model respect: headings, notes, lines in capitals.

Two rules, for two moments of the pipeline. While a raw text is unwrapped,
:func:`is_capitals_line` keeps a line in capitals on its own ("CHAPITRE PREMIER"): there the
line break is the only sign of a heading. Once sentences exist, :func:`is_heading` and
:func:`is_note` find short unpunctuated titles and bracketed notes, and
:func:`heading_paragraphs` makes each a paragraph of its own where the input had no paragraphs
(one sentence per line), so that the cost model keeps them out of the prose's beads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["heading_paragraphs", "is_capitals_line", "is_heading", "is_note"]


def is_capitals_line(line: str) -> bool:
    """True for a line written in capitals only ("CHAPITRE PREMIER", "XIV", "VOLUME I")."""
    cased = [c for c in line if c.isupper() or c.islower()]
    return bool(cased) and all(c.isupper() for c in cased)


#: A sentence of at most this many words with no closing punctuation is taken for a heading
#: (``CHAPTER III``, ``THE RUNIC WRITING``, ``V``); our choice: titles are short, and a long
#: unpunctuated line is more likely a sentence whose full stop was lost.
HEADING_MAX_WORDS = 12
#: A footnote starts with its number in brackets: ``[1]``, ``[ 12 ]``.
_FOOTNOTE = re.compile(r"\[\s*\d+\s*\]")


def is_heading(text: str) -> bool:
    """True for a short line that ends in a letter or digit, as titles and chapter numbers do."""
    # The cheap test first: most lines of a book end in punctuation.
    return text.rstrip()[-1:].isalnum() and len(text.split()) <= HEADING_MAX_WORDS


def is_note(text: str) -> bool:
    """True for a footnote or a short line wholly in brackets or parentheses.

    ``[1] In the cipher…``, ``(Tr.)``, ``[Runic glyphs occur here]``: notes that a translation
    adds, or keeps apart from the prose. A long parenthesised passage is prose and stays out.
    """
    line = text.strip()
    if line[:1] != "[" and line[:1] != "(":
        return False
    if _FOOTNOTE.match(line):
        return True
    return line[-1:] in ")]" and len(line.split()) <= HEADING_MAX_WORDS


def heading_paragraphs(sentences: Sequence[str]) -> list[int]:
    """Paragraph indices for sentences given without any: each heading or note is a paragraph
    of its own.

    One-sentence-per-line input carries no paragraph breaks, but a chapter heading, the subtitle
    under it or a translator's note still never shares a bead with the prose around it.
    """
    out: list[int] = []
    paragraph, after_heading = 0, False
    for k, text in enumerate(sentences):
        heading = is_heading(text) or is_note(text)
        if k and (heading or after_heading):
            paragraph += 1
        out.append(paragraph)
        after_heading = heading
    return out
