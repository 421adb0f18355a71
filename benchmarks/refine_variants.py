"""The boundary refinement re-run under variants on each dev document's cached pass-2 path.

Issue 20's boundary decisions are all made by the refinement (``aligner.scoring.refine``) on
pass 2's model and path, so a variant of the refinement need not realign anything: each dev
document's pass-2 model and path are computed once and kept (pickled under ``--cache``), and
each variant re-runs only the refinement, a few seconds a variant for all the dev sets. Strict
F1 per family, four decimals: ``tb`` Text+Berg dev whole, ``tr`` the five TransRead books (gold
nulls split one per sentence, ``devsets.split_nulls``, so it reads higher than
``accuracy.py``'s), ``pieces`` Text+Berg's four pieces, ``ot-ru`` and ``ot-en`` the perturbed
Old Testament, ``b2k`` the first 2000 Bible verses fr-en and fr-ru. ``--classes`` adds the
error regions by class (``error_regions.py``). Run from the project root::

    python benchmarks/refine_variants.py [--variants base,mate,...] [--families tb,tr,...]
        [--no-dictionaries] [--classes] [--cache DIR]

Round eight's variants (``benchmarks/RESULTS.md``, "Round eight: dropped verses"), each about
a dropped verse (gold 1-0) merged into its neighbour's bead:

* ``base``: the shipped refinement; ``loop``: this script's copy of its loop (the same beads);
* ``mate``: the null option offered where the edge sentence's links into its bead, taken after
  its bead-mates took theirs (competitive linking with the bead-mates first), do not beat its
  chance level, instead of its links taken in one competition with them;
* ``mate-cost``: the null option weighed against the kept bead scored that way (the edge
  sentence credited only with the words its bead-mates leave);
* ``null-prior`` / ``all-priors``: the 1-0 and 0-1 priors (or every shape's) counted again on
  the refined path, and the refinement run again under them;
* ``llr-gate`` / ``llr-cost``: a likelihood ratio of the edge sentence inside its bead against
  untranslated, under IBM Model 1 with NULL chosen at a rate learned from the text's 1-1 beads
  (EM) and emitting the word's own frequency (:class:`EdgeRatio`): as a gate (offered also
  where it is negative) or in place of the lexical part of the null option's cost difference;
* ``oracle-holds`` / ``oracle-mate`` / ``oracle-all``: every null option offered under the
  shipped gate, the ``mate`` gate or no gate taken exactly when the gold has that null: the
  ceiling of the null decision at the refinement's boundaries.

Round eight's 2-2 variants (``RESULTS.md``, "two verses as one 2-2"), about two gold 1-1 verse
pairs predicted as one 2-2 bead (``base`` and ``loop`` now include the shipped uncrossed
splits, :mod:`aligner.scoring.uncrossed_splits`; the variants above run on top of them):

* ``start``: the refinement without the uncrossed splits (main before them);
* ``cross``: ``start``, then every 2-2 bead no word links across beyond chance cut into two
  1-1 beads (a rule, not an option weighed by the costs);
* ``diag-offer``: ``start`` with the diagonal split of a 2-2 also offered where each of its
  four sentences links more to its diagonal partner than across.

Round eight's moved-clause variants (``RESULTS.md``, "moved clauses"; ``base`` and ``loop``
now include the shipped moved-clause splits, :mod:`aligner.scoring.moved_clauses`; the
variants run by ``refine_with`` above them do not):

* ``uncrossed``: the refinement without the moved-clause splits (main before them);
* ``edge-all``: the moved-clause splits with every word counted (no ambiguity rule);
* ``edge-run`` / ``edge-run-all``: a strict run at the edge (each crossing word beyond each own
  word) instead of the weighted mean positions, without / with the ambiguous words.

Round nine's (``RESULTS.md``, "the boundary decision with a fuller lexicon"): ``base`` now
reads the path a second time under shape priors counted on its first reading (shipped,
:mod:`aligner.scoring.own_priors`), which is what ``all-priors`` computes; ``loop`` and every
variant built on :func:`refine_with` copy one reading, with the moved-clause splits (before,
they lacked them). ``once``: the shipped refinement read once (main before it);
``diag-more``: ``diag-offer``'s diagonal splits on top of the shipped ones; ``diag-excl``: the
diagonal split of a 2-2 offered where each sentence links to its diagonal partner and nothing
across the diagonal.

Round ten's (``RESULTS.md``, "the null decision relative to the text"): ``base`` now weighs
each null option against its kept bead by their lengths under the text's own variance
(shipped, :mod:`aligner.scoring.relative_nulls`), which is what ``var-holds`` computes;
``twice``: both readings copied with nothing changed (main before it). The ``rel-*``
variants use the link evidence (:class:`TextNulls`) alone as the null option's gate (``or``:
also offered where it is positive; ``only``: offered exactly there) or in its cost (``add``;
``replace``: in place of the lexical part of its cost difference), read from the linked mass
or, with ``--words-linked``, the linked words;
``rest-*`` add the other side's completeness without the edge sentence (:class:`TextNulls`);
``var-null`` / ``var-holds``: the lengths under the text's variance alone; ``var-all``: the
whole refinement under that variance; ``var-gate`` / ``var-every``: the lengths with the
``or`` gate or with a null offered for every edge sentence.

The variants read the refinement's internals (``Scorer``'s word lists and table, ``_options``):
a change there may need a change here.

Peter F. Brown et al. (1993), "The Mathematics of Statistical Machine Translation: Parameter
Estimation", Computational Linguistics 19(2).
Franz Josef Och and Hermann Ney (2003), "A Systematic Comparison of Various Statistical
Alignment Models", Computational Linguistics 29(1).
"""

