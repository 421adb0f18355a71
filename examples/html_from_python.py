"""Build the side-by-side HTML page from Python: an original and two translations.

    python examples/html_from_python.py [OUTPUT.html]

Each translation is aligned to the original; merge() puts the rows side by side on the
original's sentences, and the page shows a column per text.
"""

from __future__ import annotations

import sys
from pathlib import Path

import aligner

TEXTS = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"


def main(output: Path) -> None:
    documents = []
    for name in ("fr.txt", "en.txt", "ru.txt"):
        loaded = aligner.read_document(TEXTS / name)  # or give the language code yourself
        found = loaded.detection
        assert found is not None  # detected, since no language was given
        print(f"{name}: {found.code} ({found.method}, confidence {found.confidence:.2f})")
        documents.append(loaded.document)
    original, *translations = documents
    merged = aligner.merge([aligner.align_documents(original, t) for t in translations])
    print(f"{len(merged.rows)} rows; doubtful rows are shaded and can be shown alone")
    page = aligner.render_html(
        merged, titles=["Proposition (fr)", "Proposal (en)", "Обращение (ru)"]
    )
    output.write_text(page, encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("armistice.html"))
