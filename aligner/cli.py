"""The ``aligner`` command line: a thin click layer over the library."""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from aligner import __version__
from aligner.errors import AlignerError


def _show_warning(message: Warning | str, *_args: Any, **_kwargs: Any) -> None:
    click.echo(f"aligner: warning: {message}", err=True)


class _Group(click.Group):
    """A click group that turns the library's errors into one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with warnings.catch_warnings():
                # The library warns (e.g. generic rules for an unsupported language): one line.
                warnings.simplefilter("default")
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except AlignerError as exc:
            click.echo(f"aligner: error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("aligner: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="aligner")
def cli() -> None:
    """Align a text with its translations, sentence by sentence.

    \b
    Example:
      aligner align texts/armistice-1917/fr.txt texts/armistice-1917/en.txt -o out.html
    """


@cli.command()
@click.argument("file", type=click.Path(allow_dash=True, path_type=str))
@click.option("--lang", "-l", required=True, help="Language code of the text: fr, en, ru, de…")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="text: one sentence per line, a blank line between paragraphs; jsonl: with spans.",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of FILE.")
def split(file: str, lang: str, fmt: str, encoding: str) -> None:
    """Split FILE (or - for stdin) into paragraphs and sentences.

    \b
    Example:
      aligner split texts/armistice-1917/fr.txt --lang fr
      aligner split texts/armistice-1917/ru.txt --lang ru -f jsonl
    """
    from aligner.segment import segment
    from aligner.textio import decode, read_text

    text = (
        decode(sys.stdin.buffer.read(), "<stdin>", encoding)
        if file == "-"
        else read_text(file, encoding)
    )
    if not text.strip():
        raise AlignerError(f"{'<stdin>' if file == '-' else file}: is empty")
    doc = segment(text, lang)
    lines: list[str] = []
    previous = None
    for index, s in enumerate(doc.sentences):
        if fmt == "jsonl":
            record = {
                "index": index,
                "paragraph": s.paragraph,
                "start": s.start,
                "end": s.end,
                "text": s.text,
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        else:
            if previous is not None and s.paragraph != previous:
                lines.append("")
            lines.append(s.text)
        previous = s.paragraph
    click.echo("\n".join(lines))


def _file_lists(args: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Read ``--test T1 [T2 …] --gold G1 [G2 …]`` (each flag may also repeat) in order."""
    lists: dict[str, list[str]] = {"--test": [], "--gold": []}
    current: list[str] | None = None
    for arg in args:
        if arg in lists:
            current = lists[arg]
        elif arg.startswith("--test=") or arg.startswith("--gold="):
            flag, _, value = arg.partition("=")
            lists[flag].append(value)
            current = lists[flag]
        elif arg.startswith("-") and arg != "-":
            raise click.UsageError(f"no such option: {arg}")
        elif current is None:
            raise click.UsageError(f"{arg}: say whether it is a --test or a --gold file")
        else:
            current.append(arg)
    return lists["--test"], lists["--gold"]


@cli.command(context_settings={"ignore_unknown_options": True})
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.argument("files", nargs=-1, type=click.UNPROCESSED, metavar="--test T… --gold G…")
def evaluate(as_json: bool, files: tuple[str, ...]) -> None:
    """Score test beads against gold: strict and lax precision, recall and F1.

    --test names the bead files to score, one per document ([i]:[j]:score lines, as
    `aligner align -f beads` writes them); --gold names the gold bead files, in the same
    order. Counts are summed over all documents before dividing (Sennrich & Volk 2011).

    \b
    Example:
      aligner evaluate --test a.beads b.beads --gold a.gold b.gold
    """
    from aligner.evaluate import evaluate_documents, parse_beads
    from aligner.textio import read_text

    tests, golds = _file_lists(files)
    if not tests or not golds:
        raise click.UsageError("give at least one --test file and one --gold file")
    if len(tests) != len(golds):
        raise click.UsageError(f"{len(tests)} --test files but {len(golds)} --gold files")
    documents = [
        (parse_beads(read_text(t), t), parse_beads(read_text(g), g))
        for t, g in zip(tests, golds, strict=True)
    ]
    scores = evaluate_documents(documents)
    figures = scores.as_dict()
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"{'':8}{'precision':>10}{'recall':>10}{'F1':>10}")
    for kind in ("strict", "lax"):
        click.echo(
            f"{kind:8}{figures[kind + '_precision']:10.4f}"
            f"{figures[kind + '_recall']:10.4f}{figures[kind + '_f1']:10.4f}"
        )


