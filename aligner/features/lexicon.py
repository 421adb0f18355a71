"""Translation tables between the two texts' tokens: identity, cognates, learned, dictionary.

The learned part follows the idea of Moore (2002) and of hunalign's realign: a first alignment
gives beads, the beads train word-translation probabilities with IBM Model 1 (Brown et al.
1993, :mod:`aligner.features.ibm1`) in both directions, and a second alignment uses them. A
corpus :class:`Lexicon` pools the training of several document pairs (:func:`pool`).

Robert C. Moore (2002), "Fast and Accurate Sentence Alignment of Bilingual Corpora", AMTA.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from rapidfuzz import fuzz, process

from aligner.arrays import FloatArray, IntArray
from aligner.features.ibm1 import (
    Cooccurrence,
    _associations,
    cooccurrences,
)
from aligner.features.tokens import (
    MIN_COGNATE_LEN,
    Side,
    _expand,
    distinct,
    fold,
    is_spellable,
)
from aligner.features.unseen_pairs import unseen_pairs

#: rapidfuzz ``fuzz.ratio`` (normalised Indel similarity, 0–100) from which two words of the
#: two texts count as cognates (``kathmandu`` / ``katmandou`` 89; ``chronik`` / ``chronique`` 75
#: stays out).
COGNATE_CUTOFF = 78.0
#: Cognates are looked for among words sharing this many first letters (they nearly always do),
#: which keeps the comparisons far below vocabulary × vocabulary.
COGNATE_PREFIX = 2
#: Where a Russian name romanised by :func:`~aligner.features.tokens.fold` and its French or English
#: spelling regularly part ways, both sides are rewritten alike before they are compared (in
#: this order). ш, ч, щ (sh, ch, shch) and the French ch, tch, the German sch meet as one
#: sound (Pouchkine / Пушкин, Tchekhov / Чехов); ж (zh) is the French j (Jivago / Живаго);
#: x is ks and c is k (Alexandre / Александр, Nicolas / Николай); Greek theta and phi came
#: into Russian as ф (Ruth / Руфь, Thomas / Фома, Philippe / Филипп) and beta as в (Moab /
#: Моав, Babylone / Вавилон, Basile / Василий); w, y and ou are v, i and u; h goes, as Latin
#: h is mostly silent (Hélène / Елена) and х is romanised kh where Latin writes h, ch or
#: nothing.
TRANSLITERATION_VARIANTS = (
    ("tch", "ʃ"),
    ("sch", "ʃ"),
    ("sh", "ʃ"),
    ("ch", "ʃ"),
    ("zh", "j"),
    ("x", "ks"),
    ("c", "k"),
    ("th", "f"),
    ("ph", "f"),
    ("kh", "h"),
    ("w", "v"),
    ("y", "i"),
    ("b", "v"),
    ("ou", "u"),
    ("h", ""),
)
_DOUBLED = re.compile(r"(\w)\1")
#: A word and its rewritten form must keep this many letters to be compared across scripts:
#: three, below the spelling cognates' limit, as only names are compared (``Dan``, ``Ruth`` /
#: ``Руфь`` = ``ruf``); short names equal only when their forms are identical.
MIN_TRANSLITERATED_LEN = 3
#: … and be a name: written with a capital at least this often (sentence-initial capitals
#: make up less), on both sides. Common words compared this loosely are mostly false friends
#: (``sommet`` / ``smoet``, ``voile`` / ``bolei``).
NAME_CAPITAL_SHARE = 0.5


@dataclass(frozen=True)
class Table:
    """Sparse ``val(s, t)`` in ``[0, 1]``, sorted by source token, one entry per pair."""

    src: IntArray
    tgt: IntArray
    val: FloatArray

    def __post_init__(self) -> None:
        if not (self.src.shape == self.tgt.shape == self.val.shape):
            raise ValueError("table arrays must have equal lengths")
        if self.src.size and (np.any(np.diff(self.src) < 0)):
            raise ValueError("table must be sorted by source token")

    @classmethod
    def empty(cls) -> Table:
        """A table with no entry."""
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))

    @classmethod
    def build(cls, src: IntArray, tgt: IntArray, val: FloatArray) -> Table:
        """Sort by (source, target) and keep the largest value of duplicate pairs."""
        src, tgt = np.asarray(src, np.int64), np.asarray(tgt, np.int64)
        val = np.clip(np.asarray(val, np.float64), 0.0, 1.0)
        if src.size == 0:
            return cls.empty()
        order = np.lexsort((-val, tgt, src))
        src, tgt, val = src[order], tgt[order], val[order]
        first = np.concatenate([[True], (src[1:] != src[:-1]) | (tgt[1:] != tgt[:-1])])
        return cls(src[first], tgt[first], val[first])

    def __or__(self, other: Table) -> Table:
        return Table.build(
            np.concatenate([self.src, other.src]),
            np.concatenate([self.tgt, other.tgt]),
            np.concatenate([self.val, other.val]),
        )

    def __len__(self) -> int:
        return int(self.src.size)

    @cached_property
    def by_target(self) -> tuple[IntArray, IntArray, FloatArray]:
        """``(tgt, src, val)`` sorted by target token (stably): the table seen from the target."""
        order = np.argsort(self.tgt, kind="stable")
        return self.tgt[order], self.src[order], self.val[order]


def spelling_table(src: Side, tgt: Side) -> Table:
    """Identical keys (numbers, names, punctuation) and cognates by rapidfuzz similarity;
    between a Cyrillic and a Latin-script text, transliteration variants of names too.

    Words shorter than :data:`~aligner.features.tokens.MIN_COGNATE_LEN` are left out: short
    identical words across languages are mostly false friends.
    """
    t_index = {w: k for k, w in enumerate(tgt.vocab)}
    s_ids, t_ids, vals = [], [], []
    for k, w in enumerate(src.vocab):
        other = t_index.get(w)
        if other is not None and is_spellable(w):
            s_ids.append(k)
            t_ids.append(other)
            vals.append(1.0)
    exact = Table.build(np.array(s_ids), np.array(t_ids), np.array(vals))
    table = exact | _cognates(src, tgt)
    if src.cyrillic != tgt.cyrillic:
        table = table | _transliteration_cognates(src, tgt)
    return table


def _groups(
    side: Side, forms: Sequence[str], key: Callable[[str], str], min_len: int, names: bool
) -> dict[str, list[int]]:
    """Candidate cognates of one side, grouped by ``key`` of their form: matchable words of at
    least ``min_len`` letters (and forms as long), only names (capitalised words) if asked."""
    groups: dict[str, list[int]] = {}
    for k, (w, form) in enumerate(zip(side.vocab, forms, strict=True)):
        if (
            len(w) >= min_len
            and len(form) >= min_len
            and w.isalpha()
            and side.weight[k] > 0
            and (not names or side.capital[k] >= NAME_CAPITAL_SHARE)
        ):
            groups.setdefault(key(form), []).append(k)
    return groups


def _prefix(word: str) -> str:
    """The first :data:`COGNATE_PREFIX` letters: cognates nearly always share them."""
    return word[:COGNATE_PREFIX]


def _similar(
    s_groups: dict[str, list[int]],
    t_groups: dict[str, list[int]],
    s_forms: Sequence[str],
    t_forms: Sequence[str],
) -> Table:
    """Pairs of the same group whose forms reach :data:`COGNATE_CUTOFF` (rapidfuzz ratio)."""
    s_out: list[IntArray] = []
    t_out: list[IntArray] = []
    v_out: list[FloatArray] = []
    for key, s_ids in s_groups.items():
        t_ids = t_groups.get(key)
        if not t_ids:
            continue
        scores = process.cdist(
            [s_forms[k] for k in s_ids],
            [t_forms[k] for k in t_ids],
            scorer=fuzz.ratio,
            score_cutoff=COGNATE_CUTOFF,
            dtype=np.float32,
            workers=1,
        )
        rows, cols = np.nonzero(scores)
        if rows.size:
            s_out.append(np.asarray(s_ids, np.int64)[rows])
            t_out.append(np.asarray(t_ids, np.int64)[cols])
            # Rescaled so a bare cutoff match counts half and an identical spelling fully.
            sim = (scores[rows, cols].astype(np.float64) - COGNATE_CUTOFF) / (100 - COGNATE_CUTOFF)
            v_out.append(0.5 + 0.5 * sim)
    if not s_out:
        return Table.empty()
    return Table.build(np.concatenate(s_out), np.concatenate(t_out), np.concatenate(v_out))


def _cognates(src: Side, tgt: Side) -> Table:
    min_len = MIN_COGNATE_LEN + 1
    s_groups = _groups(src, src.vocab, _prefix, min_len, names=False)
    t_groups = _groups(tgt, tgt.vocab, _prefix, min_len, names=False)
    return _similar(s_groups, t_groups, src.vocab, tgt.vocab)


def transliteration_forms(words: Sequence[str]) -> list[str]:
    """Words rewritten by :data:`TRANSLITERATION_VARIANTS`, doubled letters made single
    (``amminadab`` → ``aminadav``, ``bethlehem`` → ``veflem``, ``vifleem`` → ``viflem``)."""
    # One pass of each rewrite over all the words at once: a vocabulary has tens of thousands.
    text = "\n".join(words)
    for old, new in TRANSLITERATION_VARIANTS:
        text = text.replace(old, new)
    return _DOUBLED.sub(r"\1", text).split("\n") if words else []


def _skeleton_key(form: str) -> str:
    """First letter and first consonant after it: ``naomi`` and ``noemin`` meet under ``nm``,
    as ``salomon`` and ``solomon`` under ``sl``, where vowels of names differ across scripts."""
    rest = form[1:].lstrip("aeiou")
    return form[:1] + rest[:1]


def _transliteration_cognates(src: Side, tgt: Side) -> Table:
    """Cognates across scripts: names spelled apart by :data:`TRANSLITERATION_VARIANTS`.

    ``Ruth`` / ``Руфь`` (``ruf``), ``Moab`` / ``Моав`` (``moav``), ``Bethléhem`` /
    ``Вифлеем``: on a short French–Russian text such names are most of the lexical evidence.
    Between two Latin-script texts the rewriting finds little that spelling does not and
    adds false friends (TransRead 0.931 → 0.929, Text+Berg unchanged), so it is used across
    scripts only.
    """
    s_forms, t_forms = transliteration_forms(src.vocab), transliteration_forms(tgt.vocab)
    min_len = MIN_TRANSLITERATED_LEN
    s_groups = _groups(src, s_forms, _skeleton_key, min_len, names=True)
    t_groups = _groups(tgt, t_forms, _skeleton_key, min_len, names=True)
    return _similar(s_groups, t_groups, s_forms, t_forms)


def dictionary_table(pairs: Sequence[tuple[str, str]], src: Side, tgt: Side) -> Table:
    """User dictionary pairs whose words occur in the texts (multi-word entries are skipped)."""
    s_index = {w: k for k, w in enumerate(src.vocab)}
    t_index = {w: k for k, w in enumerate(tgt.vocab)}
    s_ids, t_ids = [], []
    for s_word, t_word in pairs:
        s, t = s_index.get(fold(s_word.strip())), t_index.get(fold(t_word.strip()))
        if s is not None and t is not None:
            s_ids.append(s)
            t_ids.append(t)
    return Table.build(np.array(s_ids), np.array(t_ids), np.ones(len(s_ids)))


def _group_ids(side: Side) -> IntArray:
    """Per token, an id shared by the forms of its lemma (by its own key without lemmas)."""
    keys = side.lemma if side.lemma else side.vocab
    index: dict[str, int] = {}
    return np.fromiter((index.setdefault(k, len(index)) for k in keys), np.int64, len(keys))


def _keys_of(side: Side) -> dict[str, list[int]]:
    """The side's matchable tokens under their key and, where it differs, their lemma."""
    out: dict[str, list[int]] = {}
    for k, w in enumerate(side.vocab):
        if side.weight[k] > 0:
            out.setdefault(w, []).append(k)
    for k, lemma in enumerate(side.lemma):
        if lemma != side.vocab[k] and side.weight[k] > 0:
            out.setdefault(lemma, []).append(k)
    return out


