"""Round seven's trials for the confidence's ranking (issue 19): other forms of the bead model
and the disagreement of differently-informed decodings, held out as the fit tool holds out.

Each row refits the bead model over the same aligned dev documents with
:func:`fit_calibration.held_out` (its strict folds) and reports, per family and for the two
literary families pooled, the held-out AUROC of confidence for "bead wrong", the share of wrong
beads among the least confident 10 % and the ECE; then the row against the shipped inputs by a
paired bootstrap over beads (:data:`RESAMPLES` resamples of each family's beads, the fitted
models fixed): the mean and standard deviation of the change in AUROC and in the least 10 %.

Forms (the shipped inputs only): hinge terms (piecewise-linear) on the posterior's logit and on
``outward``, step bins of the posterior, products of the posterior with each bead input, every
pairwise product of the bead inputs, every bead input times the text's share of 1-1 beads
(a model per kind of text), and the posterior less the text's median.

Decodings (each a lattice over the confidence's own band around the final path, the bead's
posterior read as a logit, or whether it is on the other decoder's path): the Gale–Church length
cost alone (read at temperature 1, where it is a log-probability, and at the shipped 2), the
cost without its length term (the lexical coverage with the shape prior), the cost without the
shape prior (a decoder with no preference for 1-1), and whether the bead was already on the
first pass's path (before the learned lexicon) or on the second pass's path before the
refinement.

Also: whether an anchor of the bead (a token with a digit, or a capitalised word of three
letters or more not opening its sentence) is found on the other side of a neighbouring bead and
not on this bead's own other side (content moved across the boundary, read off the texts);
the neighbours' held-out confidence as an input (stacked: each document's first-stage
confidences come from models fitted without its fold), and two ceilings of the shipped inputs:
fitted on the literary families alone, and with each literary document's confidences shifted
(on the logit scale) to its true share of wrong beads, an oracle of the document's base rate.

Run from the project root (aligns every dev document once, about 3 minutes of CPU)::

    python tools/confidence_trials.py [--cache /tmp/trials.pkl]
"""

from __future__ import annotations

import argparse
import itertools
import math
import pickle
import re
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tools"))

import fit_calibration as fc  # noqa: E402
from calibration_stats import Scored, auroc, ece, found  # noqa: E402

from aligner.pipeline import run  # noqa: E402
from aligner.scoring.confidence import BEAD_FEATURES, Evidence, bead_features  # noqa: E402
from aligner.scoring.cost import MatchCache, Model, factory, path_band  # noqa: E402
from aligner.search import Step, step_edges  # noqa: E402
from aligner.search.lattice import lattice  # noqa: E402

FloatArray = fc.FloatArray
Extra = dict[str, FloatArray]
RESAMPLES = 200
SEED = 7
LITERARY = ("textberg", "transread")
INDEX = {n: k for k, n in enumerate(BEAD_FEATURES)}


def _decodings(model: Model, steps: Sequence[Step], cache: MatchCache | None) -> Extra:
    """Each final bead's posterior under the other decoders (see the module docstring)."""
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    band = path_band(steps, n_src, n_tgt, model.config.max_bead + 2).connected()
    full = factory(model, cache if cache is not None else MatchCache(model))(band)
    texts, length, weight = model.texts, model.length, model.config.length_weight

    def length_only(shape: tuple[int, int], i: Any, j: Any) -> Any:
        a, b = shape
        l1 = texts.src_len[i] - texts.src_len[i - a]
        return length.cost(shape, l1, texts.tgt_len[j] - texts.tgt_len[j - b])

    def lexical(shape: tuple[int, int], i: Any, j: Any) -> Any:
        return full(shape, i, j) - weight * length_only(shape, i, j) - math.log(length.prior(shape))

    def flat(shape: tuple[int, int], i: Any, j: Any) -> Any:
        return full(shape, i, j) + weight * math.log(length.prior(shape))

    i0, i1, j0, j1 = step_edges(steps)
    out: Extra = {}
    for name, fn, t in (
        ("length T1", length_only, 1.0),
        ("length T2", length_only, 2.0),
        ("lexical", lexical, 2.0),
        ("flat prior", flat, 2.0),
    ):
        post = np.zeros(len(steps))
        try:
            lat = lattice(
                n_src, n_tgt, model.config.shapes, lambda _, f=fn: f, temperature=t, band=band
            )
        except ValueError:
            out[name] = post
            continue
        a_of, b_of = i1 - i0, j1 - j0
        for a, b in {(int(a), int(b)) for a, b in zip(a_of, b_of, strict=True)}:
            sel = np.flatnonzero((a_of == a) & (b_of == b))
            post[sel] = lat.bead((a, b), i1[sel], j1[sel])
        out[name] = post
    return out


