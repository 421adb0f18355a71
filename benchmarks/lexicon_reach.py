"""How far the pass-2 table reaches into the gold beads of the dev sets, and why it falls short.

For every gold bead with sentences on both sides, each matchable source word (weight above zero
in the pass-2 model) is *linked* when the pass-2 table pairs it with a word of the bead's
target sentences, and likewise each target word. Gold beads are split into those the aligner
got right (after the refinement) and those inside an error region (``error_regions.py``), and
the unlinked words are put into one of these causes, first that holds:

* ``hapax``: the word's lemma (its form without lemmas) occurs in one sentence of its text:
  IBM Model 1 is trained only on words seen twice (``ibm1.MIN_COOCCURRENCE``);
* ``no-lemma``: the lemmatiser left the word alone and no other form shares its key, so its
  forms count apart (Russian inflection simplemma does not know);
* ``unlearned``: seen twice or more under one key but given no translation at all (pruned by
  the thresholds, or lost to a frequent word in Model 1's EM);
* ``elsewhere``: the table has translations for it, none in this bead.

Also the share of error regions with a gold bead whose linked share (of word weight, both
sides) is below :data:`LOW`, against the same share of right gold beads. Uses
``refine_variants.py``'s cached pass-2 states. Run from the project root::

    python benchmarks/lexicon_reach.py [--families tb,tr,ot-ru,ot-en] [--no-dictionaries]
        [--show 5]
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from error_regions import regions
from refine_variants import VARIANTS, documents, pass_two

from aligner.config import AlignConfig
from aligner.features.tokens import Side
from aligner.scoring.cost import Model

Bead = tuple[tuple[int, ...], tuple[int, ...]]
CAUSES = ("hapax", "no-lemma", "unlearned", "elsewhere")
#: A gold bead "the table barely reaches": less than this share of its word weight linked.
LOW = 0.25


def _tokens(side: Side) -> list[np.ndarray]:
    """Each sentence's matchable tokens."""
    live = side.weight[side.occ_tok] > 0
    starts = np.searchsorted(side.occ_sent[live], np.arange(side.n + 1))
    toks = side.occ_tok[live]
    return [toks[starts[k] : starts[k + 1]] for k in range(side.n)]


class Reach:
    """The table's entries and each side's word keys, to read a gold bead's links."""

    def __init__(self, model: Model) -> None:
        self.model = model
        t = model.table
        self.pairs = set(zip(t.src.tolist(), t.tgt.tolist(), strict=True))
        self.has = (set(t.src.tolist()), set(t.tgt.tolist()))
        self.sides = (model.texts.src, model.texts.tgt)
        self.toks = (_tokens(self.sides[0]), _tokens(self.sides[1]))
        self.key_df = tuple(self._key_df(s) for s in self.sides)
        self.alone = tuple(self._alone(s) for s in self.sides)

    @staticmethod
    def _key_df(side: Side) -> np.ndarray:
        keys = side.lemma if side.lemma else side.vocab
        index: dict[str, int] = {}
        group = np.fromiter((index.setdefault(k, len(index)) for k in keys), np.int64, len(keys))
        sents = np.unique(group[side.occ_tok] * np.int64(side.n + 1) + side.occ_sent)
        df = np.bincount(sents // (side.n + 1), minlength=len(index))
        return df[group]

    @staticmethod
    def _alone(side: Side) -> np.ndarray:
        if not side.lemma:
            return np.ones(len(side.vocab), np.bool_)
        size = Counter(side.lemma)
        return np.array(
            [lem == w and size[lem] == 1 for w, lem in zip(side.vocab, side.lemma, strict=True)]
        )

    def bead(self, bead: Bead) -> tuple[float, Counter[str], list[tuple[int, str, str]]]:
        """Linked share of the bead's word weight, causes of the unlinked words, and those words
        (side, word, cause)."""
        s_toks = {int(x) for i in bead[0] for x in self.toks[0][i]}
        t_toks = {int(x) for j in bead[1] for x in self.toks[1][j]}
        linked = total = 0.0
        causes: Counter[str] = Counter()
        words: list[tuple[int, str, str]] = []
        for side, mine, other in ((0, s_toks, t_toks), (1, t_toks, s_toks)):
            w = self.sides[side].weight
            for tok in mine:
                total += w[tok]
                hit = any(((tok, o) if side == 0 else (o, tok)) in self.pairs for o in other)
                if hit:
                    linked += w[tok]
                    continue
                cause = self._cause(side, tok)
                causes[cause] += 1
                words.append((side, self.sides[side].vocab[tok], cause))
        return (linked / total if total else 1.0), causes, words

    def _cause(self, side: int, tok: int) -> str:
        if self.key_df[side][tok] < 2:
            return "hapax"
        if tok in self.has[side]:
            return "elsewhere"
        if self.alone[side][tok]:
            return "no-lemma"
        return "unlearned"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default="tb,tr,ot-ru,ot-en")
    parser.add_argument("--no-dictionaries", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="unlinked words of N error beads")
    default_cache = Path(os.environ.get("TMPDIR", "/tmp")) / "aligner-refine-variants"
    parser.add_argument("--cache", type=Path, default=default_cache)
    args = parser.parse_args()
    cfg = AlignConfig(builtin_dictionary=not args.no_dictionaries)
    cache = args.cache / ("shipped" if cfg.builtin_dictionary else "none")
    families = set(args.families.split(","))
    by_family: dict[str, list] = {}
    for family, doc in documents(cfg.builtin_dictionary):
        if family in families:
            by_family.setdefault(family, []).append(doc)
    for family, docs in by_family.items():
        stats = {"right": [], "error": []}
        causes = {"right": Counter(), "error": Counter()}
        low_regions = n_regions = 0
        shown: list[tuple[str, list[tuple[int, str, str]]]] = []
        for doc in docs:
            model, steps = pass_two(doc, cfg, cache)
            refined = VARIANTS["base"](model, steps, doc)
            pred = [(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1))) for s in refined]
            gold: Sequence[Bead] = list(doc.gold)
            reach = Reach(model)
            wrong: set[Bead] = set()
            for _, g in regions(pred, gold):
                n_regions += 1
                full = [b for b in g if b[0] and b[1]]
                wrong.update(full)
                shares = [reach.bead(b)[0] for b in full]
                low_regions += any(x < LOW for x in shares)
                if len(shown) < args.show and full:
                    words = [w for b in full for w in reach.bead(b)[2]]
                    shown.append((f"{doc.name} {full}", words))
            for b in gold:
                if b[0] and b[1]:
                    share, c, _ = reach.bead(b)
                    kind = "error" if b in wrong else "right"
                    stats[kind].append(share)
                    causes[kind].update(c)
        print(f"{family}: {n_regions} error regions, {low_regions} with a gold bead < {LOW}")
        for kind in ("right", "error"):
            arr = np.array(stats[kind]) if stats[kind] else np.zeros(1)
            total = sum(causes[kind].values()) or 1
            cells = ", ".join(f"{c} {causes[kind][c] / total:.2f}" for c in CAUSES)
            print(
                f"  {kind:5s} beads {len(stats[kind]):5d}: linked share mean {arr.mean():.3f}"
                f" median {np.median(arr):.3f}, < {LOW}: {np.mean(arr < LOW):.3f};"
                f" unlinked words {total} per bead {total / max(len(stats[kind]), 1):.2f}"
                f" ({cells})"
            )
        for name, words in shown:
            print("   ", name, " ".join(f"{'st'[s]}:{w}({c[0]})" for s, w, c in words))


if __name__ == "__main__":
    main()
