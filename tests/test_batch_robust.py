"""Corpus mode under faults: a broken file, re-runs, the driver killed, a script without a guard;
and the corpus lexicon learned in the workers, equal to the one pooled training gives."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import aligner
from aligner.cli import cli
from aligner.corpus import batch as batch_module
from aligner.corpus.batch import run_batch
from aligner.corpus.manifest import SUMMARY_NAME, WORK_NAME
from aligner.features.corpus_counts import combine_counts
from aligner.pipeline import align, first_pass, resume_alignment, train_lexicon

ROOT = Path(__file__).resolve().parent.parent
ARMISTICE = ROOT / "texts" / "armistice-1917"
#: Bound on every subprocess a test here starts (seconds).
LIMIT = 120

FRENCH = (
    "Le chat dort sur le tapis.\nLe chien aboie dans la cour.\n"
    "La pluie tombe sur la ville.\nLe marché ouvre le matin.\n"
)
ENGLISH = (
    "The cat sleeps on the carpet.\nThe dog barks in the yard.\n"
    "The rain falls on the town.\nThe market opens in the morning.\n"
)


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _corrupt_epub() -> bytes:
    """An EPUB whose container's deflate stream is damaged: reading it raises zlib.error."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        container = (
            "<?xml version='1.0'?><container version='1.0'><rootfiles>"
            "<rootfile full-path='c.opf' media-type='application/oebps-package+xml'/>"
            "</rootfiles></container>"
        )
        archive.writestr("META-INF/container.xml", container * 3)
    data = bytearray(buffer.getvalue())
    start = data.find(b"META-INF/container.xml") + len("META-INF/container.xml")
    for k in range(start + 5, start + 40):
        data[k] ^= 0x5A
    return bytes(data)


def _corpus(folder: Path, broken: bool = True) -> Path:
    """Two good pairs and, if ``broken``, one whose source is a corrupt EPUB, in between."""
    _write(folder / "a.fr", FRENCH)
    _write(folder / "a.en", ENGLISH)
    _write(folder / "b.fr", FRENCH.replace("chat", "roi").replace("dort", "règne"))
    _write(folder / "b.en", ENGLISH.replace("cat", "king").replace("sleeps", "reigns"))
    _write(folder / "c.epub", _corrupt_epub())
    _write(folder / "c.en", ENGLISH)
    lines = ["a.fr\ta.en", "c.epub\tc.en" if broken else "# none", "b.fr\tb.en"]
    return _write(folder / "pairs.tsv", "\n".join(lines) + "\n")


