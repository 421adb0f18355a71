"""The beads that differ from verse i <-> verse i on the Old Testament, by shape, with their text.

``speed.py`` gives the Bible's F1; this shows what the misses are. Run from the project root::

    python benchmarks/bible_errors.py --pair fr-en --show 20
    python benchmarks/bible_errors.py --pair fr-en --many-to-many yes   # 2-2 beads allowed
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bible_fr-en-ru_verse_OT"
CHOICES = {"auto": None, "yes": True, "no": False}


def read_lines(lang: str, n: int) -> list[str]:
    """The first ``n`` verse lines of one language."""
    with (DATA / f"OT.{lang}").open(encoding="utf-8") as f:
        return [line.rstrip("\n") for _, line in zip(range(n), f, strict=False)]


def main() -> None:
    from aligner.pipeline import AlignConfig, align

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pair", choices=("fr-en", "fr-ru"), default="fr-en")
    parser.add_argument("--lines", type=int, default=23_145)
    parser.add_argument("--many-to-many", choices=tuple(CHOICES), default="auto")
    parser.add_argument("--show", type=int, default=0, help="print this many beads with text")
    args = parser.parse_args()
    src_lang, tgt_lang = args.pair.split("-")
    src, tgt = read_lines(src_lang, args.lines), read_lines(tgt_lang, args.lines)
    config = AlignConfig(many_to_many=CHOICES[args.many_to_many])
    result = align(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, config=config)
    off = [b for b in result.beads if not (len(b.src) == 1 and b.src == b.tgt)]
    shapes = Counter(b.kind for b in off)
    print(f"{args.pair}, {args.lines} lines: {len(off)} beads off the diagonal", dict(shapes))
    for bead in off[: args.show]:
        print(f"== {list(bead.src)} : {list(bead.tgt)}  confidence {bead.confidence:.2f}")
        for i in bead.src:
            print(f"   {src_lang} {i:>6} {src[i][:150]}")
        for j in bead.tgt:
            print(f"   {tgt_lang} {j:>6} {tgt[j][:150]}")


if __name__ == "__main__":
    main()
