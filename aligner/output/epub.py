"""A bilingual (or multilingual) EPUB 3 book: each paragraph of the original, then its translations.

The original's paragraphs are kept: the rows (beads, or merged rows with several
translations) are grouped into blocks that start where an original paragraph, heading or
chapter starts, and each block shows the original's text followed by each translation's
sentences of the same rows, in a paragraph of their own marked with their language. A block
whose first sentence opens a heading is shown as a heading. There is one chapter (content
document) per chapter of the original when its chapter starts are given; else the blocks are
cut into parts of :data:`BLOCKS_PER_PART`, so that no document is too long for a reading
device. The package follows EPUB 3.3 and passes ``epubcheck``; it is reproducible (fixed zip
times, an identifier derived from the content) except for the ``dcterms:modified`` date,
which can be given.
"""

from __future__ import annotations

import hashlib
import html
import io
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from aligner import __version__
from aligner.multi import MergedRow, MultiAlignment, merge, paragraph_starts
from aligner.output.hygiene import clean_sentence
from aligner.types import Alignment

__all__ = ["BLOCKS_PER_PART", "write_epub"]

#: Blocks per content document when the original's chapters are not known.
BLOCKS_PER_PART = 300
#: Longest chapter label in the table of contents, in characters.
MAX_LABEL_CHARS = 80

# Languages written right to left (ISO 639-1), for the dir attribute.
_RTL = frozenset({"ar", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"})
# Zip times are fixed so that the same alignment gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NAMESPACE = uuid.UUID("6f1c1d1e-5b0a-4c52-9a57-3b1f0f3c2a10")

_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
_CSS = """body{margin:0 4%;line-height:1.45}
.pair{margin:0 0 1.1em}
.pair p{margin:0;text-indent:0}
.pair p.tr{margin-top:.25em;padding-left:.8em;border-left:2px solid #c8c8c8;color:#444}
.pair h1,.pair h2,.pair h3,.pair h4,.pair h5,.pair h6{margin:1.2em 0 .2em}
.pair p.tr-h{font-weight:bold;color:#555;padding-left:.8em;border-left:2px solid #c8c8c8}
"""
_DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang="{lang}" xml:lang="{lang}">
<head>
<meta charset="UTF-8"/>
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
{body}
</body>
</html>
"""


@dataclass
class _Block:
    rows: list[MergedRow] = field(default_factory=list)
    level: int = 0  # heading level of the original's first sentence, 0 for a paragraph


@dataclass(frozen=True)
class _Chapter:
    label: str
    blocks: tuple[_Block, ...]


def _lang_attrs(lang: str) -> str:
    code = html.escape(lang, quote=True)
    rtl = ' dir="rtl"' if lang.split("-")[0].lower() in _RTL else ""
    return f'lang="{code}" xml:lang="{code}"{rtl}'


def _blocks(
    multi: MultiAlignment, chapter_starts: frozenset[int], headings: Mapping[int, int]
) -> list[_Block]:
    """The rows grouped into blocks: a new one at each original paragraph, heading or chapter."""
    opens = paragraph_starts(multi.src_paragraphs) | chapter_starts | frozenset(headings)
    blocks: list[_Block] = []
    for row in multi.rows:
        first = row.src[0] if row.src else None
        if not blocks or (
            first is not None and (first in opens or not multi.src_paragraphs or blocks[-1].level)
        ):
            blocks.append(_Block(level=headings.get(first, 0) if first is not None else 0))
        blocks[-1].rows.append(row)
    return blocks


def _block_texts(multi: MultiAlignment, block: _Block) -> list[tuple[str, str]]:
    """(language, text) of the original and each translation in a block."""
    src = [i for row in block.rows for i in row.src]
    out = [(multi.src_lang, clean_sentence(" ".join(multi.src[i] for i in src)))]
    for t, a in enumerate(multi.translations):
        ids = [j for row in block.rows for j in row.tgt[t]]
        out.append((a.tgt_lang, clean_sentence(" ".join(a.tgt[j] for j in ids))))
    return out


def _render_block(multi: MultiAlignment, block: _Block) -> str:
    texts = _block_texts(multi, block)
    parts = []
    for k, (lang, text) in enumerate(texts):
        if not text:
            continue
        body = html.escape(text, quote=False)
        if k == 0 and block.level:
            level = min(max(block.level, 1), 6)
            parts.append(f"<h{level} {_lang_attrs(lang)}>{body}</h{level}>")
        elif k == 0:
            parts.append(f'<p class="or" {_lang_attrs(lang)}>{body}</p>')
        else:
            kind = "tr-h" if block.level else "tr"
            parts.append(f'<p class="{kind}" {_lang_attrs(lang)}>{body}</p>')
    return '<div class="pair">' + "".join(parts) + "</div>"


def _label(multi: MultiAlignment, blocks: Sequence[_Block], number: int) -> str:
    """A chapter's name: its first heading, else its first original text, shortened."""
    chosen = next((b for b in blocks if b.level), blocks[0] if blocks else None)
    text = _block_texts(multi, chosen)[0][1] if chosen is not None else ""
    if not text:
        return str(number)
    if len(text) > MAX_LABEL_CHARS:
        text = text[: MAX_LABEL_CHARS - 1].rstrip() + "…"
    return text


def _chapters(
    multi: MultiAlignment, blocks: Sequence[_Block], chapter_starts: Sequence[int]
) -> list[_Chapter]:
    groups: list[list[_Block]] = []
    if len(chapter_starts) > 1:
        starts = sorted(chapter_starts)
        for block in blocks:
            first = next((r.src[0] for r in block.rows if r.src), None)
            opens = first is not None and first in starts and (not groups or groups[-1])
            if not groups or opens:
                groups.append([])
            groups[-1].append(block)
    else:
        groups = [
            list(blocks[k : k + BLOCKS_PER_PART]) for k in range(0, len(blocks), BLOCKS_PER_PART)
        ]
    groups = [g for g in groups if g] or [[]]
    return [_Chapter(_label(multi, g, n), tuple(g)) for n, g in enumerate(groups, 1)]


def _identifier(multi: MultiAlignment) -> str:
    digest = hashlib.sha256()
    for text in (multi.src_lang, *multi.src):
        digest.update(text.encode("utf-8", "surrogatepass") + b"\n")
    for a in multi.translations:
        for text in (a.tgt_lang, *a.tgt):
            digest.update(text.encode("utf-8", "surrogatepass") + b"\n")
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, digest.hexdigest())}"


