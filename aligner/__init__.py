"""aligner: align a text with its translations, sentence by sentence.

The public names below are loaded on first use, so ``import aligner`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Sentence": "aligner.model",
    "Document": "aligner.model",
    "Bead": "aligner.model",
    "Alignment": "aligner.model",
    "AlignerError": "aligner.errors",
    "InputError": "aligner.errors",
    "UsageError": "aligner.errors",
    "segment": "aligner.segment",
    "read_presplit": "aligner.segment",
    "normalize": "aligner.segment",
    "check_language": "aligner.segment",
    "SUPPORTED_LANGUAGES": "aligner.segment",
    "evaluate": "aligner.evaluate",
    "evaluate_documents": "aligner.evaluate",
    "parse_beads": "aligner.evaluate",
    "Scores": "aligner.evaluate",
    "align": "aligner.align",
    "align_documents": "aligner.align",
    "align_texts": "aligner.align",
    "AlignConfig": "aligner.align",
    "read_dictionary": "aligner.align",
    "write": "aligner.formats",
    "FORMATS": "aligner.formats",
    "merge": "aligner.multi",
    "MultiAlignment": "aligner.multi",
    "MergedRow": "aligner.multi",
    "render_html": "aligner.html",
    "detect_language": "aligner.detect",
    "Detection": "aligner.detect",
    "run_batch": "aligner.batch",
    "read_manifest": "aligner.manifest",
    "DocumentPair": "aligner.manifest",
    "BatchOptions": "aligner.batch",
    "BatchReport": "aligner.batch",
    "PairResult": "aligner.batch",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'aligner' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
