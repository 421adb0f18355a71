"""``aligner split``: a text's paragraphs and sentences, one per line or as JSON Lines."""

from __future__ import annotations

import json

import click

from aligner.cli.options import (
    check_encoding,
    checked_language,
    limit_options,
    load,
    only_lang_option,
    to_stdout,
)


@click.command()
@click.argument("file", type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "--lang",
    "-l",
    default=None,
    help="Language code of the text: fr, en, ru, de… (detected if not given).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="text: one sentence per line, a blank line between paragraphs; jsonl: with spans.",
)
@click.option(
    "--encoding",
    default=None,
    help="Encoding of FILE when it has no byte-order mark  [default: UTF-8, or what an HTML "
    "page declares].",
)
@only_lang_option
@click.option("--quiet", "-q", is_flag=True, help="No detection notes and no warnings.")
@limit_options
def split(
    file: str, lang: str | None, fmt: str, encoding: str | None, only_lang: bool, quiet: bool
) -> None:
    """Split FILE (or - for standard input) into paragraphs and sentences.

    \b
    Example:
      aligner split texts/armistice-1917/fr.txt --lang fr
      aligner split texts/armistice-1917/ru.txt -f jsonl
    """
    document = load(
        file,
        checked_language(lang, "--lang"),
        "--lang",
        presplit=False,
        encoding=check_encoding(encoding) if encoding else None,
        quiet=quiet,
        only_lang=only_lang,
    )
    lines: list[str] = []
    previous = None
    for index, s in enumerate(document.sentences):
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
    to_stdout("\n".join(lines) + "\n")
