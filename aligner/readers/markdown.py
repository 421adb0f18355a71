"""Markdown (CommonMark and GitHub's tables): headings, paragraphs, list items, table cells.

Block structure is read line by line: ATX (``# Title``) and setext (underlined) headings,
paragraphs (lines joined until a blank line), list items (one paragraph each), block quotes
(their markers removed), table cells (one paragraph each; the delimiter row dropped), fenced
and indented code blocks (a verbatim unit a line), thematic breaks, YAML front matter, HTML
comments and link reference definitions (dropped). Inline markup is stripped: emphasis,
strike-through, code spans (their text kept), links (their text kept), images (dropped),
footnote references, autolinks, HTML tags, backslash escapes and character references.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Sequence

from aligner.readers.encoding import decode_bytes
from aligner.readers.source import SourceBuilder, SourceText
from aligner.readers.verbatim import listing_lines

__all__ = ["read_markdown", "read_markdown_text", "strip_inline"]

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t].*)?")
_SETEXT_RE = re.compile(r" {0,3}(=+|-+)[ \t]*")
_BREAK_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
# A line of an indented code block: four spaces or a tab (after a blank line, outside lists).
_INDENTED_RE = re.compile(r" {4}|\t")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
_LIST_RE = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?(.*))?")
_QUOTE_RE = re.compile(r" {0,3}>[ \t]?")
_REFERENCE_RE = re.compile(r" {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S+.*")
_FOOTNOTE_DEF_RE = re.compile(r" {0,3}\[\^[^\]]+\]:[ \t]*(.*)")
# Each run of spaces has one way to match (two "[ \t]*" side by side made a long run of spaces
# take time in the square of its length).
_TABLE_DELIMITER_RE = re.compile(
    r"[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?"
)

# Inline markup, applied in this order (code spans and escapes are set aside first). Every
# step takes time in proportion to the text: a scan that looks for a closing mark stops at the
# next opening one (no "[" inside link text, no "(" inside a link's parenthesis, no "<" in an
# autolink), and emphasis is paired by :func:`_strip_emphasis`, not by a lazy pattern that
# read the rest of the line again from each opening mark (16,000 backticks took 40 s).
_BACKTICKS_RE = re.compile(r"`+")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_IMAGE_RE = re.compile(r"!\[[^\[\]]*\](?:\([^()]*\)|\[[^\[\]]*\])?")
_INLINE_LINK_RE = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+[\"'(][^()\[\]]*)?\)")
_REFERENCE_LINK_RE = re.compile(r"\[([^\[\]^][^\[\]]*)\]\[[^\[\]]*\]")
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\[\]]+\]")
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+|[^@\s<>]+@[^@\s<>]+)>")
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# Emphasis: where each may open (a zero-width match, so that "***" offers every start) and
# where it may close, by delimiter; it holds on one line (a paragraph's lines are joined with
# newlines here) and has something inside.
_STRONG_OPEN_RE = re.compile(r"(?=(?P<d>\*\*|__)\S)")
_STRONG_CLOSE = {"**": re.compile(r"(?<=\S)\*\*"), "__": re.compile(r"(?<=\S)__")}
_STAR_OPEN_RE = re.compile(r"(?=(?P<d>\*)\S)")
_STAR_CLOSE = {"*": re.compile(r"(?<=\S)\*")}
_UNDERSCORE_OPEN_RE = re.compile(r"(?<!\w)(?=(?P<d>_)\S)")
_UNDERSCORE_CLOSE = {"_": re.compile(r"(?<=\S)_(?!\w)")}
_STRIKE_OPEN_RE = re.compile(r"(?=(?P<d>~~)\S)")
_STRIKE_CLOSE = {"~~": re.compile(r"(?<=\S)~~")}
# Spaces from the first of their run only (each start of a long run read the rest of it).
_HARD_BREAK_RE = re.compile(r"(?:(?<! ) {2,}|\\)\n")
# Set-aside text travels as a private-use character followed by its index.
_HOLD = "\ue000"
_HELD_RE = re.compile(_HOLD + r"(\d+)" + _HOLD)


class _Next:
    """Where a pattern next matches at or after a position, for positions that only grow.

    The last answer is kept: while the position stays before it, it is still the answer, so
    a whole left-to-right pass reads the text once.
    """

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern, self.text = pattern, text
        self.asked, self.found = len(text) + 1, -1  # nothing asked yet

    def at_or_after(self, pos: int) -> int:
        """Start of the first match at or after ``pos``, -1 for none."""
        if self.asked <= pos and (self.found < 0 or pos <= self.found):
            return self.found
        match = self.pattern.search(self.text, pos)
        self.asked, self.found = pos, (match.start() if match else -1)
        return self.found


_NEWLINE_RE = re.compile("\n")


def _strip_emphasis(text: str, opener: re.Pattern[str], closers: dict[str, re.Pattern[str]]) -> str:
    """``text`` with each emphasis replaced by what it holds, in one left-to-right pass.

    What ``re.sub`` does with ``D(?=\\S)(.+?)(?<=\\S)D`` for each delimiter ``D``: from the
    first opening mark, the nearest closing one on the same line, at least a character
    further; then on from there.
    """
    out: list[str] = []
    done = 0
    nexts = {d: _Next(p, text) for d, p in closers.items()}
    newline = _Next(_NEWLINE_RE, text)
    for match in opener.finditer(text):
        start = match.start()
        if start < done:
            continue
        delim = match.group("d")
        inner = start + len(delim)
        close = nexts[delim].at_or_after(inner + 1)
        if close < 0:
            continue
        line_end = newline.at_or_after(inner)
        if 0 <= line_end < close:
            continue
        out += (text[done:start], text[inner:close])
        done = close + len(delim)
    out.append(text[done:])
    return "".join(out)


def _strip_code_spans(text: str, hold: Callable[[str], str]) -> str:
    """``text`` with each code span set aside by ``hold`` (its text stripped of the spaces
    around it): as CommonMark says, a run of backticks opens one that the next run of the
    same length closes; a run that nothing closes is left as it is."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for k, (a, b) in enumerate(runs):
        by_length.setdefault(b - a, []).append(k)
    out: list[str] = []
    done = 0
    k = 0
    while k < len(runs):
        a, b = runs[k]
        same = by_length[b - a]
        later = bisect.bisect_right(same, k)
        if later == len(same):
            k += 1
            continue
        close = same[later]
        content = text[b : runs[close][0]]
        out += (text[done:a], hold(content.strip() or content))
        done = runs[close][1]
        k = close + 1
    out.append(text[done:])
    return "".join(out)


