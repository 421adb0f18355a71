"""Boundaries the rules add to Punkt's: where a sentence ends that Punkt cannot see.

After an abbreviation that may end a sentence ("etc. Le", "в 1930-е гг. Затем"), an ellipsis,
emoji, a semicolon or a one-letter token before a capitalised opener; and where sentences run
together without final punctuation: a heading in capitals, a short title, a capitalised opener
after a plain word, a caption's number, "word.Word".
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from aligner.segmentation.context import (
    EMOTICON_END_RE,
    INITIAL_RE,
    LEADING_PUNCT,
    LIST_MARKER_RE,
    LOOKBEHIND,
    WINDOW,
    first_word,
    skip_spaces,
    starts_like_sentence,
)
from aligner.segmentation.languages import (
    LanguageRules,
    caption_labels,
    language_rules,
    web_domains,
)

_DASHES = "-–—"
# A number, a decade or ordinal written with a suffix ("1930-е", "5-го"), a Roman numeral or
# a range of them: what year and unit abbreviations follow.
_NUMBER_TOKEN_RE = re.compile(
    r"(?:\d[\d.,]*(?:-[^\W\d_]{1,4})?|[IVXLCDM]+)(?:[-–](?:\d[\d.,]*|[IVXLCDM]+))?"
)
# How far back an opening parenthesis may be for a ")" to close it (characters).
_PAREN_LOOKBEHIND = 200
# Ellipsis, or a period closing a parenthesis, then spaces: a capital after them starts a
# sentence ("et d'autres... Références", "(Gruau par ex.) Ainsi").
# Also a sentence end before closing quotes that Punkt does not see as such: the HTML-escaped
# or doubled straight quotes of wiki text ("индустриальному!&#39;&#39; Река").
_ELLIPSIS_END_RE = re.compile(
    r"(?:(?<!\.)\.{3,}|…|[.!?…]\)|[.!?…](?=&#39;|&quot;|''))(?:[\"'»”’)\]]|&#39;|&quot;)*\s+"
)
# A one-letter token with its period, then spaces.
_ONE_LETTER_RE = re.compile(r"(?<![\w.'’-])([^\W\d_])\.\s+")


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
        following = block[match.end() : match.end() + WINDOW]
        if following[:1] in _DASHES or not starts_like_sentence(following):
            continue
        written = re.sub(r"\s+", "", match.group(1))
        name = written.lower()
        if written.isupper() and first_word(following).lower() not in rules.starters:
            # Capitals make "н. э." look like initials ("Н. Э. Ончуков"): split only before a
            # usual sentence opener ("300 av. J.-C. Les Romains").
            continue
        before = block[max(0, match.start() - LOOKBEHIND) : match.start()]
        if name in rules.final_after_number and not (
            _ends_with_number(before) and first_word(following).lower() in rules.starters
        ):
            # "в 1930-е гг. Затем" ends a sentence, "в 1917 г. Ленин вернулся" does not.
            continue
        yield match.end()


def _ellipsis_cuts(block: str) -> Iterator[int]:
    """Boundaries after an ellipsis (or ".)") followed by a capital."""
    for match in _ELLIPSIS_END_RE.finditer(block):
        if starts_like_sentence(block[match.end() : match.end() + WINDOW]):
            yield match.end()


def _emoticon_cuts(block: str) -> Iterator[int]:
    """Boundaries after emoji, emoticons or a smiley's unmatched ")" followed by a capital."""
    for match in EMOTICON_END_RE.finditer(block):
        if not starts_like_sentence(block[match.end() : match.end() + WINDOW]):
            continue
        if block[match.start()] == ")":
            # A ")" that closes a parenthesis opened shortly before is not a smiley, nor is
            # the one of a list marker ("expédition : a) Les articles").
            window = block[max(0, match.start() - _PAREN_LOOKBEHIND) : match.end()]
            token = window.split()[-1] if window.split() else ""
            if window.count("(") >= window.count(")") or LIST_MARKER_RE.fullmatch(token):
                continue
        yield match.end()


# Periods from the first of a run only (see the emoji patterns in context.py).
_SEMICOLON_RE = re.compile(r"(?:;|(?<!\.)\.{3,}|…)\s+")
_DASH_ITEM_RE = re.compile(r"[-–—]\s+(\w)")


