"""What aligning a small document loses: a dev text aligned whole against the same gold cut
into pieces, and which estimate learned from the text's own path loses it.

Issue 20's held-out Text+Berg documents are each smaller than the dev file, and Text+Berg dev
cut at gold-bead boundaries reads lower than aligned whole. Each piece is scored three ways on
its own gold: ``whole``, the beads of the whole document's alignment restricted to the piece
(a bead crossing the piece's edge is clipped, and counts wrong unless gold has it clipped);
``alone``, the piece aligned by itself (the shipped ``align``: pass 1, pass 2, the
refinement); and ``alone`` with one estimate taken from the whole document's instead of the
piece's own (the rest learned from the piece), one at a time:

* refinement, on the piece's own pass-2 model and path: ``own-priors`` the second reading's
  shape priors (:mod:`aligner.scoring.own_priors`) counted on the whole's first reading;
  ``marks`` the punctuation evidence (:mod:`aligner.scoring.boundary_marks`) learned on the
  whole path (``marks-path``: learned on the piece's sentences from the whole's path
  restricted to the piece); ``variance`` the null options' length variance
  (:mod:`aligner.scoring.relative_nulls`); ``refine-all`` the three;
* pass 2, the piece realigned from its own pass 1: ``ratio`` the length ratio and variance,
  ``priors`` the shape priors refitted on the whole's pass 1 (``LengthModel.refit``;
  ``pooled-priors``: on the document's pieces' own passes 1 together, as a batch could pool
  them),
  ``chance`` the sentences' chance levels (read from the whole's pass-2 model), ``baseline``
  the coverage baseline, ``turns`` the costs of a bead opening a turn of dialogue on one
  side (:mod:`aligner.features.turns`), ``lexicon`` the lexicon the whole's pass 2 learned
  (IBM Model 1 on the whole's pass-1 beads, ``passes.learned_table``) read on the piece's
  words by their form;
  ``pass-all`` the six; ``all`` the six and the refinement's three.

Texts:
``tb4`` Text+Berg dev in four pieces (``devsets.textberg``'s cut), ``tb3``, ``tb6``, and
``tr2`` / ``tr3`` each TransRead dev book in two or three. Strict F1, micro-averaged over the
pieces, four decimals. Run from the project root::

    python benchmarks/small_documents.py [--sets tb4,tb3,...] [--variants whole,alone,...]
        [--pieces] [--regions] [--cache DIR]

A variant may join estimates with ``+`` (``marks+own-priors``). ``--pieces`` prints each
piece's figures, ``--regions`` the error regions of ``alone`` that
``whole`` gets right (``error_regions.py``), ``--prior-strength`` every variant with the shape
priors' strength estimated from each text (``prior_strength.py``; with another ``--cache``).
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import devsets
import numpy as np
import prior_strength as PS
from error_regions import classify, regions, shapes
from refine_variants import pass_two

from aligner.config import AlignConfig
from aligner.evaluation import evaluate_documents, parse_beads
from aligner.features.length import LengthModel
from aligner.features.lexicon import Table
from aligner.pipeline import STAGE_SHARES
from aligner.pipeline import passes as P
from aligner.pipeline.run import _first
from aligner.progress import Stages
from aligner.scoring import refine as R
from aligner.scoring.boundary_marks import BoundaryMarks
from aligner.scoring.cost import Model
from aligner.scoring.relative_nulls import RelativeNulls
from aligner.search import Step

Bead = tuple[tuple[int, ...], tuple[int, ...]]
Span = tuple[int, int, int, int]


@dataclass(frozen=True)
class Piece:
    """A piece of a whole document: itself, and where its sentences start in the whole."""

    doc: devsets.Doc
    s0: int
    t0: int


@dataclass(frozen=True)
class Whole:
    """The whole document's alignment and the estimates a piece may borrow from it."""

    doc: devsets.Doc
    beads: tuple[Bead, ...]
    pass2: Model
    priors: dict[tuple[int, int], float]  # counted on the refinement's first reading
    marks: BoundaryMarks
    variance: float
    learned: Table | None  # the lexicon pass 2 learned (``P.learned_table``), if asked for
    # Pass 2's priors refitted on the shapes of every piece's own pass 1, summed (asked for).
    pooled: dict[tuple[int, int], float] | None = None


