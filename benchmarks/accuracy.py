"""Accuracy on the dev sets with gold: strict and lax P/R/F1 beside nltk gale_church and hunalign.

Run: ``/work/venv/bin/python benchmarks/accuracy.py [--data DIR]`` (default ``../shared/data``
relative to the project root). Each set is aligned with the shipped bilingual dictionaries
(the default) and without them (``builtin_dictionary=False``); TransRead's books are also
aligned with one lexicon trained on the five together (``train_lexicon``, as ``aligner batch``
does). Text+Berg dev is also cut into four documents (``devsets.textberg``, at gold bead
boundaries), as the held-out test is seven: each piece is scored alone (the per-document
figure) and the four are aligned alone and with one lexicon trained on them together (what
``aligner batch`` does with a corpus). Also checks French–Russian and French–English on the
first lines of the Bible (gold: line i ↔ line i).

hunalign runs beside the aligner on every set when the environment variable ``HUNALIGN`` names
its binary (``benchmarks/hunalign.py``: build it from danielvarga/hunalign with ``make`` in
``src/hunalign``, outside this repository), once without a dictionary and once with the shipped
dictionary of the pair, the fair comparison; without it the script says so in one line and
the hunalign columns read "not run". The nltk column holds historical figures from DESIGN.md
(nltk's gale_church without a dictionary), not measured by this script.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import devsets
import hunalign

from aligner.evaluation import Scores, evaluate_documents, parse_beads
from aligner.pipeline import AlignConfig, Lexicon, align, train_lexicon

ROOT = Path(__file__).resolve().parent.parent
#: Historical strict / lax F1 of nltk's gale_church without a dictionary (DESIGN.md), not
#: measured by this script.
NLTK_HISTORICAL = {
    "textberg_de-fr_dev": (0.487, 0.649),
    "transread_fr-en_literary_dev": (0.510, 0.579),
}
BOOKS = devsets.BOOKS  # the TransRead dev novels
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
    docs: list[tuple[Path, Path, Path, str, str]], config: AlignConfig, corpus: bool = False
) -> tuple[Scores, float]:
    """Align every document of a set and score them together (micro-average); with
    ``corpus``, first train one lexicon on all the set's documents and align each with it."""
    results = []
    start = time.perf_counter()
    lexicon: Lexicon | None = None
    if corpus:
        pairs = [(_lines(src), _lines(tgt)) for src, tgt, _, _, _ in docs]
        lexicon = train_lexicon(pairs, src_lang=docs[0][3], tgt_lang=docs[0][4], config=config)
    for src, tgt, gold, sl, tl in docs:
        test = align(
            _lines(src), _lines(tgt), src_lang=sl, tgt_lang=tl, config=config, lexicon=lexicon
        )
        results.append((test, parse_beads(gold.read_text(encoding="utf-8"), str(gold))))
    return evaluate_documents(results), time.perf_counter() - start


def bible_texts(data: Path, tgt_lang: str) -> tuple[list[str], list[str], Beads, str, str]:
    """The first :data:`BIBLE_LINES` verses, French and ``tgt_lang``, with their gold."""
    folder = data / "bible_fr-en-ru_verse_OT"
    src = _lines(folder / "OT.fr")[:BIBLE_LINES]
    tgt = _lines(folder / f"OT.{tgt_lang}")[:BIBLE_LINES]
    return src, tgt, [((i,), (i,)) for i in range(BIBLE_LINES)], "fr", tgt_lang


def bible(data: Path, tgt_lang: str, config: AlignConfig) -> tuple[Scores, float]:
    """First :data:`BIBLE_LINES` verses of the Old Testament, French against ``tgt_lang``."""
    folder = data / "bible_fr-en-ru_verse_OT"
    src = _lines(folder / "OT.fr")[:BIBLE_LINES]
    tgt = _lines(folder / f"OT.{tgt_lang}")[:BIBLE_LINES]
    start = time.perf_counter()
    test = align(src, tgt, src_lang="fr", tgt_lang=tgt_lang, config=config)
    gold = [((i,), (i,)) for i in range(BIBLE_LINES)]
    return evaluate_documents([(test, gold)]), time.perf_counter() - start


def textberg_pieces(data: Path, config: AlignConfig) -> None:
    """Text+Berg dev as four documents: per piece, then micro-averaged alone and with one
    corpus lexicon."""
    docs = devsets.textberg(data)
    print("\n| Text+Berg dev piece | sentences de / fr | strict F1 alone | with corpus lexicon |")
    print("|---|---|---|---|")
    pairs = [(list(d.src), list(d.tgt)) for d in docs]
    lexicon = train_lexicon(pairs, src_lang="de", tgt_lang="fr", config=config)
    alone, pooled = [], []
    for d in docs:
        a = align(d.src, d.tgt, src_lang="de", tgt_lang="fr", config=config)
        b = align(d.src, d.tgt, src_lang="de", tgt_lang="fr", config=config, lexicon=lexicon)
        alone.append((a, list(d.gold)))
        pooled.append((b, list(d.gold)))
        fa = evaluate_documents([alone[-1]]).strict_f1
        fb = evaluate_documents([pooled[-1]]).strict_f1
        print(f"| {d.name} | {len(d.src)} / {len(d.tgt)} | {fa:.3f} | {fb:.3f} |")
    ta, tb = evaluate_documents(alone), evaluate_documents(pooled)
    print(f"| all four (micro) | | {ta.strict_f1:.3f} | {tb.strict_f1:.3f} |")


Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]
Loaded = list[tuple[list[str], list[str], Beads, str, str]]


