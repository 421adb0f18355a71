"""Running pairs on a ``concurrent.futures.Executor``: a bounded number in flight, crashes isolated.

One loop, :func:`run_bounded`, serves every kind of executor: a local process pool, or a Dask
cluster through ``Client.get_executor()``. The local pool adds one thing Dask does itself: when
a worker process dies (killed, out of memory) the whole pool breaks and every pair in flight
with it, so those pairs are run again one by one, each in a fresh process, and only the pair
that kills its worker is recorded as failed (:func:`run_local`).

Local workers never outlive the driver: when the driver stops on an exception (Ctrl-C, a
SIGTERM turned into one by :func:`stop_on_sigterm`) they are terminated, and each worker
watches its parent and ends itself when the driver dies without a word (``kill -9``).
"""

from __future__ import annotations

import ast
import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent import futures
from pathlib import Path
from types import FrameType
from typing import Any

from aligner.corpus.jobs import PairJob, PairResult, Worker, crashed
from aligner.errors import UsageError

__all__ = [
    "IN_FLIGHT_PER_WORKER",
    "LocalWorkers",
    "default_jobs",
    "failure_message",
    "run_bounded",
    "run_local",
    "stop_on_sigterm",
    "unguarded_main",
]

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

#: Seconds a worker whose driver died is given to stop cleanly (its temporary files removed)
#: before it exits regardless.
ORPHAN_GRACE = 5.0
#: Seconds terminated workers are given to exit before they are killed.
TERMINATE_GRACE = 5.0

#: An item of work: its index in the manifest and its job.
Item = tuple[int, PairJob]


def failure_message(exc: BaseException) -> str:
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
                result = crashed(job, failure_message(exc))
            yield index, job, result


def run_local(
    pending: Iterable[Item], worker: Worker, workers: int
) -> Iterator[tuple[int, PairResult]]:
    """Run on ``workers`` local processes, re-running alone the pairs a dying worker took down."""
    with LocalWorkers(workers) as pool:
        yield from pool.run(pending, worker)


class LocalWorkers:
    """Local worker processes kept for several rounds of work (a corpus run's two): each
    process loads what the pairs share (dictionaries, lemma tables, the corpus lexicon) once.

    Leaving the ``with`` block waits for the workers, or terminates them when it is left on an
    exception (Ctrl-C, SIGTERM).
    """

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pool: futures.ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalWorkers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kind is None:
            pool.shutdown(wait=True)
        else:
            _terminate(pool)

    def run(self, pending: Iterable[Item], worker: Worker) -> Iterator[tuple[int, PairResult]]:
        """Results of ``pending`` as they finish; the pairs a dying worker took down are run
        again one by one, each in a process of its own."""
        queue = iter(pending)
        while True:
            if self._pool is None:
                self._pool = _new_pool(self._workers)
            orphans: list[Item] = []
            for index, job, result in run_bounded(
                self._pool, queue, worker, IN_FLIGHT_PER_WORKER * self._workers
            ):
                if result is None:
                    orphans.append((index, job))
                else:
                    yield index, result
            if not orphans:  # the pool never broke, so the queue is empty
                return
            broken, self._pool = self._pool, None
            broken.shutdown(wait=True)
            for index, job in sorted(orphans, key=lambda item: item[0]):
                yield index, _run_alone(job, worker)


def _run_alone(job: PairJob, worker: Worker) -> PairResult:
    """Run one pair in a process of its own; record its death if it dies."""
    with _pool(1) as pool:
        try:
            return pool.submit(worker, job).result()
        except futures.BrokenExecutor:
            return crashed(job, "the worker process died (killed or out of memory)")


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _worker_setup() -> None:
    """Pool initializer, run in each new worker: one thread for the numerical libraries (set
    before numpy is imported there), SIGTERM as an exception (so that a terminated worker
    removes its temporary files), and a watch on the driver."""
    for name, value in ONE_THREAD_ENV.items():
        os.environ.setdefault(name, value)
    signal.signal(signal.SIGTERM, _raise_exit)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    """Signal handler: stop the main thread with SystemExit (``finally`` blocks run)."""
    raise SystemExit(128 + signum)


def _end_with(parent_sentinel: int) -> None:
    """Wait for the driver to end; then stop this worker: cleanly, or after a grace period
    (a worker between tasks waits for the next one and would never notice)."""
    multiprocessing.connection.wait([parent_sentinel])
    os.kill(os.getpid(), signal.SIGTERM)
    threading.Event().wait(ORPHAN_GRACE)
    os._exit(1)


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[futures.ProcessPoolExecutor]:
    """A process pool (see :func:`_new_pool`) whose workers are terminated, not waited for,
    when the driver leaves on an exception."""
    pool = _new_pool(workers)
    try:
        yield pool
    except BaseException:
        _terminate(pool)
        raise
    pool.shutdown(wait=True)


def _terminate(pool: futures.ProcessPoolExecutor) -> None:
    """End the pool's worker processes now: SIGTERM, then SIGKILL for those still running."""
    # ProcessPoolExecutor has no public way to end its workers before Python 3.14.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.join(TERMINATE_GRACE)
            if process.is_alive():
                process.kill()


def _new_pool(workers: int) -> futures.ProcessPoolExecutor:
    """A process pool whose workers keep to one thread each and watch the driver."""
    return futures.ProcessPoolExecutor(
        workers, mp_context=_pool_context(), initializer=_worker_setup
    )


def _pool_context() -> Any:
    """Start workers from a clean server process where the platform has one (no fork of a
    threaded parent), else spawn them. Both run the main script again in each worker: from a
    script that calls the batch without an ``if __name__ == "__main__":`` guard, workers are
    forked instead where the platform can (:func:`unguarded_main`); where it cannot, a
    UsageError says what to add."""
    methods = multiprocessing.get_all_start_methods()
    if unguarded_main():
        if "fork" not in methods:
            raise UsageError(
                'put the call to run_batch under `if __name__ == "__main__":` in your script '
                "(each worker process imports the script again), or pass jobs=1"
            )
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def unguarded_main() -> bool:
    """True when this is running from the top level of the main script, outside an ``if
    __name__ == "__main__":`` block: a worker started by forkserver or spawn imports that
    script again and would start the batch anew."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None:
        return False  # an interactive session or ``python -c``: nothing is imported again
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_globals is vars(main) and frame.f_code.co_name == "<module>":
            return not _guarded(Path(path), frame.f_lineno)
        frame = frame.f_back
    return False  # called later (from a function the script's guard or another module runs)


def _guarded(script: Path, line: int) -> bool:
    """Whether ``line`` of ``script`` lies in a top-level ``if __name__ == "__main__":``."""
    try:
        tree = ast.parse(script.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return True  # cannot tell: keep the safe default start method
    for node in tree.body:
        end = getattr(node, "end_lineno", None) or node.lineno
        if node.lineno <= line <= end:
            if not (isinstance(node, ast.If) and "__name__" in ast.unparse(node.test)):
                return False
            last = node.body[-1]
            return node.body[0].lineno <= line <= (last.end_lineno or last.lineno)
    return True


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM stops the driver as Ctrl-C does (an exception, so that its
    workers are ended and its journal closed) where Python lets us set a handler (the main
    thread, no handler of the caller's own); the previous handler is restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        previous = signal.getsignal(signal.SIGTERM)
    except ValueError:
        previous = None
    if previous not in (signal.SIG_DFL, None):
        yield
        return
    signal.signal(signal.SIGTERM, _raise_exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
