"""Corpus mode: run a batch of document pairs, resumably, on local processes or a Dask cluster.

A run turns a manifest into one :class:`PairJob` per pair, skips the pairs whose output is
already complete, sends the others to a worker pool and records one :class:`PairResult` per pair
in ``summary.jsonl`` (manifest order). Workers write their own outputs atomically and return
only a small record, so the driver's memory does not grow with the outputs; the number of pairs
in flight is bounded, so it does not grow with the manifest either.

Resume: every finished pair is appended to ``summary.jsonl.partial`` (a journal, flushed and
synced) as soon as it is known, so a killed run loses no finished output. A pair is complete when
a record without error names it, its output file exists with the recorded size, and the record's
fingerprint (inputs' paths, sizes and modification times, the options and the aligner version)
matches the inputs as they are now.

The pairs and their output names come from :mod:`aligner.manifest`; runs on a Dask cluster go
through :mod:`aligner.cluster`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent import futures
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from aligner import __version__
from aligner.cluster import run_dask
from aligner.errors import AlignerError, InputError, UsageError
from aligner.manifest import (
    JOURNAL_NAME,
    SUMMARY_NAME,
    DocumentPair,
    extension,
    known_language,
    output_names,
    read_manifest,
)
from aligner.model import Document

if TYPE_CHECKING:
    from aligner.align import AlignConfig

#: Pairs in flight per worker: enough to keep every worker busy while the driver journals a
#: result, few enough that a manifest of a million pairs costs nothing up front.
IN_FLIGHT_PER_WORKER = 2
#: Environment of local worker processes: one thread each for the numerical libraries. The pool
#: already runs one process per core, and OpenBLAS/OpenMP threads on top would only fight over
#: the same cores (Dask's nanny sets the same variables for its workers). A value the user set
#: is kept.
ONE_THREAD_ENV: Mapping[str, str] = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

Progress = Callable[["PairResult"], None]


@dataclass(frozen=True)
class BatchOptions:
    """What every pair of a run shares: output format, input kind, default languages, config."""

    fmt: str = "tsv"
    presplit: bool = False
    src_lang: str | None = None
    tgt_lang: str | None = None
    encoding: str = "utf-8"
    config: AlignConfig | None = None

    def signature(self) -> str:
        """A stable text naming everything that changes the outputs (for fingerprints); no
        config and the default one are the same."""
        from aligner.align import AlignConfig

        return json.dumps(
            {
                "version": __version__,
                "fmt": self.fmt,
                "presplit": self.presplit,
                "encoding": self.encoding,
                "config": repr(self.config or AlignConfig()),
            },
            sort_keys=True,
        )


@dataclass(frozen=True)
class PairJob:
    """Everything a worker needs to align one pair; small and picklable."""

    pair: DocumentPair
    output: Path
    options: BatchOptions

    @property
    def src_lang(self) -> str | None:
        """The source language: the manifest's, else the run's default, else None (detect)."""
        return self.pair.src_lang or self.options.src_lang

    @property
    def tgt_lang(self) -> str | None:
        """The target language: the manifest's, else the run's default, else None (detect)."""
        return self.pair.tgt_lang or self.options.tgt_lang


@dataclass(frozen=True)
class PairResult:
    """What happened to one pair: counts and timing, or the error that stopped it."""

    source: str
    target: str
    output: str
    fingerprint: str
    src_lang: str | None = None
    tgt_lang: str | None = None
    src_sentences: int = 0
    tgt_sentences: int = 0
    beads: tuple[tuple[str, int], ...] = ()
    mean_confidence: float = 0.0
    seconds: float = 0.0
    output_bytes: int = 0
    error: str | None = None
    line: int | None = None
    skipped: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        if self.src_sentences < 0 or self.tgt_sentences < 0 or self.output_bytes < 0:
            raise ValueError("sentence counts and output size must be >= 0")
        if not 0.0 <= self.mean_confidence <= 1.0:
            raise ValueError(f"mean confidence {self.mean_confidence} is outside [0, 1]")

    @property
    def ok(self) -> bool:
        """True when the pair was aligned and its output written."""
        return self.error is None

    def to_record(self) -> dict[str, Any]:
        """The JSON record written to the summary (``skipped`` is a property of the run only)."""
        return {
            "source": self.source,
            "target": self.target,
            "output": self.output,
            "line": self.line,
            "src_lang": self.src_lang,
            "tgt_lang": self.tgt_lang,
            "src_sentences": self.src_sentences,
            "tgt_sentences": self.tgt_sentences,
            "beads": dict(self.beads),
            "mean_confidence": round(self.mean_confidence, 6),
            "seconds": round(self.seconds, 4),
            "error": self.error,
            "output_bytes": self.output_bytes,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any], *, skipped: bool = False) -> PairResult:
        """Rebuild a result from a summary record; ValueError/KeyError/TypeError if malformed."""
        beads = record.get("beads") or {}
        if not isinstance(beads, dict):
            raise TypeError("beads must be an object")
        line = record.get("line")
        return cls(
            source=str(record["source"]),
            target=str(record["target"]),
            output=str(record["output"]),
            fingerprint=str(record["fingerprint"]),
            src_lang=record.get("src_lang"),
            tgt_lang=record.get("tgt_lang"),
            src_sentences=int(record.get("src_sentences", 0)),
            tgt_sentences=int(record.get("tgt_sentences", 0)),
            beads=tuple(sorted((str(k), int(v)) for k, v in beads.items())),
            mean_confidence=float(record.get("mean_confidence", 0.0)),
            seconds=float(record.get("seconds", 0.0)),
            output_bytes=int(record.get("output_bytes", 0)),
            error=None if record.get("error") is None else str(record["error"]),
            line=None if line is None else int(line),
            skipped=skipped,
        )


@dataclass(frozen=True)
class BatchReport:
    """The outcome of a run: one result per pair in manifest order, and where the summary is."""

    results: tuple[PairResult, ...]
    summary: Path
    seconds: float

    @property
    def aligned(self) -> int:
        """Pairs aligned by this run."""
        return sum(1 for r in self.results if r.ok and not r.skipped)

    @property
    def skipped(self) -> int:
        """Pairs left as they were because their output was already complete."""
        return sum(1 for r in self.results if r.skipped)

    @property
    def failed(self) -> int:
        """Pairs whose error is recorded in the summary."""
        return sum(1 for r in self.results if not r.ok)


# --- fingerprints and resume --------------------------------------------------------------


def fingerprint(job: PairJob) -> str:
    """A digest of what the pair's output depends on: input paths, sizes, mtimes, options.

    Sizes and modification times (as make and rsync use them) change when a file is edited or
    replaced, without reading the file; a missing file has its own marker.
    """
    parts: list[Any] = [
        job.options.signature(),
        job.src_lang,
        job.tgt_lang,
        job.output.name,
    ]
    for path in (job.pair.source, job.pair.target):
        try:
            st = path.stat()
            parts.append([str(path.absolute()), st.st_size, st.st_mtime_ns])
        except OSError:
            parts.append([str(path.absolute()), None, None])
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def load_records(outdir: Path) -> dict[str, dict[str, Any]]:
    """Previous records by output name: the summary, then the journal (later records win).

    Lines that do not parse (the last line of a journal cut by a kill) are ignored.
    """
    records: dict[str, dict[str, Any]] = {}
    for name in (SUMMARY_NAME, JOURNAL_NAME):
        path = outdir / name
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("output"), str):
                records[record["output"]] = record
    return records


def completed(job: PairJob, record: Mapping[str, Any] | None) -> PairResult | None:
    """The recorded result if ``job``'s output is complete and still matches its inputs."""
    if record is None or record.get("error") is not None:
        return None
    try:
        result = PairResult.from_record(record, skipped=True)
    except (KeyError, TypeError, ValueError):
        return None
    try:
        size = job.output.stat().st_size
    except OSError:
        return None
    if size != result.output_bytes or result.fingerprint != fingerprint(job):
        return None
    # The pair may sit on another manifest line than when it was aligned.
    return replace(result, line=job.pair.line)


