"""The ``aligner`` command line: a thin click layer over the library, one module per command.

Exit status: 0 done; 1 a data error (a file missing, binary, empty, undecodable; a failed
pair in a batch); 2 a usage error (a bad option, an unknown language or format, a request that
cannot succeed); 130 interrupted. Every error is one line on stderr.
"""

from __future__ import annotations

import warnings
from typing import Any

import click

from aligner import __version__
from aligner.cli.options import show_warning
from aligner.errors import AlignerError, UsageError

__all__ = ["cli", "main"]

#: Exit status of a usage error (as click gives its own) and of a data error.
EXIT_USAGE = 2
EXIT_DATA = 1


class _Group(click.Group):
    """A click group that turns the library's errors into one line on stderr and its status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with warnings.catch_warnings():
                # The library warns (e.g. generic rules for an unsupported language): one line.
                warnings.simplefilter("default")
                warnings.showwarning = show_warning
                return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"aligner: error: {exc}", err=True)
            ctx.exit(EXIT_USAGE)
        except AlignerError as exc:
            click.echo(f"aligner: error: {exc}", err=True)
            ctx.exit(EXIT_DATA)
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


def _register() -> None:
    """Attach every command to the group (their modules import this one's ``cli``: not here)."""
    from aligner.cli.align import align
    from aligner.cli.batch import batch
    from aligner.cli.evaluate import evaluate
    from aligner.cli.split import split

    for command in (split, align, evaluate, batch):
        cli.add_command(command)


_register()


def main() -> None:
    """Entry point of the ``aligner`` script."""
    from aligner.allocator import keep_freed_memory

    # A process that aligns and exits: freed memory is better kept than faulted in again.
    keep_freed_memory()
    cli(prog_name="aligner")
