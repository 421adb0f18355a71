"""Sentence boundaries inside one line of text: nltk Punkt with shipped lists, and rules on top."""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

from aligner.segmentation.languages import GENERIC, SUPPORTED_LANGUAGES

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
    capital after an abbreviation, begin a new sentence. ``weak_starters`` (French "le", "la",
    "l'") begin one only before a lower-case word, since with a capital after them they are
    part of a name ("M. Le Pen"); they are not given to Punkt. The other fields are the
    language's settings in ``data/languages.json`` (its ``_comment`` says what each means).
    """

    lang: str
    abbreviations: frozenset[str]
    final: frozenset[str]
    final_after_number: frozenset[str]
    before_number: frozenset[str]
    starters: frozenset[str]
    weak_starters: frozenset[str]
    closers: str
    lower_case_writer: bool = False
    opener_after_word: bool = False
    capital_inside: frozenset[str] = frozenset()
    ordinal_numbers: bool = False
    street_suffix: str | None = None

    def __post_init__(self) -> None:
        flagged = self.final | self.final_after_number
        if not flagged <= self.abbreviations:
            raise ValueError(f"flagged abbreviations missing from the list: {flagged}")


def _data_lines(name: str) -> list[str]:
    """The non-comment, non-blank lines of a shipped data file."""
    text = (
        resources.files("aligner.segmentation")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _parse_abbreviations(name: str) -> dict[str, str]:
    """Read an abbreviation file into {abbreviation: flag}; the flag is "", "+", "+n" or "#"."""
    text = (
        resources.files("aligner.segmentation")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
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
def _settings() -> dict[str, dict[str, Any]]:
    """Per-language settings of the splitter, from ``data/languages.json``."""
    text = (
        resources.files("aligner.segmentation")
        .joinpath("data")
        .joinpath("languages.json")
        .read_text(encoding="utf-8")
    )
    settings: dict[str, dict[str, Any]] = json.loads(text)
    settings.pop("_comment", None)
    return settings


@functools.cache
def language_rules(lang: str) -> LanguageRules:
    """The rules for a supported language, or the generic ones (union of all lists)."""
    if lang not in SUPPORTED_LANGUAGES and lang != GENERIC:
        raise ValueError(f"no shipped rules for {lang!r}")
    langs = SUPPORTED_LANGUAGES if lang == GENERIC else (lang,)
    settings = _settings()[lang]
    entries: dict[str, str] = {}
    starters: set[str] = set()
    weak: set[str] = set()
    for code in langs:
        entries.update(_parse_abbreviations(f"abbrev_{code}.txt"))
        if lang != GENERIC:
            for line in _data_lines(f"starters_{code}.txt"):
                # "le ~": a weak starter (see LanguageRules).
                word, _, flag = line.lower().partition(" ")
                (weak if flag.strip() == "~" else starters).add(word)
    return LanguageRules(
        lang=lang,
        abbreviations=frozenset(a for a, f in entries.items() if f != "#"),
        final=frozenset(a for a, f in entries.items() if f == "+"),
        final_after_number=frozenset(a for a, f in entries.items() if f == "+n"),
        before_number=frozenset(a for a, f in entries.items() if f == "#"),
        starters=frozenset(starters),
        weak_starters=frozenset(weak),
        closers=settings["closers"],
        lower_case_writer=settings["lower_case_writer"],
        opener_after_word=settings["opener_after_word"],
        capital_inside=frozenset(settings["capital_inside"]),
        ordinal_numbers=settings["ordinal_numbers"],
        street_suffix=settings["street_suffix"],
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

    # nltk compiles Punkt's patterns with a wall-clock limit (nltk.redos, 5 s per scan of a
    # text), which a long line (a book written as one line, 20 MB) exceeded with a traceback.
    # Both patterns only look a token ahead: compiled with the standard library, they scan
    # any line in linear time and need no limit.
    def period_context_re(self) -> re.Pattern[str]:
        """Punkt's pattern for a possible sentence end and the token after it."""
        return _stdlib_pattern(
            self._period_context_fmt
            % {"NonWord": self._re_non_word_chars, "SentEndChars": self._re_sent_end_chars}
        )

    def _word_tokenizer_re(self) -> re.Pattern[str]:
        """Punkt's pattern that splits punctuation other than periods from words."""
        return _stdlib_pattern(
            self._word_tokenize_fmt
            % {
                "NonWord": self._re_non_word_chars,
                "MultiChar": self._re_multi_char_punct,
                "WordStart": self._re_word_start,
            }
        )

    @property
    def re_boundary_realignment(self) -> re.Pattern[str]:
        """Closing marks at the start of the next sentence that belong to the previous one.

        nltk's default also moves « and “, which open a quotation in French and German, so a
        spaced « ended up on the wrong sentence.
        """
        return _realignment_re(self._closers)


