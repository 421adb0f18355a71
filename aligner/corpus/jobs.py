"""One pair of a corpus run: what a worker gets (PairJob), what it returns (PairResult).

A worker reads, segments and aligns its pair and writes its output itself, atomically; it
returns only a small record, so the driver's memory does not grow with the outputs. Every
failure of a pair is caught and recorded in that record: one bad pair never stops a batch.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aligner import __version__
from aligner.config import AlignConfig
from aligner.corpus.manifest import DocumentPair, known_language
from aligner.errors import AlignerError
from aligner.features.lexicon import Lexicon

__all__ = [
    "BatchOptions",
    "PairJob",
    "PairResult",
    "Worker",
    "align_pair",
    "crashed",
    "fingerprint",
    "output_size",
    "train_corpus_lexicon",
]


@dataclass(frozen=True)
class BatchOptions:
    """What every pair of a run shares: output format, input kind, default languages, config.

    ``header``: a line of column names first in each TSV output.
    """

    fmt: str = "tsv"
    presplit: bool = False
    src_lang: str | None = None
    tgt_lang: str | None = None
    encoding: str | None = None
    config: AlignConfig | None = None
    min_confidence: float = 0.0
    corpus_lexicon: bool = True
    header: bool = False

    def signature(self) -> str:
        """A stable text naming everything that changes the outputs (for fingerprints); no
        config and the default one are the same."""
        fields: dict[str, Any] = {
            "version": __version__,
            "fmt": self.fmt,
            "presplit": self.presplit,
            "encoding": self.encoding,
            "config": repr(self.config or AlignConfig()),
            "min_confidence": self.min_confidence,
            "corpus_lexicon": self.corpus_lexicon,
        }
        # Named only when set: outputs written before the option existed keep their
        # fingerprints, so a re-run does not align them again.
        if self.header:
            fields["header"] = True
        return json.dumps(fields, sort_keys=True)


@dataclass(frozen=True)
class PairJob:
    """Everything a worker needs to align one pair; small and picklable.

    ``group`` names the corpus the pair was aligned with (a digest of its pairs' inputs, empty
    for a pair aligned on its own), and ``lexicon`` is that corpus's lexicon, once trained.
    """

    pair: DocumentPair
    output: Path
    options: BatchOptions
    group: str = ""
    lexicon: Lexicon | None = field(default=None, compare=False, repr=False)

    @property
    def src_lang(self) -> str | None:
        """The source language: the manifest's, else the run's default, else None (detect)."""
        return self.pair.src_lang or self.options.src_lang

    @property
    def tgt_lang(self) -> str | None:
        """The target language: the manifest's, else the run's default, else None (detect)."""
        return self.pair.tgt_lang or self.options.tgt_lang


@dataclass(frozen=True)
class PairResult:
    """What happened to one pair: counts and timing, or the error that stopped it.

    ``files`` names the files written in the output folder (the output alone, or one per
    language for ``-f lines``), ``output_bytes`` their total size.
    """

    source: str
    target: str
    output: str
    fingerprint: str
    src_lang: str | None = None
    tgt_lang: str | None = None
    src_sentences: int = 0
    tgt_sentences: int = 0
    beads: tuple[tuple[str, int], ...] = ()
    mean_confidence: float = 0.0
    quality: float = 0.0
    src_coverage: float = 0.0
    tgt_coverage: float = 0.0
    left_out: int = 0
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    output_bytes: int = 0
    error: str | None = None
    line: int | None = None
    files: tuple[str, ...] = ()
    skipped: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        if self.src_sentences < 0 or self.tgt_sentences < 0 or self.output_bytes < 0:
            raise ValueError("sentence counts and output size must be >= 0")
        if any(Path(name).name != name or name in ("", ".", "..") for name in self.files):
            raise ValueError("output files must be plain names in the output folder")
        for name in ("mean_confidence", "quality", "src_coverage", "tgt_coverage"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} {getattr(self, name)} is outside [0, 1]")

    @property
    def ok(self) -> bool:
        """True when the pair was aligned and its output written."""
        return self.error is None

    def to_record(self) -> dict[str, Any]:
        """The JSON record written to the summary (``skipped`` is a property of the run only)."""
        return {
            "source": self.source,
            "target": self.target,
            "output": self.output,
            "line": self.line,
            "src_lang": self.src_lang,
            "tgt_lang": self.tgt_lang,
            "src_sentences": self.src_sentences,
            "tgt_sentences": self.tgt_sentences,
            "beads": dict(self.beads),
            "mean_confidence": round(self.mean_confidence, 6),
            "quality": round(self.quality, 6),
            "coverage": {"src": round(self.src_coverage, 6), "tgt": round(self.tgt_coverage, 6)},
            "left_out": self.left_out,
            "warnings": list(self.warnings),
            "seconds": round(self.seconds, 4),
            "error": self.error,
            "output_bytes": self.output_bytes,
            "files": list(self.files),
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any], *, skipped: bool = False) -> PairResult:
        """Rebuild a result from a summary record; ValueError/KeyError/TypeError if malformed."""
        beads = record.get("beads") or {}
        if not isinstance(beads, dict):
            raise TypeError("beads must be an object")
        line = record.get("line")
        return cls(
            source=str(record["source"]),
            target=str(record["target"]),
            output=str(record["output"]),
            fingerprint=str(record["fingerprint"]),
            src_lang=record.get("src_lang"),
            tgt_lang=record.get("tgt_lang"),
            src_sentences=int(record.get("src_sentences", 0)),
            tgt_sentences=int(record.get("tgt_sentences", 0)),
            beads=tuple(sorted((str(k), int(v)) for k, v in beads.items())),
            mean_confidence=float(record.get("mean_confidence", 0.0)),
            quality=float(record.get("quality", 0.0)),
            src_coverage=float((record.get("coverage") or {}).get("src", 0.0)),
            tgt_coverage=float((record.get("coverage") or {}).get("tgt", 0.0)),
            left_out=int(record.get("left_out", 0)),
            warnings=tuple(str(w) for w in record.get("warnings") or ()),
            seconds=float(record.get("seconds", 0.0)),
            output_bytes=int(record.get("output_bytes", 0)),
            error=None if record.get("error") is None else str(record["error"]),
            line=None if line is None else int(line),
            files=tuple(str(name) for name in record.get("files") or ()),
            skipped=skipped,
        )


def fingerprint(job: PairJob) -> str:
    """A digest of what the pair's output depends on: input paths, sizes, mtimes, options.

    Sizes and modification times (as make and rsync use them) change when a file is edited or
    replaced, without reading the file; a missing file has its own marker.
    """
    parts: list[Any] = [
        job.options.signature(),
        job.src_lang,
        job.tgt_lang,
        job.output.name,
        job.group,
    ]
    for path in (job.pair.source, job.pair.target):
        try:
            st = path.stat()
            parts.append([str(path.absolute()), st.st_size, st.st_mtime_ns])
        except OSError:
            parts.append([str(path.absolute()), None, None])
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def output_size(job: PairJob, result: PairResult) -> int | None:
    """The total size of the files ``result`` names in ``job``'s output folder (``job.output``
    alone when it names none, as records written before ``files`` existed); None when one is
    missing. A pair's outputs are complete when this is the recorded ``output_bytes``."""
    names = result.files or (job.output.name,)
    total = 0
    for name in names:
        try:
            total += (job.output.parent / name).stat().st_size
        except OSError:
            return None
    return total


