"""Measure aligner's sentence splitter on the UD segmentation dev sets (boundary and CoNLL F1).

Usage::

    /work/venv/bin/python benchmarks/segmentation.py [--data DIR] [--genres] [--literary [DIR]]

For each treebank, every document of the raw ``.txt`` (documents are separated by two blank
lines, paragraphs by one) is given whole to :func:`aligner.segmentation.sentences.segment`.
Scores compare offsets counted in non-whitespace characters, as ``conll18_ud_eval.py`` does:

- boundary P/R/F1 over *internal* boundaries (sentence ends that are not paragraph ends:
  paragraph ends come free, since both sides split at blank lines);
- CoNLL 2018 "Sentences" F1: a predicted sentence counts only when both its ends match a
  gold sentence.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from aligner.segmentation.sentences import segment

TREEBANKS = ("fr_gsd", "fr_sequoia", "en_ewt", "en_gum", "ru_gsd", "ru_taiga")

# Published "Sentences" F1 (%) on each treebank's TEST split, raw-text input, as listed in the
# data's SOURCE.md: UDPipe 2 (UD 2.12 / 2.15 / 2.17 models), Stanza 1.1.1 and Trankit
# base / large (UD 2.5, from Trankit's performance page).
PUBLISHED: dict[str, tuple[str, str, str]] = {
    "fr_gsd": ("94.93/94.67/93.82", "94.92", "96.63/98.80"),
    "fr_sequoia": ("89.53/88.77/90.20", "88.79", "94.36/94.07"),
    "en_ewt": ("87.82/87.55/88.42", "81.13", "88.35/90.49"),
    "en_gum": ("95.72/96.06/95.77", "86.35", "91.63/91.60"),
    "ru_gsd": ("96.49/96.49/96.49", "97.16", "98.25/99.25"),
    "ru_taiga": ("86.01/86.01/88.78", "85.79", "92.60/92.32"),
}


@dataclass(frozen=True)
class Counts:
    """Match counts for one treebank (or one genre of it)."""

    gold_boundaries: int
    pred_boundaries: int
    boundary_hits: int
    gold_sentences: int
    pred_sentences: int
    sentence_hits: int

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (
            self.gold_boundaries,
            self.pred_boundaries,
            self.boundary_hits,
            self.gold_sentences,
            self.pred_sentences,
            self.sentence_hits,
        )


def prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0 when a denominator is 0)."""
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def nonspace_offsets(text: str) -> list[int]:
    """``out[i]`` = number of non-whitespace characters in ``text[:i]`` (length len+1)."""
    return [0, *itertools.accumulate(0 if c.isspace() else 1 for c in text)]


def document_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each document of a treebank's .txt (separated by two blank lines)."""
    spans, start = [], 0
    for part in text.split("\n\n\n"):
        spans.append((start, start + len(part)))
        start += len(part) + 3
    return spans


def score_document(
    raw: str,
    gold: list[tuple[int, int]],
    paragraph_ends: set[int],
    lang: str,
) -> Counts:
    """Counts for one document; ``gold`` and ``paragraph_ends`` in non-space offsets of ``raw``."""
    doc = segment(raw, lang)
    pos = nonspace_offsets(doc.text)
    if pos[-1] != nonspace_offsets(raw)[-1]:
        raise ValueError("normalisation changed the non-space characters of a document")
    pred = [(pos[s.start], pos[s.end]) for s in doc.sentences]
    gold_b = {e for _, e in gold} - paragraph_ends
    pred_b = {e for _, e in pred} - paragraph_ends
    return Counts(
        gold_boundaries=len(gold_b),
        pred_boundaries=len(pred_b),
        boundary_hits=len(gold_b & pred_b),
        gold_sentences=len(gold),
        pred_sentences=len(pred),
        sentence_hits=len(set(gold) & set(pred)),
    )