def _capture(
    docs: Sequence[fc.devsets.Doc], mismatched: Sequence[fc.devsets.Doc]
) -> tuple[list[Scored], list[Scored], dict[str, Extra]]:
    """The dev documents aligned and scored (as the fit tool does) with each one's decodings."""
    record: dict[str, Any] = {}
    realign, refine, evidence = run._realign, run.refine, run.evidence

    def spans(steps: Sequence[Step]) -> list[tuple[int, int, int, int]]:
        return [(s.i0, s.i1, s.j0, s.j1) for s in steps]

    def on_realign(prep: Any, model: Model, steps: Sequence[Step], *a: Any) -> Any:
        record["pass 1"] = spans(steps)
        return realign(prep, model, steps, *a)

    def on_refine(model: Model, steps: Sequence[Step], *a: Any, **k: Any) -> Any:
        record["pass 2"] = spans(steps)
        return refine(model, steps, *a, **k)

    def on_evidence(model: Model, steps: Sequence[Step], cache: Any = None, *a: Any) -> Evidence:
        final = spans(steps)
        extra = _decodings(model, steps, cache)
        for name in ("pass 1", "pass 2"):
            on = set(record.get(name, final))
            extra[f"on {name} path"] = np.array([b in on for b in final], np.float64)
        record["extra"] = extra
        return evidence(model, steps, cache, *a)

    extras: dict[str, Extra] = {}
    true: list[Scored] = []
    with (
        mock.patch.object(run, "_realign", on_realign),
        mock.patch.object(run, "refine", on_refine),
        mock.patch.object(run, "evidence", on_evidence),
    ):
        for d in docs:
            record.clear()
            (s,), _ = fc._aligned([d], [])
            true.append(s)
            extras[d.name] = record["extra"]
    _, mism = fc._aligned([], mismatched)
    return true, mism, extras


def _shipped(ev: Evidence) -> FloatArray:
    return bead_features(ev)


def _hinge(x: FloatArray, knots: Sequence[float]) -> FloatArray:
    return np.column_stack([np.maximum(x - k, 0.0) for k in knots])


def _forms() -> dict[str, fc.Columns]:
    def col(ev: Evidence, name: str) -> FloatArray:
        return bead_features(ev)[:, INDEX[name]]

    forms: dict[str, fc.Columns] = {
        "posterior hinges at logit 0, 2, 4, 6": lambda ev: np.column_stack(
            [bead_features(ev), _hinge(col(ev, "posterior"), (0, 2, 4, 6))]
        ),
        "posterior step bins (logit -2 ... 8)": lambda ev: np.column_stack(
            [bead_features(ev)]
            + [(col(ev, "posterior") > e).astype(float) for e in (-2, 0, 2, 3, 4, 5, 6, 7, 8)]
        ),
        "outward hinges at 0.5, 1, 2": lambda ev: np.column_stack(
            [bead_features(ev), _hinge(col(ev, "outward"), (0.5, 1, 2))]
        ),
    }
    bead_inputs = ("wide", "soft_edge", "shape_log_prior", "outward", "next_to_wide")
    for name in (*bead_inputs, "matched_share"):
        forms[f"posterior x {name}"] = lambda ev, n=name: np.column_stack(
            [bead_features(ev), col(ev, n) * col(ev, "posterior")]
        )
    pairs = list(itertools.combinations(("posterior", *bead_inputs), 2))
    forms["every pairwise product of the 6 bead inputs"] = lambda ev: np.column_stack(
        [bead_features(ev)] + [col(ev, a) * col(ev, b) for a, b in pairs]
    )
    forms["every bead input x one_to_one_share"] = lambda ev: np.column_stack(
        [bead_features(ev)] + [col(ev, n) * col(ev, "one_to_one_share") for n in bead_inputs]
    )
    forms["posterior less the text's median"] = lambda ev: np.column_stack(
        [bead_features(ev), col(ev, "posterior") - np.median(col(ev, "posterior"))]
    )
    return forms