def index_table(index: Mapping[str, Sequence[str]], src: Side, tgt: Side) -> Table:
    """Dictionary translations between the texts' tokens, matched by form or by lemma.

    ``index`` maps a folded source word to its folded translations (see
    :mod:`aligner.features.dictionary`). A token pair is in the table when the source token's form
    or lemma is a headword whose translation is the target token's form or lemma: ``peuples`` /
    ``народам`` meet through ``peuple`` / ``народ``.
    """
    t_keys = _keys_of(tgt)
    s_ids: list[int] = []
    t_ids: list[int] = []
    for key, tokens in _keys_of(src).items():
        found = {j for t in index.get(key, ()) for j in t_keys.get(t, ())}
        for k in tokens:
            s_ids.extend([k] * len(found))
            t_ids.extend(found)
    if not s_ids:
        return Table.empty()
    return Table.build(np.array(s_ids), np.array(t_ids), np.ones(len(s_ids)))


def learned_table(
    src: Side,
    tgt: Side,
    beads: Sequence[tuple[int, int, int, int]],
    prior: Table | None = None,
) -> Table:
    """Word translations learned with IBM Model 1 in both directions from aligned beads.

    A pair's value is the geometric mean of ``p(t | s)`` and ``p(s | t)``: both directions must
    agree, which keeps frequent words from attaching to everything. ``prior``: dictionary
    pairs, each added as a one-word bead of its own (dictionary entries as extra training
    pairs, as Brown et al. 1993 did), so that a dictionary translation the text bears out
    once passes the co-occurrence threshold, and the text decides which senses count.

    Where both texts have lemmas the model is trained on lemmas (:func:`_by_lemma`), else on
    word forms.
    """
    if src.lemma and tgt.lemma:
        return _by_lemma(src, tgt, beads, prior)
    return _by_form(src, tgt, beads, prior)


