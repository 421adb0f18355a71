"""Bible passages re-cut into documents with merged and dropped verses, and their gold beads.

The Old Testament files are verse-parallel (line i of every language is the same verse), so
verse i <-> verse i is a gold alignment, but a trivial one: every bead is 1-1. Real
translations join and split sentences and leave some out. This script takes seeded random
passages and, on one side chosen at random each time, joins a verse to the next one (the gold
bead becomes 1-2 or 2-1) or drops a verse or a short run of verses (the other side's verses
become 1-0 or 0-1 beads). Everything is drawn from ``random.Random(seed)``, so a seed gives the
same documents on every machine.

Run from the project root to see what a seed gives::

    python benchmarks/recut.py --seed 12 --docs 6
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bible_fr-en-ru_verse_OT"
#: Probability that a verse is joined to the next one on one side (our choice: the dev novels
#: have 15-30 % of beads wider than 1-1, the Bible has none; 0.08 gives about 7 % 1-2/2-1).
MERGE_RATE = 0.08
#: Probability that one verse is missing on one side (our choice).
DROP_RATE = 0.02
#: Probability that a run of :data:`RUN_LENGTHS` verses starts missing on one side: a passage
#: the translation left out, or one a source edition has and the other has not.
RUN_RATE = 0.004
RUN_LENGTHS = (2, 8)
#: Passage lengths in verses (a chapter or two up to a short book).
PASSAGE_LENGTHS = (150, 600)

Bead = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Recut:
    """One re-cut passage: its lines on both sides, the gold beads and where it came from."""

    name: str
    src: tuple[str, ...]
    tgt: tuple[str, ...]
    gold: tuple[Bead, ...]


def read_verses(lang: str, data: Path = DATA) -> list[str]:
    """All Old Testament verses of one language, one per line."""
    return (data / f"OT.{lang}").read_text(encoding="utf-8").splitlines()


def recut(src: list[str], tgt: list[str], rng: random.Random, name: str) -> Recut:
    """Verse-parallel ``src`` and ``tgt`` with verses joined and dropped at random.

    Edits never touch a verse another edit already took, so every gold bead stays a simple
    1-1, 1-2, 2-1, 1-0 or 0-1 (a run of dropped verses gives one null bead per verse).
    """
    if len(src) != len(tgt):
        raise ValueError("recut needs verse-parallel sides")
    out_src: list[str] = []
    out_tgt: list[str] = []
    gold: list[Bead] = []
    k, n = 0, len(src)
    while k < n:
        draw = rng.random()
        side = rng.randrange(2)  # 0: the edit happens on the source side, 1: on the target side
        if draw < RUN_RATE:
            run = min(rng.randint(*RUN_LENGTHS), n - k)
            for v in range(k, k + run):
                _keep_one_side(out_src, out_tgt, gold, src[v], tgt[v], keep_src=side == 1)
            k += run
        elif draw < RUN_RATE + DROP_RATE:
            _keep_one_side(out_src, out_tgt, gold, src[k], tgt[k], keep_src=side == 1)
            k += 1
        elif draw < RUN_RATE + DROP_RATE + MERGE_RATE and k + 1 < n:
            i, j = len(out_src), len(out_tgt)
            if side == 0:
                out_src.append(f"{src[k]} {src[k + 1]}")
                out_tgt += [tgt[k], tgt[k + 1]]
                gold.append(((i,), (j, j + 1)))
            else:
                out_src += [src[k], src[k + 1]]
                out_tgt.append(f"{tgt[k]} {tgt[k + 1]}")
                gold.append(((i, i + 1), (j,)))
            k += 2
        else:
            gold.append(((len(out_src),), (len(out_tgt),)))
            out_src.append(src[k])
            out_tgt.append(tgt[k])
            k += 1
    return Recut(name, tuple(out_src), tuple(out_tgt), tuple(gold))


def _keep_one_side(
    out_src: list[str], out_tgt: list[str], gold: list[Bead], s: str, t: str, *, keep_src: bool
) -> None:
    """Append one verse to one side only, with its null gold bead."""
    if keep_src:
        gold.append(((len(out_src),), ()))
        out_src.append(s)
    else:
        gold.append(((), (len(out_tgt),)))
        out_tgt.append(t)


def passages(
    seed: int, count: int, tgt_lang: str, src_lang: str = "fr", data: Path = DATA
) -> list[Recut]:
    """``count`` re-cut passages of ``src_lang`` against ``tgt_lang``, seeded.

    Passages start at random verses, do not overlap one another, and have random lengths in
    :data:`PASSAGE_LENGTHS`.
    """
    src_all, tgt_all = read_verses(src_lang, data), read_verses(tgt_lang, data)
    rng = random.Random(f"{seed}-{src_lang}-{tgt_lang}")
    out: list[Recut] = []
    taken: list[tuple[int, int]] = []
    while len(out) < count:
        size = rng.randint(*PASSAGE_LENGTHS)
        start = rng.randrange(len(src_all) - size)
        if any(start < e and s < start + size for s, e in taken):
            continue
        taken.append((start, start + size))
        name = f"bible-{src_lang}{tgt_lang}-{start}"
        sl = slice(start, start + size)
        out.append(recut(src_all[sl], tgt_all[sl], rng, name))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--docs", type=int, default=6)
    parser.add_argument("--tgt", choices=("en", "ru"), default="en")
    args = parser.parse_args()
    for doc in passages(args.seed, args.docs, args.tgt):
        shapes = Counter(f"{len(s)}-{len(t)}" for s, t in doc.gold)
        print(f"{doc.name}: {len(doc.src)} x {len(doc.tgt)} lines, gold {dict(shapes)}")


if __name__ == "__main__":
    main()
