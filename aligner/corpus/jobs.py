"""One pair of a corpus run: what a worker gets (PairJob), what it returns (PairResult).

A worker reads, segments and aligns its pair and writes its output itself, atomically; it
returns only a small record, so the driver's memory does not grow with the outputs. Every
failure of a pair is caught and recorded in that record: one bad pair never stops a batch.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import pickle
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligner import __version__
from aligner.config import AlignConfig
from aligner.corpus.manifest import DocumentPair, known_language
from aligner.errors import AlignerError, InputError
from aligner.features.corpus_counts import PairCounts
from aligner.features.lexicon import Lexicon
from aligner.resources import Resources
from aligner.types import Bead

if TYPE_CHECKING:
    from aligner.pipeline import FirstPass
    from aligner.types import Document

__all__ = [
    "BatchOptions",
    "PairJob",
    "PairResult",
    "Worker",
    "align_pair",
    "crashed",
    "expected_wrong",
    "fingerprint",
    "learn_pair",
    "load_lexicon",
    "output_size",
    "save_lexicon",
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
    for a pair aligned on its own). That corpus's lexicon, once trained, is ``lexicon`` itself
    or, as a corpus run hands it out, the file ``lexicon_file`` (:func:`save_lexicon`), which
    each worker process loads once. ``first_pass_file``: where :func:`learn_pair` keeps the
    pair's documents and first pass for :func:`align_pair` to resume from; ``learn``: the job
    is that first step (:func:`learn_pair`), not the alignment.
    """

    pair: DocumentPair
    output: Path
    options: BatchOptions
    group: str = ""
    lexicon: Lexicon | None = field(default=None, compare=False, repr=False)
    lexicon_file: Path | None = None
    first_pass_file: Path | None = None
    learn: bool = False

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
    language for ``-f lines``), ``output_bytes`` their total size. ``expected_wrong``: the
    expected number of wrong beads (:func:`expected_wrong`; None when unknown: a failed pair,
    or a record written before the field existed). ``counts``: what the pair's first pass
    teaches the corpus lexicon, carried back from :func:`learn_pair` only (never recorded).
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
    expected_wrong: float | None = None
    skipped: bool = field(default=False, compare=False)
    counts: PairCounts | None = field(default=None, compare=False, repr=False)

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
            "expected_wrong": (
                None if self.expected_wrong is None else round(self.expected_wrong, 6)
            ),
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
        wrong = record.get("expected_wrong")
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
            expected_wrong=None if wrong is None else float(wrong),
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
    recorded: one bad pair never stops a batch. When :func:`learn_pair` kept the pair's
    documents and first pass (``job.first_pass_file``), the alignment resumes from them: the
    pair is read and searched once in a corpus run.
    """
    return _guarded(job, _align_and_write)


def learn_pair(job: PairJob) -> PairResult:
    """The first step of a pair of a corpus group: read and segment it, run its first pass,
    keep both in ``job.first_pass_file`` and return the record (no output yet) carrying what
    the pass teaches the corpus lexicon (``counts``); with the error if it failed."""
    return _guarded(job, _learn)


def _guarded(job: PairJob, work: Callable[[PairJob, PairResult, float], PairResult]) -> PairResult:
    """``work``'s record for ``job``, or the record of what stopped it."""
    start = time.perf_counter()
    base = _record(job)
    try:
        return work(job, base, start)
    except AlignerError as exc:
        message = str(exc)
    except MemoryError:
        message = "out of memory while aligning this pair"
    except RecursionError:
        message = "input nested too deeply to read"
    except Exception as exc:  # a bug met on one input must not stop the other pairs
        message = f"internal error: {type(exc).__name__}: {_first_line(exc)}"
    return replace(base, error=message, seconds=time.perf_counter() - start)


