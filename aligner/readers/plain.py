"""Plain text: hard-wrapped lines joined inside paragraphs, hyphenated words mended.

A text is *wrapped* when its lines stop at a width: most lines that another line follows in
the same block are nearly as long as the longest ones, and those are not long. In a wrapped
text a line break is a space, except where a paragraph starts: after a blank line, on a line
indented deeper than the block's least indented line (not counting the hanging indent of a list
item), on a line opening with a dialogue dash, a bullet or a list number, after a line in
capitals only (a heading), and after a line that stopped short: the next line's first word
would have fitted on it.
A text whose lines have no such width (one paragraph per line, of any length) keeps each line
as a paragraph. With too few lines to tell, lines are joined, as
:func:`aligner.segmentation.sentences.unwrap_lines` would do.

A hyphen ending a line joins the two halves without a space; it is dropped when the joined
word occurs elsewhere in the text ("pro-" + "gram" -> "program" when the text has "program"),
and kept otherwise ("elles-" + "mêmes" -> "elles-mêmes").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.readers.encoding import decode_bytes
from aligner.readers.source import SourceBuilder, SourceText
from aligner.segmentation.sentences import normalize

__all__ = ["is_wrapped", "read_plain", "read_plain_text"]

#: Percentile of the inner lines' lengths taken as the wrapping width (robust to a long URL).
WIDTH_PERCENTILE = 0.9
#: Widest wrapping width believed: wrapped texts stop at 60-80 columns, rarely past 120.
MAX_WRAP_WIDTH = 160
#: A line is full when at least this share of the width; a wrapped text has mostly full lines.
FULL_LINE_RATIO = 0.7
MIN_FULL_SHARE = 0.6
#: Fewest inner lines needed to judge; below it, lines are joined.
MIN_INNER_LINES = 3
#: In a wrapped text, a line ends a paragraph when it and the next line's first word fit in
#: this share of the width (1.0 is exact for a text wrapped by a program; less allows for
#: uneven wrapping by hand).
FIT_RATIO = 0.85
#: Longest line in capitals only that is taken for a heading.
MAX_HEADING_CHARS = 80

# A line that opens a new paragraph by its first characters: dialogue dashes, bullets and list
# numbers (the same starts that aligner.segment keeps as hard sentence boundaries).
_HARD_START_RE = re.compile(r"[ \t]*(?:[—–•▪‣◦*]|-\s|\d{1,2}[.)]\s)")
_WORD_RE = re.compile(r"[^\W\d_]+")
_HYPHEN_END_RE = re.compile(r"([^\W\d_]+)-$")
_FIRST_WORD_RE = re.compile(r"[^\W\d_]+")
_FIRST_TOKEN_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class _Line:
    text: str  # without the line end and without trailing white space
    indent: int

    @property
    def body(self) -> str:
        return self.text.strip()


def _lines(text: str) -> list[_Line | None]:
    """The lines of ``text``; None for a blank line."""
    out: list[_Line | None] = []
    for raw in text.split("\n"):
        line = raw.rstrip().expandtabs(4)
        out.append(_Line(line, len(line) - len(line.lstrip())) if line.strip() else None)
    return out


def _blocks(lines: Sequence[_Line | None]) -> list[list[_Line]]:
    """Runs of non-blank lines."""
    blocks: list[list[_Line]] = [[]]
    for line in lines:
        if line is None:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    return [b for b in blocks if b]


def _inner_lengths(blocks: Sequence[Sequence[_Line]]) -> list[int]:
    """Lengths of the lines that another line follows in the same block."""
    return sorted(len(line.text) for block in blocks for line in block[:-1])


def _width(lengths: Sequence[int]) -> int:
    return lengths[min(len(lengths) - 1, int(WIDTH_PERCENTILE * len(lengths)))]


def is_wrapped(text: str) -> bool:
    """Whether the lines of ``text`` look hard-wrapped at a width (True when too few to tell)."""
    return _judge(_blocks(_lines(normalize(text))))[0]


def _judge(blocks: Sequence[Sequence[_Line]]) -> tuple[bool, int]:
    """(wrapped?, width) of a text's blocks."""
    lengths = _inner_lengths(blocks)
    if len(lengths) < MIN_INNER_LINES:
        return True, max(lengths, default=0)
    width = _width(lengths)
    full = sum(n >= FULL_LINE_RATIO * width for n in lengths) / len(lengths)
    return width <= MAX_WRAP_WIDTH and full >= MIN_FULL_SHARE, width


