"""Corpus-mode throughput: pairs per minute with --jobs 1 and 2, with and without the corpus
lexicon, and on a 2-worker Dask cluster.

The corpus (``--corpus books``, the default): the Text+Berg de-fr dev pair, the five TransRead
fr-en dev books, and the Bible OT fr-en cut into its 39 books (one pair per book, chunks written
to a temporary folder), all pre-split; the fr-en pairs form one corpus group. ``--corpus
chapters``: the OT cut into its chapters instead (929 short pairs; ``--bible-books`` bounds the
books they come from). Prints, per run, wall time, pairs per minute and CPU seconds (the driver
and its worker processes; not counted for Dask), the ratio with / without the corpus lexicon at
the same --jobs, and checks that the runs with the lexicon wrote byte-identical outputs, as do
those without.

Run from the project root:  python benchmarks/batch.py [--corpus chapters] [--no-dask]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import aligner
from aligner.corpus.batch import run_batch
from aligner.corpus.manifest import SUMMARY_NAME

DATA = Path(os.environ.get("ALIGNER_DATA", "/work/shared/data"))
TEXTBERG = DATA / "textberg_de-fr_dev"
TRANSREAD = DATA / "transread_fr-en_literary_dev"
BIBLE = DATA / "bible_fr-en-ru_verse_OT"
TRANSREAD_BOOKS = (
    "AlicesAdventuresInWonderland",
    "Emma",
    "LaFauteDeLAbbeMouret",
    "LesTravailleursDeLaMer",
    "VoyageAuCentreDeLaTerre",
)


def bible_books(folder: Path, limit: int, by_chapter: bool = False) -> list[str]:
    """Write the OT's books (or their chapters) as ``NN-Osis[.C].fr`` / ``.en`` in ``folder``;
    manifest lines."""
    with (BIBLE / "OT.refs.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    fr = (BIBLE / "OT.fr").read_text(encoding="utf-8").splitlines()
    en = (BIBLE / "OT.en").read_text(encoding="utf-8").splitlines()
    if not len(rows) == len(fr) == len(en):
        raise ValueError("OT.refs.tsv, OT.fr and OT.en have different line counts")
    books: dict[str, dict[str, list[int]]] = {}
    for k, row in enumerate(rows):
        book = books.setdefault(f"{int(row['book_no']):02d}-{row['osis']}", {})
        book.setdefault(f".{int(row['chapter']):03d}" if by_chapter else "", []).append(k)
    lines = []
    for name, parts in list(books.items())[:limit]:
        for part, indices in parts.items():
            stem = name + part
            (folder / f"{stem}.fr").write_text(
                "".join(fr[k] + "\n" for k in indices), encoding="utf-8"
            )
            (folder / f"{stem}.en").write_text(
                "".join(en[k] + "\n" for k in indices), encoding="utf-8"
            )
            lines.append(f"{stem}.fr\t{stem}.en\tfr\ten")
    return lines


def build_manifest(folder: Path, bible_limit: int, corpus: str) -> Path:
    """The benchmark's manifest in ``folder`` (dev data by absolute path, OT chunks beside it)."""
    if corpus == "chapters":
        lines = ["# Bible OT fr-en, one pair per chapter", *bible_books(folder, bible_limit, True)]
    else:
        lines = [
            "# Text+Berg de-fr dev",
            f"{TEXTBERG / 'dev.de'}\t{TEXTBERG / 'dev.fr'}\tde\tfr",
            "# TransRead fr-en dev books",
            *(
                f"{TRANSREAD / b / (b + '.fr')}\t{TRANSREAD / b / (b + '.en')}\tfr\ten"
                for b in TRANSREAD_BOOKS
            ),
            "# Bible OT fr-en, one pair per book",
            *bible_books(folder, bible_limit),
        ]
    manifest = folder / "pairs.tsv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def code_digest() -> str:
    """A digest of the aligner's source, to tell whether it changed during the benchmark."""
    package = Path(aligner.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in folder.iterdir() if p.name != SUMMARY_NAME and p.is_file()
    }


