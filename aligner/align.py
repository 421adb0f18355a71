"""Sentence alignment: the bead cost model, the passes that learn a lexicon, and confidence.

The cost of a bead pairing source sentences ``src[i-a:i]`` with target ``tgt[j-b:j]`` is

* the Gale–Church length cost (:mod:`aligner.length`), with the character ratio and the
  bead-type priors estimated from the two texts;
* minus a lexical bonus ``lexical_weight / 2 * sum of the coverages of the bead's sentences``.
  A sentence's coverage is its rarity-weighted token mass (:mod:`aligner.lexical`) that finds a
  translation among the other side's sentences of the bead (each token counted once), less what
  chance would give with that many sentences there, less a baseline, over its own mass plus a
  pseudo-mass. Per sentence, so a sentence merged into a bead without matching anything earns
  nothing and pays the baseline, and a real 1-2 bead split in two leaves a sentence uncovered;
* plus ``paragraph_penalty`` when the bead crosses a paragraph boundary on one side only.

Pass 1 uses identical keys (numbers, names, punctuation) and rapidfuzz cognates. Its beads
train a translation lexicon (IBM Model 1 both ways, :mod:`aligner.lexicon`), re-estimate the
length ratio and bead priors, and measure each sentence's local chance level (what it matches
in sentences near its partner: repeated passages match everywhere) and the coverage baseline;
pass 2 realigns with all of it (Moore 2002; hunalign's realign). When one text stops early the
ratio of the totals is wrong: the ratio up to the last rare-key anchor is tried too, and the
pass-1 path whose 1-1 beads reproduce its own ratio is kept. Large inputs are searched in a
band around a guide through the anchors, pass 2 in a narrower band around pass 1's path.

Confidence of a bead is ``sigmoid(margin / CONFIDENCE_TEMPERATURE)``, the margin being how much
cheaper the bead is than its best local alternative: the same sentences left unaligned, the
bead shifted by one sentence on either side, or, for an insertion or deletion, the sentence
joined to the neighbouring bead. Near 0.5 the model barely preferred the bead over another
reading (check it); near 1 every local alternative is much worse. On the dev sets 60 % of the
beads under 0.5 and 95 % of those from 0.8 to 0.95 are exactly right.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from aligner.anchors import find_anchors, guide_path
from aligner.length import LengthModel
from aligner.lexical import SentenceBand, Side, build_side, chance_mass, window_matches
from aligner.lexicon import Table, dictionary_table, learned_table, read_dictionary, spelling_table
from aligner.model import Alignment, Bead, Document
from aligner.search import Band, CostFunction, Shape, Step, search

__all__ = ["AlignConfig", "align", "align_documents", "align_texts", "read_dictionary"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]

#: Pseudo-mass added to a sentence's token mass before dividing by it, as a fraction of the
#: mean sentence mass: a three-word sentence whose one rare word matches is weaker evidence
#: than a long sentence that is matched throughout.
PSEUDO_MASS = 0.25
#: Margins are divided by this before the sigmoid: fitted by log-loss of "bead exactly right"
#: on the dev sets (Text+Berg, TransRead), where it beat 1, 2, 6 and 8. Costs include the
#: lexical weight, so raw margins overstate the odds.
CONFIDENCE_TEMPERATURE = 4.0
#: Relative difference between the length ratio of the totals and that measured up to the last
#: anchor from which both are tried (see ``_length_candidates``).
RATIO_DISAGREEMENT = 0.15
#: Distances from a sentence's partner at which its background match level is measured.
BACKGROUND_OFFSETS = (2, 3, 4)
#: Share of the typical 1-1 coverage a sentence must reach before it earns a lexical bonus
#: (our choice; see ``_baseline``).
BASELINE_FRACTION = 0.5


@dataclass(frozen=True)
class AlignConfig:
    """Settings of :func:`align`; the defaults are what the benchmarks report.

    ``max_bead``: widest side of a bead (4 gives 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-4,
    4-1, 2-3, 3-2; gold sets have such beads, and 4 beat 3 on both dev sets).
    ``lexicon_rounds``: realignments with a lexicon learned from the previous pass (0: none).
    ``dictionary``: extra (source word, target word) pairs, added to the learned lexicon.
    ``length_weight`` / ``lexical_weight``: weights of the two costs. ``paragraph_penalty``:
    cost of a bead crossing a paragraph boundary on one side only. ``full_search_cells``: up to
    this many sentence pairs the whole matrix is searched, beyond it a band of ``band_width``
    sentences either side of a guide path.
    """

    max_bead: int = 4
    lexicon_rounds: int = 1
    dictionary: tuple[tuple[str, str], ...] = ()
    length_weight: float = 1.0
    lexical_weight: float = 45.0
    paragraph_penalty: float = 3.0
    full_search_cells: int = 100_000
    band_width: int = 20
    realign_band_width: int = 8

    def __post_init__(self) -> None:
        if not 1 <= self.max_bead <= 8:
            raise ValueError(f"max_bead must be between 1 and 8, got {self.max_bead}")
        if not 0 <= self.lexicon_rounds <= 5:
            raise ValueError(f"lexicon_rounds must be between 0 and 5, got {self.lexicon_rounds}")
        for name in ("length_weight", "lexical_weight", "paragraph_penalty"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        for name in ("full_search_cells", "band_width", "realign_band_width"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        for pair in self.dictionary:
            if not (
                isinstance(pair, tuple)
                and len(pair) == 2
                and all(isinstance(w, str) and w.strip() for w in pair)
            ):
                raise ValueError(f"dictionary entries must be (word, word) pairs, got {pair!r}")

    @property
    def shapes(self) -> tuple[Shape, ...]:
        """Bead shapes searched: 1-1 first (ties go to it), then wider, then 1-0 and 0-1."""
        m = self.max_bead
        limit = max(4, m + 1)
        many = [
            (a, b)
            for total in range(3, limit + 1)
            for a in range(total - 1, 0, -1)
            if (b := total - a) <= m and a <= m
        ]
        return ((1, 1), *many, (1, 0), (0, 1))


def _prefix(values: FloatArray) -> FloatArray:
    out = np.zeros(values.size + 1, np.float64)
    np.cumsum(values, out=out[1:])
    return out


def _scale(mass: FloatArray) -> FloatArray:
    """``1 / (mass + PSEUDO_MASS * mean mass)`` per sentence."""
    pseudo = PSEUDO_MASS * float(mass.mean()) if mass.size else 0.0
    return np.asarray(1.0 / np.maximum(mass + pseudo, 1e-9), np.float64)


def _paragraph_starts(paragraphs: Sequence[int], n: int) -> IntArray | None:
    """Prefix sums of "sentence k starts a new paragraph" (k >= 1), or None if unknown."""
    if len(paragraphs) != n or n == 0:
        return None
    p = np.asarray(paragraphs, np.int64)
    starts = np.zeros(n, np.int64)
    starts[1:] = p[1:] != p[:-1]
    out = np.zeros(n + 1, np.int64)
    np.cumsum(starts, out=out[1:])
    return out


@dataclass(frozen=True)
class _Texts:
    """Per-sentence features of both sides, computed once."""

    src: Side
    tgt: Side
    src_len: FloatArray  # prefix sums of character lengths
    tgt_len: FloatArray
    src_par: IntArray | None
    tgt_par: IntArray | None


@dataclass(frozen=True)
class _Model:
    """Everything a pass's cost function needs besides the band."""

    texts: _Texts
    length: LengthModel
    table: Table
    config: AlignConfig
    src_chance: FloatArray  # per sentence: token mass matched by chance (lexical.chance_mass)
    tgt_chance: FloatArray
    src_scale: FloatArray  # per sentence: 1 / (token mass + pseudo-mass)
    tgt_scale: FloatArray
    baseline: float = 0.0  # coverage a sentence must reach to earn a bonus (see _baseline)

    @classmethod
    def of(
        cls,
        texts: _Texts,
        length: LengthModel,
        table: Table,
        config: AlignConfig,
        baseline: float = 0.0,
    ) -> _Model:
        """The model with its chance-match baselines computed from the table."""
        by_tgt = np.argsort(table.tgt, kind="stable")
        src_chance = chance_mass(texts.src, texts.tgt, table.src, table.tgt, table.val)
        tgt_chance = chance_mass(
            texts.tgt, texts.src, table.tgt[by_tgt], table.src[by_tgt], table.val[by_tgt]
        )
        return cls(
            texts,
            length,
            table,
            config,
            src_chance,
            tgt_chance,
            _scale(texts.src.mass),
            _scale(texts.tgt.mass),
            baseline,
        )


