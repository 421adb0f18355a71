"""Make the side-by-side page of the bundled armistice texts and photograph it with Chromium.

    python examples/screenshot.py            # writes docs/armistice.png (and armistice.html)

The browser test (tests/test_browser.py) uses these same functions, so the README's picture
is what the test sees. Chromium is Debian's (/usr/bin/chromium), driven by Playwright; no
browser is downloaded.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "texts" / "armistice-1917"
LANGUAGES = ("fr", "en", "ru")
CHROMIUM = "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the other flags stop it reaching for update and sync
# servers that this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def armistice_html() -> tuple[str, int]:
    """The page for fr (original) + en + ru through the real pipeline, and its row count."""
    from aligner.multi import merge
    from aligner.output import write
    from aligner.pipeline import align_documents
    from aligner.segmentation.sentences import segment

    docs = [
        segment((TEXTS / f"{lang}.txt").read_text(encoding="utf-8"), lang) for lang in LANGUAGES
    ]
    multi = merge([align_documents(docs[0], doc) for doc in docs[1:]])
    page = write(multi, "html", titles=[f"{lang}.txt" for lang in LANGUAGES])
    return page, len(multi.rows)


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, through Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def save_screenshot(page_html: str, path: Path, width: int = 1400, height: int = 900) -> None:
    """Render ``page_html`` in headless Chromium and save the top of it as a PNG."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_content(page_html)
            page.screenshot(path=str(path))
        finally:
            browser.close()


def main(out: Path = ROOT / "docs" / "armistice.png") -> None:
    page, rows = armistice_html()
    out.parent.mkdir(parents=True, exist_ok=True)
    save_screenshot(page, out)
    print(f"{out}: {rows} rows", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "armistice.png")
