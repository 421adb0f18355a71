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
(:mod:`aligner.scoring.confidence`). Pinned beads (a user's corrections) cut the texts into
gaps aligned one by one (:mod:`aligner.pinned`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.config import AlignConfig
from aligner.errors import UsageError
from aligner.features.anchors import find_anchors, guide_path
from aligner.features.dictionary import base_language, index_pairs, shipped
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
from aligner.pinned import align_around_pins, check_pins
from aligner.scoring.confidence import confidences
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


def _dictionaries(texts: Texts, src_lang: str, tgt_lang: str, cfg: AlignConfig) -> Table:
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
        table = table | index_table(shipped(src_lang, tgt_lang), texts.src, texts.tgt)
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
) -> tuple[Step, ...]:
    """The best path under ``model``, searched in ``band`` (None: the whole matrix)."""
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
    proportion to the sentence's mass (:meth:`~aligner.cost.Matches.coverage`), so that a
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


def _prepare(
    src: tuple[str, ...],
    tgt: tuple[str, ...],
    src_lang: str,
    tgt_lang: str,
    src_paragraphs: Sequence[int],
    tgt_paragraphs: Sequence[int],
    cfg: AlignConfig,
) -> _Prepared:
    """Tokenise (and, when a dictionary is used, lemmatise) both texts; build the tables."""
    lemmas = cfg.builtin_dictionary or bool(cfg.dictionary)
    texts = Texts.of(
        src,
        tgt,
        src_paragraphs,
        tgt_paragraphs,
        base_language(src_lang) if lemmas else None,
        base_language(tgt_lang) if lemmas else None,
    )
    spelling = spelling_table(texts.src, texts.tgt)
    if cfg.dictionary:
        spelling = spelling | dictionary_table(cfg.dictionary, texts.src, texts.tgt)
    # Anchors come from spellings alone: a dictionary pair is a translation, not a sure mark.
    anchors = _anchors(texts, spelling)
    dictionary = _dictionaries(texts, src_lang, tgt_lang, cfg)
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
        path = _run_pass(candidate, band, progress)
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
) -> tuple[Model, tuple[Step, ...]]:
    """The realignment rounds: each learns a lexicon from the previous path and searches again.

    The learned lexicon replaces the dictionaries, which enter it as prior evidence
    (:func:`~aligner.features.lexicon.learned_table`): a dictionary's common words translate into
    common words everywhere, and only the pairs the text bears out keep their weight. A corpus
    ``lexicon`` (:func:`train_lexicon`) stands in for the first round's. Either way each learned
    pair also reaches the other forms of its words' lemmas: the text's own lexicon is learned
    on lemmas, the corpus lexicon's word pairs are spread to them
    (:func:`~aligner.features.lexicon.lemma_spread`).
    """
    texts = prep.texts
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
        steps = _run_pass(model, band, progress, cache)
    return model, steps


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
            raise ValueError(f"{name} has {len(paras)} entries for {len(sents)} sentences")


