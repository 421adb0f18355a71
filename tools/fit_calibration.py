"""Fit the confidence calibration on the dev gold and write ``aligner/scoring/calibration.py``.

Rerun it whenever the engine changes what it scores (costs, lexicon, search): the evidence the
calibration reads moves with it. From the project root::

    python tools/fit_calibration.py            # fit, report, write aligner/scoring/calibration.py
    python tools/fit_calibration.py --dry-run  # fit and report only
    python tools/fit_calibration.py --dry-run --ablation  # and each input's held-out worth
    python tools/fit_calibration.py --temperatures 1 2 4  # held-out figures per lattice temperature

The dev documents are those of ``benchmarks/devsets.py`` (Text+Berg dev in four pieces, the five
TransRead dev books, and sixteen re-cut Bible passages, fr-en and fr-ru) and the perturbed Old
Testament pairs fr-en and fr-ru of ../shared/data, each cut into :data:`PERTURBED_PIECES`
documents (the family ``perturbed``); mismatched pairs are built from the former. The lattice's
temperature (:data:`aligner.scoring.confidence.TEMPERATURE`) is chosen with ``--temperatures``
by the held-out figures. The two models of
:mod:`aligner.scoring.confidence` are fitted by Newton's method on an L2-penalised log-loss:

* the bead model on the beads of the true pairs, each family weighing the same in total (the
  perturbed Bible would otherwise outweigh Text+Berg a hundred to one);
* the document model on the true pairs against the mismatched ones (each document's source with
  another document's translation of the same family), one weight per document.

Held-out figures come from four folds over documents: each fold's documents (and any mismatched
pair built from one of them) are left out of both fits and scored by the models fitted on the rest.
Documents of a family that share much of their source text (the perturbed pairs fr-en and fr-ru
of the same Old Testament piece) go to the same fold, and the bead model of a fold is fitted on
no bead of another document holding one of the fold's source sentences (the re-cut Bible
passages are verses of the perturbed pairs): no held-out sentence is fitted on.

One command refits from scratch (aligns every dev document, about 2 minutes of CPU):
``python tools/fit_calibration.py``.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import pickle
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from unittest import mock

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import devsets  # noqa: E402
from calibration_stats import (  # noqa: E402
    PERTURBED_LANGS,
    Scored,
    auc,
    auroc,
    ece,
    found,
    perturbed,
    pieces,
    score,
)

from aligner.scoring import calibration, confidence, link_evidence, merge_evidence  # noqa: E402
from aligner.scoring.confidence import (  # noqa: E402
    BEAD_FEATURES,
    DOCUMENT_FEATURES,
    LENGTH_MISFIT_CLIP,
    POSTERIOR_FLOOR,
    Evidence,
    bead_features,
    calibrated,
    document_features,
    translation_probability,
)

FloatArray = npt.NDArray[np.float64]
Weights = dict[str, float]
#: The bead model's inputs of one document, one row per bead.
Columns = Callable[[Evidence], FloatArray]
#: Families the target ECE is checked on (``perturbed``: the perturbed Old Testament pairs).
FAMILIES = ("textberg", "transread", "bible", "perturbed")
#: Each perturbed Old Testament pair (some 20,000 verses) is cut into this many documents, so
#: that the folds can hold whole documents out.
PERTURBED_PIECES = 4
#: L2 penalties (on a loss where each family weighs 1 in all; per document for the document
#: model). The bead model's loss per family is small (most beads are right), so a penalty of
#: 1e-2 held back every input of small spread (``benchmarks/RESULTS.md``, round five). The
#: document model's data are separable (true pairs match far more beads than unrelated ones),
#: so its penalty is what keeps its slope finite.
BEAD_L2 = 1e-3
DOCUMENT_L2 = 1e-3
FOLDS = 4
#: Source lines at least this long that two documents share tie them together in the folds
#: (shorter ones, "Chapitre 1." or a bare number, recur in unrelated texts).
SHARED_LINE_CHARS = 20
#: Two documents sharing this share of the smaller one's source sentences go to the same fold.
SHARED_SHARE = 0.2
SEED = 12
NEWTON_STEPS = 100
#: Decimals kept in the written weights (far below what moves a confidence by 0.001).
WEIGHT_DIGITS = 6
OUTPUT = ROOT / "aligner" / "scoring" / "calibration.py"


def fit_logistic(x: FloatArray, y: FloatArray, w: FloatArray, l2: float) -> FloatArray:
    """Weights (last one the bias) minimising weighted log-loss + ``l2/2 * |weights|^2``."""
    x = np.column_stack([x, np.ones(len(x))])
    beta = np.zeros(x.shape[1])
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -50, 50)))
        grad = x.T @ (w * (p - y)) + l2 * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return beta


def _named(beta: FloatArray, names: Sequence[str]) -> Weights:
    return {**{n: float(b) for n, b in zip(names, beta[:-1], strict=True)}, "bias": float(beta[-1])}


def _bead_fit(
    true: Sequence[Scored], columns: Columns, left: frozenset[str] = frozenset()
) -> FloatArray:
    """Bead model coefficients (last one the bias), each family weighing the same in total;
    beads with a source sentence in ``left`` (those of held-out documents) are left out."""
    kept = [_kept_beads(s, left) for s in true]
    totals: dict[str, float] = {}
    for s, k in zip(true, kept, strict=True):
        totals[s.doc.family] = totals.get(s.doc.family, 0) + float(k.sum())
    x = np.vstack([columns(s.evidence)[k] for s, k in zip(true, kept, strict=True)])
    y = np.concatenate([s.right[k] for s, k in zip(true, kept, strict=True)])
    w = np.concatenate(
        [np.full(int(k.sum()), 1.0 / totals[s.doc.family]) for s, k in zip(true, kept, strict=True)]
    )
    return fit_logistic(x, y, w, BEAD_L2)


def _kept_beads(s: Scored, left: frozenset[str]) -> npt.NDArray[np.bool_]:
    """Which beads of ``s`` have no source sentence in ``left``."""
    if not left:
        return np.ones(len(s.right), bool)
    return np.array(
        [not any(_line(s.doc.src[i]) in left for i in b.src) for b in s.alignment.beads], bool
    )


def _line(text: str) -> str:
    """A source line as the folds compare them (stripped; ``""`` when too short to tell)."""
    line = text.strip()
    return line if len(line) >= SHARED_LINE_CHARS else ""


def _document_fit(true: Sequence[Scored], mismatched: Sequence[Scored]) -> Weights:
    docs = [*true, *mismatched]
    xd = np.vstack([document_features(s.evidence) for s in docs])
    yd = np.array([1.0] * len(true) + [0.0] * len(mismatched))
    return _named(fit_logistic(xd, yd, np.ones(len(docs)), DOCUMENT_L2), DOCUMENT_FEATURES)


def fit(true: Sequence[Scored], mismatched: Sequence[Scored]) -> tuple[Weights, Weights]:
    """Bead weights from the true pairs' beads, document weights from true vs mismatched."""
    bead = _named(_bead_fit(true, bead_features), BEAD_FEATURES)
    return bead, _document_fit(true, mismatched)