def _package(
    multi: MultiAlignment, title: str, chapters: Sequence[_Chapter], modified: datetime
) -> str:
    langs = [multi.src_lang, *(a.tgt_lang for a in multi.translations)]
    languages = "".join(
        f"<dc:language>{html.escape(lang)}</dc:language>" for lang in dict.fromkeys(langs)
    )
    items = "".join(
        f'<item id="c{n:04d}" href="chapter-{n:04d}.xhtml" media-type="application/xhtml+xml"/>'
        for n in range(1, len(chapters) + 1)
    )
    spine = "".join(f'<itemref idref="c{n:04d}"/>' for n in range(1, len(chapters) + 1))
    stamp = modified.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
        f'xml:lang="{html.escape(multi.src_lang, quote=True)}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="uid">{_identifier(multi)}</dc:identifier>'
        f"<dc:title>{html.escape(title)}</dc:title>{languages}"
        f'<meta property="dcterms:modified">{stamp}</meta>'
        f'<meta name="generator" content="aligner {__version__}"/>'
        "</metadata>\n<manifest>"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        f'<item id="css" href="style.css" media-type="text/css"/>{items}</manifest>\n'
        f"<spine>{spine}</spine>\n</package>\n"
    )


def _nav(multi: MultiAlignment, title: str, chapters: Sequence[_Chapter]) -> str:
    entries = "".join(
        f'<li><a href="chapter-{n:04d}.xhtml">{html.escape(c.label, quote=False)}</a></li>'
        for n, c in enumerate(chapters, 1)
    )
    body = (
        f'<nav epub:type="toc" id="toc"><h1>{html.escape(title, quote=False)}</h1>'
        f"<ol>{entries}</ol></nav>"
    )
    return _DOCUMENT.format(
        lang=html.escape(multi.src_lang, quote=True), title=html.escape(title), body=body
    )


def _chapter_document(multi: MultiAlignment, chapter: _Chapter) -> str:
    body = "\n".join(_render_block(multi, b) for b in chapter.blocks)
    return _DOCUMENT.format(
        lang=html.escape(multi.src_lang, quote=True),
        title=html.escape(chapter.label),
        body=f'<section epub:type="chapter">\n{body}\n</section>',
    )


def _zip(files: Sequence[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first, stored, without extra fields (EPUB Open Container Format).
        info = zipfile.ZipInfo("mimetype", date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_STORED
        archive.writestr(info, "application/epub+zip")
        for path, text in files:
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8", "surrogatepass"))
    return buffer.getvalue()


def write_epub(
    alignment: Alignment | MultiAlignment,
    *,
    title: str | None = None,
    chapters: Sequence[int] = (),
    headings: Mapping[int, int] | None = None,
    modified: datetime | None = None,
) -> bytes:
    """The EPUB's bytes.

    ``chapters``: indices of the original's sentences that open a chapter (one content
    document each; see :func:`aligner.features.structure.sentence_structure`). ``headings``:
    original sentence index -> heading level (1-6) of the sentences that open a heading.
    ``title`` defaults to the languages ("fr – en, ru"); ``modified`` to now.
    """
    multi = merge([alignment]) if isinstance(alignment, Alignment) else alignment
    marks = dict(headings or {})
    blocks = _blocks(multi, frozenset(chapters), marks)
    parts = _chapters(multi, blocks, chapters)
    langs = [a.tgt_lang for a in multi.translations]
    book_title = clean_sentence(title or "") or f"{multi.src_lang} – {', '.join(langs)}"
    files = [
        ("META-INF/container.xml", _CONTAINER),
        (
            "OEBPS/content.opf",
            _package(multi, book_title, parts, modified or datetime.now(timezone.utc)),
        ),
        ("OEBPS/nav.xhtml", _nav(multi, book_title, parts)),
        ("OEBPS/style.css", _CSS),
    ]
    files += [
        (f"OEBPS/chapter-{n:04d}.xhtml", _chapter_document(multi, c))
        for n, c in enumerate(parts, 1)
    ]
    return _zip(files)
