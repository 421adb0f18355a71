"""Lexical evidence: word keys (numbers, names, cognates, punctuation) and banded match scores.

Every sentence is reduced once to a set of integer token ids ("types"): words lower-cased,
stripped of accents and, for Cyrillic, transliterated to Latin (``Крыленко`` → ``krylenko``);
numbers canonicalised (``8839,8`` = ``8839.8``, ``1 000`` = ``1000``); and a few punctuation
marks whose presence survives translation (``?`` ``!`` ``:`` quotes, parentheses). Tokens are
weighted by rarity (an IDF weight, so frequent short words do not dominate), and the most
frequent ones are left out of matching altogether.

A :class:`~aligner.lexicon.Table` says which source token may translate which target token and
how strongly (identity, cognates found with rapidfuzz, a lexicon learned from the texts, a
user dictionary). :func:`window_matches` computes, for the cells of a band of sentence pairs
``(i, j)``, the weighted mass of source tokens of ``i`` that find a translation among target
sentences ``j - w + 1 .. j`` (each token once, however many of them hold a translation) —
vectorised as sorted joins with ``np.searchsorted``, never a Python loop per pair. Called with
the sides swapped it gives the target tokens' side.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

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


def text_keys(sentences: Sequence[str]) -> tuple[IntArray, list[str]]:
    """Every token of every sentence: its sentence index and its key, grouped by kind.

    Keys: numbers ``#n`` (Roman numerals of two letters or more included, ``CHAPTER II``
    matches ``II``), punctuation keys, folded words. Each regular expression runs once per
    sentence in C (``findall``) and :func:`fold` once per distinct word, which keeps a book to
    about a second.
    """
    counts: list[int] = []
    keys: list[str] = []
    for text in sentences:
        romans = ["#" + str(roman_value(r)) for r in _ROMAN.findall(text) if r]
        numbers = ["#" + canonical_number(n) for n in _NUMBER.findall(text)]
        marks = list(map(_PUNCT.__getitem__, _PUNCT_RE.findall(text)))
        words = _WORD.findall(text)
        keys += romans
        keys += numbers
        keys += marks
        keys += words
        counts.append(len(romans) + len(numbers) + len(marks) + len(words))
    folded = {w: w if w[0] == "#" or w in _PUNCT_KEYS else fold(w) for w in set(keys)}
    sent = np.repeat(np.arange(len(sentences), dtype=np.int64), counts)
    return sent, list(map(folded.__getitem__, keys))


def sentence_keys(text: str) -> list[str]:
    """The tokens of one sentence (see :func:`text_keys`): numbers, punctuation, then words."""
    return text_keys([text])[1]


def is_spellable(key: str) -> bool:
    """True for keys that may match by identity or spelling across languages."""
    return key[0] in '#?!:("' or len(key) >= MIN_COGNATE_LEN


@dataclass(frozen=True)
class Side:
    """One text's sentences as sets of token ids, with rarity weights.

    ``occ_sent`` / ``occ_tok`` list every (sentence, token type) once, sorted by sentence;
    ``weight[t]`` is the IDF weight of token ``t`` (0 for tokens too frequent to match);
    ``mass[i]`` is the summed weight of sentence ``i``'s tokens.
    """

    vocab: tuple[str, ...]
    occ_sent: IntArray
    occ_tok: IntArray
    weight: FloatArray
    df: IntArray
    mass: FloatArray
    lengths: FloatArray

    @property
    def n(self) -> int:
        """Number of sentences."""
        return int(self.lengths.size)


#: Tokens in more than this fraction of sentences are not matched …
MAX_DF_FRACTION = 0.5
#: … nor those in more than this many sentences: on a book, a word in every other sentence
#: would make the banded join grow with band width × sentences and adds little evidence.
MAX_DF = 500


def distinct(values: IntArray) -> IntArray:
    """The sorted distinct values of an integer array.

    ``np.unique`` does the same, but numpy 2.3+ routes it through a hash table that is some
    fifty times slower than a sort on arrays of a few hundred thousand integers.
    """
    ordered = np.sort(values)
    if ordered.size == 0:
        return ordered
    keep = np.empty(ordered.size, np.bool_)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def build_side(sentences: Sequence[str]) -> Side:
    """Tokenise every sentence once and weight tokens by rarity."""
    sent, keys = text_keys(sentences)
    index = {k: n for n, k in enumerate(dict.fromkeys(keys))}
    toks = np.fromiter(map(index.__getitem__, keys), np.int64, len(keys))
    # One occurrence per (sentence, token type), sorted by sentence.
    pair = distinct(sent * np.int64(len(index) + 1) + toks)
    sent_ids, tok_ids = pair // (len(index) + 1), pair % (len(index) + 1)
    n = len(sentences)
    occ_sent = np.asarray(sent_ids, np.int64)
    occ_tok = np.asarray(tok_ids, np.int64)
    df = np.bincount(occ_tok, minlength=len(index)).astype(np.int64)
    weight = np.log1p(n / np.maximum(df, 1)).astype(np.float64)
    cutoff = min(max(MAX_DF_FRACTION * n, 2), MAX_DF)
    weight[df > cutoff] = 0.0
    mass = np.bincount(occ_sent, weights=weight[occ_tok], minlength=n).astype(np.float64)
    # Character length without runs of spaces, so tokenised and plain text count alike.
    lengths = np.fromiter((len(" ".join(s.split())) for s in sentences), np.float64, n)
    return Side(tuple(index), occ_sent, occ_tok, weight, df, mass, lengths)


@dataclass(frozen=True)
class SentenceBand:
    """Sentence pairs kept per source sentence ``i``: target columns ``lo[i] <= j < hi[i]``.

    ``offsets[i]`` is where row ``i`` starts in flat, row-major storage of its cells.
    """

    lo: IntArray
    hi: IntArray
    offsets: IntArray

    @classmethod
    def of(cls, lo: IntArray, hi: IntArray) -> SentenceBand:
        """A band from its edges; ``hi`` is exclusive."""
        lo = np.asarray(lo, np.int64)
        hi = np.maximum(np.asarray(hi, np.int64), lo)
        offsets = np.zeros(lo.size + 1, np.int64)
        np.cumsum(hi - lo, out=offsets[1:])
        return cls(lo, hi, offsets)

    @property
    def cells(self) -> int:
        """Number of sentence pairs in the band."""
        return int(self.offsets[-1])

    def transpose(self, n_tgt: int) -> SentenceBand:
        """The same cells seen from the target side: rows are target sentences."""
        cols = np.arange(n_tgt, dtype=np.int64)
        # Row i holds column j iff lo[i] <= j < hi[i]; both edges are non-decreasing in i.
        lo = np.searchsorted(self.hi, cols, side="right")
        hi = np.searchsorted(self.lo, cols, side="right")
        return SentenceBand.of(lo, hi)

    def flat(self, i: IntArray, j: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Flat index of cells ``(i, j)`` and whether each is inside the band."""
        inside = (j >= self.lo[i]) & (j < self.hi[i])
        return self.offsets[i] + np.where(inside, j - self.lo[i], 0), inside