def _confidence(ev: Evidence, beta: FloatArray, columns: Columns, document: Weights) -> FloatArray:
    """:func:`~aligner.scoring.confidence.calibrated` for any bead columns."""
    z = np.clip(columns(ev) @ beta[:-1] + beta[-1], -50.0, 50.0)
    related = translation_probability(ev, document)
    out = related / (1.0 + np.exp(-z)) + (1.0 - related) * (1.0 - ev.paired)
    return np.asarray(np.clip(out, 0.0, 1.0), np.float64)


def _sources(s: Scored) -> list[str]:
    """The dev documents a (possibly mismatched) pair was built from."""
    return s.doc.name.split("~")


def _links(true: Sequence[Scored]) -> dict[str, set[str]]:
    """Per document, the other documents of its family holding at least :data:`SHARED_SHARE`
    of its source sentences or theirs (the perturbed Old Testament pairs fr-en and fr-ru share
    their French text; a verse that recurs across the Old Testament ties nothing)."""
    where: dict[tuple[str, str], set[str]] = {}
    size: dict[str, int] = {}
    for s in true:
        lines = {line for text in s.doc.src if (line := _line(text))}
        size[s.doc.name] = max(len(lines), 1)
        for line in lines:
            where.setdefault((s.doc.family, line), set()).add(s.doc.name)
    shared: dict[tuple[str, str], int] = {}
    for names in where.values():
        for pair in itertools.permutations(sorted(names), 2):
            shared[pair] = shared.get(pair, 0) + 1
    out: dict[str, set[str]] = {s.doc.name: set() for s in true}
    for (n, m), count in shared.items():
        if count >= SHARED_SHARE * min(size[n], size[m]):
            out[n].add(m)
    return out


