"""What the commands share: inputs (``-`` is standard input), languages, engine options, output."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from aligner.config import AlignConfig
from aligner.errors import DecodeError, UsageError
from aligner.readers.limits import DEFAULT_LIMITS, MB, Limits
from aligner.types import Alignment, Document

F = TypeVar("F", bound=Callable[..., Any])

#: The name standard input goes by in messages.
STDIN_NAME = "<stdin>"
_STDIN_USED = "aligner.stdin-used"
_LIMITS = "aligner.limits"


def show_warning(message: Warning | str, *_args: Any, **_kwargs: Any) -> None:
    """``warnings.showwarning`` for the command line: one line on stderr."""
    click.echo(f"aligner: warning: {message}", err=True)


def note(message: str) -> None:
    """One line of information on stderr."""
    click.echo(f"aligner: {message}", err=True)


# --- inputs -------------------------------------------------------------------------------


def input_name(path: str) -> str:
    """How an input is named in messages: its path, or ``<stdin>`` for ``-``."""
    return STDIN_NAME if path == "-" else path


def check_stdin_once(paths: Sequence[str | None]) -> None:
    """Standard input can be read once: refuse a command line naming ``-`` twice."""
    if sum(1 for p in paths if p == "-") > 1:
        raise click.UsageError("- (standard input) can stand for one input only")


def _positive(name: str, default: int, help_text: str) -> Callable[[F], F]:
    """A whole-number option of at least 1, its default shown."""
    return click.option(
        name, type=click.IntRange(1), default=default, show_default=True, help=help_text
    )


def limit_options(command: F) -> F:
    """The input limits as options (``--max-input-mb`` …); the command reads them with
    :func:`current_limits`, not as arguments."""
    default = DEFAULT_LIMITS
    options = (
        _positive(
            "--max-input-mb",
            default.max_input_bytes // MB,
            "Largest input file or stream read, in MB.",
        ),
        _positive(
            "--max-unpacked-mb",
            default.max_unpacked_bytes // MB,
            "Most text unpacked from one EPUB or DOCX, in MB (counted while unpacking).",
        ),
        _positive(
            "--max-files",
            default.max_members,
            "Most files in one EPUB or DOCX, and most documents in an EPUB's reading order.",
        ),
        _positive("--max-depth", default.max_depth, "Deepest nesting of elements in a DOCX."),
        _positive(
            "--max-sentence-chars",
            default.max_sentence_chars,
            "Longest sentence; a longer one is cut in pieces, with a warning.",
        ),
    )

    @functools.wraps(command)
    def run(
        *args: Any,
        max_input_mb: int,
        max_unpacked_mb: int,
        max_files: int,
        max_depth: int,
        max_sentence_chars: int,
        **kwargs: Any,
    ) -> Any:
        click.get_current_context().meta[_LIMITS] = Limits(
            max_input_bytes=max_input_mb * MB,
            max_unpacked_bytes=max_unpacked_mb * MB,
            max_members=max_files,
            max_spine_items=max_files,
            max_depth=max_depth,
            max_sentence_chars=max_sentence_chars,
        )
        return command(*args, **kwargs)

    wrapped: Any = run
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped  # type: ignore[no-any-return]


def current_limits() -> Limits:
    """The limits the command line set (the defaults outside a command that takes them)."""
    ctx = click.get_current_context(silent=True)
    limits = ctx.meta.get(_LIMITS) if ctx is not None else None
    return limits if isinstance(limits, Limits) else DEFAULT_LIMITS


def read_input(path: str) -> bytes:
    """The bytes of a file, or of standard input for ``-`` (read once per command), within
    the input limit."""
    from aligner.readers.text import read_bytes, read_stream

    limits = current_limits()
    if path != "-":
        return read_bytes(path, limits)
    ctx = click.get_current_context()
    if ctx.meta.get(_STDIN_USED):
        raise click.UsageError("- (standard input) can stand for one input only")
    ctx.meta[_STDIN_USED] = True
    return read_stream(sys.stdin.buffer, STDIN_NAME, limits)


def check_encoding(encoding: str) -> str:
    """The encoding if Python knows it as a text encoding; a usage error naming
    ``--encoding`` otherwise ("rot13" is a transform, "undefined" refuses all bytes)."""
    from aligner.readers.encoding import text_codec

    if text_codec(encoding) is None:
        raise click.BadParameter(
            f"unknown encoding {encoding!r} (not a text encoding)", param_hint="--encoding"
        )
    return encoding


def checked_language(lang: str | None, option: str) -> str | None:
    """The two-letter code of a language given on the command line (None stays None)."""
    from aligner.segmentation.sentences import check_language

    if lang is None:
        return None
    try:
        return check_language(lang)
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def load(
    path: str,
    lang: str | None,
    option: str,
    *,
    presplit: bool,
    encoding: str | None,
    quiet: bool,
    only_lang: bool = False,
) -> Document:
    """Read, detect the language of (if not given) and segment one input, reporting on stderr.

    ``option`` names the flag that sets this input's language, for the messages.
    """
    from aligner.documents import load_document

    name = input_name(path)
    try:
        loaded = load_document(
            read_input(path),
            name,
            lang,
            presplit=presplit,
            encoding=encoding,
            limits=current_limits(),
            only_lang=only_lang,
        )
    except DecodeError as exc:
        raise DecodeError(f"{exc}; use --encoding") from None
    except UsageError as exc:
        if lang is not None:
            raise
        raise click.UsageError(f"{exc} with {option}") from None
    if quiet:
        return loaded.document
    if loaded.detection is not None:
        found = loaded.detection
        note(
            f"{name}: detected language {found.code} "
            f"({found.method}, confidence {found.confidence:.2f}; {option} to override)"
        )
    for warning in loaded.warnings:
        click.echo(f"aligner: warning: {name}: {warning}", err=True)
    return loaded.document


def only_lang_option(command: F) -> F:
    """``--only-lang``: keep only the chapters in each input's language."""
    return click.option(
        "--only-lang",
        is_flag=True,
        help="Leave out the chapters of a book that are in another language than its own (given "
        "with the language options, or detected).",
    )(command)