def _expand(counts: IntArray) -> tuple[IntArray, IntArray]:
    """For ``counts[k]`` items per entry: each item's entry and its rank within the entry."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    rank = np.arange(total, dtype=np.int64) - np.repeat(starts, counts)
    return owner, rank


def _group_max(keys: IntArray, values: FloatArray) -> tuple[IntArray, FloatArray]:
    """Distinct keys and the largest value of each."""
    if keys.size == 0:
        return keys, values
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    starts = np.flatnonzero(np.concatenate([[True], k[1:] != k[:-1]]))
    return k[starts], np.maximum.reduceat(values[order], starts)


#: Join entries handled per chunk of source rows: bounds the memory of :func:`window_matches`.
JOIN_CHUNK = 1 << 20


def window_matches(
    src: Side,
    tgt: Side,
    table_src: IntArray,
    table_tgt: IntArray,
    table_val: FloatArray,
    band: SentenceBand,
    widths: int,
) -> npt.NDArray[np.float32]:
    """Matched source-token mass of sentence ``i`` against runs of target sentences.

    ``out[w - 1, cell(i, j)]`` is the sum over source tokens ``s`` of ``i`` of ``weight[s] *
    max val(s, t)``, the maximum over the target tokens ``t`` of sentences ``j - w + 1 .. j`` —
    each token counts once however many of the run's sentences contain a translation. Cells
    are those of ``band`` (flat, row-major); the table must be sorted by ``table_src``.
    Call it again with the sides swapped (and the band transposed) for the target tokens.
    """
    out = np.zeros((widths, band.cells), np.float32)
    if table_src.size == 0 or src.occ_tok.size == 0 or tgt.occ_tok.size == 0:
        return out
    width = np.int64(tgt.n + 1)
    t_occ = np.flatnonzero(tgt.weight[tgt.occ_tok] > 0)
    t_keys = tgt.occ_tok[t_occ] * width + tgt.occ_sent[t_occ]
    order = np.argsort(t_keys, kind="stable")
    t_keys, t_sent = t_keys[order], tgt.occ_sent[t_occ[order]]
    s_occ = np.flatnonzero(src.weight[src.occ_tok] > 0)
    first = np.searchsorted(table_src, src.occ_tok[s_occ], side="left")
    n_entries = np.searchsorted(table_src, src.occ_tok[s_occ], side="right") - first
    bounds = np.cumsum(n_entries)
    start = 0
    while start < s_occ.size:
        stop = int(np.searchsorted(bounds, (bounds[start - 1] if start else 0) + JOIN_CHUNK))
        stop = min(max(stop, start + 1), s_occ.size)
        owner, rank = _expand(n_entries[start:stop])
        entry = first[start:stop][owner] + rank
        occ = s_occ[start:stop][owner]
        row = src.occ_sent[occ]
        key = table_tgt[entry] * width
        p0 = np.searchsorted(t_keys, key + band.lo[row], side="left")
        p1 = np.searchsorted(t_keys, key + band.hi[row], side="left")
        hit, hrank = _expand(p1 - p0)
        col = t_sent[p0[hit] + hrank]
        _add_windows(src, band, out, occ[hit], col, table_val[entry][hit])
        start = stop
    return out


def _add_windows(
    src: Side,
    band: SentenceBand,
    out: npt.NDArray[np.float32],
    occ: IntArray,
    col: IntArray,
    val: FloatArray,
) -> None:
    """Add each occurrence's best value over every run of columns ending at ``last``."""
    width = np.int64(int(band.hi.max(initial=0)) + out.shape[0] + 1)
    for w in range(1, out.shape[0] + 1):
        parts_k, parts_v = [], []
        for d in range(w):
            parts_k.append(occ * width + col + d)
            parts_v.append(val)
        keys, best = _group_max(np.concatenate(parts_k), np.concatenate(parts_v))
        o, last = keys // width, keys % width
        row = src.occ_sent[o]
        inside = (last >= band.lo[row]) & (last < band.hi[row])
        cell = band.offsets[row[inside]] + last[inside] - band.lo[row[inside]]
        weights = (best * src.weight[src.occ_tok[o]])[inside]
        out[w - 1] += np.bincount(cell, weights=weights, minlength=band.cells).astype(np.float32)


def chance_mass(
    side: Side, other: Side, table_tok: IntArray, other_tok: IntArray, val: FloatArray
) -> FloatArray:
    """Per sentence of ``side``: its token mass expected to find a translation by chance.

    A token ``s`` finds one in a random sentence of the other text with probability about
    ``min(1, sum_t val(s, t) * df(t) / n_other)``; a bead with ``b`` sentences on the other side
    gives ``b`` such chances. Subtracting it keeps wide beads from winning on cross-matches.
    """
    if other.n == 0 or table_tok.size == 0:
        return np.zeros(side.n, np.float64)
    live = other.weight[other_tok] > 0
    p = np.bincount(
        table_tok[live],
        weights=val[live] * other.df[other_tok[live]] / other.n,
        minlength=len(side.vocab),
    )
    p = np.minimum(p, 1.0)
    per_occ = side.weight[side.occ_tok] * p[side.occ_tok]
    return np.bincount(side.occ_sent, weights=per_occ, minlength=side.n).astype(np.float64)