# --- the per-pair worker ------------------------------------------------------------------


def align_pair(job: PairJob) -> PairResult:
    """Read, segment, align and write one pair; return its record, with the error if it failed.

    Top-level so that process pools and Dask can send it to workers. Every failure of the pair
    (missing, binary or empty file, unknown language, or a bug met on this input) is caught and
    recorded: one bad pair never stops a batch.
    """
    start = time.perf_counter()
    digest = fingerprint(job)
    base = PairResult(
        source=str(job.pair.source),
        target=str(job.pair.target),
        output=job.output.name,
        fingerprint=digest,
        src_lang=job.src_lang,
        tgt_lang=job.tgt_lang,
        line=job.pair.line,
    )
    try:
        return _align_and_write(job, base, start)
    except AlignerError as exc:
        message = str(exc)
    except MemoryError:
        message = "out of memory while aligning this pair"
    except Exception as exc:  # a bug met on one input must not stop the other pairs
        message = f"internal error: {type(exc).__name__}: {exc}"
    return replace(base, error=message, seconds=time.perf_counter() - start)


def _align_and_write(job: PairJob, base: PairResult, start: float) -> PairResult:
    """The work of :func:`align_pair`, raising on failure."""
    from aligner import formats
    from aligner.align import align_documents
    from aligner.textio import read_text, write_atomic

    options = job.options
    src_text = read_text(job.pair.source, options.encoding)
    tgt_text = read_text(job.pair.target, options.encoding)
    src_lang = _language(job.src_lang, src_text, job.pair.source)
    tgt_lang = _language(job.tgt_lang, tgt_text, job.pair.target)
    src_doc = _document(src_text, src_lang, options.presplit)
    tgt_doc = _document(tgt_text, tgt_lang, options.presplit)
    alignment = align_documents(src_doc, tgt_doc, config=options.config)
    titles = (job.pair.source.name, job.pair.target.name)
    payload = formats.write(alignment, options.fmt, titles=titles).encode("utf-8")
    write_atomic(job.output, payload)
    return replace(
        base,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src_sentences=len(alignment.src),
        tgt_sentences=len(alignment.tgt),
        beads=tuple(sorted(alignment.counts().items())),
        mean_confidence=min(1.0, max(0.0, alignment.mean_confidence)),
        output_bytes=len(payload),
        seconds=time.perf_counter() - start,
    )


