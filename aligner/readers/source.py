"""What a reader returns: plain text in paragraphs, with its headings and chapter starts."""

from __future__ import annotations

import lzma
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from itertools import pairwise

from aligner.segmentation.sentences import normalize

__all__ = ["Heading", "SourceBuilder", "SourceText", "flatten"]

#: Heading levels run from 1 (a book's title or a chapter) to 6, as in HTML.
MAX_HEADING_LEVEL = 6

# Runs of white space inside a paragraph (after normalisation, which made exotic spaces plain).
_SPACE_RUN_RE = re.compile(r"\s+")


#: What opening or reading a damaged zip archive (an EPUB, a DOCX) can raise: each reader turns
#: these into one InputError naming the file. Besides zipfile's own: a corrupt deflate or LZMA
#: stream, a truncated member (EOFError), a malformed header (struct.error, ValueError, and
#: UnicodeDecodeError for a name), an encrypted member (RuntimeError), an unknown method.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)
#: Anything a reader may meet in a damaged or hostile file, beyond the zip's own errors (a codec
#: that fails, XML that is not well-formed, nesting past Python's recursion, a file too large
#: for the memory): turned into one InputError naming the file where documents are loaded.
READ_ERRORS = (*ZIP_ERRORS, LookupError, RecursionError, SyntaxError, MemoryError)


@dataclass(frozen=True)
class Heading:
    """A heading: its span ``[start, end)`` in :attr:`SourceText.text` and its level (1-6)."""

    start: int
    end: int
    level: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad heading span [{self.start}, {self.end})")
        if not 1 <= self.level <= MAX_HEADING_LEVEL:
            raise ValueError(f"heading level {self.level} is outside 1..{MAX_HEADING_LEVEL}")


@dataclass(frozen=True)
class SourceText:
    """A document read from a file: paragraphs separated by a blank line, no markup.

    Each heading is a paragraph of its own; ``headings`` gives their spans in ``text`` and
    their levels, in order. ``chapters`` holds the character offsets where chapters start
    (each a paragraph start), empty when the format does not say (only EPUB does: one chapter
    per spine document). ``kind`` names the reader that made it ("epub", "html", …).
    ``verbatim`` holds the starts of the paragraphs that are code or preformatted text: each
    is one unit, not split into sentences and not read for the language.
    The text is already normalised as :func:`aligner.segmentation.sentences.normalize` does
    and holds no single line break, so :func:`aligner.segmentation.sentences.segment` keeps it
    as it is and sentence spans point into this very text.
    """

    text: str
    headings: tuple[Heading, ...] = ()
    chapters: tuple[int, ...] = ()
    kind: str = "text"
    verbatim: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        for a, b in pairwise(self.headings):
            if b.start < a.end:
                raise ValueError("headings overlap or are out of order")
        if self.headings and self.headings[-1].end > len(self.text):
            raise ValueError("a heading runs past the end of the text")
        if any(b <= a for a, b in pairwise(self.chapters)):
            raise ValueError("chapter starts are not increasing")
        if self.chapters and (self.chapters[0] < 0 or self.chapters[-1] > len(self.text)):
            raise ValueError("a chapter start is outside the text")

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The paragraphs, in order."""
        return tuple(p for p in self.text.split("\n\n") if p)


def flatten(text: str) -> str:
    """One paragraph's text: normalised characters, every run of white space one space."""
    return _SPACE_RUN_RE.sub(" ", normalize(text)).strip()


@dataclass
class SourceBuilder:
    """Collects paragraphs, headings and chapter starts in reading order, then builds a text."""

    kind: str = "text"
    _parts: list[str] = field(default_factory=list)
    _length: int = 0
    _headings: list[Heading] = field(default_factory=list)
    _chapters: list[int] = field(default_factory=list)
    _chapter_pending: bool = False
    _verbatim: list[int] = field(default_factory=list)

    def start_chapter(self) -> None:
        """The next paragraph added opens a chapter (nothing happens if none follows)."""
        self._chapter_pending = True

    def add(self, text: str, level: int = 0, *, verbatim: bool = False) -> None:
        """Add a paragraph (a heading of ``level`` 1-6 when ``level`` is not 0; code or
        preformatted text, one unit, when ``verbatim``).

        Its white space is flattened; a paragraph left empty is dropped.
        """
        flat = flatten(text)
        if not flat:
            return
        start = self._length + (2 if self._parts else 0)
        if self._chapter_pending:
            self._chapters.append(start)
            self._chapter_pending = False
        if level:
            self._headings.append(Heading(start, start + len(flat), min(level, MAX_HEADING_LEVEL)))
        if verbatim:
            self._verbatim.append(start)
        self._parts.append(flat)
        self._length = start + len(flat)

    def build(self) -> SourceText:
        """The text made so far (paragraphs joined by a blank line)."""
        return SourceText(
            text="\n\n".join(self._parts),
            headings=tuple(self._headings),
            chapters=tuple(self._chapters),
            kind=self.kind,
            verbatim=tuple(self._verbatim),
        )
