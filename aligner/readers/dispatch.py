"""Reading any document: EPUB, HTML, DOCX, ODT, FB2, PDF, Markdown and plain text to a
:class:`SourceText`.

:func:`read_source` chooses the reader by the file's content where the content is unmistakable
(a zip holding an EPUB, a DOCX, an ODT or an FB2 book; a PDF header; text that opens as an
HTML document or an FB2 book) and by its extension otherwise, so a misnamed file is still read
right. Formats it cannot read (legacy Word, RTF, other OpenDocument files, any other zip) are
refused with one sentence saying what to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath

from aligner.errors import InputError
from aligner.readers.archive import open_archive
from aligner.readers.docx import DOCUMENT_PART, read_docx
from aligner.readers.encoding import decode_bytes, sniff_bom
from aligner.readers.epub import EPUB_MIMETYPE, read_epub
from aligner.readers.fb2 import fb2_member, read_fb2
from aligner.readers.html import read_html, read_html_text
from aligner.readers.limits import DEFAULT_LIMITS, LimitError, Limits, input_too_large
from aligner.readers.markdown import read_markdown, read_markdown_text
from aligner.readers.odt import CONTENT_PART, ODT_MIMETYPE, read_odt
from aligner.readers.pdf import read_pdf
from aligner.readers.plain import read_plain, read_plain_text
from aligner.readers.source import ZIP_ERRORS, Heading, SourceText
from aligner.readers.text import read_bytes

__all__ = [
    "EXTENSIONS",
    "READERS",
    "Heading",
    "SourceText",
    "kind_of",
    "read_file",
    "read_source",
]

Reader = Callable[[bytes, str, str | None], SourceText]
LimitedReader = Callable[[bytes, str, str | None, Limits], SourceText]

#: Readers by kind.
READERS: dict[str, Reader] = {
    "epub": read_epub,
    "docx": read_docx,
    "html": read_html,
    "markdown": read_markdown,
    "pdf": read_pdf,
    "text": read_plain,
}
#: Readers that take the limits (archives: files, bytes inflated, nesting).
LIMITED_READERS: dict[str, LimitedReader] = {
    "epub": read_epub,
    "docx": read_docx,
    "odt": read_odt,
    "fb2": read_fb2,
}

#: The kind each file extension names; any other extension is read as plain text.
EXTENSIONS: dict[str, str] = {
    ".epub": "epub",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xht": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".pdf": "pdf",
    ".fb2": "fb2",
    ".odt": "odt",
}

#: Bytes at the start of a file looked at to recognise its format.
SNIFF_BYTES = 1024

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# A PDF opens with its header (some writers put white space before it).
_PDF_MAGIC = b"%PDF-"
# Formats recognised only to be refused with advice.
_REFUSED = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Office file (.doc): save it as .docx and align that",
    ),
    (b"{\\rtf", "an RTF file: save it as .docx or plain text and align that"),
)
_FB2_START_RE = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<FictionBook[\s>]", re.DOTALL
)
_HTML_START_RE = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def _zip_kind(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The kind of a zip archive (EPUB, DOCX, ODT, a zipped FB2); InputError for any other."""
    try:
        with open_archive(data, name, "zip archive", limits) as archive:
            names = set(archive.namelist())
            mimetype = ""
            if "mimetype" in names:
                with archive.open("mimetype") as handle:  # its first bytes only: a bomb stays shut
                    mimetype = handle.read(100).decode("ascii", "replace").strip()
            fb2 = fb2_member(archive)
    except LimitError:
        raise
    except (InputError, *ZIP_ERRORS):
        raise InputError(f"{name}: a damaged zip archive") from None
    if mimetype == EPUB_MIMETYPE or "META-INF/container.xml" in names:
        return "epub"
    if DOCUMENT_PART in names:
        return "docx"
    if mimetype == ODT_MIMETYPE or (not mimetype and CONTENT_PART in names):
        return "odt"
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        raise InputError(
            f"{name}: an OpenDocument file that is not a text ({mimetype}); save it as .odt"
        )
    if fb2 is not None:
        return "fb2"
    raise InputError(f"{name}: a zip archive that holds no EPUB, DOCX, ODT or FB2 book")


_NOT = {
    "epub": "not a zip archive",
    "docx": "not a zip archive",
    "odt": "not a zip archive",
    "pdf": "no %PDF- header",
}


def _looks_like_html(head: str) -> bool:
    return _HTML_START_RE.match(head) is not None


def kind_of(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The reader for ``data``: by content where it is unmistakable, else by extension."""
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data, name, limits)
    if data[:SNIFF_BYTES].lstrip(b"\x00\t\n\r ").startswith(_PDF_MAGIC):
        return "pdf"
    for magic, what in _REFUSED:
        if data.startswith(magic):
            raise InputError(f"{name}: {what}")
    by_extension = EXTENSIONS.get(PurePath(name).suffix.lower(), "text")
    if by_extension in ("epub", "docx", "pdf", "odt"):
        raise InputError(f"{name}: not a valid {by_extension.upper()} ({_NOT[by_extension]})")
    bom = sniff_bom(data)
    head = data[bom[1] if bom and bom[0] == "utf-8" else 0 : SNIFF_BYTES]
    if _FB2_START_RE.match(head.decode("latin-1")):
        return "fb2"
    if by_extension != "html" and _looks_like_html(head.decode("latin-1")):
        return "html"
    return by_extension


def read_source(
    data: bytes, name: str, encoding: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> SourceText:
    """Read a document's bytes with the reader its content or extension calls for.

    ``encoding`` is used for text without a byte-order mark (None: the HTML's declared
    encoding, else UTF-8). Raises InputError for a format it does not read, binary data, a
    decoding error, a document with no text, or one past ``limits``.
    """
    if len(data) > limits.max_input_bytes:
        raise input_too_large(name, limits)
    kind = kind_of(data, name, limits)
    if kind in ("text", "markdown"):
        text = decode_bytes(data, name, encoding)
        # Text that opens as an HTML document once decoded (UTF-16, say) is HTML.
        source = (
            read_html_text(text)
            if _looks_like_html(text[:SNIFF_BYTES])
            else (read_plain_text(text) if kind == "text" else read_markdown_text(text))
        )
    elif kind in LIMITED_READERS:
        source = LIMITED_READERS[kind](data, name, encoding, limits)
    else:
        source = READERS[kind](data, name, encoding)
    if not source.text.strip():
        raise InputError(f"{name}: is empty" if kind == "text" else f"{name}: no text in it")
    return source


def read_file(
    path: str | PurePath, encoding: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> SourceText:
    """Read a document from a file (see :func:`read_source`), with clear errors."""
    return read_source(read_bytes(str(path), limits), str(path), encoding, limits)