from __future__ import annotations

import argparse
import math
import os
import pickle
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

import devsets
from error_regions import CLASSES, classify, regions

from aligner.config import AlignConfig
from aligner.evaluation import evaluate_documents
from aligner.pipeline import STAGE_SHARES
from aligner.pipeline.passes import _realign
from aligner.pipeline.run import _first
from aligner.progress import Stages
from aligner.scoring import refine as R
from aligner.scoring.boundary_marks import BoundaryMarks
from aligner.scoring.cost import Model, bead_cost
from aligner.scoring.cuts import cut_evidence
from aligner.scoring.linking import Links, link_in_order
from aligner.scoring.moved_clauses import MovedClauses, edge_splits
from aligner.scoring.null_options import null_options
from aligner.scoring.relative_nulls import _lengths
from aligner.scoring.relative_nulls import own_variance as shipped_variance
from aligner.scoring.uncrossed_splits import uncrossed_splits
from aligner.search import Step

Span = tuple[int, int, int, int]
Bead = tuple[tuple[int, ...], tuple[int, ...]]
Option = tuple[Span, ...]
Held = Callable[[Span, int | None, int | None], bool]
#: A variant: (model, pass-2 path, document) -> refined path.
Variant = Callable[[Model, Sequence[Step], devsets.Doc], Sequence[Step]]
#: 1-1 beads of the path the NULL rate of :class:`EdgeRatio` is learned from (a sample).
EM_BEADS = 2000
#: EM iterations for the NULL rate (it moves by less than 0.001 after ten on every dev set).
EM_ROUNDS = 10


def documents(dictionaries: bool) -> list[tuple[str, devsets.Doc]]:
    """The dev documents with their family (without dictionaries: no pieces, no Bible 2000)."""
    docs = [("tb", devsets.textberg_whole())] + [("tr", d) for d in devsets.transread()]
    if dictionaries:
        docs += [("pieces", d) for d in devsets.textberg()]
    docs += [("ot-" + d.tgt_lang, d) for d in devsets.perturbed_ot()]
    if dictionaries:
        docs += [("b2k", d) for d in devsets.bible_verses()]
    return docs


def pass_two(doc: devsets.Doc, cfg: AlignConfig, cache: Path) -> tuple[Model, tuple[Step, ...]]:
    """The document's pass-2 model and path, as ``align`` has them before the refinement
    (computed once, then read from ``cache``)."""
    path = cache / f"{doc.name}.pkl"
    if path.exists():
        with path.open("rb") as f:
            got: tuple[Model, tuple[Step, ...]] = pickle.load(f)
        return got
    stages = Stages(None, STAGE_SHARES)
    texts = (doc.src, doc.tgt, doc.src_lang, doc.tgt_lang, (), (), cfg, (), (), stages)
    first = _first(*texts)
    assert first.state is not None
    prep, model, steps, decided = first.state
    model, steps, _ = _realign(prep, model, steps, decided, None, None)
    cache.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump((model, steps), f)
    return model, steps


def rest_of(bead: Span, k: int | None, m_: int | None) -> Span:
    """The bead without its edge sentence (source ``k`` or target ``m_``)."""
    i0, i1, j0, j1 = bead
    if k is not None:
        return (i0 + 1, i1, j0, j1) if k == i0 else (i0, i1 - 1, j0, j1)
    return (i0, i1, j0 + 1, j1) if m_ == j0 else (i0, i1, j0, j1 - 1)


def edge_of(option: Option, pair: tuple[Span, Span]) -> tuple[Span, Span, int | None, int | None]:
    """(bead, rest, source sentence, target sentence) of a null option made from ``pair``."""
    a, b = pair
    bead, rest, null = (a, option[0], option[1]) if option[2] == b else (b, option[2], option[1])
    k = null[0] if null[1] > null[0] else None
    m_ = null[2] if null[3] > null[2] else None
    return bead, rest, k, m_


def mate_links(sc: R.Scorer, bead: Span, k: int | None, m_: int | None) -> Links:
    """The bead's exclusive links (as the refinement links them) with every candidate of the
    edge sentence (source ``k`` or target ``m_``) taken after all of its bead-mates'."""
    cands = sc._candidates(bead)
    cands.sort(key=lambda c: (c[2] == k or c[4] == m_, c))
    return link_in_order(cands, sc._src_weight, sc._tgt_weight)


def mate_held(sc: R.Scorer) -> Held:
    """Whether the edge sentence links into its bead beyond chance once its bead-mates took
    their links (the ``mate`` gate)."""

    def held(bead: Span, k: int | None, m_: int | None) -> bool:
        i0, i1, j0, j1 = bead
        if i0 == i1 or j0 == j1:
            return False
        links, m = mate_links(sc, bead, k, m_), sc.model
        if k is not None:
            return bool(links.src_mass(k, range(j0, j1)) > m.src_chance[j1 - j0 - 1, k])
        assert m_ is not None
        return bool(links.tgt_mass(m_, range(i0, i1)) > m.tgt_chance[i1 - i0 - 1, m_])

    return held