def folds(true: Sequence[Scored]) -> dict[str, int]:
    """Each true document's fold: within each family, documents sharing source sentences go to
    the same fold, the groups dealt round the folds in a seeded order."""
    links = _links(true)
    rng = random.Random(SEED)
    fold: dict[str, int] = {}
    for family in FAMILIES:
        groups: list[list[str]] = []
        placed: set[str] = set()
        for s in true:
            if s.doc.family != family or s.doc.name in placed:
                continue
            group, todo = [], [s.doc.name]
            while todo:
                m = todo.pop()
                if m not in placed:
                    placed.add(m)
                    group.append(m)
                    todo += sorted(links[m] - placed)
            groups.append(sorted(group))
        rng.shuffle(groups)
        for k, group in enumerate(groups):
            fold.update(dict.fromkeys(group, k % FOLDS))
    return fold


def held_out(
    true: Sequence[Scored], mismatched: Sequence[Scored], columns: Columns = bead_features
) -> dict[str, FloatArray]:
    """Each document's confidences from models fitted without it (``FOLDS`` folds): a fold's
    models are fitted on no document of the fold, nor on a mismatched pair built from one, nor
    on any bead of another document holding one of the fold's source sentences (the re-cut
    Bible passages are verses of the perturbed Old Testament pairs)."""
    fold = folds(true)
    out: dict[str, FloatArray] = {}
    for f in range(FOLDS):

        def kept(s: Scored, f: int = f) -> bool:
            return all(fold[n] != f for n in _sources(s))

        train = [s for s in true if kept(s)]
        left = frozenset(
            line for s in true if fold[s.doc.name] == f for t in s.doc.src if (line := _line(t))
        )
        beta = _bead_fit(train, columns, left)
        document = _document_fit(train, [s for s in mismatched if kept(s)])
        for s in [*true, *mismatched]:
            if fold[_sources(s)[0]] == f:
                out[s.doc.name] = _confidence(s.evidence, beta, columns, document)
    return out


def _logit(p: FloatArray | None) -> FloatArray:
    q = np.clip(np.zeros(0) if p is None else p, POSTERIOR_FLOOR, 1.0 - POSTERIOR_FLOOR)
    return np.asarray(np.log(q) - np.log1p(-q), np.float64)


def _link(ev: Evidence, name: str) -> FloatArray:
    """A strength of :class:`~aligner.scoring.link_evidence.LinkEvidence` on the scale of the
    shipped ``outward`` (kept to [0, 1], over the text's median coverage of paired beads)."""
    if ev.links is None:
        return np.zeros(ev.margin.size)
    return confidence.outward(replace(ev, links=replace(ev.links, outward=getattr(ev.links, name))))


def _merge(ev: Evidence, name: str) -> FloatArray:
    """A figure of :class:`~aligner.scoring.merge_evidence.MergeEvidence` (the posterior as a
    logit)."""
    if ev.merges is None:
        return np.zeros(ev.margin.size)
    value = np.asarray(getattr(ev.merges, name), np.float64)
    if name == "posterior":
        return _logit(value)
    return value


#: Inputs measured and left out (``--ablation``): whether the bead is a lone sentence (alone and
#: with the share of matched beads: the shape's prior says it already), the margin over the best
#: local alternative (the bead model's main input before the lattice), and the lattice's
#: boundary and local-alternative posteriors (see :class:`~aligner.scoring.confidence.Evidence`),
#: the weakest cut and the weakest sentence of a bead that is not 1-1 by their exclusive word
#: links (:class:`~aligner.scoring.link_evidence.LinkEvidence`, read with ``within``), the
#: bead's own length misfit (an input up to round five), and the merge with a neighbour's
#: length gain, and its posterior, cost margin and coverage gain
#: (:class:`~aligner.scoring.merge_evidence.MergeEvidence`, the last three read with ``full``).
CANDIDATES: dict[str, Callable[[Evidence], FloatArray]] = {
    "unaligned": lambda ev: 1.0 - ev.paired,
    "unaligned*matched_share": lambda ev: (1.0 - ev.paired) * ev.matched_share,
    "margin_for": lambda ev: np.log1p(np.maximum(ev.margin, 0.0)),
    "margin_against": lambda ev: np.log1p(np.maximum(-ev.margin, 0.0)),
    "boundary": lambda ev: _logit(ev.boundary),
    "alternative": lambda ev: _logit(ev.alternative),
    "split": lambda ev: _link(ev, "split"),
    "inside": lambda ev: _link(ev, "inside"),
    "length_misfit": lambda ev: ev.paired * np.minimum(ev.length_misfit, LENGTH_MISFIT_CLIP),
    "merge_posterior": lambda ev: _merge(ev, "posterior"),
    "merge_margin_for": lambda ev: np.log1p(np.maximum(_merge(ev, "margin"), 0.0)),
    "merge_margin_against": lambda ev: np.log1p(np.maximum(-_merge(ev, "margin"), 0.0)),
    "coverage_gain": lambda ev: _merge(ev, "coverage_gain"),
    "length_gain": lambda ev: np.clip(_merge(ev, "length_gain"), 0.0, LENGTH_MISFIT_CLIP),
}


