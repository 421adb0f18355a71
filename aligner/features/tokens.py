"""Tokens: every sentence as a set of word keys (numbers, names, cognates, punctuation), weighted.

Every sentence is reduced once to a set of integer token ids ("types"): words lower-cased,
stripped of accents and, for Cyrillic, transliterated to Latin (``Крыленко`` → ``krylenko``);
numbers canonicalised (``8839,8`` = ``8839.8``, ``1 000`` = ``1000``); and a few punctuation
marks whose presence survives translation (``?`` ``!`` ``:`` quotes, parentheses). Tokens are
weighted by rarity (an IDF weight, so frequent short words do not dominate; sentences repeated
verbatim count once, so a text that repeats itself is weighed as its distinct content is), and
the most frequent ones are left out of matching altogether. The matching itself, the banded
join of two sides through a table, is :mod:`aligner.features.matching`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.segmentation.detect import script_counts

if TYPE_CHECKING:
    from aligner.features.lemmas import LemmaTables

#: Cyrillic to Latin, close to the common English-style romanisation (ISO 9 would add diacritics
#: that we strip anyway). Soft and hard signs vanish.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "і": "i", "ї": "i", "є": "e", "ґ": "g",
}  # fmt: skip
#: Punctuation keys: marks whose presence tends to survive translation. Quotes of every kind
#: share one key.
_PUNCT = {
    "?": "?", "!": "!", ":": ":", "(": "(", ")": "(", "«": '"', "»": '"', "“": '"',
    "”": '"', "„": '"', '"': '"',
}  # fmt: skip
#: Numbers: digit groups separated by spaces (``1 000``), or by , or . before exactly three
#: digits (``1,000``), optionally with a decimal part (``8839,8``).
# The leading lookaheads only let the engine skip non-candidates quickly (twice as fast on a book).
_NUMBER = re.compile(r"(?=\d)(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)")
_WORD = re.compile(r"[^\W\d_]+")
#: Upper-case Roman numerals of two letters or more (chapter numbers: ``II``, ``XIV``); a lone
#: ``I`` is too often the English pronoun.
_ROMAN = re.compile(
    r"(?=[IVXLC]{2})\b(?=[IVXLC]{2,8}\b)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b"
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
#: Words shorter than this are never matched by identity or spelling (``on``, ``die``, ``a``
#: are false friends); the learned lexicon still sees them.
MIN_COGNATE_LEN = 4


@cache
def _translit_table() -> dict[int, str]:
    table = {ord(k): v for k, v in _CYRILLIC.items()}
    table.update({ord(k.upper()): v for k, v in _CYRILLIC.items()})
    return table


def fold(text: str) -> str:
    """Lower-case, strip accents and transliterate Cyrillic: the form used for comparisons."""
    if text.isascii():  # nothing to transliterate or decompose: most words of many languages
        return text.lower()
    text = text.translate(_translit_table()).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def canonical_number(raw: str) -> str:
    """``1 000`` → ``1000``, ``1,000`` → ``1000``, ``8839,8`` → ``8839.8``."""
    raw = re.sub(r"[ \u00a0\u202f]", "", raw)
    parts = re.split(r"[.,]", raw)
    if len(parts) == 1:
        return raw.lstrip("0") or "0"
    # A separator before exactly three final digits groups thousands; one before other digit
    # counts is a decimal point. ``1.000,5`` keeps its last part as the decimal.
    *head, last = parts
    if len(last) == 3 and all(len(p) <= 3 for p in head[1:]):
        return ("".join(parts)).lstrip("0") or "0"
    return ("".join(head).lstrip("0") or "0") + "." + last


def roman_value(numeral: str) -> int:
    """The value of a valid Roman numeral such as ``XIV`` (14)."""
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


_PUNCT_KEYS = frozenset(_PUNCT.values())
_PUNCT_RE = re.compile("[" + re.escape("".join(_PUNCT)) + "]")


#: Sentences are joined with this for the scans below: a line break, which none of the patterns
#: consume and which bounds a word (``\b``) like the end of a sentence does.
_JOIN = "\n"
#: Cheap scans for the few sentences that may hold a Roman numeral (two letters of one in a
#: row) or a number (a digit): the full patterns, whose look-aheads try every position, run on
#: those sentences only. Each scan takes the rest of the line with its first hit (``.`` stops at
#: :data:`_JOIN`), so a sentence is matched once, not once per digit: only which sentences have
#: a hit is used. :func:`_marks` tells the same sentences from the text's code points.
_ROMAN_HINT = re.compile("[IVXLC][IVXLC].*")
_DIGIT = re.compile(r"\d.*")
#: Code points below this are told apart by one table (:func:`_code_kinds`): the punctuation
#: keys (the highest, ``„``, is U+201E), the Roman letters, the digits ``\d`` matches below it.
_TABLE_END = 0x2020
#: :func:`_code_kinds` flags: a Roman-numeral letter, a digit; the low bits number the
#: punctuation marks (1 + their place in :data:`_PUNCT`), 0 for other characters.
_ROMAN_FLAG = 0x40
_DIGIT_FLAG = 0x80
_MARK_BITS = 0x3F


@cache
def _code_kinds() -> npt.NDArray[np.uint8]:
    """Per code point below :data:`_TABLE_END`, its :data:`_ROMAN_FLAG`, :data:`_DIGIT_FLAG`
    and punctuation number; the last entry (where higher code points are clipped to) 0."""
    kinds = np.zeros(_TABLE_END, np.uint8)
    for k, mark in enumerate(_PUNCT):
        kinds[ord(mark)] = k + 1
    for letter in "IVXLC":
        kinds[ord(letter)] |= _ROMAN_FLAG
    # ``\d`` is Unicode's decimal digits (category Nd), as ``str.isdecimal`` tells.
    for code in range(_TABLE_END - 1):
        if chr(code).isdecimal():
            kinds[code] |= _DIGIT_FLAG
    kinds[_TABLE_END - 1] = 0
    return kinds


def _first_rows(positions: IntArray, starts: IntArray) -> list[int]:
    """The sentences (``starts``: where each begins in the joined text) holding any of the
    sorted ``positions``, each once, in order."""
    owner = np.searchsorted(starts, positions, side="right") - 1
    rows: list[int] = distinct(owner).tolist()
    return rows


def _code_points(joined: str) -> npt.NDArray[np.uint32]:
    """The code points of ``joined``, one per character (lone surrogates included)."""
    return np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), "<u4")


@cache
def _letter_codes() -> npt.NDArray[np.bool_]:
    """Per code point below :data:`_TABLE_END`, whether ``_WORD`` takes it for a letter; the
    last entry (where higher code points are clipped to) False."""
    letters = np.zeros(_TABLE_END, np.bool_)
    for code in range(_TABLE_END - 1):
        letters[code] = _WORD.fullmatch(chr(code)) is not None
    return letters


def _is_letter(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """Per character (code point), whether ``_WORD`` takes it for a letter."""
    letter = _letter_codes()[np.minimum(codes, _TABLE_END - 1)]
    letter[_past_table(codes, lambda c: _WORD.fullmatch(c) is not None)] = True
    return letter


def _past_table(codes: npt.NDArray[np.uint32], test: Callable[[str], bool]) -> IntArray:
    """The places of the characters past the tables (the few code points from
    :data:`_TABLE_END` on, and its last entry) that ``test`` takes, each distinct one tested
    once."""
    high = np.flatnonzero(codes >= _TABLE_END - 1)
    found = [c for c in distinct(codes[high].astype(np.int64)).tolist() if test(chr(c))]
    return high[np.isin(codes[high], found)] if found else high[:0]


def _marks(
    joined: str, starts: IntArray, codes: npt.NDArray[np.uint32] | None = None
) -> tuple[list[int], list[int], list[int], list[str]]:
    """The sentences that may hold a Roman numeral (two of its letters in a row), those that
    hold a digit, and the sentence and key of every punctuation mark, in order of the text.

    What ``_ROMAN_HINT``, ``_DIGIT`` and ``_PUNCT_RE`` find scanning ``joined``, told from its
    code points with one table (three pattern scans took a tenth of a second on a book's side,
    this a fiftieth).
    """
    if codes is None:
        codes = _code_points(joined)
    kinds = _code_kinds()[np.minimum(codes, _TABLE_END - 1)]
    roman = (kinds & _ROMAN_FLAG) != 0
    pairs = np.flatnonzero(roman[:-1] & roman[1:])
    digit = (kinds & _DIGIT_FLAG) != 0
    # The few characters past the table: a decimal digit among them counts too.
    digit[_past_table(codes, str.isdecimal)] = True
    at = np.flatnonzero(kinds & _MARK_BITS)
    keys = [_PUNCT[m] for m in _PUNCT]
    marks = [keys[k - 1] for k in (kinds[at] & _MARK_BITS).tolist()]
    owner = (np.searchsorted(starts, at, side="right") - 1).tolist()
    return _first_rows(pairs, starts), _first_rows(np.flatnonzero(digit), starts), owner, marks


def _raw_keys(sentences: Sequence[str]) -> tuple[IntArray, list[str]]:
    """Sentence index and unfolded key of every token (see :func:`text_keys`).

    Words are found sentence by sentence (``findall`` in C); the rarer kinds by one look at
    the joined sentences' code points (:func:`_marks`), their full patterns only where it finds
    a candidate.
    """
    n = len(sentences)
    lengths = np.fromiter(map(len, sentences), np.int64, n)
    starts = np.zeros(n, np.int64)
    np.cumsum(lengths[:-1] + len(_JOIN), out=starts[1:])
    joined = _JOIN.join(sentences)
    codes = _code_points(joined)
    roman_rows, digit_rows, mark_rows, marks = _marks(joined, starts, codes)
    # Per sentence, its keys before the words: Roman numerals, numbers, punctuation marks.
    extra: dict[int, list[str]] = {}
    for k in roman_rows:
        romans = ["#" + str(roman_value(r)) for r in _ROMAN.findall(sentences[k]) if r]
        if romans:
            extra[k] = romans
    for k in digit_rows:
        numbers = ["#" + canonical_number(x) for x in _NUMBER.findall(sentences[k])]
        if numbers:
            extra.setdefault(k, []).extend(numbers)
    for k, mark in zip(mark_rows, marks, strict=True):
        extra.setdefault(k, []).append(mark)
    per_sentence = _words(sentences, joined, codes)
    for k, before in extra.items():
        per_sentence[k] = before + per_sentence[k]
    counts = list(map(len, per_sentence))
    sent = np.repeat(np.arange(n, dtype=np.int64), counts)
    return sent, list(itertools.chain.from_iterable(per_sentence))


def _words(
    sentences: Sequence[str], joined: str, codes: npt.NDArray[np.uint32] | None = None
) -> list[list[str]]:
    """The words of each sentence (``_WORD.findall`` of each), ``joined`` being the sentences
    joined with :data:`_JOIN` (``codes`` its code points, when already read).

    The text is read in one pass instead: every character that is not a letter (told by
    ``_WORD`` itself) becomes a space, and each sentence is split at the spaces. For an ASCII
    text (most English ones) ``str.translate`` does that several times faster than the pattern
    finds the words; for others (``translate`` would look every character up in a dict, no
    faster than the pattern) the code points are blanked through a table of letters
    (:func:`_is_letter`) and read back as text, which halved a French book's words' time.
    Sentences holding a line break take the pattern.
    """
    if joined.count(_JOIN) != len(sentences) - 1:
        return list(map(_WORD.findall, sentences))
    if joined.isascii():
        blank = {ord(c): " " for c in set(joined) if c != _JOIN and not _WORD.fullmatch(c)}
        return [piece.split() for piece in joined.translate(blank).split(_JOIN)]
    if codes is None:
        codes = _code_points(joined)
    kept = np.where(_is_letter(codes) | (codes == ord(_JOIN)), codes, np.uint32(ord(" ")))
    text = kept.astype("<u4").tobytes().decode("utf-32-le")
    return [piece.split() for piece in text.split(_JOIN)]


def _folded(key: str) -> str:
    """The comparison form of a key: words folded, numbers and punctuation kept."""
    return key if key[0] == "#" or key in _PUNCT_KEYS else fold(key)


def text_keys(sentences: Sequence[str]) -> tuple[IntArray, list[str]]:
    """Every token of every sentence: its sentence index and its key, grouped by kind.

    Keys: numbers ``#n`` (Roman numerals of two letters or more included, ``CHAPTER II``
    matches ``II``), punctuation keys, folded words, in that order within a sentence. The
    tokens :func:`build_side` numbers, spelled out.
    """
    sent, toks, vocab, _, _ = _key_ids(sentences)
    return sent, [vocab[t] for t in toks.tolist()]


#: Sentences tokenised at a time by :func:`_key_ids`. Holding every token of a text as a string
#: until all were found took 156 MB for the Old Testament four times over (2.4 million tokens,
#: tracemalloc); a chunk of 4,096 verses holds about 100,000.
KEY_CHUNK = 4096


def _key_ids(
    sentences: Sequence[str],
) -> tuple[IntArray, IntArray, tuple[str, ...], FloatArray, tuple[str, ...]]:
    """Every token as ids: its sentence and token id, the distinct keys (see :func:`text_keys`)
    in order of first appearance, per key the share of its occurrences written with a capital
    (names keep theirs), and per key its first spelling in the text, unfolded.

    Only the distinct unfolded words are folded and looked up twice, not every token. The
    sentences are read :data:`KEY_CHUNK` at a time and their keys numbered at once, so the
    strings of only one chunk's tokens are held (each token is a string until numbered).
    """
    raw: dict[str, int] = {}
    sents: list[IntArray] = []
    ids: list[IntArray] = []
    for first in range(0, len(sentences), KEY_CHUNK):
        sent, keys = _raw_keys(sentences[first : first + KEY_CHUNK])
        # The chunk's distinct keys in order of first appearance (built in C), numbered on.
        for k in dict.fromkeys(keys):
            raw.setdefault(k, len(raw))
        sents.append(sent + first)
        ids.append(np.fromiter(map(raw.__getitem__, keys), np.int64, len(keys)))
        del keys
    sent = np.concatenate(sents) if sents else np.zeros(0, np.int64)
    raw_ids = np.concatenate(ids) if ids else np.zeros(0, np.int64)
    del sents, ids
    index: dict[str, int] = {}
    # A folded key first appears with the first of its unfolded forms, so numbering the
    # distinct unfolded keys in order numbers the folded ones in order of appearance too.
    to_folded = np.fromiter(
        (index.setdefault(_folded(k), len(index)) for k in raw), np.int64, len(raw)
    )
    upper = np.fromiter((k[0].isupper() for k in raw), np.float64, len(raw))
    toks = to_folded[raw_ids]
    counts = np.bincount(toks, minlength=len(index))
    capital = np.bincount(toks, weights=upper[raw_ids], minlength=len(index))
    spellings: list[str] = []
    for k, folded in zip(raw, to_folded.tolist(), strict=True):
        if folded == len(spellings):
            spellings.append(k)
    return sent, toks, tuple(index), capital / np.maximum(counts, 1), tuple(spellings)


def lemma_keys(
    vocab: Sequence[str],
    spellings: Sequence[str],
    lang: str | None,
    tables: LemmaTables | None = None,
) -> tuple[str, ...]:
    """Per key, the folded lemma of its word (:mod:`aligner.features.lemmas`, read from
    ``tables``, else from tables loaded for this call), the key itself for numbers,
    punctuation and words the lemmatiser does not know; empty without a language."""
    if not lang:
        return ()
    from aligner.features.lemmas import lemmatize

    words = [k for k, raw in enumerate(spellings) if raw[0] != "#" and raw not in _PUNCT_KEYS]
    lemmas = lemmatize([spellings[k] for k in words], lang, tables)
    out = list(vocab)
    for k, lemma in zip(words, lemmas, strict=True):
        out[k] = fold(lemma)
    return tuple(out)


def is_spellable(key: str) -> bool:
    """True for keys that may match by identity or spelling across languages."""
    return key[0] in '#?!:("' or len(key) >= MIN_COGNATE_LEN


@dataclass(frozen=True)
class Side:
    """One text's sentences as sets of token ids, with rarity weights.

    ``occ_sent`` / ``occ_tok`` list every (sentence, token type) once, sorted by sentence;
    ``weight[t]`` is the IDF weight of token ``t`` over distinct sentences (0 for tokens too
    frequent to match; :func:`rarity_weights`), ``df[t]`` the sentences holding it, repeats
    included; ``mass[i]`` is the summed weight of sentence ``i``'s tokens; ``capital[t]`` the
    share of token ``t``'s occurrences written with a capital. ``cyrillic``: most of the
    text's letters are Cyrillic, so its words were romanised by :func:`fold`. ``lemma[t]``: the
    folded lemma of token ``t`` (:func:`lemma_keys`; empty when the language was not given).
    """

    vocab: tuple[str, ...]
    occ_sent: IntArray
    occ_tok: IntArray
    weight: FloatArray
    df: IntArray
    mass: FloatArray
    lengths: FloatArray
    capital: FloatArray
    cyrillic: bool
    lemma: tuple[str, ...] = ()
    #: How often each occurrence's token is written in its sentence (None: not counted).
    occ_count: npt.NDArray[np.int32] | None = None
    #: Per sentence, the first sentence of the text written exactly like it (itself when it is
    #: the first; None: not told, every sentence taken as distinct).
    copy_of: IntArray | None = None

    @property
    def distinct_df(self) -> IntArray:
        """Per token, the number of distinct sentences holding it: a sentence repeated
        verbatim counts once (:attr:`df` where no sentence repeats)."""
        return distinct_counts(self.occ_sent, self.occ_tok, self.df, self.copy_of)[0]

    @property
    def distinct_n(self) -> int:
        """Number of distinct sentences (:attr:`n` where no sentence repeats)."""
        if self.copy_of is None:
            return self.n
        return int(np.count_nonzero(self.copy_of == np.arange(self.n, dtype=np.int64)))

    @property
    def first_copy(self) -> IntArray:
        """Per sentence, the first sentence written like it (:attr:`copy_of`, or each
        sentence itself)."""
        if self.copy_of is None:
            return np.arange(self.n, dtype=np.int64)
        return self.copy_of

    @property
    def n(self) -> int:
        """Number of sentences."""
        return int(self.lengths.size)

    @cached_property
    def live(self) -> IntArray:
        """The occurrences of tokens that may match (weight above 0), in order."""
        live = np.flatnonzero(self.weight[self.occ_tok] > 0)
        live.setflags(write=False)
        return live

    @cached_property
    def by_token(self) -> tuple[IntArray, IntArray]:
        """The live occurrences sorted by token, then sentence: their keys ``token * (n + 1) +
        sentence`` and their sentences. Cached: every band searched joins against them."""
        live = self.live
        keys = self.occ_tok[live] * np.int64(self.n + 1) + self.occ_sent[live]
        order = _by_token(self.occ_tok[live], keys)
        keys, sent = keys[order], self.occ_sent[live[order]]
        keys.setflags(write=False)
        sent.setflags(write=False)
        return keys, sent


#: Tokens in more than this fraction of sentences are not matched …
MAX_DF_FRACTION = 0.5
#: … nor those in more than this many sentences: on a book, a word in every other sentence
#: would make the banded join grow with band width × sentences and adds little evidence.
MAX_DF = 500


def distinct(values: IntArray) -> IntArray:
    """The sorted distinct values of an integer array.

    ``np.unique`` does the same, but numpy 2.3+ routes it through a hash table that is some
    fifty times slower than a sort on arrays of a few hundred thousand integers. The stable
    sort (radix or merge runs) sorts the same values, and is two to three times faster than the
    default one on the keys here, which arrive in long sorted runs.
    """
    ordered = np.sort(values, kind="stable")
    if ordered.size == 0:
        return ordered
    keep = np.empty(ordered.size, np.bool_)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


#: Largest value :func:`stable_order` sorts by 16-bit radix passes (two of them).
RADIX_MAX = (1 << 32) - 1


def stable_order(values: IntArray) -> IntArray:
    """``np.argsort(values, kind="stable")`` of a 1-D integer array.

    Values from 0 to :data:`RADIX_MAX` (the features' keys, most often) are sorted by their low
    16 bits, then stably by their high 16 bits: numpy sorts 16-bit integers by radix, and two
    such passes took half the time of one stable sort of the 64-bit values (IBM 1's pair keys,
    600,000 of them, on a book). A stable order is unique, so it is the same order.
    """
    if values.size == 0 or int(values.min()) < 0 or int(values.max()) > RADIX_MAX:
        return np.argsort(values, kind="stable")
    order = np.argsort((values & 0xFFFF).astype(np.uint16), kind="stable")
    high = (values >> 16).astype(np.uint16)
    if not high.any():
        return order
    return order[np.argsort(high[order], kind="stable")]


def distinct_inverse(values: IntArray) -> tuple[IntArray, IntArray]:
    """The sorted distinct values of a 1-D integer array, and each value's index among them:
    ``np.unique(values, return_inverse=True)``, by a sort (see :func:`distinct`)."""
    order = stable_order(values)
    ordered = values[order]
    if ordered.size == 0:
        return ordered, np.zeros(0, np.int64)
    keep = np.empty(ordered.size, np.bool_)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    inverse = np.empty(ordered.size, np.int64)
    inverse[order] = np.cumsum(keep) - 1
    return ordered[keep], inverse


#: Characters of a text looked at to tell its script: an even sample, enough for a book.
SCRIPT_SAMPLE = 100_000


def is_cyrillic(sentences: Sequence[str]) -> bool:
    """True when Cyrillic letters outnumber Latin ones in an even sample of the text."""
    text = "".join(sentences)
    sample = text[:: max(1, len(text) // SCRIPT_SAMPLE)]
    counts, _ = script_counts(sample)
    return counts["CYRILLIC"] > counts["LATIN"]


#: The characters ``str.split()`` splits at (``str.isspace``) other than the space and the line
#: break (tests/test_squeezed_lengths.py checks the list against Python's own).
OTHER_SPACES = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def squeezed_lengths(sentences: Sequence[str]) -> FloatArray:
    """Per sentence, its length with each run of whitespace counted as one space and none at
    its ends (``len(" ".join(s.split()))``), so tokenised and plain text count alike.

    Most texts hold no whitespace but single spaces between words, and then the length is the
    sentence's own: a few substring tests over the joined text tell, instead of splitting and
    joining every sentence (figures in benchmarks/RESULTS.md, round seven).
    """
    n = len(sentences)
    joined = "\n".join(sentences)
    plain = (
        joined.count("\n") == n - 1  # no sentence holds a line break
        and not joined.startswith(" ")
        and not joined.endswith(" ")
        and "  " not in joined
        and "\n " not in joined
        and " \n" not in joined
        and not any(c in joined for c in OTHER_SPACES)
    )
    if plain:
        return np.fromiter(map(len, sentences), np.float64, n)
    return np.fromiter((len(" ".join(s.split())) for s in sentences), np.float64, n)


def first_copies(sentences: Sequence[str]) -> IntArray | None:
    """Per sentence, the index of the first sentence written exactly like it (None when no
    sentence repeats another)."""
    first: dict[str, int] = {}
    out = np.fromiter(
        (first.setdefault(s, k) for k, s in enumerate(sentences)), np.int64, len(sentences)
    )
    return out if len(first) < len(sentences) else None


def distinct_counts(
    occ_sent: IntArray, occ_tok: IntArray, df: IntArray, copy_of: IntArray | None
) -> tuple[IntArray, int | None]:
    """Per token type, the number of distinct sentences holding it, and the number of distinct
    sentences (None: all are, ``copy_of`` being None): a sentence written like an earlier one
    (``copy_of``, see :func:`first_copies`) is not one more. ``df`` counts every sentence;
    ``occ_sent`` is sorted.

    The repeats' occurrences are taken off ``df``, rather than the first copies' counted anew:
    most texts repeat few sentences, and a mask over every occurrence is a book-sized array.
    """
    if copy_of is None:
        return df, None
    repeats = np.flatnonzero(copy_of != np.arange(copy_of.size, dtype=np.int64))
    starts = np.searchsorted(occ_sent, repeats, side="left")
    owner, rank = _expand(np.searchsorted(occ_sent, repeats, side="right") - starts)
    again = np.bincount(occ_tok[starts[owner] + rank], minlength=df.size)
    return df - again, copy_of.size - repeats.size


def rarity_weights(df: IntArray, n: int) -> FloatArray:
    """Per token type, its IDF weight ``log(1 + n / df)`` in a text of ``n`` sentences, 0
    above the document-frequency cut-off (:data:`MAX_DF_FRACTION`, :data:`MAX_DF`)."""
    weight = np.log1p(n / np.maximum(df, 1)).astype(np.float64)
    cutoff = min(max(MAX_DF_FRACTION * n, 2), MAX_DF)
    weight[df > cutoff] = 0.0
    return weight


def build_side(
    sentences: Sequence[str], lang: str | None = None, lemmas: LemmaTables | None = None
) -> Side:
    """Tokenise every sentence once and weight tokens by rarity; with ``lang``, lemmatise each
    distinct word once (from ``lemmas``, else from tables loaded for this call)."""
    # Told first, before the tokens' temporary arrays, so that this long-lived one does not sit
    # between the blocks they free (a book's alignment reuses those for its larger arrays).
    copy_of = first_copies(sentences)
    sent, toks, vocab, capital, spellings = _key_ids(sentences)
    # One occurrence per (sentence, token type), sorted by sentence, and how often it is written.
    ordered = np.sort(sent * np.int64(len(vocab) + 1) + toks, kind="stable")  # see distinct
    first = np.ones(ordered.size, np.bool_)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    pair = ordered[first]
    written = np.diff(np.append(np.flatnonzero(first), ordered.size)).astype(np.int32)
    sent_ids, tok_ids = pair // (len(vocab) + 1), pair % (len(vocab) + 1)
    n = len(sentences)
    occ_sent = np.asarray(sent_ids, np.int64)
    occ_tok = np.asarray(tok_ids, np.int64)
    df = np.bincount(occ_tok, minlength=len(vocab)).astype(np.int64)
    # Rarity counts distinct sentences: a repetition adds no evidence of where a word is rare,
    # so a text that repeats itself weighs its words as its distinct content does (a book
    # given k times over as one copy), and a refrain does not make its words common.
    distinct_df, distinct_n = distinct_counts(occ_sent, occ_tok, df, copy_of)
    weight = rarity_weights(distinct_df, n if distinct_n is None else distinct_n)
    mass = np.bincount(occ_sent, weights=weight[occ_tok], minlength=n).astype(np.float64)
    lengths = squeezed_lengths(sentences)
    return Side(
        vocab,
        occ_sent,
        occ_tok,
        weight,
        df,
        mass,
        lengths,
        capital,
        is_cyrillic(sentences),
        lemma_keys(vocab, spellings, lang, lemmas),
        written,
        copy_of,
    )


def _expand(counts: IntArray) -> tuple[IntArray, IntArray]:
    """For ``counts[k]`` items per entry: each item's entry and its rank within the entry."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    rank = np.arange(total, dtype=np.int64) - np.repeat(starts, counts)
    return owner, rank


def _by_token(tokens: IntArray, keys: IntArray) -> IntArray:
    """An order sorting ``keys = tokens * width + column``, where ``column`` already rises
    along each token's entries: a stable sort by token alone, as 16-bit integers when the ids
    fit (numpy sorts those by radix, several times faster than the 64-bit keys)."""
    if tokens.size and int(tokens.max()) <= np.iinfo(np.uint16).max:
        return np.argsort(tokens.astype(np.uint16), kind="stable")
    return np.argsort(keys, kind="stable")