def _lemma_side(side: Side) -> Side:
    """The side with every token replaced by its lemma: one token per lemma of ``side``, in the
    order of :func:`_group_ids`, each sentence holding the lemmas of its tokens once."""
    group = _group_ids(side)
    keys = side.lemma if side.lemma else side.vocab
    vocab: dict[str, None] = dict.fromkeys(keys)
    n = len(vocab)
    width = np.int64(n + 1)
    occ = distinct(side.occ_sent * width + group[side.occ_tok])
    occ_sent, occ_tok = occ // width, occ % width
    weight = np.zeros(n, np.float64)
    np.maximum.at(weight, group, side.weight)
    capital = np.zeros(n, np.float64)
    np.maximum.at(capital, group, side.capital)
    return Side(
        tuple(vocab),
        occ_sent,
        occ_tok,
        weight,
        np.bincount(occ_tok, minlength=n).astype(np.int64),
        side.mass,
        side.lengths,
        capital,
        side.cyrillic,
        tuple(vocab),
    )


def _by_lemma(
    src: Side, tgt: Side, beads: Sequence[tuple[int, int, int, int]], prior: Table | None
) -> Table:
    """IBM Model 1 trained on the lemmas of the beads, each learned pair of lemmas given to
    every pair of their forms.

    The forms of one word pool their counts (``Gipfel``, ``Gipfels``, ``Gipfeln`` against
    ``sommet``, ``sommets``), so a word inflected differently in each bead still co-occurs
    often enough to be learned, and a form the beads never held gets its lemma's translations.
    Measured with the shipped dictionaries (``python benchmarks/accuracy.py``, strict F1
    Text+Berg / TransRead), without evidence shrinkage: forms (and :func:`lemma_spread`)
    0.904 / 0.937, lemmas 0.906 / 0.938, both tables together (the larger value of each pair)
    0.899 / 0.938; with it and a sense weighting of the dictionary (since left out): forms
    0.908 / 0.935, lemmas 0.912 / 0.938.
    """
    s_group, t_group = _group_ids(src), _group_ids(tgt)
    lemma_prior = None
    if prior is not None and len(prior):
        lemma_prior = Table.build(s_group[prior.src], t_group[prior.tgt], prior.val)
    by_lemma = _by_form(_lemma_side(src), _lemma_side(tgt), beads, lemma_prior)
    s_members, s_starts = _members(src, s_group)
    t_members, t_starts = _members(tgt, t_group)
    groups = (by_lemma.src, by_lemma.tgt, by_lemma.val)
    return _form_pairs(groups, s_members, s_starts, t_members, t_starts, 1.0)