class CpuMeter:
    """CPU seconds of this process and of every process below it while a run goes on, sampled
    every 0.1 s with psutil (the forkserver's workers are not our children to the OS, so
    ``getrusage`` misses them). None without psutil."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, float], float] = {}
        self._start: dict[tuple[int, float], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        try:
            import psutil

            self._me: object | None = psutil.Process()
        except ImportError:
            self._me = None

    def _sample(self) -> dict[tuple[int, float], float]:
        import psutil

        me = self._me
        assert isinstance(me, psutil.Process)
        out = {}
        for proc in [me, *me.children(recursive=True)]:
            try:
                times = proc.cpu_times()
                out[(proc.pid, proc.create_time())] = times.user + times.system
            except psutil.Error:
                continue
        return out

    def _loop(self) -> None:
        while not self._stop.wait(0.1):
            self._seen.update(self._sample())

    def __enter__(self) -> CpuMeter:
        if self._me is not None:
            self._start = self._sample()
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._me is not None:
            self._stop.set()
            self._thread.join()
            self._seen.update(self._sample())

    @property
    def seconds(self) -> float | None:
        if self._me is None:
            return None
        return sum(v - self._start.get(k, 0.0) for k, v in self._seen.items())


#: One local run in a fresh Python process, so that each pays its own start-up and loads (the
#: dictionaries, lemma tables) and none inherits another's caches: prints pairs and failures.
LOCAL_RUN = (
    "import json, sys\n"
    "from aligner.corpus.batch import run_batch\n"
    "r = run_batch(sys.argv[1], sys.argv[2], fmt=sys.argv[3], jobs=int(sys.argv[4]),\n"
    "              presplit=True, corpus_lexicon=sys.argv[5] == '1')\n"
    "print(json.dumps([len(r.results), r.failed]))\n"
)


def local_run(manifest: Path, out: Path, fmt: str, jobs: int, lexicon: bool) -> tuple[int, int]:
    """Pairs and failures of ``run_batch`` run in a new process."""
    args = [str(manifest), str(out), fmt, str(jobs), "1" if lexicon else "0"]
    done = subprocess.run(
        [sys.executable, "-c", LOCAL_RUN, *args], capture_output=True, text=True, check=True
    )
    pairs, failed = json.loads(done.stdout.splitlines()[-1])
    return int(pairs), int(failed)


def report_row(
    name: str, run: Callable[[], tuple[int, int]], local: bool = True
) -> tuple[float, float | None]:
    """Run one configuration and print its table row at once (runs take minutes); its wall
    time and CPU time."""
    with CpuMeter() as meter:
        start = time.perf_counter()
        pairs, failed = run()
        wall = time.perf_counter() - start
    cpu = meter.seconds if local else None
    print(
        f"| {name} | {pairs} | {failed} | {wall:.1f} "
        f"| {60 * pairs / wall:.1f} | {'n/a' if cpu is None else f'{cpu:.1f}'} "
        f"| {os.getloadavg()[0]:.1f} |",
        flush=True,
    )
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", default="beads", help="output format (default: beads)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    parser.add_argument("--corpus", choices=("books", "chapters"), default="books")
    parser.add_argument(
        "--bible-books", type=int, default=39, help="OT books to include (default: all 39)"
    )
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="default: 1 2")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="aligner-batch-") as tmp:
        folder = Path(tmp)
        code_before = code_digest()
        manifest = build_manifest(folder, args.bible_books, args.corpus)
        n_pairs = sum(1 for line in manifest.read_text().splitlines() if line and line[0] != "#")
        print(
            f"{n_pairs} pairs ({args.corpus}), {os.cpu_count()} cores, format {args.format}, "
            f"pre-split input, load average before: {os.getloadavg()[0]:.1f}"
        )
        print("\n| run | pairs | failed | wall s | pairs/min | CPU s | load after |")
        print("|---|---:|---:|---:|---:|---:|---:|", flush=True)
        walls: dict[str, tuple[float, float | None]] = {}
        for jobs in args.jobs:
            for lexicon in (False, True):
                name = f"j{jobs}-{'lexicon' if lexicon else 'alone'}"
                walls[name] = report_row(
                    f"--jobs {jobs}{'' if lexicon else ' --no-corpus-lexicon'}",
                    lambda jobs=jobs, lexicon=lexicon, name=name: local_run(
                        manifest, folder / name, args.format, jobs, lexicon
                    ),
                )
        if not args.no_dask:
            import dask
            from distributed import Client, LocalCluster

            start = time.perf_counter()
            with (
                # Dask's default MALLOC_TRIM_THRESHOLD_ for worker processes makes the aligner's
                # numpy temporaries page-fault on every allocation (measured ~1.9x slower);
                # docs/batch.md shows the same setting for `dask worker`.
                dask.config.set(
                    {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
                ),
                LocalCluster(
                    n_workers=2,
                    processes=True,
                    threads_per_worker=1,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                ) as cluster,
                Client(cluster) as client,
            ):
                started = time.perf_counter() - start

                def on_dask() -> tuple[int, int]:
                    report = run_batch(
                        manifest,
                        folder / "dask-lexicon",
                        fmt=args.format,
                        client=client,
                        presplit=True,
                    )
                    return len(report.results), report.failed

                walls["dask-lexicon"] = report_row(
                    "Dask LocalCluster, 2 workers", on_dask, local=False
                )
            print(f"(the Dask LocalCluster took {started:.1f} s to start, not counted above)")

        print()
        for jobs in args.jobs:
            (wall_with, cpu_with), (wall_alone, cpu_alone) = (
                walls[f"j{jobs}-lexicon"],
                walls[f"j{jobs}-alone"],
            )
            cpu = "n/a" if cpu_with is None or not cpu_alone else f"{cpu_with / cpu_alone:.2f}"
            print(
                f"--jobs {jobs}: with the corpus lexicon / without: wall "
                f"{wall_with / wall_alone:.2f}, CPU {cpu}"
            )
        if code_digest() != code_before:
            print("warning: the aligner's source changed during the run; outputs may differ")
        for kind in ("alone", "lexicon"):
            names = [n for n in walls if n.endswith(kind)]
            reference = outputs(folder / names[0])
            for name in names[1:]:
                same = outputs(folder / name) == reference
                print(f"{name}: outputs byte-identical to {names[0]}: {same}")


if __name__ == "__main__":
    main()
