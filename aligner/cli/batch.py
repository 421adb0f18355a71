"""``aligner batch``: every pair of a manifest, on local processes or a Dask cluster."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from aligner.cli.options import (
    align_config,
    check_encoding,
    check_header,
    check_stdin_once,
    checked_language,
    engine_options,
    format_choice,
    header_option,
    min_confidence_option,
    note,
    read_input,
)
from aligner.errors import AlignerError


@click.command()
@click.argument("manifest", type=click.Path(path_type=str, allow_dash=True))
@click.option("--outdir", "-o", required=True, help="Folder for the outputs and summary.jsonl.")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=format_choice(),
    default="tsv",
    show_default=True,
    help="Format of each pair's output (lines: a file NAME.<lang> per language).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes on this machine  [default: the core count; 1 runs in-process].",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:PORT).",
)
@click.option("--presplit", is_flag=True, help="Inputs have one sentence per line.")
@click.option("--src-lang", default=None, help="Source language where the manifest has none.")
@click.option("--tgt-lang", default=None, help="Target language where the manifest has none.")
@click.option(
    "--encoding",
    default=None,
    help="Encoding of the inputs that have no byte-order mark  [default: UTF-8, or what an "
    "HTML page declares].",
)
@click.option("--force", is_flag=True, help="Align every pair again, even those already done.")
@click.option(
    "--no-corpus-lexicon",
    is_flag=True,
    help="Align each pair with what it alone teaches, instead of first training one lexicon "
    "on all pairs of the same (given) language pair.",
)
@engine_options
@min_confidence_option
@header_option
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress bar, no warnings and no closing line."
)
def batch(
    manifest: str,
    outdir: str,
    fmt: str,
    jobs: int | None,
    scheduler: str | None,
    presplit: bool,
    src_lang: str | None,
    tgt_lang: str | None,
    encoding: str | None,
    force: bool,
    no_corpus_lexicon: bool,
    max_bead: int | None,
    dictionary: str | None,
    no_dictionary: bool,
    many_to_many: str,
    min_confidence: float,
    header: bool,
    quiet: bool,
) -> None:
    """Align every pair listed in MANIFEST (or - for standard input), one output per pair.

    MANIFEST is a TSV file: source path, target path and, optionally, source and target
    languages; paths are relative to the manifest's folder (to the current folder for -);
    blank lines and lines starting with # are skipped. OUTDIR receives one output per pair
    (with -f lines, one file per language, named after the pair) and summary.jsonl (one
    record per pair, with an "error" field). A re-run skips the pairs already done; a failed
    pair is recorded and the others go on (exit status 1 if any failed). See docs/batch.md.

    \b
    Example (pairs.tsv holds lines like "Emma/Emma.fr<TAB>Emma/Emma.en"):
      aligner batch pairs.tsv -o aligned/ --src-lang fr --tgt-lang en
      aligner batch pairs.tsv -o aligned/ -f tmx --jobs 4 --presplit
      aligner batch pairs.tsv -o aligned/ -f lines   # aligned/Emma.fr, aligned/Emma.en
      aligner batch pairs.tsv -o aligned/ --scheduler tcp://10.0.0.5:8786
    """
    from aligner.corpus.manifest import parse_manifest
    from aligner.readers.text import text_of

    if jobs is not None and scheduler is not None:
        raise click.UsageError("give --jobs or --scheduler, not both")
    check_stdin_once([manifest, dictionary])
    check_header(header, fmt)
    encoding = check_encoding(encoding) if encoding else None
    options: dict[str, Any] = {
        "fmt": fmt,
        "jobs": jobs,
        "force": force,
        "presplit": presplit,
        "src_lang": checked_language(src_lang, "--src-lang"),
        "tgt_lang": checked_language(tgt_lang, "--tgt-lang"),
        "encoding": encoding,
        "config": align_config(max_bead, dictionary, no_dictionary, many_to_many),
        "min_confidence": min_confidence,
        "corpus_lexicon": not no_corpus_lexicon,
        "header": header,
    }
    name = "<stdin>" if manifest == "-" else manifest
    base = Path.cwd() if manifest == "-" else Path(manifest).absolute().parent
    pairs = parse_manifest(text_of(read_input(manifest), name, encoding), base, name)
    report = _run_with_bar(pairs, outdir, scheduler, options, quiet)
    if not quiet:
        for result in report.results:
            for line in result.warnings:
                click.echo(f"aligner: warning: {result.output}: {line}", err=True)
        note(
            f"aligned {report.aligned}, skipped {report.skipped} (already done), "
            f"failed {report.failed} of {len(report.results)} pairs "
            f"in {report.seconds:.1f} s; summary: {report.summary}"
        )
    if report.failed:
        first = next(r for r in report.results if r.error is not None)
        raise AlignerError(
            f"{report.failed} of {len(report.results)} pairs failed "
            f"(first: {first.error}); see {report.summary}"
        )


def _run_with_bar(
    pairs: Any, outdir: str, scheduler: str | None, options: dict[str, Any], quiet: bool
) -> Any:
    """Run the batch with a progress bar on stderr, on a Dask cluster if one is named."""
    from aligner.corpus.batch import run_batch
    from aligner.corpus.dask import connect

    client = connect(scheduler) if scheduler is not None else None
    try:
        with contextlib.ExitStack() as stack:
            progress = None
            if not quiet:
                bar = stack.enter_context(
                    click.progressbar(length=len(pairs), label="aligning pairs", file=sys.stderr)
                )
                progress = lambda _: bar.update(1)  # noqa: E731
            return run_batch(pairs, outdir, client=client, progress=progress, **options)
    finally:
        if client is not None:
            client.close()
