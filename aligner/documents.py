"""One document from a file or from bytes: read, detect its language if not given, segment.

The command line (``split``, ``align``) and corpus mode read their inputs through
:func:`read_document` / :func:`load_document`, so they share one behaviour: the same errors, the
same detection, the same warnings (returned, not printed: the caller decides where they go).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, replace

from aligner.errors import InputError
from aligner.features.structure import sentence_structure
from aligner.readers.dispatch import read_source
from aligner.readers.limits import DEFAULT_LIMITS, Limits, input_too_large
from aligner.readers.source import READ_ERRORS, SourceText
from aligner.readers.text import read_bytes, text_of
from aligner.segmentation.detect import Detection, detect_language
from aligner.segmentation.sentences import check_language, read_presplit, segment
from aligner.types import Document

__all__ = ["LoadedDocument", "load_document", "read_document"]


@dataclass(frozen=True)
class LoadedDocument:
    """A segmented document, how its language was found, and what segmentation warned about.

    ``detection`` is None when the language was given; ``source`` is what the reader found
    (text, headings, chapters), None for pre-split input.
    """

    name: str
    document: Document
    detection: Detection | None
    warnings: tuple[str, ...]
    source: SourceText | None = None


def load_document(
    data: bytes,
    name: str,
    lang: str | None = None,
    *,
    presplit: bool = False,
    encoding: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> LoadedDocument:
    """Read ``data`` (named ``name`` in errors), find its language, and segment it.

    The reader follows the content and the name's extension (EPUB, DOCX, HTML, Markdown, plain
    or hard-wrapped text: :mod:`aligner.readers.dispatch`); ``encoding`` applies to text without
    a byte-order mark (None: UTF-8, or what an HTML page declares). ``lang`` is checked
    (UsageError if unknown) or, when None, detected (UsageError if the text reads as no language
    we can name). ``presplit`` takes plain text with one sentence per line instead of
    segmenting. InputError for binary, undecodable or empty data, and for data past ``limits``
    (a sentence past its limit is cut, with a warning).
    """
    code = check_language(lang) if lang is not None else None
    if len(data) > limits.max_input_bytes:
        raise input_too_large(name, limits)
    try:
        source = None if presplit else read_source(data, name, encoding, limits)
    except READ_ERRORS as exc:  # a reader's own failure: one line, naming the file
        raise InputError(f"{name}: cannot be read ({type(exc).__name__}: {exc})") from None
    text = text_of(data, name, encoding) if source is None else source.text
    detection = None
    if code is None:
        detection = detect_language(text, name)
        code = detection.code
    if source is None:
        return LoadedDocument(name, read_presplit(text, code), detection, ())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        document = segment(text, code, limits.max_sentence_chars)
    notes = tuple(dict.fromkeys(str(w.message) for w in caught))
    structure = sentence_structure(source, document)
    document = replace(document, chapters=structure.chapters, headings=structure.headings)
    return LoadedDocument(name, document, detection, notes, source)


def read_document(
    path: str | os.PathLike[str],
    lang: str | None = None,
    *,
    presplit: bool = False,
    encoding: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> LoadedDocument:
    """:func:`load_document` of the file at ``path``."""
    return load_document(
        read_bytes(path, limits),
        str(path),
        lang,
        presplit=presplit,
        encoding=encoding,
        limits=limits,
    )
