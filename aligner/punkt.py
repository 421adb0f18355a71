"""Sentence boundaries inside one line of text: nltk Punkt with shipped lists, and rules on top."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

# Languages with their own shipped lists; any other valid code gets GENERIC.
SUPPORTED_LANGUAGES = ("de", "en", "fr", "ru")
GENERIC = "generic"

# Quote marks that close a quotation, per language. German prints both »…« and „…“, and Swiss
# German «…», so every guillemet may close there. A closer that Punkt finds at the start of the
# next sentence, followed by a space, is moved back onto the sentence it ends.
_CLOSERS = {
    "fr": "»”’›",
    "en": "”’»",
    "ru": "»“”’",
    "de": "“”‘’«»‹›",
    GENERIC: "»”’“›",
}

# Quote marks that a word never starts with, so that Punkt sees "«Bonjour" as « + Bonjour.
_NOT_WORD_START = "«»„“”‚‘’‹›"
# Elided words of French (and Italian) before an apostrophe: "l'art." is l' + art., so that
# "art" is found among the abbreviations, while "McDonald's." keeps its "'s.".
_ELIDED = frozenset(
    {"c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
    | {"presqu", "quelqu", "dell", "all", "dall", "nell", "sull"}
)


@dataclass(frozen=True)
class LanguageRules:
    """The shipped lists of one language, as the splitter uses them.

    ``abbreviations`` never end a sentence by themselves; ``final`` ones may end it before a
    capital; ``final_after_number`` only when they follow a number ("1917 г."); ``before_number``
    are abbreviations only when a number follows ("No. 5"). ``starters`` are words that, with a
    capital after an abbreviation, begin a new sentence.
    """

    lang: str
    abbreviations: frozenset[str]
    final: frozenset[str]
    final_after_number: frozenset[str]
    before_number: frozenset[str]
    starters: frozenset[str]
    closers: str

    def __post_init__(self) -> None:
        flagged = self.final | self.final_after_number
        if not flagged <= self.abbreviations:
            raise ValueError(f"flagged abbreviations missing from the list: {flagged}")


def _data_lines(name: str) -> list[str]:
    """The non-comment, non-blank lines of a shipped data file."""
    text = resources.files("aligner").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _parse_abbreviations(name: str) -> dict[str, str]:
    """Read an abbreviation file into {abbreviation: flag}; the flag is "", "+", "+n" or "#"."""
    text = resources.files("aligner").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        flag = fields[-1] if fields[-1] in {"+", "+n", "#"} else ""
        words = fields[:-1] if flag else fields
        # "av. j.-c" is stored without the space so that it matches "av.J.-C." and "av. J.-C."
        entries["".join(words).lower()] = flag
    return entries


@functools.cache
def language_rules(lang: str) -> LanguageRules:
    """The rules for a supported language, or the generic ones (union of all lists)."""
    if lang not in SUPPORTED_LANGUAGES and lang != GENERIC:
        raise ValueError(f"no shipped rules for {lang!r}")
    langs = SUPPORTED_LANGUAGES if lang == GENERIC else (lang,)
    entries: dict[str, str] = {}
    starters: set[str] = set()
    for code in langs:
        entries.update(_parse_abbreviations(f"abbrev_{code}.txt"))
        if lang != GENERIC:
            starters.update(w.lower() for w in _data_lines(f"starters_{code}.txt"))
    return LanguageRules(
        lang=lang,
        abbreviations=frozenset(a for a, f in entries.items() if f != "#"),
        final=frozenset(a for a, f in entries.items() if f == "+"),
        final_after_number=frozenset(a for a, f in entries.items() if f == "+n"),
        before_number=frozenset(a for a, f in entries.items() if f == "#"),
        starters=frozenset(starters),
        closers=_CLOSERS[lang],
    )


class SegmenterLanguageVars(PunktLanguageVars):  # type: ignore[misc]  # nltk is untyped
    """Punkt's language variables with `…` as a sentence end and language-aware quote marks."""

    __slots__ = ("_closers",)

    sent_end_chars = (".", "?", "!", "…")
    _re_word_start = r"[^\(\"\`{\[:;&\#\*@\)}\]\-," + _NOT_WORD_START + r"]"

    def __init__(self, closers: str) -> None:
        super().__init__()
        self._closers = closers

    def word_tokenize(self, s: str) -> list[str]:
        """Punkt's word tokens, with the apostrophe of an elided word split off its host."""
        tokens: list[str] = super().word_tokenize(s)
        out: list[str] = []
        for tok in tokens:
            if len(tok) > 1 and tok[0] in "'’" and out and out[-1].lower() in _ELIDED:
                out[-1] += tok[0]
                tok = tok[1:]
            out.append(tok)
        return out

    @property
    def re_boundary_realignment(self) -> re.Pattern[str]:
        """Closing marks at the start of the next sentence that belong to the previous one.

        nltk's default also moves « and “, which open a quotation in French and German, so a
        spaced « ended up on the wrong sentence.
        """
        return _realignment_re(self._closers)


