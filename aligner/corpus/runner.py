"""Running pairs on a ``concurrent.futures.Executor``: a bounded number in flight, crashes isolated.

One loop, :func:`run_bounded`, serves every kind of executor: a local process pool, or a Dask
cluster through ``Client.get_executor()``. The local pool adds one thing Dask does itself: when
a worker process dies (killed, out of memory) the whole pool breaks and every pair in flight
with it, so those pairs are run again one by one, each in a fresh process, and only the pair
that kills its worker is recorded as failed (:func:`run_local`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent import futures
from typing import Any

from aligner.corpus.jobs import PairJob, PairResult, Worker, crashed

__all__ = ["IN_FLIGHT_PER_WORKER", "default_jobs", "run_bounded", "run_local"]

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

#: An item of work: its index in the manifest and its job.
Item = tuple[int, PairJob]


def _failure(exc: BaseException) -> str:
    """The record's message for a task that raised instead of returning a result."""
    first_sentence = str(exc).split(". ")[0]
    return f"the task failed: {type(exc).__name__}: {first_sentence}"


def run_bounded(
    executor: futures.Executor, queue: Iterator[Item], worker: Worker, limit: int
) -> Iterator[tuple[int, PairJob, PairResult | None]]:
    """Submit items from ``queue`` with at most ``limit`` in flight; yield each as it finishes.

    A task that raises (a lost Dask worker, a result that cannot be pickled back) is recorded as
    failed. If the executor breaks (``BrokenExecutor``: a local worker process died), no more is
    submitted, and the items it took down are yielded with None instead of a result, for the
    caller to run again; the rest of ``queue`` is left for the caller.
    """
    in_flight: dict[futures.Future[PairResult], Item] = {}
    broken = False
    while True:
        while not broken and len(in_flight) < limit and (item := next(queue, None)) is not None:
            try:
                in_flight[executor.submit(worker, item[1])] = item
            except futures.BrokenExecutor:  # it broke since the last wait
                broken = True
                yield (*item, None)
        if not in_flight:
            return
        finished, _ = futures.wait(in_flight, return_when=futures.FIRST_COMPLETED)
        for future in finished:
            index, job = in_flight.pop(future)
            try:
                result: PairResult | None = future.result()
            except futures.BrokenExecutor:
                broken, result = True, None
            except Exception as exc:
                result = crashed(job, _failure(exc))
            yield index, job, result


def run_local(
    pending: Iterable[Item], worker: Worker, workers: int
) -> Iterator[tuple[int, PairResult]]:
    """Run on ``workers`` local processes, re-running alone the pairs a dying worker took down."""
    queue = iter(pending)
    while True:
        orphans: list[Item] = []
        with _new_pool(workers) as pool:
            for index, job, result in run_bounded(
                pool, queue, worker, IN_FLIGHT_PER_WORKER * workers
            ):
                if result is None:
                    orphans.append((index, job))
                else:
                    yield index, result
        if not orphans:  # the pool never broke, so the queue is empty
            return
        for index, job in sorted(orphans, key=lambda item: item[0]):
            yield index, _run_alone(job, worker)


def _run_alone(job: PairJob, worker: Worker) -> PairResult:
    """Run one pair in a process of its own; record its death if it dies."""
    with _new_pool(1) as pool:
        try:
            return pool.submit(worker, job).result()
        except futures.BrokenExecutor:
            return crashed(job, "the worker process died (killed or out of memory)")


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


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