def _sentence_band(band: Band, max_a: int, max_b: int) -> SentenceBand:
    """Sentence pairs any bead ending inside ``band`` may cover."""
    n = band.n_src
    rows = np.arange(n, dtype=np.int64)
    lo = np.maximum(band.lo[np.minimum(rows + 1, n)] - max_b, 0)
    hi = band.hi[np.minimum(rows + max_a, n)]
    return SentenceBand.of(lo, hi)


@dataclass(frozen=True)
class _Matches:
    """Windowed matched-token mass for the cells of one band (see ``window_matches``)."""

    band: SentenceBand  # rows: source sentences
    src: npt.NDArray[np.float32]  # [b - 1, cell(i, j)]: tokens of src i vs tgt j-b+1..j
    band_t: SentenceBand  # rows: target sentences
    tgt: npt.NDArray[np.float32]  # [a - 1, cell_t(j, i)]: tokens of tgt j vs src i-a+1..i

    def coverage(self, model: _Model, i: IntArray, j: IntArray, a: int, b: int) -> FloatArray:
        """Summed coverage of each sentence of the ``(a, b)`` bead ending at ``(i, j)``.

        A sentence's coverage is its token mass that finds a translation on the other side of
        the bead, less what chance would give with that many sentences there, over its own mass
        plus a pseudo-mass (short sentences are weaker evidence).
        """
        total = np.zeros(i.size, np.float64)
        src_b, j_last, b_chance = self.src[b - 1], j - 1, b * model.src_chance
        for k in range(a):
            r = i - a + k
            cell, inside = self.band.flat(r, j_last)
            got = src_b[cell].astype(np.float64)
            got *= inside  # the same as np.where(inside, got, 0): matched mass is finite
            got -= b_chance[r]
            got *= model.src_scale[r]
            total += got
        tgt_a, i_last, a_chance = self.tgt[a - 1], i - 1, a * model.tgt_chance
        for k in range(b):
            c = j - b + k
            cell, inside = self.band_t.flat(c, i_last)
            got = tgt_a[cell].astype(np.float64)
            got *= inside
            got -= a_chance[c]
            got *= model.tgt_scale[c]
            total += got
        return total - model.baseline * (a + b)


