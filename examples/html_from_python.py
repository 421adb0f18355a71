"""Build the side-by-side HTML page from Python: an original and two translations.

    python examples/html_from_python.py [OUTPUT.html]

Each translation is aligned to the original; merge() puts the rows side by side on the
original's sentences, and the page shows a column per text.
"""

from __future__ import annotations

import sys
from pathlib import Path

from aligner.multi import merge
from aligner.output.files import write_atomic
from aligner.output.html import render_html
from aligner.pipeline import align_documents
from aligner.readers.text import read_text
from aligner.segmentation.detect import detect_language
from aligner.segmentation.sentences import segment

TEXTS = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"


def main(output: Path) -> None:
    documents = []
    for name in ("fr.txt", "en.txt", "ru.txt"):
        text = read_text(TEXTS / name)
        found = detect_language(text, name)  # or give the code yourself
        print(f"{name}: {found.code} ({found.method}, confidence {found.confidence:.2f})")
        documents.append(segment(text, found.code))
    original, *translations = documents
    merged = merge([align_documents(original, t) for t in translations])
    print(f"{len(merged.rows)} rows; doubtful rows are shaded and can be shown alone")
    page = render_html(merged, titles=["Proposition (fr)", "Proposal (en)", "Обращение (ru)"])
    write_atomic(output, page)
    print(f"wrote {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("armistice.html"))
