"""Calibration of bead confidence and the document quality score, measured on the dev gold.

Prints, as Markdown: reliability tables and expected calibration error (ECE) per dev family,
before (the uncalibrated ``sigmoid(margin / 4)`` of earlier versions, recomputed from the same
evidence) and after calibration; the separation of true document pairs from mismatched ones
(each document's source with another document's translation): lowest true quality, highest
mismatched quality, AUC; and quality, coverage and warnings of degenerate and partial pairs.
With matplotlib installed (the ``bench`` extra) it also draws the reliability diagrams as a PNG.

Run from the project root::

    python benchmarks/calibration.py [--data DIR] [--png benchmarks/calibration.png]

The documents are those of ``devsets.py``, which the calibration was fitted on
(``tools/fit_calibration.py`` reports the held-out figures); the whole Text+Berg dev file in
one piece and the first Bible verses as they are (verse-parallel, fr-en and fr-ru) are scored as
well: other document sizes, and text that was not re-cut.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import devsets
import numpy as np
from calibration_stats import FloatArray, Scored, auc, ece, reliability, score

from aligner.quality import alignment_warnings
from aligner.scoring.confidence import MARGIN_CLIP

#: The temperature of the uncalibrated confidence, ``sigmoid(margin / 4)``.
OLD_TEMPERATURE = 4.0
FAMILIES = ("textberg", "transread", "bible")


def before(s: Scored) -> FloatArray:
    """The uncalibrated confidence of earlier versions for the same beads."""
    margin = np.clip(s.evidence.margin, -MARGIN_CLIP, MARGIN_CLIP) / OLD_TEMPERATURE
    return np.asarray(1.0 / (1.0 + np.exp(-margin)), np.float64)


def after(s: Scored) -> FloatArray:
    """The confidences the aligner gives now."""
    return np.array([b.confidence for b in s.alignment.beads], np.float64)


def _pooled(docs: Sequence[Scored], which: str) -> tuple[FloatArray, FloatArray]:
    conf = np.concatenate([before(s) if which == "before" else after(s) for s in docs])
    return conf, np.concatenate([s.right for s in docs])


def reliability_tables(groups: dict[str, list[Scored]]) -> None:
    """Per group, before and after: each bin's beads, mean confidence and share right; ECE."""
    print("## Reliability (bead confidence against share exactly right)\n")
    for name, docs in groups.items():
        print(f"### {name}\n")
        print(
            "| bin | beads before | confidence before | right before "
            "| beads after | confidence after | right after |"
        )
        print("|---|---|---|---|---|---|---|")
        rows: dict[float, list[str]] = {}
        for which in ("before", "after"):
            conf, right = _pooled(docs, which)
            filled = {lo: (n, c, r) for lo, _, n, c, r in reliability(conf, right)}
            for k in range(10):
                lo = k / 10
                n, c, r = filled.get(lo, (0, float("nan"), float("nan")))
                cells = [str(n), "—" if n == 0 else f"{c:.3f}", "—" if n == 0 else f"{r:.3f}"]
                rows.setdefault(lo, []).extend(cells)
        for lo, cells in rows.items():
            print(f"| {lo:.1f}-{lo + 0.1:.1f} | " + " | ".join(cells) + " |")
        e0, e1 = ece(*_pooled(docs, "before")), ece(*_pooled(docs, "after"))
        print(f"\nECE before {e0:.3f}, after {e1:.3f}\n")


