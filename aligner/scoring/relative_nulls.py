"""The null option weighed against the text's own translated sentences: their links and lengths.

The refinement's null options (:mod:`aligner.scoring.null_options`) are priced by constants
shared by every text, but how closely a translated sentence follows its counterpart is a
property of the translation: a literal one (the Bible) matches its verses' lengths closely, a
free one (an abridged novel) loosely; one table links more of a sentence's words than another.
Here a null option is weighed against the kept bead by two amounts measured on the text itself:

* its lengths under the text's own variance: Gale and Church's deviation of the path's 1-1
  beads, its moment estimate (their constant variance stays for every other option; in the
  search a smaller one made pass 2 trust lengths too much, ``LengthModel.refit``);
* the evidence of its words: on a sample of the path's 1-1 beads each sentence's linked share
  (exclusive links, as the refinement links a bead) times its number of informative words is
  read against its counterpart ("translated") and against the sentences next to its counterpart
  ("untranslated": the neighbourhood's chance level, the words a verse shares with the verses
  around it), as many as the bead has on the other side; each hypothesis a beta-binomial
  (Skellam 1948), its mean share and its spread across sentences fitted by maximum likelihood,
  and the edge sentence's evidence the log ratio of the two, in nats.

J. G. Skellam (1948), "A Probability Distribution Derived from the Binomial Distribution by
Regarding the Probability of Success as Variable between the Sets of Trials", Journal of the
Royal Statistical Society B 10(2).
William A. Gale and Kenneth W. Church (1993), "A Program for Aligning Sentences in Bilingual
Corpora", Computational Linguistics 19(1).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from aligner.scoring.cost import Model

if TYPE_CHECKING:
    from aligner.scoring.refine import Scorer

Span = tuple[int, int, int, int]  # i0, i1, j0, j1
#: 1-1 beads of the path read for each hypothesis (evenly spaced; two parameters each).
SAMPLE = 600
#: The spreads tried for the maximum-likelihood fit: the beta-binomial's intra-class
#: correlation, from nearly binomial to nearly all-or-nothing, on a log scale.
SPREADS = tuple(10 ** (-4 + 4 * i / 40) for i in range(40))
#: A sentence's (words linked, informative words), given (a source sentence?, the sentence,
#: the other side's sentences).
Share = Callable[[bool, int, range], tuple[float, float]]


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
        lgamma = math.lgamma
        for rho in SPREADS:
            total = (1.0 - rho) / rho
            got = cls(mean * total, (1.0 - mean) * total)
            alpha, beta = got.alpha, got.beta
            # log_prob summed, its constant once and each n's normaliser once (the fit's time
            # is these log-gamma calls).
            norms: dict[float, float] = {}
            ll = -len(observed) * _log_beta(alpha, beta)
            for x, n in observed:
                norm = norms.get(n)
                if norm is None:
                    norm = norms[n] = lgamma(n + alpha + beta)
                ll += lgamma(x + alpha) + lgamma(n - x + beta) - norm
            if best is None or ll > best[0]:
                best = (ll, got)
        assert best is not None
        return best[1]


@dataclass
class RelativeNulls:
    """What the text's own 1-1 beads say of a null option: the length variance, and each
    side's and width's two link distributions (fitted when first asked)."""

    share: Share
    ones: Sequence[tuple[int, int]]
    n_src: int
    n_tgt: int
    variance: float
    fitted: dict[tuple[bool, int], tuple[BetaBinomial, BetaBinomial]] = field(default_factory=dict)

    @classmethod
    def learn(cls, scorer: Scorer, path: Sequence[Span]) -> RelativeNulls:
        """The reader of ``path``'s 1-1 beads (those followed by a 1-1 bead, so that the
        sentences next to each counterpart exist), its links read by ``scorer``."""

        def share(src: bool, k: int, others: range) -> tuple[float, float]:
            a, b = others.start, others.stop
            span = (k, k + 1, a, b) if src else (a, b, k, k + 1)
            return linked(scorer, span, k if src else None, None if src else k)

        ones = [
            (a[0], a[2])
            for a, b in pairwise(path)
            if (a[1] - a[0], a[3] - a[2]) == (1, 1) and (b[1] - b[0], b[3] - b[2]) == (1, 1)
        ]
        step = max(1, len(ones) // SAMPLE)
        texts = scorer.model.texts
        return cls(
            share,
            ones[::step][:SAMPLE],
            texts.src.n,
            texts.tgt.n,
            own_variance(scorer.model, path),
        )

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

    def evidence(self, src: bool, width: int, words: tuple[float, float]) -> float:
        """``log P(links | untranslated) - log P(links | translated)`` of a sentence (a source
        sentence if ``src``) with ``words`` = (words linked, informative words) inside a bead
        of ``width`` sentences on the other side."""
        x, n = words
        if n <= 0 or not self.ones:
            return 0.0
        yes, no = self._models(src, width)
        return no.log_prob(x, n) - yes.log_prob(x, n)

    def weigh(self, scorer: Scorer, option: Sequence[Span], a: Span, b: Span) -> float:
        """What to add to the cost of the null option ``option`` made from the beads ``a`` and
        ``b``: its lengths against the kept bead's under the text's variance instead of the
        model's, less the evidence that its sentence is untranslated."""
        bead, rest, null = (
            (a, option[0], option[1]) if option[2] == b else (b, option[2], option[1])
        )
        src = null[1] > null[0]
        width = bead[3] - bead[2] if src else bead[1] - bead[0]
        k, m_ = (null[0], None) if src else (None, null[2])
        model = scorer.model
        own = replace(model, length=replace(model.length, variance=self.variance))
        moved = _lengths(own, (rest, null)) - _lengths(own, (bead,))
        moved -= _lengths(model, (rest, null)) - _lengths(model, (bead,))
        return moved - self.evidence(src, width, linked(scorer, bead, k, m_))