def hunalign_cells(docs: Loaded) -> list[str]:
    """hunalign's strict / lax F1 on the documents, without and with the shipped dictionary
    (micro-averaged like the aligner's), or "not run" twice when ``HUNALIGN`` is not set."""
    exe = hunalign.binary()
    if exe is None:
        return ["not run", "not run"]
    out = []
    for with_dictionary in (False, True):
        results: list[tuple[Beads, Beads]] = []
        for src, tgt, gold, sl, tl in docs:
            words = hunalign.dictionary_text(sl, tl) if with_dictionary else ""
            results.append((hunalign.run(exe, src, tgt, words).beads, gold))
        s = evaluate_documents(results)
        out.append(f"{s.strict_f1:.3f} / {s.lax_f1:.3f}")
    return out


def _loaded(docs: list[tuple[Path, Path, Path, str, str]]) -> Loaded:
    """The documents' sentences and gold beads, for :func:`hunalign_cells`."""
    return [
        (_lines(s), _lines(t), parse_beads(g.read_text(encoding="utf-8"), str(g)), sl, tl)
        for s, t, g, sl, tl in docs
    ]


def perturbed_ot(data: Path, config: AlignConfig, shipped_only: bool = False) -> None:
    """The whole Old Testament with joined and dropped verses, fr-ru and fr-en
    (``devsets.perturbed_ot``), with the shipped dictionaries and without."""
    plain = replace(config, builtin_dictionary=False)
    print("\n| set | dictionaries | strict P / R / F1 | lax P / R / F1 | seconds |")
    print("|---|---|---|---|---|")
    for d in devsets.perturbed_ot(data):
        for label, cfg in (("shipped", config), ("none", plain))[: 1 if shipped_only else 2]:
            start = time.perf_counter()
            test = align(d.src, d.tgt, src_lang=d.src_lang, tgt_lang=d.tgt_lang, config=cfg)
            s = evaluate_documents([(test, list(d.gold))])
            secs = time.perf_counter() - start
            print(f"| {d.name} | {label} | {_cells(s)} | {secs:.1f} |")


#: The groups of sets ``--sets`` may name, in the order they are printed.
SET_GROUPS = ("main", "pieces", "bible", "perturbed")


def _cells(s: Scores) -> str:
    return (
        f"{s.strict_precision:.3f} / {s.strict_recall:.3f} / {s.strict_f1:.3f} "
        f"| {s.lax_precision:.3f} / {s.lax_recall:.3f} / {s.lax_f1:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-bible", action="store_true", help="skip the Bible checks")
    default = AlignConfig().max_bead
    parser.add_argument(
        "--max-bead", type=int, default=default, help=f"widest bead side (default {default})"
    )
    parser.add_argument(
        "--sets",
        default=",".join(SET_GROUPS),
        help="comma-separated groups to run: main (Text+Berg and TransRead), pieces "
        "(Text+Berg's four), bible (first verses), perturbed (the Old Testament with joined "
        "and dropped verses); default all",
    )
    parser.add_argument(
        "--shipped-only",
        action="store_true",
        help="only the default run (shipped dictionaries, no corpus lexicon) of each set",
    )
    args = parser.parse_args()
    sets = set(args.sets.split(","))
    if not sets <= set(SET_GROUPS):
        parser.error(f"--sets: unknown {sorted(sets - set(SET_GROUPS))}")
    config = AlignConfig(max_bead=args.max_bead)
    plain = replace(config, builtin_dictionary=False)
    print(f"max_bead={config.max_bead}")
    print(hunalign.missing() if hunalign.binary() is None else f"hunalign: {hunalign.binary()}")
    print()
    print(
        "| set | dictionaries | strict P / R / F1 | lax P / R / F1 "
        "| nltk strict / lax F1 (historical, DESIGN.md) "
        "| hunalign strict / lax F1, no dictionary | hunalign, shipped dictionary | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, docs in _pairs(args.data).items() if "main" in sets else ():
        gs, gl = NLTK_HISTORICAL[name]
        plain_h, dict_h = hunalign_cells(_loaded(docs))
        runs = [("shipped", config, False), ("none", plain, False)]
        if args.shipped_only:
            runs = runs[:1]
        elif len(docs) > 1:
            runs.append(("shipped, one corpus lexicon", config, True))
        for label, cfg, corpus in runs:
            s, secs = score_set(docs, cfg, corpus)
            print(
                f"| {name} | {label} | {_cells(s)} "
                f"| {gs:.3f} / {gl:.3f} | {plain_h} | {dict_h} | {secs:.1f} |"
            )
    if "pieces" in sets:
        textberg_pieces(args.data, config)
    if "perturbed" in sets:
        perturbed_ot(args.data, config, args.shipped_only)
    if not args.no_bible and "bible" in sets:
        print(
            "\n| set | dictionaries | strict P / R / F1 | lax P / R / F1 | | hunalign strict / lax "
            "F1, no dictionary | hunalign, shipped dictionary | seconds |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for lang in ("ru", "en"):
            plain_h, dict_h = hunalign_cells([bible_texts(args.data, lang)])
            for label, cfg in (("shipped", config), ("none", plain)):
                s, secs = bible(args.data, lang, cfg)
                print(
                    f"| bible OT fr-{lang}, first {BIBLE_LINES} verses | {label} | {_cells(s)} "
                    f"| — | {plain_h} | {dict_h} | {secs:.1f} |"
                )


if __name__ == "__main__":
    main()
