"""XML from untrusted files, parsed safely: every reader of an XML part goes through here.

EPUB packages, DOCX and ODT parts and FB2 books are XML written by whoever made the file. A
document type that declares entities can expand a few bytes into gigabytes ("billion laughs")
or pull in a file of the machine or a web address (an external entity): defusedxml (PSF
licence) parses with the standard library's expat and refuses both, and so does this module,
with one line naming the file and the part.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from aligner.errors import InputError

__all__ = ["check_prolog", "parse_xml"]


def parse_xml(data: bytes | str, name: str, part: str) -> ET.Element:
    """The root element of ``data``, the XML ``part`` of the file ``name``.

    InputError when it is not well-formed, or when it declares entities or refers to an
    external document (refused whatever they hold: no real book needs them).
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root: ET.Element = fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise InputError(
            f"{name}: {part} declares XML entities or an external reference; refused "
            "(entities can expand without bound or read other files)"
        ) from None
    except ET.ParseError as exc:
        raise InputError(f"{name}: {part} is not well-formed XML ({exc})") from None
    return root


def check_prolog(data: bytes, name: str, part: str) -> None:
    """InputError when ``data`` declares a document type: what :func:`parse_xml` refuses, for
    a part too large to hold as a tree, read by a streaming parser instead.

    The parts streamed (a DOCX body) never declare one; any declaration is refused, entities
    or not, since a streaming parser would expand them.
    """
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError(
            f"{name}: {part} declares XML entities or an external reference; refused "
            "(entities can expand without bound or read other files)"
        )
