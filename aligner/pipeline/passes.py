"""The passes: pass 1, the lexicon and the chance levels its beads teach, pass 2 with all of it.

Pass 1 scores beads with the cost model of :mod:`aligner.scoring.cost`, using identical keys
(numbers, names, punctuation), rapidfuzz cognates and the bilingual dictionaries shipped for the
language pair (:mod:`aligner.features.dictionary`, matched by form or lemma). Its beads train a
translation lexicon (IBM Model 1 both ways, :mod:`aligner.features.lexicon`, the dictionaries
entering as prior evidence), re-estimate the length ratio and bead priors, and measure each
sentence's local chance level (what it matches in sentences near its partner: repeated passages
match everywhere) and the coverage baseline; pass 2 realigns with all of it (Moore 2002;
hunalign's realign). When one text stops early the ratio of the totals is wrong: the ratio up
to the last rare-key anchor is tried too, and the pass-1 path whose 1-1 beads reproduce its own
ratio is kept. Large inputs are searched in a band around a guide through the anchors, pass 2
in a narrower band around pass 1's path. Pinned beads (a user's corrections) and the cuts where
both documents' chapters and headings agree constrain the passes' searches over the whole text
(:mod:`aligner.pinned`): the texts are prepared, and every model estimated, once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.band import Band, SentenceBand
from aligner.config import AlignConfig
from aligner.features.length import LengthModel
from aligner.features.lexicon import Lexicon, learned_table, lemma_spread
from aligner.features.turns import bead_starts, turn_costs
from aligner.pinned import Constraints, constrained_search
from aligner.pipeline.prepare import _Prepared
from aligner.scoring.cost import MatchCache, Matches, Model, Texts, factory, path_band
from aligner.search import Step, search
from aligner.types import Progress, Shape

#: Relative difference between the length ratio of the totals and that measured up to the last
#: anchor from which both are tried (see ``_length_candidates``).
RATIO_DISAGREEMENT = 0.15
#: Widest side of the first pass's beads that train the lexicon: wider beads pair too many
#: words with each other to teach which translates which (IBM Model 1 spreads its mass).
TRAINING_BEAD_MAX = 2
#: Fewest 1-1 beads from which a median coverage is a baseline rather than noise.
MIN_BASELINE_BEADS = 5
#: Distances from a sentence's partner at which its background match level is measured: near
#: enough to share the passage's topic, past the neighbours a 2-2 bead may hold; wider or
#: shifted sets moved strict F1 by noise only (``benchmarks/RESULTS.md``, "The engine's
#: settings, as measured").
BACKGROUND_OFFSETS = (2, 3, 4)
#: Share of the shorter text's sentences a first pass must pair one to one before the texts
#: count as unit-parallel (our choice): far above what prose reaches and just below what
#: verse-numbered texts do (both measured in ``benchmarks/RESULTS.md``, "The engine's settings,
#: as measured").
PARALLEL_UNITS_SHARE = 0.95
#: Share of the typical 1-1 coverage a sentence must reach before it earns a lexical bonus
#: (our choice; see ``_baseline``): half, the middle of a range that measured alike
#: (``benchmarks/RESULTS.md``, "The engine's settings, as measured").
BASELINE_FRACTION = 0.5
#: Widest side of a first-pass bead (``max_bead`` capped to it). The first pass trains the
#: lexicon on beads of at most :data:`TRAINING_BEAD_MAX` a side and counts the shapes' priors,
#: so its widest beads teach nothing and cost time (measured in ``benchmarks/RESULTS.md``,
#: "The engine's settings, as measured").
FIRST_PASS_MAX_BEAD = 4


def _searched_whole(texts: Texts, cfg: AlignConfig) -> bool:
    """True when the texts are small enough to search the whole matrix, in every pass."""
    return texts.src.n * texts.tgt.n <= cfg.full_search_cells


def _first_band(texts: Texts, guide: FloatArray, cfg: AlignConfig) -> Band | None:
    """None (the whole matrix) for small inputs, else a band around the anchors' guide."""
    if _searched_whole(texts, cfg):
        return None
    return Band.around(guide, texts.tgt.n, cfg.band_width)


