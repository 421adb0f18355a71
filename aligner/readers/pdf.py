"""PDF: the text layer in reading order, page furniture left out, paragraphs rebuilt from layout.

pdfminer.six (MIT licence) gives each page's text lines with their boxes and fonts, grouped
into blocks in reading order (its layout analysis also orders two columns). On those lines:

* **page furniture** goes: a line among the first or last :data:`EDGE_LINES` of its page whose
  text, digits masked, stands at the same height on :data:`MIN_REPEATS` pages or more (running
  headers and footers, "12", "3 / 57", "Page 4");
* **note calls** go: digits set smaller than the line and raised above it (a footnote's
  number), the way the HTML reader drops ``noteref`` links;
* **dot leaders** of tables of contents go, with the page number after them;
* **paragraphs** come from the layout: a new block (pdfminer groups lines by their vertical
  gaps), a change of font size or between monospace and proportional type, a bullet or list
  number, a first line indented after a line that ended short, or a line ending a sentence
  well short of the right margin; a paragraph broken by a page or column end is joined again
  when its last line does not end a sentence and the next one goes on in the same type;
* **headings**: short paragraphs set larger than the body text, levels by size;
* **words hyphenated at a line end** are joined when the joined word is a word: it occurs
  elsewhere in the document, or the language's word list (simplemma's, as the lemmatiser
  uses) knows it; the hyphen stays when the hyphenated compound occurs elsewhere or the second
  part is a word of its own (``well-known``, ``debian-faq``);
* **code**: lines set wholly in a monospace font are kept verbatim, one unit a line.

A PDF without any text (scanned pages) is refused: it needs OCR first.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from aligner.errors import InputError, UsageError
from aligner.readers.source import SourceBuilder, SourceText
from aligner.readers.verbatim import listing_lines

__all__ = ["MIN_REPEATS", "read_pdf"]

#: A line repeated at the same height on this many pages (digits masked) is page furniture.
#: Three: two pages can share a line by chance (a heading and its repetition), a running head
#: is on every page of its chapter.
MIN_REPEATS = 3
#: Only the first and last lines of a page can be furniture: body text repeats by chance
#: ("}" in listings, "Example:"), headers and footers are at the edges.
EDGE_LINES = 3
#: Heights within this many points are "the same place" (PDF units: 1/72 inch).
SAME_PLACE_POINTS = 3.0
#: A paragraph set this much larger than the body text (and short) is a heading.
HEADING_SIZE_RATIO = 1.15
#: A heading has at most this many lines.
HEADING_MAX_LINES = 3
#: Lines whose baselines are at most this many times the type size apart are set solid, one
#: after the other in a paragraph (leading is usually 1.2 times the size; a paragraph gap adds
#: half a line or more).
LINE_PITCH_RATIO = 1.5
#: Characters set smaller than this share of their line's size, raised, and digits: note calls.
SUPERSCRIPT_RATIO = 0.8

_MONOSPACE_RE = re.compile(r"mono|courier|typewriter|consol|code|menlo|inconsolata|cmtt|lmtt", re.I)
_DIGITS_RE = re.compile(r"\d+")
_ROMAN_RE = re.compile(r"(?i)[ivxlcdm]+")
_LIST_START_RE = re.compile(r"(?:[•●▪◦‣∙·○■□–—*-]\s|\d{1,3}[.)]\s|[a-z][.)]\s)")
# A dot leader: four or more dots (spaced or not), with the page number that follows.
_LEADER_RE = re.compile(r"\s*(?:(?:\.\s?){4,}\s*(?:\d+|[ivxlcdm]+)?|(?:\s\.)+)\s*$", re.I)
_INNER_LEADER_RE = re.compile(r"\s*(?:\.\s?){4,}\s*")
# What is left of a leader that the layout analysis cut into pieces: dots and a page number.
_DOTS_RE = re.compile(r"[.\s]*\.[.\s]*(?:\d+)?\s*")
_DASH_RE = re.compile(r"(?<=\s)([—–])(?=[^\W\d_])")
# A number alone on a line: a page number in a table of contents, a listing's line number.
_LONE_NUMBER_RE = re.compile(r"\s*\d{1,4}\s*")
# A footnote's text opens with its number set against the first word ("1The document…").
_NOTE_START_RE = re.compile(r"([\d⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\.? ?(?=[^\W\d_])")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# A typesetter's hyphen where it broke a web address ("http://www.gnu.org/-" "prep/…").
_URL_CUT_RE = re.compile(r"[/.]-$")
_SENTENCE_END_RE = re.compile(r"[.!?…:;][\"'»”’)\]]*$")
_HYPHENATED_END_RE = re.compile(r"(\w+)-$")
_WORD_START_RE = re.compile(r"^([^\W\d_]+)")
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class _Line:
    """One text line of a page: its text, box, type size, and whether it is all monospace."""

    text: str
    page: int
    block: int
    x0: float
    x1: float
    y0: float
    size: float
    mono: bool
    entry: bool = False  # an entry of a table of contents (its dot leader taken off)


def _pdfminer_pages(data: bytes, name: str) -> list[list[list[_Line]]]:
    """Blocks of lines of every page, in reading order."""
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - a declared dependency
        raise UsageError("reading PDF needs pdfminer.six: pip install pdfminer.six") from None

    pages: list[list[list[_Line]]] = []
    block_id = 0
    try:
        for page_no, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams())):
            blocks: list[list[_Line]] = []
            for box in page:
                if not isinstance(box, LTTextBox):
                    continue
                lines: list[_Line] = []
                for line in box:
                    if not isinstance(line, LTTextLine):
                        continue
                    chars = [c for c in line if isinstance(c, LTChar)]
                    made = _line(line, chars, page_no, block_id)
                    if made is not None:
                        lines.append(made)
                if lines:
                    blocks.append(lines)
                    block_id += 1
            pages.append(blocks)
    except PDFPasswordIncorrect:
        raise InputError(f"{name}: the PDF is encrypted; it cannot be read") from None
    # pdfminer raises many kinds of error on a damaged file (its own, and ValueError,
    # KeyError, TypeError… from inside its parser): each is one clear line here.
    except Exception as exc:
        raise InputError(f"{name}: not a readable PDF ({type(exc).__name__})") from None
    return pages


def _line(line: object, chars: Sequence[object], page: int, block: int) -> _Line | None:
    """A :class:`_Line` from pdfminer's line and its characters (None if it holds no text)."""
    if not chars:
        return None
    sizes = [float(getattr(c, "size", 0.0)) for c in chars]
    size = statistics.median(sizes)
    baseline = statistics.median(float(getattr(c, "y0", 0.0)) for c in chars)
    parts: list[str] = []
    for item in line:  # type: ignore[attr-defined]
        text = item.get_text()
        raised = getattr(item, "y0", baseline) > baseline + 0.2 * size
        if text.isdigit() and getattr(item, "size", size) < SUPERSCRIPT_RATIO * size and raised:
            continue  # a note call
        parts.append(text)
    # A dash opening a clause is spaced on both sides; extraction loses the narrow space after it.
    raw = _DASH_RE.sub(r"\1 ", "".join(parts).strip())
    text = _INNER_LEADER_RE.sub(" ", _LEADER_RE.sub("", raw))
    if not text.strip() or _DOTS_RE.fullmatch(text) or _LONE_NUMBER_RE.fullmatch(text):
        return None
    mono = all(_MONOSPACE_RE.search(str(getattr(c, "fontname", ""))) for c in chars)
    return _Line(
        text=text.strip() if not mono else text.rstrip(),
        page=page,
        block=block,
        x0=float(line.x0),  # type: ignore[attr-defined]
        x1=float(line.x1),  # type: ignore[attr-defined]
        y0=float(line.y0),  # type: ignore[attr-defined]
        size=round(size, 1),
        mono=mono,
        entry=len(text) < len(raw) and "." in raw[len(text) :],
    )