if TYPE_CHECKING:
    from aligner.align import AlignConfig
    from aligner.model import Alignment, Document


def _engine_options(command: Callable[..., None]) -> Callable[..., None]:
    """The aligner's settings, shared by ``align`` and ``batch``."""
    options = (
        click.option(
            "--max-bead",
            type=click.IntRange(1, 8),
            default=None,
            help="Widest side of a bead, in sentences  [default: 4].",
        ),
        click.option(
            "--dictionary",
            type=click.Path(path_type=str),
            default=None,
            metavar="TSV",
            help="Word pairs (source word<TAB>target word per line) added to the learned lexicon.",
        ),
        click.option(
            "--many-to-many",
            type=click.Choice(["auto", "yes", "no"]),
            default="auto",
            show_default=True,
            help="Beads with two sentences or more on both sides (2-2, 2-3, …); auto leaves them "
            "out for texts whose units are numbered in parallel (Bible verses, line-aligned "
            "corpora).",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


_ALIGN_FORMATS = ("html", "tsv", "jsonl", "tmx", "beads")
# Sentences (original plus translations) from which a run shows a progress bar on a terminal.
_PROGRESS_MIN_SENTENCES = 1500


@cli.command()
@click.argument("original", type=click.Path(path_type=str))
@click.argument("translations", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(_ALIGN_FORMATS),
    default=None,
    help="Output format  [default: from the output file's extension "
    "(.html .tsv .jsonl .tmx, .txt for beads), else tsv].",
)
@click.option(
    "--output", "-o", default=None, metavar="FILE", help="Output file; - or none for stdout."
)
@click.option("--src-lang", default=None, help="Language of ORIGINAL (detected if not given).")
@click.option(
    "--tgt-lang",
    multiple=True,
    help="Language of a translation; give it once per translation, in order, or not at all "
    "(then detected).",
)
@click.option("--presplit", is_flag=True, help="Inputs have one sentence per line.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the inputs.")
@_engine_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no detection notes.")
def align(
    original: str,
    translations: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    src_lang: str | None,
    tgt_lang: tuple[str, ...],
    presplit: bool,
    encoding: str,
    max_bead: int | None,
    dictionary: str | None,
    many_to_many: str,
    quiet: bool,
) -> None:
    """Align ORIGINAL with one or more TRANSLATIONs, sentence by sentence.

    Each translation is aligned to the original; with several, the rows are merged on the
    original's sentences (one row per original sentence group, a column per translation).
    Formats: html (side-by-side page), tsv (no header: source text, target texts, scores,
    source ids, target ids), jsonl (a signature line, then one object per bead or row), tmx
    (1.4b, one unit per bead or row with two languages or more), beads ([i]:[j]:score, one
    translation only). Languages not given are detected and reported on stderr.

    \b
    Example:
      aligner align texts/armistice-1917/fr.txt texts/armistice-1917/en.txt \\
          texts/armistice-1917/ru.txt -o armistice.html
      aligner align fr.txt en.txt --src-lang fr --tgt-lang en -f tmx > fr-en.tmx
    """
    from aligner.formats import format_for_path, write
    from aligner.multi import merge
    from aligner.textio import write_atomic

    to_stdout = output is None or output == "-"
    fmt = fmt or ("tsv" if to_stdout else format_for_path(str(output)))
    _align_check_request(fmt, output, translations, tgt_lang, encoding, to_stdout)
    config = _align_config(max_bead, dictionary, many_to_many)
    paths = (original, *translations)
    langs = (src_lang, *(tgt_lang or (None,) * len(translations)))
    documents = [
        _align_document(
            path, lang, presplit, encoding, quiet, "--src-lang" if k == 0 else "--tgt-lang"
        )
        for k, (path, lang) in enumerate(zip(paths, langs, strict=True))
    ]
    show_bar = (
        not quiet
        and _align_is_terminal(sys.stderr)
        and sum(len(d.sentences) for d in documents) >= _PROGRESS_MIN_SENTENCES
    )
    alignments = [_align_pair(documents[0], d, config, show_bar) for d in documents[1:]]
    result = alignments[0] if len(alignments) == 1 else merge(alignments)
    payload = write(result, fmt, titles=_align_titles(paths))
    if to_stdout:
        _align_to_stdout(payload)
    else:
        write_atomic(str(output), payload)


def _align_to_stdout(payload: str) -> None:
    """Write to stdout; a reader that stops early (``| head``) ends the run quietly."""
    import os

    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload.encode("utf-8"))
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so that the interpreter's last flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(1) from None


def _align_is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _align_check_request(
    fmt: str,
    output: str | None,
    translations: tuple[str, ...],
    tgt_lang: tuple[str, ...],
    encoding: str,
    to_stdout: bool,
) -> None:
    """Refuse, before any work, a request that cannot succeed (exit status 2)."""
    import codecs
    import os
    from pathlib import Path

    if tgt_lang and len(tgt_lang) != len(translations):
        raise click.UsageError(
            f"{len(tgt_lang)} --tgt-lang for {len(translations)} translations: "
            "give one per translation, in order, or none to detect them"
        )
    if fmt == "beads" and len(translations) > 1:
        raise click.UsageError(
            "the beads format holds one translation; give one translation, "
            "or choose -f tsv, jsonl, tmx or html"
        )
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise click.BadParameter(
            f"unknown encoding {encoding!r}", param_hint="--encoding"
        ) from None
    if to_stdout:
        if fmt == "html" and _align_is_terminal(sys.stdout):
            raise click.UsageError("an HTML page is not for the terminal: name a file with -o FILE")
        return
    target = Path(str(output))
    folder = target.parent
    problem = None
    if target.is_dir():
        problem = "is a directory"
    elif not folder.is_dir():
        problem = f"folder {folder} does not exist"
    elif not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        problem = "is not writable"
    if problem is not None:
        raise click.BadParameter(f"{output}: {problem}", param_hint="--output")


def _align_document(
    path: str, lang: str | None, presplit: bool, encoding: str, quiet: bool, option: str
) -> Document:
    """Read, check or detect the language of, and split one input."""
    import warnings

    from aligner.errors import UsageError
    from aligner.segment import check_language, read_presplit, segment
    from aligner.textio import read_text

    if lang is not None:
        try:
            lang = check_language(lang)
        except UsageError as exc:
            raise click.BadParameter(str(exc), param_hint=option) from None
    text = read_text(path, encoding)
    if lang is None:
        from aligner.detect import detect_language

        try:
            found = detect_language(text, path)
        except UsageError as exc:
            raise click.UsageError(f"{exc} with {option}") from None
        lang = found.code
        if not quiet:
            click.echo(
                f"aligner: {path}: detected language {lang} "
                f"({found.method}, confidence {found.confidence:.2f}; {option} to override)",
                err=True,
            )
    if presplit:
        return read_presplit(text, lang)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        document = segment(text, lang)
    for warning in caught if not quiet else ():
        click.echo(f"aligner: warning: {path}: {warning.message}", err=True)
    return document


def _align_config(max_bead: int | None, dictionary: str | None, many_to_many: str) -> AlignConfig:
    """The engine's settings from the command line (defaults where an option is not given)."""
    from dataclasses import replace

    from aligner.align import AlignConfig, read_dictionary

    config = AlignConfig(many_to_many={"auto": None, "yes": True, "no": False}[many_to_many])
    if max_bead is not None:
        config = replace(config, max_bead=max_bead)
    if dictionary is not None:
        config = replace(config, dictionary=read_dictionary(dictionary))
    return config


def _align_pair(src: Document, tgt: Document, config: AlignConfig, show_bar: bool) -> Alignment:
    """Align two documents, with a progress line on stderr when asked."""
    from aligner.align import align_documents

    if not show_bar:
        return align_documents(src, tgt, config=config)
    bar = _ProgressLine(f"aligning {src.lang}→{tgt.lang}", sys.stderr)
    try:
        return align_documents(src, tgt, config=config, progress=bar)
    finally:
        bar.close()


class _ProgressLine:
    """A one-line progress bar for ``progress(done, total)`` callbacks; each pass restarts it."""

    WIDTH = 30

    def __init__(self, label: str, stream: Any) -> None:
        self.label, self.stream = label, stream
        self.passes, self.last_done, self.shown = 1, 0, -1

    def __call__(self, done: int, total: int) -> None:
        if done < self.last_done:
            self.passes += 1
            self.shown = -1
        self.last_done = done
        percent = 100 * done // total if total else 100
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} (pass {self.passes}) [{bar}] {percent:3d}%")
        self.stream.flush()

    def close(self) -> None:
        if self.shown >= 0 or self.passes > 1:
            self.stream.write("\n")
            self.stream.flush()