def _length_candidates(texts: Texts, anchors: Sequence[tuple[int, int]]) -> list[LengthModel]:
    """Gale–Church parameters from the totals, and from the texts up to the last anchor.

    The ratio of the totals is wrong when one text stops early or lacks long passages; the
    characters up to the last anchor on each side then give a better one. Both are returned
    when they differ by more than :data:`RATIO_DISAGREEMENT`, and the first pass keeps the one
    whose best path is the more likely.
    """
    totals = LengthModel.estimate(texts.src.lengths, texts.tgt.lengths)
    if not anchors:
        return [totals]
    i, j = anchors[-1]
    anchored = LengthModel.estimate(texts.src.lengths[: i + 1], texts.tgt.lengths[: j + 1])
    if abs(math.log(anchored.ratio / totals.ratio)) < math.log(1 + RATIO_DISAGREEMENT):
        return [totals]
    return [totals, anchored]


def _run_pass(
    model: Model,
    band: Band | None,
    progress: Progress | None,
    cache: MatchCache | None = None,
    constraints: Constraints | None = None,
) -> tuple[Step, ...]:
    """The best path under ``model``, searched in ``band`` (None: the whole matrix), through
    the pins and cuts of ``constraints`` when there are any."""
    if constraints is not None:
        return constrained_search(model, band, constraints, progress, cache)
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    cost = factory(model, cache)
    return search(n_src, n_tgt, model.config.shapes, cost, band=band, progress=progress)


def _inconsistency(model: Model, steps: Sequence[Step]) -> float:
    """How far the length ratio of a path's 1-1 beads is from the ratio the path assumed.

    Costs under different ratios are not comparable likelihoods (the variance scales with the
    ratio), but a right ratio reproduces itself: the path it yields has 1-1 beads of that
    ratio. Infinite when the path has too few 1-1 beads to tell.
    """
    refit = _refit(model.length, model.texts, steps)
    if refit.ratio == model.length.ratio:
        return math.inf
    return abs(math.log(refit.ratio / model.length.ratio))


def _refit(length: LengthModel, texts: Texts, steps: Sequence[Step]) -> LengthModel:
    """The length model with priors and ratio re-estimated from a pass's beads."""
    counts: dict[Shape, int] = {}
    for s in steps:
        counts[s.shape] = counts.get(s.shape, 0) + 1
    ends = np.array([(s.i1, s.j1) for s in steps if s.shape == (1, 1)], np.int64).reshape(-1, 2)
    l1 = texts.src_len[ends[:, 0]] - texts.src_len[ends[:, 0] - 1]
    l2 = texts.tgt_len[ends[:, 1]] - texts.tgt_len[ends[:, 1] - 1]
    return length.refit(counts, l1, l2)


def _parallel_units(steps: Sequence[Step], n_src: int, n_tgt: int) -> bool:
    """True when a pass paired at least :data:`PARALLEL_UNITS_SHARE` of the shorter text's
    sentences one to one: units numbered in parallel, as Bible verses, subtitles or a corpus
    kept line by line (the other text may have more: a missing passage, a longer book).

    Such units are the translation's own: where two verses are cut at different places the
    reference (and the reader who looks a verse up) still pairs verse with verse, so the next
    pass does not join them into a 2-2 bead. Prose pairs a fifth or more of its sentences
    otherwise, and keeps every shape.
    """
    ones = sum(1 for s in steps if s.shape == (1, 1))
    return ones >= PARALLEL_UNITS_SHARE * min(n_src, n_tgt)


def _train_spans(steps: Sequence[Step]) -> list[tuple[int, int, int, int]]:
    """Beads of a pass that train the lexicon: both sides non-empty, at most 2 × 2."""
    return [
        (s.i0, s.i1, s.j0, s.j1)
        for s in steps
        if 1 <= s.i1 - s.i0 <= TRAINING_BEAD_MAX and 1 <= s.j1 - s.j0 <= TRAINING_BEAD_MAX
    ]