def ablation(true: Sequence[Scored], mismatched: Sequence[Scored]) -> None:
    """Held-out AUROC, wrong beads among the least confident 10 % and ECE per family: with
    every input, without each, and with each candidate added."""
    variants: dict[str, Columns] = {"all inputs": bead_features}
    for k, name in enumerate(BEAD_FEATURES):
        variants[f"without {name}"] = lambda ev, k=k: np.delete(bead_features(ev), k, axis=1)
    for name, column in CANDIDATES.items():
        variants[f"with {name}"] = lambda ev, c=column: np.column_stack([bead_features(ev), c(ev)])
    print("\nablation, held out: AUROC / wrong in least 10% / ECE")
    print("| inputs | " + " | ".join(FAMILIES) + " |")
    print("|---|" + "---|" * len(FAMILIES))
    for label, columns in variants.items():
        conf = held_out(true, mismatched, columns)
        cells = []
        for family in FAMILIES:
            docs = [s for s in true if s.doc.family == family]
            c = np.concatenate([conf[s.doc.name] for s in docs])
            r = np.concatenate([s.right for s in docs])
            cells.append(f"{auroc(c, r):.3f} / {found(c, r, 0.1):.2f} / {ece(c, r):.3f}")
        print(f"| {label} | " + " | ".join(cells) + " |")


def _quality(conf: FloatArray, s: Scored) -> float:
    paired = s.evidence.paired > 0
    return float(conf[paired].mean()) if paired.any() else 0.0


def report(
    true: Sequence[Scored],
    mismatched: Sequence[Scored],
    conf_of: Callable[[Scored], FloatArray],
    title: str,
) -> dict[str, float]:
    """Print ECE, AUROC of confidence for "bead wrong" and the share of wrong beads among the
    least confident 10 % per family, and the quality separation; return the ECEs."""
    print(f"\n{title}")
    out: dict[str, float] = {}
    for family in FAMILIES:
        docs = [s for s in true if s.doc.family == family]
        conf = np.concatenate([conf_of(s) for s in docs])
        right = np.concatenate([s.right for s in docs])
        out[family] = ece(conf, right)
        print(
            f"  {family:10s} beads {len(right):5d}  right {right.mean():.3f}  "
            f"mean confidence {conf.mean():.3f}  ECE {out[family]:.3f}  "
            f"AUROC {auroc(conf, right):.3f}  wrong in least 10% {found(conf, right, 0.1):.3f}"
        )
    tq = [_quality(conf_of(s), s) for s in true]
    mq = [_quality(conf_of(s), s) for s in mismatched]
    print(
        f"  quality: lowest true pair {min(tq):.3f}, highest mismatched pair {max(mq):.3f}, "
        f"AUC {auc(tq, mq):.3f}"
    )
    return out


def module_text(bead: Mapping[str, float], document: Mapping[str, float], note: str) -> str:
    """The source of ``aligner/scoring/calibration.py`` holding the fitted weights."""

    def block(weights: Mapping[str, float]) -> str:
        return "".join(f'    "{k}": {round(v, WEIGHT_DIGITS)!r},\n' for k, v in weights.items())

    return (
        '"""Fitted weights of the confidence calibration (:mod:`aligner.scoring.confidence`).\n\n'
        "Written by ``tools/fit_calibration.py``: rerun it rather than edit by hand.\n"
        f"{note}"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "from collections.abc import Mapping\n\n"
        "#: Bead model: P(bead exactly right | the texts are translations) =\n"
        "#: sigmoid(bias + sum of weight * feature), features as\n"
        "#: :data:`aligner.scoring.confidence.BEAD_FEATURES`.\n"
        "BEAD_WEIGHTS: Mapping[str, float] = {\n"
        f"{block(bead)}"
        "}\n"
        "#: Document model: P(the texts are translations of each other), same form, features as\n"
        "#: :data:`aligner.scoring.confidence.DOCUMENT_FEATURES`.\n"
        "DOCUMENT_WEIGHTS: Mapping[str, float] = {\n"
        f"{block(document)}"
        "}\n"
    )


def _placeholder() -> tuple[Weights, Weights]:
    """Zero weights under the current feature names: the dev sets are aligned (and their
    evidence recorded) even when the shipped weights are for other features."""
    zero = dict.fromkeys(BEAD_FEATURES, 0.0) | {"bias": 0.0}
    return zero, dict.fromkeys(DOCUMENT_FEATURES, 0.0) | {"bias": 0.0}


