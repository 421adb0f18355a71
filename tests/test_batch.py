"""Corpus mode: manifests, output names, faults, resume, process pools and the `batch` command."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.cli import cli
from aligner.corpus import dask as cluster
from aligner.corpus.batch import run_batch
from aligner.corpus.jobs import BatchOptions, PairJob, PairResult, align_pair, fingerprint
from aligner.corpus.manifest import (
    JOURNAL_NAME,
    SUMMARY_NAME,
    WORK_NAME,
    DocumentPair,
    output_names,
    parse_manifest,
    read_manifest,
)
from aligner.errors import AlignerError, InputError, UsageError
from aligner.evaluation import parse_beads
from aligner.output.files import write_atomic
from aligner.readers.text import read_text
from aligner.types import Bead, check_partition

ROOT = Path(__file__).resolve().parent.parent
ARMISTICE = ROOT / "texts" / "armistice-1917"


# --- a fake per-pair function: the batch machinery without the aligner ---------------------


def fake_worker(job: PairJob) -> PairResult:
    """Pair line k of the source with line k of the target; record errors like align_pair."""
    base = PairResult(
        source=str(job.pair.source),
        target=str(job.pair.target),
        output=job.output.name,
        fingerprint=fingerprint(job),
        src_lang=job.src_lang,
        tgt_lang=job.tgt_lang,
        line=job.pair.line,
    )
    try:
        src = read_text(job.pair.source).splitlines()
        tgt = read_text(job.pair.target).splitlines()
    except AlignerError as exc:
        return dataclasses.replace(base, error=str(exc))
    rows = [f"{s}\t{t}\n" for s, t in zip(src, tgt, strict=False)]
    payload = "".join(rows).encode("utf-8")
    write_atomic(job.output, payload)
    return PairResult(
        source=base.source,
        target=base.target,
        output=base.output,
        fingerprint=base.fingerprint,
        src_lang=base.src_lang,
        tgt_lang=base.tgt_lang,
        line=base.line,
        src_sentences=len(src),
        tgt_sentences=len(tgt),
        beads=(("1-1", len(rows)),),
        mean_confidence=1.0,
        output_bytes=len(payload),
    )


def dying_worker(job: PairJob) -> PairResult:
    """Kill the worker process on the pair whose source is named ``die.txt``."""
    if job.pair.source.name == "die.txt":
        os._exit(3)
    return fake_worker(job)


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _corpus(folder: Path, n: int = 5) -> Path:
    """``n`` small pairs in sub-folders and a manifest listing them, with languages."""
    lines = ["# a corpus", ""]
    for k in range(n):
        _write(folder / f"doc{k}" / "fr.txt", f"Phrase {k} un.\nPhrase {k} deux.\n")
        _write(folder / f"doc{k}" / "en.txt", f"Sentence {k} one.\nSentence {k} two.\n")
        lines.append(f"doc{k}/fr.txt\tdoc{k}/en.txt\tfr\ten")
    return _write(folder / "pairs.tsv", "\n".join(lines) + "\n")


def _summary(outdir: Path) -> list[dict[str, object]]:
    text = (outdir / SUMMARY_NAME).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _beads(path: Path) -> list[Bead]:
    return [Bead(tuple(s), tuple(t)) for s, t in parse_beads(path.read_text(encoding="utf-8"))]


def _outputs(outdir: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(outdir.iterdir())
        if p.name != SUMMARY_NAME and p.is_file()
    }


# --- manifests ----------------------------------------------------------------------------


def test_manifest_comments_blank_lines_relative_paths_and_languages(tmp_path: Path) -> None:
    text = (
        "# header comment\n"
        "\n"
        "a/fr.txt\ta/en.txt\tfr\ten\r\n"
        "   # indented comment\n"
        f"{tmp_path / 'abs.de'}\tb.fr\n"
        "  \t  \n"
    )
    pairs = parse_manifest(text, tmp_path / "base", "m.tsv")
    assert pairs == (
        DocumentPair(tmp_path / "base/a/fr.txt", tmp_path / "base/a/en.txt", "fr", "en", line=3),
        DocumentPair(tmp_path / "abs.de", tmp_path / "base/b.fr", None, None, line=5),
    )


def test_read_manifest_resolves_paths_against_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "sub" / "m.tsv", "x.fr\ty.en\n")
    monkeypatch.chdir(tmp_path)
    (pair,) = read_manifest("sub/m.tsv")
    assert pair.source == tmp_path / "sub" / "x.fr" and pair.source.is_absolute()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\tb\nonly-one-field\n", "line 2: expected 2 or 4"),
        ("# c\na\tb\tfr\n", "line 2: expected 2 or 4"),
        ("a\tb\tfr\ten\textra\n", "line 1: expected 2 or 4"),
        ("a\t\n", "line 1: empty field"),
        ("a\tb\t\ten\n", "line 1: empty field"),
        ("# only comments\n\n", "no pairs"),
    ],
)
def test_bad_manifest_lines_name_their_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_manifest(text, tmp_path, "m.tsv")


def test_missing_manifest_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_manifest(tmp_path / "nope.tsv")


# --- output names -------------------------------------------------------------------------


def test_output_names_follow_the_pair_and_resolve_collisions_in_order(tmp_path: Path) -> None:
    pairs = [
        DocumentPair(Path("Emma/Emma.fr"), Path("Emma/Emma.en")),
        DocumentPair(Path("a/fr.txt"), Path("a/en.txt")),
        DocumentPair(Path("b/fr.txt"), Path("b/en.txt")),
        DocumentPair(Path("c/FR.txt"), Path("c/EN.txt")),  # same name on a case-insensitive disk
        DocumentPair(Path("d/fr-en-2.x"), Path("d/fr-en-2.y")),  # looks like a generated name
        DocumentPair(Path("summary.fr"), Path("summary.en")),
        DocumentPair(Path("it's a doc.fr"), Path("it's a doc.en")),
    ]
    names = output_names(pairs, ".jsonl")
    assert names == (
        "Emma.jsonl",
        "fr-en.jsonl",
        "fr-en-2.jsonl",
        "FR-EN-3.jsonl",
        "fr-en-2-2.jsonl",
        "summary-2.jsonl",
        "it_s_a_doc.jsonl",
    )
    assert output_names(pairs, ".jsonl") == names  # deterministic


_STEMS = st.text(alphabet="aAbB-_. é'", min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_STEMS, _STEMS, st.sampled_from(["x", "y"])), max_size=30))
def test_output_names_are_distinct_safe_and_stable(stems: list[tuple[str, str, str]]) -> None:
    pairs = [DocumentPair(Path(d) / f"{s}.fr", Path(d) / f"{t}.en") for s, t, d in stems]
    names = output_names(pairs, ".tsv")
    folded = [n.casefold() for n in names]
    assert len(set(folded)) == len(names)
    assert SUMMARY_NAME not in folded and JOURNAL_NAME not in folded
    for name in names:
        assert name.endswith(".tsv") and "/" not in name and not name.startswith(".")
        assert re.fullmatch(r"[\w.\-]+", name)
    assert output_names(pairs, ".tsv") == names


# --- running with a fake per-pair function -------------------------------------------------


def test_run_writes_one_output_per_pair_and_a_summary_in_manifest_order(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", 4)
    seen: list[PairResult] = []
    report = run_batch(
        manifest, tmp_path / "out", fmt="tsv", jobs=1, worker=fake_worker, progress=seen.append
    )
    assert (report.aligned, report.skipped, report.failed) == (4, 0, 0)
    assert len(seen) == 4
    records = _summary(tmp_path / "out")
    assert [r["output"] for r in records] == [
        "fr-en.tsv",
        "fr-en-2.tsv",
        "fr-en-3.tsv",
        "fr-en-4.tsv",
    ]
    assert [r["line"] for r in records] == [3, 4, 5, 6]
    assert records[2]["source"] == str(tmp_path / "in" / "doc2" / "fr.txt")
    assert records[0]["beads"] == {"1-1": 2} and records[0]["error"] is None
    assert (tmp_path / "out" / "fr-en-3.tsv").read_text() == (
        "Phrase 2 un.\tSentence 2 one.\nPhrase 2 deux.\tSentence 2 two.\n"
    )
    # Nothing else is left in the folder: no journal, no temporary files, no first passes;
    # the work folder keeps the corpus lexicon alone, for re-runs.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [SUMMARY_NAME, WORK_NAME, "fr-en.tsv", "fr-en-2.tsv", "fr-en-3.tsv", "fr-en-4.tsv"]
    )
    kept = [p.name for p in (tmp_path / "out" / WORK_NAME).iterdir()]
    assert len(kept) == 1 and re.fullmatch(r"lexicon-[0-9a-f]{16}\.json", kept[0])


def test_bad_pairs_are_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _corpus(folder, 2)
    _write(folder / "empty.fr", "  \n")
    _write(folder / "binary.fr", b"\x00\x01\x02PK\x00")
    _write(folder / "ok.en", "Fine.\n")
    manifest = _write(
        folder / "m.tsv",
        "doc0/fr.txt\tdoc0/en.txt\n"
        "missing.fr\tok.en\n"
        "empty.fr\tok.en\n"
        "binary.fr\tok.en\n"
        "doc1/fr.txt\tdoc1/en.txt\n",
    )
    report = run_batch(
        manifest, tmp_path / "out", jobs=1, worker=fake_worker, src_lang="fr", tgt_lang="en"
    )
    errors = [r.error for r in report.results]
    assert errors[0] is None and errors[4] is None
    assert errors[1] is not None and "no such file" in errors[1]
    assert errors[2] is not None and "empty" in errors[2]
    assert errors[3] is not None and "binary" in errors[3]
    assert report.failed == 3 and report.aligned == 2
    assert [r["error"] is None for r in _summary(tmp_path / "out")] == [
        True,
        False,
        False,
        False,
        True,
    ]
    assert not (tmp_path / "out" / "missing-ok.tsv").exists()


def test_two_processes_give_the_same_outputs_as_one(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", 6)
    one = run_batch(manifest, tmp_path / "one", jobs=1, worker=fake_worker)
    two = run_batch(manifest, tmp_path / "two", jobs=2, worker=fake_worker)
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")
    strip = [{**r.to_record(), "seconds": 0} for r in one.results]
    assert strip == [{**r.to_record(), "seconds": 0} for r in two.results]


def test_a_dead_worker_process_fails_its_pair_only(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", 6)
    _write(tmp_path / "in" / "die.txt", "x\n")
    lines = manifest.read_text().splitlines()
    lines.insert(5, "die.txt\tdoc0/en.txt\tfr\ten")
    _write(manifest, "\n".join(lines) + "\n")
    report = run_batch(manifest, tmp_path / "out", jobs=2, worker=dying_worker)
    assert len(report.results) == 7
    assert [r.ok for r in report.results] == [True, True, True, False, True, True, True]
    dead = report.results[3]
    assert dead.error is not None and "worker process died" in dead.error
    assert [r["error"] is None for r in _summary(tmp_path / "out")][3] is False


# --- resume -------------------------------------------------------------------------------


def _counting(calls: list[str]) -> Callable[[PairJob], PairResult]:
    def worker(job: PairJob) -> PairResult:
        calls.append(job.output.name)
        return fake_worker(job)

    return worker


def test_rerun_skips_complete_pairs_and_force_redoes_them(tmp_path: Path) -> None:
    # Pairs aligned on their own: editing one input redoes that pair only.
    manifest = _corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    run_batch(manifest, out, jobs=1, corpus_lexicon=False, worker=fake_worker)
    first = _summary(out)

    calls: list[str] = []
    report = run_batch(manifest, out, jobs=1, corpus_lexicon=False, worker=_counting(calls))
    assert calls == [] and report.skipped == 3 and report.aligned == 0
    assert _summary(out) == first

    # A comment added on top moves the pairs down a line: still done, with their new lines.
    _write(manifest, "# moved down\n" + manifest.read_text())
    report = run_batch(manifest, out, jobs=1, corpus_lexicon=False, worker=_counting(calls))
    assert calls == [] and report.skipped == 3
    assert _summary(out) == [{**r, "line": r["line"] + 1} for r in first]  # type: ignore[operator]

    # Editing one input redoes that pair only.
    _write(tmp_path / "in" / "doc1" / "en.txt", "Sentence 1 one, edited and longer.\nTwo.\n")
    report = run_batch(manifest, out, jobs=1, corpus_lexicon=False, worker=_counting(calls))
    assert calls == ["fr-en-2.tsv"] and report.skipped == 2
    assert "edited" in (out / "fr-en-2.tsv").read_text()

    calls.clear()
    report = run_batch(
        manifest, out, jobs=1, corpus_lexicon=False, worker=_counting(calls), force=True
    )
    assert calls == ["fr-en.tsv", "fr-en-2.tsv", "fr-en-3.tsv"] and report.skipped == 0


def test_a_corpus_group_is_redone_together_when_one_input_changes(tmp_path: Path) -> None:
    # The pairs share one lexicon: all are done again when any of them changes, none otherwise.
    manifest = _corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    run_batch(manifest, out, jobs=1, worker=fake_worker)
    calls: list[str] = []
    assert run_batch(manifest, out, jobs=1, worker=_counting(calls)).skipped == 3
    _write(tmp_path / "in" / "doc1" / "en.txt", "Sentence 1 one, edited and longer.\nTwo.\n")
    report = run_batch(manifest, out, jobs=1, worker=_counting(calls))
    assert sorted(calls) == ["fr-en-2.tsv", "fr-en-3.tsv", "fr-en.tsv"] and report.skipped == 0


def test_rerun_redoes_failed_changed_options_and_damaged_outputs(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    _write(tmp_path / "in" / "doc2" / "en.txt", "")
    run_batch(manifest, out, jobs=1, worker=fake_worker)
    calls: list[str] = []
    run_batch(manifest, out, jobs=1, worker=_counting(calls))
    assert calls == ["fr-en-3.tsv"]  # the failed pair is tried again

    (out / "fr-en.tsv").write_text("truncated")
    calls.clear()
    run_batch(manifest, out, jobs=1, worker=_counting(calls))
    assert calls == ["fr-en.tsv", "fr-en-3.tsv"]

    calls.clear()
    report = run_batch(manifest, out, jobs=1, worker=_counting(calls), presplit=True)
    # Options are in the fingerprint: all are done again; the empty pair fails in its first
    # pass, before any alignment.
    assert calls == ["fr-en.tsv", "fr-en-2.tsv"] and report.skipped == 0
    assert report.results[2].error is not None and "empty" in report.results[2].error


def test_a_killed_run_loses_no_finished_pair(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", 4)
    out = tmp_path / "out"

    def killed_at_third(job: PairJob) -> PairResult:
        if job.output.name == "fr-en-3.tsv":
            raise KeyboardInterrupt
        return fake_worker(job)

    with pytest.raises(KeyboardInterrupt):
        run_batch(manifest, out, jobs=1, worker=killed_at_third)
    assert not (out / SUMMARY_NAME).exists()
    journal = (out / JOURNAL_NAME).read_text().splitlines()
    assert [json.loads(line)["output"] for line in journal] == ["fr-en.tsv", "fr-en-2.tsv"]
    # A kill in the middle of a journal line leaves a fragment, which is ignored.
    with (out / JOURNAL_NAME).open("a") as handle:
        handle.write('{"output": "fr-en-3.tsv", "sour')

    calls: list[str] = []
    report = run_batch(manifest, out, jobs=1, worker=_counting(calls))
    assert calls == ["fr-en-3.tsv", "fr-en-4.tsv"]
    assert report.skipped == 2 and report.aligned == 2
    assert [r["output"] for r in _summary(out)] == [
        "fr-en.tsv",
        "fr-en-2.tsv",
        "fr-en-3.tsv",
        "fr-en-4.tsv",
    ]
    assert not (out / JOURNAL_NAME).exists()


# --- bad requests -------------------------------------------------------------------------


def test_bad_requests(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "in", 1)
    with pytest.raises(UsageError, match="jobs"):
        run_batch(manifest, tmp_path / "out", jobs=0, worker=fake_worker)
    with pytest.raises(UsageError, match="unknown format"):
        run_batch(manifest, tmp_path / "out", fmt="docx", worker=fake_worker)
    _write(tmp_path / "file", "x")
    with pytest.raises(InputError, match="not a folder"):
        run_batch(manifest, tmp_path / "file", worker=fake_worker)
    with pytest.raises(InputError, match="no pairs"):
        run_batch([], tmp_path / "out", worker=fake_worker)


def test_missing_dask_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    with pytest.raises(UsageError, match=r"aligner\[dask\]"):
        cluster.connect("tcp://127.0.0.1:1")


# --- the real pipeline --------------------------------------------------------------------


def test_align_pair_records_counts_of_the_real_pipeline(tmp_path: Path) -> None:
    pair = DocumentPair(ARMISTICE / "fr.txt", ARMISTICE / "en.txt", "fr", "en")
    job = PairJob(pair, tmp_path / "fr-en.txt", BatchOptions(fmt="beads"))
    result = align_pair(job)
    assert result.error is None, result.error
    assert result.src_sentences > 5 and result.tgt_sentences > 5
    beads = _beads(tmp_path / "fr-en.txt")
    check_partition(beads, result.src_sentences, result.tgt_sentences)
    kinds: dict[str, int] = {}
    for bead in beads:
        kinds[bead.kind] = kinds.get(bead.kind, 0) + 1
    assert dict(result.beads) == kinds
    assert result.output_bytes == (tmp_path / "fr-en.txt").stat().st_size
    assert 0.0 < result.mean_confidence <= 1.0


def test_align_pair_presplit_counts_lines(tmp_path: Path) -> None:
    src = _write(tmp_path / "a.fr", "Un.\nDeux.\n\nTrois.\n")
    tgt = _write(tmp_path / "a.en", "One.\nTwo.\n\nThree.\n")
    options = BatchOptions(fmt="tsv", presplit=True)
    result = align_pair(PairJob(DocumentPair(src, tgt, "fr", "en"), tmp_path / "a.tsv", options))
    assert result.error is None and (result.src_sentences, result.tgt_sentences) == (3, 3)


def test_languages_left_out_are_detected_or_the_pair_fails(tmp_path: Path) -> None:
    _write(tmp_path / "tiny.fr", "Oui.\n")
    manifest = _write(
        tmp_path / "m.tsv",
        f"{ARMISTICE / 'fr.txt'}\t{ARMISTICE / 'ru.txt'}\n{tmp_path / 'tiny.fr'}\t"
        f"{ARMISTICE / 'en.txt'}\n",
    )
    report = run_batch(manifest, tmp_path / "out", jobs=1)
    first, second = report.results
    assert first.ok and (first.src_lang, first.tgt_lang) == ("fr", "ru")
    assert second.error is not None and "tiny.fr" in second.error and "language" in second.error


# --- the command --------------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_batch_aligns_the_armistice_texts(tmp_path: Path) -> None:
    manifest = _write(
        tmp_path / "m.tsv",
        f"{ARMISTICE / 'fr.txt'}\t{ARMISTICE / 'en.txt'}\tfr\ten\n"
        f"{ARMISTICE / 'fr.txt'}\t{ARMISTICE / 'ru.txt'}\tfr\tru\n"
        "missing.txt\tmissing.en\tfr\ten\n",
    )
    out = tmp_path / "out"
    code, stdout, err = _run("batch", str(manifest), "-o", str(out), "-f", "beads", "-j", "1")
    assert code == 1 and stdout == ""
    assert "1 of 3 pairs failed" in err and "no such file" in err and "Traceback" not in err
    records = _summary(out)
    assert [r["error"] is None for r in records] == [True, True, False]
    for record in records[:2]:
        beads = _beads(out / str(record["output"]))
        check_partition(beads, record["src_sentences"], record["tgt_sentences"])  # type: ignore[arg-type]

    code, _, err = _run("batch", str(manifest), "-o", str(out), "-f", "beads", "-q")
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_cli_batch_passes_the_engine_settings(tmp_path: Path) -> None:
    # Two French lines against one English line: a 2-1 bead, unless beads are 1 wide at most.
    fr = _write(tmp_path / "fr.txt", "Le pas décisif est fait.\nOui ou non ?\n")
    en = _write(tmp_path / "en.txt", "The decisive step has been taken: yes or no?\n")
    manifest = _write(tmp_path / "m.tsv", f"{fr}\t{en}\tfr\ten\n")
    out = tmp_path / "out"
    common = ["batch", str(manifest), "-o", str(out), "-f", "beads", "-j", "1", "--presplit"]
    code, _, err = _run(*common, "-q")
    assert code == 0, err
    output = out / str(_summary(out)[0]["output"])
    assert [(b.src, b.tgt) for b in _beads(output)] == [((0, 1), (0,))]
    # Other settings change the pair's fingerprint: it is aligned again, not skipped.
    code, _, err = _run(*common, "--max-bead", "1", "--many-to-many", "no")
    assert code == 0 and "aligned 1, skipped 0" in err, err
    assert all(len(b.src) <= 1 and len(b.tgt) <= 1 for b in _beads(output))
    code, _, err = _run(*common, "--dictionary", str(tmp_path / "none.tsv"))
    assert code == 1 and "none.tsv" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "--jobs"),
        (["--max-bead", "0"], "--max-bead"),
        (["--many-to-many", "maybe"], "--many-to-many"),
        (["-f", "docx"], "--format"),
        (["--jobs", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
        (["--src-lang", "not a language!"], "language"),
    ],
)
def test_cli_batch_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    manifest = _corpus(tmp_path / "in", 1)
    code, _, err = _run("batch", str(manifest), "-o", str(tmp_path / "out"), *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_cli_batch_needs_an_outdir(tmp_path: Path) -> None:
    code, _, err = _run("batch", str(_corpus(tmp_path, 1)))
    assert code == 2 and "--outdir" in err


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, "no such file"),
        ("a\tb\tfr\n", "line 1: expected 2 or 4"),
        ("a\tb\tfr\tnot a language!\n", "line 1"),
    ],
)
def test_cli_batch_data_errors_are_one_line_exit_1(
    tmp_path: Path, manifest: str | None, message: str
) -> None:
    path = tmp_path / "m.tsv"
    if manifest is not None:
        _write(path, manifest)
    code, _, err = _run("batch", str(path), "-o", str(tmp_path / "out"))
    assert code == 1 and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_pairs_of_a_language_pair_are_aligned_with_one_corpus_lexicon(tmp_path: Path) -> None:
    import aligner
    from aligner.pipeline import train_lexicon

    small_fr = _write(tmp_path / "a.fr", "Le chat dort.\nLe pas décisif est fait.\n")
    small_en = _write(tmp_path / "a.en", "The cat sleeps.\nThe decisive step is taken.\n")
    manifest = _write(
        tmp_path / "pairs.tsv",
        f"{ARMISTICE / 'fr.txt'}\t{ARMISTICE / 'en.txt'}\tfr\ten\n{small_fr}\t{small_en}\tfr\ten\n",
    )
    report = run_batch(manifest, tmp_path / "out", jobs=1, fmt="beads")
    assert report.failed == 0
    docs = [
        (aligner.read_document(s, "fr").document, aligner.read_document(t, "en").document)
        for s, t in ((ARMISTICE / "fr.txt", ARMISTICE / "en.txt"), (small_fr, small_en))
    ]
    lexicon = train_lexicon(
        [(s.texts, t.texts) for s, t in docs],
        src_lang="fr",
        tgt_lang="en",
        paragraphs=[(s.paragraph_of, t.paragraph_of) for s, t in docs],
    )
    expected = aligner.align_documents(*docs[0], lexicon=lexicon)
    written = (tmp_path / "out" / report.results[0].output).read_text(encoding="utf-8")
    assert written == aligner.write(expected, "beads")
