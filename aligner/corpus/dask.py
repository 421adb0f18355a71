"""Corpus mode on a Dask cluster: connect to a scheduler and run pairs on its workers.

Dask is an optional extra (``pip install 'aligner[dask]'``): it is imported inside the functions
that use it, never when this module is imported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from aligner.corpus.jobs import PairResult, Worker, crashed
from aligner.corpus.runner import IN_FLIGHT_PER_WORKER, Item, run_bounded
from aligner.errors import InputError, UsageError


def run_dask(
    pending: Sequence[Item], worker: Worker, client: Any
) -> Iterator[tuple[int, PairResult]]:
    """Run on the Dask cluster behind ``client``, through its ``concurrent.futures`` executor.

    As many pairs are in flight as :data:`~aligner.corpus.runner.IN_FLIGHT_PER_WORKER` times
    the cluster's worker threads. A task that fails (KilledWorker, a lost task) is recorded and
    the batch goes on; Dask itself retries a task whose worker died.
    """
    threads = sum(client.nthreads().values()) or 1
    with client.get_executor(pure=False) as executor:
        for index, job, result in run_bounded(
            executor, iter(pending), worker, IN_FLIGHT_PER_WORKER * threads
        ):
            yield index, result or crashed(job, "the Dask executor was shut down")


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
