"""``aligner align``: an original and one or more translations, aligned and written out."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from aligner.cli.options import (
    align_config,
    check_encoding,
    check_header,
    check_output_path,
    check_stdin_once,
    checked_language,
    engine_options,
    format_choice,
    header_option,
    input_name,
    is_terminal,
    limit_options,
    load,
    min_confidence_option,
    only_lang_option,
    read_input,
    to_stdout,
    warn_about,
)
from aligner.config import AlignConfig
from aligner.errors import UsageError
from aligner.progress import Stages
from aligner.types import Alignment, Bead, Document, Progress

if TYPE_CHECKING:
    from aligner.multi import MultiAlignment

# Bytes of input (original plus translations) from which a run shows a progress bar on a
# terminal: about 1,500 sentences, a few seconds of work; below it the bar would only flicker.
PROGRESS_MIN_BYTES = 150_000
# Shares of a run's time for its progress bar: reading and segmenting all inputs, aligning
# all translations, writing (measured on the Old Testament fr-en, benchmarks/RESULTS.md).
READ_SHARE, ALIGN_SHARE, WRITE_SHARE = 0.2, 0.75, 0.05


@click.command()
@click.argument("original", type=click.Path(path_type=str, allow_dash=True))
@click.argument(
    "translations", nargs=-1, required=True, type=click.Path(path_type=str, allow_dash=True)
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=format_choice(),
    default=None,
    help="Output format  [default: from the output file's extension "
    "(.html .tsv .jsonl .tmx .xlsx .epub, .txt for beads); tsv on standard output].",
)
@click.option(
    "--output",
    "-o",
    default=None,
    metavar="FILE",
    help="Output file; - or none for stdout. With -f lines, the prefix of the files FILE.<lang>.",
)
@click.option("--src-lang", default=None, help="Language of ORIGINAL (detected if not given).")
@click.option(
    "--tgt-lang",
    multiple=True,
    help="Language of a translation; give it once per translation, in order, or not at all "
    "(then detected).",
)
@click.option("--presplit", is_flag=True, help="Inputs have one sentence per line.")
@click.option(
    "--encoding",
    multiple=True,
    help="Encoding of inputs that have no byte-order mark: once for all, or once per input in "
    "order (original first)  [default: UTF-8, or what an HTML page declares].",
)
@click.option(
    "--pins",
    multiple=True,
    type=click.Path(path_type=str, allow_dash=True),
    metavar="JSONL",
    help="Beads to keep exactly (src_ids, tgt_ids per line, as -f jsonl and the page's export "
    "write them); the rest is realigned between them. Once per translation, in order.",
)
@engine_options
@min_confidence_option
@header_option
@only_lang_option
@click.option(
    "--keep-partial",
    is_flag=True,
    help="With -f lines: keep the beads with an empty side, as empty lines (by default the "
    "files hold only sentences that have a counterpart).",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress bar, no detection notes, no warnings."
)
@limit_options
def align(
    original: str,
    translations: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    src_lang: str | None,
    tgt_lang: tuple[str, ...],
    presplit: bool,
    encoding: tuple[str, ...],
    pins: tuple[str, ...],
    max_bead: int | None,
    dictionary: str | None,
    no_dictionary: bool,
    many_to_many: str,
    min_confidence: float,
    header: bool,
    keep_partial: bool,
    only_lang: bool,
    quiet: bool,
) -> None:
    """Align ORIGINAL with one or more TRANSLATIONs, sentence by sentence.

    Each translation is aligned to the original; with several, the rows are merged on the
    original's sentences (one row per original sentence group, a column per translation).
    Formats: html (side-by-side page), tsv (source text, target texts, scores, source ids,
    target ids; a line of column names first with --header), jsonl (a signature line, then
    one object per bead or row), tmx (1.4b, one unit per bead or row with two languages or
    more), beads ([i]:[j]:score, one translation only), xlsx (spreadsheet, a row per bead or
    row), epub (bilingual book, the original's paragraphs each followed by its translations,
    a chapter per chapter of the original), lines (-o PREFIX writes PREFIX.<lang>, one bead
    or row a line, line-parallel; beads with an empty side left out unless --keep-partial).
    Languages not given are detected and reported on stderr. One input (or --dictionary) may
    be - for standard input.

    \b
    Example:
      aligner align texts/armistice-1917/fr.txt texts/armistice-1917/en.txt \\
          texts/armistice-1917/ru.txt -o armistice.html
      aligner align fr.txt en.txt --src-lang fr --tgt-lang en -f tmx > fr-en.tmx
      aligner align book.fr.epub book.en.epub -o book.fr-en.epub
      aligner align fr.txt en.txt -f lines -o corpus   # corpus.fr, corpus.en
    """
    from aligner.multi import merge

    stdout = output is None or output == "-"
    if not stdout:
        check_output_path(str(output))
    fmt = _format(fmt, output, stdout)
    _check_request(fmt, output, translations, tgt_lang, stdout)
    check_header(header, fmt)
    if pins and len(pins) != len(translations):
        raise click.UsageError(
            f"{len(pins)} --pins for {len(translations)} translations: "
            "give one pin file per translation, in order"
        )
    check_stdin_once([original, *translations, dictionary, *pins])
    encodings = _encodings(encoding, 1 + len(translations))
    langs = (
        checked_language(src_lang, "--src-lang"),
        *(checked_language(t, "--tgt-lang") for t in tgt_lang or (None,) * len(translations)),
    )
    config = align_config(max_bead, dictionary, no_dictionary, many_to_many)
    paths = (original, *translations)
    bar = _ProgressLine(sys.stderr) if not quiet and _worth_a_bar(paths) else None
    job = _job(bar, paths)
    documents = []
    for k, (path, lang, enc) in enumerate(zip(paths, langs, encodings, strict=True)):
        _stage(bar, job, f"reading {input_name(path)}", f"read {k}")
        flag = "--src-lang" if k == 0 else "--tgt-lang"
        documents.append(
            load(
                path,
                lang,
                flag,
                presplit=presplit,
                encoding=enc,
                quiet=quiet,
                only_lang=only_lang,
            )
        )
        job.finish(f"read {k}")
    # "-" stands for standard input: an output that is the file it reads is refused too.
    inputs = [p for p in (*paths, *pins, dictionary) if p is not None]
    if not stdout:
        _check_outputs(fmt, str(output), [d.lang for d in documents], inputs)
    pinned = [
        _pins(path, documents[0], d) if path else ()
        for path, d in zip(pins or ("",) * len(translations), documents[1:], strict=True)
    ]
    alignments = []
    for k, (d, p) in enumerate(zip(documents[1:], pinned, strict=True)):
        _stage(bar, job, f"aligning {documents[0].lang}→{d.lang}", f"align {k}")
        alignments.append(_align_pair(documents[0], d, config, job.part(f"align {k}"), p))
        job.finish(f"align {k}")
    _stage(bar, job, "writing", "write")
    if not quiet:
        for path, alignment in zip(translations, alignments, strict=True):
            warn_about(f"{input_name(original)} → {input_name(path)}", alignment)
    result = alignments[0] if len(alignments) == 1 else merge(alignments)
    options: dict[str, Any] = {"min_confidence": min_confidence, "header": header}
    if keep_partial:
        options["keep_partial"] = True
    try:
        _write_result(result, fmt, None if stdout else str(output), paths, documents[0], options)
    finally:
        if bar is not None:
            job.finish("write")
            bar.close()


def _check_outputs(fmt: str, output: str, langs: list[str], inputs: list[str]) -> None:
    """Refuse, before aligning, to write over an input (``-f lines -o Emma`` and ``Emma.fr``)."""
    from aligner.output import output_paths
    from aligner.output.files import check_not_inputs
    from aligner.output.lines import file_keys

    try:
        check_not_inputs(output_paths(fmt, output, file_keys(langs)), inputs)
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--output") from None


def _write_result(
    result: Alignment | MultiAlignment,
    fmt: str,
    output: str | None,
    paths: tuple[str, ...],
    original: Document,
    given: dict[str, Any],
) -> None:
    """Write ``result`` to ``output`` (None: standard output), all of it or nothing."""
    from aligner.output import save, write_bytes

    options: dict[str, Any] = {
        **given,
        "titles": _titles(paths),
        # The book is named after the original's file (standard input: the languages).
        "title": None if paths[0] == "-" else Path(paths[0]).stem,
        # Its chapters and headings are the original's, when its reader found them.
        "chapters": original.chapters,
        "headings": dict(original.headings),
    }
    if output is None:
        options.pop("keep_partial", None)
        to_stdout(write_bytes(result, fmt, **options))
    else:
        save(result, fmt, output, inputs=list(paths), **options)


def _encodings(given: tuple[str, ...], n_inputs: int) -> list[str | None]:
    """One encoding per input: none given (detect), one for all, or one each."""
    if len(given) not in (0, 1, n_inputs):
        raise click.UsageError(
            f"{len(given)} --encoding for {n_inputs} inputs: give one for all, or one per input"
        )
    checked: list[str | None] = [check_encoding(e) for e in given]
    return checked if len(checked) == n_inputs else [checked[0] if checked else None] * n_inputs


def _format(fmt: str | None, output: str | None, stdout: bool) -> str:
    """The format asked for, else the output file's, else tsv on standard output."""
    from aligner.output import FORMATS, format_for_path

    if fmt is not None:
        return fmt
    if stdout:
        return "tsv"
    found = format_for_path(str(output))
    if found is None:
        known = " ".join(e for f in FORMATS.values() for e in f.extensions)
        raise click.BadParameter(
            f"{output}: no format has this extension ({known}); name one with --format "
            "(-f lines for line-parallel files PREFIX.<lang>)",
            param_hint="--output",
        )
    return found


