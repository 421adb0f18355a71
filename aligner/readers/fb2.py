"""FB2 (FictionBook 2, and .fb2.zip): sections as chapters, titles as headings.

An FB2 book is one XML document: ``description`` (metadata, not read), one or more ``body``
elements and ``binary`` images (not read). The first body is the text; a body named ``notes``
or ``comments`` holds the notes, read after it as a chapter of their own. Each top-level
``section`` of the text opens a chapter; a ``title`` is a heading (the body's level 1, a
chapter's too, as HTML's ``h1``; one deeper per nesting), a ``subtitle`` a heading below its
section's. Epigraphs, poems (a paragraph a stanza), citations and the lines that sign them stay
paragraphs of their own, apart from the prose around them; note calls (``<a type="note">``)
are left out of the prose, as the other readers drop theirs; ``code`` paragraphs are kept
verbatim. The XML is parsed safely (:mod:`aligner.readers.xmlsafe`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

from aligner.errors import AlignerError, InputError
from aligner.readers.archive import open_archive
from aligner.readers.limits import DEFAULT_LIMITS, Limits
from aligner.readers.source import MAX_HEADING_LEVEL, ZIP_ERRORS, SourceBuilder, SourceText
from aligner.readers.verbatim import listing_lines
from aligner.readers.xmlsafe import parse_xml

__all__ = ["fb2_member", "read_fb2"]

#: Largest book read from a zip (uncompressed): a zip bomb is refused.
MAX_BOOK_BYTES = 256 * 1024 * 1024

_NOTE_BODIES = frozenset({"notes", "comments", "footnotes"})
# Blocks whose paragraphs are read one by one, in order.
_CONTAINERS = frozenset({"section", "epigraph", "cite", "annotation", "table", "tr"})
_CELLS = frozenset({"td", "th"})


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: ET.Element) -> str:
    """An inline element's text, note calls left out."""
    parts = [element.text or ""]
    for child in element:
        if not (_local(child.tag) == "a" and child.get("type") == "note"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Book:
    """Walks an FB2 body into a builder."""

    def __init__(self, builder: SourceBuilder) -> None:
        self.builder = builder

    def title(self, element: ET.Element, level: int) -> None:
        lines = [_text(p) for p in element if _local(p.tag) == "p"]
        text = " ".join(lines) if lines else _text(element)
        if text.strip(" \t\n[]()*.0123456789"):  # a note's number alone is no heading
            self.builder.add(text, min(level, MAX_HEADING_LEVEL))

    def block(self, element: ET.Element, depth: int) -> None:
        """The paragraphs of a block element; ``depth`` is its section's nesting."""
        tag = _local(element.tag)
        if tag == "title":
            self.title(element, max(depth, 1))
        elif tag == "subtitle":
            self.builder.add(_text(element), min(depth + 1, MAX_HEADING_LEVEL))
        elif tag == "section":
            if depth == 0:
                self.builder.start_chapter()
            for child in element:
                self.block(child, depth + 1)
        elif tag == "poem":
            for child in element:
                if _local(child.tag) == "stanza":
                    for verse in child:  # a stanza's title, subtitle or verses
                        if _local(verse.tag) in ("title", "subtitle"):
                            self.block(verse, depth)
                    verses = [_text(v) for v in child if _local(v.tag) == "v"]
                    self.builder.add(" ".join(verses))
                else:
                    self.block(child, depth)
        elif tag == "code":
            for line in listing_lines((element.text or "").split("\n")):
                self.builder.add(line, verbatim=True)
        elif tag in _CONTAINERS:
            for child in element:
                self.block(child, depth)
        elif tag in ("p", "v", "text-author", "date", *_CELLS):
            children = list(element)
            only_code = (
                len(children) == 1
                and _local(children[0].tag) == "code"
                and not (element.text or "").strip()
                and not (children[0].tail or "").strip()
            )
            if only_code:
                for line in listing_lines(_text(element).split("\n")):
                    self.builder.add(line, verbatim=True)
            else:
                self.builder.add(_text(element))
        # image, empty-line, binary: nothing to read


def fb2_member(archive: zipfile.ZipFile) -> str | None:
    """The .fb2 file inside a zip archive (the first one), None if it holds none."""
    return next((n for n in archive.namelist() if n.lower().endswith(".fb2")), None)


def _unzip(data: bytes, name: str, limits: Limits) -> bytes:
    try:
        with open_archive(data, name, "zipped FB2", limits) as archive:
            member = fb2_member(archive)
            if member is None:
                raise InputError(f"{name}: a zip archive without an .fb2 book in it")
            info = archive.getinfo(member)
            if info.file_size > MAX_BOOK_BYTES:
                raise InputError(f"{name}: {member} is too large ({info.file_size} bytes)")
            return archive.read(info)
    except AlignerError:
        raise
    except ZIP_ERRORS as exc:
        raise InputError(f"{name}: cannot read the FB2 book from the zip ({exc})") from None


def read_fb2(
    data: bytes, name: str, encoding: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> SourceText:
    """Read an FB2 book's bytes, or a zip holding one (``encoding`` is not used: the XML
    declares its own, often windows-1251); the bytes inflated count against ``limits``."""
    if data.startswith(b"PK"):
        data = _unzip(data, name, limits)
    root = parse_xml(data, name, "the FB2 book")
    if _local(root.tag) != "FictionBook":
        raise InputError(f"{name}: not an FB2 book (its root element is {_local(root.tag)})")
    builder = SourceBuilder(kind="fb2")
    book = _Book(builder)
    bodies = [b for b in root if _local(b.tag) == "body"]
    text = [b for b in bodies if b.get("name", "").lower() not in _NOTE_BODIES] or bodies[:1]
    for body in text:
        for child in body:
            book.block(child, 0)
    for body in bodies:
        if body in text:
            continue
        builder.start_chapter()
        for child in body:
            book.block(child, 1)
    return builder.build()