def _summary(outdir: Path) -> list[dict[str, object]]:
    text = (outdir / SUMMARY_NAME).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_one_broken_file_fails_its_pair_and_the_corpus_is_aligned(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    args = ["batch", str(manifest), "-o", str(out), "--src-lang", "fr", "--tgt-lang", "en"]
    result = CliRunner().invoke(cli, [*args, "-j", "1", "-q"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "1 of 3 pairs failed" in result.output and "c-c.tsv" not in result.output
    records = _summary(out)
    assert [r["error"] is None for r in records] == [True, False, True]
    message = str(records[1]["error"])
    assert "decompress" in message and "\n" not in message
    assert (out / "a.tsv").read_text(encoding="utf-8").count("\n") == 4
    assert (out / "b.tsv").is_file() and not (out / "c-c.tsv").exists()
    # Every row says how many beads are expected wrong: the sum of 1 - confidence (the TSV
    # rounds each confidence to 3 decimals).
    rows = (out / "a.tsv").read_text().splitlines()
    assert records[0]["expected_wrong"] == pytest.approx(
        sum(1 - float(line.split("\t")[2]) for line in rows), abs=0.0005 * len(rows)
    )
    assert records[1]["expected_wrong"] is None


def test_a_rerun_skips_the_done_pairs_and_does_not_train_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    first = run_batch(manifest, out, jobs=1, src_lang="fr", tgt_lang="en")
    assert (first.aligned, first.failed) == (2, 1)
    lexicons = list((out / WORK_NAME).glob("lexicon-*.json"))
    assert len(lexicons) == 1
    trained: list[int] = []

    def counting(parts: list[object], *args: object) -> object:
        trained.append(len(parts))
        return combine_counts(parts, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_module, "combine_counts", counting)
    again = run_batch(manifest, out, jobs=1, src_lang="fr", tgt_lang="en")
    # The broken pair is tried again (it may have been fixed), with the saved lexicon.
    assert (again.skipped, again.failed, again.aligned) == (2, 1, 0)
    assert trained == []
    # Fixing the broken file changes the group: the lexicon is trained again, on all three.
    _write(tmp_path / "in" / "c.epub", b"")
    (tmp_path / "in" / "c.epub").unlink()
    _write(tmp_path / "in" / "c.epub", _corrupt_epub()[:10])
    _write(manifest, manifest.read_text().replace("c.epub", "c.fr"))
    _write(tmp_path / "in" / "c.fr", FRENCH)
    fixed = run_batch(manifest, out, jobs=1, src_lang="fr", tgt_lang="en")
    assert fixed.failed == 0 and trained == [3]
    assert len(list((out / WORK_NAME).glob("lexicon-*.json"))) == 1  # the old one is gone


def test_the_lexicon_from_counts_equals_pooled_training(tmp_path: Path) -> None:
    pairs = [
        ((ARMISTICE / "fr.txt").read_text(), (ARMISTICE / "en.txt").read_text()),
        (FRENCH, ENGLISH),
    ]
    docs = [(aligner.segment(s, "fr"), aligner.segment(t, "en")) for s, t in pairs]
    pooled = train_lexicon(
        [(s.texts, t.texts) for s, t in docs],
        src_lang="fr",
        tgt_lang="en",
        paragraphs=[(s.paragraph_of, t.paragraph_of) for s, t in docs],
    )
    firsts = [
        first_pass(
            s.texts,
            t.texts,
            src_lang="fr",
            tgt_lang="en",
            src_paragraphs=s.paragraph_of,
            tgt_paragraphs=t.paragraph_of,
        )
        for s, t in docs
    ]
    combined = combine_counts([f.counts() for f in firsts], "fr", "en")
    assert len(pooled) > 0 and combined == pooled
    # Resuming from the first pass gives the alignment align() gives.
    s, t = docs[0]
    whole = align(
        s.texts,
        t.texts,
        src_lang="fr",
        tgt_lang="en",
        src_paragraphs=s.paragraph_of,
        tgt_paragraphs=t.paragraph_of,
        lexicon=pooled,
    )
    assert resume_alignment(firsts[0], lexicon=combined) == whole


def test_the_batch_aligns_each_pair_with_the_pooled_lexicon(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", broken=False)
    report = run_batch(
        manifest, tmp_path / "out", jobs=2, fmt="beads", src_lang="fr", tgt_lang="en"
    )
    assert report.failed == 0
    docs = [
        (
            aligner.read_document(tmp_path / "in" / f"{k}.fr", "fr").document,
            aligner.read_document(tmp_path / "in" / f"{k}.en", "en").document,
        )
        for k in "ab"
    ]
    lexicon = train_lexicon(
        [(s.texts, t.texts) for s, t in docs],
        src_lang="fr",
        tgt_lang="en",
        paragraphs=[(s.paragraph_of, t.paragraph_of) for s, t in docs],
    )
    for (s, t), result in zip(docs, report.results, strict=True):
        expected = aligner.write(aligner.align_documents(s, t, lexicon=lexicon), "beads")
        assert (tmp_path / "out" / result.output).read_text(encoding="utf-8") == expected
    # The first passes kept between the two rounds are gone.
    kept = [p.name for p in (tmp_path / "out" / WORK_NAME).iterdir()]
    assert len(kept) == 1 and kept[0].startswith("lexicon-")


# --- processes -------------------------------------------------------------------------------

SLOW_WORKER = """
import os, time
from pathlib import Path

def slow(job):
    Path(os.environ["PIDS"], str(os.getpid())).write_text("")
    time.sleep(60)
    raise RuntimeError("not reached")
"""

DRIVER = """
import sys
sys.path.insert(0, sys.argv[1])
from slow_worker import slow
from aligner.corpus.batch import run_batch
run_batch(sys.argv[2], sys.argv[3], jobs=2, worker=slow, corpus_lexicon=False)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its new parent) is not running.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killing_the_driver_ends_its_workers(tmp_path: Path, sig: signal.Signals) -> None:
    manifest = _corpus(tmp_path / "in", broken=False)
    _write(tmp_path / "code" / "slow_worker.py", SLOW_WORKER)
    script = _write(tmp_path / "code" / "driver.py", DRIVER)
    pids = tmp_path / "pids"
    pids.mkdir()
    env = {**os.environ, "PIDS": str(pids)}
    driver = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "code"), str(manifest), str(tmp_path / "out")],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + LIMIT
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) == 2, "the workers did not start"
        driver.send_signal(sig)
        driver.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
    finally:
        driver.kill()
        driver.wait()
        for pid in (int(p.name) for p in pids.iterdir()):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


PLAIN_SCRIPT = """
from aligner.corpus.batch import run_batch
report = run_batch({manifest!r}, {out!r}, jobs=2, src_lang="fr", tgt_lang="en")
print("done", report.aligned, report.failed)
"""


def test_run_batch_works_from_a_script_without_a_main_guard(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", broken=False)
    out = tmp_path / "out"
    script = _write(
        tmp_path / "plain.py",
        textwrap.dedent(PLAIN_SCRIPT.format(manifest=str(manifest), out=str(out))),
    )
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=LIMIT
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines() == ["done 2 0"]
    assert "Traceback" not in run.stderr
    assert [r["error"] for r in _summary(out)] == [None, None]


def test_a_call_under_the_main_guard_is_told_from_one_at_the_top_level(tmp_path: Path) -> None:
    from aligner.corpus.runner import _guarded

    script = _write(
        tmp_path / "s.py",
        "import x\n"
        "run_batch('m', 'o')\n"
        "if __name__ == '__main__':\n"
        "    run_batch('m', 'o')\n"
        "else:\n"
        "    run_batch('m', 'o')\n",
    )
    assert [_guarded(script, line) for line in (2, 4, 6)] == [False, True, False]


def test_without_fork_an_unguarded_script_is_told_what_to_add(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aligner.corpus import runner
    from aligner.errors import UsageError

    monkeypatch.setattr(runner, "unguarded_main", lambda: True)
    monkeypatch.setattr(runner.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with pytest.raises(UsageError, match='if __name__ == "__main__"'):
        runner._pool_context()