def _check_request(
    fmt: str,
    output: str | None,
    translations: tuple[str, ...],
    tgt_lang: tuple[str, ...],
    stdout: bool,
) -> None:
    """Refuse, before any work, a request that cannot succeed (exit status 2)."""
    from aligner.output import FORMATS

    if tgt_lang and len(tgt_lang) != len(translations):
        raise click.UsageError(
            f"{len(tgt_lang)} --tgt-lang for {len(translations)} translations: "
            "give one per translation, in order, or none to detect them"
        )
    spec = FORMATS[fmt]
    if not spec.several and len(translations) > 1:
        several = ", ".join(f.name for f in FORMATS.values() if f.several)
        raise click.UsageError(
            f"the {fmt} format holds one translation; give one translation, or choose {several}"
        )
    if stdout and spec.multifile:
        raise click.UsageError(
            f"-f {fmt} writes one file per language: name their prefix with -o PREFIX "
            "(files PREFIX.<lang>)"
        )
    if stdout and fmt == "html" and is_terminal(sys.stdout):
        raise click.UsageError("an HTML page is not for the terminal: name a file with -o FILE")
    if stdout and spec.binary and is_terminal(sys.stdout):
        raise click.UsageError(
            f"-f {fmt} is a binary file, not for the terminal: name a file with -o FILE "
            "or redirect standard output"
        )


