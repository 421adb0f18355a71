"""Pins and structure cuts inside one search: what they cost, and whether they lower confidences.

(a) Debian's Live Systems Manual (EPUB 2, one spine document per section), English against
French and German: the CPU time of aligning the EPUB's documents (chapters and headings cut the
search) against aligning the same split sentences as plain lists (medians of ``--runs``), and the
confidence of the beads that pair a chapter or heading with a chapter or heading (the issue's
target: none under 0.5). The EPUBs come from the Debian package ``live-manual-epub``: read from
``/usr/share/doc/live-manual/epub`` when installed, else fetched with ``apt-get download`` and
unpacked with ``dpkg -x`` into ``--cache`` (outside the repository).

(b) Pins, on the armistice fr-en and on the TransRead dev books (``--data``): the confidence of
bead 2 with beads 1 and 3 pinned against unpinned (armistice), and the quality with every other
bead pinned against unpinned; the pins are beads of the unpinned alignment.

(c) Corrections, on the TransRead dev books: every 10th gold bead pinned (a reader's fixes),
strict F1 of the beads left free against the gold beads not pinned, beside the unpinned
alignment's on the same beads.

Run: ``python benchmarks/constraints.py [--runs 3] [--langs fr de] [--skip-books]``; with
``PYTHONPATH=<another checkout>`` it measures that checkout's aligner the same way.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import devsets

import aligner
from aligner.evaluation import evaluate, parse_beads
from aligner.pipeline import _structure_cuts
from aligner.types import Alignment, Bead, Document

ROOT = Path(__file__).resolve().parent.parent
LIVE = Path("/usr/share/doc/live-manual/epub")
PACKAGE = "live-manual-epub"
BOOKS = devsets.BOOKS  # the TransRead dev novels


def _live_dir(cache: Path) -> Path:
    """Where the Live Manual's EPUBs are, fetching the Debian package if needed."""
    if LIVE.is_dir():
        return LIVE
    unpacked = cache / "root" / LIVE.relative_to("/")
    if not unpacked.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", PACKAGE], cwd=cache, check=True)
        deb = next(cache.glob(f"{PACKAGE}_*.deb"))
        subprocess.run(["dpkg", "-x", str(deb), str(cache / "root")], check=True)
    return unpacked


