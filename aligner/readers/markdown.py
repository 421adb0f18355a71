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

import html
import re
from collections.abc import Callable, Sequence

from aligner.readers.encoding import decode_bytes
from aligner.readers.source import SourceBuilder, SourceText
from aligner.readers.verbatim import listing_lines

__all__ = ["read_markdown", "read_markdown_text", "strip_inline"]

_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*")
_SETEXT_RE = re.compile(r" {0,3}(=+|-+)[ \t]*")
_BREAK_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
# A line of an indented code block: four spaces or a tab (after a blank line, outside lists).
_INDENTED_RE = re.compile(r" {4}|\t")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
_LIST_RE = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?(.*))?")
_QUOTE_RE = re.compile(r" {0,3}>[ \t]?")
_REFERENCE_RE = re.compile(r" {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S+.*")
_FOOTNOTE_DEF_RE = re.compile(r" {0,3}\[\^[^\]]+\]:[ \t]*(.*)")
_TABLE_DELIMITER_RE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")

# Inline markup, applied in this order (code spans and escapes are set aside first).
_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_IMAGE_RE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])?")
_INLINE_LINK_RE = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+[\"'(][^)]*)?\)")
_REFERENCE_LINK_RE = re.compile(r"\[([^\]^][^\]]*)\]\[[^\]]*\]")
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\]]+\]")
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+|[^@\s<>]+@[^@\s<>]+)>")
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STAR_RE = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")
_UNDERSCORE_RE = re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_HARD_BREAK_RE = re.compile(r"(?: {2,}|\\)\n")
# Set-aside text travels as a private-use character followed by its index.
_HOLD = "\ue000"
_HELD_RE = re.compile(_HOLD + r"(\d+)" + _HOLD)


def strip_inline(text: str) -> str:
    """``text`` without inline Markdown markup (see the module's description)."""
    held: list[str] = []

    def hold(value: str) -> str:
        held.append(value)
        return f"{_HOLD}{len(held) - 1}{_HOLD}"

    text = _HARD_BREAK_RE.sub(" ", text.replace(_HOLD, ""))
    text = _CODE_SPAN_RE.sub(lambda m: hold(m.group(2).strip() or m.group(2)), text)
    text = _ESCAPE_RE.sub(lambda m: hold(m.group(1)), text)
    text = _IMAGE_RE.sub("", text)
    text = _INLINE_LINK_RE.sub(r"\1", text)
    text = _REFERENCE_LINK_RE.sub(r"\1", text)
    text = _FOOTNOTE_REF_RE.sub("", text)
    text = _AUTOLINK_RE.sub(lambda m: hold(m.group(1)), text)
    text = _TAG_RE.sub("", text)
    for pattern in (_STRONG_RE, _STRIKE_RE):
        text = pattern.sub(r"\2" if pattern is _STRONG_RE else r"\1", text)
    text = _STAR_RE.sub(r"\1", text)
    text = _UNDERSCORE_RE.sub(r"\1", text)
    text = html.unescape(text)
    return _HELD_RE.sub(lambda m: held[int(m.group(1))], text)


def _table_lines(lines: Sequence[str]) -> set[int]:
    """Indices of the lines of GitHub tables: header, delimiter row and body rows."""
    rows: set[int] = set()
    for i, line in enumerate(lines):
        if i and "-" in line and "|" in lines[i - 1] and _TABLE_DELIMITER_RE.fullmatch(line):
            rows.update((i - 1, i))
            j = i + 1
            while j < len(lines) and lines[j].strip() and "|" in lines[j]:
                rows.add(j)
                j += 1
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
            line = raw
            quote = _QUOTE_RE.match(line)
            while quote:
                line = line[quote.end() :]
                quote = _QUOTE_RE.match(line)
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
        self.builder.add(strip_inline(match.group(2) or ""), len(match.group(1)))

    def _item(self, match: re.Match[str]) -> None:
        self.flush()
        if match.group(1):
            self.paragraph.append(match.group(1).strip())


def read_markdown_text(text: str) -> SourceText:
    """Paragraphs and headings of a decoded Markdown text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _COMMENT_RE.sub("", _FRONT_MATTER_RE.sub("", text, count=1))
    builder = SourceBuilder(kind="markdown")
    _Blocks(builder).read(text.split("\n"))
    return builder.build()


def read_markdown(data: bytes, name: str, encoding: str | None = None) -> SourceText:
    """Read a Markdown file's bytes (BOM detected; ``encoding`` used without one)."""
    return read_markdown_text(decode_bytes(data, name, encoding))
