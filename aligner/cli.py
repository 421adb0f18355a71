"""The ``aligner`` command line: a thin click layer over the library."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from aligner import __version__
from aligner.errors import AlignerError


class _Group(click.Group):
    """A click group that turns the library's errors into one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
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


def main() -> None:
    """Entry point of the ``aligner`` script."""
    cli(prog_name="aligner")