def _semicolon_cuts(block: str, rules: LanguageRules) -> Iterator[int]:
    """Boundaries after a semicolon followed by a capitalised sentence opener ("; Il", "; The").

    After a semicolon a capital is otherwise a name; the one-letter English "I" is left out.
    A list item opened by a spaced dash after a semicolon or an ellipsis also starts one
    ("1953 ; - Jules Roy", "et d'autres... - 25 avril 2001").
    """
    for match in _SEMICOLON_RE.finditer(block):
        following = block[match.end() : match.end() + WINDOW]
        opener = _opens_sentence(following.lstrip(LEADING_PUNCT), rules, before_lower=False)
        if opener or _dash_item(following):
            yield match.end()


def _dash_item(text: str) -> bool:
    """True if ``text`` opens a list item: a spaced dash, a digit or a capital of any script."""
    item = _DASH_ITEM_RE.match(text)
    return item is not None and (item[1].isdigit() or item[1].isupper())


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
    if first_word(words[0].group()).lower() in rules.starters:
        return None
    for title_word, next_word in itertools.pairwise(words):
        word = title_word.group()
        if not _TITLE_WORD_RE.fullmatch(word):
            return None
        if _ends_title(word, rules) and _opens_sentence(
            piece[next_word.start() : next_word.start() + WINDOW], rules, True
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
        words = block[max(0, match.start() - LOOKBEHIND) : match.start()].split()
        if not words:
            continue
        # A unit after a number ends a phrase, short as it is: "Flacon 100 ml Pour la maladie".
        unit = len(words) > 1 and words[-1].isalpha() and _ends_with_number(words[-2])
        if unit or _ends_title(words[-1].rstrip(")"), rules):
            yield skip_spaces(block, match.start())


@functools.cache
def _caption_re() -> re.Pattern[str]:
    """A caption number at the start of a paragraph: "Figure 1.5", "Fig. 3:", "Tableau 2.",
    "Рис. 4" (the labels are in ``data/captions.txt``)."""
    labels = "|".join(re.escape(label) for label in caption_labels())
    return re.compile(
        r"\s*(?:" + labels + r")\s+\d+(?:[.\-–]\d+)*[a-z]?(?:\s?[.:])?\s+", re.IGNORECASE
    )


def _caption_cuts(block: str) -> Iterator[int]:
    """A boundary after the number of a caption that opens a paragraph, before a capital.

    "Figure 1.5 Residents of Boxborough gather …": the label is a unit of its own (as in UD's
    GUM), while "Table 2 shows that …" goes on.
    """
    match = _caption_re().match(block)
    if match and block[match.end() : match.end() + 1].isupper():
        yield match.end()


def _is_capitalised_word(token: str) -> bool:
    """True for "Quelles", "L'utilisation", "Вот": a capital, then lower case."""
    letters = [c for c in token[:3] if c.isalpha()]
    return len(letters) >= 2 and letters[0].isupper() and letters[1].islower()


def _lower_word_follows(block: str, i: int) -> bool:
    """True if the word after the spaces at ``block[i]`` begins in lower case: a sentence goes on
    ("Avant de recevoir"), not a title in title case ("CHAPTER II The Pool of Tears")."""
    return block[i : i + WINDOW].lstrip()[:1].islower()


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
        if bare.lower() in web_domains():
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
        letter, following = match.group(1), block[match.end() : match.end() + WINDOW]
        if not starts_like_sentence(following) or INITIAL_RE.match(following):
            continue
        if letter.isupper():
            if first_word(following).lower() in rules.starters:
                yield match.end()
        elif letter not in rules.abbreviations or (
            letter not in rules.final_after_number
            and following[:1] not in _DASHES
            and _ends_with_number(block[max(0, match.start() - LOOKBEHIND) : match.start()])
        ):
            # After a number the letter is a unit ("8481 m. L'écart"), even where it is also
            # an abbreviation with a capital ("M. Dupont").
            yield match.end()


def add_title_ends(line: str, bounds: list[int], rules: LanguageRules) -> list[int]:
    """``bounds`` with a boundary after each short title that opens a sentence (see
    :func:`_title_end`)."""
    out = [bounds[0]]
    for a, b in itertools.pairwise(bounds):
        start = skip_spaces(line, a)
        end = _title_end(line[start:b], rules)
        if end is not None:
            out.append(start + end)
        out.append(b)
    return out


def rule_cuts(line: str, rules: LanguageRules) -> Iterator[int]:
    """Every boundary the rules propose in ``line`` besides Punkt's (some more than once)."""
    yield from _abbreviation_cuts(line, rules)
    yield from _ellipsis_cuts(line)
    yield from _emoticon_cuts(line)
    yield from _semicolon_cuts(line, rules)
    yield from _one_letter_cuts(line, rules)
    yield from _capitals_cuts(line)
    yield from _glued_cuts(line, rules)
    yield from _opener_cuts(line, rules)
    yield from _caption_cuts(line)