def _decoding_inputs(true: Sequence[Scored], extras: Mapping[str, Extra]) -> dict[str, fc.Columns]:
    """The decodings as inputs added to the shipped ones (looked up by the evidence object;
    neutral for the mismatched pairs, which only the document model reads)."""
    by_id = {id(s.evidence): s.doc.name for s in true}

    def added(key: str, as_logit: bool) -> fc.Columns:
        def columns(ev: Evidence) -> FloatArray:
            name = by_id.get(id(ev))
            if name is None:
                value = np.full(ev.margin.size, 0.5 if as_logit else 1.0)
            else:
                value = extras[name][key]
            return np.column_stack([bead_features(ev), fc._logit(value) if as_logit else value])

        return columns

    keys = next(iter(extras.values())).keys()
    return {
        f"with {k}" + (" posterior" if not k.startswith("on ") else ""): added(
            k, not k.startswith("on ")
        )
        for k in keys
    }


Figures = dict[str, tuple[float, float, float, FloatArray, FloatArray]]


def _figures(true: Sequence[Scored], conf: Mapping[str, FloatArray]) -> Figures:
    out: Figures = {}
    groups = {f: (f,) for f in fc.FAMILIES} | {"literary": LITERARY}
    for label, families in groups.items():
        docs = [s for s in true if s.doc.family in families]
        c = np.concatenate([conf[s.doc.name] for s in docs])
        r = np.concatenate([s.right for s in docs])
        out[label] = (auroc(c, r), found(c, r, 0.1), ece(c, r), c, r)
    return out


def _bootstrap(a: Figures, b: Figures) -> dict[str, tuple[float, float, float, float]]:
    """Per group: mean and sd of b - a in AUROC and in the least 10 %, beads resampled."""
    rng = np.random.default_rng(SEED)
    out = {}
    for label in a:
        ca, r, cb = a[label][3], a[label][4], b[label][3]
        d_auc, d_top = [], []
        for _ in range(RESAMPLES):
            k = rng.integers(0, r.size, r.size)
            d_auc.append(auroc(cb[k], r[k]) - auroc(ca[k], r[k]))
            d_top.append(found(cb[k], r[k], 0.1) - found(ca[k], r[k], 0.1))
        out[label] = (
            float(np.mean(d_auc)),
            float(np.std(d_auc)),
            float(np.mean(d_top)),
            float(np.std(d_top)),
        )
    return out


def _table(true: Sequence[Scored], mism: Sequence[Scored], rows: Mapping[str, fc.Columns]) -> None:
    groups = (*fc.FAMILIES, "literary")
    print("| inputs | " + " | ".join(groups) + " |")
    print("|---|" + "---|" * len(groups))
    shipped = _figures(true, fc.held_out(true, mism, _shipped))
    print("| the 9 shipped | " + " | ".join(_cell(shipped[g]) for g in groups) + " |", flush=True)
    for label, columns in rows.items():
        fig = _figures(true, fc.held_out(true, mism, columns))
        print(f"| {label} | " + " | ".join(_cell(fig[g]) for g in groups) + " |")
        diff = _bootstrap(shipped, fig)
        print(
            "| (change, sd) | "
            + " | ".join(
                f"{diff[g][0]:+.3f} ({diff[g][1]:.3f}) / {diff[g][2]:+.2f} ({diff[g][3]:.2f})"
                for g in groups
            )
            + " |",
            flush=True,
        )


ANCHOR = re.compile(r"\w+")


def _anchors(text: str) -> set[str]:
    """Tokens with a digit, and capitalised words of 3+ letters not opening the sentence."""
    tokens = ANCHOR.findall(text)
    return {
        t.lower()
        for k, t in enumerate(tokens)
        if any(c.isdigit() for c in t) or (k > 0 and t[:1].isupper() and len(t) >= 3)
    }