def _make_matches(model: _Model, band: Band) -> _Matches:
    """Windowed matches of both sides for the sentence pairs a search of ``band`` may read."""
    shapes = model.config.shapes
    max_a = max(a for a, _ in shapes)
    max_b = max(b for _, b in shapes)
    texts, table = model.texts, model.table
    by_tgt = np.argsort(table.tgt, kind="stable")
    sband = _sentence_band(band, max_a, max_b)
    tband = sband.transpose(texts.tgt.n)
    src = window_matches(texts.src, texts.tgt, table.src, table.tgt, table.val, sband, max_b)
    tgt = window_matches(
        texts.tgt,
        texts.src,
        table.tgt[by_tgt],
        table.src[by_tgt],
        table.val[by_tgt],
        tband,
        max_a,
    )
    return _Matches(sband, src, tband, tgt)


def _factory(model: _Model) -> Callable[[Band], CostFunction]:
    def make(band: Band) -> CostFunction:
        return _cost_function(model, _make_matches(model, band))

    return make


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
    model: _Model, steps: Sequence[Step], matches: _Matches
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
    return np.maximum(model.src_chance, src_bg), np.maximum(model.tgt_chance, tgt_bg)


def _baseline(model: _Model, steps: Sequence[Step], matches: _Matches) -> float:
    """The coverage a sentence must reach to earn a bonus in the next pass.

    :data:`BASELINE_FRACTION` of the median per-sentence coverage of this pass's 1-1 beads:
    a sentence merged into a bead without matching anything then costs about as much as
    leaving it unaligned, instead of riding free on its neighbour's evidence.
    """
    ones = [s for s in steps if s.shape == (1, 1)]
    if len(ones) < 5:
        return 0.0
    i = np.array([s.i1 for s in ones], np.int64)
    j = np.array([s.j1 for s in ones], np.int64)
    raw = replace(model, baseline=0.0)
    per_sentence = matches.coverage(raw, i, j, 1, 1) / 2
    return BASELINE_FRACTION * max(float(np.median(per_sentence)), 0.0)