def _by_name(conf: Mapping[str, FloatArray]) -> Callable[[Scored], FloatArray]:
    """Each scored document's confidences looked up by its name."""
    return lambda s: conf[s.doc.name]


def _documents(data: Path) -> tuple[list[devsets.Doc], list[devsets.Doc]]:
    """The dev documents (``devsets.py``'s and the perturbed Old Testament pairs in pieces),
    and the mismatched pairs (``devsets.py``'s)."""
    docs = devsets.dev_documents(data)
    extra = [p for lang in PERTURBED_LANGS for p in pieces(perturbed(data, lang), PERTURBED_PIECES)]
    return [*docs, *extra], devsets.mismatched(docs)


def _scored(
    docs: Sequence[devsets.Doc], mismatched: Sequence[devsets.Doc], cache: Path | None = None
) -> tuple[list[Scored], list[Scored]]:
    """The documents aligned with their evidence, under zero weights (see :func:`_placeholder`);
    read from ``cache`` when it exists, else written there (a pickle: trusted, local files only)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            got: tuple[list[Scored], list[Scored]] = pickle.load(f)
        return got
    got = _aligned(docs, mismatched)
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump(got, f)
    return got


def _aligned(
    docs: Sequence[devsets.Doc], mismatched: Sequence[devsets.Doc]
) -> tuple[list[Scored], list[Scored]]:
    bead0, doc0 = _placeholder()
    with (
        mock.patch.object(calibration, "BEAD_WEIGHTS", bead0),
        mock.patch.object(calibration, "DOCUMENT_WEIGHTS", doc0),
    ):
        return [score(d) for d in docs], [score(d) for d in mismatched]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=devsets.DATA)
    parser.add_argument("--dry-run", action="store_true", help="do not write the module")
    parser.add_argument(
        "--ablation", action="store_true", help="also report each input's held-out worth"
    )
    parser.add_argument(
        "--temperatures",
        nargs="+",
        type=float,
        metavar="T",
        help="only report held-out figures with the lattice at each temperature (writes nothing)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        help="pickle of the aligned dev documents: read if it exists, else written (for trying "
        "inputs over the same alignments; delete it whenever the engine changes)",
    )
    args = parser.parse_args()
    start = time.process_time()
    docs, pairs = _documents(args.data)
    if args.temperatures:
        for t in args.temperatures:
            with mock.patch.object(confidence, "TEMPERATURE", t):
                true, mismatched = _scored(docs, pairs)
            held = held_out(true, mismatched)
            report(true, mismatched, _by_name(held), f"T={t}: held out")
        return
    # The ablation also measures the link strengths and merge figures that are not shipped
    # inputs.
    within = functools.partial(link_evidence.link_evidence, within=args.ablation)
    merges = functools.partial(merge_evidence.merge_evidence, full=args.ablation)
    with (
        mock.patch.object(confidence, "link_evidence", within),
        mock.patch.object(confidence, "merge_evidence", merges),
    ):
        true, mismatched = _scored(docs, pairs, args.cache)
    print(
        f"{len(true)} true pairs ({sum(len(s.right) for s in true)} beads), "
        f"{len(mismatched)} mismatched pairs"
    )
    bead, document = fit(true, mismatched)
    outside = held_out(true, mismatched)
    inside = report(
        true,
        mismatched,
        lambda s: calibrated(s.evidence, bead, document),
        "fitted on all dev documents (in sample)",
    )
    held = report(
        true, mismatched, lambda s: outside[s.doc.name], f"held out ({FOLDS} folds over documents)"
    )
    if args.ablation:
        ablation(true, mismatched)
    print("\nbead weights:", {k: round(v, 4) for k, v in bead.items()})
    print("document weights:", {k: round(v, 4) for k, v in document.items()})
    note = (
        f"\nFitted on {len(true)} dev documents ({sum(len(s.right) for s in true)} beads) and "
        f"{len(mismatched)} mismatched pairs.\nExpected calibration error, in sample / held out:\n"
        + "".join(f"{f} {inside[f]:.3f} / {held[f]:.3f}\n" for f in FAMILIES)
    )
    if not args.dry_run:
        OUTPUT.write_text(module_text(bead, document, note), encoding="utf-8")
        print(f"\nwrote {OUTPUT.relative_to(ROOT)}")
    print(f"CPU time {time.process_time() - start:.0f} s")


if __name__ == "__main__":
    main()
