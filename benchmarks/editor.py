"""The editor page at book scale in headless Chromium: load, a merge, a `j` step, scrolling.

Usage: python benchmarks/editor.py PAGE.html [PAGE.html …] [--repeat N]

PAGE is a page written by ``aligner align … -o page.html`` (the Old Testament fr-en,
23,144 rows, is the case of issue 23). For each page it measures, in one browser:

* ``ready``: milliseconds from the start of navigation to the editor answering (the script
  has run: ``body.js``); ``parsed``: to the end of reading the HTML (DOMContentLoaded); ``first
  paint``: to the first contentful paint;
* ``loading shown``: what the page says while its rows are read (the script is not ready);
* ``queued j``: the row a ``j`` pressed while the page loads selected once the editor was
  ready (``none``: the key was lost);
* ``merge``, ``j``, ``verify``, ``review-next``: milliseconds from the key event to the next
  frame painted (a requestAnimationFrame, then a task after it: the frame has been produced),
  medians over ``--repeat`` presses near the top of the book (where an edit moves the most
  rows below it);
* ``scroll``: frame intervals while the window scrolls 400 px a frame for 120 frames (median
  and 95th percentile; 16.7 ms is a smooth 60 Hz).

Figures go to benchmarks/RESULTS.md; wall-clock time on a shared machine is noisy, so compare
pages measured in one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Press a key on the document and resolve with the milliseconds until the next frame is out.
PRESS = """async (key) => {
  const t0 = performance.now();
  document.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true}));
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - t0;
}"""

SCROLL = """async (frames) => {
  const times = [];
  let last = await new Promise((resolve) => requestAnimationFrame(resolve));
  for (let k = 0; k < frames; k++) {
    window.scrollBy(0, 400);
    const now = await new Promise((resolve) => requestAnimationFrame(resolve));
    times.push(now - last);
    last = now;
  }
  return times;
}"""


def _launch(playwright: Any) -> Any:
    spec = importlib.util.spec_from_file_location("screenshot", ROOT / "examples" / "screenshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.launch(playwright)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(browser: Any, path: Path, repeat: int) -> dict[str, float | str]:
    # bypass_csp: Playwright evaluates its polling functions from strings (the page forbids it).
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(path.resolve().as_uri(), wait_until="commit")
    # A key pressed while the page loads (its header is there, the rows are still coming): the
    # editor must act on it once ready (the page before round four dropped it).
    tab.wait_for_selector("h1", state="attached")
    loading = tab.evaluate(
        "() => document.documentElement.classList.contains('loading') && "
        "getComputedStyle(document.body, '::after').content"
    )
    tab.keyboard.press("j")
    tab.wait_for_function("document.body && document.body.classList.contains('js')", polling=16)
    ready = tab.evaluate("() => performance.now()")
    tab.wait_for_timeout(300)
    queued = tab.evaluate("() => document.querySelector('.row.sel')?.dataset.bead ?? 'none'")
    paint = tab.evaluate(
        "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
    )
    tab.wait_for_timeout(500)
    parsed = tab.evaluate(
        "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventStart"
    )
    out: dict[str, float | str] = {
        "ready": ready,
        "parsed": parsed,
        "first paint": paint,
        "queued j": queued,
        "loading shown": str(loading),
    }
    tab.evaluate("() => document.querySelector('#r20 [role=cell]').click()")
    for key, name in (("j", "j"), ("m", "merge"), ("v", "verify"), ("r", "review-next")):
        times = []
        for _ in range(repeat):
            times.append(tab.evaluate(PRESS, key))
            tab.wait_for_timeout(100)
        out[name] = _median(times)
    tab.evaluate("() => window.scrollTo(0, 0)")
    tab.wait_for_timeout(300)
    frames = tab.evaluate(SCROLL, 120)
    out["scroll median"] = _median(frames)
    out["scroll p95"] = sorted(frames)[int(0.95 * len(frames)) - 1]
    out["rows"] = tab.evaluate("() => document.querySelectorAll('.row:not(.head)').length")
    if errors:
        out["errors"] = "; ".join(errors)
    context.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _launch(p)
        for page in args.pages:
            result = measure(browser, page, args.repeat)
            cells = [
                f"{k}: {v:.0f}" if isinstance(v, float) else f"{k}: {v}" for k, v in result.items()
            ]
            print(f"{page.name}: " + " · ".join(cells), flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
