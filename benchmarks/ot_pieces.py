"""The perturbed Old Testament cut into small documents, each aligned alone: micro strict F1.

A proxy of unseen short texts for a lexicon change: a document of ~130 verses trains Model 1
on few beads, so what the shipped dictionaries know weighs more than on the whole book. The
gold is cut at bead boundaries (``devsets.cut_at_gold``) into ``--pieces`` documents; counts
are summed over them (``aligner.evaluation.evaluate_documents``). Run from the project root::

    python benchmarks/ot_pieces.py --pieces 150
    python benchmarks/ot_pieces.py --perturbed /tmp/ot_en_ru:en:ru   # another pair, made by
                                                                     # perturb_bible.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

import devsets

import aligner
from aligner.evaluation import Scores, evaluate_documents, parse_beads


def _read(folder: Path, langs: tuple[str, str], pieces: int) -> list[devsets.Doc]:
    """A perturbed pair's folder (``src.txt``, ``tgt.txt``, ``gold``) cut into pieces."""
    src = (folder / "src.txt").read_text(encoding="utf-8").splitlines()
    tgt = (folder / "tgt.txt").read_text(encoding="utf-8").splitlines()
    gold = parse_beads((folder / "gold").read_text(encoding="utf-8"))
    cut = devsets.cut_at_gold(folder.name, "ot-pieces", src, tgt, langs, gold, pieces)
    return [doc for doc, _, _ in cut]


def score(docs: list[devsets.Doc]) -> Scores:
    """Each piece aligned alone with default settings, scored together."""
    pairs = []
    for d in docs:
        test = aligner.align(list(d.src), list(d.tgt), src_lang=d.src_lang, tgt_lang=d.tgt_lang)
        pairs.append((test, d.gold))
    return evaluate_documents(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=150)
    parser.add_argument("--data", type=Path, default=devsets.DATA)
    parser.add_argument(
        "--perturbed",
        action="append",
        default=[],
        help="DIR:SRC:TGT, a perturbed pair made by perturb_bible.py (repeatable)",
    )
    args = parser.parse_args()
    sets = [(args.data / "bible_ot_perturbed_fr-ru", ("fr", "ru"))]
    for spec in args.perturbed:
        folder, s, t = spec.rsplit(":", 2)
        sets.append((Path(folder), (s, t)))
    print("| set | pieces | strict P / R / F1 |")
    print("|---|---|---|")
    for folder, langs in sets:
        sc = score(_read(folder, langs, args.pieces))
        p, r, f = sc.strict_precision, sc.strict_recall, sc.strict_f1
        name = f"{folder.name} ({'-'.join(langs)})"
        print(f"| {name} | {args.pieces} | {p:.4f} / {r:.4f} / {f:.5f} |")


if __name__ == "__main__":
    main()