def _first_line(exc: BaseException) -> str:
    """The first line of an exception's message: a record holds one line."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else ""


def _read_pair(job: PairJob) -> tuple[Document, Document]:
    """The pair's two documents, read and segmented with the job's options."""
    from aligner.documents import read_document

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
    return src, tgt


def _learn(job: PairJob, base: PairResult, start: float) -> PairResult:
    """The work of :func:`learn_pair`, raising on failure."""
    from aligner.pipeline import first_pass, structure_cuts

    if job.first_pass_file is None:
        raise ValueError("a learning job needs a first_pass_file")
    src, tgt = _read_pair(job)
    first = first_pass(
        src.texts,
        tgt.texts,
        src_lang=src.lang,
        tgt_lang=tgt.lang,
        config=job.options.config,
        src_paragraphs=src.paragraph_of,
        tgt_paragraphs=tgt.paragraph_of,
        cuts=structure_cuts(src, tgt),
        resources=_worker_resources(),
    )
    _save_first_pass(job.first_pass_file, base.fingerprint, src, tgt, first)
    return replace(base, counts=first.counts(), seconds=time.perf_counter() - start)


def _save_first_pass(path: Path, key: str, src: Document, tgt: Document, first: FirstPass) -> None:
    """Keep a pair's documents and first pass for the second step, under the pair's
    fingerprint (written atomically: a killed worker leaves no half file)."""
    from aligner.output.files import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, pickle.dumps((key, src, tgt, first), protocol=pickle.HIGHEST_PROTOCOL))


def _load_first_pass(job: PairJob, key: str) -> tuple[Document, Document, FirstPass] | None:
    """What :func:`learn_pair` kept for ``job``, if it is there and still its (``key``: the
    pair's fingerprint); the file is removed either way, its work being done."""
    path = job.first_pass_file
    if path is None:
        return None
    try:
        # Our own file in the run's work folder, written by learn_pair in this run.
        with path.open("rb") as handle:
            kept = pickle.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        kept = None
    with contextlib.suppress(OSError):
        path.unlink()
    if not (isinstance(kept, tuple) and len(kept) == 4 and kept[0] == key):
        return None
    return kept[1], kept[2], kept[3]


def _align_and_write(job: PairJob, base: PairResult, start: float) -> PairResult:
    """The work of :func:`align_pair`, raising on failure."""
    from aligner.output import save
    from aligner.pipeline import align_documents, resume_alignment
    from aligner.quality import alignment_warnings

    options = job.options
    lexicon = job.lexicon
    if lexicon is None and job.lexicon_file is not None:
        lexicon = load_lexicon(job.lexicon_file)
    kept = _load_first_pass(job, base.fingerprint)
    if kept is not None:
        src, tgt, first = kept
        alignment = replace(
            resume_alignment(first, lexicon=lexicon),
            src_chapters=src.chapters,
            src_headings=src.headings,
        )
    else:
        src, tgt = _read_pair(job)
        alignment = align_documents(
            src, tgt, config=options.config, lexicon=lexicon, resources=_worker_resources()
        )
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
        expected_wrong=expected_wrong(alignment.beads),
        src_coverage=alignment.coverage[0],
        tgt_coverage=alignment.coverage[1],
        left_out=sum(b.confidence < options.min_confidence for b in alignment.beads),
        warnings=tuple(alignment_warnings(alignment)),
        output_bytes=saved.size,
        files=tuple(path.name for path in saved.paths),
        seconds=time.perf_counter() - start,
    )


def expected_wrong(beads: Iterable[Bead]) -> float:
    """The expected number of wrong beads: the sum of ``1 - confidence`` over them (the
    confidences are calibrated probabilities), to rank a corpus's documents for review."""
    return float(sum(1.0 - b.confidence for b in beads))


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
    """One lexicon from the first passes of every pair of a corpus group (one language pair),
    all read here, one after another (a corpus run learns in its workers instead:
    :func:`learn_pair`). A pair that cannot be read is left out; aligning it records its error.
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


# --- the corpus lexicon on disk -------------------------------------------------------------


def save_lexicon(path: Path, lexicon: Lexicon) -> None:
    """Write ``lexicon`` as JSON (floats round-trip exactly), atomically."""
    from aligner.output.files import write_atomic

    record = {
        "src_lang": lexicon.src_lang,
        "tgt_lang": lexicon.tgt_lang,
        "src": list(lexicon.src),
        "tgt": list(lexicon.tgt),
        "val": list(lexicon.val),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(record, ensure_ascii=False))


def _worker_resources() -> Resources | None:
    """The dictionaries and lemma tables a worker process holds for all the pairs it aligns
    (its life is their lifetime: :class:`~aligner.resources.Resources`); None in the driver's
    own process, where each pair loads its own and lets them go, so that nothing outlives a
    run in a user's program."""
    if multiprocessing.parent_process() is None:
        return None
    return _process_resources()


@functools.cache
def _process_resources() -> Resources:
    return Resources()


def load_lexicon(path: Path) -> Lexicon:
    """The lexicon :func:`save_lexicon` wrote, read once per process while the file is
    unchanged (a worker aligns many pairs with it); InputError if it is missing or damaged."""
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"{path}: corpus lexicon missing ({exc.strerror})") from None
    return _load_lexicon(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load_lexicon(path: str, size: int, mtime_ns: int) -> Lexicon:
    """:func:`load_lexicon` by path, size and modification time (the cache's key)."""
    del size, mtime_ns  # in the key only: a rewritten file is read again
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
        return Lexicon(
            str(record["src_lang"]),
            str(record["tgt_lang"]),
            tuple(str(w) for w in record["src"]),
            tuple(str(w) for w in record["tgt"]),
            tuple(float(v) for v in record["val"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: corpus lexicon unreadable ({exc})") from None