# --- the engine ---------------------------------------------------------------------------


def engine_options(command: F) -> F:
    """The aligner's settings, shared by ``align`` and ``batch``."""
    options = (
        click.option(
            "--max-bead",
            type=click.IntRange(1, 8),
            default=None,
            help=f"Widest side of a bead, in sentences  [default: {AlignConfig().max_bead}].",
        ),
        click.option(
            "--dictionary",
            type=click.Path(path_type=str, allow_dash=True),
            default=None,
            metavar="TSV",
            help="Word pairs (source word<TAB>target word per line) added to the dictionary "
            "shipped for the language pair; - reads them from standard input.",
        ),
        click.option(
            "--no-dictionary",
            is_flag=True,
            help="Do not use the bilingual dictionary shipped for the language pair.",
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


def align_config(
    max_bead: int | None, dictionary: str | None, no_dictionary: bool, many_to_many: str
) -> AlignConfig:
    """The engine's settings from the command line (defaults where an option is not given)."""
    from aligner.readers.dictionary import parse_dictionary
    from aligner.readers.text import text_of

    config = AlignConfig(
        many_to_many={"auto": None, "yes": True, "no": False}[many_to_many],
        builtin_dictionary=not no_dictionary,
    )
    if max_bead is not None:
        config = replace(config, max_bead=max_bead)
    if dictionary is not None:
        name = input_name(dictionary)
        pairs = parse_dictionary(text_of(read_input(dictionary), name), name)
        config = replace(config, dictionary=pairs)
    return config


# --- output -------------------------------------------------------------------------------


def min_confidence_option(command: F) -> F:
    """``--min-confidence``, shared by ``align`` and ``batch``."""
    option = click.option(
        "--min-confidence",
        type=click.FloatRange(0.0, 1.0),
        default=0.0,
        show_default=True,
        metavar="X",
        help="Leave beads whose confidence (the probability that the bead is right) is under X "
        "out of the output; the HTML page keeps them, flagged, and the JSONL summary counts them.",
    )
    return option(command)


def warn_about(name: str, alignment: Alignment) -> None:
    """One warning line on stderr per thing to know about ``alignment`` (quality, lopsided)."""
    from aligner.quality import alignment_warnings

    for line in alignment_warnings(alignment):
        click.echo(f"aligner: warning: {name}: {line}", err=True)


def format_choice(*, one_translation: bool = True) -> click.Choice[str]:
    """The output formats of the registry, as a click choice."""
    from aligner.output import FORMATS

    return click.Choice([f.name for f in FORMATS.values() if one_translation or f.several])


def header_option(command: F) -> F:
    """``--header``, shared by ``align`` and ``batch``."""
    option = click.option(
        "--header",
        is_flag=True,
        help="Start a TSV with a line of column names (languages, score, ids); without it, "
        "cut -f1,2 gives a clean bitext.",
    )
    return option(command)


def check_header(header: bool, fmt: str) -> None:
    """``--header`` belongs to the TSV format: a usage error with any other."""
    if header and fmt != "tsv":
        raise click.UsageError(f"--header is for -f tsv, not -f {fmt}")


def check_output_path(output: str, option: str = "--output") -> None:
    """Refuse, before any work, an output file that cannot be written (exit status 2)."""
    target = Path(output)
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
        raise click.BadParameter(f"{output}: {problem}", param_hint=option)


def is_terminal(stream: Any) -> bool:
    """True when ``stream`` is an interactive terminal."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def to_stdout(payload: str | bytes) -> None:
    """Write to stdout (text as UTF-8); a reader that stops early (``| head``) ends the run
    quietly."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload.encode("utf-8") if isinstance(payload, str) else payload)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so that the interpreter's last flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(1) from None