def _language(given: str | None, text: str, path: Path) -> str:
    """The language code given for a file, checked; else the one detected in its text."""
    from aligner.detect import detect_language

    if given is not None:
        return known_language(given, str(path))
    return detect_language(text, str(path)).code


def _document(text: str, lang: str, presplit: bool) -> Document:
    """The text as a Document: split into sentences, or one sentence per line if presplit."""
    from aligner.segment import read_presplit, segment

    return read_presplit(text, lang) if presplit else segment(text, lang)


# --- running ------------------------------------------------------------------------------


Worker = Callable[[PairJob], PairResult]


def plan(pairs: Sequence[DocumentPair], outdir: Path, options: BatchOptions) -> tuple[PairJob, ...]:
    """One job per pair, each with its distinct output path in ``outdir``."""
    names = output_names(pairs, extension(options.fmt))
    return tuple(
        PairJob(pair, outdir / name, options) for pair, name in zip(pairs, names, strict=True)
    )


def run_batch(
    tasks_or_manifest: str | os.PathLike[str] | Sequence[DocumentPair],
    outdir: str | os.PathLike[str],
    *,
    fmt: str = "tsv",
    jobs: int | None = None,
    client: Any = None,
    force: bool = False,
    progress: Progress | None = None,
    presplit: bool = False,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    encoding: str = "utf-8",
    config: AlignConfig | None = None,
    worker: Worker = align_pair,
) -> BatchReport:
    """Align every pair of a manifest (a path) or of a sequence of :class:`DocumentPair`.

    ``jobs`` worker processes on this machine (default: the core count; 1 runs in this
    process), or the workers of a ``dask.distributed.Client`` passed as ``client`` (inputs and
    ``outdir`` must then be reachable at the same paths from every worker). Pairs whose output is
    complete are skipped unless ``force``. ``progress`` is called once per pair as it finishes
    (skipped pairs first). Writes ``summary.jsonl`` in ``outdir``, in manifest order.
    """
    started = time.perf_counter()
    if jobs is not None and jobs < 1:
        raise UsageError(f"jobs must be at least 1, got {jobs}")
    if isinstance(tasks_or_manifest, (str, os.PathLike)):
        pairs = read_manifest(tasks_or_manifest, encoding)
    else:
        pairs = tuple(tasks_or_manifest)
        if not pairs:
            raise InputError("no pairs to align")
    options = BatchOptions(fmt, presplit, src_lang, tgt_lang, encoding, config)
    for lang, flag in ((src_lang, "source"), (tgt_lang, "target")):
        if lang is not None:
            _check_default_language(lang, flag)
    out = _prepare_outdir(Path(outdir))
    all_jobs = plan(pairs, out, options)

    previous = {} if force else load_records(out)
    results: dict[int, PairResult] = {}
    pending: list[tuple[int, PairJob]] = []
    for index, job in enumerate(all_jobs):
        done = completed(job, previous.get(job.output.name))
        if done is None:
            pending.append((index, job))
        else:
            results[index] = done
            if progress is not None:
                progress(done)

    with _Journal(out / JOURNAL_NAME, fresh=force) as journal:
        for index, result in _execute(pending, worker, jobs, client):
            journal.append(result)
            results[index] = result
            if progress is not None:
                progress(result)
        ordered = tuple(results[i] for i in range(len(all_jobs)))
        summary = out / SUMMARY_NAME
        _write_summary(summary, ordered)
    with contextlib.suppress(OSError):
        (out / JOURNAL_NAME).unlink()
    return BatchReport(ordered, summary, time.perf_counter() - started)