def _furniture_key(line: _Line) -> tuple[str, int]:
    masked = _DIGITS_RE.sub("#", line.text.strip().lower())
    if _ROMAN_RE.fullmatch(masked):
        masked = "#"  # a front-matter page number
    return masked, round(line.y0 / SAME_PLACE_POINTS)


def _edge_lines(blocks: Sequence[Sequence[_Line]]) -> list[_Line]:
    """The top and bottom :data:`EDGE_LINES` lines of a page, by height."""
    lines = sorted((ln for b in blocks for ln in b), key=lambda ln: -ln.y0)
    if len(lines) <= 2 * EDGE_LINES:
        return lines
    return [*lines[:EDGE_LINES], *lines[-EDGE_LINES:]]


def _furniture(pages: Sequence[Sequence[Sequence[_Line]]], body: float) -> set[_Line]:
    """Lines repeated at the same place on :data:`MIN_REPEATS` pages or more, not set larger
    than the body text ("Chapter 3" opens each chapter at the same place: it is a heading)."""
    if len(pages) < MIN_REPEATS:
        return set()
    edges = [
        [ln for ln in _edge_lines(blocks) if ln.size < HEADING_SIZE_RATIO * body]
        for blocks in pages
    ]
    pages_of: dict[tuple[str, int], set[int]] = {}
    for lines in edges:
        for ln in lines:
            text, y = _furniture_key(ln)
            # A line close to a bucket's edge is counted in the neighbour bucket too.
            for bucket in (y - 1, y, y + 1):
                pages_of.setdefault((text, bucket), set()).add(ln.page)
    return {
        ln for lines in edges for ln in lines if len(pages_of[_furniture_key(ln)]) >= MIN_REPEATS
    }