def _language(lang: str | None, sentences: Sequence[str]) -> str:
    """The language given, else the one detected in the first sentences, else ``"und"``."""
    if lang is not None:
        return lang
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
) -> Alignment:
    """Align two lists of sentences; every sentence ends up in exactly one bead, in order.

    ``src_lang`` / ``tgt_lang`` label the result and choose the shipped dictionary; when not
    given they are detected from the sentences (``"und"``, ISO 639-2 for undetermined, when
    nothing can be told). ``src_paragraphs`` / ``tgt_paragraphs`` (a paragraph index per
    sentence, optional) make a bead that crosses a paragraph boundary on one side only cost
    more. ``progress(done, total)`` is called as the search advances (each pass counts again
    from zero). ``lexicon``: a lexicon learned from a whole corpus of the same language pair
    (:func:`train_lexicon`), used in place of the one this pair alone would teach. ``pins``
    are beads kept exactly as given (a user's corrections; UsageError if they overlap, cross
    or point outside the texts): the texts between them are aligned gap by gap. ``cuts``
    ``(i, j)`` say that source sentences before ``i`` go with target sentences before ``j``
    (chapters both texts have): the search runs between them (a cut that splits a pin is
    dropped).
    """
    cfg = config or AlignConfig()
    src_t, tgt_t = tuple(src), tuple(tgt)
    _check_paragraphs(src_t, tgt_t, src_paragraphs, tgt_paragraphs)
    s_lang, t_lang = _language(src_lang, src_t), _language(tgt_lang, tgt_t)
    result = _builder(src_t, tgt_t, s_lang, t_lang, src_paragraphs, tgt_paragraphs)
    if pins or cuts:
        check_pins(pins, len(src_t), len(tgt_t))

        def gap(src_ids: Sequence[int], tgt_ids: Sequence[int]) -> Sequence[Bead]:
            def pick(values: Sequence[int], ids: Sequence[int]) -> list[int]:
                return [values[k] for k in ids] if values else []

            return align(
                [src_t[k] for k in src_ids],
                [tgt_t[k] for k in tgt_ids],
                src_lang=s_lang,
                tgt_lang=t_lang,
                config=cfg,
                progress=progress,
                src_paragraphs=pick(src_paragraphs, src_ids),
                tgt_paragraphs=pick(tgt_paragraphs, tgt_ids),
                lexicon=lexicon,
            ).beads

        return result(align_around_pins(pins, len(src_t), len(tgt_t), gap, cuts))
    if not src_t or not tgt_t:
        beads = [Bead((i,), (), 1.0) for i in range(len(src_t))]
        beads += [Bead((), (j,), 1.0) for j in range(len(tgt_t))]
        return result(beads)
    prep = _prepare(src_t, tgt_t, s_lang, t_lang, src_paragraphs, tgt_paragraphs, cfg)
    model, steps, cfg = _first_pass(prep, cfg, progress)
    model, steps = _realign(prep, model, steps, cfg, progress, lexicon)
    if cfg.refine:
        steps = refine(model, steps, src_t, tgt_t, exclusive=cfg.exclusive_links)
    confidence = confidences(model, steps)
    beads = [
        Bead(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1)), float(c))
        for s, c in zip(steps, confidence, strict=True)
    ]
    return result(beads)


def train_lexicon(
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]],
    *,
    src_lang: str,
    tgt_lang: str,
    config: AlignConfig | None = None,
    paragraphs: Sequence[tuple[Sequence[int], Sequence[int]]] = (),
) -> Lexicon:
    """One translation lexicon learned from several document pairs of one language pair.

    Each pair (source sentences, target sentences) gets the first pass :func:`align` gives it;
    the beads of all of them train IBM Model 1 together
    (:func:`~aligner.features.lexicon.pooled_lexicon`), so a word met in one book is known in the
    others. Pass the result to :func:`align` as ``lexicon=`` for each pair. Deterministic: the
    same pairs in the same order give the same lexicon. ``paragraphs``: per pair, the paragraph
    indices of both sides (or none).
    """
    cfg = config or AlignConfig()
    if paragraphs and len(paragraphs) != len(pairs):
        raise ValueError(f"paragraphs has {len(paragraphs)} entries for {len(pairs)} pairs")
    parts: list[tuple[Side, Side, list[tuple[int, int, int, int]], Table]] = []
    for k, (src, tgt) in enumerate(pairs):
        src_t, tgt_t = tuple(src), tuple(tgt)
        if not src_t or not tgt_t:
            continue
        src_p, tgt_p = paragraphs[k] if paragraphs else ((), ())
        _check_paragraphs(src_t, tgt_t, src_p, tgt_p)
        prep = _prepare(src_t, tgt_t, src_lang, tgt_lang, src_p, tgt_p, cfg)
        _, steps, _ = _first_pass(prep, cfg, None)
        parts.append((prep.texts.src, prep.texts.tgt, _train_spans(steps), prep.dictionary))
    return pooled_lexicon(parts, base_language(src_lang), base_language(tgt_lang))


def _builder(
    src: tuple[str, ...],
    tgt: tuple[str, ...],
    src_lang: str,
    tgt_lang: str,
    src_paragraphs: Sequence[int],
    tgt_paragraphs: Sequence[int],
) -> Callable[[Sequence[Bead]], Alignment]:
    """An :class:`Alignment` builder over fixed texts, awaiting its beads."""

    def build(beads: Sequence[Bead]) -> Alignment:
        return Alignment(
            src=src,
            tgt=tgt,
            beads=tuple(beads),
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            src_paragraphs=tuple(src_paragraphs),
            tgt_paragraphs=tuple(tgt_paragraphs),
        )

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
) -> Alignment:
    """Align two segmented documents; their paragraphs act as soft anchors, and the chapters
    and headings both have (when their reader found any) bound the search (``lexicon`` and
    ``pins``: see :func:`align`)."""
    return align(
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
    )


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
    """
    from aligner.segmentation.sentences import segment

    return align_documents(
        segment(src_text, src_lang or detect_language(src_text).code),
        segment(tgt_text, tgt_lang or detect_language(tgt_text).code),
        config=config,
        progress=progress,
        lexicon=lexicon,
    )