def _cpu(run: Callable[[], Alignment], runs: int) -> tuple[float, Alignment]:
    """Median CPU seconds of ``runs`` calls, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.process_time()
        result = run()
        times.append(time.process_time() - start)
    assert result is not None
    return statistics.median(times), result


def _structure_beads(alignment: Alignment, src: Document, tgt: Document) -> list[Bead]:
    """Paired beads whose first sentences open a chapter or heading on both sides."""
    src_starts = {i for i, _ in src.headings} | set(src.chapters)
    tgt_starts = {j for j, _ in tgt.headings} | set(tgt.chapters)
    return [
        b
        for b in alignment.beads
        if b.src and b.tgt and b.src[0] in src_starts and b.tgt[0] in tgt_starts
    ]


def _epub(live: Path, lang: str, runs: int) -> None:
    src = aligner.read_document(live / "live-manual.en.epub", "en").document
    tgt = aligner.read_document(live / f"live-manual.{lang}.epub", lang).document
    # Warm the caches (dictionaries, lemma tables) outside the timed runs.
    aligner.align(src.texts[:100], tgt.texts[:100], src_lang="en", tgt_lang=lang)
    cuts = _structure_cuts(src, tgt)
    plain_s, plain = _cpu(
        lambda: aligner.align(src.texts, tgt.texts, src_lang="en", tgt_lang=lang), runs
    )
    doc_s, doc = _cpu(lambda: aligner.align_documents(src, tgt), runs)
    heads = _structure_beads(doc, src, tgt)
    plain_heads = _structure_beads(plain, src, tgt)
    low = sorted(b.confidence for b in heads)
    print(
        f"| Live Manual en-{lang} | {len(src.sentences)}/{len(tgt.sentences)} | {len(cuts)} | "
        f"{plain_s:.2f} | {doc_s:.2f} | {doc_s / plain_s:.2f} | {len(heads)} | {low[0]:.3f} | "
        f"{sum(c < 0.5 for c in low)} | "
        f"{min(b.confidence for b in plain_heads):.3f} | {doc.quality:.3f} / {plain.quality:.3f} |"
    )


def _documents_run(src: Document, tgt: Document) -> Callable[[list[Bead]], Alignment]:
    return lambda pins: aligner.align_documents(src, tgt, pins=pins)


def _lines_run(
    src: list[str], tgt: list[str], langs: tuple[str, str]
) -> Callable[[list[Bead]], Alignment]:
    return lambda pins: aligner.align(src, tgt, src_lang=langs[0], tgt_lang=langs[1], pins=pins)


def _pins(label: str, run: Callable[[list[Bead]], Alignment], between: bool) -> None:
    start = time.process_time()
    free = run([])
    free_s = time.process_time() - start
    half = list(free.beads[::2])
    start = time.process_time()
    pinned = run(half)
    half_s = time.process_time() - start
    wanted = {(p.src, p.tgt) for p in half}
    # getattr: the script also measures an aligner from before Bead.pinned existed.
    kept = all(
        getattr(b, "pinned", False) and b.confidence == 1.0
        for b in pinned.beads
        if (b.src, b.tgt) in wanted
    )
    # The beads left free: how many the pins moved, and how far their confidence went.
    free_of = {(b.src, b.tgt): b.confidence for b in free.beads}
    left = [b for b in pinned.beads if (b.src, b.tgt) not in wanted]
    moved = sum((b.src, b.tgt) not in free_of for b in left)
    shift = max(
        (abs(b.confidence - free_of[(b.src, b.tgt)]) for b in left if (b.src, b.tgt) in free_of),
        default=0.0,
    )
    middle = ""
    if between:
        around = run([free.beads[1], free.beads[3]])
        middle = f"{free.beads[2].confidence:.3f} -> {around.beads[2].confidence:.3f}"
    print(
        f"| {label} | {len(free.beads)} | {middle or '-'} | {free.quality:.3f} | "
        f"{pinned.quality:.3f} | {moved} | {shift:.3f} | {'yes' if kept else 'NO'} | "
        f"{free_s:.2f} | {half_s:.2f} |"
    )


def _corrections(base: Path, book: str) -> None:
    src, tgt = (
        (base / book / f"{book}.{lang}").read_text(encoding="utf-8").splitlines()
        for lang in ("fr", "en")
    )
    gold = parse_beads((base / book / f"{book}.fren").read_text(encoding="utf-8"))
    pins = [Bead(tuple(s), tuple(t)) for s, t in gold[::10] if s or t]
    pinned = {(p.src, p.tgt) for p in pins}
    rest = [g for g in gold if (tuple(g[0]), tuple(g[1])) not in pinned]

    def free_f1(alignment: Alignment) -> float:
        test = [(b.src, b.tgt) for b in alignment.beads if (b.src, b.tgt) not in pinned]
        return evaluate(test, rest).strict_f1

    free = aligner.align(src, tgt, src_lang="fr", tgt_lang="en")
    fixed = aligner.align(src, tgt, src_lang="fr", tgt_lang="en", pins=pins)
    print(
        f"| {book} | {len(gold)} | {len(pins)} | {free_f1(free):.3f} | {free_f1(fixed):.3f} | "
        f"{free.quality:.3f} | {fixed.quality:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--langs", nargs="*", default=["fr", "de"])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "live-manual")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--skip-books", action="store_true")
    args = parser.parse_args()
    live = _live_dir(args.cache)
    print("(a) EPUB against its own split sentences (CPU seconds, medians)\n")
    print(
        "| pair | sentences | cuts | plain s | EPUB s | ratio | structure beads | least conf. | "
        "under 0.5 | least conf. plain | quality EPUB / plain |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for lang in args.langs:
        _epub(live, lang, args.runs)
    print("\n(b) Pins (the unpinned alignment's own beads)\n")
    print(
        "| text | beads | bead 2, pins 1 and 3 | quality | quality, every other bead pinned | "
        "free beads moved | largest confidence change | pins kept, 1.0, marked | s | s pinned |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    arm = ROOT / "texts" / "armistice-1917"
    fr = aligner.read_document(arm / "fr.txt", "fr").document
    en = aligner.read_document(arm / "en.txt", "en").document
    _pins("armistice fr-en", _documents_run(fr, en), between=True)
    if not args.skip_books:
        base = args.data / "transread_fr-en_literary_dev"
        for book in BOOKS:
            src, tgt = (
                (base / book / f"{book}.{lang}").read_text(encoding="utf-8").splitlines()
                for lang in ("fr", "en")
            )
            _pins(f"TransRead {book}", _lines_run(src, tgt, ("fr", "en")), between=True)
        print("\n(c) Every 10th gold bead pinned: strict F1 of the free beads\n")
        print("| book | gold beads | pins | F1 unpinned | F1 pinned | quality | quality pinned |")
        print("|---|---|---|---|---|---|---|")
        for book in BOOKS:
            _corrections(base, book)


if __name__ == "__main__":
    main()
