"""Line-parallel text for machine-translation training: one file per language, one bead a line.

Line ``k`` of every file holds row ``k`` of the alignment (a bead, or a merged row with several
translations), its sentences joined by a space and cleaned by
:func:`aligner.output.hygiene.clean_sentence`. Rows where some text is empty (an untranslated
sentence, an added one) are left out: an MT corpus wants pairs, and an empty line paired with a
sentence teaches a model to drop it. ``keep_partial`` keeps them as empty lines (the files stay
parallel to the alignment's rows); ``min_confidence`` leaves out rows below a confidence.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner.multi import MultiAlignment, merge
from aligner.output.hygiene import clean_sentence
from aligner.types import Alignment

__all__ = ["file_keys", "write_lines"]


def file_keys(langs: Sequence[str]) -> list[str]:
    """A key per text for its file name: its language, numbered when languages repeat.

    >>> file_keys(["fr", "en", "ru", "en"])
    ['fr', 'en', 'ru', 'en-2']
    """
    keys: list[str] = []
    seen: dict[str, int] = {}
    for lang in langs:
        seen[lang] = seen.get(lang, 0) + 1
        keys.append(lang if seen[lang] == 1 else f"{lang}-{seen[lang]}")
    return keys


def _text(sentences: Sequence[str], ids: Sequence[int]) -> str:
    return clean_sentence(" ".join(sentences[i] for i in ids))


def write_lines(
    alignment: Alignment | MultiAlignment,
    *,
    keep_partial: bool = False,
    min_confidence: float = 0.0,
) -> dict[str, str]:
    """The text of each file, by key (:func:`file_keys`): original first, then translations.

    Every text has the same number of lines, each ending with ``\\n``; without
    ``keep_partial`` no line is empty.
    """
    multi = merge([alignment]) if isinstance(alignment, Alignment) else alignment
    langs = [multi.src_lang, *(a.tgt_lang for a in multi.translations)]
    columns: list[list[str]] = [[] for _ in langs]
    for row in multi.rows:
        texts = [_text(multi.src, row.src)]
        texts += [_text(a.tgt, ids) for a, ids in zip(multi.translations, row.tgt, strict=True)]
        if not keep_partial and not all(texts):
            continue
        if row.min_confidence < min_confidence:
            continue
        for column, text in zip(columns, texts, strict=True):
            column.append(text + "\n")
    return {key: "".join(column) for key, column in zip(file_keys(langs), columns, strict=True)}
