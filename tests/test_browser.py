"""The HTML page in a real headless Chromium: columns, rows, filter, highlight, safety, scale.

Chromium is Debian's (/usr/bin/chromium) driven by Playwright; no browser is ever downloaded.
In CI (the CI environment variable set) a missing Chromium or Playwright is a failure; on a
developer's machine the tests are skipped with the reason.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scripts import load_script

from aligner.output import write
from aligner.output.html import LOW_CONFIDENCE, render_alignment
from aligner.types import Alignment, Bead

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'


# examples/screenshot.py: the page and browser launch the README's picture comes from.
shot = load_script("examples/screenshot.py")


def _missing() -> str | None:
    """Why the browser cannot run here, or None."""
    if not Path(shot.CHROMIUM).exists():
        return f"Chromium is not installed at {shot.CHROMIUM} (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = shot.launch(p)
        yield chromium
        chromium.close()


class Page:
    """A browser tab holding one of our pages, recording dialogs, errors and console output."""

    def __init__(self, browser: Any, html: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.requests: list[str] = []
        self.tab = browser.new_page(viewport={"width": 1400, "height": 900})
        self.tab.on("dialog", self._dialog)
        self.tab.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.tab.on("console", lambda msg: self.console.append(msg.text))
        self.tab.on("request", lambda req: self.requests.append(req.url))
        self.tab.set_content(html)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.tab.evaluate(script, arg)

    def visible_rows(self) -> list[str]:
        return list(
            self.eval(
                "() => [...document.querySelectorAll('.row:not(.head)')]"
                ".filter(r => getComputedStyle(r).display !== 'none').map(r => r.id)"
            )
        )

    def close(self) -> None:
        self.tab.close()


@pytest.fixture(scope="module")
def armistice(browser: Any) -> Iterator[tuple[Page, int]]:
    """The armistice page (fr + en + ru through the real pipeline), open once for the module."""
    html, n_rows = shot.armistice_html()
    page = Page(browser, html)
    yield page, n_rows
    page.close()


def test_armistice_page(armistice: tuple[Page, int], tmp_path: Path) -> None:
    page, n_rows = armistice
    headers = page.eval(
        "() => [...document.querySelectorAll('.row.head [role=columnheader][lang]')]"
        ".map(h => h.lang)"
    )
    assert headers == ["fr", "en", "ru"]
    assert len(page.visible_rows()) == n_rows
    cells = page.eval(
        "() => [...document.querySelectorAll('.row:not(.head)')]"
        ".map(r => r.querySelectorAll('[role=cell]').length)"
    )
    assert set(cells) == {3}
    # The three columns sit side by side.
    lefts = page.eval(
        "() => [...document.querySelectorAll('#r1 [role=cell]')]"
        ".map(c => Math.round(c.getBoundingClientRect().left))"
    )
    assert lefts == sorted(lefts) and len(set(lefts)) == 3
    page.tab.screenshot(path=str(tmp_path / "armistice.png"))
    assert (tmp_path / "armistice.png").stat().st_size > 10_000
    assert not page.errors and not page.dialogs
    assert not [m for m in page.console if "Content Security Policy" in m]


def test_low_confidence_filter(browser: Any) -> None:
    # Seven beads, two of them under LOW_CONFIDENCE: the filter shows those two rows and the
    # rows next to them (a fix often moves a sentence to or from a neighbour), not row 4.
    confidences = (0.99, 0.3, 0.7, 0.9, 0.8, 0.1, 0.95)
    alignment = Alignment(
        tuple(f"Phrase {k}." for k in range(7)),
        tuple(f"Sentence {k}." for k in range(7)),
        tuple(Bead((k,), (k,), c) for k, c in enumerate(confidences)),
        "fr",
        "en",
    )
    page = Page(browser, render_alignment(alignment))
    try:
        low = page.eval("() => [...document.querySelectorAll('.row.low')].map(r => r.id)")
        assert low == ["r2", "r6"]
        page.tab.check("#only-low")
        assert page.visible_rows() == ["r1", "r2", "r3", "r5", "r6", "r7"]
        page.tab.uncheck("#only-low")
        assert len(page.visible_rows()) == 7
    finally:
        page.close()


def _backgrounds(page: Page, row: str) -> list[str]:
    return list(
        page.eval(
            f"() => [...document.querySelectorAll('#{row} > div')]"
            ".map(c => getComputedStyle(c).backgroundColor)"
        )
    )


def _selected(page: Page, row: str) -> bool:
    return bool(page.eval(f"() => document.getElementById('{row}').classList.contains('sel')"))


def test_click_highlights_the_row_across_columns(armistice: tuple[Page, int]) -> None:
    page, _ = armistice
    page.tab.mouse.move(0, 0)
    before = _backgrounds(page, "r2")
    page.tab.click("#r2 [role=cell][lang=en]")
    page.tab.mouse.move(0, 0)  # away, so that hover shading does not count
    assert _selected(page, "r2") and not _selected(page, "r3")
    after = _backgrounds(page, "r2")
    assert len(set(after)) == 1 and after != before  # every cell of the row, one colour
    page.tab.click("#r3 [role=cell][lang=fr]")
    assert _selected(page, "r3") and not _selected(page, "r2")  # one selected row at a time


def test_hostile_text_shows_as_text_and_runs_nothing(browser: Any) -> None:
    alignment = Alignment(
        src=(HOSTILE_SCRIPT, "Deux."),
        tgt=(HOSTILE_IMG, "Two."),
        beads=(Bead((0,), (0,), 0.2), Bead((1,), (1,), 0.99)),
        src_lang="fr",
        tgt_lang="en",
    )
    page = Page(browser, write(alignment, "html", titles=[HOSTILE_IMG, HOSTILE_SCRIPT]))
    try:
        page.tab.wait_for_timeout(300)  # time for an injected handler to fire, if any
        assert page.dialogs == []
        assert page.eval("() => document.querySelectorAll('img').length") == 0
        assert page.eval("() => document.querySelectorAll('script:not([type])').length") == 1
        text = page.tab.inner_text("#r1")
        assert HOSTILE_SCRIPT in text and HOSTILE_IMG in text
        assert not [u for u in page.requests if not u.startswith(("about:", "data:"))]
    finally:
        page.close()


def test_a_book_of_20000_rows_loads_and_works(browser: Any) -> None:
    n = 20_000
    alignment = Alignment(
        tuple(f"Phrase numéro {i}, assez longue pour occuper une ligne." for i in range(n)),
        tuple(f"Sentence number {i}, long enough to fill a line." for i in range(n)),
        tuple(Bead((i,), (i,), LOW_CONFIDENCE / 2 if i % 10 == 0 else 0.99) for i in range(n)),
        "fr",
        "en",
    )
    page = Page(browser, write(alignment, "html"))
    try:
        assert page.eval("() => document.querySelectorAll('.row:not(.head)').length") == n
        # A click far down the book, through the one delegated listener.
        page.eval(f"() => document.querySelector('#r{n} [lang=en] span').click()")
        assert _selected(page, f"r{n}")
        page.tab.check("#only-low")
        assert len(page.visible_rows()) == 3 * n // 10 - 1  # each doubtful row and its two
        # neighbours (the first row has none above)
        assert not page.errors
    finally:
        page.close()


def test_a_key_pressed_while_a_book_loads_is_queued(browser: Any, tmp_path: Path) -> None:
    """While the rows are read the page says it is loading, and a key pressed then acts once
    the editor is ready (it was lost before). The key is pressed at the last moment of
    loading, when every row is read and the editor not started yet, so the test does not
    depend on how fast this machine reads a book."""
    n = 300
    alignment = Alignment(
        tuple(f"Phrase numéro {i}." for i in range(n)),
        tuple(f"Sentence number {i}." for i in range(n)),
        tuple(Bead((i,), (i,), 0.99) for i in range(n)),
        "fr",
        "en",
    )
    path = tmp_path / "book.html"
    path.write_text(write(alignment, "html"), encoding="utf-8")
    context = browser.new_context()
    # Playwright's init script runs before the page's own, so its listener comes first.
    context.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " window.loadingShown = document.documentElement.classList.contains('loading') &&"
        " getComputedStyle(document.body, '::after').content;"
        " document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));"
        "});"
    )
    tab = context.new_page()
    try:
        tab.goto(path.as_uri())
        assert "Loading the editor" in tab.evaluate("() => window.loadingShown")
        assert not tab.evaluate("() => document.documentElement.classList.contains('loading')")
        assert tab.evaluate("() => document.querySelector('[aria-selected=true]')?.id") == "r1"
    finally:
        context.close()
