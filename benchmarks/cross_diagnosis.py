"""What holds a predicted 2-2 bead together where the gold has two 1-1 beads (issue 20).

For each such region of the refined path (``refine_variants``' cached pass-2 states, the
variant given), the split of the 2-2 bead into the gold's two 1-1 beads is weighed as the
refinement weighs it: whether it is offered at all (the Model 1 test with the boundary marks,
``refine._options``), whether a word of either sentence links across the inner cut beyond
chance (``Scorer.links_across``), and the option's score difference (split less kept,
positive: the 2-2 wins) cut into its terms: the shape priors, the lengths' Gale–Church match,
the coverage, the cut's length evidence, the boundary marks and the rest (turns, paragraphs).
Run from the project root::

    python benchmarks/cross_diagnosis.py [--variant base] [--families ot-ru,ot-en] [--show 20]
"""

from __future__ import annotations

import argparse
import math
import os
import random
from collections import Counter
from pathlib import Path

import refine_variants as V
from error_regions import regions

from aligner.config import AlignConfig
from aligner.scoring import refine as R
from aligner.scoring.boundary_marks import BoundaryMarks
from aligner.scoring.cuts import cut_evidence

Span = tuple[int, int, int, int]


def terms(sc: R.Scorer, marks: BoundaryMarks, whole: Span, ci: int, cj: int) -> dict[str, float]:
    """The split's score less the kept bead's, by term (positive: the kept bead is cheaper)."""
    m, cfg = sc.model, sc.model.config
    i0, i1, j0, j1 = whole
    parts = ((i0, ci, j0, cj), (ci, i1, cj, j1))
    ln = m.length
    prior = cfg.length_weight * (
        -sum(math.log(ln.prior((p[1] - p[0], p[3] - p[2]))) for p in parts)
        + math.log(ln.prior((i1 - i0, j1 - j0)))
    )
    lengths = sum(R.bead_cost(m, *p, 0.0) for p in parts) - R.bead_cost(m, *whole, 0.0) - prior
    coverage = -cfg.lexical_weight / 2 * (sum(sc._coverage(p) for p in parts) - sc._coverage(whole))
    src_len, tgt_len = m.texts.src_len.tolist(), m.texts.tgt_len.tolist()
    cut = -cut_evidence(m.length, src_len, tgt_len, parts)
    mk = -marks(parts)
    total = sum(sc.cost(p) for p in parts) - sc.cost(whole) + cut + mk
    rest = total - prior - lengths - coverage - cut - mk
    return {
        "prior": prior,
        "lengths": lengths,
        "coverage": coverage,
        "cut": cut,
        "marks": mk,
        "rest": rest,
        "total": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="base")
    parser.add_argument("--families", default="ot-ru,ot-en", help="tb,tr,pieces,ot-ru,ot-en")
    parser.add_argument("--no-dictionaries", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="print this many regions, sampled")
    args = parser.parse_args()
    cfg = AlignConfig(builtin_dictionary=not args.no_dictionaries)
    cache = Path(os.environ.get("TMPDIR", "/tmp")) / "aligner-refine-variants"
    cache /= "shipped" if cfg.builtin_dictionary else "none"
    families = set(args.families.split(","))
    for family, d in V.documents(cfg.builtin_dictionary):
        if family not in families:
            continue
        model, steps = V.pass_two(d, cfg, cache)
        got = V.VARIANTS[args.variant](model, steps, d)
        sc = R.Scorer(model, True, d.src, d.tgt)
        marks = BoundaryMarks.learn([(s.i0, s.i1, s.j0, s.j1) for s in steps], d.src, d.tgt)
        gain = marks.added(sc.cut_gain)
        pass2 = {(s.i0, s.i1, s.j0, s.j1) for s in steps}
        found = []
        for pred, gold in regions(V._beads(got), d.gold):
            if len(pred) != 1 or len(gold) != 2:
                continue
            (ps, pt), g = pred[0], gold
            if (len(ps), len(pt)) != (2, 2) or any((len(s), len(t)) != (1, 1) for s, t in g):
                continue
            whole = (ps[0], ps[-1] + 1, pt[0], pt[-1] + 1)
            ci, cj = g[0][0][0] + 1, g[0][1][0] + 1
            if (ci, cj) != (ps[1], pt[1]):
                continue  # gold 1-1 beads crossing: not a diagonal split
            parts = ((whole[0], ci, whole[2], cj), (ci, whole[1], cj, whole[3]))
            t = terms(sc, marks, whole, ci, cj)
            offered = gain((whole,), parts) > 0
            across = sc.links_across(whole, ci, cj)
            if not offered:
                cls = "not offered"
            else:
                pos = {k: v for k, v in t.items() if k not in ("total",)}
                cls = "by " + max(pos, key=lambda k: pos[k])
            found.append((whole, ci, cj, cls, across, whole in pass2, t))
        gold = set(d.gold)
        twos = Counter(
            (
                V._beads([s])[0] in gold,
                sc.links_across((s.i0, s.i1, s.j0, s.j1), s.i0 + 1, s.j0 + 1),
            )
            for s in got
            if s.shape == (2, 2)
        )
        print(f"{family}: predicted 2-2 beads (right by gold, a link across): {dict(twos)}")
        print(f"{family}: {len(found)} regions 2-2 <- gold 1-1 1-1 (diagonal)")
        print("  class:", dict(Counter(f[3] for f in found)))
        print("  link across beyond chance:", dict(Counter((f[3], f[4]) for f in found)))
        print("  2-2 already on pass 2's path:", sum(f[5] for f in found))
        print("  the split cheaper:", dict(Counter((f[3], f[6]["total"] < 0) for f in found)))
        for k in ("prior", "lengths", "coverage", "cut", "marks", "rest", "total"):
            vals = sorted(f[6][k] for f in found)
            if vals:
                mid, low, high = vals[len(vals) // 2], vals[0], vals[-1]
                print(f"  {k:9s} median {mid:7.2f}  min {low:7.2f}  max {high:7.2f}")
        sample = random.Random(0).sample(found, min(args.show, len(found)))
        for whole, ci, cj, cls, across, _, t in sorted(sample):
            tt = " ".join(f"{k} {v:.2f}" for k, v in t.items())
            print(f"\n  {whole} cut ({ci},{cj}) {cls} across={across}  {tt}")
            for i in range(whole[0], whole[1]):
                print(f"    {d.src_lang} {i:>6} {d.src[i][:200]}")
            for j in range(whole[2], whole[3]):
                print(f"    {d.tgt_lang} {j:>6} {d.tgt[j][:200]}")


if __name__ == "__main__":
    main()
