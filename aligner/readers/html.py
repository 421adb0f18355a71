"""HTML and XHTML: block elements as paragraphs, headings kept, scripts, styles and navigation
dropped, character references decoded (the standard library's forgiving parser).

What is dropped with everything inside it: ``head``, ``script``, ``style``, ``nav``,
``template``, ``noscript``, ``svg``, ``math``, ``iframe``, ``object``, form controls, ruby
annotations (``rt``, ``rp``), elements marked ``hidden`` or ``aria-hidden="true"``, and the
navigation of generated books: the class names ``toc``, ``navheader``, ``navfooter``,
``navigation``, ``breadcrumb(s)``, the roles ``navigation`` and ``doc-toc``, and the EPUB
types ``toc``, ``landmarks``, ``page-list``, ``noteref`` and ``pagebreak``. One ``<br>`` is a
space; two or more in a row end a paragraph. Each line of a ``<pre>`` block is a paragraph, kept
verbatim (line numbers that count up taken off, :mod:`aligner.readers.verbatim`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from aligner.readers.encoding import decode_bytes, text_codec
from aligner.readers.source import SourceBuilder, SourceText
from aligner.readers.verbatim import listing_lines

__all__ = ["declared_encoding", "feed_html", "read_html", "read_html_text"]

#: Bytes at the start of a file searched for a declared character set.
CHARSET_SNIFF_BYTES = 2048

_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "listing",
        "main",
        "menu",
        "ol",
        "p",
        "plaintext",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "xmp",
    ]
)
_DROPPED = frozenset(
    [
        "head",
        "script",
        "style",
        "nav",
        "template",
        "noscript",
        "svg",
        "math",
        "iframe",
        "object",
        "select",
        "textarea",
        "button",
        "option",
        "rt",
        "rp",
        "title",
    ]
)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_DROPPED_CLASSES = frozenset(
    {
        "toc",
        "navheader",
        "navfooter",
        "navigation",
        "breadcrumb",
        "breadcrumbs",
    }
)
_DROPPED_ROLES = frozenset({"navigation", "doc-toc"})
_DROPPED_EPUB_TYPES = frozenset({"toc", "landmarks", "page-list", "noteref", "pagebreak"})
_HEADING_RE = re.compile(r"h([1-6])")
# A <br>: one is a space, two or more in a row end a paragraph. NUL never reaches the parser's
# text (it is removed first), so it can mark them.
_BR = "\x00"
_BR_RUN_RE = re.compile(_BR + r"(?:\s*" + _BR + ")+")
_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


def _dropped(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Whether an element is left out with everything inside it."""
    if tag in _DROPPED:
        return True
    for key, value in attrs:
        words = set((value or "").lower().split())
        if key == "hidden" or (key == "aria-hidden" and words == {"true"}):
            return True
        if (
            (key == "class" and words & _DROPPED_CLASSES)
            or (key == "role" and words & _DROPPED_ROLES)
            or (key == "epub:type" and words & _DROPPED_EPUB_TYPES)
        ):
            return True
    return False


class _Reader(HTMLParser):
    """Feeds the paragraphs of one HTML document to a builder."""

    def __init__(self, builder: SourceBuilder) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self.buffer: list[str] = []
        self.level = 0  # heading level of the text being collected, 0 outside headings
        self.pre = 0  # depth of <pre> elements
        self.skip: list[str] = []  # the dropped element being skipped, and nested same tags

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        if self.pre:  # code or preformatted text: a verbatim unit a line
            for line in listing_lines(text.replace(_BR, "\n").split("\n")):
                self.builder.add(line, self.level, verbatim=True)
            return
        for part in _BR_RUN_RE.split(text):
            self.builder.add(part.replace(_BR, " "), self.level)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if tag == "body" and self.skip[0] == "head":  # a head left open
                self.skip = []
            elif tag == self.skip[0] and tag not in _VOID:
                self.skip.append(tag)
            return
        if _dropped(tag, attrs):
            if tag not in _VOID:
                self.skip.append(tag)
            return
        if tag == "br":
            self.buffer.append(_BR)
        elif tag in _BLOCKS:
            self.flush()
            heading = _HEADING_RE.fullmatch(tag)
            if heading:
                self.level = int(heading.group(1))
            if tag in ("pre", "listing", "xmp", "plaintext"):
                self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # XHTML's <a id="x"/>, <br/>: an element with nothing inside.
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and (not self.skip or self.skip[-1] == tag):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[0]:
                self.skip.pop()
            return
        if tag in _BLOCKS:
            self.flush()
            if _HEADING_RE.fullmatch(tag):
                self.level = 0
            if tag in ("pre", "listing", "xmp", "plaintext") and self.pre:
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buffer.append(data.replace(_BR, ""))

    def close(self) -> None:
        super().close()
        self.flush()


def feed_html(builder: SourceBuilder, text: str) -> None:
    """Add the paragraphs and headings of an HTML document to ``builder``."""
    reader = _Reader(builder)
    reader.feed(text)
    reader.close()


def declared_encoding(data: bytes) -> str | None:
    """The character set a ``<meta charset>`` or an XML declaration names near the start, if
    it is a text encoding Python knows (not "rot13", not "undefined")."""
    match = _CHARSET_RE.search(data[:CHARSET_SNIFF_BYTES])
    if match is None:
        return None
    return text_codec((match.group(1) or match.group(2)).decode("ascii"))


def read_html_text(text: str, kind: str = "html") -> SourceText:
    """Paragraphs and headings of a decoded HTML document."""
    builder = SourceBuilder(kind=kind)
    feed_html(builder, text)
    return builder.build()


def read_html(data: bytes, name: str, encoding: str | None = None) -> SourceText:
    """Read an HTML or XHTML file's bytes.

    The encoding is the BOM's, else ``encoding``, else the one the document declares, else
    UTF-8.
    """
    # An unknown name declared: read as UTF-8.
    declared = declared_encoding(data) if encoding is None else None
    return read_html_text(decode_bytes(data, name, encoding, default=declared or "utf-8"))
