"""Bytes to text: Unicode byte-order marks found, binary data refused, decoding errors located."""

from __future__ import annotations

import codecs
import re

from aligner.errors import DecodeError, InputError

__all__ = ["decode_bytes", "sniff_bom", "text_codec"]

#: How much of a file is inspected for NUL bytes (binary data, or UTF-16/32 without a BOM).
SNIFF_BYTES = 8192
#: Without a BOM, text is taken for UTF-16 when at least this share of the bytes at one parity
#: (odd for little-endian, even for big-endian) are NUL and almost none at the other: the
#: pattern of text written mostly in ASCII or Latin-1 letters.
UTF16_NUL_SHARE = 0.3
UTF16_OTHER_NUL_SHARE = 0.02
#: Share of control characters (other than white space) above which decoded text is garbage.
MAX_CONTROL_SHARE = 0.01

# Byte-order marks, UTF-32 first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def sniff_bom(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark at the start of ``data`` names, and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def text_codec(encoding: str) -> str | None:
    """The codec's name if ``encoding`` names one that turns bytes into text, else None.

    Python also knows transforms that are no text encoding ("rot13", "base64", "zip") and the
    codec "undefined" that refuses everything: none of them can read a document.
    """
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        return None
    # CodecInfo marks transforms with _is_text_encoding = False (bytes.decode refuses them).
    if not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        return None
    return info.name


def _codec_name(encoding: str) -> str:
    name = text_codec(encoding)
    if name is None:
        raise InputError(f"unknown encoding {encoding!r} (not a text encoding)")
    return name


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when NUL bytes sit at one parity only, else None."""
    even, odd = head[0::2], head[1::2]
    if not even or not odd:
        return None
    even_share = even.count(0) / len(even)
    odd_share = odd.count(0) / len(odd)
    if odd_share >= UTF16_NUL_SHARE and even_share <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even_share >= UTF16_NUL_SHARE and odd_share <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


def _binary(name: str) -> InputError:
    return InputError(f"{name}: looks like binary data (NUL bytes), not text")


def decode_bytes(
    data: bytes, name: str, encoding: str | None = None, default: str = "utf-8"
) -> str:
    """Decode ``data`` read from ``name``.

    A byte-order mark (UTF-8, UTF-16 or UTF-32, either byte order) decides the encoding and is
    removed, whatever ``encoding`` says: it cannot be there by chance. Without one, ``encoding``
    is used when given; else UTF-16 when the NUL bytes show its pattern, else ``default``.
    Raises InputError for binary data (NUL bytes in an 8-bit encoding, or control characters
    all over the decoded text) and for bytes the encoding cannot decode, naming the offset.
    """
    bom = sniff_bom(data)
    head = data[:SNIFF_BYTES]
    skip = 0
    if bom is not None:
        codec, skip = bom
    elif encoding is not None:
        codec = _codec_name(encoding)
    else:
        guess = _utf16_without_bom(head) if b"\x00" in head else None
        codec = guess or _codec_name(default)
    wide = codec.startswith(("utf-16", "utf-32"))
    if b"\x00" in head and not wide:
        raise _binary(name)
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"{name}: not valid {codec} at byte offset {exc.start + skip} "
            "(name the file's encoding)"
        ) from None
    except (UnicodeError, LookupError, ValueError, TypeError) as exc:
        # A codec that fails in its own way (a broken third-party codec, a bad state).
        raise DecodeError(f"{name}: cannot be decoded as {codec} ({exc})") from None
    sample = text[:SNIFF_BYTES]
    if sample and len(_CONTROL_RE.findall(sample)) > MAX_CONTROL_SHARE * len(sample):
        raise _binary(name)
    return text