def align_pair(job: PairJob) -> PairResult:
    """Read, segment, align and write one pair; return its record, with the error if it failed.

    Top-level so that process pools and Dask can send it to workers. Every failure of the pair
    (missing, binary or empty file, unknown language, or a bug met on this input) is caught and
    recorded: one bad pair never stops a batch.
    """
    start = time.perf_counter()
    base = _record(job)
    try:
        return _align_and_write(job, base, start)
    except AlignerError as exc:
        message = str(exc)
    except MemoryError:
        message = "out of memory while aligning this pair"
    except Exception as exc:  # a bug met on one input must not stop the other pairs
        message = f"internal error: {type(exc).__name__}: {exc}"
    return replace(base, error=message, seconds=time.perf_counter() - start)


def _align_and_write(job: PairJob, base: PairResult, start: float) -> PairResult:
    """The work of :func:`align_pair`, raising on failure."""
    from aligner.documents import read_document
    from aligner.output import save
    from aligner.pipeline import align_documents
    from aligner.quality import alignment_warnings

    options = job.options
    src, tgt = (
        read_document(
            path,
            None if lang is None else known_language(lang, str(path)),
            presplit=options.presplit,
            encoding=options.encoding,
        ).document
        for path, lang in ((job.pair.source, job.src_lang), (job.pair.target, job.tgt_lang))
    )
    alignment = align_documents(src, tgt, config=options.config, lexicon=job.lexicon)
    # A multi-file format (lines) takes job.output as the prefix of its files.
    saved = save(
        alignment,
        options.fmt,
        job.output,
        titles=(job.pair.source.name, job.pair.target.name),
        min_confidence=options.min_confidence,
        header=options.header,
        title=job.pair.source.stem,
        chapters=src.chapters,
        headings=dict(src.headings),
        inputs=(job.pair.source, job.pair.target),
    )
    return replace(
        base,
        src_lang=src.lang,
        tgt_lang=tgt.lang,
        src_sentences=len(alignment.src),
        tgt_sentences=len(alignment.tgt),
        beads=tuple(sorted(alignment.counts().items())),
        mean_confidence=min(1.0, max(0.0, alignment.mean_confidence)),
        quality=min(1.0, max(0.0, alignment.quality)),
        src_coverage=alignment.coverage[0],
        tgt_coverage=alignment.coverage[1],
        left_out=sum(b.confidence < options.min_confidence for b in alignment.beads),
        warnings=tuple(alignment_warnings(alignment)),
        output_bytes=saved.size,
        files=tuple(path.name for path in saved.paths),
        seconds=time.perf_counter() - start,
    )