def mate_cost(sc: R.Scorer, bead: Span, k: int | None, m_: int | None) -> float:
    """The bead's cost with its coverage from :func:`mate_links`."""
    i0, i1, j0, j1 = bead
    links = mate_links(sc, bead, k, m_)
    targets, sources = range(j0, j1), range(i0, i1)
    cov = sum(sc.src_coverage(x, links.src_mass(x, targets), j1 - j0) for x in sources)
    cov += sum(sc.tgt_coverage(y, links.tgt_mass(y, sources), i1 - i0) for y in targets)
    return bead_cost(sc.model, *bead, cov)


class EdgeRatio:
    """``log`` of how much more likely the words are with the edge sentence translated inside
    its bead than untranslated, under IBM Model 1 (Brown et al. 1993) with NULL chosen at a
    rate ``p0`` (each direction's learned by EM on a sample of the path's 1-1 beads, Och and
    Ney's fixed NULL probability instead of one position among the sentence's) and NULL
    emitting the word's own frequency in its text (so that an untranslated sentence is scored
    by the same language model under both hypotheses)."""

    def __init__(self, sc: R.Scorer, steps: Sequence[Step]) -> None:
        self.sc = sc
        # Indexed by ``tgt``: the source side's first.
        self.unigram = (self._unigram(False), self._unigram(True))
        ones = [(s.i0, s.j0) for s in steps if s.shape == (1, 1)]
        random.Random(0).shuffle(ones)
        self.p0 = (self._em(ones[:EM_BEADS], False), self._em(ones[:EM_BEADS], True))

    def _words(self, k: int, tgt: bool) -> list[tuple[int, float, int]]:
        return self.sc.tgt_words(k) if tgt else self.sc.src_words(k)

    def _unigram(self, tgt: bool) -> dict[int, float]:
        counts: Counter[int] = Counter()
        side = self.sc.model.texts.tgt if tgt else self.sc.model.texts.src
        for k in range(side.n):
            for w, _, c in self._words(k, tgt):
                counts[w] += c
        total = sum(counts.values()) or 1
        return {w: c / total for w, c in counts.items()}

    def _explained(self, w: int, tgt: bool, given: Sequence[tuple[int, float, int]]) -> float:
        """The table's values of word ``w`` (a target word if ``tgt``) summed over the other
        side's word occurrences ``given``, over their number."""
        n = sum(c for _, _, c in given)
        if n == 0:
            return 0.0
        tr = self.sc.translations
        if tgt:
            return sum(c * tr[s].get(w, 0.0) for s, _, c in given) / n
        trans = tr[w]
        return sum(c * trans.get(t, 0.0) for t, _, c in given) / n

    def _em(self, ones: Sequence[tuple[int, int]], tgt: bool) -> float:
        data: list[tuple[int, float, float]] = []
        for i, j in ones:
            given = self._words(i, False) if tgt else self._words(j, True)
            for w, _, c in self._words(j if tgt else i, tgt):
                data.append((c, self.unigram[tgt][w], self._explained(w, tgt, given)))
        total = sum(c for c, _, _ in data) or 1
        p0 = 0.5
        for _ in range(EM_ROUNDS):
            post = sum(c * p0 * u / (p0 * u + (1 - p0) * a) for c, u, a in data)
            p0 = min(max(post / total, 1e-3), 0.999)
        return p0

    def loglik(self, gen: Sequence[int], tgt: bool, given: Sequence[int]) -> float:
        """``log P`` of the words of sentences ``gen`` (target sentences if ``tgt``) given the
        other side's sentences ``given`` (none: untranslated, each word its frequency)."""
        u, p0 = self.unigram[tgt], self.p0[tgt]
        words = [w for k in gen for w in self._words(k, tgt)]
        if not given:
            return sum(c * math.log(u[w]) for w, _, c in words)
        other = [w for k in given for w in self._words(k, not tgt)]
        return sum(
            c * math.log(p0 * u[w] + (1 - p0) * self._explained(w, tgt, other)) for w, _, c in words
        )

    def edge(self, bead: Span, k: int | None, m_: int | None) -> float:
        """The log ratio for source sentence ``k`` (or target ``m_``) of ``bead``."""
        rest = rest_of(bead, k, m_)
        src, tgt = list(range(bead[0], bead[1])), list(range(bead[2], bead[3]))
        if k is not None:
            kept = list(range(rest[0], rest[1]))
            return (
                self.loglik(tgt, True, src)
                - self.loglik(tgt, True, kept)
                + self.loglik([k], False, tgt)
                - self.loglik([k], False, [])
            )
        assert m_ is not None
        kept = list(range(rest[2], rest[3]))
        return (
            self.loglik(src, False, tgt)
            - self.loglik(src, False, kept)
            + self.loglik([m_], True, src)
            - self.loglik([m_], True, [])
        )


