"""``aligner evaluate``: strict and lax precision, recall and F1 of bead files against gold."""

from __future__ import annotations

import json

import click

from aligner.cli.options import check_stdin_once, input_name, read_input
from aligner.evaluation import Pair

_LIST_OPTIONS = ("--test", "--gold")


class _FileListCommand(click.Command):
    """A command whose ``--test`` and ``--gold`` each take one or more files.

    ``--test a b --gold c d`` is read as ``--test a --test b --gold c --gold d`` before click
    parses it, so both spellings work and both options show in ``--help``.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        expanded: list[str] = []
        current: str | None = None
        for arg in args:
            flag, eq, value = arg.partition("=")
            if arg in _LIST_OPTIONS:
                current = arg
            elif eq and flag in _LIST_OPTIONS:
                current = flag
                expanded += [flag, value]
            elif arg.startswith("-") and arg != "-":
                current = None
                expanded.append(arg)
            elif current is not None:
                expanded += [current, arg]
            else:
                expanded.append(arg)
        return super().parse_args(ctx, expanded)


@click.command(cls=_FileListCommand)
@click.option(
    "--test",
    "tests",
    multiple=True,
    metavar="FILE…",
    help="Bead files to score, one per document ([i]:[j]:score lines, as `aligner align -f "
    "beads` writes them); - reads one from standard input.",
)
@click.option(
    "--gold",
    "golds",
    multiple=True,
    metavar="FILE…",
    help="Gold bead files, one per document, in the same order as --test.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
def evaluate(tests: tuple[str, ...], golds: tuple[str, ...], as_json: bool) -> None:
    """Score test beads against gold: strict and lax precision, recall and F1.

    Counts are summed over all documents before dividing (Sennrich & Volk 2011).

    \b
    Example:
      aligner evaluate --test a.beads b.beads --gold a.gold b.gold
    """
    from aligner.evaluation import evaluate_documents, parse_beads
    from aligner.readers.text import text_of

    if not tests or not golds:
        raise click.UsageError("give at least one --test file and one --gold file")
    if len(tests) != len(golds):
        raise click.UsageError(f"{len(tests)} --test files but {len(golds)} --gold files")
    check_stdin_once([*tests, *golds])

    def beads(path: str) -> list[Pair]:
        name = input_name(path)
        return parse_beads(text_of(read_input(path), name), name)

    scores = evaluate_documents([(beads(t), beads(g)) for t, g in zip(tests, golds, strict=True)])
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
