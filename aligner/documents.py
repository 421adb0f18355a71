"""One document from a file or from bytes: read, detect its language if not given, segment.

The command line (``split``, ``align``) and corpus mode read their inputs through
:func:`read_document` / :func:`load_document`, so they share one behaviour: the same errors, the
same detection, the same warnings (returned, not printed: the caller decides where they go).
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise

from aligner.errors import AlignerError, InputError, UsageError
from aligner.features.structure import sentence_structure
from aligner.readers.dispatch import read_source
from aligner.readers.limits import DEFAULT_LIMITS, Limits, input_too_large
from aligner.readers.source import READ_ERRORS, SourceBuilder, SourceText
from aligner.readers.text import read_bytes, text_of
from aligner.segmentation.detect import Detection, detect_language, script_counts
from aligner.segmentation.sentences import check_language, read_presplit, segment
from aligner.types import Document

__all__ = ["LoadedDocument", "chapter_languages", "load_document", "prose", "read_document"]

#: A chapter needs this many letters for its language to count (a title page, a colophon of
#: a few words, is too short to be told apart).
MIN_CHAPTER_LETTERS = 200
#: A document whose chapters in a second language hold at least this share of the letters
#: gets a warning: a bilingual glossary at the end is worth a word, a stray quotation is not.
MIN_OTHER_LANGUAGE_SHARE = 0.05


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


def _paragraph_spans(source: SourceText) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for paragraph in source.text.split("\n\n"):
        spans.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return spans


def prose(source: SourceText, start: int = 0, end: int | None = None) -> str:
    """The text of ``source`` between ``start`` and ``end`` without its verbatim paragraphs
    (code and preformatted text): what detection reads."""
    stop = len(source.text) if end is None else end
    verbatim = set(source.verbatim)
    return "\n\n".join(
        source.text[a:b]
        for a, b in _paragraph_spans(source)
        if start <= a < stop and a not in verbatim
    )


def chapter_languages(source: SourceText, name: str = "text") -> list[tuple[str | None, int]]:
    """The language of each chapter (None where it cannot be told, or the chapter is shorter
    than :data:`MIN_CHAPTER_LETTERS`) and its letters, read from its prose."""
    starts = [*source.chapters, len(source.text)]
    out: list[tuple[str | None, int]] = []
    for start, end in pairwise(starts):
        text = prose(source, start, end)
        letters = script_counts(text)[1]
        code = None
        if letters >= MIN_CHAPTER_LETTERS:
            try:
                code = detect_language(text, name).code
            except UsageError:
                code = None
        out.append((code, letters))
    return out


def _mixed_languages_note(languages: list[tuple[str | None, int]]) -> str | None:
    """One line naming the chapters' languages and their shares, if more than one counts."""
    letters: Counter[str] = Counter()
    for code, n in languages:
        if code is not None:
            letters[code] += n
    total = sum(letters.values())
    if len(letters) < 2 or total == 0:
        return None
    ranked = letters.most_common()
    if ranked[1][1] < MIN_OTHER_LANGUAGE_SHARE * total:
        return None
    shares = ", ".join(f"{code} {n / total:.0%}" for code, n in ranked)
    chapters = Counter(code for code, _ in languages if code is not None)
    counts = ", ".join(f"{chapters[code]} {code}" for code, _ in ranked)
    return (
        f"its chapters are in several languages ({shares} of the text; chapters: {counts}); "
        "read as one text (--only-lang keeps only the chapters in its language)"
    )


def _keep_chapters(source: SourceText, keep: list[bool]) -> SourceText:
    """``source`` with only the chapters marked in ``keep`` (the text before the first chapter
    stays), headings, chapters and verbatim paragraphs kept."""
    builder = SourceBuilder(kind=source.kind)
    levels = {h.start: h.level for h in source.headings}
    verbatim = set(source.verbatim)
    starts = set(source.chapters)
    chapter = -1
    for a, b in _paragraph_spans(source):
        if a in starts:
            chapter += 1
            if keep[chapter]:
                builder.start_chapter()
        if chapter < 0 or keep[chapter]:
            builder.add(source.text[a:b], levels.get(a, 0), verbatim=a in verbatim)
    return builder.build()


def load_document(
    data: bytes,
    name: str,
    lang: str | None = None,
    *,
    presplit: bool = False,
    encoding: str | None = None,
    only_lang: bool = False,
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

    Code and preformatted text (as the reader marks it) is left out of detection and kept
    whole as one sentence. A document whose chapters are in different languages gets a
    warning naming them; with ``only_lang``, the chapters in a language other than ``lang``
    (or, when it is not given, than the one detected) are left out.
    """
    code = check_language(lang) if lang is not None else None
    if len(data) > limits.max_input_bytes:
        raise input_too_large(name, limits)
    try:
        source = None if presplit else read_source(data, name, encoding, limits)
    except AlignerError:
        raise
    except READ_ERRORS as exc:  # a reader's own failure: one line, naming the file
        raise InputError(f"{name}: cannot be read ({type(exc).__name__}: {exc})") from None
    text = text_of(data, name, encoding) if source is None else source.text
    detection = None
    if code is None:
        detection = detect_language(text if source is None else prose(source) or text, name)
        code = detection.code
    if source is None:
        return LoadedDocument(name, read_presplit(text, code), detection, ())
    found: list[str] = []
    if len(source.chapters) > 1:
        languages = chapter_languages(source, name)
        note = _mixed_languages_note(languages)
        if note is not None and only_lang:
            keep = [c is None or c == code for c, _ in languages]
            source = _keep_chapters(source, keep)
            text = source.text
            note = f"left out {keep.count(False)} chapters in other languages than {code}"
        if note is not None:
            found.append(note)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        document = segment(text, code, limits.max_sentence_chars, verbatim=source.verbatim)
    notes = tuple(dict.fromkeys([*found, *(str(w.message) for w in caught)]))
    structure = sentence_structure(source, document)
    document = replace(document, chapters=structure.chapters, headings=structure.headings)
    return LoadedDocument(name, document, detection, notes, source)


def read_document(
    path: str | os.PathLike[str],
    lang: str | None = None,
    *,
    presplit: bool = False,
    encoding: str | None = None,
    only_lang: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> LoadedDocument:
    """:func:`load_document` of the file at ``path``."""
    return load_document(
        read_bytes(path, limits),
        str(path),
        lang,
        presplit=presplit,
        encoding=encoding,
        only_lang=only_lang,
        limits=limits,
    )