def refine_with(
    model: Model,
    steps: Sequence[Step],
    doc: devsets.Doc,
    held: Callable[[R.Scorer], Held] | None = None,
    extra: Callable[[R.Scorer, Option, tuple[Span, Span]], float] | None = None,
    setup: Callable[[R.Scorer], None] | None = None,
    more: Callable[[R.Scorer, Span, Span], list[Option]] | None = None,
    uncrossed: bool = True,
    moved: bool = True,
) -> tuple[Step, ...]:
    """``refine.refine``'s loop (default settings) with the null options' gate (``held``) and
    an amount added to each null option's cost (``extra``) replaced, options ``more`` added,
    and (``uncrossed`` / ``moved`` False) the uncrossed or the moved-clause splits left out."""
    if moved:
        more = _both(_edge_splits(True, True), *([more] if more is not None else []))
    sc = R.Scorer(model, True, doc.src, doc.tgt)
    if setup is not None:
        setup(sc)
    searched = R.Scorer(model, exclusive=False)
    costs = {(s.i0, s.i1, s.j0, s.j1): s.cost for s in steps}
    shapes = model.config.shapes
    src_len, tgt_len = model.texts.src_len.tolist(), model.texts.tgt_len.tolist()
    gate = held(sc) if held is not None else sc.holds
    spans: list[Span] = [(s.i0, s.i1, s.j0, s.j1) for s in steps]
    marks = BoundaryMarks.learn(spans, doc.src, doc.tgt)
    k = 0
    while k < len(spans) - 1:
        a, b = spans[k], spans[k + 1]
        if (a[1] - a[0], a[3] - a[2]) == (1, 1) and (b[1] - b[0], b[3] - b[2]) == (1, 1):
            k += 1
            continue
        options = [
            (o, 0.0)
            for o in R._options(a, b, shapes, sc.links_across, sc.holds, marks.added(sc.cut_gain))
        ]
        for o in null_options(a, b, shapes, gate):
            options.append((o, extra(sc, o, (a, b)) if extra is not None else 0.0))
        if uncrossed:
            split = uncrossed_splits(a, b, shapes, sc.links_across)
            options += [(o, 0.0) for o in split if o not in [p for p, _ in options]]
        if more is not None:
            options += [(o, 0.0) for o in more(sc, a, b) if o not in [p for p, _ in options]]
        if len(options) > 1:
            best = min(
                options,
                key=lambda o: (
                    sum(sc.cost(s) for s in o[0])
                    - cut_evidence(model.length, src_len, tgt_len, o[0])
                    - marks(o[0])
                    + o[1]
                ),
            )[0]
            if best != (a, b):
                spans[k : k + 2] = list(best)
        k += 1
    return tuple(Step(*s, costs[s] if s in costs else searched.cost(s)) for s in spans)


def with_priors(model: Model, steps: Sequence[Step], shapes: Sequence[tuple[int, int]]) -> Model:
    """The model with the priors of ``shapes`` (all if empty) counted again on ``steps``, as
    pass 1's are (``LengthModel.refit``)."""
    counted = model.length.refit(Counter(s.shape for s in steps)).priors
    priors = dict(model.length.priors)
    for shape in shapes or counted:
        priors[shape] = counted[shape]
    return replace(model, length=replace(model.length, priors=priors))


def reprior(shapes: Sequence[tuple[int, int]]) -> Variant:
    def run(model: Model, steps: Sequence[Step], doc: devsets.Doc) -> Sequence[Step]:
        refined = refine_with(model, steps, doc)
        return refine_with(with_priors(model, refined, shapes), steps, doc)

    return run


def edge_ratio(sc: R.Scorer, steps: Sequence[Step]) -> EdgeRatio:
    got = getattr(sc, "edge_ratio", None)
    if got is None:
        got = EdgeRatio(sc, steps)
        sc.edge_ratio = got  # type: ignore[attr-defined]
    return got


def llr(as_cost: bool) -> Variant:
    def run(model: Model, steps: Sequence[Step], doc: devsets.Doc) -> Sequence[Step]:
        def held(sc: R.Scorer) -> Held:
            ratio = edge_ratio(sc, steps)
            return lambda bead, k, m_: sc.holds(bead, k, m_) and ratio.edge(bead, k, m_) >= 0

        def extra(sc: R.Scorer, o: Option, pair: tuple[Span, Span]) -> float:
            # The lexical part of (null option - kept bead) replaced by the edge's log ratio.
            bead, rest, k, m_ = edge_of(o, pair)
            lex = sc.model.config.lexical_weight / 2
            lexical = lex * (sc._coverage(bead) - sc._coverage(rest))
            return -lexical + edge_ratio(sc, steps).edge(bead, k, m_)

        if as_cost:
            return refine_with(model, steps, doc, extra=extra)
        return refine_with(model, steps, doc, held=held)

    return run


# Round ten's link evidence of an edge sentence relative to the text (``rel-*`` and ``rest-*``
# variants; not shipped).
#: 1-1 beads of the path read by :class:`TextNulls` for each hypothesis (evenly spaced).
SAMPLE = 600
#: The spreads tried for the maximum-likelihood fit: the intra-class correlation of the
#: beta-binomial, from nearly binomial to nearly all-or-nothing, on a log scale.
SPREADS = tuple(10 ** (-4 + 4 * i / 40) for i in range(40))


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


@dataclass(frozen=True)
class BetaBinomial:
    """A beta-binomial over how many of a sentence's ``n`` words link (``x`` may be
    fractional: the linked share of the sentence's weighted mass times ``n``)."""

    alpha: float
    beta: float

    def log_prob(self, x: float, n: float) -> float:
        """``log P(x | n)`` without the binomial coefficient (the same under both hypotheses)."""
        return _log_beta(x + self.alpha, n - x + self.beta) - _log_beta(self.alpha, self.beta)

    @classmethod
    def fit(cls, observed: Sequence[tuple[float, float]]) -> BetaBinomial:
        """The mean share of the ``(x, n)`` pairs, and the spread (of :data:`SPREADS`) under
        which they are most likely."""
        xs = sum(x for x, _ in observed)
        ns = sum(n for _, n in observed)
        # Kept off 0 and 1 by half a word each way (Jeffreys' pseudo-counts).
        mean = (xs + 0.5) / (ns + 1.0)
        best: tuple[float, BetaBinomial] | None = None
        for rho in SPREADS:
            total = (1.0 - rho) / rho
            got = cls(mean * total, (1.0 - mean) * total)
            ll = sum(got.log_prob(x, n) for x, n in observed)
            if best is None or ll > best[0]:
                best = (ll, got)
        assert best is not None
        return best[1]