def _partners(steps: Sequence[Step], n_src: int, n_tgt: int) -> tuple[IntArray, IntArray]:
    """Each source sentence's first partner on the path, and each target sentence's.

    An unaligned sentence takes the column (or row) where its bead sits.
    """
    src_p = np.zeros(n_src, np.int64)
    tgt_p = np.zeros(n_tgt, np.int64)
    for s in steps:
        src_p[s.i0 : s.i1] = min(s.j0, max(n_tgt - 1, 0))
        tgt_p[s.j0 : s.j1] = min(s.i0, max(n_src - 1, 0))
    return src_p, tgt_p


def _local_chance(
    model: Model, steps: Sequence[Step], matches: Matches
) -> tuple[FloatArray, FloatArray]:
    """Chance-matched mass per sentence, raised to what its near non-partners match.

    Words cluster by topic (a list of offerings repeats "offering" in every verse), so the
    global chance estimate is too low where a passage repeats itself. The mean matched mass of
    a sentence against the sentences :data:`BACKGROUND_OFFSETS` away from its partner on the
    previous path measures the local level; the larger of the two is used.
    """
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    src_p, tgt_p = _partners(steps, n_src, n_tgt)
    src_bg = _background(matches.band, matches.src[0], src_p, n_tgt)
    tgt_bg = _background(matches.band_t, matches.tgt[0], tgt_p, n_src)
    return (
        np.maximum(model.src_chance, _widened(src_bg, model.texts.src.mass, len(model.src_chance))),
        np.maximum(model.tgt_chance, _widened(tgt_bg, model.texts.tgt.mass, len(model.tgt_chance))),
    )


def _background(
    band: SentenceBand, matched: npt.NDArray[np.float32], partner: IntArray, n_other: int
) -> FloatArray:
    """One side's mean matched mass per sentence against the other side's sentences
    :data:`BACKGROUND_OFFSETS` away from its ``partner`` (cells of ``band`` only)."""
    rows = np.arange(partner.size, dtype=np.int64)
    level = np.zeros(partner.size, np.float64)
    count = np.zeros(partner.size, np.float64)
    for off in (*BACKGROUND_OFFSETS, *(-o for o in BACKGROUND_OFFSETS)):
        c = partner + off
        ok = (c >= 0) & (c < n_other)
        cell, inside = band.flat(rows[ok], c[ok])
        level[ok] += np.where(inside, matched[cell], 0.0)
        count[ok] += inside
    level /= np.maximum(count, 1.0)
    return level


def _widened(level: FloatArray, mass: FloatArray, widths: int) -> FloatArray:
    """A chance level measured against one sentence, for runs of 1 to ``widths`` sentences:
    the share ``f`` of the mass matched in one becomes ``1 - (1 - f) ** w`` in ``w``."""
    share = np.clip(level / np.maximum(mass, 1e-9), 0.0, 1.0)
    w = np.arange(1, widths + 1, dtype=np.float64)[:, None]
    return np.asarray(mass * (1.0 - (1.0 - share) ** w), np.float64)


def _baseline(model: Model, steps: Sequence[Step], matches: Matches) -> float:
    """The share of its mass a sentence must match to earn a bonus in the next pass.

    :data:`BASELINE_FRACTION` of the median per-sentence coverage of this pass's 1-1 beads:
    a sentence merged into a bead without matching anything then costs about as much as
    leaving it unaligned, instead of riding free on its neighbour's evidence. It is charged in
    proportion to the sentence's mass (:meth:`~aligner.scoring.cost.Matches.coverage`), so that a
    short sentence, weak evidence either way, pays less.
    """
    ones = [s for s in steps if s.shape == (1, 1)]
    if len(ones) < MIN_BASELINE_BEADS:
        return 0.0
    i = np.array([s.i1 for s in ones], np.int64)
    j = np.array([s.j1 for s in ones], np.int64)
    raw = replace(model, baseline=0.0)
    per_sentence = matches.coverage(raw, i, j, 1, 1) / 2
    return BASELINE_FRACTION * max(float(np.median(per_sentence)), 0.0)