def _crossing(true: Sequence[Scored]) -> fc.Columns:
    """The shipped inputs and whether an anchor of the bead crosses to a neighbour (see the
    module docstring); 0 for the mismatched pairs, which only the document model reads."""
    values: dict[int, FloatArray] = {}
    for s in true:
        sides = [
            (
                set().union(*(_anchors(s.doc.src[i]) for i in b.src)),
                set().union(*(_anchors(s.doc.tgt[j]) for j in b.tgt)),
            )
            for b in s.alignment.beads
        ]
        out = np.zeros(len(sides))
        for k, (src, tgt) in enumerate(sides):
            for m in (k - 1, k + 1):
                if 0 <= m < len(sides):
                    moved = ((src & sides[m][1]) - tgt) | ((tgt & sides[m][0]) - src)
                    out[k] = max(out[k], float(bool(moved)))
        values[id(s.evidence)] = out

    def columns(ev: Evidence) -> FloatArray:
        added = values.get(id(ev), np.zeros(ev.margin.size))
        return np.column_stack([bead_features(ev), added])

    return columns


def _stacked(true: Sequence[Scored], first: Mapping[str, FloatArray]) -> fc.Columns:
    """The shipped inputs and the lower held-out confidence (logit) of a bead's neighbours."""
    by_id = {id(s.evidence): s.doc.name for s in true}

    def columns(ev: Evidence) -> FloatArray:
        name = by_id.get(id(ev))
        if name is None:
            return np.column_stack([bead_features(ev), np.zeros(ev.margin.size)])
        z = fc._logit(first[name])
        left, right = np.r_[z[:1], z[:-1]], np.r_[z[1:], z[-1:]]
        return np.column_stack([bead_features(ev), np.minimum(left, right)])

    return columns


def _ceilings(true: Sequence[Scored], mism: Sequence[Scored]) -> None:
    """The shipped inputs fitted on the literary families alone, and the oracle shift."""
    lit = [s for s in true if s.doc.family in LITERARY]
    alone = fc.held_out(lit, [m for m in mism if m.doc.family in LITERARY])
    shipped = fc.held_out(true, mism)
    shifted = {}
    for s in lit:
        z, r = fc._logit(shipped[s.doc.name]), s.right
        c = shipped[s.doc.name]
        shift = math.log(r.mean() / (1 - r.mean())) - math.log(c.mean() / (1 - c.mean()))
        shifted[s.doc.name] = 1.0 / (1.0 + np.exp(-(z + shift)))
    for label, conf in (
        ("fitted on the literary families alone", alone),
        ("oracle: each document shifted to its share of wrong beads", shifted),
    ):
        cells = []
        for families in ((LITERARY[0],), (LITERARY[1],), LITERARY):
            docs = [s for s in lit if s.doc.family in families]
            c = np.concatenate([conf[s.doc.name] for s in docs])
            r = np.concatenate([s.right for s in docs])
            cells.append(_cell((auroc(c, r), found(c, r, 0.1), ece(c, r), c, r)))
        print(f"{label}: textberg {cells[0]}, transread {cells[1]}, literary {cells[2]}")


def _cell(f: tuple[float, float, float, Any, Any]) -> str:
    return f"{f[0]:.3f} / {f[1]:.2f} / {f[2]:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=fc.devsets.DATA)
    parser.add_argument(
        "--cache",
        type=Path,
        help="pickle of the aligned dev documents and their decodings: read if it exists, else "
        "written (trusted, local files only; delete it whenever the engine changes)",
    )
    args = parser.parse_args()
    start = time.process_time()
    if args.cache is not None and args.cache.exists():
        with args.cache.open("rb") as f:
            true, mism, extras = pickle.load(f)
    else:
        true, mism, extras = _capture(*fc._documents(args.data))
        if args.cache is not None:
            with args.cache.open("wb") as f:
                pickle.dump((true, mism, extras), f)
    print("held out: AUROC / wrong in least 10% / ECE; (change, sd): paired bootstrap against")
    print(f"the shipped nine, {RESAMPLES} resamples: AUROC (sd) / least 10% (sd)\n")
    stacked = {
        "with an anchor crossing to a neighbour": _crossing(true),
        "with the neighbours' lower held-out confidence": _stacked(true, fc.held_out(true, mism)),
    }
    _table(true, mism, _forms() | _decoding_inputs(true, extras) | stacked)
    print()
    _ceilings(true, mism)
    print(f"\nCPU time {time.process_time() - start:.0f} s")


if __name__ == "__main__":
    main()
