"""Small EPUB books built in the tests (no fixture files)."""

from __future__ import annotations

import io
import zipfile


def xhtml(lang: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}"><head><title>t</title>'
        f"</head><body>{body}</body></html>"
    )


def make_epub(lang: str, chapters: list[str]) -> bytes:
    """A minimal EPUB 3 book, one spine document per chapter."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OPS/book.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        items = "".join(
            f'<item id="c{k}" href="c{k}.xhtml" media-type="application/xhtml+xml"/>'
            for k in range(len(chapters))
        )
        spine = "".join(f'<itemref idref="c{k}"/>' for k in range(len(chapters)))
        z.writestr(
            "OPS/book.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
            'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:identifier id="id">x</dc:identifier><dc:title>T</dc:title>'
            f"<dc:language>{lang}</dc:language></metadata><manifest>{items}</manifest>"
            f"<spine>{spine}</spine></package>",
        )
        for k, body in enumerate(chapters):
            z.writestr(f"OPS/c{k}.xhtml", xhtml(lang, body))
    return buffer.getvalue()