def _by_form(
    src: Side, tgt: Side, beads: Sequence[tuple[int, int, int, int]], prior: Table | None
) -> Table:
    """IBM Model 1 trained on the tokens of the beads, as they are; where a thinned sample left
    words without a translation, those paired by co-occurrence (:mod:`~aligner.features.
    unseen_pairs`)."""
    co = cooccurrences(src, tgt, beads, prior)
    if prior is not None and len(prior):
        n_beads = len(beads)
        extra = np.arange(n_beads, n_beads + len(prior), dtype=np.int64)
        co = Cooccurrence(
            np.concatenate([co.bead, extra]),
            np.concatenate([co.src, prior.src]),
            np.concatenate([co.tgt, prior.tgt]),
        )
    learned = Table.empty()
    if co.bead.size:
        learned = Table.build(*_associations(co, len(src.vocab), len(tgt.vocab)))
    unseen = unseen_pairs(src, tgt, beads, (learned.src, learned.tgt))
    return learned | Table.build(*unseen)


#: Value a learned pair passes to the other forms of its two words' lemmas, as a share of its
#: own (our choice, between the measured 0.3 and 1.0, which did about as well).
LEMMA_SPREAD = 0.5


def _members(side: Side, group: IntArray) -> tuple[IntArray, IntArray]:
    """The matchable tokens sorted by ``group`` (:func:`_group_ids`), and each group's first
    position in that order (one entry more than there are groups)."""
    n_groups = int(group.max()) + 1 if group.size else 0
    members = np.flatnonzero(side.weight > 0)
    members = members[np.argsort(group[members], kind="stable")]
    return members, np.searchsorted(group[members], np.arange(n_groups + 1))


