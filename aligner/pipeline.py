"""Sentence alignment: the passes that learn a lexicon, and the public API.

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
in a narrower band around pass 1's path. Each bead of the final path gets a confidence
(:mod:`aligner.scoring.confidence`). Pinned beads (a user's corrections) and the cuts where both
documents' chapters and headings agree constrain the passes' searches over the whole text
(:mod:`aligner.pinned`): the texts are prepared, and every model estimated, once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.collector import collection_paused
from aligner.config import AlignConfig
from aligner.errors import UsageError
from aligner.features.anchors import find_anchors, guide_path
from aligner.features.corpus_counts import PairCounts, pair_counts
from aligner.features.dictionary import base_language, index_pairs
from aligner.features.length import LengthModel
from aligner.features.lexicon import (
    Lexicon,
    Table,
    dictionary_table,
    index_table,
    learned_table,
    lemma_spread,
    pooled_lexicon,
    spelling_table,
)
from aligner.features.repeats import guide_partners, repeat_table
from aligner.features.structure import Structure, match_structure
from aligner.features.tokens import Side
from aligner.features.turns import bead_starts, turn_costs
from aligner.pinned import PIN_CONFIDENCE, Constraints, constrained_search, within_reach
from aligner.progress import Stages
from aligner.quality import alignment_warnings
from aligner.resources import Resources
from aligner.scoring.confidence import Evidence, calibrated, confidences, evidence
from aligner.scoring.cost import (
    MatchCache,
    Matches,
    Model,
    Texts,
    factory,
    path_band,
)
from aligner.scoring.refine import refine
from aligner.search import Band, Step, search
from aligner.segmentation.detect import detect_language
from aligner.segmentation.sentences import check_language
from aligner.types import Alignment, Bead, Document, Progress, Shape

__all__ = [
    "AlignConfig",
    "Lexicon",
    "align",
    "align_documents",
    "align_texts",
    "train_lexicon",
]

#: Relative difference between the length ratio of the totals and that measured up to the last
#: anchor from which both are tried (see ``_length_candidates``).
RATIO_DISAGREEMENT = 0.15
#: A key anchors two sentences when it occurs in at most this many sentences of each text:
#: rarer keys make a coincidental match unlikely, and a key found twice still pins a pair.
ANCHOR_MAX_SENTENCES = 2
#: Widest side of the first pass's beads that train the lexicon: wider beads pair too many
#: words with each other to teach which translates which (IBM Model 1 spreads its mass).
TRAINING_BEAD_MAX = 2
#: Fewest 1-1 beads from which a median coverage is a baseline rather than noise.
MIN_BASELINE_BEADS = 5
#: Sentences read to detect a language that was not given (enough for a stable answer).
DETECT_SENTENCES = 200
#: ISO 639-2's code for an undetermined language: the label when detection cannot tell.
UNDETERMINED = "und"
#: Distances from a sentence's partner at which its background match level is measured.
#: Strict F1 Text+Berg / TransRead against 0.916 / 0.940: (2..6) 0.923 / 0.940 but TransRead
#: without dictionaries 0.930 against 0.933, (2..5) 0.912 / 0.940, (3..6) 0.915 / 0.942,
#: (2..10) 0.919 / 0.940: noise of a few beads, no better on both.
BACKGROUND_OFFSETS = (2, 3, 4)
#: Share of the shorter text's sentences a first pass must pair one to one before the texts
#: count as unit-parallel (our choice): verse-numbered Bibles measure 0.997-0.999 here, the
#: dev novels and essays 0.52-0.81.
PARALLEL_UNITS_SHARE = 0.95
#: Share of the typical 1-1 coverage a sentence must reach before it earns a lexical bonus
#: (our choice; see ``_baseline``). Strict F1 Text+Berg / TransRead: max_bead 4, 0.904 / 0.937
#: against 0.903 / 0.936 for 0.35, 0.900 / 0.936 for 0.65, 0.900 / 0.935 for 0.8; max_bead 5,
#: 0.916 / 0.940 against 0.916 / 0.940 for 0.45 and 0.916 / 0.939 for 0.55.
BASELINE_FRACTION = 0.5
#: Shares of an alignment's time its stages take, for a progress count that moves at a steady
#: pace (measured on the Old Testament fr-en, ``benchmarks/RESULTS.md``, round four).
STAGE_SHARES = (("prepare", 0.32), ("pass 1", 0.26), ("pass 2", 0.32), ("confidence", 0.11))
#: Widest side of a first-pass bead (``max_bead`` capped to it). The first pass trains the
#: lexicon on beads of at most :data:`TRAINING_BEAD_MAX` a side and counts the shapes' priors,
#: so its widest beads teach nothing and cost time: with max_bead 5 in both passes, strict F1
#: Text+Berg / TransRead 0.912 / 0.940 against 0.916 / 0.940 with 4 here, and the Bible fr-en
#: (23,145 verses, ``benchmarks/speed.py``, medians of 3) 7.8 s CPU against 6.9 s (6.5 s with
#: max_bead 4 in both passes).
FIRST_PASS_MAX_BEAD = 4


def _anchor_keys(side: Side, shared: npt.NDArray[np.bool_]) -> list[list[int]]:
    """Per sentence, its rare tokens that also occur (spelled alike) in the other text."""
    keep = shared[side.occ_tok] & (side.df[side.occ_tok] <= ANCHOR_MAX_SENTENCES)
    out: list[list[int]] = [[] for _ in range(side.n)]
    for i, t in zip(side.occ_sent[keep].tolist(), side.occ_tok[keep].tolist(), strict=True):
        out[i].append(t)
    return out


def _anchors(texts: Texts, spelling: Table) -> list[tuple[int, int]]:
    """Sentence pairs sharing a rare, identically spelled key, as one monotone chain."""
    exact = spelling.val >= 1.0
    s_tok, t_tok = spelling.src[exact], spelling.tgt[exact]
    s_shared = np.zeros(len(texts.src.vocab), np.bool_)
    t_shared = np.zeros(len(texts.tgt.vocab), np.bool_)
    s_shared[s_tok] = True
    t_shared[t_tok] = True
    # Keys must be equal across sides: map the target token to its source twin's id.
    t_to_s = np.full(len(texts.tgt.vocab), -1, np.int64)
    t_to_s[t_tok] = s_tok
    src_keys = _anchor_keys(texts.src, s_shared)
    tgt_keys = [[int(t_to_s[t]) for t in ks] for ks in _anchor_keys(texts.tgt, t_shared)]
    return find_anchors(src_keys, tgt_keys)


def _dictionaries(
    texts: Texts, src_lang: str, tgt_lang: str, cfg: AlignConfig, resources: Resources
) -> Table:
    """Translations from the shipped dictionary of the pair and the user's, by form or lemma.

    Every pair counts fully. Weighting the shipped pairs by how specific they are in the texts
    (``1 / sqrt(n_s * n_t)``, n the translations a lemma has among the other text's lemmas) was
    measured and left out: strict F1 Text+Berg 0.927 either way and TransRead 0.947 against
    0.946 without (``benchmarks/accuracy.py``), but with the target cut after 30 % of its gold
    beads 9 of 25 dev documents came out aligned wholly wrong against 6 without, and after 50 %
    2 against none (``devsets.partial``): the weaker first pass loses partial translations.
    """
    table = Table.empty()
    if cfg.builtin_dictionary:
        shipped = resources.dictionary(src_lang, tgt_lang)
        table = table | index_table(shipped, texts.src, texts.tgt)
    if cfg.dictionary:
        table = table | index_table(index_pairs(cfg.dictionary), texts.src, texts.tgt)
    return table


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
    src_bg = np.zeros(n_src, np.float64)
    tgt_bg = np.zeros(n_tgt, np.float64)
    src_n = np.zeros(n_src, np.float64)
    tgt_n = np.zeros(n_tgt, np.float64)
    rows, cols = np.arange(n_src, dtype=np.int64), np.arange(n_tgt, dtype=np.int64)
    for off in (*BACKGROUND_OFFSETS, *(-o for o in BACKGROUND_OFFSETS)):
        c = src_p + off
        ok = (c >= 0) & (c < n_tgt)
        cell, inside = matches.band.flat(rows[ok], c[ok])
        got = np.where(inside, matches.src[0, cell], 0.0)
        src_bg[ok] += got
        src_n[ok] += inside
        r = tgt_p + off
        ok = (r >= 0) & (r < n_src)
        cell, inside = matches.band_t.flat(cols[ok], r[ok])
        got = np.where(inside, matches.tgt[0, cell], 0.0)
        tgt_bg[ok] += got
        tgt_n[ok] += inside
    src_bg /= np.maximum(src_n, 1.0)
    tgt_bg /= np.maximum(tgt_n, 1.0)
    return (
        np.maximum(model.src_chance, _widened(src_bg, model.texts.src.mass, len(model.src_chance))),
        np.maximum(model.tgt_chance, _widened(tgt_bg, model.texts.tgt.mass, len(model.tgt_chance))),
    )


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


@dataclass(frozen=True)
class _Prepared:
    """Two texts' features and the tables that do not depend on a pass."""

    texts: Texts
    spelling: Table  # identity, cognates, and the user's dictionary as given
    dictionary: Table  # shipped and user dictionaries, matched by form or lemma
    anchors: list[tuple[int, int]]
    guide: FloatArray  # the path through the anchors (features.anchors.guide_path)
    constraints: Constraints | None = None  # pins and cuts every pass's path keeps to


def _prepare(
    src: tuple[str, ...],
    tgt: tuple[str, ...],
    src_lang: str,
    tgt_lang: str,
    src_paragraphs: Sequence[int],
    tgt_paragraphs: Sequence[int],
    cfg: AlignConfig,
    resources: Resources | None = None,
    release_lemmas: bool = False,
) -> _Prepared:
    """Tokenise (and, when a dictionary is used, lemmatise) both texts; build the tables.

    With ``release_lemmas`` the lemma tables are let go as soon as both texts are lemmatised,
    before the tables below are built (the Russian one is some 130 MB). Without
    ``resources``, a set of this call's own, let go that way.
    """
    if resources is None:
        resources, release_lemmas = Resources(), True
    lemmas = cfg.builtin_dictionary or bool(cfg.dictionary)
    texts = Texts.of(
        src,
        tgt,
        src_paragraphs,
        tgt_paragraphs,
        base_language(src_lang) if lemmas else None,
        base_language(tgt_lang) if lemmas else None,
        resources.lemma_tables,
    )
    if release_lemmas:
        resources.release_lemmas()
    spelling = spelling_table(texts.src, texts.tgt)
    if cfg.dictionary:
        spelling = spelling | dictionary_table(cfg.dictionary, texts.src, texts.tgt)
    # Anchors come from spellings alone: a dictionary pair is a translation, not a sure mark.
    anchors = _anchors(texts, spelling)
    dictionary = _dictionaries(texts, src_lang, tgt_lang, cfg, resources)
    # Words recurring where the anchors' guide puts them together (Fung & Church's K-vec).
    guide = guide_path(texts.src.n, texts.tgt.n, anchors)
    dictionary = dictionary | repeat_table(
        texts.src, texts.tgt, *guide_partners(guide, texts.tgt.n)
    )
    return _Prepared(texts, spelling, dictionary, anchors, guide)


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
        first = _first(*texts, cfg, tuple(pins), cuts, stages, resources)
        return _resume(first, lexicon, stages)


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
    texts = (first.src, first.tgt, first.src_lang, first.tgt_lang)
    result = _builder(*texts, first.src_paragraphs, first.tgt_paragraphs, settings)
    if first.state is None:
        return result(_unpaired(len(first.src), len(first.tgt), first.constraints)), None
    prep, model, steps, cfg = first.state
    model, steps, cache = _realign(prep, model, steps, cfg, stages.part("pass 2"), lexicon)
    if cfg.refine:
        fixed = _fixed_boundaries(steps, first.constraints)
        steps = refine(model, steps, first.src, first.tgt, fixed, exclusive=cfg.exclusive_links)
    stages.finish("pass 2")
    ev = None
    if first.constraints is None:
        ev = evidence(model, steps, cache)
        beads = [
            Bead(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1)), float(c))
            for s, c in zip(steps, calibrated(ev), strict=True)
        ]
    else:
        beads = _pinned_beads(model, steps, first.constraints)
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


def _pinned_beads(model: Model, steps: Sequence[Step], constraints: Constraints) -> list[Bead]:
    """The beads of a constrained path: the pins marked, with confidence
    :data:`~aligner.pinned.PIN_CONFIDENCE`; every other bead's confidence read on the whole
    path under the whole text's model, as without pins (a pin wider than the model's widest
    bead, which it cannot price, is left out of what the confidence model reads)."""
    read = [k for k, ok in enumerate(within_reach(model, steps)) if ok]
    confidence = np.full(len(steps), PIN_CONFIDENCE)
    if read:  # a text that is all wide pins leaves nothing for the model to read
        confidence[read] = confidences(model, [steps[k] for k in read])
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


# --- a pair's first pass on its own, for a corpus lexicon ------------------------------------


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
