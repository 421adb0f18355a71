"""Short texts with re-cut sentences: small Bible books, some verses merged, some dropped.

A whole book gives the aligner thousands of sentences to learn a lexicon from; a short text
does not, and French–Russian then has little besides lengths and names. Each small book of the
Old Testament (8 of them, 21 to 222 verses) is turned into a test: walking through its verses,
with a seeded random draw per verse, two target verses are merged into one line (8 %), two
source verses are merged (8 %), a target verse is dropped (2 %), and the rest stay one to one.
The gold follows from the construction; each book is drawn ``--seeds`` times and its F1
averaged. Run from the project root::

    python benchmarks/short_books.py            # strict F1 per book, fr-en and fr-ru
    python benchmarks/short_books.py --show Ruth --pair fr-ru   # the wrong beads of one book
"""

from __future__ import annotations

import argparse
import random
import zlib
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bible_fr-en-ru_verse_OT"
BOOKS = ("Ruth", "Jonah", "Esth", "Lam", "Eccl", "Song", "Obad", "Joel")
#: Probabilities of the four moves (our choice: about the share of 1-2 and 2-1 beads in the
#: literary dev gold, and a few omissions).
MERGE_TARGET, MERGE_SOURCE, DROP_TARGET = 0.08, 0.08, 0.02

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def _lines(lang: str) -> list[str]:
    return (DATA / f"OT.{lang}").read_text(encoding="utf-8").split("\n")


def book_verses() -> dict[str, list[int]]:
    """Line numbers of each book, from ``OT.refs.tsv`` (its third column names the book)."""
    rows = (DATA / "OT.refs.tsv").read_text(encoding="utf-8").rstrip("\n").split("\n")[1:]
    books: dict[str, list[int]] = defaultdict(list)
    for k, row in enumerate(rows):
        books[row.split("\t")[2]].append(k)
    return books


def make_test(
    verses: list[int], src_all: list[str], tgt_all: list[str], seed: int
) -> tuple[list[str], list[str], list[Pair]]:
    """Source lines, target lines and gold beads for one book (see the module docstring)."""
    draw = random.Random(seed)
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Pair] = []
    k = 0
    while k < len(verses):
        r, v = draw.random(), verses[k]
        pair_left = k + 1 < len(verses)
        if r < MERGE_TARGET and pair_left:
            w = verses[k + 1]
            src += [src_all[v], src_all[w]]
            tgt.append(tgt_all[v] + " " + tgt_all[w])
            gold.append(((len(src) - 2, len(src) - 1), (len(tgt) - 1,)))
            k += 2
        elif r < MERGE_TARGET + MERGE_SOURCE and pair_left:
            w = verses[k + 1]
            src.append(src_all[v] + " " + src_all[w])
            tgt += [tgt_all[v], tgt_all[w]]
            gold.append(((len(src) - 1,), (len(tgt) - 2, len(tgt) - 1)))
            k += 2
        elif r < MERGE_TARGET + MERGE_SOURCE + DROP_TARGET:
            src.append(src_all[v])
            gold.append(((len(src) - 1,), ()))
            k += 1
        else:
            src.append(src_all[v])
            tgt.append(tgt_all[v])
            gold.append(((len(src) - 1,), (len(tgt) - 1,)))
            k += 1
    return src, tgt, gold


def _score(
    verses: list[int], fr: list[str], tgt_all: list[str], lang: str, seed: int, show: str | None
) -> float:
    """Strict F1 of one draw of one book; with ``show``, its wrong beads are printed."""
    from aligner.evaluation import evaluate
    from aligner.pipeline import align
    from aligner.types import Bead

    src, tgt, gold = make_test(verses, fr, tgt_all, seed)
    result = align(src, tgt, src_lang="fr", tgt_lang=lang)
    for bead in result.beads if show else ():
        if (bead.src, bead.tgt) not in set(gold):
            left = " | ".join(src[i][:60] for i in bead.src)
            right = " | ".join(tgt[j][:60] for j in bead.tgt)
            print(f"{list(bead.src)}:{list(bead.tgt)} {bead.confidence:.2f} {left} || {right}")
    return evaluate(result.beads, [Bead(s, t, 1.0) for s, t in gold]).strict_f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=BOOKS, help="list the wrong beads of this book")
    parser.add_argument("--pair", choices=("fr-en", "fr-ru"), default="fr-ru")
    parser.add_argument("--seeds", type=int, default=5, help="draws per book (F1 averaged)")
    args = parser.parse_args()
    books = book_verses()
    fr = _lines("fr")
    pairs = ("fr-en", "fr-ru") if args.show is None else (args.pair,)
    print("| pair | " + " | ".join(BOOKS) + " | mean |")
    print("|---|" + "---:|" * (len(BOOKS) + 1))
    for pair in pairs:
        lang = pair.split("-")[1]
        tgt_all = _lines(lang)
        scores = []
        for book in BOOKS if args.show is None else (args.show,):
            f1 = [
                _score(books[book], fr, tgt_all, lang, zlib.crc32(book.encode()) + seed, args.show)
                for seed in range(args.seeds if args.show is None else 1)
            ]
            scores.append(sum(f1) / len(f1))
        cells = " | ".join(f"{f:.3f}" for f in scores)
        print(f"| {pair} | {cells} | {sum(scores) / len(scores):.3f} |")


if __name__ == "__main__":
    main()
