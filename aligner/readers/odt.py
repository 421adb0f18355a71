"""ODT (OpenDocument text, LibreOffice): paragraphs, headings, lists, tables, notes, code.

``content.xml`` holds the body (``office:text``): ``text:h`` headings with their outline
level, ``text:p`` paragraphs, lists, tables and sections holding more of them. Spaces
(``text:s``), tabs and line breaks are spaces; tracked deletions, comments, generated indexes
(table of contents, alphabetical index…) and note citations are left out. A footnote's or an
endnote's paragraphs follow the paragraph that calls it, apart from it; the paragraphs of a
text frame follow the paragraph that holds it. A paragraph whose style (or a style it
inherits from, in ``content.xml`` or ``styles.xml``) is named for code (``Preformatted Text``,
``Source Code``, ``Code``, ``Verbatim``, ``Listing``) is kept verbatim, a unit a line. The XML is
parsed safely (:mod:`aligner.readers.xmlsafe`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from aligner.errors import InputError
from aligner.readers.archive import open_archive, xml_part
from aligner.readers.limits import DEFAULT_LIMITS, Limits
from aligner.readers.source import MAX_HEADING_LEVEL, SourceBuilder, SourceText
from aligner.readers.verbatim import listing_lines

__all__ = ["CONTENT_PART", "ODT_MIMETYPE", "read_odt"]

#: The body's part inside the zip.
CONTENT_PART = "content.xml"
#: The ``mimetype`` of an OpenDocument text.
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_CODE_STYLE_RE = re.compile(r"preformatted|source|code|verbatim|listing", re.IGNORECASE)
# Elements left out with everything inside them.
_SKIPPED = frozenset(
    {
        f"{_TEXT}tracked-changes",
        f"{_TEXT}note-citation",
        f"{_OFFICE}annotation",
        f"{_TEXT}sequence-decls",
        f"{_TEXT}variable-decls",
        f"{_TEXT}table-of-content",
        f"{_TEXT}alphabetical-index",
        f"{_TEXT}illustration-index",
        f"{_TEXT}table-index",
        f"{_TEXT}object-index",
        f"{_TEXT}user-index",
        f"{_TEXT}bibliography",
        f"{_TABLE}table-header-rows-decls",
    }
)
_BREAKS = frozenset({f"{_TEXT}tab", f"{_TEXT}line-break"})


def _code_styles(*parts: ET.Element | None) -> frozenset[str]:
    """Names of the paragraph styles that are code, or inherit from a style that is."""
    parents: dict[str, str] = {}
    names: dict[str, str] = {}
    for part in parts:
        if part is None:
            continue
        for style in part.iter(f"{_STYLE}style"):
            name = style.get(f"{_STYLE}name")
            if name is None:
                continue
            parents[name] = style.get(f"{_STYLE}parent-style-name", "")
            names[name] = style.get(f"{_STYLE}display-name", name.replace("_20_", " "))
    code: set[str] = set()
    for name in names:
        seen: set[str] = set()
        current = name
        while current and current not in seen:
            seen.add(current)
            if _CODE_STYLE_RE.search(names.get(current, current)):
                code.add(name)
                break
            current = parents.get(current, "")
    return frozenset(code)


class _Body:
    """Walks ``office:text`` into a builder."""

    def __init__(self, builder: SourceBuilder, code_styles: frozenset[str]) -> None:
        self.builder = builder
        self.code_styles = code_styles

    def blocks(self, element: ET.Element) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag in (f"{_TEXT}p", f"{_TEXT}h"):
                self.paragraph(child)
            else:
                self.blocks(child)  # lists, list items, tables, rows, cells, sections

    def paragraph(self, element: ET.Element) -> None:
        parts: list[str] = []
        aside: list[ET.Element] = []  # notes and frames, read after the paragraph
        self.inline(element, parts, aside)
        text = "".join(parts)
        if element.get(f"{_TEXT}style-name", "") in self.code_styles:
            for line in listing_lines(text.split("\n")):
                self.builder.add(line, verbatim=True)
        elif element.tag == f"{_TEXT}h":
            level = element.get(f"{_TEXT}outline-level", "1")
            number = int(level) if level.isdigit() else 1
            self.builder.add(text, min(max(number, 1), MAX_HEADING_LEVEL))
        else:
            self.builder.add(text)
        for inner in aside:
            self.blocks(inner)

    def inline(self, element: ET.Element, parts: list[str], aside: list[ET.Element]) -> None:
        parts.append(element.text or "")
        for child in element:
            tag = child.tag
            if tag in _SKIPPED:
                pass
            elif tag == f"{_TEXT}s":
                count = child.get(f"{_TEXT}c", "1")
                parts.append(" " * (int(count) if count.isdigit() else 1))
            elif tag in _BREAKS:
                # A line break inside code is a line of the listing; elsewhere a space.
                parts.append("\n" if tag == f"{_TEXT}line-break" else "\t")
            elif tag == f"{_TEXT}note":
                aside.extend(child.iter(f"{_TEXT}note-body"))
            elif tag == f"{_DRAW}frame":
                aside.append(child)
            else:
                self.inline(child, parts, aside)
            parts.append(child.tail or "")


def read_odt(
    data: bytes, name: str, encoding: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> SourceText:
    """Read an ODT file's bytes (``encoding`` is not used: the XML parts declare theirs);
    the bytes inflated from it count against ``limits``."""
    with open_archive(data, name, "ODT", limits) as archive:
        content = xml_part(archive, CONTENT_PART, name, "ODT", limits)
        if content is None:
            raise InputError(f"{name}: not an ODT (no {CONTENT_PART} inside)")
        styles = xml_part(archive, "styles.xml", name, "ODT", limits)
    builder = SourceBuilder(kind="odt")
    body = content.find(f"{_OFFICE}body/{_OFFICE}text")
    _Body(builder, _code_styles(content, styles)).blocks(body if body is not None else content)
    return builder.build()
