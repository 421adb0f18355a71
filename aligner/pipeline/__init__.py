"""Sentence alignment, the public API: align, align_documents, align_texts, train_lexicon, ...

The checks of what a caller passes and the entry points live here; the work is in the package's
modules: :mod:`~aligner.pipeline.prepare` (the texts' features and tables, once),
:mod:`~aligner.pipeline.passes` (pass 1, what it teaches, pass 2) and
:mod:`~aligner.pipeline.run` (one alignment from prepared texts to beads with confidences).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aligner.collector import collection_paused
from aligner.config import AlignConfig
from aligner.errors import UsageError
from aligner.features.dictionary import base_language
from aligner.features.lexicon import Lexicon, Table, pooled_lexicon
from aligner.features.structure import Structure, match_structure
from aligner.features.tokens import Side
from aligner.pipeline.passes import _first_pass, _train_spans
from aligner.pipeline.prepare import _prepare
from aligner.pipeline.run import FirstPass, _first, _resume
from aligner.progress import Stages
from aligner.resources import Resources
from aligner.scoring.confidence import Evidence
from aligner.segmentation.detect import detect_language
from aligner.segmentation.sentences import check_language
from aligner.types import Alignment, Bead, Document, Progress

__all__ = [
    "AlignConfig",
    "FirstPass",
    "Lexicon",
    "align",
    "align_documents",
    "align_texts",
    "align_with_evidence",
    "first_pass",
    "resume_alignment",
    "structure_cuts",
    "train_lexicon",
]

#: Sentences read to detect a language that was not given (enough for a stable answer).
DETECT_SENTENCES = 200
#: ISO 639-2's code for an undetermined language: the label when detection cannot tell.
UNDETERMINED = "und"
#: Shares of an alignment's time its stages take, for a progress count that moves at a steady
#: pace (measured on the Old Testament fr-en, ``benchmarks/RESULTS.md``, round four).
STAGE_SHARES = (("prepare", 0.32), ("pass 1", 0.26), ("pass 2", 0.32), ("confidence", 0.11))


def _config(config: AlignConfig | None) -> AlignConfig:
    """``config``, or the defaults; UsageError for anything else."""
    if config is None:
        return AlignConfig()
    if not isinstance(config, AlignConfig):
        raise UsageError(f"config must be an AlignConfig, not {type(config).__name__}")
    return config


def _check_paragraphs(
    src: tuple[str, ...],
    tgt: tuple[str, ...],
    src_paragraphs: Sequence[int],
    tgt_paragraphs: Sequence[int],
) -> None:
    for name, paras, sents in (
        ("src_paragraphs", src_paragraphs, src),
        ("tgt_paragraphs", tgt_paragraphs, tgt),
    ):
        if paras and len(paras) != len(sents):
            raise UsageError(f"{name} has {len(paras)} entries for {len(sents)} sentences")


def _sentences(name: str, value: Sequence[str]) -> tuple[str, ...]:
    """``value`` as a tuple of sentences; UsageError for a bare string or a non-string item.

    A string is a sequence of characters: aligned as it is, it would pair letter with letter.
    """
    if isinstance(value, (str, bytes)):
        raise UsageError(
            f"{name} is one {type(value).__name__}, not a list of sentences: split it with "
            "aligner.segment() or use aligner.align_texts()"
        )
    try:
        sentences = tuple(value)
    except TypeError:
        kind = type(value).__name__
        raise UsageError(f"{name} must be a list of sentences, not {kind}") from None
    for k, sentence in enumerate(sentences):
        if not isinstance(sentence, str):
            raise UsageError(f"{name}[{k}] is {type(sentence).__name__}, not a string")
    return sentences


def _language(lang: str | None, sentences: Sequence[str]) -> str:
    """The language given (normalised: "fra", "French" -> "fr"), else the one detected in the
    first sentences, else ``"und"``."""
    if lang is not None:
        return lang if lang == UNDETERMINED else check_language(lang)
    try:
        return detect_language("\n".join(sentences[:DETECT_SENTENCES])).code
    except UsageError:
        return UNDETERMINED


def align(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    config: AlignConfig | None = None,
    progress: Progress | None = None,
    src_paragraphs: Sequence[int] = (),
    tgt_paragraphs: Sequence[int] = (),
    lexicon: Lexicon | None = None,
    pins: Sequence[Bead] = (),
    cuts: Sequence[tuple[int, int]] = (),
    resources: Resources | None = None,
) -> Alignment:
    """Align two lists of sentences; every sentence ends up in exactly one bead, in order.

    ``src_lang`` / ``tgt_lang`` label the result and choose the shipped dictionary; when not
    given they are detected from the sentences (``"und"``, ISO 639-2 for undetermined, when
    nothing can be told). ``src_paragraphs`` / ``tgt_paragraphs`` (a paragraph index per
    sentence, optional) make a bead that crosses a paragraph boundary on one side only cost
    more. ``progress(done, total)`` is called as the work advances, with one count that only
    grows over the whole alignment (preparation, both passes, confidence:
    :mod:`aligner.progress`). ``lexicon``: a lexicon learned from a whole corpus of the same
    language pair (:func:`train_lexicon`), used in place of the one this pair alone would
    teach. ``pins``
    are beads kept exactly as given (a user's corrections; UsageError if they overlap, cross
    or point outside the texts), marked ``pinned`` with confidence 1.0: the search runs
    through them over the whole text, under one model of it. ``cuts`` ``(i, j)`` say that
    source sentences before ``i`` go with target sentences before ``j`` (chapters both texts
    have): no bead straddles them (a cut that splits or crosses a pin is dropped).
    ``resources``: the dictionaries and lemma tables to read (:class:`Resources`, shared by the
    caller's calls and kept until it closes them); without it, a set loaded for this call and
    let go as soon as both texts are prepared.

    Raises:
        UsageError: ``src`` or ``tgt`` is a bare string or holds a non-string; a language that
            is no ISO 639 code or language name ("fr", "fra", "French" all give ``"fr"``);
            paragraph lists of the wrong length; pins that overlap, cross or point outside the
            texts; a ``config`` that is not an :class:`AlignConfig`.
    """
    return align_with_evidence(
        src,
        tgt,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        config=config,
        progress=progress,
        src_paragraphs=src_paragraphs,
        tgt_paragraphs=tgt_paragraphs,
        lexicon=lexicon,
        pins=pins,
        cuts=cuts,
        resources=resources,
    )[0]


def align_with_evidence(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    config: AlignConfig | None = None,
    progress: Progress | None = None,
    src_paragraphs: Sequence[int] = (),
    tgt_paragraphs: Sequence[int] = (),
    lexicon: Lexicon | None = None,
    pins: Sequence[Bead] = (),
    cuts: Sequence[tuple[int, int]] = (),
    resources: Resources | None = None,
) -> tuple[Alignment, Evidence | None]:
    """:func:`align`, and the :class:`~aligner.scoring.confidence.Evidence` its confidences were
    calibrated from (``None`` when no single free path was scored: an empty side, pins or cuts).

    For the calibration fit and the benchmarks, which need the evidence behind each confidence.
    """
    cfg = _config(config)
    src_t, tgt_t = _sentences("src", src), _sentences("tgt", tgt)
    _check_paragraphs(src_t, tgt_t, src_paragraphs, tgt_paragraphs)
    s_lang, t_lang = _language(src_lang, src_t), _language(tgt_lang, tgt_t)
    stages = Stages(progress, STAGE_SHARES)
    texts = (src_t, tgt_t, s_lang, t_lang, tuple(src_paragraphs), tuple(tgt_paragraphs))
    with collection_paused():
        # Handed over, not kept here: the first pass's model and path go once pass 2 has
        # replaced them (and are gone before the collector wakes, which traverses what lives).
        held = [_first(*texts, cfg, tuple(pins), cuts, stages, resources)]
        out = _resume(held.pop(), lexicon, stages)
    return out


def train_lexicon(
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]],
    *,
    src_lang: str,
    tgt_lang: str,
    config: AlignConfig | None = None,
    paragraphs: Sequence[tuple[Sequence[int], Sequence[int]]] = (),
    resources: Resources | None = None,
) -> Lexicon:
    """One translation lexicon learned from several document pairs of one language pair.

    Each pair (source sentences, target sentences) gets the first pass :func:`align` gives it;
    the beads of all of them train IBM Model 1 together
    (:func:`~aligner.features.lexicon.pooled_lexicon`), so a word met in one book is known in the
    others. Pass the result to :func:`align` as ``lexicon=`` for each pair. Deterministic: the
    same pairs in the same order give the same lexicon. ``paragraphs``: per pair, the paragraph
    indices of both sides (or none). ``resources``: as for :func:`align` (without it, one set
    for all the pairs, let go at the end).
    """
    cfg = _config(config)
    src_lang, tgt_lang = check_language(src_lang), check_language(tgt_lang)
    if paragraphs and len(paragraphs) != len(pairs):
        raise UsageError(f"paragraphs has {len(paragraphs)} entries for {len(pairs)} pairs")
    parts: list[tuple[Side, Side, list[tuple[int, int, int, int]], Table]] = []
    own = resources or Resources()
    for k, (src, tgt) in enumerate(pairs):
        src_t, tgt_t = _sentences(f"pairs[{k}][0]", src), _sentences(f"pairs[{k}][1]", tgt)
        if not src_t or not tgt_t:
            continue
        src_p, tgt_p = paragraphs[k] if paragraphs else ((), ())
        _check_paragraphs(src_t, tgt_t, src_p, tgt_p)
        prep = _prepare(src_t, tgt_t, src_lang, tgt_lang, src_p, tgt_p, cfg, own)
        _, steps, _ = _first_pass(prep, cfg, None)
        parts.append((prep.texts.src, prep.texts.tgt, _train_spans(steps), prep.dictionary))
    if resources is None:  # this call's: nothing outlives it (an error drops it too)
        own.close()
    return pooled_lexicon(parts, base_language(src_lang), base_language(tgt_lang))


def _structure_cuts(src: Document, tgt: Document) -> tuple[tuple[int, int], ...]:
    """Cut points where both documents' chapters and headings agree (none without them)."""
    if not (src.chapters or src.headings) or not (tgt.chapters or tgt.headings):
        return ()
    return match_structure(*(Structure(d.lengths, d.chapters, d.headings) for d in (src, tgt)))


def align_documents(
    src: Document,
    tgt: Document,
    *,
    config: AlignConfig | None = None,
    progress: Progress | None = None,
    lexicon: Lexicon | None = None,
    pins: Sequence[Bead] = (),
    resources: Resources | None = None,
) -> Alignment:
    """Align two segmented documents; their paragraphs act as soft anchors, and the chapters
    and headings both have (when their reader found any) bound the search (``lexicon``,
    ``pins`` and ``resources``: see :func:`align`). The alignment carries the original's
    chapters and headings for the writers that use them (the bilingual EPUB)."""
    for name, doc in (("src", src), ("tgt", tgt)):
        if not isinstance(doc, Document):
            raise UsageError(
                f"{name} must be a Document (aligner.segment() or aligner.read_document() "
                f"make one), not {type(doc).__name__}"
            )
    alignment = align(
        src.texts,
        tgt.texts,
        src_lang=src.lang,
        tgt_lang=tgt.lang,
        config=config,
        progress=progress,
        src_paragraphs=src.paragraph_of,
        tgt_paragraphs=tgt.paragraph_of,
        lexicon=lexicon,
        pins=pins,
        cuts=_structure_cuts(src, tgt),
        resources=resources,
    )
    return replace(alignment, src_chapters=src.chapters, src_headings=src.headings)


def align_texts(
    src_text: str,
    tgt_text: str,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    config: AlignConfig | None = None,
    progress: Progress | None = None,
    lexicon: Lexicon | None = None,
) -> Alignment:
    """Segment two raw texts into paragraphs and sentences, then align them.

    A language not given is detected (UsageError when the text reads as no language we can
    name).

    Raises:
        UsageError: a text that is not a string, an unknown language, a bad ``config``.
    """
    from aligner.segmentation.sentences import segment

    for name, text in (("src_text", src_text), ("tgt_text", tgt_text)):
        if not isinstance(text, str):
            raise UsageError(f"{name} must be one string, not {type(text).__name__}")
    return align_documents(
        segment(src_text, src_lang or detect_language(src_text).code),
        segment(tgt_text, tgt_lang or detect_language(tgt_text).code),
        config=config,
        progress=progress,
        lexicon=lexicon,
    )


def first_pass(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    config: AlignConfig | None = None,
    src_paragraphs: Sequence[int] = (),
    tgt_paragraphs: Sequence[int] = (),
    cuts: Sequence[tuple[int, int]] = (),
    resources: Resources | None = None,
) -> FirstPass:
    """The first pass :func:`align` gives a pair (with its ``cuts``, no pins), kept to learn
    from (:meth:`FirstPass.counts`) and to resume from (:func:`resume_alignment`), so that a
    corpus run reads and searches each pair once.

    Raises:
        UsageError: as :func:`align` for the same arguments.
    """
    cfg = _config(config)
    src_t, tgt_t = _sentences("src", src), _sentences("tgt", tgt)
    _check_paragraphs(src_t, tgt_t, src_paragraphs, tgt_paragraphs)
    langs = (check_language(src_lang), check_language(tgt_lang))
    paragraphs = (tuple(src_paragraphs), tuple(tgt_paragraphs))
    stages = Stages(None, STAGE_SHARES)
    return _first(src_t, tgt_t, *langs, *paragraphs, cfg, (), cuts, stages, resources)


def resume_alignment(
    first: FirstPass, *, lexicon: Lexicon | None = None, progress: Progress | None = None
) -> Alignment:
    """The alignment :func:`align` gives ``first``'s texts and cuts with ``lexicon``,
    continued from the first pass instead of repeating it (``progress`` counts from where the
    first pass ended)."""
    stages = Stages(progress, STAGE_SHARES)
    stages.finish("pass 1")
    return _resume(first, lexicon, stages)[0]


def structure_cuts(src: Document, tgt: Document) -> tuple[tuple[int, int], ...]:
    """The cuts :func:`align_documents` gives :func:`align` for two documents."""
    return _structure_cuts(src, tgt)
