"""The aligner's errors on the dev sets, grouped into regions and classed by what went wrong.

A region is a connected group of wrong predicted beads and missed gold beads (two beads connect
when they share a sentence): one boundary decision gone wrong is one region, whatever it costs
in beads. Each region is classed by comparing its predicted and gold beads:

* ``merged-null``: a gold null (1-0 / 0-1) joined to a neighbour's bead;
* ``split-null``: nulls the gold does not have;
* ``merged``: gold beads made one (no null involved);
* ``split``: a gold bead cut in two or more;
* ``moved``: as many beads as gold, a boundary in the wrong place;

and by its shapes (``2-1 <- gold 1-0 1-1``). Run from the project root::

    python benchmarks/error_regions.py [--sets main,perturbed] [--show 10] [--only merged-null]

``main`` is Text+Berg dev (whole) and the five TransRead books, ``perturbed`` the Old Testament
with joined and dropped verses (``devsets.perturbed_ot``). Gold nulls that list several
sentences are split into one per sentence (``devsets.split_nulls``), as the calibration scores
them. Default settings (shipped dictionaries).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

import devsets

from aligner.pipeline import align

Bead = tuple[tuple[int, ...], tuple[int, ...]]
Region = tuple[list[Bead], list[Bead]]
#: The classes, in the order they are printed.
CLASSES = ("merged-null", "split-null", "merged", "split", "moved")


def regions(predicted: Sequence[Bead], gold: Sequence[Bead]) -> list[Region]:
    """The wrong predicted beads and the missed gold beads, grouped where they share a
    sentence; each group's (predicted, gold) beads in order, groups in text order."""
    pred, truth = set(predicted), set(gold)
    items = [(True, b) for b in predicted if b not in truth]
    items += [(False, b) for b in gold if b not in pred]
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[tuple[str, int], int] = {}
    for n, (_, (src, tgt)) in enumerate(items):
        for key in [("s", i) for i in src] + [("t", j) for j in tgt]:
            if key in owner:
                parent[find(n)] = find(owner[key])
            else:
                owner[key] = n
    groups: dict[int, list[tuple[bool, Bead]]] = {}
    for n, item in enumerate(items):
        groups.setdefault(find(n), []).append(item)

    def first(b: Bead) -> tuple[int, int]:
        return (min(b[0], default=-1), min(b[1], default=-1))

    out = [
        (sorted(b for p, b in g if p), sorted(b for p, b in g if not p)) for g in groups.values()
    ]
    return sorted(out, key=lambda r: min(first(b) for b in r[0] + r[1]))


def _nulls(beads: Sequence[Bead]) -> int:
    return sum(1 for s, t in beads if not s or not t)


def classify(region: Region) -> str:
    """One of :data:`CLASSES` for a region."""
    pred, gold = region
    if _nulls(gold) and len(pred) < len(gold) and _nulls(pred) < _nulls(gold):
        return "merged-null"
    if _nulls(pred) > _nulls(gold):
        return "split-null"
    if len(pred) < len(gold):
        return "merged"
    if len(pred) > len(gold):
        return "split"
    return "moved"


def shapes(region: Region) -> str:
    """The region's predicted and gold shapes, as ``2-1 <- gold 1-0 1-1``."""
    pred, gold = region
    p = " ".join(sorted(f"{len(s)}-{len(t)}" for s, t in pred))
    g = " ".join(sorted(f"{len(s)}-{len(t)}" for s, t in gold))
    return f"{p} <- gold {g}"


def _show(doc: devsets.Doc, region: Region, width: int = 110) -> None:
    pred, gold = region
    print(f"  {classify(region)}: predicted {pred}, gold {gold}")
    for i in sorted({i for s, _ in pred + gold for i in s}):
        print(f"     {doc.src_lang} {i:>6} {doc.src[i][:width]}")
    for j in sorted({j for _, t in pred + gold for j in t}):
        print(f"     {doc.tgt_lang} {j:>6} {doc.tgt[j][:width]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="main,perturbed", help="main, perturbed or both")
    parser.add_argument("--show", type=int, default=0, help="print this many regions per document")
    parser.add_argument("--only", choices=CLASSES, help="show regions of this class only")
    parser.add_argument("--top", type=int, default=8, help="shape signatures listed per document")
    args = parser.parse_args()
    sets = set(args.sets.split(","))
    docs: list[devsets.Doc] = []
    if "main" in sets:
        docs += [devsets.textberg_whole(), *devsets.transread()]
    if "perturbed" in sets:
        docs += devsets.perturbed_ot()
    print("| document | regions | " + " | ".join(CLASSES) + " |")
    print("|---|---|" + "---|" * len(CLASSES))
    found: list[tuple[devsets.Doc, list[Region]]] = []
    for d in docs:
        result = align(d.src, d.tgt, src_lang=d.src_lang, tgt_lang=d.tgt_lang)
        got = regions([(b.src, b.tgt) for b in result.beads], d.gold)
        found.append((d, got))
        counts = Counter(classify(r) for r in got)
        cells = " | ".join(str(counts[c]) for c in CLASSES)
        print(f"| {d.name} | {len(got)} | {cells} |")
    for d, got in found:
        print(f"\n{d.name}, most frequent shapes:")
        for signature, n in Counter(shapes(r) for r in got).most_common(args.top):
            print(f"  {n:5d}  {signature}")
        shown = [r for r in got if args.only is None or classify(r) == args.only]
        for r in shown[: args.show]:
            _show(d, r)


if __name__ == "__main__":
    main()