def _first_pass_config(cfg: AlignConfig) -> AlignConfig:
    """``cfg`` with ``max_bead`` capped to :data:`FIRST_PASS_MAX_BEAD`."""
    return replace(cfg, max_bead=min(cfg.max_bead, FIRST_PASS_MAX_BEAD))


def _first_pass(
    prep: _Prepared, cfg: AlignConfig, progress: Progress | None
) -> tuple[Model, tuple[Step, ...], AlignConfig]:
    """The first pass's model and path, and the config with ``many_to_many`` decided.

    Its table holds the dictionaries directly: no lexicon has been learned yet, and on a short
    text they are most of the evidence. Its beads have at most :data:`FIRST_PASS_MAX_BEAD`
    sentences a side.
    """
    texts = prep.texts
    band = _first_band(texts, prep.guide, cfg)
    candidates = []
    narrow = _first_pass_config(cfg)
    for length in _length_candidates(texts, prep.anchors):
        candidate = Model.of(texts, length, prep.spelling | prep.dictionary, narrow)
        path = _run_pass(candidate, band, progress, constraints=prep.constraints)
        candidates.append((_inconsistency(candidate, path), candidate, path))
    # The first candidate (ratio of the totals) wins ties.
    _, model, steps = min(candidates, key=lambda c: c[0])
    if cfg.many_to_many is None:
        cfg = replace(cfg, many_to_many=not _parallel_units(steps, texts.src.n, texts.tgt.n))
    return model, steps, cfg


def _realign(
    prep: _Prepared,
    model: Model,
    steps: tuple[Step, ...],
    cfg: AlignConfig,
    progress: Progress | None,
    lexicon: Lexicon | None,
) -> tuple[Model, tuple[Step, ...], MatchCache | None]:
    """The realignment rounds: each learns a lexicon from the previous path and searches again.

    The learned lexicon replaces the dictionaries, which enter it as prior evidence
    (:func:`~aligner.features.lexicon.learned_table`): a dictionary's common words translate into
    common words everywhere, and only the pairs the text bears out keep their weight. A corpus
    ``lexicon`` (:func:`train_lexicon`) stands in for the first round's. Either way each learned
    pair also reaches the other forms of its words' lemmas: the text's own lexicon is learned
    on lemmas, the corpus lexicon's word pairs are spread to them
    (:func:`~aligner.features.lexicon.lemma_spread`).

    Also returns the last round's matches (``None`` without a round), which the confidences
    read again under the same table.
    """
    texts = prep.texts
    cache = None
    for round_ in range(cfg.lexicon_rounds):
        if lexicon is not None and round_ == 0:
            # Learned on word forms across the corpus: each pair reaches its lemmas' forms.
            learned = lemma_spread(lexicon.table(texts.src, texts.tgt), texts.src, texts.tgt)
        else:
            # Learned on lemmas where the texts have them: it covers their forms already.
            learned = learned_table(
                texts.src, texts.tgt, _train_spans(steps), prior=prep.dictionary
            )
        model = Model.of(texts, _refit(model.length, texts, steps), prep.spelling | learned, cfg)
        cache = MatchCache(model)
        band = (
            None
            if _searched_whole(texts, cfg)
            else path_band(steps, texts.src.n, texts.tgt.n, cfg.realign_band_width)
        )
        # One set of matches around the previous path serves both estimates below (they read
        # cells within max(BACKGROUND_OFFSETS) of it) and, on a book, the next pass's band.
        near = path_band(steps, texts.src.n, texts.tgt.n, max(BACKGROUND_OFFSETS) + 2)
        matches = cache(near if band is None else band)
        src_chance, tgt_chance = _local_chance(model, steps, matches)
        model = replace(model, src_chance=src_chance, tgt_chance=tgt_chance)
        model = replace(model, baseline=_baseline(model, steps, matches))
        if cfg.turn_weight and texts.src_open is not None and texts.tgt_open is not None:
            starts = bead_starts([(s.i0, s.i1, s.j0, s.j1) for s in steps])
            model = replace(model, turns=turn_costs(texts.src_open, texts.tgt_open, starts))
        steps = _run_pass(model, band, progress, cache, prep.constraints)
    return model, steps, cache