def own_variance(model: Model, path: Sequence[Span]) -> float:
    """The text's own length variance: the mean of Gale and Church's squared deviation
    ``(l2 - c l1)^2 / mean length`` over ``path``'s 1-1 beads (its moment estimate)."""
    sl, tl, c = model.texts.src_len, model.texts.tgt_len, model.length.ratio
    total, count = 0.0, 0
    for i0, i1, j0, j1 in path:
        if (i1 - i0, j1 - j0) == (1, 1):
            l1, l2 = float(sl[i1] - sl[i0]), float(tl[j1] - tl[j0])
            total += (l2 - c * l1) ** 2 / max((l1 + l2 / c) / 2, 1.0)
            count += 1
    return total / count if count and total > 0 else model.length.variance


def _lengths(model: Model, spans: Sequence[Span]) -> float:
    """The weighted length costs of ``spans`` (their priors included) under ``model``."""
    sl, tl = model.texts.src_len, model.texts.tgt_len
    out = 0.0
    for i0, i1, j0, j1 in spans:
        l1, l2 = np.array([sl[i1] - sl[i0]]), np.array([tl[j1] - tl[j0]])
        out += float(model.length.cost((i1 - i0, j1 - j0), l1, l2)[0])
    return model.config.length_weight * out


def linked(scorer: Scorer, span: Span, k: int | None, m_: int | None) -> tuple[float, float]:
    """(words linked, informative words) of source sentence ``k`` (or target ``m_``) inside
    the bead ``span``: its linked share of its weighted mass times its number of words."""
    i0, i1, j0, j1 = span
    links = scorer.links(span)
    if k is not None:
        words, mass = scorer.src_words(k), float(scorer.model.texts.src.mass[k])
        got = links.src_mass(k, range(j0, j1))
    else:
        assert m_ is not None
        words, mass = scorer.tgt_words(m_), float(scorer.model.texts.tgt.mass[m_])
        got = links.tgt_mass(m_, range(i0, i1))
    n = float(len(words))
    return (n * min(1.0, got / mass) if mass > 0 else 0.0, n)
