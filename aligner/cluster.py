"""Corpus mode on a Dask cluster: connect to a scheduler and run pairs on its workers.

Dask is an optional extra (``pip install 'aligner[dask]'``): it is imported inside the functions
that use it, never when this module is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from aligner.errors import InputError, UsageError

if TYPE_CHECKING:
    from aligner.batch import PairJob, PairResult, Worker


def run_dask(
    pending: Sequence[tuple[int, PairJob]],
    worker: Worker,
    client: Any,
    *,
    in_flight_per_thread: int,
    crashed: Callable[[PairJob, str], PairResult],
) -> Iterator[tuple[int, PairResult]]:
    """Run on a Dask cluster through ``client``, with a bounded number of tasks in flight.

    ``crashed`` makes the record of a pair whose task failed, from the pair and a message.
    """
    from distributed import as_completed

    threads = sum(client.nthreads().values()) or 1
    limit = in_flight_per_thread * threads
    queue = iter(pending)
    in_flight: dict[Any, tuple[int, PairJob]] = {}

    def submit() -> Any:
        item = next(queue, None)
        if item is None:
            return None
        future = client.submit(worker, item[1], pure=False)
        in_flight[future] = item
        return future

    first = [f for f in (submit() for _ in range(limit)) if f is not None]
    completed_futures: Any = as_completed(first)  # type: ignore[no-untyped-call]
    for future in completed_futures:
        index, job = in_flight.pop(future)
        try:
            result = future.result()
        except Exception as exc:  # KilledWorker, a lost task: recorded, the batch goes on
            first_sentence = str(exc).split(". ")[0]
            result = crashed(job, f"the Dask task failed: {type(exc).__name__}: {first_sentence}")
        future.release()
        yield index, result
        following = submit()
        if following is not None:
            completed_futures.add(following)


def connect(address: str, timeout: float = 10.0) -> Any:
    """A ``dask.distributed.Client`` connected to the scheduler at ``address``.

    InputError if no scheduler answers within ``timeout`` seconds or the address is malformed.
    """
    client_class = dask_client_class()
    try:
        return client_class(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address} ({exc})") from None


def dask_client_class() -> Any:
    """``distributed.Client``, or UsageError saying how to install Dask."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "running on a Dask cluster needs Dask: pip install 'aligner[dask]'"
        ) from None
    return Client
