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

The pairs and their output names come from :mod:`aligner.corpus.manifest`, the work of one pair
from :mod:`aligner.corpus.jobs`; pairs run through :mod:`aligner.corpus.runner` on local
processes or through :mod:`aligner.corpus.dask` on a cluster.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from aligner.config import AlignConfig
from aligner.corpus.dask import run_dask
from aligner.corpus.jobs import (
    BatchOptions,
    PairJob,
    PairResult,
    Worker,
    align_pair,
    crashed,
    fingerprint,
    learn_pair,
    output_size,
    save_lexicon,
)
from aligner.corpus.manifest import (
    FIRST_PASS_FOLDER,
    JOURNAL_NAME,
    SUMMARY_NAME,
    WORK_NAME,
    DocumentPair,
    output_names,
    read_manifest,
)
from aligner.corpus.runner import LocalWorkers, default_jobs, failure_message, stop_on_sigterm
from aligner.errors import AlignerError, InputError, UsageError
from aligner.features.corpus_counts import PairCounts, combine_counts
from aligner.features.dictionary import base_language
from aligner.output import FORMATS
from aligner.output.files import write_atomic
from aligner.segmentation.sentences import check_language

__all__ = ["BatchReport", "PairProgress", "run_batch"]


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
    size = output_size(job, result)
    if size is None or size != result.output_bytes or result.fingerprint != fingerprint(job):
        return None
    # The pair may sit on another manifest line than when it was aligned.
    return replace(result, line=job.pair.line)


#: ``progress(result)``: called once per pair as it finishes.
PairProgress = Callable[[PairResult], None]