@functools.cache
def _realignment_re(closers: str) -> re.Pattern[str]:
    """Punkt's realignment pattern for these closing marks."""
    # Straight quotes are left out: whether a spaced " closes or opens is decided later, by
    # counting the quotes before it (see _closes).
    return re.compile(r"[)\]}" + re.escape(closers) + r"]+?(?:\s+|(?=--)|$)", re.MULTILINE)


@functools.cache
def tokenizer(lang: str) -> PunktSentenceTokenizer:
    """A Punkt tokenizer with the shipped parameters, built once per language and process."""
    rules = language_rules(lang)
    params = PunktParameters()
    # Punkt matches abbreviations per token; entries with a space inside never match a token.
    params.abbrev_types = {a for a in rules.abbreviations if " " not in a}
    params.sent_starters = set(rules.starters)
    return PunktSentenceTokenizer(params, lang_vars=SegmenterLanguageVars(rules.closers))


# ---------------------------------------------------------------------------------------------
# Rules on top of Punkt: boundaries it cannot see, boundaries a reader would not mark

# Characters skipped when looking for the first letter of a sentence: quote marks (with the
# TeX-style `` of wiki text), dashes, brackets and spaces.
_LEADING_PUNCT = "\"'`«»„“”‚‘’‹›—–-()[]{} \t"
_DASHES = "-–—"
_QUOTES = "\"'«»„“”‚‘’‹›"
# A sentence never begins with these: a piece that does belongs to the one before.
_NEVER_FIRST = ",;:.?!…/%"
_OPENING_BRACKETS = "([{"
_CLOSING_BRACKETS = ")]}"
# Marks after which a quote mark is still "glued" to the text it closes.
_AFTER_CLOSER = ".,;:!?…" + _CLOSING_BRACKETS
# A piece that is nothing but a list marker: "1." "12)" "(a)" "b)" "IV." "•" "—".
_LIST_MARKER_RE = re.compile(r"\(?(?:\d{1,3}|[A-Za-z]|[IVXLCDM]{1,6})[.)]|[—–•▪‣◦*-]")
# A list number inside a sentence: "le plan : 1. Introduction ; 2. Méthode".
_INLINE_NUMBER_RE = re.compile(r"[:;,]\s+\(?\d{1,2}[.)]$")
# A number, a decade or ordinal written with a suffix ("1930-е", "5-го"), a Roman numeral or
# a range of them: what year and unit abbreviations follow.
_NUMBER_TOKEN_RE = re.compile(
    r"(?:\d[\d.,]*(?:-[^\W\d_]{1,4})?|[IVXLCDM]+)(?:[-–](?:\d[\d.,]*|[IVXLCDM]+))?"
)
# How far back to look for the number before an abbreviation such as "гг." (characters).
_LOOKBEHIND = 40
# How much text around a proposed boundary the rules read (characters). Bounding it keeps
# splitting linear on a book that is one long paragraph.
_WINDOW = 200
# A footnote call after a sentence end belongs to that sentence: "… in 1805. [6] He …".
_NOTE_RE = re.compile(r"\[\d{1,3}(?:[,–-]\s?\d{1,3})*\]")
# So does a bare note number before a capitalised sentence opener ("rights. 4 Even though",
# "(Figure 1.6). 5 At the other end"): a sentence cannot begin "5 At". Before any other word
# the number begins the sentence ("He won. 5 Americans died.").
_BARE_NOTE_RE = re.compile(r"(\d{1,2})\s+([^\W\d_]+)")
_DIGITS_RE = re.compile(r"\d+")
# Emoji and emoticons end sentences in social-media text ("красиво! 😍😍😍 Зато",
# "хорошие))) Стильно", "Шедеврально! =) Супер").
_EMOJI = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF][\uFE0F\u200D\U0001F3FB-\U0001F3FF]*"
_EMOTICON_END_RE = re.compile(
    r"(?:(?:" + _EMOJI + r")+|(?<=\S)\)+|(?<!\w)[:;=8]-?[)(DPp]+(?!\w))\s+"
)
_EMOTICONS_ONLY_RE = re.compile(r"(?:(?:" + _EMOJI + r")|\)+|[:;=8]-?[)(DPp]+|\s)+")
# How far back an opening parenthesis may be for a ")" to close it (characters).
_PAREN_LOOKBEHIND = 200
# A word of letters ending a sentence with a period.
_LONG_WORD_END_RE = re.compile(r"[^\W\d_]{4,}\.")
# One letter and a period: an initial ("V."), or a one-letter abbreviation ("т.", "p.").
_INITIAL_RE = re.compile(r"[^\W\d_]\.")
# Several initials written as one token: "J.A.", "H.R.F.", "R.-G.", "U.S.A.".
_INITIALS_RE = re.compile(r"(?:[^\W\d_]\.-?){2,}")
# Ellipsis, or a period closing a parenthesis, then spaces: a capital after them starts a
# sentence ("et d'autres... Références", "(Gruau par ex.) Ainsi").
# Also a sentence end before closing quotes that Punkt does not see as such: the HTML-escaped
# or doubled straight quotes of wiki text ("индустриальному!&#39;&#39; Река").
_ELLIPSIS_END_RE = re.compile(
    r"(?:\.{3,}|…|[.!?…]\)|[.!?…](?=&#39;|&quot;|''))(?:[\"'»”’)\]]|&#39;|&quot;)*\s+"
)
# A one-letter token with its period, then spaces.
_ONE_LETTER_RE = re.compile(r"(?<![\w.'’-])([^\W\d_])\.\s+")
# German ordinals: "am 3. Oktober", "im 19. Jahrhundert" are not sentence ends.
_ORDINAL_END_RE = re.compile(r"(?<![\d.,])\d{1,3}\.$")


