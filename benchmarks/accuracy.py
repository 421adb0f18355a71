"""Accuracy on the dev sets with gold: strict and lax P/R/F1 beside nltk gale_church and hunalign.

Run: ``/work/venv/bin/python benchmarks/accuracy.py [--data DIR]`` (default ``../shared/data``
relative to the project root). Also checks French–Russian on the first lines of the Bible
(gold: line i ↔ line i).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from aligner.evaluation import Scores, evaluate_documents, parse_beads
from aligner.pipeline import AlignConfig, align

ROOT = Path(__file__).resolve().parent.parent
#: Figures measured for nltk's gale_church and hunalign without a dictionary (DESIGN.md).
BASELINES = {
    "textberg_de-fr_dev": ((0.487, 0.649), (0.659, 0.877)),
    "transread_fr-en_literary_dev": ((0.510, 0.579), (0.790, 0.909)),
}
BOOKS = (
    "AlicesAdventuresInWonderland",
    "Emma",
    "LaFauteDeLAbbeMouret",
    "LesTravailleursDeLaMer",
    "VoyageAuCentreDeLaTerre",
)
BIBLE_LINES = 2000


def _lines(path: Path) -> list[str]:
    return [line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines()]


def _pairs(data: Path) -> dict[str, list[tuple[Path, Path, Path, str, str]]]:
    tb = data / "textberg_de-fr_dev"
    tr = data / "transread_fr-en_literary_dev"
    return {
        "textberg_de-fr_dev": [(tb / "dev.de", tb / "dev.fr", tb / "dev.defr", "de", "fr")],
        "transread_fr-en_literary_dev": [
            (tr / b / f"{b}.fr", tr / b / f"{b}.en", tr / b / f"{b}.fren", "fr", "en")
            for b in BOOKS
        ],
    }


def score_set(
    docs: list[tuple[Path, Path, Path, str, str]], config: AlignConfig
) -> tuple[Scores, float]:
    """Align every document of a set and score them together (micro-average)."""
    results = []
    start = time.perf_counter()
    for src, tgt, gold, sl, tl in docs:
        test = align(_lines(src), _lines(tgt), src_lang=sl, tgt_lang=tl, config=config)
        results.append((test, parse_beads(gold.read_text(encoding="utf-8"), str(gold))))
    return evaluate_documents(results), time.perf_counter() - start


def bible(data: Path, tgt_lang: str, config: AlignConfig) -> tuple[Scores, float]:
    """First :data:`BIBLE_LINES` verses of the Old Testament, French against ``tgt_lang``."""
    folder = data / "bible_fr-en-ru_verse_OT"
    src = _lines(folder / "OT.fr")[:BIBLE_LINES]
    tgt = _lines(folder / f"OT.{tgt_lang}")[:BIBLE_LINES]
    start = time.perf_counter()
    test = align(src, tgt, src_lang="fr", tgt_lang=tgt_lang, config=config)
    gold = [((i,), (i,)) for i in range(BIBLE_LINES)]
    return evaluate_documents([(test, gold)]), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-bible", action="store_true", help="skip the Bible checks")
    default = AlignConfig().max_bead
    parser.add_argument(
        "--max-bead", type=int, default=default, help=f"widest bead side (default {default})"
    )
    args = parser.parse_args()
    config = AlignConfig(max_bead=args.max_bead)
    print(f"max_bead={config.max_bead}\n")
    print(
        "| set | strict P / R / F1 | lax P / R / F1 | nltk strict / lax F1 "
        "| hunalign strict / lax F1 | seconds |"
    )
    print("|---|---|---|---|---|---|")
    for name, docs in _pairs(args.data).items():
        s, secs = score_set(docs, config)
        (gs, gl), (hs, hl) = BASELINES[name]
        print(
            f"| {name} | {s.strict_precision:.3f} / {s.strict_recall:.3f} / {s.strict_f1:.3f} "
            f"| {s.lax_precision:.3f} / {s.lax_recall:.3f} / {s.lax_f1:.3f} "
            f"| {gs:.3f} / {gl:.3f} | {hs:.3f} / {hl:.3f} | {secs:.1f} |"
        )
    if not args.no_bible:
        for lang in ("ru", "en"):
            s, secs = bible(args.data, lang, config)
            print(
                f"| bible OT fr-{lang}, first {BIBLE_LINES} verses "
                f"| {s.strict_precision:.3f} / {s.strict_recall:.3f} / {s.strict_f1:.3f} "
                f"| {s.lax_precision:.3f} / {s.lax_recall:.3f} / {s.lax_f1:.3f} | — | — "
                f"| {secs:.1f} |"
            )


if __name__ == "__main__":
    main()
