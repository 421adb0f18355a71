"""The shape priors' Dirichlet strength estimated from each text's counts (issue 20, round eleven).

``LengthModel.refit`` smooths a path's shape counts toward Gale and Church's priors with a
fixed :data:`aligner.features.length.PRIOR_PSEUDO_BEADS` pseudo-beads. Here the strength is
chosen per text by empirical Bayes instead: the value maximising the Dirichlet-multinomial
marginal likelihood of the counts, the mean held at Gale and Church's priors (Thomas P. Minka
2000, "Estimating a Dirichlet distribution", the precision with the mean fixed; one scalar,
searched on a log grid then by golden section). ``posterior_strength`` integrates the strength
out instead (log-uniform over :data:`STRENGTH_RANGE`). ``estimated_refit`` is the shipped
refit with its priors smoothed under such a strength, for the variants of
``lexicon_variants.py`` and ``small_documents.py --prior-strength``.

Run from the project root to print each text's estimate from its pass-1 path (and gold)::

    python benchmarks/prior_strength.py [--texts tb,tr,tb4,ot-ru-3,...] [--gold]
"""

from __future__ import annotations

import argparse
import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from aligner.features import length as L
from aligner.features.length import LengthModel
from aligner.types import Shape

Strength = Callable[[Mapping[Shape, int], Mapping[Shape, float]], float]
#: Range searched for the strength, in pseudo-beads, and grid steps a decade.
STRENGTH_RANGE = (1.0, 1e6)
STEPS_PER_DECADE = 20
#: The shipped refit, kept for the variants that patch it.
SHIPPED_REFIT = LengthModel.refit


def loglik(strength: float, counts: Mapping[Shape, int], mean: Mapping[Shape, float]) -> float:
    """Dirichlet-multinomial log marginal likelihood of ``counts`` (without the multinomial
    coefficient, which does not depend on the strength)."""
    total = sum(counts.values())
    out = math.lgamma(strength) - math.lgamma(total + strength)
    for shape, n in counts.items():
        if n:
            a = strength * mean[shape]
            out += math.lgamma(n + a) - math.lgamma(a)
    return out


def _grid() -> np.ndarray:
    lo, hi = (math.log10(x) for x in STRENGTH_RANGE)
    return np.logspace(lo, hi, round((hi - lo) * STEPS_PER_DECADE) + 1)


def map_strength(counts: Mapping[Shape, int], mean: Mapping[Shape, float]) -> float:
    """The most likely strength: the grid's best point refined by golden-section search."""
    grid = np.log(_grid())

    def f(x: float) -> float:
        return loglik(math.exp(x), counts, mean)

    best = max(range(grid.size), key=lambda k: f(grid[k]))
    a, b = grid[max(0, best - 1)], grid[min(grid.size - 1, best + 1)]
    golden = (math.sqrt(5) - 1) / 2
    for _ in range(30):
        c, d = b - golden * (b - a), a + golden * (b - a)
        if f(c) >= f(d):
            b = d
        else:
            a = c
    return math.exp((a + b) / 2)


def posterior_strength(counts: Mapping[Shape, int], mean: Mapping[Shape, float]) -> float:
    """The strength whose smoothed priors are the posterior mean of the shape probabilities,
    the strength integrated out: the counts' mixture weight ``N / (N + a)`` averaged."""
    total = sum(counts.values())
    grid = _grid()
    ll = np.array([loglik(float(a), counts, mean) for a in grid])
    w = np.exp(ll - ll.max())
    weight = float(np.sum(w * total / (total + grid)) / np.sum(w))
    return total * (1 - weight) / weight


def gc_mean(shapes: set[Shape]) -> dict[Shape, float]:
    """Gale and Church's priors over ``shapes``, normalised (the mean refit smooths toward)."""
    base = {s: L.shape_prior(s) for s in shapes}
    norm = sum(base.values())
    return {s: base[s] / norm for s in shapes}


def estimated_refit(strength: Strength = map_strength) -> Callable[..., LengthModel]:
    """``LengthModel.refit`` with the priors smoothed under ``strength`` of the counts."""

    def refit(self: LengthModel, shape_counts: Mapping[Shape, int], *lengths: Any) -> LengthModel:
        fitted = SHIPPED_REFIT(self, shape_counts, *lengths)
        total = sum(shape_counts.values())
        if total == 0:
            return fitted
        mean = gc_mean(set(shape_counts) | set(self.priors) | set(L.GC_PRIORS))
        a = strength(shape_counts, mean)
        priors = {s: (shape_counts.get(s, 0) + a * m) / (total + a) for s, m in mean.items()}
        return replace(fitted, priors=priors)

    return refit


def _report(name: str, counts: Counter[Shape]) -> None:
    mean = gc_mean(set(counts) | set(L.GC_PRIORS))
    ref = loglik(STRENGTH_RANGE[1], counts, mean)
    ll = " ".join(f"{loglik(a, counts, mean) - ref:6.1f}" for a in (10, 30, 100, 300, 1e3, 1e4))
    top = " ".join(f"{i}-{j}:{k}" for (i, j), k in counts.most_common(8))
    print(
        f"{name:34s} N={sum(counts.values()):5d} map {map_strength(counts, mean):8.1f} "
        f"mean {posterior_strength(counts, mean):8.1f}  ll {ll}  {top}",
        flush=True,
    )


def main() -> None:
    import devsets
    from lexicon_variants import PARTS, part
    from refine_variants import documents
    from small_documents import texts

    from aligner.config import AlignConfig
    from aligner.pipeline import STAGE_SHARES
    from aligner.pipeline.run import _first
    from aligner.progress import Stages

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", default="tb,tr,tb4,tb3,tb6,tr2,ot-ru-3,ot-en-3")
    parser.add_argument("--gold", action="store_true", help="the estimate from gold's shapes too")
    args = parser.parse_args()
    cfg = AlignConfig()
    which = args.texts.split(",")
    docs: list[tuple[str, devsets.Doc]] = [
        (f"{f} {d.name[:28]}", d) for f, d in documents(True) if f in which
    ]
    for lang in ("ru", "en"):
        if f"ot-{lang}-3" in which:
            (ot,) = [d for d in devsets.perturbed_ot() if d.tgt_lang == lang]
            docs += [(f"ot-{lang}-{k + 1}/{PARTS}", part(ot, k)) for k in range(PARTS)]
    for name in which:
        if name[:2] in ("tb", "tr") and name[2:].isdigit():
            docs += [(f"{name} {p.doc.name[:28]}", p.doc) for _, ps in texts(name) for p in ps]
    print("strength per text from pass 1's path (ll: log marginal likelihood at 10 ... 1e4")
    print("pseudo-beads less that at 1e6)")
    for name, d in docs:
        stages = Stages(None, STAGE_SHARES)
        first = _first(d.src, d.tgt, d.src_lang, d.tgt_lang, (), (), cfg, (), (), stages)
        assert first.state is not None
        steps = first.state[2]
        _report(name, Counter((s.i1 - s.i0, s.j1 - s.j0) for s in steps))
        if args.gold:
            _report(f"  gold {name}", Counter((len(s), len(t)) for s, t in d.gold))


if __name__ == "__main__":
    main()
