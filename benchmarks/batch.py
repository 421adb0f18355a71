"""Corpus-mode throughput: 45 document pairs with --jobs 1, --jobs 2 and a 2-worker Dask cluster.

The corpus: the Text+Berg de-fr dev pair, the five TransRead fr-en dev books, and the Bible OT
fr-en cut into its 39 books (one pair per book, chunks written to a temporary folder), all
pre-split. Prints pairs per second and wall time per run, and checks that the three runs wrote
byte-identical outputs.

Run from the project root:  /work/venv/bin/python benchmarks/batch.py
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import aligner
from aligner.corpus.batch import BatchReport, run_batch
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


def bible_books(folder: Path, limit: int) -> list[str]:
    """Write the OT's books as ``NN-Osis.fr`` / ``NN-Osis.en`` in ``folder``; manifest lines."""
    with (BIBLE / "OT.refs.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    fr = (BIBLE / "OT.fr").read_text(encoding="utf-8").splitlines()
    en = (BIBLE / "OT.en").read_text(encoding="utf-8").splitlines()
    if not len(rows) == len(fr) == len(en):
        raise ValueError("OT.refs.tsv, OT.fr and OT.en have different line counts")
    books: dict[str, list[int]] = {}
    for k, row in enumerate(rows):
        books.setdefault(f"{int(row['book_no']):02d}-{row['osis']}", []).append(k)
    lines = []
    for name, indices in list(books.items())[:limit]:
        (folder / f"{name}.fr").write_text("".join(fr[k] + "\n" for k in indices), encoding="utf-8")
        (folder / f"{name}.en").write_text("".join(en[k] + "\n" for k in indices), encoding="utf-8")
        lines.append(f"{name}.fr\t{name}.en\tfr\ten")
    return lines


def build_manifest(folder: Path, bible_limit: int) -> Path:
    """The benchmark's manifest in ``folder`` (dev data by absolute path, OT chunks beside it)."""
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
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != SUMMARY_NAME}


def report_row(name: str, run: Callable[[], BatchReport]) -> BatchReport:
    """Run one configuration and print its table row at once (runs take minutes)."""
    start = time.perf_counter()
    report = run()
    wall = time.perf_counter() - start
    work = sum(r.seconds for r in report.results)
    print(
        f"| {name} | {len(report.results)} | {report.failed} | {wall:.1f} "
        f"| {len(report.results) / wall:.3f} | {work:.1f} | {os.getloadavg()[0]:.1f} |",
        flush=True,
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", default="beads", help="output format (default: beads)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    parser.add_argument(
        "--bible-books", type=int, default=39, help="OT books to include (default: all 39)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="aligner-batch-") as tmp:
        folder = Path(tmp)
        code_before = code_digest()
        manifest = build_manifest(folder, args.bible_books)
        n_pairs = sum(1 for line in manifest.read_text().splitlines() if line and line[0] != "#")
        print(
            f"{n_pairs} pairs, {os.cpu_count()} cores, format {args.format}, pre-split input, "
            f"load average before: {os.getloadavg()[0]:.1f}"
        )
        print("\n| run | pairs | failed | wall s | pairs/s | sum of per-pair s | load after |")
        print("|---|---:|---:|---:|---:|---:|---:|", flush=True)
        reports = {}
        for jobs in (1, 2):
            reports[f"out-j{jobs}"] = report_row(
                f"--jobs {jobs}",
                lambda jobs=jobs: run_batch(
                    manifest, folder / f"out-j{jobs}", fmt=args.format, jobs=jobs, presplit=True
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
                reports["out-dask"] = report_row(
                    "Dask LocalCluster, 2 workers",
                    lambda: run_batch(
                        manifest, folder / "out-dask", fmt=args.format, client=client, presplit=True
                    ),
                )
            print(f"(the Dask LocalCluster took {started:.1f} s to start, not counted above)")

        if code_digest() != code_before:
            print("warning: the aligner's source changed during the run; outputs may differ")
        reference = outputs(folder / "out-j1")
        for name in ("out-j2", "out-dask"):
            if name in reports:
                same = outputs(folder / name) == reference
                print(f"{name}: outputs byte-identical to --jobs 1: {same}")
        slowest = max(reports["out-j1"].results, key=lambda r: r.seconds)
        print(f"slowest pair (--jobs 1): {slowest.output} {slowest.seconds:.1f} s")


if __name__ == "__main__":
    main()
