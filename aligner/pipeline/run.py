"""One alignment run: the texts prepared and searched by pass 1, then resumed into an Alignment.

:func:`_first` keeps what pass 1 gives as a :class:`FirstPass` (a corpus run learns from it and
resumes later); :func:`_resume` realigns, refines, gives each bead its confidence
(:mod:`aligner.scoring.confidence`; pinned beads keep theirs) and builds the :class:`Alignment`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from aligner.config import AlignConfig
from aligner.features.corpus_counts import PairCounts, pair_counts
from aligner.features.lexicon import Lexicon
from aligner.pinned import PIN_CONFIDENCE, Constraints, within_reach
from aligner.pipeline.passes import _first_pass, _realign, _train_spans
from aligner.pipeline.prepare import _prepare, _Prepared
from aligner.pipeline.release import release_join_index
from aligner.progress import Stages
from aligner.quality import alignment_warnings
from aligner.resources import Resources
from aligner.scoring.confidence import Evidence, calibrated, confidences, evidence
from aligner.scoring.cost import Model
from aligner.scoring.headings import Lines, length_price, merge_heading_blocks
from aligner.scoring.refine import Scorer, refine
from aligner.search import Step
from aligner.types import Alignment, Bead


def _first(
    src: tuple[str, ...],
    tgt: tuple[str, ...],
    src_lang: str,
    tgt_lang: str,
    src_paragraphs: tuple[int, ...],
    tgt_paragraphs: tuple[int, ...],
    cfg: AlignConfig,
    pins: tuple[Bead, ...],
    cuts: Sequence[tuple[int, int]],
    stages: Stages,
    resources: Resources | None = None,
) -> FirstPass:
    """The texts prepared once, with their pins and cuts, and searched by the first pass."""
    constraints = Constraints.of(pins, cuts, len(src), len(tgt)) if pins or cuts else None
    state = None
    if src and tgt:
        stages.start()
        # Without the caller's resources, a set of this call's own, let go once read.
        prep = _prepare(
            src, tgt, src_lang, tgt_lang, src_paragraphs, tgt_paragraphs, cfg, resources
        )
        prep = replace(prep, constraints=constraints)
        stages.finish("prepare")
        model, steps, decided = _first_pass(prep, cfg, stages.part("pass 1"))
        stages.finish("pass 1")
        state = (prep, model, steps, decided)
    texts = (src, tgt, src_lang, tgt_lang, src_paragraphs, tgt_paragraphs)
    return FirstPass(*texts, cfg, state, pins, constraints)


def _resume(
    first: FirstPass, lexicon: Lexicon | None, stages: Stages
) -> tuple[Alignment, Evidence | None]:
    """The realignment from ``first``, each bead's confidence, and the alignment built, with the
    evidence of the confidences when the path was free (no pins or cuts)."""
    settings = _settings(first.config, lexicon, first.pins)
    src, tgt, constraints = first.src, first.tgt, first.constraints
    result = _builder(
        src, tgt, first.src_lang, first.tgt_lang, first.src_paragraphs, first.tgt_paragraphs,
        settings,
    )  # fmt: skip
    if first.state is None:
        return result(_unpaired(len(src), len(tgt), constraints)), None
    prep, model, steps, cfg = first.state
    src_paragraphs, tgt_paragraphs = first.src_paragraphs, first.tgt_paragraphs
    # Nothing below reads ``first`` again: where the caller let go of it too, the first pass's
    # model and path go as soon as pass 2 has replaced them.
    del first
    model, steps, cache = _realign(prep, model, steps, cfg, stages.part("pass 2"), lexicon)
    if cfg.refine:
        fixed = _fixed_boundaries(steps, constraints)
        steps = refine(
            model,
            steps,
            src,
            tgt,
            fixed,
            exclusive=cfg.exclusive_links,
            cut_lengths=cfg.cut_lengths,
            nulls=cfg.null_options,
            marks=cfg.boundary_marks,
            uncrossed=cfg.uncrossed_splits,
            moved=cfg.moved_clauses,
            own_priors=cfg.own_priors,
            relative=cfg.relative_nulls,
        )
    if cfg.heading_blocks:
        steps = merge_heading_blocks(
            steps,
            Lines.of(src, src_paragraphs),
            Lines.of(tgt, tgt_paragraphs),
            cfg.shapes,
            length_price(model),
            Scorer(model, exclusive=False).cost,
            _fixed_boundaries(steps, constraints),
        )
    stages.finish("pass 2")
    ev = None
    if constraints is None:
        for side in (model.texts.src, model.texts.tgt):  # the last join was the refinement's
            release_join_index(side)
        ev = evidence(model, steps, cache, (src, tgt))
        beads = [
            Bead(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1)), float(c))
            for s, c in zip(steps, calibrated(ev), strict=True)
        ]
    else:
        beads = _pinned_beads(model, steps, constraints, (src, tgt))
    stages.finish("confidence")
    return result(beads), ev


def _unpaired(n_src: int, n_tgt: int, constraints: Constraints | None) -> list[Bead]:
    """Every sentence unaligned (one text is empty); the pins, one-sided here, kept whole."""
    lone = constraints.lone if constraints else ()
    marked = constraints.verified if constraints else frozenset()
    src = {
        r[0]: Bead(tuple(range(r[0], r[1])), (), 1.0, True, r in marked)
        for r in lone
        if r[1] > r[0]
    }
    tgt = {
        r[2]: Bead((), tuple(range(r[2], r[3])), 1.0, True, r in marked)
        for r in lone
        if r[3] > r[2]
    }
    beads: list[Bead] = []
    for n, pinned, side in ((n_src, src, 0), (n_tgt, tgt, 1)):
        k = 0
        while k < n:
            bead = pinned.get(k) or (Bead((k,), ()) if side == 0 else Bead((), (k,)))
            beads.append(bead)
            k += len(bead.src) + len(bead.tgt)
    return beads


def _pinned_beads(
    model: Model,
    steps: Sequence[Step],
    constraints: Constraints,
    sentences: tuple[Sequence[str], Sequence[str]] | None = None,
) -> list[Bead]:
    """The beads of a constrained path: the pins marked, with confidence
    :data:`~aligner.pinned.PIN_CONFIDENCE`; every other bead's confidence read on the whole
    path under the whole text's model, as without pins (a pin wider than the model's widest
    bead, which it cannot price, is left out of what the confidence model reads)."""
    read = [k for k, ok in enumerate(within_reach(model, steps)) if ok]
    confidence = np.full(len(steps), PIN_CONFIDENCE)
    if read:  # a text that is all wide pins leaves nothing for the model to read
        confidence[read] = confidences(model, [steps[k] for k in read], sentences)
    beads = []
    for s, c in zip(steps, confidence.tolist(), strict=True):
        pinned = constraints.pinned(s)
        src, tgt = tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1))
        verified = pinned and constraints.is_verified(s)
        beads.append(Bead(src, tgt, PIN_CONFIDENCE if pinned else float(c), pinned, verified))
    return beads


def _fixed_boundaries(
    steps: Sequence[Step], constraints: Constraints | None
) -> tuple[tuple[int, int], ...]:
    """The boundaries the refinement must keep: every cut, and both edges of every pin."""
    if constraints is None:
        return ()
    fixed = set(constraints.corners)
    for s in steps:
        if constraints.pinned(s):
            fixed |= {(s.i0, s.j0), (s.i1, s.j1)}
    return tuple(sorted(fixed))


def _settings(cfg: AlignConfig, lexicon: Lexicon | None, pins: Sequence[Bead]) -> str:
    """What made the beads, for the outputs' signature: the config's settings, a corpus
    lexicon, the number of pins."""
    items = [cfg.signature()]
    if lexicon is not None:
        items.append("lexicon:corpus")
    if pins:
        items.append(f"pins:{len(pins)}")
    return "|".join(items)


def _builder(
    src: tuple[str, ...],
    tgt: tuple[str, ...],
    src_lang: str,
    tgt_lang: str,
    src_paragraphs: Sequence[int],
    tgt_paragraphs: Sequence[int],
    settings: str = "",
) -> Callable[[Sequence[Bead]], Alignment]:
    """An :class:`Alignment` builder over fixed texts, awaiting its beads."""

    def build(beads: Sequence[Bead]) -> Alignment:
        alignment = Alignment(
            src=src,
            tgt=tgt,
            beads=tuple(beads),
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            src_paragraphs=tuple(src_paragraphs),
            tgt_paragraphs=tuple(tgt_paragraphs),
            settings=settings,
        )
        return replace(alignment, warnings=tuple(alignment_warnings(alignment)))

    return build


@dataclass(frozen=True)
class FirstPass:
    """One pair's first pass, kept so that its alignment resumes from it: the texts, their
    features and tables, the pass's model and path, and the config with ``many_to_many``
    decided. ``state`` is None when a side is empty (nothing to learn; :func:`resume_alignment`
    aligns it as :func:`align` does). Picklable, so that a corpus run can keep it on disk
    between learning the corpus lexicon and aligning with it.
    """

    src: tuple[str, ...]
    tgt: tuple[str, ...]
    src_lang: str
    tgt_lang: str
    src_paragraphs: tuple[int, ...]
    tgt_paragraphs: tuple[int, ...]
    config: AlignConfig
    state: tuple[_Prepared, Model, tuple[Step, ...], AlignConfig] | None
    pins: tuple[Bead, ...] = ()
    constraints: Constraints | None = None

    def counts(self) -> PairCounts:
        """What this pass teaches a corpus lexicon (:func:`combine_counts` pools them exactly
        as :func:`train_lexicon` pools the same pairs)."""
        if self.state is None:
            return PairCounts.empty()
        prep, _, steps, _ = self.state
        return pair_counts(prep.texts.src, prep.texts.tgt, _train_spans(steps), prep.dictionary)