def cut(name: str, src: Sequence[str], tgt: Sequence[str], langs: tuple[str, str],
        gold: Sequence[Bead], pieces: int) -> list[Piece]:  # fmt: skip
    """The document cut into ``pieces`` at gold-bead boundaries, as ``devsets.textberg``
    cuts Text+Berg (lines no gold bead lists go with the piece they sit in)."""
    return [
        Piece(doc, s0, t0)
        for doc, s0, t0 in devsets.cut_at_gold(
            f"{name}-{pieces}", name, src, tgt, langs, gold, pieces
        )
    ]


def texts(name: str) -> list[tuple[devsets.Doc, list[Piece]]]:
    """Whole documents with their pieces: ``tb<n>`` or ``tr<n>`` (``n`` pieces each)."""
    n = int(name[2:])
    out: list[tuple[devsets.Doc, list[Piece]]] = []
    if name.startswith("tb"):
        folder = devsets.DATA / "textberg_de-fr_dev"
        raw = parse_beads((folder / "dev.defr").read_text(encoding="utf-8"))
        whole = devsets.textberg_whole()
        out.append((whole, cut("tb", whole.src, whole.tgt, ("de", "fr"), raw, n)))
        return out
    folder = devsets.DATA / "transread_fr-en_literary_dev"
    for whole, book in zip(devsets.transread(), devsets.BOOKS, strict=True):
        raw = parse_beads((folder / book / f"{book}.fren").read_text(encoding="utf-8"))
        out.append((whole, cut(book, whole.src, whole.tgt, ("fr", "en"), raw, n)))
    return out


def restricted(beads: Sequence[Bead], piece: Piece) -> list[Bead]:
    """The whole alignment's beads on the piece's sentences, in the piece's numbering (a bead
    crossing the piece's edge clipped to it)."""
    ns, nt = len(piece.doc.src), len(piece.doc.tgt)
    out: list[Bead] = []
    for s, t in beads:
        s2 = tuple(i - piece.s0 for i in s if 0 <= i - piece.s0 < ns)
        t2 = tuple(j - piece.t0 for j in t if 0 <= j - piece.t0 < nt)
        if s2 or t2:
            out.append((s2, t2))
    return out


def _beads(steps: Sequence[Step]) -> tuple[Bead, ...]:
    return tuple((tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1))) for s in steps)