def _first_letter(text: str) -> str:
    """The first character of ``text`` after quote marks, dashes, opening brackets and spaces."""
    stripped = text.lstrip(_LEADING_PUNCT)
    return stripped[:1]


def _first_word(text: str) -> str:
    """The first word of ``text`` after quote marks, dashes and opening brackets."""
    match = re.match(r"[^\W\d_]+", text.lstrip(_LEADING_PUNCT))
    return match.group(0) if match else ""


def _starts_like_sentence(text: str) -> bool:
    """True if ``text`` begins, after quotes and dashes, with a capital letter."""
    return _first_letter(text).isupper()


@functools.cache
def _final_abbreviation_re(lang: str) -> re.Pattern[str] | None:
    """Matches an abbreviation that may end a sentence, and the spaces after it."""
    rules = language_rules(lang)
    names = sorted(rules.final | rules.final_after_number, key=len, reverse=True)
    if not names:
        return None
    # "т.д" also matches "т. д." and "т.  д.": a space may follow each inner period.
    alternatives = "|".join(re.escape(n).replace(r"\.", r"\.\s*") for n in names)
    return re.compile(r"(?<![\w.])(" + alternatives + r")\.\s+", re.IGNORECASE)


def _ends_with_number(text: str) -> bool:
    """True if the last token of ``text`` is a number (see ``_NUMBER_TOKEN_RE``)."""
    words = text.split()
    return bool(words) and _NUMBER_TOKEN_RE.fullmatch(words[-1]) is not None