def strip_inline(text: str) -> str:
    """``text`` without inline Markdown markup (see the module's description)."""
    held: list[str] = []

    def hold(value: str) -> str:
        held.append(value)
        return f"{_HOLD}{len(held) - 1}{_HOLD}"

    text = _HARD_BREAK_RE.sub(" ", text.replace(_HOLD, ""))
    text = _strip_code_spans(text, hold)
    text = _ESCAPE_RE.sub(lambda m: hold(m.group(1)), text)
    text = _IMAGE_RE.sub("", text)
    text = _INLINE_LINK_RE.sub(r"\1", text)
    text = _REFERENCE_LINK_RE.sub(r"\1", text)
    text = _FOOTNOTE_REF_RE.sub("", text)
    text = _AUTOLINK_RE.sub(lambda m: hold(m.group(1)), text)
    text = _TAG_RE.sub("", text)
    text = _strip_emphasis(text, _STRONG_OPEN_RE, _STRONG_CLOSE)
    text = _strip_emphasis(text, _STRIKE_OPEN_RE, _STRIKE_CLOSE)
    text = _strip_emphasis(text, _STAR_OPEN_RE, _STAR_CLOSE)
    text = _strip_emphasis(text, _UNDERSCORE_OPEN_RE, _UNDERSCORE_CLOSE)
    text = html.unescape(text)
    return _HELD_RE.sub(lambda m: held[int(m.group(1))], text)


def _table_lines(lines: Sequence[str]) -> set[int]:
    """Indices of the lines of GitHub tables: header, delimiter row and body rows."""
    rows: set[int] = set()
    scanned = 0  # the body rows before it are found already
    for i, line in enumerate(lines):
        if i and "-" in line and "|" in lines[i - 1] and _TABLE_DELIMITER_RE.fullmatch(line):
            rows.update((i - 1, i))
            j = max(i + 1, scanned)
            while j < len(lines) and lines[j].strip() and "|" in lines[j]:
                rows.add(j)
                j += 1
            scanned = j
    return rows


def _cells(line: str) -> list[str]:
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]