def _form_pairs(
    groups: tuple[IntArray, IntArray, FloatArray],
    s_members: IntArray,
    s_starts: IntArray,
    t_members: IntArray,
    t_starts: IntArray,
    share: float,
) -> Table:
    """Pairs of groups of tokens ``(source group, target group, value)`` turned into a table
    between the tokens: each pair, at ``share`` of its value, for every (source member, target
    member) of its two groups."""
    sg, tg, val = groups
    n_s = s_starts[sg + 1] - s_starts[sg]
    n_t = t_starts[tg + 1] - t_starts[tg]
    # Entry by entry, the source members in turn, each against all the target members.
    entry, rank = _expand(n_s * n_t)
    s_pos = s_starts[sg[entry]] + rank // n_t[entry]
    t_pos = t_starts[tg[entry]] + rank % n_t[entry]
    return Table.build(s_members[s_pos], t_members[t_pos], val[entry] * share)


def lemma_spread(table: Table, src: Side, tgt: Side, share: float = LEMMA_SPREAD) -> Table:
    """The table with each pair also given, at ``share`` of its value, to every other form of
    the source word's lemma against every form of the target word's.

    The learned lexicon pairs word forms (``peuples`` / ``nations``) seen in the text's beads;
    a form met once or not at all in training (``peuple``, ``nation``) still translates the
    same lemma's forms. On the dev sets: Text+Berg 0.898 -> 0.904, TransRead 0.937 -> 0.937
    strict F1 (shares of 0.3 to 1.0 all gave Text+Berg 0.904-0.907 and TransRead 0.935-0.937).
    Without lemmas (no language), the table as it is.
    """
    if not src.lemma or not tgt.lemma or not len(table):
        return table
    s_group, t_group = _group_ids(src), _group_ids(tgt)
    s_members, s_starts = _members(src, s_group)
    t_members, t_starts = _members(tgt, t_group)
    groups = (s_group[table.src], t_group[table.tgt], table.val)
    return table | _form_pairs(groups, s_members, s_starts, t_members, t_starts, share)


#: Bound on the (source type × target type) pairs a corpus lexicon trains on, all documents
#: together: beads beyond it are sampled evenly. Four documents at 600,000 pairs, one
#: document's bound before :data:`~aligner.features.ibm1.MAX_TRAINING_PAIRS` rose to 900,000
#: (measured for one document; the corpus lexicon's bound was kept, not measured again).
MAX_POOLED_PAIRS = 2_400_000


@dataclass(frozen=True)
class Lexicon:
    """Word translations learned from a corpus, by folded word: ``val[k]`` for ``src[k]`` →
    ``tgt[k]``. Plain tuples, so it pickles (to Dask workers) and compares by value."""

    src_lang: str
    tgt_lang: str
    src: tuple[str, ...]
    tgt: tuple[str, ...]
    val: tuple[float, ...]

    def __post_init__(self) -> None:
        if not len(self.src) == len(self.tgt) == len(self.val):
            raise ValueError("lexicon columns must have equal lengths")

    def __len__(self) -> int:
        return len(self.src)

    def table(self, src: Side, tgt: Side) -> Table:
        """The entries whose two words occur in the texts, as a table between their tokens."""
        s_index = {w: k for k, w in enumerate(src.vocab)}
        t_index = {w: k for k, w in enumerate(tgt.vocab)}
        s = np.fromiter((s_index.get(w, -1) for w in self.src), np.int64, len(self.src))
        t = np.fromiter((t_index.get(w, -1) for w in self.tgt), np.int64, len(self.tgt))
        keep = (s >= 0) & (t >= 0)
        return Table.build(s[keep], t[keep], np.asarray(self.val, np.float64)[keep])