def _abbreviation_cuts(block: str, rules: LanguageRules) -> Iterator[int]:
    """Boundaries after abbreviations that end a sentence ("etc. Le", "1917 г. Затем")."""
    pattern = _final_abbreviation_re(rules.lang)
    if pattern is None:
        return
    for match in pattern.finditer(block):
        # Not across a dash: "в 2002 г. — «Где…»" goes on.
        following = block[match.end() : match.end() + _WINDOW]
        if following[:1] in _DASHES or not _starts_like_sentence(following):
            continue
        written = re.sub(r"\s+", "", match.group(1))
        name = written.lower()
        if written.isupper() and _first_word(following).lower() not in rules.starters:
            # Capitals make "н. э." look like initials ("Н. Э. Ончуков"): split only before a
            # usual sentence opener ("300 av. J.-C. Les Romains").
            continue
        before = block[max(0, match.start() - _LOOKBEHIND) : match.start()]
        if name in rules.final_after_number and not (
            _ends_with_number(before) and _first_word(following).lower() in rules.starters
        ):
            # "в 1930-е гг. Затем" ends a sentence, "в 1917 г. Ленин вернулся" does not.
            continue
        yield match.end()


def _ellipsis_cuts(block: str) -> Iterator[int]:
    """Boundaries after an ellipsis (or ".)") followed by a capital."""
    for match in _ELLIPSIS_END_RE.finditer(block):
        if _starts_like_sentence(block[match.end() : match.end() + _WINDOW]):
            yield match.end()


def _emoticon_cuts(block: str) -> Iterator[int]:
    """Boundaries after emoji, emoticons or a smiley's unmatched ")" followed by a capital."""
    for match in _EMOTICON_END_RE.finditer(block):
        if not _starts_like_sentence(block[match.end() : match.end() + _WINDOW]):
            continue
        if block[match.start()] == ")":
            # A ")" that closes a parenthesis opened shortly before is not a smiley, nor is
            # the one of a list marker ("expédition : a) Les articles").
            window = block[max(0, match.start() - _PAREN_LOOKBEHIND) : match.end()]
            token = window.split()[-1] if window.split() else ""
            if window.count("(") >= window.count(")") or _LIST_MARKER_RE.fullmatch(token):
                continue
        yield match.end()


_SEMICOLON_RE = re.compile(r"(?:;|\.{3,}|…)\s+")
_DASH_ITEM_RE = re.compile(r"[-–—]\s+(?:\d|[A-ZÀ-ÖØ-ÞА-ЯЁ])")


def _semicolon_cuts(block: str, rules: LanguageRules) -> Iterator[int]:
    """Boundaries after a semicolon followed by a capitalised sentence opener ("; Il", "; The").

    After a semicolon a capital is otherwise a name; the one-letter English "I" is left out.
    A list item opened by a spaced dash after a semicolon or an ellipsis also starts one
    ("1953 ; - Jules Roy", "et d'autres... - 25 avril 2001").
    """
    for match in _SEMICOLON_RE.finditer(block):
        following = block[match.end() : match.end() + _WINDOW]
        word = _first_word(following)
        opener = len(word) > 1 and word[0].isupper() and word.lower() in rules.starters
        if opener or _DASH_ITEM_RE.match(following):
            yield match.end()


