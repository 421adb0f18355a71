"""Sentence boundaries inside one line of text: Punkt's, then the rules' cuts, joins and moves."""

from __future__ import annotations

import itertools

from aligner.segmentation.context import skip_spaces
from aligner.segmentation.cuts import add_title_ends, rule_cuts
from aligner.segmentation.joins import filter_cuts, merge_bare_punctuation
from aligner.segmentation.languages import language_rules
from aligner.segmentation.realign import realign


def split_line(line: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` of one line of text (no newline inside), stripped.

    ``lang`` is a supported language or ``"generic"``.
    """
    rules = language_rules(lang)
    # Punkt (and nltk) load on the first line split: aligning sentences already split never
    # needs them.
    from aligner.segmentation.punkt import tokenizer

    proposed = {skip_spaces(line, start) for start, _ in tokenizer(lang).span_tokenize(line)}
    proposed.update(rule_cuts(line, rules))
    cuts = sorted(c for c in proposed if 0 < c < len(line))
    kept = filter_cuts(line, cuts, rules)
    quotes = [i for i, c in enumerate(line) if c == '"']
    bounds = [0]
    for cut in kept:
        moved = realign(line, cut, rules, quotes)
        if moved > bounds[-1]:
            bounds.append(moved)
    bounds.append(len(line))
    bounds = add_title_ends(line, bounds, rules)
    spans: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(bounds):
        piece = line[a:b]
        start = a + len(piece) - len(piece.lstrip())
        end = b - (len(piece) - len(piece.rstrip()))
        if start < end:
            spans.append((start, end))
    return merge_bare_punctuation(line, spans)