#: A sentence's linked share, given (source side?, sentence, the other side's sentences).
Share = Callable[[bool, int, range], tuple[float, float]]


@dataclass
class TextNulls:
    """The evidence that an edge sentence is untranslated, against the text's own 1-1 beads
    (each side's and each width's two distributions fitted when first asked)."""

    share: Share
    ones: Sequence[tuple[int, int]]
    n_src: int
    n_tgt: int
    fitted: dict[tuple[bool, int], tuple[BetaBinomial, BetaBinomial]]
    #: The path's 1-2 and 2-1 beads as (the long sentence's side is the source, the long
    #: sentence, its first counterpart), for :meth:`completeness`.
    halves: Sequence[tuple[bool, int, int]] = ()
    partial: dict[bool, BetaBinomial] = field(default_factory=dict)

    @classmethod
    def of(cls, share: Share, path: Sequence[Span], n_src: int, n_tgt: int) -> TextNulls:
        """The reader of the 1-1 beads of ``path`` followed by a 1-1 bead (so that the
        sentences next to each counterpart exist)."""
        ones = [
            (a[0], a[2])
            for a, b in pairwise(path)
            if (a[1] - a[0], a[3] - a[2]) == (1, 1) and (b[1] - b[0], b[3] - b[2]) == (1, 1)
        ]
        step = max(1, len(ones) // SAMPLE)
        halves = [
            (True, a[0], a[2]) if (a[1] - a[0], a[3] - a[2]) == (1, 2) else (False, a[2], a[0])
            for a in path
            if (a[1] - a[0], a[3] - a[2]) in ((1, 2), (2, 1))
        ]
        half = max(1, len(halves) // SAMPLE)
        return cls(share, ones[::step][:SAMPLE], n_src, n_tgt, {}, halves[::half][:SAMPLE])

    def completeness(self, src: bool, linked: tuple[float, float]) -> float:
        """``log P(links | a whole translation) - log P(links | half of one)`` of a sentence (a
        source sentence if ``src``) facing one sentence: the whole from the 1-1 beads, the
        half from each long sentence of the path's 1-2 and 2-1 beads against one of its two
        counterparts."""
        x, n = linked
        if n <= 0 or not self.ones:
            return 0.0
        got = self.partial.get(src)
        if got is None:
            seen = [
                self.share(src, k, range(c + d, c + d + 1))
                for side, k, c in self.halves
                if side == src
                for d in (0, 1)
            ]
            got = self.partial[src] = BetaBinomial.fit([o for o in seen if o[1] > 0])
        return self._models(src, 1)[0].log_prob(x, n) - got.log_prob(x, n)

    def _models(self, src: bool, width: int) -> tuple[BetaBinomial, BetaBinomial]:
        key = (src, width)
        got = self.fitted.get(key)
        if got is None:
            yes: list[tuple[float, float]] = []
            no: list[tuple[float, float]] = []
            limit = self.n_tgt if src else self.n_src
            for i, j in self.ones:
                k, o = (i, j) if src else (j, i)
                if o + 1 + width > limit:
                    continue
                x, n = self.share(src, k, range(o, o + width))
                if n > 0:
                    yes.append((x, n))
                    no.append(self.share(src, k, range(o + 1, o + 1 + width)))
            got = (BetaBinomial.fit(yes), BetaBinomial.fit(no))
            self.fitted[key] = got
        return got

    def evidence(self, src: bool, width: int, linked: tuple[float, float]) -> float:
        """``log P(links | untranslated) - log P(links | translated)`` of a sentence (a source
        sentence if ``src``) with ``linked`` = (words linked, informative words) inside a bead
        of ``width`` sentences on the other side."""
        x, n = linked
        if n <= 0 or not self.ones:
            return 0.0
        yes, no = self._models(src, width)
        return no.log_prob(x, n) - yes.log_prob(x, n)


def linked_share(sc: R.Scorer, span: Span, k: int | None, m_: int | None) -> tuple[float, float]:
    """(words linked, informative words) of source sentence ``k`` (or target ``m_``) inside
    the bead ``span``: its linked share of its weighted mass times its number of words."""
    i0, i1, j0, j1 = span
    links = sc.links(span)
    if k is not None:
        words, mass = sc.src_words(k), float(sc.model.texts.src.mass[k])
        got = links.src_mass(k, range(j0, j1))
    else:
        assert m_ is not None
        words, mass = sc.tgt_words(m_), float(sc.model.texts.tgt.mass[m_])
        got = links.tgt_mass(m_, range(i0, i1))
    n = float(len(words))
    if WORDS_LINKED:
        got = linked_weight(sc, span, k, m_)
    return (n * min(1.0, got / mass) if mass > 0 else 0.0, n)


#: ``linked_share`` reads the weight of the words linked (each link's table value ignored)
#: rather than the linked mass (weight times value), when set (``--words-linked``).
WORDS_LINKED = False
_MADE: dict[tuple[int, Span], list[tuple[int, int, int, int]]] = {}


def linked_weight(sc: R.Scorer, span: Span, k: int | None, m_: int | None) -> float:
    """The summed weight of the distinct words of source sentence ``k`` (or target ``m_``)
    that the bead's exclusive links link, whatever the links' values."""
    key = (id(sc.model.texts), span)
    made = _MADE.get(key)
    if made is None:
        made = []
        cands = sc._candidates(span)
        cands.sort()
        link_in_order(cands, sc._src_weight, sc._tgt_weight, made)
        if len(_MADE) > 200_000:
            _MADE.clear()
        _MADE[key] = made
    if k is not None:
        return sum(sc._src_weight[s] for s in {s for kk, s, _, _ in made if kk == k})
    return sum(sc._tgt_weight[t] for t in {t for _, _, mm, t in made if mm == m_})


_RELATIVE: dict[str, TextNulls] = {}


def relative(sc: R.Scorer, steps: Sequence[Step], doc: devsets.Doc) -> TextNulls:
    """The text's own translated / untranslated link distributions (one per document)."""
    got = _RELATIVE.get(doc.name)
    if got is None:

        def share(src: bool, k: int, others: range) -> tuple[float, float]:
            a, b = others.start, others.stop
            span = (k, k + 1, a, b) if src else (a, b, k, k + 1)
            return linked_share(sc, span, k if src else None, None if src else k)

        path = [(s.i0, s.i1, s.j0, s.j1) for s in steps]
        got = TextNulls.of(share, path, sc.model.texts.src.n, sc.model.texts.tgt.n)
        _RELATIVE[doc.name] = got
    return got


def rel_evidence(
    sc: R.Scorer, steps: Sequence[Step], doc: devsets.Doc, bead: Span, k: int | None, m_: int | None
) -> float:
    """The edge sentence's evidence of being untranslated, against the text's own beads."""
    src = k is not None
    width = bead[3] - bead[2] if src else bead[1] - bead[0]
    return relative(sc, steps, doc).evidence(src, width, linked_share(sc, bead, k, m_))


def rest_evidence(
    sc: R.Scorer, steps: Sequence[Step], doc: devsets.Doc, bead: Span, k: int | None, m_: int | None
) -> float:
    """Where the bead without its edge sentence is 1-1: how much more its other sentence looks
    wholly translated by the rest than half translated (0 elsewhere)."""
    rest = rest_of(bead, k, m_)
    if (rest[1] - rest[0], rest[3] - rest[2]) != (1, 1):
        return 0.0
    got = relative(sc, steps, doc)
    if k is not None:
        return got.completeness(False, linked_share(sc, rest, None, rest[2]))
    return got.completeness(True, linked_share(sc, rest, rest[0], None))


def own_variance(model: Model, steps: Sequence[Step]) -> float:
    """The text's own length variance over the path's 1-1 beads (the shipped estimate)."""
    return shipped_variance(model, [(s.i0, s.i1, s.j0, s.j1) for s in steps])


def variance_variant(scope: str) -> Variant:
    """The null option weighed against its kept bead with the lengths read under the text's
    own variance (``null``), or the whole refinement under it (``all``), both readings."""

    def run(model: Model, steps: Sequence[Step], doc: devsets.Doc) -> Sequence[Step]:
        own = replace(model, length=replace(model.length, variance=own_variance(model, steps)))
        if scope == "all":
            first = refine_with(own, steps, doc)
            return refine_with(with_priors(own, first, []), steps, doc)

        def extra(sc: R.Scorer, o: Option, pair: tuple[Span, Span]) -> float:
            bead, rest, _, _ = edge_of(o, pair)
            null = o[1]
            mine = replace(sc.model, length=replace(sc.model.length, variance=own.length.variance))
            return (_lengths(mine, (rest, null)) - _lengths(mine, (bead,))) - (
                _lengths(sc.model, (rest, null)) - _lengths(sc.model, (bead,))
            )

        first = refine_with(model, steps, doc, extra=extra)
        return refine_with(with_priors(model, first, []), steps, doc, extra=extra)

    return run


def rel(gate: str, cost: str, lengths: bool = False) -> Variant:
    """The relative evidence as the null option's gate (``holds``: the shipped gate only;
    ``or``: also offered where the evidence is positive; ``only``: offered where it is
    positive) and in its cost (``none``; ``add``: the evidence subtracted from the null
    option's cost; ``replace``: in place of the lexical part of the null option's cost
    difference), both readings of the shipped refinement; ``lengths``: the null option also
    weighed against its kept bead with the lengths under the text's own variance
    (:func:`own_variance`; gate ``all``: a null offered for every edge sentence)."""

    def once(model: Model, steps: Sequence[Step], doc: devsets.Doc, path: Sequence[Step]):
        def held(sc: R.Scorer) -> Held:
            def gated(bead: Span, k: int | None, m_: int | None) -> bool:
                if gate == "all":
                    return False
                if gate == "holds":
                    return sc.holds(bead, k, m_)
                positive = rel_evidence(sc, path, doc, bead, k, m_) > 0
                if gate == "or":
                    return sc.holds(bead, k, m_) and not positive
                return not positive

            return gated

        def extra(sc: R.Scorer, o: Option, pair: tuple[Span, Span]) -> float:
            return lengths_extra(sc, o, pair) + evidence_extra(sc, o, pair)

        variance = own_variance(model, steps)

        def lengths_extra(sc: R.Scorer, o: Option, pair: tuple[Span, Span]) -> float:
            if not lengths:
                return 0.0
            bead, rest, _, _ = edge_of(o, pair)
            mine = replace(sc.model, length=replace(sc.model.length, variance=variance))
            return (_lengths(mine, (rest, o[1])) - _lengths(mine, (bead,))) - (
                _lengths(sc.model, (rest, o[1])) - _lengths(sc.model, (bead,))
            )

        def evidence_extra(sc: R.Scorer, o: Option, pair: tuple[Span, Span]) -> float:
            if cost == "none":
                return 0.0
            bead, rest, k, m_ = edge_of(o, pair)
            evidence = rel_evidence(sc, path, doc, bead, k, m_)
            if cost.startswith("rest"):
                evidence += rest_evidence(sc, path, doc, bead, k, m_)
                cost_kind = cost[len("rest-") :]
            else:
                cost_kind = cost
            if cost_kind == "add":
                return -evidence
            lex = sc.model.config.lexical_weight / 2
            return -lex * (sc._coverage(bead) - sc._coverage(rest)) - evidence

        return refine_with(model, steps, doc, held=held, extra=extra)

    def run(model: Model, steps: Sequence[Step], doc: devsets.Doc) -> Sequence[Step]:
        first = once(model, steps, doc, steps)
        return once(with_priors(model, first, []), steps, doc, steps)

    return run


def oracle(gate: str) -> Variant:
    def run(model: Model, steps: Sequence[Step], doc: devsets.Doc) -> Sequence[Step]:
        gold = set(doc.gold)

        def extra(sc: R.Scorer, o: Option, pair: tuple[Span, Span]) -> float:
            null = o[1]
            key = (tuple(range(null[0], null[1])), tuple(range(null[2], null[3])))
            return -1e3 if key in gold else 1e3

        gates: dict[str, Callable[[R.Scorer], Held] | None] = {
            "holds": None,
            "mate": mate_held,
            "all": lambda sc: lambda bead, k, m_: False,
        }
        return refine_with(model, steps, doc, held=gates[gate], extra=extra)

    return run


def uncrossed(model: Model, steps: Sequence[Step], doc: devsets.Doc) -> Sequence[Step]:
    """The refinement without the uncrossed splits, then each 2-2 bead that no word links across
    its diagonal beyond chance (``Scorer.links_across``) cut into its two 1-1 beads (the
    ``cross`` variant)."""
    sc = R.Scorer(model, True, doc.src, doc.tgt)
    out: list[Step] = []
    for s in R.refine(model, steps, doc.src, doc.tgt, uncrossed=False, moved=False):
        span = (s.i0, s.i1, s.j0, s.j1)
        if s.shape == (2, 2) and not sc.links_across(span, s.i0 + 1, s.j0 + 1):
            out.append(Step(s.i0, s.i0 + 1, s.j0, s.j0 + 1, 0.0))
            out.append(Step(s.i0 + 1, s.i1, s.j0 + 1, s.j1, 0.0))
        else:
            out.append(s)
    return out


def _diagonal(
    sc: R.Scorer, a: Span, b: Span, holds: Callable[[float, float], bool]
) -> list[Option]:
    """The diagonal split of either bead, if 2-2, where ``holds(own, across)`` for each of its
    four sentences: the mass of its links to its diagonal partner and across the diagonal."""
    out: list[Option] = []
    for bead, first in ((a, True), (b, False)):
        i0, i1, j0, j1 = bead
        if (i1 - i0, j1 - j0) != (2, 2):
            continue
        links = sc.links(bead)
        # (own, across) link keys of each sentence: sources keyed in ``src``, targets in ``tgt``.
        tl, tr_, bl, br = (i0, j0), (i0, j0 + 1), (i0 + 1, j0), (i0 + 1, j0 + 1)
        src, tgt = links.src, links.tgt
        pairs = ((src, tl, tr_), (src, br, bl), (tgt, tl, bl), (tgt, br, tr_))
        if all(holds(side.get(o, 0.0), side.get(c, 0.0)) for side, o, c in pairs):
            parts = ((i0, i0 + 1, j0, j0 + 1), (i0 + 1, i1, j0 + 1, j1))
            out.append((*parts, b) if first else (a, *parts))
    return out


def _diagonal_splits(sc: R.Scorer, a: Span, b: Span) -> list[Option]:
    """The diagonal split of either bead, if 2-2, where each of its four sentences links more
    of its words to its diagonal partner than across the diagonal."""
    return _diagonal(sc, a, b, lambda own, across: own > across)


def _exclusive_diagonal_splits(sc: R.Scorer, a: Span, b: Span) -> list[Option]:
    """The diagonal split of either bead, if 2-2, where each of its four sentences links to its
    diagonal partner and none links across the diagonal at all (two verse pairs, each linking
    only within itself)."""
    return _diagonal(sc, a, b, lambda own, across: own > 0.0 and across == 0.0)


def _both(
    *mores: Callable[[R.Scorer, Span, Span], list[Option]],
) -> Callable[[R.Scorer, Span, Span], list[Option]]:
    """Every option of each of ``mores``."""

    def more(sc: R.Scorer, a: Span, b: Span) -> list[Option]:
        return [o for m in mores for o in m(sc, a, b)]

    return more


def _edge_splits(mean: bool, unambiguous: bool) -> Callable[[R.Scorer, Span, Span], list[Option]]:
    """The ``edge`` variant's splits (:mod:`aligner.scoring.moved_clauses`), the run read as
    each crossing word beyond each own word or (``mean``) their weighted mean positions."""
    held: dict[int, MovedClauses] = {}

    def more(sc: R.Scorer, a: Span, b: Span) -> list[Option]:
        got = held.get(id(sc))
        if got is None:
            held.clear()
            got = held[id(sc)] = MovedClauses(
                sc, sc.src_words.sentences, sc.tgt_words.sentences, mean, unambiguous
            )
        return edge_splits(a, b, sc.model.config.shapes, got.held)

    return more


def _mate_extra(sc: R.Scorer, o: Option, pair: tuple[Span, Span]) -> float:
    bead, _, k, m_ = edge_of(o, pair)
    return sc.cost(bead) - mate_cost(sc, bead, k, m_)


VARIANTS: dict[str, Variant] = {
    "base": lambda m, s, d: R.refine(m, s, d.src, d.tgt),
    "loop": lambda m, s, d: refine_with(m, s, d),
    "once": lambda m, s, d: R.refine(m, s, d.src, d.tgt, own_priors=False),
    "start": lambda m, s, d: R.refine(
        m, s, d.src, d.tgt, uncrossed=False, moved=False, own_priors=False
    ),
    "uncrossed": lambda m, s, d: R.refine(m, s, d.src, d.tgt, moved=False, own_priors=False),
    "mate": lambda m, s, d: refine_with(m, s, d, held=mate_held),
    "mate-cost": lambda m, s, d: refine_with(m, s, d, held=mate_held, extra=_mate_extra),
    "null-prior": reprior([(1, 0), (0, 1)]),
    "all-priors": reprior([]),
    "llr-gate": llr(False),
    "llr-cost": llr(True),
    "cross": uncrossed,
    "edge-all": lambda m, s, d: refine_with(m, s, d, more=_edge_splits(True, False), moved=False),
    "edge-run": lambda m, s, d: refine_with(m, s, d, more=_edge_splits(False, True), moved=False),
    "edge-run-all": lambda m, s, d: refine_with(
        m, s, d, more=_edge_splits(False, False), moved=False
    ),
    "diag-offer": lambda m, s, d: refine_with(
        m, s, d, more=_diagonal_splits, uncrossed=False, moved=False
    ),
    "diag-more": lambda m, s, d: refine_with(m, s, d, more=_diagonal_splits),
    "diag-excl": lambda m, s, d: refine_with(m, s, d, more=_exclusive_diagonal_splits),
    "twice": rel("holds", "none"),
    "rel-gate": rel("or", "none"),
    "rel-only": rel("only", "none"),
    "rel-add": rel("or", "add"),
    "rel-add-holds": rel("holds", "add"),
    "rel-cost": rel("or", "replace"),
    "rel-cost-holds": rel("holds", "replace"),
    "var-null": variance_variant("null"),
    "var-all": variance_variant("all"),
    "var-gate": rel("or", "none", lengths=True),
    "var-every": rel("all", "none", lengths=True),
    "var-add-holds": rel("holds", "add", lengths=True),
    "var-holds": rel("holds", "none", lengths=True),
    "rest-add": rel("or", "rest-add"),
    "rest-add-holds": rel("holds", "rest-add"),
    "rest-cost": rel("or", "rest-replace"),
    "rest-cost-holds": rel("holds", "rest-replace"),
    "oracle-holds": oracle("holds"),
    "oracle-mate": oracle("mate"),
    "oracle-all": oracle("all"),
}


def _beads(steps: Sequence[Step]) -> list[Bead]:
    return [(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1))) for s in steps]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--families", default="", help="tb,tr,pieces,ot-ru,ot-en,b2k (all)")
    parser.add_argument("--no-dictionaries", action="store_true")
    parser.add_argument("--classes", action="store_true", help="error regions by class too")
    parser.add_argument("--words-linked", action="store_true", help="rel-*: words, not mass")
    default_cache = Path(os.environ.get("TMPDIR", "/tmp")) / "aligner-refine-variants"
    parser.add_argument("--cache", type=Path, default=default_cache)
    args = parser.parse_args()
    global WORDS_LINKED
    WORDS_LINKED = args.words_linked
    cfg = AlignConfig(builtin_dictionary=not args.no_dictionaries)
    cache = args.cache / ("shipped" if cfg.builtin_dictionary else "none")
    families = set(filter(None, args.families.split(",")))
    docs = [(f, d) for f, d in documents(cfg.builtin_dictionary) if not families or f in families]
    states = {d.name: pass_two(d, cfg, cache) for _, d in docs}
    for name in args.variants.split(","):
        variant = VARIANTS[name]
        found: dict[str, list[tuple[list[Bead], list[Bead]]]] = {}
        start = time.process_time()
        for family, d in docs:
            model, steps = states[d.name]
            found.setdefault(family, []).append((_beads(variant(model, steps, d)), list(d.gold)))
        cells = " ".join(f"{f} {evaluate_documents(r).strict_f1:.4f}" for f, r in found.items())
        print(f"{name:14s} {cells}  cpu {time.process_time() - start:.1f} s", flush=True)
        if args.classes:
            for family, results in found.items():
                counts = Counter(classify(r) for p, g in results for r in regions(p, g))
                print(f"    {family}: " + ", ".join(f"{c} {counts[c]}" for c in CLASSES))


if __name__ == "__main__":
    main()
