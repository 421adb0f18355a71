"""Photograph the page as an editor: the demo's wrong French–Russian row being corrected.

    python examples/editor_screenshot.py            # writes docs/editor.png

The aligner puts the last Russian sentence beside French 22-23; its translation is French 14.
The picture shows the fix under way: the sentence picked with "Move to…", the pointer on the
row it belongs to. Chromium is Debian's (/usr/bin/chromium), driven by Playwright (the launch
of examples/screenshot.py); no browser is downloaded.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from screenshot import ROOT, TEXTS, launch

# The demo's wrong bead without the shipped dictionary (with it, the aligner gets this row
# right) and the row its Russian sentence belongs to (0-based sentence ids).
WRONG = ((22, 23), (12,))
RIGHT = ((14,), ())


def fr_ru_html() -> tuple[str, int, int]:
    """The French–Russian page, and the rows of the wrong bead and of the right place."""
    from aligner.config import AlignConfig
    from aligner.output import write
    from aligner.pipeline import align_documents
    from aligner.segmentation.sentences import segment

    fr = segment((TEXTS / "fr.txt").read_text(encoding="utf-8"), "fr")
    ru = segment((TEXTS / "ru.txt").read_text(encoding="utf-8"), "ru")
    alignment = align_documents(fr, ru, config=AlignConfig(builtin_dictionary=False))
    beads = [(b.src, b.tgt) for b in alignment.beads]
    page = write(alignment, "html", titles=["fr.txt", "ru.txt"])
    return page, beads.index(WRONG), beads.index(RIGHT)


def photograph(browser: Any, path: Path, width: int = 1500, height: int = 1000) -> None:
    """Open the page as a file, pick the wrong Russian sentence, point at its row, photograph."""
    page_html, wrong, right = fr_ru_html()
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "fr-ru.html"
        page_file.write_text(page_html, encoding="utf-8")
        tab = browser.new_page(viewport={"width": width, "height": height})
        try:
            tab.goto(page_file.as_uri())
            tab.click(f'[data-bead="{wrong}"] [lang=ru] span[data-i="{WRONG[1][0]}"]')
            tab.click('.bar [data-action="pick"]')
            # The wrong row at the bottom, above the editing bar; the right one above it.
            tab.eval_on_selector(f'[data-bead="{wrong}"]', "r => r.scrollIntoView({block: 'end'})")
            tab.hover(f'[data-bead="{right}"] [role=cell][lang=ru]')
            tab.screenshot(path=str(path))
        finally:
            tab.close()


def save_editor_screenshot(path: Path) -> None:
    """Launch Chromium and photograph the correction into ``path``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            photograph(browser, path)
        finally:
            browser.close()


def main(out: Path = ROOT / "docs" / "editor.png") -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    save_editor_screenshot(out)
    print(f"{out}: the French–Russian page, a row being corrected", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "editor.png")