def separation(true: Sequence[Scored], mismatched: Sequence[Scored]) -> None:
    """Quality of true pairs against mismatched ones: the extremes, AUC, per document."""
    tq = [s.alignment.quality for s in true]
    mq = [s.alignment.quality for s in mismatched]
    old_t = [float(before(s).mean()) for s in true]
    old_m = [float(before(s).mean()) for s in mismatched]
    print("## True against mismatched document pairs\n")
    print("| score | lowest true | highest mismatched | AUC |")
    print("|---|---|---|---|")
    print(
        f"| mean uncalibrated confidence (before) | {min(old_t):.3f} | {max(old_m):.3f} "
        f"| {auc(old_t, old_m):.3f} |"
    )
    print(f"| quality (after) | {min(tq):.3f} | {max(mq):.3f} | {auc(tq, mq):.3f} |")
    print(f"\n{len(true)} true pairs, {len(mismatched)} mismatched.\n")
    print("| pair | quality | coverage src / tgt | beads right |")
    print("|---|---|---|---|")
    for s in [*true, *mismatched]:
        cs, ct = s.alignment.coverage
        print(
            f"| {s.doc.name} | {s.alignment.quality:.3f} | {cs:.2f} / {ct:.2f} "
            f"| {s.right.mean():.3f} |"
        )
    print()


def others(title: str, docs: Sequence[Scored]) -> None:
    """Quality, coverage, share of paired beads right and warnings of other pairs."""
    print(f"## {title}\n")
    print("| pair | sentences | quality | coverage src / tgt | paired beads right | warnings |")
    print("|---|---|---|---|---|---|")
    for s in docs:
        a = s.alignment
        paired = s.evidence.paired > 0
        right = f"{s.right[paired].mean():.3f}" if paired.any() else "—"
        cs, ct = a.coverage
        warn = "; ".join(alignment_warnings(a)) or "—"
        print(
            f"| {s.doc.name} | {len(a.src)} × {len(a.tgt)} | {a.quality:.3f} "
            f"| {cs:.2f} / {ct:.2f} | {right} | {warn} |"
        )
    print()


def diagram(groups: dict[str, list[Scored]], path: Path) -> None:
    """Reliability diagrams, one panel per group, before and after, as a PNG."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            f"(matplotlib is not installed: no diagram written to {path}; "
            "pip install -e '.[bench]')\n"
        )
        return
    columns = min(3, len(groups))
    rows = -(-len(groups) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 4.2 * rows), squeeze=False)
    panels = axes.ravel()
    for ax in panels[len(groups) :]:
        ax.set_visible(False)
    for ax, (name, docs) in zip(panels, groups.items(), strict=False):
        ax.plot([0, 1], [0, 1], color="grey", linewidth=0.8, linestyle=":")
        for which, colour in (("before", "tab:orange"), ("after", "tab:blue")):
            conf, right = _pooled(docs, which)
            table = reliability(conf, right)
            xs = [c for *_, c, _ in table]
            ys = [r for *_, r in table]
            sizes = [max(8.0, 300.0 * n / conf.size) for _, _, n, _, _ in table]
            label = f"{which} (ECE {ece(conf, right):.3f})"
            ax.plot(xs, ys, color=colour, linewidth=1)
            ax.scatter(xs, ys, s=sizes, color=colour, label=label)
        ax.set_title(name)
        ax.set_xlabel("mean confidence in bin")
        ax.set_ylabel("share of beads exactly right")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    print(f"(reliability diagram written to {path})\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=devsets.DATA)
    parser.add_argument("--png", type=Path, default=Path(__file__).with_name("calibration.png"))
    args = parser.parse_args()
    docs = devsets.dev_documents(args.data)
    true = [score(d) for d in docs]
    mismatched = [score(d) for d in devsets.mismatched(docs)]
    groups = {f: [s for s in true if s.doc.family == f] for f in FAMILIES}
    groups["textberg, whole dev file"] = [score(devsets.textberg_whole(args.data))]
    groups[f"bible, first {devsets.BIBLE_LINES} verses unedited"] = [
        score(d) for d in devsets.bible_verses(args.data)
    ]
    reliability_tables(groups)
    diagram(groups, args.png)
    separation(true, mismatched)
    others("Degenerate unrelated pairs", [score(d) for d in devsets.extremes(args.data)])
    for share in devsets.PARTIAL_SHARES:
        partial = [score(d) for d in devsets.partial(docs, share)]
        others(f"Partial translations: the target cut after {share:.0%} of the gold beads", partial)


if __name__ == "__main__":
    main()
