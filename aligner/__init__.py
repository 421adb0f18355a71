"""aligner: align a text with its translations, sentence by sentence.

The public names below are loaded on first use, so ``import aligner`` stays cheap; a type
checker reads the same names from the imports under ``TYPE_CHECKING``, so ``aligner.align``
and friends carry their real signatures in a user's mypy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from aligner.config import AlignConfig as AlignConfig
    from aligner.corpus.batch import BatchReport as BatchReport
    from aligner.corpus.batch import run_batch as run_batch
    from aligner.corpus.jobs import BatchOptions as BatchOptions
    from aligner.corpus.jobs import PairResult as PairResult
    from aligner.corpus.manifest import DocumentPair as DocumentPair
    from aligner.corpus.manifest import read_manifest as read_manifest
    from aligner.documents import LoadedDocument as LoadedDocument
    from aligner.documents import load_document as load_document
    from aligner.documents import read_document as read_document
    from aligner.errors import AlignerError as AlignerError
    from aligner.errors import InputError as InputError
    from aligner.errors import UsageError as UsageError
    from aligner.evaluation import Scores as Scores
    from aligner.evaluation import evaluate as evaluate
    from aligner.evaluation import evaluate_documents as evaluate_documents
    from aligner.evaluation import parse_beads as parse_beads
    from aligner.features.lexicon import Lexicon as Lexicon
    from aligner.multi import MergedRow as MergedRow
    from aligner.multi import MultiAlignment as MultiAlignment
    from aligner.multi import merge as merge
    from aligner.output import FORMATS as FORMATS
    from aligner.output import Format as Format
    from aligner.output import FormatName as FormatName
    from aligner.output import save as save
    from aligner.output import write as write
    from aligner.output import write_bytes as write_bytes
    from aligner.output.html import render_html as render_html
    from aligner.pipeline import align as align
    from aligner.pipeline import align_documents as align_documents
    from aligner.pipeline import align_texts as align_texts
    from aligner.pipeline import train_lexicon as train_lexicon
    from aligner.readers.dictionary import read_dictionary as read_dictionary
    from aligner.readers.pins import read_pins as read_pins
    from aligner.resources import Resources as Resources
    from aligner.segmentation.detect import Detection as Detection
    from aligner.segmentation.detect import detect_language as detect_language
    from aligner.segmentation.sentences import SUPPORTED_LANGUAGES as SUPPORTED_LANGUAGES
    from aligner.segmentation.sentences import check_language as check_language
    from aligner.segmentation.sentences import normalize as normalize
    from aligner.segmentation.sentences import read_presplit as read_presplit
    from aligner.segmentation.sentences import segment as segment
    from aligner.types import Alignment as Alignment
    from aligner.types import Bead as Bead
    from aligner.types import Document as Document
    from aligner.types import Sentence as Sentence

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Sentence": "aligner.types",
    "Document": "aligner.types",
    "Bead": "aligner.types",
    "Alignment": "aligner.types",
    "AlignerError": "aligner.errors",
    "InputError": "aligner.errors",
    "UsageError": "aligner.errors",
    "AlignConfig": "aligner.config",
    "segment": "aligner.segmentation.sentences",
    "read_presplit": "aligner.segmentation.sentences",
    "normalize": "aligner.segmentation.sentences",
    "check_language": "aligner.segmentation.sentences",
    "SUPPORTED_LANGUAGES": "aligner.segmentation.sentences",
    "detect_language": "aligner.segmentation.detect",
    "Detection": "aligner.segmentation.detect",
    "LoadedDocument": "aligner.documents",
    "load_document": "aligner.documents",
    "read_document": "aligner.documents",
    "read_dictionary": "aligner.readers.dictionary",
    "Resources": "aligner.resources",
    "align": "aligner.pipeline",
    "align_documents": "aligner.pipeline",
    "align_texts": "aligner.pipeline",
    "train_lexicon": "aligner.pipeline",
    "Lexicon": "aligner.features.lexicon",
    "read_pins": "aligner.readers.pins",
    "merge": "aligner.multi",
    "MultiAlignment": "aligner.multi",
    "MergedRow": "aligner.multi",
    "write": "aligner.output",
    "write_bytes": "aligner.output",
    "save": "aligner.output",
    "FORMATS": "aligner.output",
    "Format": "aligner.output",
    "FormatName": "aligner.output",
    "render_html": "aligner.output.html",
    "evaluate": "aligner.evaluation",
    "evaluate_documents": "aligner.evaluation",
    "parse_beads": "aligner.evaluation",
    "Scores": "aligner.evaluation",
    "run_batch": "aligner.corpus.batch",
    "BatchReport": "aligner.corpus.batch",
    "BatchOptions": "aligner.corpus.jobs",
    "PairResult": "aligner.corpus.jobs",
    "read_manifest": "aligner.corpus.manifest",
    "DocumentPair": "aligner.corpus.manifest",
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