def score_treebank(folder: Path, name: str) -> dict[str, Counts]:
    """Counts per genre (and "all") for one treebank."""
    text = (folder / f"{name}-dev.txt").read_text(encoding="utf-8")
    with (folder / f"{name}-dev.offsets.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    with (folder / f"{name}-dev.docs.tsv").open(encoding="utf-8") as handle:
        genres = {int(r["doc"]): r["genre"] for r in csv.DictReader(handle, delimiter="\t")}
    lang = name[:2]
    counts: dict[str, Counts] = {}
    for doc_index, (start, end) in enumerate(document_spans(text.rstrip("\n"))):
        raw = text[start:end]
        pos = nonspace_offsets(raw)
        doc_rows = [r for r in rows if int(r["doc"]) == doc_index]
        gold = [(pos[int(r["start"]) - start], pos[int(r["end"]) - start]) for r in doc_rows]
        last_of_paragraph: dict[str, int] = {}
        for r, (_, e) in zip(doc_rows, gold, strict=True):
            last_of_paragraph[r["par"]] = e
        c = score_document(raw, gold, set(last_of_paragraph.values()), lang)
        genre = genres.get(doc_index, "-")
        counts[genre] = counts[genre] + c if genre in counts else c
        counts["all"] = counts["all"] + c if "all" in counts else c
    return counts


def literary_splits(folder: Path) -> list[tuple[str, int, int]]:
    """(book.lang, gold sentences, sentences we cut in two or more) for each TransRead book.

    The books' gold files hold one sentence per line (tokenised: "Woodhouse , handsome"), so
    every cut inside a line is a false split in literary prose.
    """
    rows = []
    for book in sorted(p for p in folder.iterdir() if p.is_dir()):
        for lang in ("fr", "en"):
            path = book / f"{book.name}.{lang}"
            lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
            cut = sum(1 for x in lines if len(segment(x, lang).sentences) > 1)
            rows.append((f"{book.name}.{lang}", len(lines), cut))
    return rows


def default_data() -> Path:
    """``shared/data/ud_segmentation_dev`` beside the project folder."""
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ud_segmentation_dev"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=default_data(), help="UD dev folder")
    parser.add_argument("--genres", action="store_true", help="also print one row per genre")
    parser.add_argument("--treebank", action="append", choices=TREEBANKS, help="only these")
    parser.add_argument(
        "--literary",
        type=Path,
        nargs="?",
        const=default_data().parent / "transread_fr-en_literary_dev",
        help="also count false splits inside the gold sentences of the TransRead books",
    )
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no such folder: {args.data}", file=sys.stderr)
        return 1
    header = (
        f"| {'treebank':<22} | {'boundary P':>10} | {'boundary R':>10} | {'boundary F1':>11} "
        f"| {'Sentences F1':>12} | UDPipe 2 (2.12/2.15/2.17) | Stanza | Trankit base/large |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    started = time.perf_counter()
    warnings.simplefilter("error")
    for name in args.treebank or TREEBANKS:
        counts = score_treebank(args.data, name)
        keys = ["all"] + (sorted(k for k in counts if k != "all") if args.genres else [])
        for key in keys:
            c = counts[key]
            bp, br, bf = prf(c.boundary_hits, c.pred_boundaries, c.gold_boundaries)
            _, _, sf = prf(c.sentence_hits, c.pred_sentences, c.gold_sentences)
            udpipe, stanza, trankit = PUBLISHED[name] if key == "all" else ("", "", "")
            label = name if key == "all" else f"  {name} {key}"
            print(
                f"| {label:<22} | {100 * bp:10.2f} | {100 * br:10.2f} | {100 * bf:11.2f} "
                f"| {100 * sf:12.2f} | {udpipe:<25} | {stanza:<6} | {trankit:<18} |"
            )
    if args.literary:
        print("\n| book | gold sentences | cut by us |\n|---|---|---|")
        for name, total, cut in literary_splits(args.literary):
            print(f"| {name} | {total} | {cut} |")
    print(f"\n({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
