"""Use aligner as a library: segment two texts, align them, look at the beads, write a TSV.

python examples/library.py [OUTPUT.tsv]
"""

from __future__ import annotations

import sys
from pathlib import Path

import aligner

TEXTS = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"


def main(output: Path) -> None:
    # 1. Read each file and split it into paragraphs and sentences (offline rules, per
    #    language; the language is detected when it is not given).
    french = aligner.read_document(TEXTS / "fr.txt", "fr").document
    english = aligner.read_document(TEXTS / "en.txt").document
    print(f"{len(french.sentences)} French and {len(english.sentences)} English sentences")

    # 2. Align: every sentence ends up in exactly one bead, in order.
    alignment = aligner.align_documents(french, english)
    print("bead types:", alignment.counts(), f"mean confidence {alignment.mean_confidence:.3f}")

    # 3. Inspect the beads: which sentences go together, and how sure the aligner is.
    for src_text, tgt_text, bead in alignment.pairs():
        if bead.kind != "1-1" or bead.confidence < 0.8:
            print(f"{bead.kind} {list(bead.src)}:{list(bead.tgt)} ({bead.confidence:.2f})")
            print(f"    fr: {src_text[:70]}")
            print(f"    en: {tgt_text[:70]}")

    # 4. Write a TSV (source, target, score, source ids, target ids).
    output.write_text(aligner.write(alignment, "tsv"), encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("armistice-fr-en.tsv"))
