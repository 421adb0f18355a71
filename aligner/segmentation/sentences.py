"""Paragraphs and sentences of a text, with spans, offline: nltk Punkt, shipped lists and rules.

Pipeline of :func:`segment`:

1. :func:`normalize` the characters (NFC, line ends, BOM, exotic spaces);
2. :func:`unwrap_lines`: a single newline inside a paragraph is line wrapping (PDF text) and
   becomes a space *in the document text itself*, so every sentence is one slice of
   ``Document.text`` with no newline inside; a newline before a dialogue dash, a bullet or a
   list number, or after a line in capitals only (a heading), stays a newline and is a hard
   sentence boundary;
3. blank lines end paragraphs (hard boundaries);
4. inside each line, nltk's Punkt proposes boundaries with the shipped parameters
   (:mod:`aligner.segmentation.punkt`), then rules add boundaries Punkt cannot see ("etc. Le", "в
   1930-е гг. Затем"; sentences run together without final punctuation: a heading in capitals, a
   short title, a capitalised opener after a plain word, "word.Word") and remove the ones a reader
   would not mark ("? » murmura", "? — спросил он", "1. Introduction", "am 3. Oktober"), and quote
   marks are moved onto the right sentence.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from collections.abc import Collection, Iterator
from importlib import resources

from aligner.errors import UsageError
from aligner.readers.limits import DEFAULT_LIMITS
from aligner.segmentation.languages import GENERIC, SUPPORTED_LANGUAGES
from aligner.segmentation.structure import is_capitals_line
from aligner.types import Document, Sentence

__all__ = [
    "SUPPORTED_LANGUAGES",
    "check_language",
    "normalize",
    "read_presplit",
    "segment",
    "split_line",
    "unwrap_lines",
]


def split_line(line: str, lang: str) -> list[tuple[int, int]]:
    """:func:`aligner.segmentation.punkt.split_line`, whose module (and nltk) loads on first
    use: aligning sentences already split never needs it."""
    from aligner.segmentation.punkt import split_line as punkt_split_line

    return punkt_split_line(line, lang)


# ---------------------------------------------------------------------------------------------
# Normalisation

# Spaces that print like a space: no-break (French "? ! : ;" typography), narrow no-break,
# figure space, the typographic en/em/thin/hair spaces, medium mathematical and ideographic.
_SPACES = (
    "\u00a0\u202f\u2007\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
)
# Invisible characters dropped: BOM / zero-width no-break space, zero-width space, word joiner,
# and the soft hyphen that PDF extraction leaves inside words.
_DROPPED = "\ufeff\u200b\u2060\u00ad"
_TRANSLATION = {
    **{ord(c): " " for c in _SPACES},
    **{ord(c): None for c in _DROPPED},
    # Vertical tab, form feed (page break), next line and line separator break a line;
    # the paragraph separator ends a paragraph.
    **{ord(c): "\n" for c in "\x0b\x0c\x85\u2028"},
    ord("\u2029"): "\n\n",
}
_BLANK_LINE_RE = re.compile(r"^[ \t]+$", re.MULTILINE)


def normalize(text: str) -> str:
    """Normalise characters, keeping line structure.

    Unicode NFC; CRLF and CR become LF; the BOM, zero-width spaces, word joiners and soft
    hyphens are removed; no-break, narrow no-break and other typographic spaces become plain
    spaces (so French "vous ?" keeps one space inside its sentence); vertical tab, form feed,
    U+0085 and U+2028 become LF and U+2029 a blank line; lines holding only spaces or tabs
    become empty (so they end a paragraph like any blank line).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATION)
    text = unicodedata.normalize("NFC", text)
    return _BLANK_LINE_RE.sub("", text)


# A line that starts with one of these begins a new sentence even without a blank line before
# it: dialogue dashes (— – and a hyphen followed by a space), bullets, list numbers "1." "2)".
_HARD_LINE_START = r"[ \t]*(?:[—–•▪‣◦*]|-\s|\d{1,2}[.)]\s)"
_WRAP_RE = re.compile(r"(?<!\n)\n(?!\n|" + _HARD_LINE_START + ")")