@functools.cache
def _stdlib_pattern(pattern: str) -> re.Pattern[str]:
    """One of Punkt's verbose patterns, compiled once per process with :mod:`re`."""
    return re.compile(pattern, re.UNICODE | re.VERBOSE)


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
# No pattern here may try again at each character of a long run (a line of 10,000 ")" or emoji
# took seconds, and the time grew with the square of the run): each match may start only where
# a run starts, and alternatives that could split one run in several ways are made atomic
# ("(?=(?P<x>...))(?P=x)": what a lookahead matched is never given back).
_EMOJI_BASE = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
_EMOJI_MOD = "\ufe0f\u200d\U0001f3fb-\U0001f3ff"
# A run of emoji, matched from its first character (only its end is read); skin tones are
# both emoji and modifiers, so the run is one class, with an emoji somewhere in it.
_EMOJI_RUN = (
    f"(?<![{_EMOJI_BASE}{_EMOJI_MOD}])(?=[{_EMOJI_MOD}]*[{_EMOJI_BASE}])"
    f"[{_EMOJI_BASE}{_EMOJI_MOD}]+"
)
# Closing parentheses glued to a word: from the run's first one, or its second when the first
# follows a space (where "(?<=\S)\)+" would first match).
_PARENS_RUN = r"(?:(?<=[^\s)])|(?<=(?<!\S)\)))\)+"
_EMOTICON_END_RE = re.compile(
    r"(?:" + _EMOJI_RUN + "|" + _PARENS_RUN + r"|(?<!\w)[:;=8]-?[)(DPp]+(?!\w))\s+"
)
_EMOTICONS_ONLY_RE = re.compile(
    f"(?:[{_EMOJI_BASE}](?=(?P<mods>[{_EMOJI_MOD}]*))(?P=mods)"
    r"|(?=(?P<parens>\)+))(?P=parens)|[:;=8]-?(?=(?P<mouth>[)(DPp]+))(?P=mouth)|\s)+"
)
# How far back an opening parenthesis may be for a ")" to close it (characters).
_PAREN_LOOKBEHIND = 200
# A word of letters ending a sentence with a period.
_LONG_WORD_END_RE = re.compile(r"[^\W\d_]{4,}\.")
# A word of two letters or more ending a sentence (see ``lower_case_writer`` in
# data/languages.json for where a lower-case paragraph start is read as no capitals at all).
_PLAIN_END_RE = re.compile(r"[^\W\d_]{2,}(?:\.|[?!]+)")
# One letter and a period: an initial ("V."), or a one-letter abbreviation ("т.", "p.").
_INITIAL_RE = re.compile(r"[^\W\d_]\.")
# Several initials written as one token: "J.A.", "H.R.F.", "R.-G.", "U.S.A.".
_INITIALS_RE = re.compile(r"(?:[^\W\d_]\.-?){2,}")
# Ellipsis, or a period closing a parenthesis, then spaces: a capital after them starts a
# sentence ("et d'autres... Références", "(Gruau par ex.) Ainsi").
# Also a sentence end before closing quotes that Punkt does not see as such: the HTML-escaped
# or doubled straight quotes of wiki text ("индустриальному!&#39;&#39; Река").
_ELLIPSIS_END_RE = re.compile(
    r"(?:(?<!\.)\.{3,}|…|[.!?…]\)|[.!?…](?=&#39;|&quot;|''))(?:[\"'»”’)\]]|&#39;|&quot;)*\s+"
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


# Periods from the first of a run only (see _EMOJI_RUN).
_SEMICOLON_RE = re.compile(r"(?:;|(?<!\.)\.{3,}|…)\s+")
_DASH_ITEM_RE = re.compile(r"[-–—]\s+(?:\d|[A-ZÀ-ÖØ-ÞА-ЯЁ])")


def _semicolon_cuts(block: str, rules: LanguageRules) -> Iterator[int]:
    """Boundaries after a semicolon followed by a capitalised sentence opener ("; Il", "; The").

    After a semicolon a capital is otherwise a name; the one-letter English "I" is left out.
    A list item opened by a spaced dash after a semicolon or an ellipsis also starts one
    ("1953 ; - Jules Roy", "et d'autres... - 25 avril 2001").
    """
    for match in _SEMICOLON_RE.finditer(block):
        following = block[match.end() : match.end() + _WINDOW]
        opener = _opens_sentence(following.lstrip(_LEADING_PUNCT), rules, before_lower=False)
        if opener or _DASH_ITEM_RE.match(following):
            yield match.end()


# A word, then an apostrophe (elision: "L'utilisation", "Qu'est-ce") or spaces, then a letter or
# a digit ("; En 1945 la production").
_OPENER_RE = re.compile(r"([^\W\d_]+)(['’]|,?\s+)([^\W_])")


def _opens_sentence(text: str, rules: LanguageRules, before_lower: bool) -> bool:
    """True if ``text`` begins with a capitalised usual sentence opener.

    That is a starter of two letters or more ("Il", "The", "Однако"; the English "I" is
    mostly not a sentence start in web text), or a weak starter ("Le", "L'") followed by a
    lower-case word ("Le poème", "L'utilisation", not "Le Pen"). With ``before_lower`` a
    lower-case word must follow any opener.
    """
    match = _OPENER_RE.match(text)
    if match is None or not match.group(1)[0].isupper():
        return False
    word, glue, letter = match.group(1).lower(), match.group(2), match.group(3)
    if glue in "'’":
        word += "'"
    lower_after = letter.islower()
    if word in rules.weak_starters:
        return lower_after
    strong = len(word) > 1 and word in rules.starters
    return strong and (lower_after or not before_lower)


# A title before the first sentence of a paragraph, or between two sentences, written without
# final punctuation: "Références", "Lien externe", "Jugement en première instance". At most
# this many words.
_MAX_TITLE_WORDS = 6
# A word of a title: a letter or digit, then letters, digits, hyphens and apostrophes only
# ("ISBN 2266106333", "Ostéonécrose").
_TITLE_WORD_RE = re.compile(r"\w[\w'’-]*")
_TOKEN_RE = re.compile(r"\S+")


def _title_end(piece: str, rules: LanguageRules) -> int | None:
    """Where a sentence starts in ``piece`` after a short title that opens it, if it does.

    The title begins with a capital, is not itself a sentence opener ("Il lit La peste" is
    a sentence), has at most ``_MAX_TITLE_WORDS`` words and no punctuation, and is followed
    by a capitalised sentence opener and a lower-case word ("Cyclisme Il semble que",
    "Chronologie Elle attire", "Thanks Sean Here you go").
    """
    if not rules.opener_after_word:
        return None
    words = list(itertools.islice(_TOKEN_RE.finditer(piece), _MAX_TITLE_WORDS + 1))
    if len(words) < 2 or not words[0].group()[:1].isupper():
        return None
    if _first_word(words[0].group()).lower() in rules.starters:
        return None
    for title_word, next_word in itertools.pairwise(words):
        word = title_word.group()
        if not _TITLE_WORD_RE.fullmatch(word):
            return None
        if _ends_title(word, rules) and _opens_sentence(
            piece[next_word.start() : next_word.start() + _WINDOW], rules, True
        ):
            return next_word.start()
    return None


def _ends_title(word: str, rules: LanguageRules) -> bool:
    """True if a title may end with ``word``: not a function word that wants a word after it,
    such as an article or a preposition ("sur la Une du quotidien", "Erm ya How can I")."""
    lower = word.lower()
    if lower in rules.starters or lower in rules.weak_starters:
        return False
    return not (word.islower() and len(word) <= 3)


# A section number that opens a line ("1.1 What is Government?").
_SECTION_NUMBER_RE = re.compile(r"\s*\d+(?:\.\d+)*\.?")
# Longer than any section number: past it, the test is skipped (a book may be one line).
_SECTION_NUMBER_SPAN = 20


@functools.cache
def _opener_after_word_re(lang: str) -> re.Pattern[str] | None:
    """A capitalised starter (two letters or more) after a word or ")" and spaces, or a weak
    starter ("Le", "L'") after a number or ")" ("(1990-1991) L'affaire", "en 2000 Le réseau").

    After a plain word a weak starter is too often the first word of a title of work ("sur Le
    sublime du comédien"); after a number or a bracket it rarely is.
    """
    rules = language_rules(lang)
    if not rules.opener_after_word:
        return None
    strong = sorted(
        (w for w in rules.starters if len(w) > 1 and w.isalpha() and w not in rules.capital_inside),
        key=len,
        reverse=True,
    )
    # Elided weak starters ("l'", "d'") only before their apostrophe: "2 L d'eau" is litres.
    weak = sorted((w for w in rules.weak_starters if not w.endswith("'")), key=len, reverse=True)
    elided = sorted((w[:-1] for w in rules.weak_starters if w.endswith("'")), key=len, reverse=True)
    branches = []
    for words, glue, after in (
        (strong, r",?\s+", r"(?<=[^\W_]|\))"),
        (weak, r"\s+", r"(?<=[\d)])"),
        (elided, r"['’]", r"(?<=[\d)])"),
    ):
        if words:
            names = "|".join(re.escape(w[0].upper() + w[1:]) for w in words)
            branches.append(after + r"\s+(?:" + names + r")" + glue)
    if not branches:
        return None
    return re.compile(r"(?:" + "|".join(branches) + r")(?=[^\W\d_])")


def _opener_cuts(block: str, rules: LanguageRules) -> Iterator[int]:
    """Boundaries before a capitalised sentence opener that follows a word with no punctuation.

    Sentences written without final punctuation run into the next one in flattened text (a
    caption, a title, a list item, a sentence of web text): "… la Formula Nippon Il était
    membre", "… Frank Sinatra died He also had", "ISBN 2290052418 Dans son ordonnance". Inside
    a sentence these words are written in lower case. A lower-case word must follow, so that
    names ("Le Monde", "The Times") do not count, and the word before may not be a function
    word ("sur la Une du quotidien"): see :func:`_ends_title`.
    """
    pattern = _opener_after_word_re(rules.lang)
    if pattern is None:
        return
    for match in pattern.finditer(block):
        following = block[match.end() : match.end() + 1]
        if not following.islower() or (
            match.start() <= _SECTION_NUMBER_SPAN
            and _SECTION_NUMBER_RE.fullmatch(block[: match.start()])
        ):
            continue
        words = block[max(0, match.start() - _LOOKBEHIND) : match.start()].split()
        if not words:
            continue
        # A unit after a number ends a phrase, short as it is: "Flacon 100 ml Pour la maladie".
        unit = len(words) > 1 and words[-1].isalpha() and _ends_with_number(words[-2])
        if unit or _ends_title(words[-1].rstrip(")"), rules):
            yield _skip_spaces(block, match.start())


# A caption number at the start of a paragraph: "Figure 1.5", "Fig. 3:", "Tableau 2.", "Рис. 4".
_CAPTION_RE = re.compile(
    r"\s*(?:figure|fig\.|table|tableau|abbildung|abb\.|tabelle|рисунок|рис\.|таблица)"
    r"\s+\d+(?:[.\-–]\d+)*[a-z]?(?:\s?[.:])?\s+",
    re.IGNORECASE,
)


def _caption_cuts(block: str) -> Iterator[int]:
    """A boundary after the number of a caption that opens a paragraph, before a capital.

    "Figure 1.5 Residents of Boxborough gather …": the label is a unit of its own (as in UD's
    GUM), while "Table 2 shows that …" goes on.
    """
    match = _CAPTION_RE.match(block)
    if match and block[match.end() : match.end() + 1].isupper():
        yield match.end()


def _is_capitalised_word(token: str) -> bool:
    """True for "Quelles", "L'utilisation", "Вот": a capital, then lower case."""
    letters = [c for c in token[:3] if c.isalpha()]
    return len(letters) >= 2 and letters[0].isupper() and letters[1].islower()


def _lower_word_follows(block: str, i: int) -> bool:
    """True if the word after the spaces at ``block[i]`` begins in lower case: a sentence goes on
    ("Avant de recevoir"), not a title in title case ("CHAPTER II The Pool of Tears")."""
    return block[i : i + _WINDOW].lstrip()[:1].islower()


def _capitals_cuts(block: str) -> Iterator[int]:
    """Boundaries after a run of words in capitals, before a word written in lower case.

    A heading in capitals runs into the next sentence in flattened text ("… A CONNAITRE AVANT
    DE RECEVOIR ACLASTA Avant de recevoir", "МОЛОДЦЫ ФРАНЦУЗЫ Вот как"). Two words at least,
    one of five letters or more so that acronyms ("ЗКР АСО Ленинградской", "the FBI CIA
    Director") do not count, and no comma, colon or semicolon after the run.
    """
    run, long_word, last_mark = 0, False, ""
    for match in _TOKEN_RE.finditer(block):
        token = match.group()
        # str.isupper first: most tokens are not in capitals, and it runs in C.
        letters = sum(c.isalpha() for c in token) if token.isupper() else 0
        if letters >= 2:
            run, long_word, last_mark = run + 1, long_word or letters >= 5, token[-1]
            continue
        if run and (
            run >= 2
            and long_word
            and last_mark not in ",:;"
            and _is_capitalised_word(token)
            and _lower_word_follows(block, match.end())
        ):
            yield match.start()
        run, long_word = 0, False


# A word of two letters or more glued by its final punctuation to the next word: "quality.You'll",
# "смогу!!!Звонить". Not inside a web or e-mail address ("Vangie.McGilloway@", "www.Site").
_GLUED_END_RE = re.compile(r"(?<![\w.@/\\:'’&-])([^\W\d_]{2,})(?:[.!?]+|…)(?=[^\W\d_])")
# Top-level domains that follow a period in a name written with capitals ("Newsfeed.Com").
_DOMAINS = frozenset({"com", "org", "net", "edu", "gov", "info", "biz", "ru", "fr", "de", "uk"})


def _glued_cuts(block: str, rules: LanguageRules) -> Iterator[int]:
    """Boundaries where a sentence end is glued to the next sentence ("quality.You'll also").

    The word before is no abbreviation ("St.John", "Mr.Smith", "др.Он") and the word after is
    written with a capital then lower case, with no period, "@" or "/" inside (no address, no
    "Ph.D.", no "U.S.A.").
    """
    for match in _GLUED_END_RE.finditer(block):
        word = match.group(1).lower()
        if word in rules.abbreviations or word in rules.before_number:
            continue
        token_match = _TOKEN_RE.match(block, match.end())
        token = token_match.group() if token_match else ""
        bare = token.rstrip(".,;:!?…)]\"'»”’")
        if not _is_capitalised_word(bare) or any(c in bare for c in ".@/"):
            continue
        if bare.lower() in _DOMAINS:
            continue
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


def _joins(
    previous: str,
    following: str,
    rules: LanguageRules,
    whole: bool = True,
    uncapitalised: bool = False,
) -> bool:
    """True if a proposed boundary between ``previous`` and ``following`` is not one.

    Both may be cut to a window around the boundary; ``whole`` is False when ``following``
    was cut short; ``uncapitalised`` is True in a paragraph that begins in lower case.
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
        if _LONG_WORD_END_RE.fullmatch(last):
            return False
        # English web text written without capitals ("are you kidding? why would you", "don't
        # tell val. the following weekend"): there a short word, a question or an exclamation
        # before a lower-case word ends a sentence too, unless it is an abbreviation.
        return not (
            uncapitalised
            and rules.lower_case_writer
            and _PLAIN_END_RE.fullmatch(last) is not None
            and re.sub(r"[.?!]+$", "", last).lower() not in rules.abbreviations
        )
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
    if rules.street_suffix and first.isdigit() and last.lower().endswith(rules.street_suffix):
        # Street names: "Goethestr. 5".
        return True
    if rules.ordinal_numbers and _ORDINAL_END_RE.search(head):
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
    uncapitalised = _first_letter(block[:_WINDOW]).islower()
    kept: list[int] = []
    start = 0
    for k, cut in enumerate(cuts):
        end = cuts[k + 1] if k + 1 < len(cuts) else len(block)
        stop = cut
        while stop > start and block[stop - 1].isspace():
            stop -= 1
        previous = block[max(start, stop - _WINDOW) : stop]
        following = block[cut : min(end, cut + _WINDOW)]
        if _joins(previous, following, rules, end - cut <= _WINDOW, uncapitalised):
            continue
        kept.append(cut)
        start = cut
    return kept


def _add_title_ends(line: str, bounds: list[int], rules: LanguageRules) -> list[int]:
    """``bounds`` with a boundary after each short title that opens a sentence (see
    :func:`_title_end`)."""
    out = [bounds[0]]
    for a, b in itertools.pairwise(bounds):
        start = _skip_spaces(line, a)
        end = _title_end(line[start:b], rules)
        if end is not None:
            out.append(start + end)
        out.append(b)
    return out


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
    proposed.update(_capitals_cuts(line))
    proposed.update(_glued_cuts(line, rules))
    proposed.update(_opener_cuts(line, rules))
    proposed.update(_caption_cuts(line))
    cuts = sorted(c for c in proposed if 0 < c < len(line))
    kept = _filter_cuts(line, cuts, rules)
    quotes = [i for i, c in enumerate(line) if c == '"']
    bounds = [0]
    for cut in kept:
        moved = _realign(line, cut, rules, quotes)
        if moved > bounds[-1]:
            bounds.append(moved)
    bounds.append(len(line))
    bounds = _add_title_ends(line, bounds, rules)
    spans: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(bounds):
        piece = line[a:b]
        start = a + len(piece) - len(piece.lstrip())
        end = b - (len(piece) - len(piece.rstrip()))
        if start < end:
            spans.append((start, end))
    return _merge_bare_punctuation(line, spans)


def _is_bare_punctuation(text: str) -> bool:
    """True if ``text`` holds only punctuation and spaces (no letter, digit or emoji)."""
    return all(unicodedata.category(c)[0] in "PZ" for c in text)


def _merge_bare_punctuation(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each piece made of punctuation only (a quote mark left alone by spaced
    typography: "… conversation ? '") joined to the sentence before it, or to the one after
    it when it comes first. Emoji are not punctuation and keep their own rules."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _is_bare_punctuation(line[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and _is_bare_punctuation(line[merged[0][0] : merged[0][1]]):
        merged[:2] = [(merged[0][0], merged[1][1])]
    return merged