def _check_default_language(lang: str, side: str) -> None:
    """A default language from the caller must be known: UsageError otherwise."""
    from aligner.segment import check_language

    try:
        check_language(lang)
    except UsageError as exc:
        raise UsageError(f"{side} language: {exc}") from None


def _prepare_outdir(outdir: Path) -> Path:
    """Create the output folder if needed; InputError if it cannot be one."""
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"{outdir}: exists and is not a folder")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{outdir}: cannot create folder ({exc.strerror})") from None
    return outdir.absolute()


def _write_summary(path: Path, results: Sequence[PairResult]) -> None:
    """Write the summary atomically: one JSON record per pair, in manifest order."""
    from aligner.textio import write_atomic

    lines = [json.dumps(r.to_record(), ensure_ascii=False) + "\n" for r in results]
    write_atomic(path, "".join(lines))


class _Journal:
    """Append-only record of finished pairs, synced after each one so a kill loses none."""

    def __init__(self, path: Path, *, fresh: bool) -> None:
        self._path = path
        self._fresh = fresh
        self._handle: IO[str] | None = None

    def __enter__(self) -> _Journal:
        try:
            self._handle = self._path.open("w" if self._fresh else "a", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{self._path}: cannot write ({exc.strerror})") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()

    def append(self, result: PairResult) -> None:
        """Add one finished pair and make it durable."""
        if self._handle is None:
            raise ValueError("journal is not open")
        self._handle.write(json.dumps(result.to_record(), ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())


def _execute(
    pending: Sequence[tuple[int, PairJob]], worker: Worker, jobs: int | None, client: Any
) -> Iterator[tuple[int, PairResult]]:
    """Results of ``pending`` as they finish, from Dask, a process pool, or this process."""
    if not pending:
        return iter(())
    if client is not None:
        return run_dask(
            pending,
            worker,
            client,
            in_flight_per_thread=IN_FLIGHT_PER_WORKER,
            crashed=_crashed,
        )
    workers = min(jobs or default_jobs(), len(pending))
    if workers == 1:
        return ((index, worker(job)) for index, job in pending)
    return _run_pool(pending, worker, workers)


# --- the local process pool ---------------------------------------------------------------


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _crashed(job: PairJob, message: str) -> PairResult:
    """The record of a pair whose worker died or whose task was lost."""
    return PairResult(
        source=str(job.pair.source),
        target=str(job.pair.target),
        output=job.output.name,
        fingerprint=fingerprint(job),
        src_lang=job.src_lang,
        tgt_lang=job.tgt_lang,
        error=message,
        line=job.pair.line,
    )


def _one_thread_per_worker() -> None:
    """Pool initializer: runs in each new worker before numpy is imported there."""
    for name, value in ONE_THREAD_ENV.items():
        os.environ.setdefault(name, value)


def _new_pool(workers: int) -> futures.ProcessPoolExecutor:
    """A process pool whose workers keep to one thread each."""
    return futures.ProcessPoolExecutor(
        workers, mp_context=_pool_context(), initializer=_one_thread_per_worker
    )


def _pool_context() -> Any:
    """Start workers from a clean server process where the platform has one (no fork of a
    threaded parent), else spawn them."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _run_pool(
    pending: Sequence[tuple[int, PairJob]], worker: Worker, workers: int
) -> Iterator[tuple[int, PairResult]]:
    """Run on a process pool with at most ``IN_FLIGHT_PER_WORKER × workers`` pairs in flight.

    If a worker process dies (killed, out of memory), the pool breaks and every pair in flight
    with it. Those pairs are then run again one by one, each in a fresh process, so that only
    the pair that kills its worker is recorded as failed; a new pool takes the rest.
    """
    queue = iter(pending)
    limit = IN_FLIGHT_PER_WORKER * workers
    while True:
        orphans: list[tuple[int, PairJob]] = []
        with _new_pool(workers) as pool:
            in_flight: dict[futures.Future[PairResult], tuple[int, PairJob]] = {}
            while not orphans:
                while len(in_flight) < limit and (item := next(queue, None)) is not None:
                    try:
                        in_flight[pool.submit(worker, item[1])] = item
                    except BrokenProcessPool:  # it broke since the last wait
                        orphans.append(item)
                        break
                if not in_flight:
                    break
                finished, _ = futures.wait(in_flight, return_when=futures.FIRST_COMPLETED)
                for future in finished:
                    item = in_flight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        orphans.append(item)
                        continue
                    except Exception as exc:  # e.g. a result that cannot be pickled back
                        result = _crashed(item[1], f"internal error: {type(exc).__name__}: {exc}")
                    yield item[0], result
            for future, item in in_flight.items():
                if future.done() and not future.cancelled() and future.exception() is None:
                    yield item[0], future.result()
                else:
                    orphans.append(item)
        if not orphans:
            return
        for index, job in sorted(orphans, key=lambda item: item[0]):
            yield index, _run_alone(job, worker)


def _run_alone(job: PairJob, worker: Worker) -> PairResult:
    """Run one pair in a process of its own; record its death if it dies."""
    with _new_pool(1) as pool:
        try:
            return pool.submit(worker, job).result()
        except BrokenProcessPool:
            return _crashed(job, "the worker process died (killed or out of memory)")