def unwrap_lines(text: str) -> str:
    """Turn each single newline inside a paragraph into a space, except before a dialogue dash,
    a bullet or a list number, and after a line in capitals only (a heading): there it stays a
    newline, a hard sentence boundary.

    The text keeps its length, so spans into it are also spans into ``text``.
    """

    def replace(match: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        return "\n" if is_capitals_line(text[line_start : match.start()]) else " "

    return _WRAP_RE.sub(replace, text)


# ---------------------------------------------------------------------------------------------
# Language codes

_LANG_CODE_RE = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


@functools.cache
def _language_codes() -> dict[str, str]:
    """Every ISO 639-1 and 639-2 code in the shipped list, mapped to its two-letter code."""
    text = (
        resources.files("aligner.segmentation")
        .joinpath("data")
        .joinpath("iso639.txt")
        .read_text(encoding="utf-8")
    )
    codes: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            fields = line.split()
            for code in fields:
                codes[code] = fields[0]
    return codes


def _language_name(name: str) -> str | None:
    """The two-letter code of a language name ("French", "français", "Deutsch"), or None.

    The names are those of the C library's locale aliases, which Python ships as
    ``locale.locale_alias`` (``"french" -> "fr_FR.ISO8859-1"``): a list kept by others, not ours.
    """
    import locale

    key = name.strip().lower()
    if len(key) <= 3 or not key.isalpha():
        return None
    alias = locale.locale_alias.get(key)
    if alias is None:
        return None
    return _language_codes().get(alias.split("_", 1)[0].split(".", 1)[0].lower())


def check_language(lang: str) -> str:
    """Return the two-letter ISO 639-1 code for ``lang`` ("fr", "fr-FR", "fr_CA", "fra", "FR",
    "French").

    Raises UsageError for anything that is not a known ISO 639-1 or 639-2 code (ISO 639-3
    gives the same three letters for these languages) or language name, and for a value that
    is not a string. A known code without shipped rules (say "it") is returned as it is:
    :func:`segment` then uses generic rules and warns.

    >>> check_language("fra"), check_language("ru-RU"), check_language("German")
    ('fr', 'ru', 'de')
    """
    if not isinstance(lang, str):
        raise UsageError(f"a language is a code such as 'fr', not {type(lang).__name__}")
    match = _LANG_CODE_RE.fullmatch(lang.strip())
    code = _language_codes().get(match.group(1).lower()) if match else None
    if code is None:
        code = _language_name(lang)
    if code is None:
        raise UsageError(
            f"unknown language code {lang!r}: give an ISO 639-1 code such as "
            + ", ".join(SUPPORTED_LANGUAGES)
        )
    return code


# ---------------------------------------------------------------------------------------------
# Public API

# The newlines of a paragraph break but its last (which begins the next paragraph's text).
_PARAGRAPH_BREAK_RE = re.compile(r"\n+(?=\n)")


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of each run of text between paragraph breaks (blank lines).

    The spans of the characters other than a newline followed by another; found from the
    breaks, not by a pattern repeated over each character of the paragraph, which kept a
    hundred bytes per character on a long paragraph (a book as one line).
    """
    start = 0
    for brk in _PARAGRAPH_BREAK_RE.finditer(text):
        if brk.start() > start:
            yield start, brk.start()
        start = brk.end()
    if len(text) > start:
        yield start, len(text)


def _rules_language(code: str) -> str:
    """The rule set used for a checked language code: its own, or the generic one."""
    return code if code in SUPPORTED_LANGUAGES else GENERIC


def _cut_long(line: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """The span ``[start, end)`` of ``line`` in pieces of at most ``limit`` characters, each
    cut after the last space that fits (or at the limit, in a run without one)."""
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        space = line.rfind(" ", start + 1, start + limit + 1)
        cut = space if space > start else start + limit
        stop = len(line[start:cut].rstrip()) + start
        pieces.append((start, stop))
        start = cut
        while start < end and line[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def segment(
    text: str,
    lang: str,
    max_sentence_chars: int = DEFAULT_LIMITS.max_sentence_chars,
    *,
    verbatim: Collection[int] = (),
) -> Document:
    """Split ``text`` into paragraphs and sentences.

    ``Document.text`` is ``unwrap_lines(normalize(text))``: normalised characters, and single
    newlines inside paragraphs turned into spaces (same length), so that each sentence's
    ``[start, end)`` slices its text out of ``Document.text``. Blank lines end paragraphs;
    paragraph indices count the paragraphs that hold text, from 0. For a language without
    shipped rules, generic rules are used and a warning is issued. A paragraph starting at one
    of the offsets ``verbatim`` (code, as a reader marks it) is one sentence, not split, listed
    in ``Document.verbatim``. A sentence longer than ``max_sentence_chars`` (no sentence end for
    that long: a table flattened, a generated file) is cut in pieces of at most that size, with
    a warning.

    Raises:
        UsageError: ``text`` is not a string, or ``lang`` is no language code or name.
    """
    if not isinstance(text, str):
        raise UsageError(f"segment() takes the text as one string, not {type(text).__name__}")
    if max_sentence_chars < 1:
        raise UsageError(f"max_sentence_chars must be positive, got {max_sentence_chars}")
    code = check_language(lang)
    rules_lang = _rules_language(code)
    if rules_lang == GENERIC:
        warnings.warn(
            f"no sentence-splitting rules for language {code!r}; using generic rules "
            f"(supported: {', '.join(SUPPORTED_LANGUAGES)})",
            UserWarning,
            stacklevel=2,
        )
    flat = unwrap_lines(normalize(text))
    sentences: list[Sentence] = []
    paragraph = 0
    kept: list[int] = []
    cut = 0
    for para_start, para_end in _paragraph_spans(flat):
        para = flat[para_start:para_end]
        if not para.strip():
            continue
        offset = para_start
        whole = para.strip()
        # A span may open with the second newline of the blank line before it.
        start = para_start + para.index(whole)
        if start in verbatim:
            kept.append(len(sentences))
            sentences.append(Sentence(whole, start, start + len(whole), paragraph))
            paragraph += 1
            continue
        for line in para.split("\n"):
            for span in split_line(line, rules_lang):
                pieces = [span]
                if span[1] - span[0] > max_sentence_chars:
                    pieces = _cut_long(line, *span, max_sentence_chars)
                    cut += 1
                for start, end in pieces:
                    sentences.append(
                        Sentence(line[start:end], offset + start, offset + end, paragraph)
                    )
            offset += len(line) + 1
        paragraph += 1
    if cut:
        warnings.warn(
            f"{cut} sentence(s) longer than {max_sentence_chars:,} characters cut in pieces "
            "(raise the limit with --max-sentence-chars)",
            UserWarning,
            stacklevel=2,
        )
    return Document(text=flat, lang=code, sentences=tuple(sentences), verbatim=tuple(kept))


def read_presplit(text: str, lang: str) -> Document:
    """Read pre-split text: one sentence per line, a blank line ends a paragraph.

    Lines are stripped; sentence indices count the non-blank lines. ``Document.text`` is
    ``normalize(text)``.
    """
    code = check_language(lang)
    norm = normalize(text)
    sentences: list[Sentence] = []
    paragraph, in_paragraph, offset = 0, False, 0
    for line in norm.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + len(line) - len(line.lstrip())
            sentences.append(Sentence(stripped, start, start + len(stripped), paragraph))
            in_paragraph = True
        elif in_paragraph:
            paragraph += 1
            in_paragraph = False
        offset += len(line) + 1
    return Document(text=norm, lang=code, sentences=tuple(sentences))