@dataclass
class _Paragraph:
    lines: list[_Line]
    level: int = 0

    @property
    def last(self) -> _Line:
        return self.lines[-1]


def _ends_short(line: _Line, right: float) -> bool:
    return line.x1 < right - 3 * line.size


def _new_paragraph(prev: _Line, line: _Line, right: float, left: float, body: float) -> bool:
    """Whether ``line`` opens a paragraph, ``prev`` being the line before it."""
    if line.mono or prev.mono or line.entry or prev.entry:
        return True  # a code line, an entry of a table of contents: a unit of its own
    if abs(line.size - prev.size) > 1.0:
        return True
    if _LIST_START_RE.match(line.text):
        return True
    if line.size < body - 0.5 and _NOTE_START_RE.match(line.text):
        return True  # the next footnote
    close = line.page == prev.page and 0 < prev.y0 - line.y0 <= LINE_PITCH_RATIO * line.size
    if line.block != prev.block and not close:
        # A new block after a gap, a new page or column goes on with the paragraph only where
        # the sentence does: no sentence end before it, its first word in lower case.
        return bool(_SENTENCE_END_RE.search(prev.text)) or not line.text[:1].islower()
    indented = line.x0 > prev.x0 + 0.5 * line.size and line.x0 > left + 0.5 * line.size
    if indented and _ends_short(prev, right):
        return True
    return _ends_short(prev, right) and bool(_SENTENCE_END_RE.search(prev.text))


def _paragraphs(
    pages: Sequence[Sequence[Sequence[_Line]]], furniture: set[_Line], body: float
) -> list[_Paragraph]:
    out: list[_Paragraph] = []
    prev: _Line | None = None
    # Each block's left and right edges: a column's, a paragraph's (so two columns, or a
    # narrower box, have their own margins).
    edges: dict[int, tuple[float, float]] = {}
    for blocks in pages:
        lines = [ln for b in blocks for ln in b if ln not in furniture]
        for ln in lines:
            left, right = edges.get(ln.block, (ln.x0, ln.x1))
            edges[ln.block] = (min(left, ln.x0), max(right, ln.x1))
        for ln in lines:
            if prev is None or _new_paragraph(
                prev, ln, edges[prev.block][1], edges[ln.block][0], body
            ):
                out.append(_Paragraph([ln]))
            else:
                out[-1].lines.append(ln)
            prev = ln
    return out


def _body_size(paragraphs: Iterable[_Paragraph]) -> float:
    """The type size that holds the most characters."""
    weights: Counter[float] = Counter()
    for p in paragraphs:
        for ln in p.lines:
            weights[ln.size] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _heading_levels(paragraphs: list[_Paragraph], body: float) -> None:
    """Set the level of short paragraphs set larger than the body text (largest: level 1)."""
    large = [
        p
        for p in paragraphs
        if len(p.lines) <= HEADING_MAX_LINES
        and not p.lines[0].mono
        and p.lines[0].size >= HEADING_SIZE_RATIO * body
    ]
    sizes = sorted({p.lines[0].size for p in large}, reverse=True)
    for p in large:
        p.level = min(sizes.index(p.lines[0].size) + 1, 6)


def _vocabulary(paragraphs: Iterable[_Paragraph]) -> Counter[str]:
    """Words of the document in lower case, counted; parts of words cut at a line end are
    left out (they are what is being judged)."""
    counts: Counter[str] = Counter()
    for p in paragraphs:
        for k, ln in enumerate(p.lines):
            words = _WORD_RE.findall(ln.text.lower())
            if ln.text.endswith("-") and words:
                words = words[:-1]
            if k and p.lines[k - 1].text.endswith("-") and words:
                words = words[1:]
            counts.update(words)
    return counts


WordCheck = Callable[[str], bool]


def _joiner(vocabulary: Counter[str], known: WordCheck) -> Callable[[str, str], str]:
    """The text of a word cut at a line end: ``first`` (before the hyphen) and ``second``."""

    def join(first: str, second: str) -> str:
        joined, compound = f"{first}{second}", f"{first}-{second}"
        if vocabulary[joined.lower()]:
            return joined
        if vocabulary[compound.lower()] or vocabulary[second.lower()]:
            return compound
        if known(joined):
            return joined
        return compound if known(second) and known(first) else joined

    return join