def _one_letter_cuts(block: str, rules: LanguageRules) -> Iterator[int]:
    """Boundaries after one-letter tokens that Punkt takes for initials but that end a sentence.

    An upper-case letter ("Dagobert I.", "World War I.") ends one when a usual sentence opener
    follows. A lower-case letter that is not a shipped abbreviation ("XIXe s. Les"), or that
    follows a number ("400 м. Однако"), ends one before a capital, unless another one-letter
    token follows ("z. B.").
    """
    for match in _ONE_LETTER_RE.finditer(block):
        letter, following = match.group(1), block[match.end() : match.end() + _WINDOW]
        if not _starts_like_sentence(following) or _INITIAL_RE.match(following):
            continue
        if letter.isupper():
            if _first_word(following).lower() in rules.starters:
                yield match.end()
        elif letter not in rules.abbreviations or (
            letter not in rules.final_after_number
            and following[:1] not in _DASHES
            and _ends_with_number(block[max(0, match.start() - _LOOKBEHIND) : match.start()])
        ):
            # After a number the letter is a unit ("8481 m. L'écart"), even where it is also
            # an abbreviation with a capital ("M. Dupont").
            yield match.end()


def _ends_with_abbreviation(text: str, names: frozenset[str]) -> bool:
    """True if ``text`` ends with one of ``names`` followed by a period ("No.")."""
    words = text[-_LOOKBEHIND:].split()
    if not words or not words[-1].endswith("."):
        return False
    # "l'art." and "l’art." are looked up as "art".
    word = re.split(r"['’]", words[-1][:-1].lower())[-1]
    return word.lstrip(_LEADING_PUNCT) in names


def _joins(previous: str, following: str, rules: LanguageRules, whole: bool = True) -> bool:
    """True if a proposed boundary between ``previous`` and ``following`` is not one.

    Both may be cut to a window around the boundary; ``whole`` is False when ``following``
    was cut short.
    """
    head = previous.strip()
    if not head or _LIST_MARKER_RE.fullmatch(head) or _INLINE_NUMBER_RE.search(head):
        return True
    if whole and _EMOTICONS_ONLY_RE.fullmatch(following.strip()):
        # Emoji after a sentence end belong to it: "красиво! 😍😍😍 Зато".
        return True
    first = _first_letter(following)
    last = head.split()[-1].lstrip(_LEADING_PUNCT)
    if first and first in _NEVER_FIRST:
        return True
    # "? » murmura-t-il", "? — спросил он", "… puis", "approx. three": the sentence goes on.
    # A plain word of several letters before a period is no abbreviation, though: a lower-case
    # letter after it starts a sentence written without capitals (web text).
    if first.islower():
        return _LONG_WORD_END_RE.fullmatch(last) is None
    if first.isdigit() and (
        _ends_with_abbreviation(head, rules.before_number)
        or _INITIAL_RE.fullmatch(last)
        or _INITIALS_RE.fullmatch(last)
    ):
        # "No. 5", "art. L. 642-3", "die I.H.E. 1934"
        return True
    if (
        _INITIALS_RE.fullmatch(last)
        and first.isupper()
        and _first_word(following).lower() not in rules.starters
    ):
        # Several initials in one token: "J.A. Howe", "H.R.F. Keating", "R.-G. Réau".
        return True
    if rules.lang == "de" and first.isdigit() and last.lower().endswith("str."):
        # Street names: "Goethestr. 5".
        return True
    if rules.lang == "de" and _ORDINAL_END_RE.search(head):
        # German ordinals ("am 3. Oktober"); a usual sentence opener after them still splits.
        return _first_word(following).lower() not in rules.starters
    return False


def _quotes_before(quotes: Sequence[int], i: int) -> int:
    """How many straight double quotes, at the sorted positions ``quotes``, come before ``i``."""
    return bisect.bisect_left(quotes, i)


def _closes(block: str, i: int, rules: LanguageRules, quotes: Sequence[int]) -> bool:
    """True if the mark at ``block[i]`` closes a quotation or a bracket."""
    mark = block[i]
    if mark in _CLOSING_BRACKETS:
        return True
    if mark not in _QUOTES:
        return False
    before = block[i - 1] if i > 0 else " "
    after = block[i + 1] if i + 1 < len(block) else " "
    glued_before = not before.isspace()
    free_after = after.isspace() or after in _AFTER_CLOSER or after in _QUOTES
    if glued_before == free_after:
        # "word» " closes, " «word" opens.
        return glued_before
    if mark == '"':
        # Straight quotes spaced on both sides: an odd number of them before this one means
        # this one closes the quotation.
        return _quotes_before(quotes, i) % 2 == 1
    # Spaced on both sides (French « … ») or on neither: the language's habit decides.
    return mark in rules.closers