def _align_titles(paths: tuple[str, ...]) -> list[str]:
    """Column titles: the file names, or the paths as given when two names are the same."""
    from pathlib import Path

    names = [Path(p).name for p in paths]
    return names if len(set(names)) == len(names) else list(paths)


_BATCH_FORMATS = ("tsv", "jsonl", "tmx", "beads", "html")


@cli.command()
@click.argument("manifest", type=click.Path(path_type=str))
@click.option("--outdir", "-o", required=True, help="Folder for the outputs and summary.jsonl.")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(_BATCH_FORMATS),
    default="tsv",
    show_default=True,
    help="Format of each pair's output.",
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
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the inputs.")
@click.option("--force", is_flag=True, help="Align every pair again, even those already done.")
@_engine_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no closing line.")
def batch(
    manifest: str,
    outdir: str,
    fmt: str,
    jobs: int | None,
    scheduler: str | None,
    presplit: bool,
    src_lang: str | None,
    tgt_lang: str | None,
    encoding: str,
    force: bool,
    max_bead: int | None,
    dictionary: str | None,
    many_to_many: str,
    quiet: bool,
) -> None:
    """Align every pair listed in MANIFEST, one output per pair in OUTDIR.

    MANIFEST is a TSV file: source path, target path and, optionally, source and target
    languages; paths are relative to the manifest's folder; blank lines and lines starting
    with # are skipped. OUTDIR receives one output per pair and summary.jsonl (one record per
    pair, with an "error" field). A re-run skips the pairs already done; a failed pair is
    recorded and the others go on (exit status 1 if any failed). See docs/batch.md.

    \b
    Example (pairs.tsv holds lines like "Emma/Emma.fr<TAB>Emma/Emma.en"):
      aligner batch pairs.tsv -o aligned/ --src-lang fr --tgt-lang en
      aligner batch pairs.tsv -o aligned/ -f tmx --jobs 4 --presplit
      aligner batch pairs.tsv -o aligned/ --scheduler tcp://10.0.0.5:8786
    """
    from aligner.manifest import read_manifest

    if jobs is not None and scheduler is not None:
        raise click.UsageError("give --jobs or --scheduler, not both")
    pairs = read_manifest(manifest, encoding)
    options: dict[str, Any] = {
        "fmt": fmt,
        "jobs": jobs,
        "force": force,
        "presplit": presplit,
        "src_lang": src_lang,
        "tgt_lang": tgt_lang,
        "encoding": encoding,
        "config": _align_config(max_bead, dictionary, many_to_many),
    }
    report = _run_batch_with_bar(pairs, outdir, scheduler, options, quiet)
    if not quiet:
        click.echo(
            f"aligned {report.aligned}, skipped {report.skipped} (already done), "
            f"failed {report.failed} of {len(report.results)} pairs "
            f"in {report.seconds:.1f} s; summary: {report.summary}",
            err=True,
        )
    if report.failed:
        first = next(r for r in report.results if r.error is not None)
        raise AlignerError(
            f"{report.failed} of {len(report.results)} pairs failed "
            f"(first: {first.error}); see {report.summary}"
        )


def _run_batch_with_bar(
    pairs: Any, outdir: str, scheduler: str | None, options: dict[str, Any], quiet: bool
) -> Any:
    """Run the batch with a progress bar on stderr, on a Dask cluster if one is named."""
    import contextlib

    from aligner.batch import run_batch
    from aligner.cluster import connect
    from aligner.errors import UsageError

    client = connect(scheduler) if scheduler is not None else None
    try:
        with contextlib.ExitStack() as stack:
            progress = None
            if not quiet:
                bar = stack.enter_context(
                    click.progressbar(length=len(pairs), label="aligning pairs", file=sys.stderr)
                )
                progress = lambda _: bar.update(1)  # noqa: E731
            try:
                return run_batch(pairs, outdir, client=client, progress=progress, **options)
            except UsageError as exc:
                raise click.UsageError(str(exc)) from None
    finally:
        if client is not None:
            client.close()


def main() -> None:
    """Entry point of the ``aligner`` script."""
    cli(prog_name="aligner")