def _indented_code(lines: Sequence[str], i: int, open_block: bool) -> bool:
    """Whether line ``i`` belongs to an indented code block: a blank or indented line inside
    one, or an indented line after a blank line that does not go on with a list item."""
    line = lines[i]
    if open_block:
        return not line.strip() or _INDENTED_RE.match(line) is not None
    if not line.strip() or _INDENTED_RE.match(line) is None or (i and lines[i - 1].strip()):
        return False
    before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
    return not (_LIST_RE.fullmatch(before) or _INDENTED_RE.match(before))


class _Blocks:
    """Line-by-line reader of Markdown blocks into a builder."""

    def __init__(self, builder: SourceBuilder) -> None:
        self.builder = builder
        self.paragraph: list[str] = []

    def flush(self, level: int = 0) -> None:
        if self.paragraph:
            self.builder.add(strip_inline("\n".join(self.paragraph)), level)
        self.paragraph = []

    def read(self, lines: Sequence[str]) -> None:
        tables = _table_lines(lines)
        fence: str | None = None
        code: list[str] = []  # the lines of the code block being read
        for i, raw in enumerate(lines):
            if fence is not None:
                if raw.strip().startswith(fence) and not raw.strip().strip(fence[0]):
                    fence = None
                    self.code(code)
                else:
                    code.append(raw)
                continue
            if _indented_code(lines, i, bool(code)) and not self.paragraph:
                code.append(raw[4:] if raw.startswith("    ") else raw[1:])
                continue
            self.code(code)
            start = 0
            quote = _QUOTE_RE.match(raw)
            while quote:  # positions, not copies: a line of a million ">" stays linear
                start = quote.end()
                quote = _QUOTE_RE.match(raw, start)
            line = raw[start:]
            fenced = _FENCE_RE.match(line)
            if fenced:
                self.flush()
                fence = fenced.group(1)
            elif i in tables:
                self.flush()
                if not _TABLE_DELIMITER_RE.fullmatch(line):
                    for cell in _cells(line):
                        self.builder.add(strip_inline(cell))
            else:
                self._line(line)
        self.code(code)
        self.flush()

    def code(self, lines: list[str]) -> None:
        """Add a code block's lines as verbatim units, and empty ``lines``."""
        for line in listing_lines(lines):
            self.builder.add(line, verbatim=True)
        lines.clear()

    def _line(self, line: str) -> None:
        handlers: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], None]], ...] = (
            (_SETEXT_RE, self._setext),
            (_BREAK_RE, lambda _m: self.flush()),
            (_ATX_RE, self._atx),
            (_REFERENCE_RE, lambda _m: self.flush()),
            (_FOOTNOTE_DEF_RE, self._item),
            (_LIST_RE, self._item),
        )
        if not line.strip():
            self.flush()
            return
        for pattern, handle in handlers:
            match = pattern.fullmatch(line)
            if match and (pattern is not _SETEXT_RE or self.paragraph):
                handle(match)
                return
        self.paragraph.append(line.strip())

    def _setext(self, match: re.Match[str]) -> None:
        self.flush(1 if match.group(1).startswith("=") else 2)

    def _atx(self, match: re.Match[str]) -> None:
        self.flush()
        self.builder.add(strip_inline(_atx_text(match)), len(match.group(1)))

    def _item(self, match: re.Match[str]) -> None:
        self.flush()
        if match.group(1):
            self.paragraph.append(match.group(1).strip())


def _atx_text(match: re.Match[str]) -> str:
    """The text of an ATX heading: after its marks, without a closing run of ``#`` that a
    space or a tab precedes, and without the spaces and tabs around it."""
    text = match.string[match.end(1) :].strip(" \t")
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare.rstrip(" \t")
    return text


def _strip_comments(text: str) -> str:
    """``text`` without HTML comments (each from ``<!--`` to the first ``-->`` after it)."""
    out: list[str] = []
    done = 0
    while (start := text.find("<!--", done)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:  # nothing closes it, nor any later one
            break
        out.append(text[done:start])
        done = end + 3
    out.append(text[done:])
    return "".join(out)


def read_markdown_text(text: str) -> SourceText:
    """Paragraphs and headings of a decoded Markdown text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _strip_comments(_FRONT_MATTER_RE.sub("", text, count=1))
    builder = SourceBuilder(kind="markdown")
    _Blocks(builder).read(text.split("\n"))
    return builder.build()


def read_markdown(data: bytes, name: str, encoding: str | None = None) -> SourceText:
    """Read a Markdown file's bytes (BOM detected; ``encoding`` used without one)."""
    return read_markdown_text(decode_bytes(data, name, encoding))
