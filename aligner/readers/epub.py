"""EPUB 2 and 3: the content documents in spine order, each a chapter, read as HTML.

An EPUB is a zip: ``META-INF/container.xml`` names the package file (OPF), whose manifest
lists the files and whose spine gives the reading order. Left out: the EPUB 3 navigation
document (manifest property ``nav``), documents the guide marks as a table of contents,
non-linear spine items (notes and covers shown on demand), anything that is not (X)HTML, and a
document the spine names twice (some generators list one file once per fragment). Inside each
document, navigation, scripts and styles are dropped as :mod:`aligner.readers.html` does.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from aligner.errors import AlignerError, InputError
from aligner.readers.archive import open_archive
from aligner.readers.encoding import decode_bytes
from aligner.readers.html import declared_encoding, feed_html
from aligner.readers.limits import DEFAULT_LIMITS, Limits, too_many
from aligner.readers.source import ZIP_ERRORS, SourceBuilder, SourceText
from aligner.readers.xmlsafe import parse_xml

__all__ = ["EPUB_MIMETYPE", "read_epub", "spine_paths"]

#: The content of an EPUB's ``mimetype`` file.
EPUB_MIMETYPE = "application/epub+zip"
_CONTAINER = "META-INF/container.xml"
_ENCRYPTION = "META-INF/encryption.xml"
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})


@dataclass(frozen=True)
class _Item:
    path: str  # inside the zip
    media_type: str
    properties: frozenset[str]


def _local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _member(archive: zipfile.ZipFile, path: str, name: str) -> bytes:
    try:
        info = archive.getinfo(path)
    except KeyError:
        raise InputError(f"{name}: the EPUB lists {path} but does not contain it") from None
    try:
        return archive.read(info)
    except AlignerError:
        raise
    except ZIP_ERRORS as exc:
        raise InputError(f"{name}: cannot read {path} from the EPUB ({exc})") from None


def _xml(archive: zipfile.ZipFile, path: str, name: str) -> ET.Element:
    return parse_xml(_member(archive, path, name), name, f"{path} in the EPUB")


def _package_path(archive: zipfile.ZipFile, name: str) -> str:
    """The OPF package file: the container's first rootfile, else the only .opf in the zip."""
    if _CONTAINER in archive.namelist():
        for element in _xml(archive, _CONTAINER, name).iter():
            if _local(element.tag) == "rootfile" and element.get("full-path"):
                return str(element.get("full-path"))
    found = [n for n in archive.namelist() if n.lower().endswith(".opf")]
    if len(found) == 1:
        return found[0]
    raise InputError(f"{name}: not an EPUB (no package file named in {_CONTAINER})")


def _resolve(base: str, href: str) -> str:
    """A manifest href (relative to the package file, %-encoded, maybe with #fragment)."""
    path = unquote(href.split("#", 1)[0])
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), path))


def _encrypted(archive: zipfile.ZipFile, name: str) -> frozenset[str]:
    """Paths the EPUB declares encrypted (DRM, or obfuscated fonts)."""
    if _ENCRYPTION not in archive.namelist():
        return frozenset()
    root = _xml(archive, _ENCRYPTION, name)
    return frozenset(
        unquote(str(e.get("URI")))
        for e in root.iter()
        if _local(e.tag) == "CipherReference" and e.get("URI")
    )


def spine_paths(archive: zipfile.ZipFile, name: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The paths of the content documents to read, in reading order (LimitError past
    ``limits.max_spine_items``)."""
    opf = _package_path(archive, name)
    root = _xml(archive, opf, name)
    items: dict[str, _Item] = {}
    spine: list[tuple[str, str]] = []
    tocs: set[str] = set()
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "item" and element.get("id") and element.get("href"):
            items[str(element.get("id"))] = _Item(
                _resolve(opf, str(element.get("href"))),
                str(element.get("media-type", "")).lower(),
                frozenset(str(element.get("properties", "")).split()),
            )
        elif tag == "itemref" and element.get("idref"):
            spine.append((str(element.get("idref")), str(element.get("linear", "yes"))))
            if len(spine) > limits.max_spine_items:
                raise too_many(
                    name, "documents in the EPUB's reading order", limits.max_spine_items
                )
        elif (
            tag == "reference" and element.get("type", "").lower() == "toc" and element.get("href")
        ):
            tocs.add(_resolve(opf, str(element.get("href"))))
    paths: list[str] = []
    seen: set[str] = set()  # a set: a list's look-up made 100,000 items take minutes
    for idref, linear in spine:
        item = items.get(idref)
        if item is None or linear.lower() == "no" or item.media_type not in _HTML_TYPES:
            continue
        if "nav" in item.properties or item.path in tocs or item.path in seen:
            continue
        paths.append(item.path)
        seen.add(item.path)
    return paths


def read_epub(
    data: bytes, name: str, encoding: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> SourceText:
    """Read an EPUB's bytes: one chapter per content document of the spine.

    ``encoding`` applies to content documents that have no BOM; without it, each document's
    declared encoding is used, else UTF-8. ``limits`` bounds the files, the documents of the
    spine and the bytes inflated (LimitError past one).
    """
    with open_archive(data, name, "EPUB", limits) as archive:
        paths = spine_paths(archive, name, limits)
        locked = _encrypted(archive, name)
        builder = SourceBuilder(kind="epub")
        for path in paths:
            if path in locked:
                raise InputError(f"{name}: the EPUB is encrypted (DRM); it cannot be read")
            raw = _member(archive, path, name)
            default = declared_encoding(raw) or "utf-8"
            try:
                text = decode_bytes(raw, f"{name}:{path}", encoding, default=default)
            except InputError:
                if default == "utf-8":
                    raise
                text = decode_bytes(raw, f"{name}:{path}", encoding)
            builder.start_chapter()
            feed_html(builder, text)
    return builder.build()
