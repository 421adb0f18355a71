"""Corpus mode on a real Dask cluster: two worker processes on the loopback interface."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.corpus.batch import run_batch
from aligner.corpus.dask import connect
from aligner.corpus.manifest import SUMMARY_NAME
from aligner.errors import InputError

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
ARMISTICE = ROOT / "texts" / "armistice-1917"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of two single-threaded worker processes, closed after the module."""
    with (
        # As docs/batch.md advises: Dask's low malloc trim threshold slows the aligner down.
        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}),
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


def _manifest(folder: Path) -> Path:
    """The armistice texts in both directions, two small texts, and two bad pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.fr").write_text(
        "Le chat dort.\nIl fait beau.\n\nLa guerre est finie.\n", encoding="utf-8"
    )
    (folder / "a.en").write_text(
        "The cat sleeps.\nThe weather is fine.\n\nThe war is over.\n", encoding="utf-8"
    )
    (folder / "empty.en").write_text("\n", encoding="utf-8")
    lines = [
        f"{ARMISTICE / 'fr.txt'}\t{ARMISTICE / 'en.txt'}\tfr\ten",
        f"{ARMISTICE / 'ru.txt'}\t{ARMISTICE / 'fr.txt'}\tru\tfr",
        "a.fr\tempty.en\tfr\ten",
        "a.fr\ta.en\tfr\ten",
        "missing.fr\ta.en\tfr\ten",
        f"{ARMISTICE / 'en.txt'}\t{ARMISTICE / 'ru.txt'}\ten\tru",
    ]
    path = folder / "pairs.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.name != SUMMARY_NAME and p.is_file()
    }


def _records(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / SUMMARY_NAME).read_text(encoding="utf-8").splitlines()
    return [{**json.loads(line), "seconds": None} for line in lines]


def test_dask_outputs_are_byte_identical_to_the_local_run(tmp_path: Path, client: Any) -> None:
    manifest = _manifest(tmp_path / "in")
    local = run_batch(manifest, tmp_path / "local", fmt="jsonl", jobs=1)
    remote = run_batch(manifest, tmp_path / "dask", fmt="jsonl", client=client)
    assert local.failed == remote.failed == 2
    assert _outputs(tmp_path / "local") == _outputs(tmp_path / "dask")
    assert len(_outputs(tmp_path / "dask")) == 4
    assert _records(tmp_path / "local") == _records(tmp_path / "dask")
    errors = [r["error"] for r in _records(tmp_path / "dask")]
    assert "empty" in errors[2] and "no such file" in errors[4]

    again = run_batch(manifest, tmp_path / "dask", fmt="jsonl", client=client)
    assert again.skipped == 4 and again.aligned == 0


def test_two_local_processes_match_one_on_the_real_pipeline(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path / "in")
    run_batch(manifest, tmp_path / "one", fmt="tsv", jobs=1)
    run_batch(manifest, tmp_path / "two", fmt="tsv", jobs=2)
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")
    assert _records(tmp_path / "one") == _records(tmp_path / "two")


def test_cli_batch_on_the_cluster(tmp_path: Path, client: Any) -> None:
    manifest = _manifest(tmp_path / "in")
    address = client.scheduler.address
    result = CliRunner().invoke(
        cli, ["batch", str(manifest), "-o", str(tmp_path / "out"), "--scheduler", address]
    )
    assert result.exit_code == 1  # the two bad pairs
    assert "2 of 6 pairs failed" in result.stderr and "Traceback" not in result.stderr
    assert len(_outputs(tmp_path / "out")) == 4


def test_an_unreachable_scheduler_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        connect("tcp://127.0.0.1:1", timeout=0.5)
    with pytest.raises(InputError, match="cannot reach"):
        connect("no-port-here", timeout=0.5)