def plan(pairs: Sequence[DocumentPair], outdir: Path, options: BatchOptions) -> tuple[PairJob, ...]:
    """One job per pair, each with its distinct output path in ``outdir``."""
    if options.fmt not in FORMATS:
        raise UsageError(f"unknown format {options.fmt!r}; choose one of {', '.join(FORMATS)}")
    names = output_names(pairs, FORMATS[options.fmt].extension)
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
    progress: PairProgress | None = None,
    presplit: bool = False,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    encoding: str | None = None,
    config: AlignConfig | None = None,
    min_confidence: float = 0.0,
    corpus_lexicon: bool = True,
    header: bool = False,
    worker: Worker = align_pair,
) -> BatchReport:
    """Align every pair of a manifest (a path) or of a sequence of :class:`DocumentPair`.

    ``jobs`` worker processes on this machine (default: the core count; 1 runs in this
    process), or the workers of a ``dask.distributed.Client`` passed as ``client`` (inputs and
    ``outdir`` must then be reachable at the same paths from every worker). Pairs whose output is
    complete are skipped unless ``force``. ``progress`` is called once per pair as it finishes
    (skipped pairs first). Writes ``summary.jsonl`` in ``outdir``, in manifest order.
    ``min_confidence`` leaves weaker beads out of each output (see :func:`aligner.write`).
    With ``corpus_lexicon``, the pairs whose languages are given (by the manifest or the
    defaults) are grouped by language pair, and each group of two pairs or more first trains
    one lexicon from all its pairs, which every pair of the group is then aligned with
    (:func:`aligner.pipeline.train_lexicon`); the group enters each pair's fingerprint.
    ``header``: a line of column names first in each TSV output (a usage error with another
    format).
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
    if not 0.0 <= min_confidence <= 1.0:
        raise UsageError(f"min_confidence must be between 0 and 1, got {min_confidence}")
    if header and fmt != "tsv":
        raise UsageError(f"a header line is for the tsv format, not {fmt}")
    options = BatchOptions(
        fmt, presplit, src_lang, tgt_lang, encoding, config, min_confidence, corpus_lexicon, header
    )
    for lang, flag in ((src_lang, "source"), (tgt_lang, "target")):
        if lang is not None:
            _check_default_language(lang, flag)
    out = _prepare_outdir(Path(outdir))
    all_jobs = plan(pairs, out, options)
    groups = _corpus_groups(all_jobs) if corpus_lexicon else {}
    all_jobs = tuple(
        replace(job, group=groups.get(k, ("", ()))[0]) for k, job in enumerate(all_jobs)
    )

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

    work = out / WORK_NAME
    corpus = _CorpusPlan.of(groups, {i for i, _ in pending}, work)
    first = [(i, corpus.job(i, all_jobs[i])) for i in corpus.first_round()]
    with (
        stop_on_sigterm(),
        _Journal(out / JOURNAL_NAME, fresh=force) as journal,
        _Runner(jobs, client, len(first)) as execute,
    ):

        def record(index: int, result: PairResult) -> None:
            journal.append(result)
            results[index] = result
            if progress is not None:
                progress(result)

        # Round one: the pairs to learn from run their first pass (and keep it); every other
        # pending pair is aligned at once.
        learned: dict[int, PairCounts] = {}
        first_seconds: dict[int, float] = {}
        for index, result in execute(first, functools.partial(_first_round, worker)):
            if index in corpus.learners and result.ok and result.counts is not None:
                learned[index] = result.counts
                first_seconds[index] = result.seconds
            elif index in corpus.pending:
                record(index, replace(result, counts=None))
        # Round two: each corpus lexicon combined from its pairs' counts and saved once, then
        # the pairs that learned aligned with it, each resuming from its first pass.
        failed_groups = corpus.train(learned, all_jobs)
        second = []
        for index in sorted(learned.keys() & corpus.pending):
            digest = groups[index][0]
            if digest in failed_groups:
                record(index, crashed(all_jobs[index], failed_groups[digest]))
            else:
                second.append((index, replace(corpus.job(index, all_jobs[index]), learn=False)))
        del learned
        for index, result in execute(second, worker):
            # A pair's time is both rounds' (not the lexicon's training, which the group shares).
            record(index, replace(result, seconds=result.seconds + first_seconds.get(index, 0.0)))
        ordered = tuple(
            results.get(i) or crashed(job, "internal error: the pair was not run")
            for i, job in enumerate(all_jobs)
        )
        summary = out / SUMMARY_NAME
        _write_summary(summary, ordered)
    corpus.clean()
    with contextlib.suppress(OSError):
        (out / JOURNAL_NAME).unlink()
    return BatchReport(ordered, summary, time.perf_counter() - started)


def _in_process(worker: Worker, job: PairJob) -> PairResult:
    """``worker(job)`` run here; an exception it lets out fails the pair, not the run."""
    try:
        return worker(job)
    except Exception as exc:
        return crashed(job, failure_message(exc))


def _first_round(worker: Worker, job: PairJob) -> PairResult:
    """Round one's task: learn from the pair (:func:`learn_pair`) or align it (``worker``)."""
    return learn_pair(job) if job.learn else worker(job)


#: A corpus group: its digest and the indices of its jobs, by language pair.
Groups = dict[int, tuple[str, tuple[int, ...]]]


