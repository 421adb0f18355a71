"""Zip archives (EPUB, DOCX) read within limits: members counted, bytes counted as they inflate.

A zip's headers say how large each member is, but nothing obliges them to tell the truth: the
bytes are counted while they are inflated, across all the members read from one archive, and
reading stops at :attr:`~aligner.readers.limits.Limits.max_unpacked_bytes`.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from typing import IO, Any

from aligner.errors import AlignerError, InputError
from aligner.readers.limits import (
    DEFAULT_LIMITS,
    Limits,
    too_deep,
    too_many,
    unpacked_too_large,
)
from aligner.readers.source import ZIP_ERRORS
from aligner.readers.xmlsafe import parse_xml

__all__ = ["LimitedZip", "check_depth", "open_archive"]

#: Bytes inflated at a time: a member is read in bounded pieces so that a bomb is stopped at
#: the limit, not after it has filled the memory.
CHUNK_BYTES = 1024 * 1024
# The signature that opens each entry of a zip's central directory.
_CENTRAL_ENTRY = b"PK\x01\x02"


class LimitedZip(zipfile.ZipFile):
    """A zip archive in memory whose :meth:`read` counts the bytes inflated, in total."""

    def __init__(self, data: bytes, name: str, limits: Limits) -> None:
        super().__init__(io.BytesIO(data))
        self.source_name = name
        self.limits = limits
        self.unpacked = 0

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        """The member's bytes; LimitError once the archive's total passes the limit.

        A member whose header already says it is too large is refused before inflating; one
        whose header says less is stopped where the count passes the limit (or by its CRC).
        """
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        if self.unpacked + info.file_size > self.limits.max_unpacked_bytes:
            raise unpacked_too_large(self.source_name, self.limits)
        chunks: list[bytes] = []
        handle: IO[bytes]
        with self.open(info, "r", pwd) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                self.unpacked += len(chunk)
                if self.unpacked > self.limits.max_unpacked_bytes:
                    raise unpacked_too_large(self.source_name, self.limits)
                chunks.append(chunk)
        return b"".join(chunks)


def open_archive(data: bytes, name: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> LimitedZip:
    """``data`` opened as a zip; InputError if it is none, or holds too many files.

    The files are counted before the archive's directory is read into memory: each entry of
    the directory begins with a signature, so their number is at most the signature's count.
    """
    if data.count(_CENTRAL_ENTRY) > limits.max_members:
        raise too_many(name, "files in the archive", limits.max_members)
    try:
        archive = LimitedZip(data, name, limits)
    except ZIP_ERRORS:
        raise InputError(f"{name}: not a valid {kind} (not a readable zip archive)") from None
    if len(archive.infolist()) > limits.max_members:
        archive.close()
        raise too_many(name, "files in the archive", limits.max_members)
    return archive


def check_depth(root: ET.Element, name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """LimitError when elements under ``root`` nest deeper than ``limits.max_depth``.

    The readers walk documents recursively; this walk keeps its own stack, so it reaches any
    depth.
    """
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > limits.max_depth:
            raise too_deep(name, limits.max_depth)
        stack.extend((child, depth + 1) for child in element)


def xml_part(
    archive: zipfile.ZipFile, path: str, name: str, kind: str, limits: Limits = DEFAULT_LIMITS
) -> ET.Element | None:
    """The XML part ``path`` of the ``kind`` archive ``name`` (an ODT, a DOCX), parsed safely
    (:func:`~aligner.readers.xmlsafe.parse_xml`) and checked for depth before a reader walks it
    recursively; None when the archive has no such part."""
    try:
        info = archive.getinfo(path)
    except KeyError:
        return None
    try:
        root = parse_xml(archive.read(info), name, f"{path} in the {kind}")
    except AlignerError:
        raise
    except ZIP_ERRORS as exc:
        raise InputError(f"{name}: cannot read {path} from the {kind} ({exc})") from None
    check_depth(root, f"{name}: {path}", limits)
    return root
