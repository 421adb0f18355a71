"""A SHA-256 over the beads and confidences of the dev sets, the Bible and the armistice.

A refactor must leave it unchanged. Run: ``python benchmarks/digest.py [--data DIR]``; it
prints one digest per set and one over all of them. Only public names of ``aligner`` are used,
so the script runs the same before and after a change of layout.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable
from pathlib import Path

import aligner

ROOT = Path(__file__).resolve().parent.parent
BOOKS = (
    "AlicesAdventuresInWonderland",
    "Emma",
    "LaFauteDeLAbbeMouret",
    "LesTravailleursDeLaMer",
    "VoyageAuCentreDeLaTerre",
)
BIBLE_LINES = 6000


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _digest(alignments: Iterable[aligner.Alignment]) -> str:
    h = hashlib.sha256()
    for a in alignments:
        for b in a.beads:
            h.update(f"{list(b.src)}:{list(b.tgt)}:{b.confidence!r}\n".encode())
        h.update(b"--\n")
    return h.hexdigest()


def _sets(data: Path) -> dict[str, list[aligner.Alignment]]:
    tb = data / "textberg_de-fr_dev"
    tr = data / "transread_fr-en_literary_dev"
    bible = data / "bible_fr-en-ru_verse_OT"
    arm = ROOT / "texts" / "armistice-1917"
    fr_bible = _lines(bible / "OT.fr")[:BIBLE_LINES]
    arm_fr = aligner.segment((arm / "fr.txt").read_text(encoding="utf-8"), "fr")
    return {
        "textberg": [
            aligner.align(
                _lines(tb / "dev.de"), _lines(tb / "dev.fr"), src_lang="de", tgt_lang="fr"
            )
        ],
        "transread": [
            aligner.align(
                _lines(tr / b / f"{b}.fr"), _lines(tr / b / f"{b}.en"), src_lang="fr", tgt_lang="en"
            )
            for b in BOOKS
        ],
        "bible": [
            aligner.align(
                fr_bible, _lines(bible / f"OT.{lang}")[:BIBLE_LINES], src_lang="fr", tgt_lang=lang
            )
            for lang in ("en", "ru")
        ],
        "armistice": [
            aligner.align_documents(
                arm_fr, aligner.segment((arm / f"{lang}.txt").read_text(encoding="utf-8"), lang)
            )
            for lang in ("en", "ru")
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    sets = _sets(args.data)
    for name, alignments in sets.items():
        print(f"{name:10} {_digest(alignments)}")
    print(f"{'all':10} {_digest(a for group in sets.values() for a in group)}")


if __name__ == "__main__":
    main()
