"""Does confidence find the errors? Ranking of wrong beads by confidence on every dev set.

For each dev set (the whole Text+Berg de-fr dev file, the five TransRead fr-en dev books, the
perturbed Old Testament pairs fr-en and fr-ru): AUROC of confidence for "this bead is wrong"
(strict: a bead is right iff it equals a gold bead), the share of the wrong beads found among the
least confident 10 % and 20 % of beads, the share under the page's 0.5 "doubtful" line, the
expected calibration error and a reliability table; then whether ``quality`` still puts every
true dev pair above every mismatched one (``devsets.py``'s pairs, as the calibration fit uses).
A reviewer reads rows from the least confident up: the top-10 % figure is what an hour of
review finds.

Run from the project root (prints Markdown and writes it to ``benchmarks/results_triage.md``)::

    python benchmarks/triage.py [--data DIR] [--output FILE] [--no-separation]

Every set here is read by the calibration fit (the perturbed pairs cut into pieces), so these
figures are in sample: ``tools/fit_calibration.py`` reports the held-out ones.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import devsets
import numpy as np
from calibration_stats import (
    PERTURBED_LANGS,
    FloatArray,
    Scored,
    auc,
    auroc,
    ece,
    found,
    perturbed,
    reliability,
    score,
)

#: Shares of beads, least confident first, that a reviewer reads.
READ_SHARES = (0.1, 0.2)
#: The page's "doubtful" line (``aligner/output/html.py`` shades beads under it).
DOUBTFUL = 0.5
OUTPUT = Path(__file__).with_name("results_triage.md")


def _pooled(docs: Sequence[Scored]) -> tuple[FloatArray, FloatArray]:
    conf = np.concatenate([[b.confidence for b in s.alignment.beads] for s in docs])
    return np.asarray(conf, np.float64), np.concatenate([s.right for s in docs])


def summary(groups: dict[str, list[Scored]]) -> list[str]:
    """One row per group: beads, wrong, AUROC, found in the least confident shares, ECE."""
    head = " | ".join(f"wrong in least {s:.0%}" for s in READ_SHARES)
    out = [
        f"| set | beads | wrong | AUROC | {head} | wrong under {DOUBTFUL} "
        "| mean conf. wrong / right | ECE |",
        "|---|---|---|---|" + "---|" * len(READ_SHARES) + "---|---|---|",
    ]
    for name, docs in groups.items():
        conf, right = _pooled(docs)
        wrong = right < 0.5
        shares = " | ".join(f"{found(conf, right, s):.3f}" for s in READ_SHARES)
        under = float((conf[wrong] < DOUBTFUL).mean()) if wrong.any() else float("nan")
        means = f"{conf[wrong].mean():.3f} / {conf[~wrong].mean():.3f}" if wrong.any() else "—"
        out.append(
            f"| {name} | {conf.size} | {int(wrong.sum())} | {auroc(conf, right):.3f} | {shares} "
            f"| {under:.3f} | {means} | {ece(conf, right):.3f} |"
        )
    return out


def tables(groups: dict[str, list[Scored]]) -> list[str]:
    """A reliability table per group (equal-width bins: beads, mean confidence, share right)."""
    out: list[str] = []
    for name, docs in groups.items():
        conf, right = _pooled(docs)
        out += [
            f"### {name}",
            "",
            "| bin | beads | mean confidence | share right |",
            "|---|---|---|---|",
        ]
        for lo, hi, n, c, r in reliability(conf, right):
            out.append(f"| {lo:.1f}-{hi:.1f} | {n} | {c:.3f} | {r:.3f} |")
        out.append("")
    return out


def separation(data: Path) -> list[str]:
    """Quality of the true dev pairs against the mismatched ones."""
    docs = devsets.dev_documents(data)
    true = [score(d).alignment.quality for d in docs]
    mismatched = [score(d).alignment.quality for d in devsets.mismatched(docs)]
    kept = "yes" if min(true) > max(mismatched) else "NO"
    return [
        "| true pairs | mismatched | lowest true quality | highest mismatched | AUC "
        "| all true above |",
        "|---|---|---|---|---|---|",
        f"| {len(true)} | {len(mismatched)} | {min(true):.3f} | {max(mismatched):.3f} "
        f"| {auc(true, mismatched):.3f} | {kept} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=devsets.DATA)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--no-separation", action="store_true", help="skip the quality check")
    args = parser.parse_args()
    start = time.process_time()
    transread = [score(d) for d in devsets.transread(args.data)]
    bible = {lang: score(perturbed(args.data, lang)) for lang in PERTURBED_LANGS}
    groups: dict[str, list[Scored]] = {
        "Text+Berg de-fr dev (whole file)": [score(devsets.textberg_whole(args.data))],
        "TransRead fr-en dev (5 books)": transread,
        **{f"TransRead {s.doc.name.removeprefix('transread-')}": [s] for s in transread},
        **{f"Bible OT perturbed fr-{lang}": [s] for lang, s in bible.items()},
    }
    lines = [
        "# Triage: does confidence find the wrong beads?",
        "",
        "Written by `python benchmarks/triage.py` (see its docstring for the sets and measures).",
        "",
        *summary(groups),
        "",
    ]
    if not args.no_separation:
        lines += ["## Quality: true against mismatched dev pairs", "", *separation(args.data), ""]
    lines += ["## Reliability", "", *tables(groups)]
    lines.append(f"CPU time of the run: {time.process_time() - start:.0f} s.")
    text = "\n".join(lines) + "\n"
    print(text)
    args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
