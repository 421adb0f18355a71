"""Boundary refinement: where each sentence at a bead boundary goes, decided by exclusive links.

The search scores a bead by how much of each sentence's words find a translation anywhere on
the other side of it, and the other side's words are never used up: a sentence with no
counterpart that repeats its neighbour's words (a dropped verse, an added line) still earns
credit inside a merged bead. After pass 2, each boundary next to a bead that is not 1-1 is
decided again among a few local options (the two beads kept, merged, the edge sentence moved
across, a merged bead split in two), each bead scored by the cost model of
:mod:`aligner.scoring.cost` with its lexical coverage counted from *exclusive* word links:
competitive linking (Melamed 2000) under the pass's translation table, the strongest link
first, every word occurrence of either side in at most one link. Which options are offered is
a likelihood-ratio test under IBM Model 1 (Brown et al. 1993) with the pass's table as the
translation probabilities, both directions: two beads may be merged, a merged bead split, and
an edge sentence moved across the boundary only where the new cut makes the beads' words more
likely than the old one (each word drawn from one of the other side's words or from NULL, so
a sentence that explains nothing of its bead only dilutes it). The costs then choose among
the options, each option's costs less the length evidence of its cuts
(:mod:`aligner.scoring.cuts`: two beads put their boundary at corresponding lengths on both
sides, one bead's inner boundaries are unrelated). Without the test (``model1=False``) the
merge is always offered, a bead is split only where no sentence links across the cut beyond
chance, and a sentence moves only out of a bead it does not link into and into one it does;
the chance levels are the model's, measured in each sentence's neighbourhood on the previous
path (``pipeline.passes._local_chance``).

I. Dan Melamed (2000), "Models of Translational Equivalence among Words", Computational
Linguistics 26(2).
Peter F. Brown et al. (1993), "The Mathematics of Statistical Machine Translation: Parameter
Estimation", Computational Linguistics 19(2).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

import numpy as np

from aligner.features.length import LengthModel
from aligner.features.tokens import Side, text_keys
from aligner.scoring.boundary_marks import BoundaryMarks
from aligner.scoring.cost import Model, bead_cost
from aligner.scoring.cuts import cut_evidence
from aligner.scoring.link_batch import SPAN_BLOCK, exclusive_links
from aligner.scoring.linking import Candidate, Links, link_in_order
from aligner.scoring.model1_block import Blocks, LiveWords, PairValues, decided_gain, live_words
from aligner.scoring.moved_clauses import MovedClauses, edge_splits
from aligner.scoring.null_options import null_options
from aligner.scoring.own_priors import with_own_priors
from aligner.scoring.relative_nulls import RelativeNulls
from aligner.scoring.uncrossed_splits import uncrossed_splits
from aligner.search import Step
from aligner.types import Shape

Span = tuple[int, int, int, int]  # i0, i1, j0, j1
#: How far ahead of every other option, relative to the size of their totals (plus one), an
#: option's total moved by a change of shape priors must be for it to be chosen without its
#: costs read again (:func:`_repriced`): the moved and the recomputed totals differ by the
#: rounding of a few additions of numbers of that size, about 1e-15 of it.
REPRICE_MARGIN = 1e-9
#: A sentence pair not met before (:meth:`Scorer._term`'s lookups).
_UNSEEN = object()
#: Sentences tokenised at once when their words are counted: the tokeniser costs about as much
#: to set up as to read a few hundred sentences, and a block stays small when few are needed.
COUNT_BLOCK = 256


@dataclass
class _Words:
    """One side's sentences as lists of (token, weight, occurrences), built on demand.

    A side holds each sentence's tokens as a set; the occurrences are counted again from the
    sentence's text, so that a word written twice may link twice (``crapauds`` and
    ``Guernesey`` twice in one French sentence, once in each of three English ones).
    """

    side: Side
    sentences: Sequence[str]
    starts: np.ndarray = field(init=False)
    index: dict[str, int] = field(init=False)
    cache: dict[int, list[tuple[int, float, int]]] = field(default_factory=dict)
    counts: dict[int, Counter[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = np.searchsorted(self.side.occ_sent, np.arange(self.side.n + 1))
        self.index = {}

    def _counts(self, k: int) -> Counter[str]:
        """How often each key occurs in sentence ``k``, its block of :data:`COUNT_BLOCK`
        sentences tokenised at once the first time one of them is asked for (one sentence at a
        time, the tokeniser's set-up cost was most of the pass on a book with many joins)."""
        got = self.counts.get(k)
        if got is None:
            first = k - k % COUNT_BLOCK
            block = self.sentences[first : first + COUNT_BLOCK]
            sent, keys = text_keys(block)
            per: list[Counter[str]] = [Counter() for _ in block]
            for i, key in zip(sent.tolist(), keys, strict=True):
                per[i][key] += 1
            for i, c in enumerate(per):
                self.counts[first + i] = c
            got = self.counts[k]
        return got

    def __call__(self, k: int) -> list[tuple[int, float, int]]:
        got = self.cache.get(k)
        if got is None:
            a, b = int(self.starts[k]), int(self.starts[k + 1])
            toks = self.side.occ_tok[a:b]
            weights = self.side.weight[toks]
            written = self.side.occ_count
            if written is not None:
                # The informative words picked out by numpy: the same list as the loop's below.
                live = weights > 0
                got = list(
                    zip(
                        toks[live].tolist(),
                        weights[live].tolist(),
                        np.maximum(written[a:b][live], 1).tolist(),
                        strict=True,
                    )
                )
                self.cache[k] = got
                return got
            if self.sentences:
                counts = self._counts(k)
                times = [counts.get(self.side.vocab[t], 1) for t in toks]
            else:
                times = [1] * len(toks)
            # Python numbers first: a loop over numpy scalars costs more than the list.
            got = [
                (t, w, max(1, c))
                for t, w, c in zip(toks.tolist(), weights.tolist(), times, strict=True)
                if w > 0
            ]
            self.cache[k] = got
        return got


class _Translations(dict[int, dict[int, float]]):
    """The table's translations of a source token, as a dict, built on demand: ``self[s]``
    (a plain dict lookup once built: the refinement asks for hundreds of thousands) or
    ``self(s)``."""

    def __init__(self, model: Model) -> None:
        super().__init__()
        self.model = model
        self.starts: list[int] = []

    def __missing__(self, s: int) -> dict[int, float]:
        table = self.model.table
        if not self.starts:
            # Where each source token's entries start, found at once on the first miss (one
            # numpy call per token cost more than its dict).
            tokens = np.arange(len(self.model.texts.src.weight) + 1)
            self.starts = np.searchsorted(table.src, tokens).tolist()
        if 0 <= s < len(self.starts) - 1:
            a, b = self.starts[s], self.starts[s + 1]
        else:
            a, b = np.searchsorted(table.src, [s, s + 1]).tolist()
        got = dict(zip(table.tgt[a:b].tolist(), table.val[a:b].tolist(), strict=True))
        self[s] = got
        return got

    def __call__(self, s: int) -> dict[int, float]:
        return self[s]


Word = tuple[int, float, int]  # token, weight, occurrences


def model1_log_likelihood(
    generated: Sequence[Word],
    given: Sequence[Word],
    translations: Callable[[int], dict[int, float]],
    floor: float,
) -> float:
    """``log P(generated | given)`` under IBM Model 1 (Brown et al. 1993): each generated word
    occurrence drawn from one of the ``given`` occurrences or from NULL, chosen uniformly, then
    translated; ``floor`` is the NULL word's (and an unknown pair's) probability."""
    positions = sum(c for _, _, c in given) + 1
    out = 0.0
    for t, _, c in generated:
        total = floor
        for s, _, cs in given:
            total += cs * translations(s).get(t, 0.0)
        out += c * math.log(total / positions)
    return out


class Scorer:
    """Bead costs with coverage from exclusive (or, for comparison, best-match) word links."""

    def __init__(
        self,
        model: Model,
        exclusive: bool = True,
        src: Sequence[str] = (),
        tgt: Sequence[str] = (),
        memoised: bool = True,
    ) -> None:
        self.model = model
        self.exclusive = exclusive
        # Model 1 from each sentence's term, memoised by the sentence and the other side's range
        # (the options of a boundary and of its neighbours share most); the plain sum per bead
        # stays for comparison.
        self.memoised = memoised
        self._terms: dict[tuple[bool, int, int, int], float] = {}
        self._totals: dict[tuple[bool, int], float] = {}
        self._sums: dict[tuple[bool, int, tuple[int, ...]], float] = {}
        self.src_words = _Words(model.texts.src, src)
        self.tgt_words = _Words(model.texts.tgt, tgt)
        self.translations = _Translations(model)
        self.tgt_weight = model.texts.tgt.weight
        # Python numbers for the link passes (a numpy scalar costs a call to read).
        self._n_src_tokens, self._n_tgt_tokens = len(model.texts.src.weight), len(self.tgt_weight)
        self._src_weight: list[float] = model.texts.src.weight.tolist()
        self._tgt_weight: list[float] = self.tgt_weight.tolist()
        self._links: dict[Span, Links] = {}
        self._costs: dict[Span, float] = {}
        self._model1: dict[Span, float] = {}
        #: The Model 1 test's values (with the marks' evidence) of options met before, kept
        #: across :meth:`reprice`: the refinement's readings of one path weigh the same marks,
        #: and the test reads no shape prior, so the second reading asks nothing anew.
        self.tests: dict[tuple[tuple[Span, ...], tuple[Span, ...]], float] = {}
        #: The moved-clause reader (word positions, links), made when first asked and kept
        #: across :meth:`reprice` as well: it reads no shape prior either.
        self.clauses: MovedClauses | None = None
        #: The punctuation evidence learned from a path, and that path's beads: both readings
        #: learn it from pass 2's path, so the second reuses the first's.
        self.marks: tuple[tuple[Span, ...], BoundaryMarks] | None = None
        #: The text's own length variance for the null options, learned from pass 2's path by
        #: the first reading and kept for the second.
        self.relative: RelativeNulls | None = None
        #: The options offered at each boundary met (its two beads) and each bead's coverage,
        #: kept across :meth:`reprice`: both read links, Model 1's test, the marks, the clause
        #: reader and chance levels, never a shape prior, so under new priors only the choice
        #: among the options is made again. Keyed by the refinement's settings as well.
        self.offered: dict[tuple[object, ...], dict[tuple[Span, Span], list[tuple[Span, ...]]]] = {}
        self._coverages: dict[Span, float] = {}
        #: The options' totals last weighed at each boundary, and the priors they were
        #: weighed under (:func:`_repriced` moves them to new priors), kept across
        #: :meth:`reprice` too.
        self.weighed: dict[
            tuple[object, ...], dict[tuple[Span, Span], tuple[LengthModel, list[float]]]
        ] = {}
        self._pairs: dict[tuple[int, int], tuple[np.ndarray, np.ndarray] | None] = {}
        self._occ_src: dict[int, np.ndarray] = {}
        self._occ_tgt: dict[int, np.ndarray] = {}
        # NULL's probability: Model 1's uniform start, one over the generated side's vocabulary.
        self._floor_src = 1.0 / max(1, len(model.texts.src.weight))
        self._floor_tgt = 1.0 / max(1, len(model.texts.tgt.weight))

    def live_words(self, src: bool, k0: int, k1: int) -> LiveWords | None:
        """The informative words of sentences ``k0:k1`` of a side read at once, as
        :attr:`src_words` and :attr:`tgt_words` hold them (None where they count the words
        from the sentences' text)."""
        words = self.src_words if src else self.tgt_words
        return live_words(words.side, words.starts, k0, k1)

    @cached_property
    def pair_values(self) -> PairValues | None:
        """The table :attr:`translations` reads, for Model 1's blocks (made when first asked;
        kept across :meth:`reprice`, which keeps the table)."""
        table = self.translations.model.table
        return PairValues.of(
            table.src, table.tgt, table.val, self._n_src_tokens, self._n_tgt_tokens
        )

    def reprice(self, model: Model) -> None:
        """Bead costs under ``model``, which differs from this scorer's only in its shape
        priors: the links and Model 1's terms, read from the texts and the table, are kept."""
        self.model = model
        self._costs = {}

    def links(self, span: Span) -> Links:
        """The word links of the bead ``span`` (memoised)."""
        got = self._links.get(span)
        if got is None:
            got = self._exclusive(span) if self.memoised and self.exclusive else self._link(span)
            self._links[span] = got
        return got

    def _exclusive(self, span: Span) -> Links:
        """:meth:`_link`'s exclusive links, the same links added in the same order, with fewer
        objects made per candidate: the table read as a dict, each candidate carrying its two
        words' occurrence counts, a word's occurrences keyed by one number (sentence times
        vocabulary plus token) instead of a pair."""
        cands = self._candidates(span)
        # The counts and keys that follow the four numbers which identify a candidate never
        # decide its place.
        cands.sort()
        return link_in_order(cands, self._src_weight, self._tgt_weight)

    def _candidates(self, span: Span) -> list[Candidate]:
        """The exclusive pass's candidates, each word's translations intersected with the bead's
        target words (sorted in full after, so found in any order)."""
        i0, i1, j0, j1 = span
        where: dict[int, list[int]] = {}
        count_t: dict[int, int] = {}
        n_s, n_t = self._n_src_tokens, self._n_tgt_tokens
        tgt_words, src_words, translations = self.tgt_words, self.src_words, self.translations
        for m_ in range(j0, j1):
            for t, _, c in tgt_words(m_):
                if t in where:
                    where[t].append(m_)
                else:
                    where[t] = [m_]
                # A sentence holds a word once, so (sentence, word) keys its count.
                count_t[m_ * n_t + t] = c
        a, b = i1 - i0, j1 - j0
        cands: list[Candidate] = []
        found = where.keys()
        for k in range(i0, i1):
            rel = (k - i0 + 0.5) / a
            for s, _, c in src_words(k):
                trans = translations[s]
                for t in trans.keys() & found:
                    v = trans[t]
                    for m_ in where[t]:
                        # Ties go to the link nearer the bead's diagonal.
                        d = abs(rel - (m_ - j0 + 0.5) / b)
                        mt = m_ * n_t + t
                        cands.append((-v, d, k, s, m_, t, c, count_t[mt], k * n_s + s, mt))
        return cands

    def _link(self, span: Span) -> Links:
        i0, i1, j0, j1 = span
        where: dict[int, list[int]] = {}
        cap_t: dict[tuple[int, int], int] = {}
        cap_s: dict[tuple[int, int], int] = {}
        for m_ in range(j0, j1):
            for t, _, c in self.tgt_words(m_):
                where.setdefault(t, []).append(m_)
                cap_t[m_, t] = c
        a, b = i1 - i0, j1 - j0
        cands: list[tuple[float, float, int, int, int, int]] = []
        # Sorted below, the candidates may be found in any order: a C-level intersection of
        # a word's translations with the bead's target words beats a loop over either.
        met = self.memoised and self.exclusive
        for k in range(i0, i1):
            rel = (k - i0 + 0.5) / a
            for s, _, c in self.src_words(k):
                cap_s[k, s] = c
                trans = self.translations(s)
                for t in trans.keys() & where.keys() if met else trans:
                    v = trans[t]
                    for m_ in where.get(t, ()):
                        # Ties go to the link nearer the bead's diagonal.
                        cands.append((-v, abs(rel - (m_ - j0 + 0.5) / b), k, s, m_, t))
        src: dict[tuple[int, int], float] = {}
        tgt: dict[tuple[int, int], float] = {}
        s_weight = self.model.texts.src.weight
        if self.exclusive:
            # Each occurrence in one link; a word is credited once, by its strongest link.
            cands.sort()
            used_s: dict[tuple[int, int], int] = {}
            used_t: dict[tuple[int, int], int] = {}
            for neg, _, k, s, m_, t in cands:
                ns, nt = used_s.get((k, s), 0), used_t.get((m_, t), 0)
                if ns >= cap_s[k, s] or nt >= cap_t[m_, t]:
                    continue
                used_s[k, s], used_t[m_, t] = ns + 1, nt + 1
                if ns == 0:
                    src[k, m_] = src.get((k, m_), 0.0) - neg * float(s_weight[s])
                if nt == 0:
                    tgt[k, m_] = tgt.get((k, m_), 0.0) - neg * float(self.tgt_weight[t])
        else:
            # Each word's best match anywhere in the bead, as the search counts it.
            best_s: dict[tuple[int, int], tuple[float, int]] = {}
            best_t: dict[tuple[int, int], tuple[float, int]] = {}
            for neg, _, k, s, m_, t in cands:
                if best_s.get((k, s), (0.0, 0))[0] < -neg:
                    best_s[k, s] = (-neg, m_)
                if best_t.get((m_, t), (0.0, 0))[0] < -neg:
                    best_t[m_, t] = (-neg, k)
            for (k, s), (v, m_) in best_s.items():
                src[k, m_] = src.get((k, m_), 0.0) + v * float(s_weight[s])
            for (m_, t), (v, k) in best_t.items():
                tgt[k, m_] = tgt.get((k, m_), 0.0) + v * float(self.tgt_weight[t])
        return Links(src, tgt)

    def src_coverage(self, k: int, linked: float, width: int) -> float:
        """Coverage of source sentence ``k`` with ``linked`` mass among ``width`` sentences."""
        m = self.model
        chance = m.src_chance[width - 1, k] if width else 0.0
        return float((linked - chance - m.baseline * m.texts.src.mass[k]) * m.src_scale[k])

    def tgt_coverage(self, m_: int, linked: float, width: int) -> float:
        """Coverage of target sentence ``m_`` with ``linked`` mass among ``width`` sentences."""
        m = self.model
        chance = m.tgt_chance[width - 1, m_] if width else 0.0
        return float((linked - chance - m.baseline * m.texts.tgt.mass[m_]) * m.tgt_scale[m_])

    def cost(self, span: Span) -> float:
        """The bead's cost under the model, its coverage from the links (memoised)."""
        got = self._costs.get(span)
        if got is None:
            coverage = self._coverages.get(span)
            if coverage is None:
                coverage = self._coverages[span] = self._coverage(span)
            got = bead_cost(self.model, *span, coverage)
            self._costs[span] = got
        return got

    def _coverage(self, span: Span) -> float:
        i0, i1, j0, j1 = span
        if i0 == i1 or j0 == j1:
            return 0.0
        links = self.links(span)
        targets, sources = range(j0, j1), range(i0, i1)
        total = 0.0
        for k in sources:
            total += self.src_coverage(k, links.src_mass(k, targets), j1 - j0)
        for m_ in targets:
            total += self.tgt_coverage(m_, links.tgt_mass(m_, sources), i1 - i0)
        return total

    def holds(self, span: Span, k: int | None, m_: int | None) -> bool:
        """Whether source sentence ``k`` (or target sentence ``m_``) of the bead links into
        the bead's other side beyond chance."""
        i0, i1, j0, j1 = span
        if i0 == i1 or j0 == j1:
            return False
        links = self.links(span)
        m = self.model
        if k is not None:
            return bool(links.src_mass(k, range(j0, j1)) > m.src_chance[j1 - j0 - 1, k])
        assert m_ is not None
        return bool(links.tgt_mass(m_, range(i0, i1)) > m.tgt_chance[i1 - i0 - 1, m_])

    def _pair(self, k: int, m_: int) -> tuple[np.ndarray, np.ndarray] | None:
        """What source sentence ``k`` gives each word of target sentence ``m_`` under the table
        (its occurrences times the values), and what ``m_`` gives each word of ``k``; None when
        no pair of their words is in the table (memoised: a pair is met in many spans)."""
        key = (k, m_)
        if key in self._pairs:
            return self._pairs[key]
        src, tgt = self.src_words(k), self.tgt_words(m_)
        col = {t: c for c, (t, _, _) in enumerate(tgt)}
        values = np.zeros((len(src), len(tgt)))
        found = False
        if self.memoised:
            # A C-level intersection of each word's translations with the sentence's words
            # finds the same entries as the loop below.
            translations, words = self.translations, col.keys()
            for r, (s, _, _) in enumerate(src):
                trans = translations[s]
                hits = trans.keys() & words
                if hits:
                    found = True
                    for t in hits:
                        values[r, col[t]] = trans[t]
        else:
            for r, (s, _, _) in enumerate(src):
                for t, v in self.translations(s).items():
                    c = col.get(t)
                    if c is not None:
                        values[r, c] = v
                        found = True
        got = (
            (self._occurrences(k, True) @ values, values @ self._occurrences(m_, False))
            if found
            else None
        )
        self._pairs[key] = got
        return got

    def _occurrences(self, k: int, src: bool) -> np.ndarray:
        """How often each informative word of sentence ``k`` is written (memoised)."""
        cache = self._occ_src if src else self._occ_tgt
        got = cache.get(k)
        if got is None:
            words = self.src_words(k) if src else self.tgt_words(k)
            got = np.array([c for _, _, c in words], dtype=np.float64)
            cache[k] = got
        return got

    def model1(self, span: Span) -> float:
        """``log P(target | source) + log P(source | target)`` of the bead under IBM Model 1
        over the table (:func:`model1_log_likelihood` both ways), its informative words only
        (memoised); a null bead's words all come from NULL."""
        got = self._model1.get(span)
        if got is None and self.memoised:
            got = self._model1_terms(span)
            self._model1[span] = got
        if got is None:
            i0, i1, j0, j1 = span
            cs = [self._occurrences(k, True) for k in range(i0, i1)]
            ct = [self._occurrences(m_, False) for m_ in range(j0, j1)]
            n_s, n_t = sum(float(c.sum()) for c in cs), sum(float(c.sum()) for c in ct)
            fwd = [np.full(len(c), self._floor_tgt) for c in ct]
            back = [np.full(len(c), self._floor_src) for c in cs]
            for a, k in enumerate(range(i0, i1)):
                for b, m_ in enumerate(range(j0, j1)):
                    pair = self._pair(k, m_)
                    if pair is not None:
                        fwd[b] += pair[0]
                        back[a] += pair[1]
            got = sum(float(c @ np.log(f)) for c, f in zip(ct, fwd, strict=True))
            got += sum(float(c @ np.log(f)) for c, f in zip(cs, back, strict=True))
            got -= n_t * math.log(n_s + 1) + n_s * math.log(n_t + 1)
            self._model1[span] = got
        return got

    def _model1_terms(self, span: Span) -> float:
        """:meth:`model1` summed from :meth:`_term`s, the same numbers in the same order."""
        i0, i1, j0, j1 = span
        total, term, terms = self._total, self._term, self._terms
        # Whole numbers: the sums are the same in any order.
        n_s = sum([total(k, True) for k in range(i0, i1)])
        n_t = sum([total(m_, False) for m_ in range(j0, j1)])
        # A term met before is read here, without a call (the options of neighbouring
        # boundaries share most of theirs).
        fwd = []
        for m_ in range(j0, j1):
            t = terms.get((False, m_, i0, i1))
            fwd.append(term(False, m_, i0, i1) if t is None else t)
        back = []
        for k in range(i0, i1):
            t = terms.get((True, k, j0, j1))
            back.append(term(True, k, j0, j1) if t is None else t)
        got = sum(fwd)
        got += sum(back)
        return got - (n_t * math.log(n_s + 1) + n_s * math.log(n_t + 1))

    def _total(self, k: int, src: bool) -> float:
        """How many informative word occurrences sentence ``k`` has (memoised)."""
        key = (src, k)
        got = self._totals.get(key)
        if got is None:
            # Whole numbers, so the same as the sum of :meth:`_occurrences`' array.
            words = self.src_words(k) if src else self.tgt_words(k)
            got = float(sum([c for _, _, c in words]))
            self._totals[key] = got
        return got

    def _term(self, src: bool, k: int, lo: int, hi: int) -> float:
        """Sentence ``k``'s words' log-likelihood given the other side's sentences ``lo:hi``
        (each drawn from one of their words or from NULL), before the positions'
        normalisation: a target sentence's (``src`` False) under the source sentences, or a
        source sentence's under the target sentences (memoised)."""
        key = (src, k, lo, hi)
        got = self._terms.get(key)
        if got is None:
            side = 1 if src else 0
            pairs = self._pairs
            given: list[np.ndarray] = []
            near: list[int] = []
            for o in range(lo, hi):
                at = (k, o) if src else (o, k)
                pair = pairs.get(at, _UNSEEN)
                if pair is _UNSEEN:
                    pair = self._pair(*at)
                if pair is not None:
                    given.append(pair[side])  # type: ignore[index]
                    near.append(o)
            # The term depends only on the sentences that translate into ``k`` (added in the
            # same order, the same floats): a range that differs by a sentence sharing no word
            # with ``k`` gives the same term.
            by = (src, k, tuple(near))
            got = self._sums.get(by)
            if got is None:
                c = self._occurrences(k, src)
                floor = self._floor_src if src else self._floor_tgt
                # NULL's probability plus each sentence's, added in order (the first addition
                # makes the array: one numpy call fewer than filling it with NULL's first).
                if given:
                    f = given[0] + floor
                    for add in given[1:]:
                        f += add
                else:
                    f = np.full(len(c), floor)
                # In place: the same logarithms, one array fewer.
                got = float(c @ np.log(f, out=f))
                self._sums[by] = got
            self._terms[key] = got
        return got

    def cut_gain(self, old: Sequence[Span], new: Sequence[Span]) -> float:
        """How much more likely under Model 1 the beads ``new`` make the same sentences than
        ``old`` (a log ratio; positive: the new cut explains the words better)."""
        return sum(self.model1(s) for s in new) - sum(self.model1(s) for s in old)

    def links_across(self, span: Span, ci: int, cj: int) -> bool:
        """Whether a sentence of the bead links across the cut at source ``ci`` and target
        ``cj`` beyond chance (both parts with both sides)."""
        i0, i1, j0, j1 = span
        links = self.links(span)
        m = self.model
        for srcs, other_t in ((range(i0, ci), range(cj, j1)), (range(ci, i1), range(j0, cj))):
            for k in srcs:
                if links.src_mass(k, other_t) > m.src_chance[len(other_t) - 1, k]:
                    return True
        for tgts, other_s in ((range(j0, cj), range(ci, i1)), (range(cj, j1), range(i0, ci))):
            for m_ in tgts:
                if links.tgt_mass(m_, other_s) > m.tgt_chance[len(other_s) - 1, m_]:
                    return True
        return False


def _learned_marks(
    scorer: Scorer, spans: Sequence[Span], src: Sequence[str], tgt: Sequence[str]
) -> BoundaryMarks:
    """The punctuation evidence learned from the beads ``spans`` (kept on ``scorer`` for the
    next reading of the same path)."""
    path = tuple(spans)
    if scorer.marks is None or scorer.marks[0] != path:
        scorer.marks = (path, BoundaryMarks.learn(spans, src, tgt))
    return scorer.marks[1]


def _remembered(
    gain: Callable[[Sequence[Span], Sequence[Span]], float],
    memo: dict[tuple[tuple[Span, ...], tuple[Span, ...]], float],
) -> Callable[[Sequence[Span], Sequence[Span]], float]:
    """``gain``, its values kept in ``memo`` by the two sets of beads compared."""

    def known(old: Sequence[Span], new: Sequence[Span]) -> float:
        key = (tuple(old), tuple(new))
        got = memo.get(key)
        if got is None:
            got = memo[key] = gain(old, new)
        return got

    return known


def _null_middle(bead: Span) -> bool:
    """Whether ``bead`` has an empty side (a null bead)."""
    return bead[0] == bead[1] or bead[2] == bead[3]


def _repriced(
    options: Sequence[tuple[Span, ...]],
    length: LengthModel,
    totals: Sequence[float],
    model: Model,
    shifts: dict[Shape, float],
) -> tuple[Span, ...] | None:
    """The option of least total under ``model``'s shape priors, from its ``totals`` weighed
    under the priors of ``length``, or None where the choice is too close to tell that way.

    A bead's cost reads its shape's prior in one term, ``-length_weight * log P(shape)``
    (:func:`~aligner.scoring.cost.bead_cost`), and the cuts' evidence reads none (nor does a
    null option's weighing under the text's own variance, whose priors cancel), so each
    total moves by its beads' change of that term (``shifts``, per shape). The totals found
    afresh would differ from the moved ones by the rounding of some additions only, far below
    :data:`REPRICE_MARGIN`: an option ahead of every other by more is the one the costs read
    again would choose."""
    weight = model.config.length_weight
    moved: list[float] = []
    for option, total in zip(options, totals, strict=True):
        shift = 0.0
        for s in option:
            shape = (s[1] - s[0], s[3] - s[2])
            got = shifts.get(shape)
            if got is None:
                got = math.log(length.prior(shape)) - math.log(model.length.prior(shape))
                shifts[shape] = got
            shift += got
        moved.append(total + weight * shift)
    least = min(moved)
    at = moved.index(least)
    margin = REPRICE_MARGIN * (1.0 + max(abs(x) for x in moved))
    if any(k != at and x - least <= margin for k, x in enumerate(moved)):
        return None
    return options[at]


def _link_at_once(
    scorer: Scorer,
    spans: Sequence[Span],
    keep: Collection[tuple[int, int]],
    least: int = SPAN_BLOCK,
) -> None:
    """The exclusive links of the beads next to each boundary the refinement reads that are
    not 1-1 (with sentences on both sides: whether an edge sentence links into its bead is
    asked of each), found for all at once (:func:`~aligner.scoring.link_batch.exclusive_links`,
    the scorer's links float for float where each side's word counts were taken with its
    tokens) and kept in ``scorer``'s memo: one bead at a time, a Python loop over each word's
    translations found them. A 1-1 bead's links are read only where other options are
    offered, so they are left to be found when asked."""
    texts = scorer.model.texts
    if not (scorer.memoised and scorer.exclusive):
        return
    if texts.src.occ_count is None or texts.tgt.occ_count is None:
        return  # the scorer counts the words from the sentences' text, the batch would not
    wanted: dict[Span, None] = {}
    links = scorer._links
    # Plain tuples compared, no call per boundary: a clean book has some 20,000 to pass over.
    for a, b in pairwise(spans):
        a_plain = a[1] - a[0] == 1 and a[3] - a[2] == 1
        b_plain = b[1] - b[0] == 1 and b[3] - b[2] == 1
        if (a_plain and b_plain) or (a[1], a[3]) in keep:
            continue
        if not a_plain and a[0] < a[1] and a[2] < a[3] and a not in links:
            wanted[a] = None
        if not b_plain and b[0] < b[1] and b[2] < b[3] and b not in links:
            wanted[b] = None
    # The batch reads both sides' arrays whole (some hundredths of a second on a book, the time
    # of a few hundred beads linked one by one): fewer than ``least`` beads, a block of it, are
    # left to be linked when asked.
    if len(wanted) >= least:
        scorer._links.update(zip(wanted, exclusive_links(scorer.model, list(wanted)), strict=True))


def _reach(spans: Sequence[Span], k: int, keep: Collection[tuple[int, int]]) -> Span:
    """The span of the beads ``k`` and ``k + 1``, and of bead ``k + 2`` too where the boundary
    after ``k + 1`` is read next (one of its beads is not 1-1 and it is not kept)."""
    a, b = spans[k], spans[k + 1]
    if k + 2 < len(spans) and (b[1], b[3]) not in keep:
        c = spans[k + 2]
        if (b[1] - b[0], b[3] - b[2]) != (1, 1) or (c[1] - c[0], c[3] - c[2]) != (1, 1):
            return (a[0], c[1], a[2], c[3])
    return (a[0], b[1], a[2], b[3])


def _options(
    a: Span,
    b: Span,
    shapes: Collection[Shape],
    across: Callable[[Span, int, int], bool],
    held: Callable[[Span, int | None, int | None], bool],
    gain: Callable[[Sequence[Span], Sequence[Span]], float] | None = None,
) -> list[tuple[Span, ...]]:
    """Ways to re-cut two adjacent beads: kept, merged, an edge sentence moved across the
    boundary, or either bead split in two; only beads of a searched shape.

    With ``gain`` (the Model 1 log ratio of a new cut against the old), a merge, a move or a
    split is offered only where it makes the words more likely; without it, the merge is always
    offered, a sentence moves only where its links take it and a bead splits only where no
    sentence links across the cut.

    Making the edge sentence a null is offered apart (:mod:`aligner.scoring.null_options`).
    """
    i0, im, j0, jm = a[0], a[1], a[2], a[3]
    i1, j1 = b[1], b[3]
    allowed = set(shapes)

    def searched(*beads: Span) -> bool:
        return all((s[1] - s[0], s[3] - s[2]) in allowed for s in beads)

    merged = (i0, i1, j0, j1)
    out: list[tuple[Span, ...]] = [(a, b)]
    if searched(merged) and (gain is None or gain((a, b), (merged,)) > 0):
        out.append((merged,))
    moves: tuple[tuple[int, int, int | None, int | None], ...] = (
        (-1, 0, im - 1, None),
        (1, 0, im, None),
        (0, -1, None, jm - 1),
        (0, 1, None, jm),
    )
    for di, dj, k, m_ in moves:
        ci, cj = im + di, jm + dj
        if not (i0 <= ci <= i1 and j0 <= cj <= j1):
            continue
        left, right = (i0, ci, j0, cj), (ci, i1, cj, j1)
        if not searched(left, right):
            continue
        if gain is not None:
            if gain((a, b), (left, right)) > 0:
                out.append((left, right))
            continue
        # A step back leaves ``a`` for the right bead; a step forward leaves ``b`` for the left.
        home, dest = (a, right) if di + dj < 0 else (b, left)
        if not held(home, k, m_) and held(dest, k, m_):
            out.append((left, right))
    for bead, first in ((a, True), (b, False)):
        bi0, bi1, bj0, bj1 = bead
        for ci in range(bi0 + 1, bi1):
            for cj in range(bj0 + 1, bj1):
                parts = ((bi0, ci, bj0, cj), (ci, bi1, cj, bj1))
                if not searched(*parts):
                    continue
                if (gain is not None and gain((bead,), parts) > 0) or (
                    gain is None and not across(bead, ci, cj)
                ):
                    out.append((*parts, b) if first else (a, *parts))
    return out


def refine(
    model: Model,
    steps: Sequence[Step],
    src: Sequence[str] = (),
    tgt: Sequence[str] = (),
    fixed: Collection[tuple[int, int]] = (),
    exclusive: bool = True,
    model1: bool = True,
    cut_lengths: bool = True,
    nulls: bool = True,
    marks: bool = True,
    uncrossed: bool = True,
    moved: bool = True,
    blocks: bool = True,
    own_priors: bool = True,
    scorer: Scorer | None = None,
    relative: bool = True,
) -> tuple[Step, ...]:
    """The path with each boundary next to a bead that is not 1-1 decided again.

    Every sentence stays in exactly one bead, in order. ``fixed``: boundaries ``(i, j)`` (source
    sentences before ``i`` with target sentences before ``j``) that must stay as they are, such
    as a pinned bead's edges; a bead with both edges fixed is never split. ``exclusive``:
    coverage from exclusive links (else each word's best match, as the search counts it).
    ``model1``: merges, moves and splits offered by the Model 1 likelihood-ratio test (else
    merges always, moves and splits by links beyond chance). ``cut_lengths``: each option's
    cost less the length evidence of its cuts (:func:`~aligner.scoring.cuts.cut_evidence`).
    ``nulls``: an edge sentence that links nothing into its bead may also be left unaligned
    (:func:`~aligner.scoring.null_options.null_options`). ``marks``: each option's cost less
    the punctuation evidence of its boundaries, learned from the path, which the Model 1 test
    weighs too (:class:`~aligner.scoring.boundary_marks.BoundaryMarks`; needs ``src`` and
    ``tgt``). ``uncrossed``: a bead may also be cut where no sentence links across the cut
    beyond chance (:func:`~aligner.scoring.uncrossed_splits.uncrossed_splits`). ``moved``: a
    bead may also be cut where no clause moved across the cut holds it
    (:func:`~aligner.scoring.moved_clauses.edge_splits`). ``blocks``: the Model 1 test's sign
    read from the two beads' Model 1 found at once where it is clear
    (:func:`~aligner.scoring.model1_block.decided_gain`; the same options as the exact sums).
    ``own_priors``: the path refined once, then the pass-2 path refined again under shape
    priors counted on that refined path (:func:`~aligner.scoring.own_priors.with_own_priors`).
    ``scorer``: the exclusive scorer of ``model`` to read the links from (the second reading
    reuses the first's). ``relative``: each null option weighed against its kept bead by their
    lengths under the text's own length variance
    (:class:`~aligner.scoring.relative_nulls.RelativeNulls`).
    """
    # The steps' own costs are the search's (each word's best match) under the pass's model,
    # which the confidences compare with the search's alternatives.
    searched = Scorer(model, exclusive=False)
    scorer = scorer or Scorer(model, exclusive, src, tgt)
    if own_priors:
        once = refine(
            model, steps, src, tgt, fixed, exclusive, model1, cut_lengths, nulls, marks,
            uncrossed, moved, blocks, own_priors=False, scorer=scorer, relative=relative,
        )  # fmt: skip
        model = with_own_priors(model, once)
        scorer.reprice(model)
    # The steps kept as they are returned as they were given (a book's path is some 20,000
    # steps, each made again cost more than the dict).
    given = {(s.i0, s.i1, s.j0, s.j1): s for s in steps}
    shapes = model.config.shapes
    keep = set(fixed)
    # Python floats: the evidence reads a few lengths per option, many thousand times a book.
    src_len, tgt_len = model.texts.src_len.tolist(), model.texts.tgt_len.tolist()

    spans: list[Span] = [(s.i0, s.i1, s.j0, s.j1) for s in steps]
    _link_at_once(scorer, spans, keep)
    marked = _learned_marks(scorer, spans, src, tgt) if marks and src and tgt else None
    if relative and nulls and scorer.relative is None:
        scorer.relative = RelativeNulls.learn(scorer, spans)
    own_lengths = scorer.relative if relative and nulls else None

    def lengths(option: tuple[Span, ...], a: Span, b: Span) -> float:
        # Only a null option is weighed under the text's own variance: the one option of three
        # beads whose middle bead has an empty side (the others' beads all hold both sides).
        if own_lengths is None or len(option) != 3 or not _null_middle(option[1]):
            return 0.0
        return own_lengths.weigh(scorer, option, a, b)

    def cuts(option: Sequence[Span]) -> float:
        evidence = 0.0 if marked is None else marked(option)
        if not cut_lengths:
            return evidence
        return evidence + cut_evidence(model.length, src_len, tgt_len, option)

    # The options' memo for these settings and this path (the marks are learned from it).
    settings = (
        exclusive,
        model1,
        nulls,
        marks,
        uncrossed,
        moved,
        blocks,
        relative,
        tuple(sorted(keep)),
    )
    offered = scorer.offered.setdefault((*settings, tuple(shapes), tuple(spans)), {})
    # And the totals last weighed at each boundary, with the priors they were weighed under.
    weighed = scorer.weighed.setdefault((*settings, cut_lengths, tuple(shapes), tuple(spans)), {})
    shifts: dict[Shape, float] = {}
    made = Blocks(scorer)
    k = 0
    while k < len(spans) - 1:
        a, b = spans[k], spans[k + 1]
        plain = (a[1] - a[0], a[3] - a[2]) == (1, 1) and (b[1] - b[0], b[3] - b[2]) == (1, 1)
        if plain or (a[1], a[3]) in keep:
            k += 1
            continue
        # The options read no shape prior: the second reading takes the first's where it meets
        # the same two beads (:attr:`Scorer.offered`).
        options = offered.get((a, b))
        if options is None:
            gain: Callable[[Sequence[Span], Sequence[Span]], float] | None = None
            if model1:
                gain = scorer.cut_gain if marked is None else marked.added(scorer.cut_gain)
                if blocks and scorer.memoised:
                    # The test's sign from the two beads' Model 1 found at once, in a block
                    # that holds the next bead too where the next boundary is read as well.
                    reach = _reach(spans, k, keep)
                    gain = decided_gain(scorer, (a[0], b[1], a[2], b[3]), gain, marked, made, reach)
                gain = _remembered(gain, scorer.tests)
            options = _options(a, b, shapes, scorer.links_across, scorer.holds, gain)
            if nulls:
                options += null_options(a, b, shapes, scorer.holds)
            if uncrossed and model1:
                split = uncrossed_splits(a, b, shapes, scorer.links_across)
                options += [o for o in split if o not in options]
            if moved and model1 and src and tgt:
                clauses = scorer.clauses = scorer.clauses or MovedClauses(scorer, src, tgt)
                options += [o for o in edge_splits(a, b, shapes, clauses.held) if o not in options]
            offered[a, b] = options
        # Kept as it is when nothing else is offered: its links and costs need not be read.
        if len(options) == 1:
            k += 1
            continue
        last = weighed.get((a, b))
        best = None if last is None else _repriced(options, *last, model, shifts)
        if best is None:
            totals = [sum(scorer.cost(s) for s in o) - cuts(o) + lengths(o, a, b) for o in options]
            # The first of the least, as ``min`` takes it.
            best = options[totals.index(min(totals))]
            weighed[a, b] = (model.length, totals)
        if best != (a, b):
            spans[k : k + 2] = list(best)
        k += 1
    return tuple(
        kept if (kept := given.get(s)) is not None else Step(*s, searched.cost(s)) for s in spans
    )