def _notes(paragraphs: list[_Paragraph], body: float) -> dict[int, set[str]]:
    """Footnotes: paragraphs set smaller than the body whose text opens with a number against
    the first word. Their number is taken off; the numbers are returned by page."""
    notes: dict[int, set[str]] = {}
    for p in paragraphs:
        first = p.lines[0]
        match = _NOTE_START_RE.match(first.text)
        if match and not first.mono and first.size < body - 0.5:
            p.lines[0] = _Line(**{**first.__dict__, "text": first.text[match.end() :]})
            notes.setdefault(first.page, set()).add(match.group(1).translate(_SUPERSCRIPTS))
    return notes


def _without_calls(text: str, numbers: set[str]) -> str:
    """``text`` without the calls of the notes numbered ``numbers``: a note's number right
    after punctuation ("wizard. 2"), as a note call set on the line looks once extracted."""
    if not numbers:
        return text
    ordered = sorted(numbers, key=len, reverse=True)
    plain = "|".join(ordered)
    # A number set wholly or partly raised ("⁵", "1⁴": extraction mixes them) is a call
    # wherever it stands.
    raised = "|".join("".join(f"[{d}{d.translate(_TO_SUPERSCRIPT)}]" for d in n) for n in ordered)
    # Not after "2." or "3," (a section number "2.1", a list "1, 2").
    text = re.sub(r"(?<=[.,;:!?)»”’\"])(?<!\d[.,])\s?(?:" + plain + r")(?=\s|$)", "", text)
    return re.sub(
        r"\s?(?=[\d⁰¹²³⁴⁵⁶⁷⁸⁹]*[⁰¹²³⁴⁵⁶⁷⁸⁹])(?:" + raised + r")(?![\d⁰¹²³⁴⁵⁶⁷⁸⁹])", "", text
    )


def _paragraph_text(p: _Paragraph, join: Callable[[str, str], str]) -> str:
    text = p.lines[0].text
    for ln in p.lines[1:]:
        cut = _HYPHENATED_END_RE.search(text)
        start = _WORD_START_RE.match(ln.text)
        if _URL_CUT_RE.search(text) and ln.text[:1].isalnum():
            text = text[:-1] + ln.text
        elif cut and start and ln.text[:1].islower():
            head, second = text[: cut.start()], start.group(1)
            text = head + join(cut.group(1), second) + ln.text[start.end() :]
        else:
            text = f"{text} {ln.text}"
    return text


def _word_list(sample: str) -> WordCheck:
    """Whether a word is in the word list of ``sample``'s language (simplemma's form table),
    loaded on the first question; no list when the language cannot be told."""
    from aligner.segmentation.detect import detect_language

    table: list[object] = []

    def known(word: str) -> bool:
        if not table:
            try:
                code = detect_language(sample).code
                from simplemma.strategies.dictionaries import DefaultDictionaryFactory

                table.append(DefaultDictionaryFactory(cache_max_size=0).get_dictionary(code))
            except (UsageError, ValueError, KeyError, OSError):
                table.append({})
        forms = table[0]
        return word in forms or word.lower() in forms  # type: ignore[operator]

    return known


def read_pdf(data: bytes, name: str, encoding: str | None = None) -> SourceText:
    """Read a PDF's text layer (``encoding`` is not used: a PDF says how its text is coded)."""
    pages = _pdfminer_pages(data, name)
    if not any(ln.text.strip() for blocks in pages for b in blocks for ln in b):
        raise InputError(f"{name}: no text layer: run OCR first")
    body = _body_size(_Paragraph(list(b)) for blocks in pages for b in blocks)
    paragraphs = _paragraphs(pages, _furniture(pages, body), body)
    _heading_levels(paragraphs, body)
    notes = _notes(paragraphs, body)
    sample = " ".join(ln.text for p in paragraphs[:400] for ln in p.lines if not ln.mono)
    join = _joiner(_vocabulary(paragraphs), _word_list(sample))
    builder = SourceBuilder(kind="pdf")
    listing: list[str] = []
    for p in paragraphs:
        if p.lines[0].mono:
            listing.append(p.lines[0].text)
            continue
        for line in listing_lines(listing):
            builder.add(line, verbatim=True)
        listing = []
        # A note is set at the foot of the page of its call, or of the next one.
        pages_of = {n for ln in p.lines for n in (ln.page, ln.page + 1)}
        calls = set().union(*(notes.get(n, set()) for n in pages_of))
        builder.add(_without_calls(_paragraph_text(p, join), calls), p.level)
    for line in listing_lines(listing):
        builder.add(line, verbatim=True)
    return builder.build()