def _cost_function(model: _Model, matches: _Matches) -> CostFunction:
    texts, cfg, length = model.texts, model.config, model.length

    def cost(shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
        a, b = shape
        l1 = texts.src_len[i] - texts.src_len[i - a]
        l2 = texts.tgt_len[j] - texts.tgt_len[j - b]
        out = cfg.length_weight * length.cost(shape, l1, l2)
        if a and b:
            # Half the summed coverage: a 1-1 bead of two fully covered sentences earns 1.
            out = out - cfg.lexical_weight / 2 * matches.coverage(model, i, j, a, b)
        if texts.src_par is not None and texts.tgt_par is not None and (a > 1 or b > 1):
            cross_s = texts.src_par[i] - texts.src_par[np.minimum(i - a + 1, i)] > 0
            cross_t = texts.tgt_par[j] - texts.tgt_par[np.minimum(j - b + 1, j)] > 0
            out = out + cfg.paragraph_penalty * (cross_s != cross_t)
        return np.asarray(out, np.float64)

    return cost


def _anchor_keys(side: Side, shared: npt.NDArray[np.bool_]) -> list[list[int]]:
    """Per sentence, its rare tokens that also occur (spelled alike) in the other text."""
    keep = shared[side.occ_tok] & (side.df[side.occ_tok] <= 2)
    out: list[list[int]] = [[] for _ in range(side.n)]
    for i, t in zip(side.occ_sent[keep].tolist(), side.occ_tok[keep].tolist(), strict=True):
        out[i].append(t)
    return out


def _anchors(texts: _Texts, spelling: Table) -> list[tuple[int, int]]:
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


def _length_candidates(texts: _Texts, anchors: Sequence[tuple[int, int]]) -> list[LengthModel]:
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


def _inconsistency(model: _Model, steps: Sequence[Step]) -> float:
    """How far the length ratio of a path's 1-1 beads is from the ratio the path assumed.

    Costs under different ratios are not comparable likelihoods (the variance scales with the
    ratio), but a right ratio reproduces itself: the path it yields has 1-1 beads of that
    ratio. Infinite when the path has too few 1-1 beads to tell.
    """
    refit = _refit(model.length, model.texts, steps)
    if refit.ratio == model.length.ratio:
        return math.inf
    return abs(math.log(refit.ratio / model.length.ratio))


def _path_band(steps: Sequence[Step], n_src: int, n_tgt: int, width: int) -> Band:
    """A band of ``width`` columns either side of a path."""
    centre = np.zeros(n_src + 1, np.float64)
    for s in steps:
        centre[s.i0 : s.i1 + 1] = np.maximum(centre[s.i0 : s.i1 + 1], s.j1)
    centre = np.maximum.accumulate(centre)
    return Band.around(centre, n_tgt, width)


def _first_band(texts: _Texts, anchors: Sequence[tuple[int, int]], cfg: AlignConfig) -> Band | None:
    """None (the whole matrix) for small inputs, else a band around the anchors' guide."""
    if texts.src.n * texts.tgt.n <= cfg.full_search_cells:
        return None
    guide = guide_path(texts.src.n, texts.tgt.n, anchors)
    return Band.around(guide, texts.tgt.n, cfg.band_width)


def _train_spans(steps: Sequence[Step]) -> list[tuple[int, int, int, int]]:
    """Beads of a pass that train the lexicon: both sides non-empty, at most 2 × 2."""
    return [
        (s.i0, s.i1, s.j0, s.j1) for s in steps if 1 <= s.i1 - s.i0 <= 2 and 1 <= s.j1 - s.j0 <= 2
    ]


def _refit(length: LengthModel, texts: _Texts, steps: Sequence[Step]) -> LengthModel:
    """The length model with priors and ratio re-estimated from a pass's beads."""
    counts: dict[Shape, int] = {}
    for s in steps:
        counts[s.shape] = counts.get(s.shape, 0) + 1
    ends = np.array([(s.i1, s.j1) for s in steps if s.shape == (1, 1)], np.int64).reshape(-1, 2)
    l1 = texts.src_len[ends[:, 0]] - texts.src_len[ends[:, 0] - 1]
    l2 = texts.tgt_len[ends[:, 1]] - texts.tgt_len[ends[:, 1] - 1]
    return length.refit(counts, l1, l2)


def _texts(
    src: Sequence[str],
    tgt: Sequence[str],
    src_paragraphs: Sequence[int],
    tgt_paragraphs: Sequence[int],
) -> _Texts:
    s, t = build_side(src), build_side(tgt)
    return _Texts(
        src=s,
        tgt=t,
        src_len=_prefix(s.lengths),
        tgt_len=_prefix(t.lengths),
        src_par=_paragraph_starts(src_paragraphs, s.n),
        tgt_par=_paragraph_starts(tgt_paragraphs, t.n),
    )


def _confidences(model: _Model, steps: Sequence[Step]) -> FloatArray:
    """``sigmoid(margin)`` per step against its local alternatives (see the module docstring)."""
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    band = _path_band(steps, n_src, n_tgt, model.config.max_bead + 2)
    fn = _factory(model)(band)
    allowed = set(model.config.shapes)
    k = len(steps)
    i0 = np.array([s.i0 for s in steps], np.int64)
    i1 = np.array([s.i1 for s in steps], np.int64)
    j0 = np.array([s.j0 for s in steps], np.int64)
    j1 = np.array([s.j1 for s in steps], np.int64)
    own = np.array([s.cost for s in steps], np.float64)
    # Costs of leaving every sentence unaligned, as prefix sums over sentences.
    dele = _prefix(fn((1, 0), np.arange(1, n_src + 1), np.zeros(n_src, np.int64)))
    inse = _prefix(fn((0, 1), np.zeros(n_tgt, np.int64), np.arange(1, n_tgt + 1)))
    alt = np.full(k, np.inf)
    both = (i1 > i0) & (j1 > j0)
    null = dele[i1] - dele[i0] + inse[j1] - inse[j0]
    alt = np.where(both, null, alt)
    shapes = [s.shape for s in steps]
    for shape in dict.fromkeys(shapes):
        a, b = shape
        sel = np.flatnonzero([sh == shape for sh in shapes])
        if a and b:
            for di, dj in ((0, 1), (0, -1), (1, 0), (-1, 0)):
                ii, jj = i1[sel] + di, j1[sel] + dj
                ok = (ii >= a) & (ii <= n_src) & (jj >= b) & (jj <= n_tgt)
                if ok.any():
                    c = np.full(sel.size, np.inf)
                    c[ok] = fn(shape, ii[ok], jj[ok])
                    alt[sel] = np.minimum(alt[sel], c)
    # Insertions and deletions: joined to the previous or the next bead instead.
    for idx in np.flatnonzero(~both):
        for nb in (idx - 1, idx + 1):
            if not 0 <= nb < k:
                continue
            lo, hi = min(idx, nb), max(idx, nb)
            shape = (int(i1[hi] - i0[lo]), int(j1[hi] - j0[lo]))
            if shape in allowed:
                merged = float(fn(shape, i1[hi : hi + 1], j1[hi : hi + 1])[0])
                alt[idx] = min(alt[idx], merged - own[nb])
    margin = np.clip((alt - own) / CONFIDENCE_TEMPERATURE, -50.0, 50.0)
    return np.asarray(1.0 / (1.0 + np.exp(-margin)), np.float64)


def _run_pass(model: _Model, band: Band | None, progress: Progress | None) -> tuple[Step, ...]:
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    return search(n_src, n_tgt, model.config.shapes, _factory(model), band=band, progress=progress)


def align(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    config: AlignConfig | None = None,
    progress: Progress | None = None,
    src_paragraphs: Sequence[int] = (),
    tgt_paragraphs: Sequence[int] = (),
) -> Alignment:
    """Align two lists of sentences; every sentence ends up in exactly one bead, in order.

    ``src_paragraphs`` / ``tgt_paragraphs`` (a paragraph index per sentence, optional) make a
    bead that crosses a paragraph boundary on one side only cost more. ``progress(done,
    total)`` is called as the search advances (each pass counts again from zero).
    """
    cfg = config or AlignConfig()
    src_t, tgt_t = tuple(src), tuple(tgt)
    for name, paras, sents in (
        ("src_paragraphs", src_paragraphs, src_t),
        ("tgt_paragraphs", tgt_paragraphs, tgt_t),
    ):
        if paras and len(paras) != len(sents):
            raise ValueError(f"{name} has {len(paras)} entries for {len(sents)} sentences")
    result = _builder(src_t, tgt_t, src_lang, tgt_lang, src_paragraphs, tgt_paragraphs)
    if not src_t or not tgt_t:
        beads = [Bead((i,), (), 1.0) for i in range(len(src_t))]
        beads += [Bead((), (j,), 1.0) for j in range(len(tgt_t))]
        return result(beads)
    texts = _texts(src_t, tgt_t, src_paragraphs, tgt_paragraphs)
    spelling = spelling_table(texts.src, texts.tgt)
    if cfg.dictionary:
        spelling = spelling | dictionary_table(cfg.dictionary, texts.src, texts.tgt)
    anchors = _anchors(texts, spelling)
    band = _first_band(texts, anchors, cfg)
    candidates = []
    for length in _length_candidates(texts, anchors):
        candidate = _Model.of(texts, length, spelling, cfg)
        path = _run_pass(candidate, band, progress)
        candidates.append((_inconsistency(candidate, path), candidate, path))
    # The first candidate (ratio of the totals) wins ties.
    _, model, steps = min(candidates, key=lambda c: c[0])
    for _ in range(cfg.lexicon_rounds):
        learned = learned_table(texts.src, texts.tgt, _train_spans(steps))
        model = _Model.of(texts, _refit(model.length, texts, steps), spelling | learned, cfg)
        # One set of matches around the previous path serves both estimates below (they read
        # cells within max(BACKGROUND_OFFSETS) of it).
        near = _path_band(steps, texts.src.n, texts.tgt.n, max(BACKGROUND_OFFSETS) + 2)
        matches = _make_matches(model, near)
        src_chance, tgt_chance = _local_chance(model, steps, matches)
        model = replace(model, src_chance=src_chance, tgt_chance=tgt_chance)
        model = replace(model, baseline=_baseline(model, steps, matches))
        band = (
            None
            if texts.src.n * texts.tgt.n <= cfg.full_search_cells
            else _path_band(steps, texts.src.n, texts.tgt.n, cfg.realign_band_width)
        )
        steps = _run_pass(model, band, progress)
    confidence = _confidences(model, steps)
    beads = [
        Bead(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1)), float(c))
        for s, c in zip(steps, confidence, strict=True)
    ]
    return result(beads)


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


def align_documents(
    src: Document,
    tgt: Document,
    *,
    config: AlignConfig | None = None,
    progress: Progress | None = None,
) -> Alignment:
    """Align two segmented documents; their paragraphs act as soft anchors."""
    return align(
        src.texts,
        tgt.texts,
        src_lang=src.lang,
        tgt_lang=tgt.lang,
        config=config,
        progress=progress,
        src_paragraphs=src.paragraph_of,
        tgt_paragraphs=tgt.paragraph_of,
    )


def align_texts(
    src_text: str,
    tgt_text: str,
    *,
    src_lang: str,
    tgt_lang: str,
    config: AlignConfig | None = None,
    progress: Progress | None = None,
) -> Alignment:
    """Segment two raw texts into paragraphs and sentences, then align them."""
    from aligner.segment import segment

    return align_documents(
        segment(src_text, src_lang),
        segment(tgt_text, tgt_lang),
        config=config,
        progress=progress,
    )