def _global_ids(vocab: Sequence[str], index: dict[str, int]) -> IntArray:
    """Each word's id in a vocabulary shared by several texts (new words are added)."""
    return np.fromiter((index.setdefault(w, len(index)) for w in vocab), np.int64, len(vocab))


def _thinned(co: Cooccurrence, n_beads: int, bound: int) -> Cooccurrence:
    """Evenly spaced beads of ``co`` whose pairs fit ``bound`` (all of them if they do)."""
    if co.bead.size <= bound:
        return co
    step = co.bead.size / bound
    keep = np.zeros(n_beads, np.bool_)
    keep[distinct(np.arange(0, n_beads, step).astype(np.int64))] = True
    sel = keep[co.bead]
    return Cooccurrence(co.bead[sel], co.src[sel], co.tgt[sel])


def pooled_lexicon(
    parts: Sequence[tuple[Side, Side, Sequence[tuple[int, int, int, int]], Table]],
    src_lang: str,
    tgt_lang: str,
) -> Lexicon:
    """One lexicon trained on the beads of several document pairs together.

    ``parts``: per document pair, its two sides, its training beads ``(i0, i1, j0, j1)`` and
    its dictionary table (prior evidence, as in :func:`learned_table`). Words are pooled by
    their folded form across documents.
    """
    pooled = (
        PoolPart(
            src.vocab,
            tgt.vocab,
            cooccurrences(src, tgt, spans, dictionary),
            len(spans),
            dictionary.src,
            dictionary.tgt,
        )
        for src, tgt, spans, dictionary in parts
    )
    return pool(pooled, src_lang, tgt_lang)


@dataclass(frozen=True)
class PoolPart:
    """One document pair as :func:`pool` reads it: its vocabularies, the co-occurrences of its
    ``n_beads`` training beads, and its dictionary pairs (prior evidence), in its own ids."""

    src_vocab: Sequence[str]
    tgt_vocab: Sequence[str]
    co: Cooccurrence
    n_beads: int
    prior_src: IntArray
    prior_tgt: IntArray


def pool(parts: Iterable[PoolPart], src_lang: str, tgt_lang: str) -> Lexicon:
    """IBM Model 1 both ways on several pairs' co-occurrences together: the words pooled by
    folded form across pairs, the beads thinned evenly to :data:`MAX_POOLED_PAIRS`, each
    dictionary pair once as a one-word bead (:func:`pooled_lexicon`, and the corpus run's
    counts in :mod:`aligner.features.corpus_counts`)."""
    s_index: dict[str, int] = {}
    t_index: dict[str, int] = {}
    beads: list[IntArray] = []
    srcs: list[IntArray] = []
    tgts: list[IntArray] = []
    prior: list[IntArray] = []
    offset = 0
    for part in parts:
        s_ids, t_ids = _global_ids(part.src_vocab, s_index), _global_ids(part.tgt_vocab, t_index)
        beads.append(part.co.bead + offset)
        srcs.append(s_ids[part.co.src])
        tgts.append(t_ids[part.co.tgt])
        offset += part.n_beads
        prior.append(s_ids[part.prior_src] * np.int64(1 << 32) + t_ids[part.prior_tgt])
    if not beads:
        return Lexicon(src_lang, tgt_lang, (), (), ())
    co = _thinned(
        Cooccurrence(np.concatenate(beads), np.concatenate(srcs), np.concatenate(tgts)),
        offset,
        MAX_POOLED_PAIRS,
    )
    # Each dictionary pair once, however many documents hold it: a one-word bead of its own.
    pairs = distinct(np.concatenate(prior))
    extra = np.arange(offset, offset + pairs.size, dtype=np.int64)
    co = Cooccurrence(
        np.concatenate([co.bead, extra]),
        np.concatenate([co.src, pairs >> np.int64(32)]),
        np.concatenate([co.tgt, pairs & np.int64((1 << 32) - 1)]),
    )
    if co.bead.size == 0:
        return Lexicon(src_lang, tgt_lang, (), (), ())
    s, t, v = _associations(co, len(s_index), len(t_index))
    s_words, t_words = list(s_index), list(t_index)
    return Lexicon(
        src_lang,
        tgt_lang,
        tuple(s_words[k] for k in s.tolist()),
        tuple(t_words[k] for k in t.tolist()),
        tuple(v.tolist()),
    )