def _in_capitals(text: str) -> bool:
    cased = [c for c in text if c.isupper() or c.islower()]
    return bool(cased) and all(c.isupper() for c in cased)


def _is_list_item(line: _Line) -> bool:
    return _HARD_START_RE.match(line.text) is not None


def _starts_paragraph(previous: _Line, line: _Line, opener: _Line, base: int, width: int) -> bool:
    """Whether ``line`` opens a paragraph in a wrapped text.

    ``opener`` opened the current paragraph; ``base`` is the block's least indentation.
    """
    if _is_list_item(line) or _in_capitals(previous.body):
        return True
    if _HYPHEN_END_RE.search(previous.body):  # a word cut in two goes on
        return False
    if line.indent > base and not (_is_list_item(opener) and line.indent > opener.indent):
        return True
    first = _FIRST_TOKEN_RE.search(line.text)
    return first is not None and len(previous.text) + 1 + len(first.group(0)) <= FIT_RATIO * width


def _tail(parts: Sequence[str], size: int) -> str:
    """The last ``size`` characters of ``"".join(parts)`` (all of them if fewer)."""
    taken: list[str] = []
    length = 0
    for part in reversed(parts):
        taken.append(part)
        length += len(part)
        if length >= size:
            break
    return "".join(reversed(taken))[-size:]


def _join(lines: Sequence[_Line], words: frozenset[str], longest: int) -> str:
    """The lines of one paragraph as one line, hyphenated words mended.

    ``longest`` is the length of the longest of ``words``. The word cut at a line's end is
    looked for in the last ``longest + 2`` characters joined so far, not in all of them: a
    paragraph of a million lines was read again at each line (the time grew with the square
    of its length), and a longer word cannot be one of ``words`` anyway.
    """
    parts: list[str] = []
    window = longest + 2
    total = 0  # characters in parts
    for line in lines:
        body = line.body
        if not parts:
            parts.append(body)
            total = len(body)
            continue
        tail = _tail(parts, window)
        hyphen = _HYPHEN_END_RE.search(tail)
        first = _FIRST_WORD_RE.match(body)
        if hyphen and first:
            # The cut word lies whole in the tail, or is too long to be one of the words.
            whole = hyphen.start() > 0 or total <= len(tail)
            joined = (hyphen.group(1) + first.group(0)).lower()
            if whole and joined in words:
                parts[-1] = parts[-1][:-1]
                total -= 1
            parts.append(body)
            total += len(body)
        else:
            parts.extend((" ", body))
            total += 1 + len(body)
    return "".join(parts)


def _paragraphs(block: Sequence[_Line], wrapped: bool, width: int) -> list[list[_Line]]:
    if not wrapped:
        return [[line] for line in block]
    base = min(line.indent for line in block)
    paragraphs = [[block[0]]]
    for previous, line in itertools.pairwise(block):
        if _starts_paragraph(previous, line, paragraphs[-1][0], base, width):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def read_plain_text(text: str) -> SourceText:
    """Paragraphs of a decoded plain text (see the module's description)."""
    norm = normalize(text)
    blocks = _blocks(_lines(norm))
    wrapped, width = _judge(blocks)
    words = frozenset(w.lower() for w in _WORD_RE.findall(norm))
    longest = max(map(len, words), default=0)
    builder = SourceBuilder(kind="text")
    for block in blocks:
        for lines in _paragraphs(block, wrapped, width):
            paragraph = _join(lines, words, longest)
            heading = (
                len(lines) == 1 and len(paragraph) <= MAX_HEADING_CHARS and _in_capitals(paragraph)
            )
            builder.add(paragraph, 1 if heading else 0)
    return builder.build()


def read_plain(data: bytes, name: str, encoding: str | None = None) -> SourceText:
    """Read a plain-text file's bytes (BOM detected; ``encoding`` used without one)."""
    return read_plain_text(decode_bytes(data, name, encoding))