def _pins(path: str, src: Document, tgt: Document) -> tuple[Bead, ...]:
    """The pins of one translation's pin file, checked against the texts (usage error if bad)."""
    from aligner.readers.pins import read_pins
    from aligner.readers.text import text_of

    name = input_name(path)
    try:
        return read_pins(text_of(read_input(path), name), len(src.sentences), len(tgt.sentences))
    except UsageError as exc:
        raise click.BadParameter(f"{name}: {exc}", param_hint="--pins") from None


def _align_pair(
    src: Document,
    tgt: Document,
    config: AlignConfig,
    progress: Progress | None,
    pins: tuple[Bead, ...],
) -> Alignment:
    """Align two documents, reporting to ``progress`` when given."""
    from aligner.pipeline import align_documents

    return align_documents(src, tgt, config=config, progress=progress, pins=pins)


def _worth_a_bar(paths: tuple[str, ...]) -> bool:
    """True when stderr is a terminal and the files to read are large enough for a bar
    (standard input, whose size is unknown, counts as nothing)."""
    if not is_terminal(sys.stderr):
        return False
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += os.stat(path).st_size if path != "-" else 0
    return size >= PROGRESS_MIN_BYTES


def _job(bar: _ProgressLine | None, paths: tuple[str, ...]) -> Stages:
    """The stages of a run: reading each input, aligning each translation, writing."""
    n = len(paths)
    shares = [(f"read {k}", READ_SHARE / n) for k in range(n)]
    shares += [(f"align {k}", ALIGN_SHARE / (n - 1)) for k in range(n - 1)]
    return Stages(bar, [*shares, ("write", WRITE_SHARE)])


def _stage(bar: _ProgressLine | None, job: Stages, label: str, name: str) -> None:
    """Name the stage on the bar, and show where the run stands as it begins."""
    if bar is not None:
        bar.label = label
        begin = job.part(name)
        if begin is not None:
            begin(0, 1)


class _ProgressLine:
    """A one-line progress bar for a run's ``progress(done, total)``: one count over the whole
    run, labelled with the stage in progress."""

    WIDTH = 30

    def __init__(self, stream: Any, label: str = "") -> None:
        self.label, self.stream = label, stream
        self.shown: tuple[str, int] | None = None

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if self.shown == (self.label, percent):
            return
        self.shown = (self.label, percent)
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}% {self.label:<40.40}")
        self.stream.flush()

    def close(self) -> None:
        if self.shown is not None:
            self.stream.write("\n")
            self.stream.flush()


def _titles(paths: tuple[str, ...]) -> list[str]:
    """Column titles: the file names, or the paths as given when two names are the same."""
    names = [Path(input_name(p)).name for p in paths]
    return names if len(set(names)) == len(names) else [input_name(p) for p in paths]
