"""The side-by-side HTML page: an original and its translations, one row per bead or merged row.

The page is one self-contained file: inline CSS and JavaScript allowed by hash in a
Content-Security-Policy that forbids every other load, so it opens offline and a hostile text
cannot run code in it. Templates are module constants filled from plain values by
:func:`_fill`, the one place where text is escaped (:func:`_esc`); values already rendered
by this module travel as :class:`_Html` and are inserted as they are.

A book of 20,000 rows stays usable: rows are plain blocks with ``content-visibility: auto`` (the
browser lays out only those on screen), there is no listener per row (one delegated listener
on the table) and the low-confidence filter is a class on ``<body>``.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aligner import __version__
from aligner.multi import MultiAlignment, merge, paragraph_starts
from aligner.types import Alignment

__all__ = ["LOW_CONFIDENCE", "render_alignment", "render_html"]

#: Rows with a translation confidence below this are "doubtful": shaded and kept by the filter.
#: Confidence is sigmoid(margin) (see :mod:`aligner.scoring.confidence`); 0.8 is a margin of
#: about 1.4 nats over the best local alternative.
LOW_CONFIDENCE = 0.8
#: Upper bounds of the shading buckets q0…q2 (q3 is everything above the last bound).
SHADE_BOUNDS = (0.5, LOW_CONFIDENCE, 0.95)

# Languages written right to left (ISO 639-1), for the dir attribute.
_RTL = frozenset({"ar", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"})
# Names shown in column headers when no title is given.
_LANGUAGE_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "ru": "Русский",
    "uk": "Українська",
}

CSS = """
:root{color-scheme:light dark;--ink:#1f2328;--muted:#656d76;--line:#d8dee4;--paper:#fff;
--head:#f6f8fa;--q0:#f9d0cb;--q1:#fde4c4;--q2:#fdf5d8;--sel:#cfe3ff;--hover:#eef4ff;--accent:#0b5cad}
@media (prefers-color-scheme:dark){:root{--ink:#e6edf3;--muted:#9198a1;--line:#30363d;
--paper:#0d1117;--head:#161b22;--q0:#5c2b29;--q1:#553a1c;--q2:#3f3a1e;--sel:#1f3b63;
--hover:#1b2433;--accent:#58a6ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--ink);background:var(--paper);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
.top{padding:18px 24px 12px;border-bottom:1px solid var(--line);background:var(--head)}
h1{margin:0 0 2px;font-size:20px;font-weight:650}
.sig{margin:0 0 10px;color:var(--muted);font-size:12px}
.stats{border-collapse:collapse;font-size:13px;margin-bottom:10px}
.stats th,.stats td{padding:3px 14px 3px 0;text-align:left;vertical-align:top}
.stats th{color:var(--muted);font-weight:500}
.stats td.num{text-align:right;font-variant-numeric:tabular-nums}
.controls{display:flex;flex-wrap:wrap;gap:8px 22px;align-items:center;font-size:13px}
.controls label{cursor:pointer;user-select:none}
.legend{display:inline-flex;gap:10px;align-items:center;color:var(--muted)}
.sw{display:inline-block;width:14px;height:14px;border:1px solid var(--line);
vertical-align:-2px;margin-right:4px;border-radius:3px}
.grid{padding:0 0 40px}
.row{display:grid;grid-template-columns:4.2rem;grid-auto-columns:minmax(0,1fr);
grid-auto-flow:column;border-bottom:1px solid var(--line);
content-visibility:auto;contain-intrinsic-size:auto 3.2em}
.row.head{position:sticky;top:0;z-index:1;background:var(--head);font-weight:600;
font-size:13px;border-bottom:2px solid var(--line);content-visibility:visible}
.row.head>div{padding:7px 12px}
.row.head .lang{color:var(--muted);font-weight:400;margin-left:6px}
.c{padding:6px 12px;border-left:1px solid var(--line);overflow-wrap:anywhere}
.n{padding:6px 8px;text-align:right;color:var(--muted);font-size:12px;
font-variant-numeric:tabular-nums;white-space:nowrap}
.n a{color:inherit;text-decoration:none}
.n .k{display:block;font-size:11px;opacity:.8}
.c>small{float:right;margin-left:8px;font-size:11px;color:var(--muted);
font-variant-numeric:tabular-nums}
.q0{background:var(--q0)}.q1{background:var(--q1)}.q2{background:var(--q2)}
.c.p{box-shadow:inset 0 3px 0 -1px #9aa6b2}
.c>span.p::before{content:"\\00b6";color:#9aa6b2;margin-right:4px;font-size:12px}
.c>span.p:not(:first-of-type)::before{content:"\\a\\00b6";white-space:pre}
.c.e::after{content:"\\2014";color:#b8c0c8}
.row:not(.head):hover>div{background-color:var(--hover)}
.row.sel>div{background-color:var(--sel)}
.row.sel>.n{box-shadow:inset 3px 0 0 var(--accent)}
.row:not(.head){cursor:pointer}
body.only-low .row:not(.low):not(.head){display:none}
.row:target>.n{box-shadow:inset 3px 0 0 var(--accent)}
@media print{
:root{--ink:#000;--muted:#555;--line:#ccc;--paper:#fff;--head:#fff}
body{font-size:9.5pt}
.controls{display:none}
.top{background:none;padding:0 0 8px}
.row{content-visibility:visible;break-inside:avoid}
.row.head{position:static}
body.only-low .row:not(.low):not(.head){display:grid}
.c.q0,.c.q1{background:none;box-shadow:inset 3px 0 0 #c0392b}
.c.q2{background:none}
.row:hover>div,.row.sel>div{background:none}
}
"""

SCRIPT = """
(function(){
var box=document.getElementById('only-low');
box.addEventListener('change',function(){
document.body.classList.toggle('only-low',box.checked);});
document.getElementById('rows').addEventListener('click',function(ev){
if(ev.target.closest('a'))return;
var row=ev.target.closest('.row');
if(!row||row.classList.contains('head'))return;
row.classList.toggle('sel');});
})();
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{generator}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="top">
<h1>{title}</h1>
<p class="sig">{signature}</p>
<table class="stats">
<thead><tr><th>Text</th><th>Language</th><th>Sentences</th><th>Beads by type</th>\
<th>Mean confidence</th><th>Doubtful</th></tr></thead>
<tbody>
{stats}</tbody>
</table>
<div class="controls">
<label><input type="checkbox" id="only-low"> Show only doubtful rows \
({n_low} of {n_rows}: confidence below {threshold})</label>
<span class="legend">Confidence: {legend}</span>
</div>
</header>
<main class="grid" id="rows" role="table" aria-label="{title}">
{head}{rows}</main>
<script>{script}</script>
</body>
</html>
"""

STAT_ROW = (
    '<tr><td lang="{lang}" dir="{dir}">{title}</td><td>{lang_name}</td>'
    '<td class="num">{sentences}</td><td>{counts}</td><td class="num">{mean}</td>'
    '<td class="num">{low}</td></tr>\n'
)
LEGEND_ITEM = '<span><span class="sw {cls}"></span>{label}</span>'
HEAD_ROW = (
    '<div class="row head" role="row"><div class="n" role="columnheader">#</div>{cells}</div>\n'
)
HEAD_CELL = (
    '<div role="columnheader" lang="{lang}" dir="{dir}">{title}'
    '<span class="lang" lang="en" dir="ltr">{lang}</span></div>'
)
ROW = (
    '<div class="row{row_class}" role="row" id="r{number}">'
    '<div class="n" role="rowheader"><a href="#r{number}">{number}</a>'
    '<span class="k">{kinds}</span></div>{cells}</div>\n'
)
CELL = '<div class="c{cell_class}" role="cell" lang="{lang}" dir="{dir}">{body}</div>'
SCORE = "<small>{score}</small>"
SENTENCE = '<span{sentence_class} data-i="{index}">{text}</span>'


class _Html(str):
    """Text that is already HTML, made by this module: :func:`_fill` inserts it as it is."""

    __slots__ = ()


def _esc(value: object) -> str:
    """Escape a value for HTML text or a quoted attribute: the page's one escaping point."""
    return html.escape(str(value), quote=True)


def _fill(template: str, **values: object) -> _Html:
    """Fill ``template``; every value is escaped unless it is :class:`_Html` already."""
    return _Html(
        template.format(**{k: v if isinstance(v, _Html) else _esc(v) for k, v in values.items()})
    )


def _concat(parts: Iterable[_Html]) -> _Html:
    return _Html("".join(parts))


def _csp_hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(css: str = CSS, script: str = SCRIPT) -> str:
    """The page's policy: nothing loads from anywhere; only this inline style and script run."""
    return (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(script)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


@dataclass(frozen=True)
class _Column:
    """One text of the page: its sentences, language and title."""

    sentences: tuple[str, ...]
    lang: str
    title: str
    paragraph_starts: frozenset[int]

    @property
    def dir(self) -> str:
        return "rtl" if self.lang.split("-")[0].lower() in _RTL else "ltr"


def _bucket(confidence: float) -> int:
    """Shading bucket: 0 (most doubtful) … len(SHADE_BOUNDS) (confident, unshaded)."""
    return next((k for k, bound in enumerate(SHADE_BOUNDS) if confidence < bound), 3)


def _language_name(lang: str) -> str:
    return _LANGUAGE_NAMES.get(lang.lower(), lang)


def _columns(multi: MultiAlignment, titles: Sequence[str] | None) -> list[_Column]:
    texts = [(multi.src, multi.src_lang, multi.src_paragraphs)]
    texts += [(a.tgt, a.tgt_lang, a.tgt_paragraphs) for a in multi.translations]
    if titles is not None and len(titles) != len(texts):
        raise ValueError(f"{len(titles)} titles for {len(texts)} texts")
    names = list(titles) if titles is not None else [_language_name(t[1]) for t in texts]
    return [
        _Column(sentences, lang, name, paragraph_starts(paras))
        for (sentences, lang, paras), name in zip(texts, names, strict=True)
    ]


def _cell(column: _Column, ids: Sequence[int], confidence: float | None, source: bool) -> _Html:
    classes = []
    if not ids:
        classes.append("e")
    elif ids[0] in column.paragraph_starts:
        classes.append("p")
    score: _Html = _Html("")
    if not source and confidence is not None:
        bucket = _bucket(confidence)
        if bucket < len(SHADE_BOUNDS):
            classes.append(f"q{bucket}")
        score = _fill(SCORE, score=f"{confidence:.2f}")
    sentences = [
        _fill(
            SENTENCE,
            sentence_class=_Html(' class="p"') if i in column.paragraph_starts else "",
            index=i,
            text=column.sentences[i],
        )
        for i in ids
    ]
    body = _Html(" ".join(sentences))
    return _fill(
        CELL,
        cell_class="".join(" " + c for c in classes),
        lang=column.lang,
        dir=column.dir,
        body=_concat([score, body]),
    )


def _rows(multi: MultiAlignment, columns: Sequence[_Column], threshold: float) -> _Html:
    parts = []
    for number, row in enumerate(multi.rows, 1):
        cells = [_cell(columns[0], row.src, None, True)]
        cells += [
            _cell(column, ids, c, False)
            for column, ids, c in zip(columns[1:], row.tgt, row.confidence, strict=True)
        ]
        kinds = " · ".join(
            "–" if c is None else f"{len(row.src)}-{len(ids)}"
            for ids, c in zip(row.tgt, row.confidence, strict=True)
        )
        parts.append(
            _fill(
                ROW,
                row_class=" low" if row.min_confidence < threshold else "",
                number=number,
                kinds=kinds,
                cells=_concat(cells),
            )
        )
    return _concat(parts)


def _counts(alignment: Alignment) -> str:
    return " · ".join(f"{kind}: {n}" for kind, n in sorted(alignment.counts().items()))


def _stats(multi: MultiAlignment, columns: Sequence[_Column], threshold: float) -> _Html:
    first = columns[0]
    parts = [
        _fill(
            STAT_ROW,
            lang=first.lang,
            dir=first.dir,
            title=first.title,
            lang_name=f"{_language_name(first.lang)} ({first.lang}), original",
            sentences=len(first.sentences),
            counts="",
            mean="",
            low="",
        )
    ]
    for column, a in zip(columns[1:], multi.translations, strict=True):
        parts.append(
            _fill(
                STAT_ROW,
                lang=column.lang,
                dir=column.dir,
                title=column.title,
                lang_name=f"{_language_name(column.lang)} ({column.lang})",
                sentences=len(column.sentences),
                counts=_counts(a),
                mean=f"{a.mean_confidence:.3f}",
                low=sum(b.confidence < threshold for b in a.beads),
            )
        )
    return _concat(parts)


def _legend() -> _Html:
    labels = [
        ("q0", f"< {SHADE_BOUNDS[0]:g}"),
        ("q1", f"< {SHADE_BOUNDS[1]:g}"),
        ("q2", f"< {SHADE_BOUNDS[2]:g}"),
        ("", f"≥ {SHADE_BOUNDS[2]:g}"),
    ]
    return _concat(_fill(LEGEND_ITEM, cls=cls, label=label) for cls, label in labels)


def render_html(
    multi: MultiAlignment,
    *,
    titles: Sequence[str] | None = None,
    threshold: float = LOW_CONFIDENCE,
    min_confidence: float = 0.0,
) -> str:
    """The whole page for an original and its translations (one row per merged row).

    ``titles``: one per text, original first (default: the languages' names). Rows where a
    translation's confidence is below ``threshold`` are marked doubtful, and so are those
    under ``min_confidence``: the page keeps the rows other formats leave out.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold {threshold} is outside [0, 1]")
    threshold = max(threshold, min_confidence)
    columns = _columns(multi, titles)
    head = _fill(
        HEAD_ROW,
        cells=_concat(_fill(HEAD_CELL, lang=c.lang, dir=c.dir, title=c.title) for c in columns),
    )
    langs = [multi.src_lang, *(a.tgt_lang for a in multi.translations)]
    title = " · ".join(c.title for c in columns)
    n_low = sum(row.min_confidence < threshold for row in multi.rows)
    return _fill(
        PAGE,
        csp=content_security_policy(),
        generator=f"aligner {__version__}",
        title=title,
        signature=f"aligner {__version__} · {langs[0]} → {', '.join(langs[1:])}",
        css=_Html(CSS),
        script=_Html(SCRIPT),
        stats=_stats(multi, columns, threshold),
        n_low=n_low,
        n_rows=len(multi.rows),
        threshold=f"{threshold:g}",
        legend=_legend(),
        head=head,
        rows=_rows(multi, columns, threshold),
    )


def render_alignment(
    alignment: Alignment,
    *,
    titles: Sequence[str] | None = None,
    threshold: float = LOW_CONFIDENCE,
) -> str:
    """The page for one translation: one row per bead."""
    return render_html(merge([alignment]), titles=titles, threshold=threshold)
