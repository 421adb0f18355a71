"""A spreadsheet (.xlsx, written with XlsxWriter): a row per bead, a column per language.

Columns: the original, each translation, then each translation's confidence, shaded with the
page's colours (:data:`aligner.output.html.SHADE_BOUNDS`: the same buckets, the same light-theme
fills). The header row is frozen and filtered; texts wrap in wide columns. Cells are written
as strings, never as formulas, so a sentence starting with ``=`` stays text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from aligner import __version__
from aligner.errors import UsageError
from aligner.multi import MultiAlignment, merge
from aligner.output.html import SHADE_BOUNDS
from aligner.output.hygiene import clean_sentence
from aligner.types import Alignment

__all__ = ["SHADE_FILLS", "write_xlsx"]

#: Fill of each shading bucket below :data:`SHADE_BOUNDS`: the page's light-theme colours
#: ``--q0``, ``--q1``, ``--q2``; confident rows are not filled.
SHADE_FILLS = ("#F9D0CB", "#FDE4C4", "#FDF5D8")
#: Excel's limits: characters in a cell, rows in a sheet.
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576
#: Column widths, in characters.
TEXT_WIDTH = 60
SCORE_WIDTH = 12


def _bucket(confidence: float) -> int:
    """Shading bucket: 0 (most doubtful) … len(SHADE_BOUNDS) (confident, not filled)."""
    return next(
        (k for k, bound in enumerate(SHADE_BOUNDS) if confidence < bound), len(SHADE_BOUNDS)
    )


def _text(sentences: Sequence[str], ids: Sequence[int]) -> str:
    return clean_sentence(" ".join(sentences[i] for i in ids))


def write_xlsx(alignment: Alignment | MultiAlignment, *, min_confidence: float = 0.0) -> bytes:
    """The workbook's bytes, without the rows under ``min_confidence`` (as TSV leaves them
    out). Raises UsageError past Excel's limits (cell length, row count)."""
    multi = merge([alignment]) if isinstance(alignment, Alignment) else alignment
    kept = [row for row in multi.rows if row.min_confidence >= min_confidence]
    if len(kept) + 1 > MAX_ROWS:
        raise UsageError(f"{len(kept)} rows do not fit in a spreadsheet; choose -f tsv")
    langs = [multi.src_lang, *(a.tgt_lang for a in multi.translations)]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    workbook.set_properties(
        {"title": f"aligner {__version__} {multi.src_lang}-{','.join(langs[1:])}"}
    )
    sheet = workbook.add_worksheet("alignment")
    bold = workbook.add_format({"bold": True, "bottom": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    scores = [
        workbook.add_format({"num_format": "0.00", "valign": "top", "bg_color": fill})
        for fill in SHADE_FILLS
    ]
    plain_score = workbook.add_format({"num_format": "0.00", "valign": "top"})
    header = [*langs, *(f"confidence {lang}" for lang in langs[1:])]
    for col, title in enumerate(header):
        sheet.write_string(0, col, title, bold)
    sheet.set_column(0, len(langs) - 1, TEXT_WIDTH, wrap)
    sheet.set_column(len(langs), len(header) - 1, SCORE_WIDTH)
    for r, row in enumerate(kept, 1):
        texts = [_text(multi.src, row.src)]
        texts += [_text(a.tgt, ids) for a, ids in zip(multi.translations, row.tgt, strict=True)]
        for col, text in enumerate(texts):
            if len(text) > MAX_CELL_CHARS:
                raise UsageError(
                    f"row {r}: {len(text)} characters exceed a spreadsheet cell's "
                    f"{MAX_CELL_CHARS}; choose -f tsv"
                )
            sheet.write_string(r, col, text, wrap)
        for t, confidence in enumerate(row.confidence):
            if confidence is None:
                continue
            bucket = _bucket(confidence)
            style = scores[bucket] if bucket < len(SHADE_FILLS) else plain_score
            sheet.write_number(r, len(langs) + t, round(confidence, 3), style)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(kept), len(header) - 1)
    workbook.close()
    return buffer.getvalue()
