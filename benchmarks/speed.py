"""Book-scale speed benchmark: wall time, peak memory and strict F1 on the Old Testament.

Each run aligns the first N verse lines of ``OT.fr`` with those of ``OT.en`` / ``OT.ru`` (gold:
line i <-> line i) in a fresh Python process, so its peak RSS is that run's alone, and prints
one table row per (pair, N) with medians over ``--runs`` runs, then the scaling ratios
time(2N) / time(N).

Pairs: ``fr-en`` and ``fr-ru`` (the first N verse lines of each side), and
``perturbed-fr-ru`` / ``perturbed-fr-en`` (the whole Old Testament with joined and dropped
verses, gold from its ``gold`` file; N is ignored). ``--copies K`` repeats both texts K times
(the gold follows), for the scaling of a text four times a book.

Two aligners can be measured:

* ``aligner``: the whole library, ``aligner.pipeline.align`` on the pre-split lines (passes,
  cost model, anchors, banded search, everything);
* ``search``: only the banded search of ``aligner.search``, under a small Gale–Church-like
  length cost written here, guided by anchors from numbers and capitalised words (a yardstick
  for the search alone; the default when ``aligner.pipeline`` does not exist).

hunalign runs beside them in the same run when the environment variable ``HUNALIGN`` names its
binary (see ``benchmarks/hunalign.py``), once without a dictionary and once with the shipped
dictionary of the pair, each in a fresh process too (on one copy of the texts only); the table
then gives the ratios hunalign / aligner. Without it the benchmark says so in one line.

The aligner's modules are byte-compiled before the runs (:func:`compile_package`), as pip does
when it installs a package; ``--no-bytecode`` leaves them as found. The aligner's process first
sets glibc's allocator as the ``aligner`` command line does
(:func:`aligner.allocator.keep_freed_memory`: freed memory kept for reuse, not faulted in again);
``--default-allocator`` measures it with glibc's defaults instead, as a library call in a
long-lived process runs. The first line of the output says which.

Run from the project root::

    HUNALIGN=/path/to/hunalign python benchmarks/speed.py --runs 3
    python benchmarks/speed.py --pairs fr-en fr-ru perturbed-fr-ru --sizes 23145 --copies 1 4
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

import numpy as np

SHARED = Path("/work/shared/data")
DATA = SHARED / "bible_fr-en-ru_verse_OT"
SIZES = (2_500, 5_000, 10_000, 20_000, 23_145)
PAIRS = ("fr-en", "fr-ru")
#: Band half-width around the guide for the ``search`` yardstick.
WIDTH = 50
SHAPES = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 0), (0, 1)]
#: -log prior per bead shape for the yardstick cost, from the bead frequencies of Gale & Church
#: (1993), Table 5 (1-1: 0.89, 1-0/0-1: 0.0099, 2-1/1-2: 0.089, 2-2: 0.011), 1-3/3-1 set rarer.
PRIOR = {
    (1, 1): -np.log(0.89),
    (1, 0): -np.log(0.0099 / 2),
    (0, 1): -np.log(0.0099 / 2),
    (2, 1): -np.log(0.089 / 2),
    (1, 2): -np.log(0.089 / 2),
    (2, 2): -np.log(0.011),
    (1, 3): -np.log(0.001),
    (3, 1): -np.log(0.001),
}
#: Variance per character of the length difference, Gale & Church (1993), s^2 = 6.8.
VARIANCE = 6.8


def read_lines(lang: str, n: int) -> list[str]:
    with (DATA / f"OT.{lang}").open(encoding="utf-8") as f:
        return [line.rstrip("\n") for _, line in zip(range(n), f, strict=False)]


def keys_of(sentence: str) -> list[str]:
    """Numbers and capitalised words, lower-cased, accents stripped, cut to 5 letters."""
    out = re.findall(r"\d+", sentence)
    for word in re.findall(r"\b[A-ZÀ-Ý][a-zà-ÿ]{3,}", sentence):
        plain = unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode()
        out.append(plain[:5])
    return out


def length_factory(src: Sequence[str], tgt: Sequence[str]):  # type: ignore[no-untyped-def]
    """A Gale–Church-like cost on character lengths (the yardstick; not the aligner's)."""
    from aligner.search import Band, CostFunction
    from aligner.types import Shape

    cs = np.concatenate([[0.0], np.cumsum([len(s) for s in src], dtype=np.float64)])
    ct = np.concatenate([[0.0], np.cumsum([len(t) for t in tgt], dtype=np.float64)])
    ratio = max(ct[-1], 1.0) / max(cs[-1], 1.0)

    def factory(band: Band) -> CostFunction:
        def cost(shape: Shape, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            a, b = shape
            x = (cs[i] - cs[i - a]) * ratio
            y = ct[j] - ct[j - b]
            delta = (y - x) / np.sqrt(VARIANCE * ((x + y) / 2 + 1))
            return np.asarray(delta * delta / 2 + PRIOR[shape], dtype=np.float64)

        return cost

    return factory


def run_search(src: list[str], tgt: list[str]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    from aligner.features.anchors import find_anchors, guide_path
    from aligner.search import Band, search

    anchors = find_anchors([keys_of(s) for s in src], [keys_of(t) for t in tgt])
    band = Band.around(guide_path(len(src), len(tgt), anchors), len(tgt), WIDTH)
    steps = search(len(src), len(tgt), SHAPES, length_factory(src, tgt), band=band)
    return [(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1))) for s in steps]


def run_aligner(
    src: list[str], tgt: list[str], src_lang: str, tgt_lang: str
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    from aligner.pipeline import align

    result = align(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang)
    return [(b.src, b.tgt) for b in result.beads]


Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]
#: The hard shapes of issue 4: (name, description).
HARD = {
    "gap": "fr-en 10,000 lines, target missing lines 4,000-4,499",
    "tenfold": "fr 2,314 lines against en 23,145 lines",
    "one": "fr 1 line against en 50,000 lines (the OT twice, cut)",
}


def hard_case(name: str) -> tuple[list[str], list[str], Beads]:
    """Source, target and gold beads of a hard shape (gold: the lines that still correspond)."""
    if name == "gap":
        src, full = read_lines("fr", 10_000), read_lines("en", 10_000)
        tgt = full[:4000] + full[4500:]
        gold: Beads = [((k,), (k,)) for k in range(4000)]
        gold += [((k,), ()) for k in range(4000, 4500)]
        gold += [((k,), (k - 500,)) for k in range(4500, 10_000)]
        return src, tgt, gold
    if name == "tenfold":
        # The first 2,314 fr verses are the first 2,314 en verses; the rest of en is extra.
        src, tgt = read_lines("fr", 2_314), read_lines("en", 23_145)
        gold = [((k,), (k,)) for k in range(2_314)]
        return src, tgt, gold + [((), (k,)) for k in range(2_314, 23_145)]
    if name == "one":
        en = read_lines("en", 23_145)
        tgt = (en + en + en)[:50_000]
        return read_lines("fr", 1), tgt, [((0,), (0,))] + [((), (k,)) for k in range(1, 50_000)]
    raise ValueError(f"unknown hard case {name!r}")


def perturbed(pair: str) -> tuple[list[str], list[str], Beads]:
    """The whole perturbed Old Testament of ``perturbed-fr-ru`` (or fr-en) and its gold."""
    from aligner.evaluation import parse_beads

    folder = SHARED / f"bible_ot_{pair.replace('-', '_', 1)}"
    src = (folder / "src.txt").read_text(encoding="utf-8").splitlines()
    tgt = (folder / "tgt.txt").read_text(encoding="utf-8").splitlines()
    gold = parse_beads((folder / "gold").read_text(encoding="utf-8"), str(folder / "gold"))
    return src, tgt, [(tuple(s), tuple(t)) for s, t in gold]


def repeated(
    src: list[str], tgt: list[str], gold: Beads, copies: int
) -> tuple[list[str], list[str], Beads]:
    """Both texts ``copies`` times over, the gold shifted with each copy."""
    out: Beads = []
    for k in range(copies):
        di, dj = k * len(src), k * len(tgt)
        out += [(tuple(i + di for i in s), tuple(j + dj for j in t)) for s, t in gold]
    return src * copies, tgt * copies, out


def texts_of(pair: str, n: int) -> tuple[list[str], list[str], Beads, str, str]:
    """Source, target, gold beads and languages of a pair (see the module's docstring)."""
    if pair in HARD:
        return (*hard_case(pair), "fr", "en")
    if pair.startswith("perturbed-"):
        src_lang, tgt_lang = pair.removeprefix("perturbed-").split("-")
        return (*perturbed(pair), src_lang, tgt_lang)
    src_lang, tgt_lang = pair.split("-")
    src, tgt = read_lines(src_lang, n), read_lines(tgt_lang, n)
    return src, tgt, [((k,), (k,)) for k in range(n)], src_lang, tgt_lang


def one_run(
    pair: str, n: int, method: str, copies: int = 1, allocator: str = "cli"
) -> dict[str, float]:
    """Align once in this process and measure it (called in a fresh subprocess).

    ``pair`` is a language pair such as ``fr-en`` (the first ``n`` lines of each side, gold
    line i <-> line i), a perturbed pair, or the name of a hard case (``n`` ignored).
    """
    from aligner.evaluation import evaluate

    src, tgt, gold, src_lang, tgt_lang = texts_of(pair, n)
    src, tgt, gold = repeated(src, tgt, gold, copies)
    if method.startswith("hunalign"):
        import hunalign

        exe = hunalign.binary()
        if exe is None:
            raise SystemExit(hunalign.missing())
        words = hunalign.dictionary_text(src_lang, tgt_lang) if method == "hunalign-dict" else ""
        run = hunalign.run(exe, src, tgt, words)
        beads, wall, cpu, rss = run.beads, run.wall, run.cpu, run.rss_mb
    else:
        if method == "aligner" and allocator == "cli":
            from aligner.allocator import keep_freed_memory

            keep_freed_memory()
        start, cpu_start = time.perf_counter(), time.process_time()
        if method == "aligner":
            beads = run_aligner(src, tgt, src_lang, tgt_lang)
        else:
            beads = run_search(src, tgt)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    scores = evaluate(beads, gold)
    pairs = {g for g in gold if g[0] and g[1]}
    found = len(pairs & set(beads)) / max(1, len(pairs))
    return {
        "wall": wall,
        "cpu": cpu,
        "rss_mb": rss,
        "f1": scores.strict_f1,
        "recall": scores.strict_recall,
        "gold_found": found,
        "beads": len(beads),
        "lines": len(src),
    }


def compile_package() -> bool:
    """Byte-compile the aligner's modules into their ``__pycache__`` (True when done).

    pip compiles a package when it installs it, and Python caches what it compiles on import;
    an editable install run with ``PYTHONDONTWRITEBYTECODE`` set (as in some sandboxes) does
    neither, and every run then compiles some sixty modules from source inside the timed
    import of ``aligner.pipeline`` (about 0.1 s CPU, measured in benchmarks/RESULTS.md).
    """
    import compileall

    spec = find_spec("aligner")
    if spec is None or spec.origin is None:
        return False
    return bool(compileall.compile_dir(Path(spec.origin).parent, quiet=1))


def measure(
    pair: str, n: int, method: str, copies: int = 1, allocator: str = "cli"
) -> dict[str, float]:
    command = [sys.executable, __file__, "--one", pair, str(n), "--method", method]
    out = subprocess.run(
        [*command, "--copies", str(copies), "--allocator", allocator],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", nargs="+", default=list(PAIRS))
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES))
    parser.add_argument("--copies", nargs="+", type=int, default=[1])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--hunalign-runs", type=int, default=1, help="runs of hunalign per row (it is slow)"
    )
    default = "aligner" if find_spec("aligner.pipeline") is not None else "search"
    methods = ["aligner", "search", "hunalign", "hunalign-dict"]
    parser.add_argument("--method", choices=methods, default=default)
    parser.add_argument("--hard", action="store_true", help="run the hard shapes instead")
    parser.add_argument("--dev", action="store_true", help="exact vs banded F1 on dev gold")
    parser.add_argument(
        "--default-allocator",
        action="store_true",
        help="run the aligner with glibc's allocator defaults, not the command line's setting",
    )
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="do not byte-compile the aligner's modules first (see compile_package)",
    )
    parser.add_argument("--one", nargs=2, metavar=("PAIR", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--allocator", choices=["cli", "default"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    allocator = "default" if args.default_allocator else "cli"
    if args.one:
        copies = args.copies[0]
        run = one_run(args.one[0], int(args.one[1]), args.method, copies, args.allocator or "cli")
        print(json.dumps(run))
        return
    if args.hard:
        hard_table(args.method)
        return
    if args.dev:
        dev_table()
        return
    import hunalign

    compiled = not args.no_bytecode and compile_package()
    load = os.getloadavg()[0]
    print(
        f"method: {args.method}; cores: {os.cpu_count()}; medians of {args.runs} runs; "
        f"load average at start {load:.1f}"
    )
    print(
        "aligner's allocator: "
        + (
            "glibc's defaults"
            if args.default_allocator
            else "the command line's (freed memory kept)"
        )
    )
    print(
        "aligner's modules: "
        + (
            "byte-compiled first, as an installed package's are"
            if compiled
            else "as found (compiled at import where no bytecode is cached)"
        )
    )
    others = []
    if args.method != "aligner" or hunalign.binary() is None:
        print(hunalign.missing() if args.method == "aligner" else "hunalign: not run")
    else:
        others = ["hunalign", "hunalign-dict"]
        print(f"hunalign: {hunalign.binary()}, {args.hunalign_runs} run(s) per row")
    print()
    print("| pair | lines per side | copies | method | wall s | CPU s | peak RSS MB | strict F1 |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    walls: dict[tuple[str, int, int], tuple[float, float]] = {}
    rows: dict[tuple[str, int, int, str], tuple[float, float, float]] = {}
    for pair in args.pairs:
        sizes = [0] if pair.startswith("perturbed-") else args.sizes
        for n in sizes:
            for copies in args.copies:
                # hunalign is the comparison for one book (it needs about 1 GB for one).
                for method in [args.method, *(others if copies == 1 else [])]:
                    count = args.runs if method == args.method else args.hunalign_runs
                    runs = [measure(pair, n, method, copies, allocator) for _ in range(count)]
                    wall = statistics.median(r["wall"] for r in runs)
                    cpu = statistics.median(r["cpu"] for r in runs)
                    rss = statistics.median(r["rss_mb"] for r in runs)
                    f1 = statistics.median(r["f1"] for r in runs)
                    lines = int(runs[0]["lines"]) // copies
                    if method == args.method:
                        walls[(pair, lines, copies)] = (wall, cpu)
                    rows[(pair, lines, copies, method)] = (wall, cpu, rss)
                    print(
                        f"| {pair} | {lines:,} | {copies} | {method} | {wall:.2f} | {cpu:.2f} "
                        f"| {rss:.0f} | {f1:.4f} |",
                        flush=True,
                    )
    print()
    # CPU time is shown beside wall time: on a machine shared with other jobs, wall time
    # also measures the neighbours.
    print("| pair | from → to | wall ratio | CPU ratio | peak RSS ratio |")
    print("|---|---|---:|---:|---:|")
    for (pair, n, copies, method), (w, c, r) in rows.items():
        if method != args.method:
            continue
        for other in others:
            if (pair, n, copies, other) in rows:
                w2, c2, r2 = rows[(pair, n, copies, other)]
                print(
                    f"| {pair} {n:,} ×{copies} | {args.method} → {other} | {w2 / w:.2f} "
                    f"| {c2 / c:.2f} | {r2 / r:.2f} |"
                )
        if (pair, 2 * n, copies) in walls:
            (w1, c1), (w2, c2) = walls[(pair, n, copies)], walls[(pair, 2 * n, copies)]
            print(f"| {pair} | {n:,} → {2 * n:,} lines | {w2 / w1:.2f} | {c2 / c1:.2f} | |")
        if copies != 1 and (pair, n, 1, method) in rows:
            w1, c1, r1 = rows[(pair, n, 1, method)]
            ratios = f"{w / w1:.2f} | {c / c1:.2f} | {r / r1:.2f}"
            print(f"| {pair} {n:,} | 1 → {copies} copies | {ratios} |")
        if pair.startswith("perturbed-"):
            clean = pair.removeprefix("perturbed-")
            for (p2, n2, k2, m2), (w1, c1, r1) in rows.items():
                if p2 == clean and k2 == copies and m2 == method and n2 == max(args.sizes):
                    print(
                        f"| {pair} | {clean} {n2:,} → perturbed | {w / w1:.2f} | {c / c1:.2f} "
                        f"| {r / r1:.2f} |"
                    )


DEV = Path("/work/shared/data")
DEV_BOOKS = (
    "AlicesAdventuresInWonderland",
    "Emma",
    "LaFauteDeLAbbeMouret",
    "LesTravailleursDeLaMer",
    "VoyageAuCentreDeLaTerre",
)


def dev_sets() -> dict[str, list[tuple[Path, Path, Path, str, str]]]:
    tb, tr = DEV / "textberg_de-fr_dev", DEV / "transread_fr-en_literary_dev"
    return {
        "textberg_de-fr_dev": [(tb / "dev.de", tb / "dev.fr", tb / "dev.defr", "de", "fr")],
        "transread_fr-en_literary_dev": [
            (tr / b / f"{b}.fr", tr / b / f"{b}.en", tr / b / f"{b}.fren", "fr", "en")
            for b in DEV_BOOKS
        ],
    }


def dev_table() -> None:
    """Strict F1 on the dev gold sets: exact search (whole matrix) against the banded search.

    The dev documents are small enough that the aligner searches them whole by default; here
    the band is forced (``full_search_cells=1``) to show what banding costs in accuracy.
    """
    from aligner.evaluation import evaluate_documents, parse_beads
    from aligner.pipeline import AlignConfig, align

    def lines(path: Path) -> list[str]:
        return path.read_text(encoding="utf-8").splitlines()

    configs = {
        "exact": AlignConfig(full_search_cells=10**12),
        "banded": AlignConfig(full_search_cells=1),
    }
    print("| dev set | search | strict F1 | lax F1 | wall s |")
    print("|---|---|---:|---:|---:|")
    for name, docs in dev_sets().items():
        for label, config in configs.items():
            start = time.perf_counter()
            results = [
                (
                    align(lines(src), lines(tgt), src_lang=sl, tgt_lang=tl, config=config),
                    parse_beads(gold.read_text(encoding="utf-8"), str(gold)),
                )
                for src, tgt, gold, sl, tl in docs
            ]
            wall = time.perf_counter() - start
            s = evaluate_documents(results)
            print(
                f"| {name} | {label} | {s.strict_f1:.4f} | {s.lax_f1:.4f} | {wall:.1f} |",
                flush=True,
            )


def hard_table(method: str) -> None:
    """One run of each hard shape: bounded time and memory, and the gold pairs recovered."""
    load = os.getloadavg()[0]
    print(f"method: {method}; cores: {os.cpu_count()}; one run each; load average {load:.1f}")
    print("| case | wall s | CPU s | peak RSS MB | beads | strict F1 | gold 1-1 pairs found |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, what in HARD.items():
        r = measure(name, 0, method)
        print(
            f"| {what} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss_mb']:.0f} | {r['beads']:,.0f} "
            f"| {r['f1']:.4f} | {r['gold_found']:.4f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
