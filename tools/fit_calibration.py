"""Fit the confidence calibration on the dev gold and write ``aligner/scoring/calibration.py``.

Rerun it whenever the engine changes what it scores (costs, lexicon, search): the evidence the
calibration reads moves with it. From the project root::

    python tools/fit_calibration.py            # fit, report, write aligner/scoring/calibration.py
    python tools/fit_calibration.py --dry-run  # fit and report only
    python tools/fit_calibration.py --temperatures 1 2 4  # held-out figures per lattice temperature

The dev documents are those of ``benchmarks/devsets.py``: Text+Berg dev in four pieces, the five
TransRead dev books, and sixteen re-cut Bible passages (fr-en, fr-ru). The two models of
:mod:`aligner.scoring.confidence` are fitted by Newton's method on an L2-penalised log-loss:

* the bead model on the beads of the true pairs, each family weighing the same in total (the
  Bible would otherwise outweigh Text+Berg twelve to one);
* the document model on the true pairs against the mismatched ones (each document's source with
  another document's translation of the same family), one weight per document.

Held-out figures come from four folds over documents: each fold's documents (and any mismatched
pair built from one of them) are left out of both fits and scored by the models fitted on the rest.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from unittest import mock

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import devsets  # noqa: E402
from calibration_stats import Scored, auc, auroc, ece, found, score  # noqa: E402

from aligner.scoring import calibration, confidence  # noqa: E402
from aligner.scoring.confidence import (  # noqa: E402
    BEAD_FEATURES,
    DOCUMENT_FEATURES,
    bead_features,
    calibrated,
    document_features,
)

FloatArray = npt.NDArray[np.float64]
Weights = dict[str, float]
#: Families the target ECE is checked on.
FAMILIES = ("textberg", "transread", "bible")
#: L2 penalties (on a loss where each family weighs 1 in all; per document for the document
#: model). The document model's data are separable (true pairs match far more beads than
#: unrelated ones), so its penalty is what keeps its slope finite.
BEAD_L2 = 1e-2
DOCUMENT_L2 = 1e-3
FOLDS = 4
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


def fit(true: Sequence[Scored], mismatched: Sequence[Scored]) -> tuple[Weights, Weights]:
    """Bead weights from the true pairs' beads, document weights from true vs mismatched."""
    totals: dict[str, int] = {}
    for s in true:
        totals[s.doc.family] = totals.get(s.doc.family, 0) + len(s.right)
    x = np.vstack([bead_features(s.evidence) for s in true])
    y = np.concatenate([s.right for s in true])
    w = np.concatenate([np.full(len(s.right), 1.0 / totals[s.doc.family]) for s in true])
    bead = _named(fit_logistic(x, y, w, BEAD_L2), BEAD_FEATURES)
    docs = [*true, *mismatched]
    xd = np.vstack([document_features(s.evidence) for s in docs])
    yd = np.array([1.0] * len(true) + [0.0] * len(mismatched))
    document = _named(fit_logistic(xd, yd, np.ones(len(docs)), DOCUMENT_L2), DOCUMENT_FEATURES)
    return bead, document


def _sources(s: Scored) -> list[str]:
    """The dev documents a (possibly mismatched) pair was built from."""
    return s.doc.name.split("~")


def held_out(true: Sequence[Scored], mismatched: Sequence[Scored]) -> dict[str, FloatArray]:
    """Each document's confidences from models fitted without it (``FOLDS`` folds)."""
    rng = random.Random(SEED)
    fold: dict[str, int] = {}
    for family in FAMILIES:
        names = [s.doc.name for s in true if s.doc.family == family]
        rng.shuffle(names)
        fold.update({n: k % FOLDS for k, n in enumerate(names)})
    out: dict[str, FloatArray] = {}
    for f in range(FOLDS):

        def kept(s: Scored, f: int = f) -> bool:
            return all(fold[n] != f for n in _sources(s))

        bead, document = fit([s for s in true if kept(s)], [s for s in mismatched if kept(s)])
        for s in [*true, *mismatched]:
            if fold[_sources(s)[0]] == f:
                out[s.doc.name] = calibrated(s.evidence, bead, document)
    return out


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


def _scored(docs: Sequence[devsets.Doc]) -> tuple[list[Scored], list[Scored]]:
    """The dev documents and their mismatched pairs, aligned with their evidence."""
    bead0, doc0 = _placeholder()
    with (
        mock.patch.object(calibration, "BEAD_WEIGHTS", bead0),
        mock.patch.object(calibration, "DOCUMENT_WEIGHTS", doc0),
    ):
        return [score(d) for d in docs], [score(d) for d in devsets.mismatched(docs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=devsets.DATA)
    parser.add_argument("--dry-run", action="store_true", help="do not write the module")
    parser.add_argument(
        "--temperatures",
        nargs="+",
        type=float,
        metavar="T",
        help="only report held-out figures with the lattice at each temperature (writes nothing)",
    )
    args = parser.parse_args()
    docs = devsets.dev_documents(args.data)
    if args.temperatures:
        for t in args.temperatures:
            with mock.patch.object(confidence, "TEMPERATURE", t):
                true, mismatched = _scored(docs)
            held = held_out(true, mismatched)
            report(true, mismatched, _by_name(held), f"T={t}: held out")
        return
    true, mismatched = _scored(docs)
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


if __name__ == "__main__":
    main()