@dataclass(frozen=True)
class _CorpusPlan:
    """Which pairs train a corpus lexicon in this run, and where its files go.

    A group's lexicon is trained when one of its pairs is to be aligned and the lexicon saved
    under the group's digest in ``work`` is missing; then every pair of the group learns
    (``learners``), done ones included, so the lexicon is the one the whole group teaches. A
    saved lexicon is used as it is: a re-run with nothing changed trains nothing, even when a
    pair still fails.
    """

    groups: Groups
    pending: frozenset[int]
    learners: frozenset[int]
    work: Path

    @classmethod
    def of(cls, groups: Groups, pending: set[int], work: Path) -> _CorpusPlan:
        learners: set[int] = set()
        for index in pending:
            if index in groups:
                digest, members = groups[index]
                if not _lexicon_file(work, digest).is_file():
                    learners.update(members)
        return cls(groups, frozenset(pending), frozenset(learners), work)

    def first_round(self) -> list[int]:
        """Round one, in manifest order: the pending pairs and the learners."""
        return sorted(self.pending | self.learners)

    def job(self, index: int, job: PairJob) -> PairJob:
        """``job`` with its corpus lexicon's file and, for a learner, its first-pass file."""
        if index not in self.groups:
            return job
        job = replace(job, lexicon_file=_lexicon_file(self.work, self.groups[index][0]))
        if index in self.learners:
            kept = self.work / FIRST_PASS_FOLDER / f"{job.output.name}.pickle"
            job = replace(job, first_pass_file=kept, learn=True)
        return job

    def train(self, learned: Mapping[int, PairCounts], jobs: Sequence[PairJob]) -> dict[str, str]:
        """Combine and save the lexicon of every group that learned; the message of each
        group whose lexicon could not be made, by digest."""
        failed: dict[str, str] = {}
        trained: set[str] = set()
        for index in sorted(self.learners):
            digest, members = self.groups[index]
            if digest in trained:
                continue
            trained.add(digest)
            first = jobs[members[0]]
            try:
                src = base_language(check_language(first.src_lang or ""))
                tgt = base_language(check_language(first.tgt_lang or ""))
                counts = [learned[k] for k in members if k in learned]
                save_lexicon(_lexicon_file(self.work, digest), combine_counts(counts, src, tgt))
            except AlignerError as exc:
                failed[digest] = f"corpus lexicon: {exc}"
            except Exception as exc:  # a bug here must fail the group, not the run
                failed[digest] = f"corpus lexicon: internal error: {type(exc).__name__}: {exc}"
        return failed

    def clean(self) -> None:
        """Remove the kept first passes and the lexicons of groups that no longer exist."""
        shutil.rmtree(self.work / FIRST_PASS_FOLDER, ignore_errors=True)
        current = {_lexicon_file(self.work, digest).name for digest, _ in self.groups.values()}
        with contextlib.suppress(OSError):
            for path in self.work.glob("lexicon-*.json"):
                if path.name not in current:
                    path.unlink()
            self.work.rmdir()  # only when empty: no group left


def _lexicon_file(work: Path, digest: str) -> Path:
    """Where the lexicon of the corpus group ``digest`` is saved."""
    return work / f"lexicon-{digest}.json"


def _corpus_groups(jobs: Sequence[PairJob]) -> Groups:
    """Per job index, its corpus group: the jobs of the same given language pair (2 or more).

    The digest covers the members' fingerprints (inputs, options), so editing any file of a
    group makes every pair of it realign with the new lexicon.
    """
    by_pair: dict[tuple[str, str], list[int]] = {}
    for k, job in enumerate(jobs):
        if job.src_lang is None or job.tgt_lang is None:
            continue
        try:
            key = (check_language(job.src_lang), check_language(job.tgt_lang))
        except UsageError:
            continue  # aligning the pair records the bad language
        by_pair.setdefault(key, []).append(k)
    out: Groups = {}
    for members in by_pair.values():
        if len(members) < 2:
            continue
        digest = hashlib.sha256(
            "\n".join(fingerprint(jobs[k]) for k in members).encode("utf-8")
        ).hexdigest()[:16]
        for k in members:
            out[k] = (digest, tuple(members))
    return out


def _check_default_language(lang: str, side: str) -> None:
    """A default language from the caller must be known: UsageError otherwise."""
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


class _Runner:
    """Where a run's pairs go, for both rounds: a Dask cluster, local worker processes
    (started once, for the run), or this process."""

    def __init__(self, jobs: int | None, client: Any, most: int) -> None:
        self._client = client
        workers = min(jobs or default_jobs(), max(most, 1))
        self._local = LocalWorkers(workers) if client is None and workers > 1 else None

    def __enter__(self) -> _Runner:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._local is not None:
            self._local.__exit__(*exc)

    def __call__(
        self, pending: Sequence[tuple[int, PairJob]], worker: Worker
    ) -> Iterator[tuple[int, PairResult]]:
        """Results of ``pending`` as they finish."""
        if not pending:
            return iter(())
        if self._client is not None:
            return run_dask(pending, worker, self._client)
        if self._local is None:
            return ((index, _in_process(worker, job)) for index, job in pending)
        return self._local.run(pending, worker)
