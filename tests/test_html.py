"""The side-by-side page, read as HTML: structure, escaping, policy, scale (no browser here)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from importlib import resources
from typing import Any

import pytest

import aligner.output.html
from aligner.multi import merge
from aligner.output.html import LOW_CONFIDENCE, render_alignment, render_html
from aligner.output.hygiene import clean_sentence
from aligner.types import Alignment, Bead

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "Tom & 'Jerry'"]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside ``<script>`` and ``<style>``.

    The text of ``<script type="application/json">`` (data, not code) is kept as ``"data"``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: dict[str, str] = {}
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._current = "data" if dict(attrs).get("type") == "application/json" else tag

    def handle_data(self, data: str) -> None:
        if self._current in ("script", "style", "data"):
            self.inline[self._current] = self.inline.get(self._current, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._current = None

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def with_class(self, cls: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if cls in (a.get("class") or "").split()]


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


def sample(src_texts: tuple[str, ...] | None = None) -> Alignment:
    src = src_texts or ("Un.", "Deux.", "Trois.", "Quatre.")
    return Alignment(
        src=src,
        tgt=("One.", "Two.", "Three.", "Four.", "Five."),
        beads=(
            Bead((0,), (0,), 0.99),
            Bead((1, 2), (1,), 0.3),
            Bead((), (2,), 0.6),
            Bead((3,), (3, 4), 0.9),
        ),
        src_lang="fr",
        tgt_lang="en",
        src_paragraphs=(0, 0, 1, 1),
        tgt_paragraphs=(0, 0, 0, 1, 1),
    )


def test_one_row_per_bead_and_a_column_per_language() -> None:
    doc = parse(render_alignment(sample(), titles=["fr.txt", "en.txt"]))
    rows = [a for a in doc.find("div", role="row") if "head" not in (a.get("class") or "")]
    assert len(rows) == 4
    headers = [a for a in doc.find("div", role="columnheader") if a.get("lang")]
    assert [h["lang"] for h in headers] == ["fr", "en"]
    cells = doc.find("div", role="cell")
    assert len(cells) == 8
    assert [c["lang"] for c in cells[:2]] == ["fr", "en"]
    assert all(c["dir"] == "ltr" for c in cells)


def test_right_to_left_language_gets_dir_rtl() -> None:
    a = sample()
    he = Alignment(a.src, a.tgt, a.beads, "fr", "he")
    doc = parse(render_alignment(he))
    assert {c["dir"] for c in doc.find("div", role="cell", lang="he")} == {"rtl"}


def test_hostile_text_is_escaped() -> None:
    page = render_alignment(sample((*HOSTILE, "x")), titles=['<b>"t"</b>', "<i>"])
    doc = parse(page)
    assert not doc.find("img") and not doc.find("b") and not doc.find("i")
    assert len(doc.find("script")) == 2  # the code, and the data block
    assert len(doc.find("script", type="application/json")) == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Tom &amp; &#x27;Jerry&#x27;" in page


def test_policy_forbids_loads_and_allows_only_the_inline_code() -> None:
    page = render_alignment(sample())
    doc = parse(page)
    (meta,) = doc.find("meta", **{"http-equiv": "Content-Security-Policy"})
    policy = meta["content"] or ""
    assert "default-src 'none'" in policy
    for kind in ("style", "script"):
        digest = hashlib.sha256(doc.inline[kind].encode("utf-8")).digest()
        assert f"'sha256-{base64.b64encode(digest).decode()}'" in policy
    assert "unsafe-inline" not in policy
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert not doc.find("link") and not doc.find("img")
    assert all(a.get("style") is None for _, a in doc.tags)  # the policy would block them


def test_low_confidence_rows_shading_and_counts() -> None:
    page = render_alignment(sample())
    doc = parse(page)
    low = doc.with_class("low")
    # Only rows under LOW_CONFIDENCE (0.5: more likely wrong than right) are doubtful and shaded.
    assert [a["id"] for a in low] == ["r2"]
    cells = doc.find("div", role="cell")
    shades = [c for c in cells for q in ("q0", "q1", "q2") if q in (c["class"] or "").split()]
    assert [c["class"] for c in shades] == ["c q1"]  # 0.3; 0.6 and 0.9 are not doubtful
    assert "0-1: 1 · 1-1: 1 · 1-2: 1 · 2-1: 1" in page
    assert f"{sum(b.confidence for b in sample().beads) / 4:.3f}" in page
    assert f"confidence below {LOW_CONFIDENCE:g}" in page
    assert len(doc.find("input", type="checkbox", id="only-low")) == 1


def test_paragraph_starts_and_empty_cells_are_marked() -> None:
    doc = parse(render_alignment(sample()))
    starts = [a["data-i"] for a in doc.with_class("p") if a.get("data-i") is not None]
    assert starts == ["0", "0", "2", "3"]  # fr 0, en 0, fr 2 (in the 2-1 bead), en 3
    assert len(doc.with_class("e")) == 1  # the source side of the 0-1 bead


def test_several_translations_one_row_per_merged_row() -> None:
    en = sample()
    ru = Alignment(
        en.src, ("А.", "Б."), (Bead((0,), (0,)), Bead((1, 2, 3), (1,))), "fr", "ru", (), ()
    )
    multi = merge([en, ru])
    doc = parse(render_html(multi, titles=["o", "e", "r"]))
    rows = [a for a in doc.find("div", role="row") if "head" not in (a.get("class") or "")]
    assert len(rows) == len(multi.rows) == 2
    assert len(doc.find("div", role="cell")) == 6


def test_titles_must_match_the_texts() -> None:
    with pytest.raises(ValueError, match="titles"):
        render_alignment(sample(), titles=["only one"])
    with pytest.raises(ValueError, match="threshold"):
        render_alignment(sample(), threshold=2.0)


def test_a_book_of_20000_rows() -> None:
    n = 20_000
    a = Alignment(
        tuple(f"Phrase numéro {i}." for i in range(n)),
        tuple(f"Sentence number {i}." for i in range(n)),
        tuple(Bead((i,), (i,), (i % 100) / 100) for i in range(n)),
        "fr",
        "en",
    )
    page = render_alignment(a)
    assert page.count('role="row" id="r') == n
    # While loading: keys, clicks, the end of parsing; then keys, clicks, the two filters.
    assert page.count("addEventListener") == 7
    assert "onclick" not in page
    assert "content-visibility: auto" in page
    assert page.count('<div class="blk" role="rowgroup">') == n // 100
    assert "@media print" in page
    # A few hundred bytes of markup per row, and the row's data again for the editor.
    assert len(page) < 700 * n


def page_data(page: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(parse(page).inline["data"])
    return data


def test_the_data_block_cannot_end_the_script_element() -> None:
    hostile = ("</script><script>alert(1)</script>", "<!-- x", "a\u2028b & </SCRIPT >", "x")
    # Sentences are written on one clean line; a title keeps its U+2028, which must be escaped.
    page = render_alignment(sample(hostile), titles=["fr\u2028.txt", "en.txt"])
    assert page.count("</script>") == 2  # the data block's and the code's own
    assert "</SCRIPT" not in page and "<!--" not in page
    data = page_data(page)
    assert data["texts"][0]["sentences"][:3] == [clean_sentence(h) for h in hostile[:3]]
    assert data["texts"][0]["sentences"][2] == "a b & </SCRIPT >"
    assert data["texts"][0]["title"] == "fr\u2028.txt"
    assert "\u2028" not in page.split('id="page-data">')[1].split("</script>")[0]


def test_the_data_holds_every_bead_row_by_row() -> None:
    en = sample()
    ru = Alignment(
        en.src, ("А.", "Б."), (Bead((0,), (0,), 0.5), Bead((1, 2, 3), (1,), 0.7)), "fr", "ru"
    )
    multi = merge([en, ru])
    data = page_data(render_html(multi, threshold=0.6))
    assert data["threshold"] == 0.6 and data["bounds"] == [0.2, 0.35, LOW_CONFIDENCE]
    assert [t["lang"] for t in data["texts"]] == ["fr", "en", "ru"]
    assert data["texts"][1]["starts"] == [0, 3]
    assert len(data["rows"]) == len(multi.rows)
    for t, alignment in enumerate(multi.translations):
        beads = data["beads"][t]
        assert [(tuple(range(b[0], b[1])), tuple(range(b[2], b[3])), b[4]) for b in beads] == [
            (b.src, b.tgt, b.confidence) for b in alignment.beads
        ]
        ranges = [row[6 + 2 * t : 8 + 2 * t] for row in data["rows"]]
        assert [i for r in ranges for i in range(*r)] == list(range(len(beads)))
        for row, merged, (first, end) in zip(data["rows"], multi.rows, ranges, strict=True):
            assert tuple(range(row[0], row[1])) == merged.src
            assert tuple(range(row[2 + 2 * t], row[3 + 2 * t])) == merged.tgt[t]
            inside = beads[first:end]
            assert [i for b in inside for i in range(b[0], b[1])] == list(merged.src) or not inside
            assert [j for b in inside for j in range(b[2], b[3])] == list(merged.tgt[t])


def test_saved_edits_are_keyed_by_the_texts_and_the_alignment() -> None:
    a = sample()
    shifted = Alignment(
        a.src, a.tgt, (Bead((0,), (0, 1)), Bead((1, 2), (2,)), a.beads[3]), "fr", "en"
    )
    one, two = page_data(render_alignment(a)), page_data(render_alignment(shifted))
    assert one["key"] == two["key"] and one["base"] != two["base"]
    other = page_data(render_alignment(sample(("Autre.", "Deux.", "Trois.", "Quatre."))))
    assert other["key"] != one["key"]


def test_rows_carry_the_hooks() -> None:
    doc = parse(render_alignment(sample()))
    rows = [a for a in doc.find("div", role="row") if "head" not in (a.get("class") or "")]
    assert [r["data-bead"] for r in rows] == ["0", "1", "2", "3"]
    assert [r["id"] for r in rows] == ["r1", "r2", "r3", "r4"]
    assert len(doc.find("button", **{"data-action": "merge-next"})) == 4 + 1  # rows + the bar
    actions = {a["data-action"] for _, a in doc.tags if a.get("data-action")}
    assert actions == {
        "merge-next", "split-last", "split-first", "move-up", "move-down", "pick", "verify",
        "undo", "redo", "export", "export-tsv", "export-tmx", "reset", "help", "review-next",
        "find-next", "find-previous", "jump",
    }  # fmt: skip
    # Without the script the editing controls stay hidden: the page reads as before.
    assert all("hidden" in a for a in doc.find("nav") + doc.with_class("tools"))


def test_style_and_script_are_package_files_read_on_first_use() -> None:
    for name in (aligner.output.html.CSS_FILE, aligner.output.html.SCRIPT_FILE):
        assert resources.files("aligner.output").joinpath(name).is_file()
    code = (
        "import aligner.output.html as h, aligner.output;"
        "print(h._resource.cache_info().currsize);"
        "h.render_html; print(h._resource.cache_info().currsize)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["0", "0"]
    assert aligner.output.html.page_script() in render_alignment(sample())