@contextmanager
def patched(obj: Any, **values: Any) -> Iterator[None]:
    """``obj``'s attributes set to ``values`` for the block."""
    old = {k: getattr(obj, k) for k in values}
    for k, v in values.items():
        setattr(obj, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(obj, k, v)


def learn_whole(doc: devsets.Doc, cfg: AlignConfig, cache: Path, lexicon: bool) -> Whole:
    """The whole document aligned as shipped, with the estimates its refinement learns (and
    with ``lexicon`` the lexicon its pass 2 learns, which needs pass 2 run again)."""
    model, steps = pass_two(doc, cfg, cache)
    learned: list[Table] = []
    if lexicon:
        own = P.learned_table

        def kept(*args: Any, **kwargs: Any) -> Table:
            learned.append(own(*args, **kwargs))
            return learned[-1]

        with patched(P, learned_table=kept):
            realigned(Piece(doc, 0, 0), cfg)
    once = R.refine(model, steps, doc.src, doc.tgt, own_priors=False)
    priors = R.with_own_priors(model, once).length.priors
    spans = [(s.i0, s.i1, s.j0, s.j1) for s in steps]
    marks = BoundaryMarks.learn(spans, doc.src, doc.tgt)
    variance = RelativeNulls.learn(R.Scorer(model, True, doc.src, doc.tgt), spans).variance
    beads = _beads(R.refine(model, steps, doc.src, doc.tgt))
    table = learned[-1] if learned else None
    return Whole(doc, beads, model, dict(priors), marks, variance, table)


def _refine_patches(whole: Whole, piece: Piece, which: set[str]) -> dict[str, Any]:
    """The refinement module's attributes that take ``which`` estimates from the whole."""
    out: dict[str, Any] = {}
    if "own-priors" in which:

        def priors(model: Model, path: Sequence[Step]) -> Model:
            return replace(model, length=replace(model.length, priors=whole.priors))

        out["with_own_priors"] = priors
    if "marks" in which:
        ns, nt = len(piece.doc.src), len(piece.doc.tgt)
        sliced = BoundaryMarks(
            whole.marks.src[piece.s0 : piece.s0 + ns - 1],
            whole.marks.tgt[piece.t0 : piece.t0 + nt - 1],
        )

        class Marks(BoundaryMarks):
            @classmethod
            def learn(cls, spans: Sequence[Span], src: Sequence[str], tgt: Sequence[str]) -> Any:
                return sliced

        out["BoundaryMarks"] = Marks
    if "marks-path" in which:
        # Learned on the piece's own sentences, but from the whole's path restricted to it.
        spans = _spans(restricted(whole.beads, piece))

        class PathMarks(BoundaryMarks):
            @classmethod
            def learn(cls, _: Sequence[Span], src: Sequence[str], tgt: Sequence[str]) -> Any:
                return BoundaryMarks.learn(spans, src, tgt)

        out["BoundaryMarks"] = PathMarks
    if "variance" in which:

        class Nulls(RelativeNulls):
            @classmethod
            def learn(cls, scorer: Any, path: Sequence[Span]) -> Any:
                return RelativeNulls(whole.variance)

        out["RelativeNulls"] = Nulls
    return out


def _spans(beads: Sequence[Bead]) -> list[Span]:
    """Consecutive beads as spans ``(i0, i1, j0, j1)`` (a null bead at the running edge)."""
    out: list[Span] = []
    i = j = 0
    for s, t in beads:
        i1, j1 = (max(s) + 1 if s else i), (max(t) + 1 if t else j)
        out.append((i, i1, j, j1))
        i, j = i1, j1
    return out


def _pass_patches(whole: Whole, piece: Piece, which: set[str]) -> dict[str, Any]:
    """The passes module's attributes that take ``which`` estimates from the whole."""
    out: dict[str, Any] = {}
    w = whole.pass2
    ns, nt = len(piece.doc.src), len(piece.doc.tgt)
    if which & {"ratio", "priors", "pooled-priors"}:
        own_refit = P._refit

        def refit(length: Any, texts: Any, steps: Sequence[Step]) -> Any:
            got = own_refit(length, texts, steps)
            if "ratio" in which:
                got = replace(got, ratio=w.length.ratio, variance=w.length.variance)
            if "priors" in which:
                got = replace(got, priors=w.length.priors)
            if "pooled-priors" in which:
                assert whole.pooled is not None
                got = replace(got, priors=whole.pooled)
            return got

        out["_refit"] = refit
    if "chance" in which:

        def chance(model: Model, steps: Sequence[Step], matches: Any) -> Any:
            return (
                w.src_chance[:, piece.s0 : piece.s0 + ns].copy(),
                w.tgt_chance[:, piece.t0 : piece.t0 + nt].copy(),
            )

        out["_local_chance"] = chance
    if "baseline" in which:
        out["_baseline"] = lambda model, steps, matches: w.baseline
    if "turns" in which and w.turns is not None:
        out["turn_costs"] = lambda src_open, tgt_open, beads: w.turns
    if "lexicon" in which:
        assert whole.learned is not None

        def table(src: Any, tgt: Any, beads: Any, prior: Any = None) -> Table:
            assert whole.learned is not None
            return _mapped(whole.learned, w.texts.src, w.texts.tgt, src, tgt)

        out["learned_table"] = table
    return out


def _mapped(table: Table, wsrc: Any, wtgt: Any, src: Any, tgt: Any) -> Table:
    """``table`` (on the whole's vocabularies) on the piece's, matched by word form."""
    maps = []
    for whole_side, side in ((wsrc, src), (wtgt, tgt)):
        ids = {w: k for k, w in enumerate(side.vocab)}
        maps.append(np.array([ids.get(w, -1) for w in whole_side.vocab], np.int64))
    s, t = maps[0][table.src], maps[1][table.tgt]
    keep = (s >= 0) & (t >= 0)
    return Table.build(s[keep], t[keep], table.val[keep])


REFINE = ("own-priors", "marks", "variance")
#: Diagnostic variants run but kept out of ``refine-all`` / ``all``.
EXTRA = ("marks-path", "pooled-priors")
PASS = ("ratio", "priors", "chance", "baseline", "turns", "lexicon")
GROUPS = {"refine-all": set(REFINE), "pass-all": set(PASS), "all": set(REFINE) | set(PASS)}
VARIANTS = ("whole", "alone", *REFINE, *EXTRA, "refine-all", *PASS, "pass-all", "all")


def pooled_priors(pieces: Sequence[Piece], cfg: AlignConfig) -> dict[tuple[int, int], float]:
    """Pass 2's shape priors refitted on the shapes of every piece's own pass 1 together, as a
    batch of documents could share them (each piece's pass 1 is run alone)."""
    counts: Counter[tuple[int, int]] = Counter()
    length = None
    for piece in pieces:
        d = piece.doc
        stages = Stages(None, STAGE_SHARES)
        first = _first(d.src, d.tgt, d.src_lang, d.tgt_lang, (), (), cfg, (), (), stages)
        assert first.state is not None
        _, model, steps, _ = first.state
        counts.update((s.i1 - s.i0, s.j1 - s.j0) for s in steps)
        length = model.length
    assert length is not None
    return dict(length.refit(counts).priors)


def realigned(piece: Piece, cfg: AlignConfig) -> tuple[Model, tuple[Step, ...]]:
    """The piece's pass 2 computed again from its pass 1 (under whatever is patched)."""
    d = piece.doc
    stages = Stages(None, STAGE_SHARES)
    first = _first(d.src, d.tgt, d.src_lang, d.tgt_lang, (), (), cfg, (), (), stages)
    assert first.state is not None
    prep, model, steps, decided = first.state
    model, steps, _ = P._realign(prep, model, steps, decided, None, None)
    return model, steps


def run(variant: str, whole: Whole, piece: Piece, cfg: AlignConfig, cache: Path) -> list[Bead]:
    """The piece's beads under ``variant``."""
    if variant == "whole":
        return restricted(whole.beads, piece)
    which = set().union(*(GROUPS.get(v, {v}) for v in variant.split("+"))) - {"alone"}
    d = piece.doc
    if which & {*PASS, "pooled-priors"}:
        with patched(P, **_pass_patches(whole, piece, which)):
            model, steps = realigned(piece, cfg)
    else:
        model, steps = pass_two(d, cfg, cache)
    with patched(R, **_refine_patches(whole, piece, which)):
        return list(_beads(R.refine(model, steps, d.src, d.tgt)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="tb4,tb3,tb6,tr2,tr3")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--pieces", action="store_true", help="each piece's figures too")
    parser.add_argument("--regions", action="store_true", help="alone's regions whole has right")
    default_cache = Path(os.environ.get("TMPDIR", "/tmp")) / "aligner-small-documents"
    parser.add_argument("--cache", type=Path, default=default_cache)
    parser.add_argument(
        "--prior-strength",
        action="store_true",
        help="the shape priors' Dirichlet strength estimated from each text "
        "(prior_strength.py) in every variant; give it another --cache",
    )
    args = parser.parse_args()
    if args.prior_strength:
        LengthModel.refit = PS.estimated_refit()  # type: ignore[method-assign]
    cfg = AlignConfig()
    cache = args.cache / "shipped"
    variants = args.variants.split(",")
    for name in args.sets.split(","):
        found: dict[str, list[tuple[list[Bead], list[Bead]]]] = {v: [] for v in variants}
        per: list[str] = []
        start = time.process_time()
        for doc, pieces in texts(name):
            lexicon = any(v in ("lexicon", "pass-all", "all") for v in variants)
            whole = learn_whole(doc, cfg, cache, lexicon)
            if any("pooled-priors" in v for v in variants):
                whole = replace(whole, pooled=pooled_priors(pieces, cfg))
            for piece in pieces:
                cells = []
                got: dict[str, list[Bead]] = {}
                for v in variants:
                    got[v] = run(v, whole, piece, cfg, cache)
                    found[v].append((got[v], list(piece.doc.gold)))
                    f1 = evaluate_documents([(got[v], piece.doc.gold)]).strict_f1
                    cells.append(f"{v} {f1:.4f}")
                per.append(f"  {piece.doc.name:40s} " + " ".join(cells))
                if args.regions and "whole" in got and "alone" in got:
                    right = set(got["whole"])
                    for r in regions(got["alone"], piece.doc.gold):
                        if all(b in right for b in r[1]):
                            _print_region(piece.doc, r)
        cells = " ".join(f"{v} {evaluate_documents(r).strict_f1:.4f}" for v, r in found.items())
        print(f"{name:5s} {cells}  cpu {time.process_time() - start:.0f} s", flush=True)
        if args.pieces:
            print("\n".join(per), flush=True)


def _print_region(doc: devsets.Doc, region: tuple[list[Bead], list[Bead]]) -> None:
    """One error region of ``alone`` that the whole alignment has right: class, shapes, text."""
    print(f"    {doc.name} {classify(region)}: {shapes(region)}")
    for s, t in region[1]:
        src = " | ".join(doc.src[i][:70] for i in s)
        tgt = " | ".join(doc.tgt[j][:70] for j in t)
        print(f"      gold {list(s)}:{list(t)}  {src}  ||  {tgt}")


if __name__ == "__main__":
    main()
