"""Code and preformatted text: the lines of a listing, without the line numbers set beside them.

Every reader that finds code (HTML ``pre``, Markdown code blocks, DOCX and ODT code styles,
monospace lines of a PDF) hands its lines to :func:`listing_lines` and adds each line left
as a verbatim unit (:meth:`aligner.readers.source.SourceBuilder.add`): one unit a line, so
that a listing whose comments were translated still pairs line with line, and identical lines
pair with their counterpart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

__all__ = ["listing_lines"]

_NUMBER_RE = re.compile(r"^\s*(\d{1,5})[:.|]?(?:\s+|$)")


#: Share of a listing's lines that must open with a line number (a long line wrapped onto the
#: next one, or an empty line whose number was dropped, has none).
MIN_NUMBERED_SHARE = 0.8


def _numbered(lines: Sequence[str]) -> bool:
    """Whether the lines open with line numbers: nearly all of them, counting up by one (a
    number or two may be missing) or starting again at 1 for the next listing. Numbers that
    do not count up are data, and are kept."""
    numbers = [m for m in (_NUMBER_RE.match(line) for line in lines) if m is not None]
    if len(numbers) < 2 or len(numbers) < MIN_NUMBERED_SHARE * len(lines):
        return False
    values = [int(m.group(1)) for m in numbers]
    return all(a < b <= a + 3 or b == 1 for a, b in pairwise(values))


def listing_lines(lines: Sequence[str]) -> list[str]:
    """The non-blank lines of a code block, line numbers taken off when they count up.

    A block holding only its line numbers (a column of a listing set apart, as some HTML
    highlighters and PDFs do) gives nothing.
    """
    kept = [line.rstrip() for line in lines if line.strip()]
    if _numbered(kept):
        kept = [_NUMBER_RE.sub("", line, count=1) for line in kept]
    return [line for line in kept if line.strip()]