def _record(job: PairJob, error: str | None = None) -> PairResult:
    """A pair's record before any work: what the job says of it, and ``error`` if given."""
    return PairResult(
        source=str(job.pair.source),
        target=str(job.pair.target),
        output=job.output.name,
        fingerprint=fingerprint(job),
        src_lang=job.src_lang,
        tgt_lang=job.tgt_lang,
        error=error,
        line=job.pair.line,
    )


def crashed(job: PairJob, message: str) -> PairResult:
    """The record of a pair whose worker died or whose task was lost."""
    return _record(job, message)


#: What runs one pair: :func:`align_pair`, or a test's stand-in.
Worker = Callable[[PairJob], PairResult]


def train_corpus_lexicon(jobs: Sequence[PairJob], src_lang: str, tgt_lang: str) -> Lexicon:
    """One lexicon from the first passes of every pair of a corpus group (one language pair).

    A pair that cannot be read is left out here; aligning it records its error.
    """
    from aligner.documents import read_document
    from aligner.pipeline import train_lexicon

    pairs: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    paragraphs: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    config = jobs[0].options.config if jobs else None
    for job in jobs:
        options = job.options
        try:
            src, tgt = (
                read_document(
                    path, lang, presplit=options.presplit, encoding=options.encoding
                ).document
                for path, lang in ((job.pair.source, src_lang), (job.pair.target, tgt_lang))
            )
        except AlignerError:
            continue
        pairs.append((src.texts, tgt.texts))
        paragraphs.append((src.paragraph_of, tgt.paragraph_of))
    return train_lexicon(
        pairs, src_lang=src_lang, tgt_lang=tgt_lang, config=config, paragraphs=paragraphs
    )
