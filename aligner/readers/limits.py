"""How much input a run accepts: bytes read, bytes inflated, archive members, nesting, sentences.

Every limit is refused (or, for a sentence, cut) with one line that names it and the option of
the command line that raises it; the defaults hold a long book with room to spare, so that only
an endless stream, a zip bomb or a generated monster meets them.
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner.errors import InputError

__all__ = ["DEFAULT_LIMITS", "MB", "LimitError", "Limits"]

MB = 1024 * 1024


class LimitError(InputError):
    """An input larger than a limit allows (the message names the limit and its option)."""


@dataclass(frozen=True)
class Limits:
    """The bounds a reader and the splitter hold to; each field names its command-line option."""

    #: Bytes read from one file or stream (``--max-input-mb``). A long novel is 1-6 MB of text
    #: and an illustrated EPUB of one rarely passes 50 MB; 100 MB leaves room for both, while
    #: an endless stream (/dev/zero) is refused after reading that much.
    max_input_bytes: int = 100 * MB
    #: Bytes inflated from one archive (EPUB, DOCX), all the members read together, counted
    #: while inflating (``--max-unpacked-mb``). Only text parts are read (no images): a long
    #: book's are 2-30 MB of markup (Word's XML is the most verbose), so 64 MB holds the
    #: longest with room to spare, while a zip bomb, or a generated file of millions of tiny
    #: paragraphs that would take gigabytes as sentences, stops there.
    max_unpacked_bytes: int = 64 * MB
    #: Files in one archive (``--max-files``): a book's EPUB holds tens to a few thousand
    #: (chapters, images, fonts); 20,000 keeps the zip's directory small in memory.
    max_members: int = 20_000
    #: Documents in an EPUB's reading order (``--max-files`` too): each is a chapter or a
    #: part of one, a few hundred in the longest books.
    max_spine_items: int = 20_000
    #: Depth of nested elements in an XML document (``--max-depth``): real books nest a few
    #: tens deep (tables in lists in sections); the readers walk the tree recursively, and
    #: Python's own recursion limit is 1,000 frames.
    max_depth: int = 500
    #: Characters of one sentence (``--max-sentence-chars``): the longest sentences in print run
    #: to a few thousand words; a longer run without a sentence end (a table flattened, a
    #: generated file) is cut into pieces of this size with a warning.
    max_sentence_chars: int = 50_000

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive whole number, got {value!r}")


#: The limits used when none are given.
DEFAULT_LIMITS = Limits()


def _mb(n: int) -> str:
    return f"{n / MB:g} MB"


def input_too_large(name: str, limits: Limits) -> LimitError:
    """The error for a file or stream longer than ``limits.max_input_bytes``."""
    return LimitError(
        f"{name}: larger than the {_mb(limits.max_input_bytes)} input limit "
        "(raise it with --max-input-mb)"
    )


def unpacked_too_large(name: str, limits: Limits) -> LimitError:
    """The error for an archive that inflates past ``limits.max_unpacked_bytes``."""
    return LimitError(
        f"{name}: unpacks to more than the {_mb(limits.max_unpacked_bytes)} limit "
        "(a zip bomb? raise it with --max-unpacked-mb)"
    )


def too_many(name: str, what: str, limit: int) -> LimitError:
    """The error for an archive with more files, or an EPUB with more chapters, than allowed."""
    return LimitError(f"{name}: more than {limit:,} {what} (raise the limit with --max-files)")


def too_deep(name: str, limit: int) -> LimitError:
    """The error for a document nested deeper than ``limit`` elements."""
    return LimitError(
        f"{name}: elements nested more than {limit:,} deep (raise the limit with --max-depth)"
    )