def _opens(block: str, i: int, rules: LanguageRules, quotes: Sequence[int]) -> bool:
    """True if the mark at ``block[i]``, followed by a space, opens a quotation or a bracket."""
    mark = block[i]
    if mark in _OPENING_BRACKETS:
        return True
    if mark not in _QUOTES or mark == "'":
        return False
    before = block[i - 1] if i > 0 else " "
    if not before.isspace():
        return False
    if mark == '"':
        return _quotes_before(quotes, i) % 2 == 0
    return mark not in rules.closers


def _bare_note(block: str, i: int, rules: LanguageRules) -> re.Match[str] | None:
    """A note number at ``block[i]`` followed by a capitalised sentence opener, if any."""
    match = _BARE_NOTE_RE.match(block, i)
    if match is None or not match.group(2)[0].isupper():
        return None
    if match.group(2).lower() not in rules.starters:
        return None
    # Only the number moves to the previous sentence.
    return _DIGITS_RE.match(block, i)


def _realign(block: str, cut: int, rules: LanguageRules, quotes: Sequence[int]) -> int:
    """Move a boundary past closing marks, or back before opening marks ("fin. « Début")."""
    n = len(block)
    moved = cut
    while moved < n:
        note = _NOTE_RE.match(block, moved) or _bare_note(block, moved, rules)
        if note:
            moved = note.end()
        elif _closes(block, moved, rules, quotes):
            moved += 1
        else:
            break
        while moved < n and block[moved].isspace():
            moved += 1
    if moved != cut:
        return moved
    while True:
        end = moved
        while end > 0 and block[end - 1].isspace():
            end -= 1
        if end > 0 and end < moved and _opens(block, end - 1, rules, quotes):
            moved = end - 1
        else:
            return moved


def _skip_spaces(block: str, i: int) -> int:
    while i < len(block) and block[i].isspace():
        i += 1
    return i


def _filter_cuts(block: str, cuts: Sequence[int], rules: LanguageRules) -> list[int]:
    """Keep the proposed boundaries a reader would mark, left to right."""
    kept: list[int] = []
    start = 0
    for k, cut in enumerate(cuts):
        end = cuts[k + 1] if k + 1 < len(cuts) else len(block)
        stop = cut
        while stop > start and block[stop - 1].isspace():
            stop -= 1
        previous = block[max(start, stop - _WINDOW) : stop]
        following = block[cut : min(end, cut + _WINDOW)]
        if _joins(previous, following, rules, whole=end - cut <= _WINDOW):
            continue
        kept.append(cut)
        start = cut
    return kept


def split_line(line: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` of one line of text (no newline inside), stripped.

    ``lang`` is a supported language or ``"generic"``.
    """
    rules = language_rules(lang)
    proposed = {_skip_spaces(line, start) for start, _ in tokenizer(lang).span_tokenize(line)}
    proposed.update(_abbreviation_cuts(line, rules))
    proposed.update(_ellipsis_cuts(line))
    proposed.update(_emoticon_cuts(line))
    proposed.update(_semicolon_cuts(line, rules))
    proposed.update(_one_letter_cuts(line, rules))
    cuts = sorted(c for c in proposed if 0 < c < len(line))
    kept = _filter_cuts(line, cuts, rules)
    quotes = [i for i, c in enumerate(line) if c == '"']
    bounds = [0]
    for cut in kept:
        moved = _realign(line, cut, rules, quotes)
        if moved > bounds[-1]:
            bounds.append(moved)
    bounds.append(len(line))
    spans: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(bounds):
        piece = line[a:b]
        start = a + len(piece) - len(piece.lstrip())
        end = b - (len(piece) - len(piece.rstrip()))
        if start < end:
            spans.append((start, end))
    return spans
