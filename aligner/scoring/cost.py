"""The bead cost model: length, lexical coverage and paragraph crossings of a candidate bead.

The cost of a bead pairing source sentences ``src[i-a:i]`` with target ``tgt[j-b:j]`` is

* the Gale–Church length cost (:mod:`aligner.features.length`), with the character ratio and the
  bead-type priors estimated from the two texts;
* minus a lexical bonus ``lexical_weight / 2 * sum of the coverages of the bead's sentences``. A
  sentence's coverage is its rarity-weighted token mass (:mod:`aligner.features.tokens`) that finds
  a translation among the other side's sentences of the bead (each token counted once), less what
  chance would give with that many sentences there, less a baseline share of its mass, over its own
  mass plus a pseudo-mass. Per sentence, so a sentence merged into a bead without matching anything
  earns nothing and pays the baseline, and a real 1-2 bead split in two leaves a sentence uncovered;
* plus ``turn_weight`` times the dialogue-turn cost of its first sentences (pass 2 only: learned
  from pass 1's beads, :mod:`aligner.features.turns`), for beads with both sides;
* plus ``paragraph_penalty`` when the bead crosses a paragraph boundary on one side only (for
  input without paragraphs, headings mark the boundaries).

The chance levels and the baseline are set by the passes of :mod:`aligner.pipeline`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.band import Band, SentenceBand
from aligner.features.length import LengthModel
from aligner.features.lexicon import Table
from aligner.features.matching import (
    chance_mass,
    informative,
    match_probability,
    window_matches,
)
from aligner.features.tokens import Side, build_side
from aligner.features.turns import opens_turn
from aligner.search import CostFunction, Step
from aligner.segmentation.structure import heading_paragraphs
from aligner.types import Shape

if TYPE_CHECKING:  # align imports this module: the config is needed for typing only
    from aligner.config import AlignConfig
    from aligner.features.lemmas import LemmaTables


#: Pseudo-mass added to a sentence's token mass before dividing by it, as a fraction of the
#: mean sentence mass: a three-word sentence whose one rare word matches is weaker evidence
#: than a long sentence that is matched throughout. Strict F1 Text+Berg / TransRead (shipped
#: dictionaries): max_bead 4, 0.904 / 0.937 against 0.905 / 0.936 for 0.15 and 0.901 / 0.932
#: for 0.4; max_bead 5, 0.916 / 0.940 against 0.916 / 0.940 for 0.2 and 0.916 / 0.938 for 0.3.
PSEUDO_MASS = 0.25


def prefix(values: FloatArray) -> FloatArray:
    """Prefix sums of ``values``, starting at 0 (``values.size + 1`` entries)."""
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
class Texts:
    """Per-sentence features of both sides, computed once."""

    src: Side
    tgt: Side
    src_len: FloatArray  # prefix sums of character lengths
    tgt_len: FloatArray
    src_par: IntArray | None
    tgt_par: IntArray | None
    src_open: FloatArray | None = None  # per sentence: 1.0 if it opens a dialogue turn
    tgt_open: FloatArray | None = None

    @classmethod
    def of(
        cls,
        src: Sequence[str],
        tgt: Sequence[str],
        src_paragraphs: Sequence[int],
        tgt_paragraphs: Sequence[int],
        src_lang: str | None = None,
        tgt_lang: str | None = None,
        lemmas: LemmaTables | None = None,
    ) -> Texts:
        """The features of two lists of sentences (paragraph indices may be empty); with the
        languages, the lemma of each word too (read from ``lemmas`` when given).

        When neither side has paragraph indices, headings stand in for them
        (:func:`heading_paragraphs`): a bead that takes a heading with prose on one side only
        then pays the paragraph penalty.
        """
        s, t = build_side(src, src_lang, lemmas), build_side(tgt, tgt_lang, lemmas)
        if not src_paragraphs and not tgt_paragraphs:
            src_paragraphs, tgt_paragraphs = heading_paragraphs(src), heading_paragraphs(tgt)
        return cls(
            src=s,
            tgt=t,
            src_len=prefix(s.lengths),
            tgt_len=prefix(t.lengths),
            src_par=_paragraph_starts(src_paragraphs, s.n),
            tgt_par=_paragraph_starts(tgt_paragraphs, t.n),
            src_open=opens_turn(src),
            tgt_open=opens_turn(tgt),
        )

    def informative(self, table: Table) -> Texts:
        """The texts with each token's weight capped by what a match under ``table`` tells
        (:func:`~aligner.features.matching.informative`)."""
        ps = match_probability(self.src, self.tgt, table.src, table.tgt, table.val)
        pt = match_probability(self.tgt, self.src, *table.by_target)
        return replace(self, src=informative(self.src, ps), tgt=informative(self.tgt, pt))


@dataclass(frozen=True)
class Model:
    """Everything a pass's cost function needs besides the band."""

    texts: Texts
    length: LengthModel
    table: Table
    config: AlignConfig
    # [w - 1, sentence]: token mass matched by chance among w sentences (lexical.chance_mass)
    src_chance: FloatArray
    tgt_chance: FloatArray
    src_scale: FloatArray  # per sentence: 1 / (token mass + pseudo-mass)
    tgt_scale: FloatArray
    baseline: float = 0.0  # share of its mass a sentence must match to earn a bonus
    # [source opens, target opens]: cost of a bead's first sentences (features.turns)
    turns: FloatArray | None = None

    @classmethod
    def of(
        cls,
        texts: Texts,
        length: LengthModel,
        table: Table,
        config: AlignConfig,
        baseline: float = 0.0,
    ) -> Model:
        """The model with its chance-match baselines computed from the table."""
        texts = texts.informative(table)
        max_a, max_b = _widths(config)
        src_chance = chance_mass(texts.src, texts.tgt, table.src, table.tgt, table.val, max_b)
        tgt_chance = chance_mass(texts.tgt, texts.src, *table.by_target, max_a)
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


def path_band(steps: Sequence[Step], n_src: int, n_tgt: int, width: int) -> Band:
    """A band of ``width`` columns either side of every cell a path visits.

    A step from ``(i0, j0)`` to ``(i1, j1)`` touches rows ``i0..i1`` and columns ``j0..j1``; each
    row keeps from its lowest touched column minus ``width`` to its highest plus ``width``, so a
    long run of insertions keeps its whole row (and the alternatives of the bead before it).
    """
    i0 = np.fromiter((s.i0 for s in steps), np.int64, len(steps))
    i1 = np.fromiter((s.i1 for s in steps), np.int64, len(steps))
    j0 = np.fromiter((s.j0 for s in steps), np.int64, len(steps))
    j1 = np.fromiter((s.j1 for s in steps), np.int64, len(steps))
    spans = i1 - i0 + 1
    rows = np.repeat(i0 - np.cumsum(spans) + spans, spans) + np.arange(int(spans.sum()))
    low = np.full(n_src + 1, n_tgt, np.int64)
    high = np.zeros(n_src + 1, np.int64)
    np.minimum.at(low, rows, np.repeat(j0, spans))
    np.maximum.at(high, rows, np.repeat(j1, spans))
    # Rows no step touches (none on a path) take their neighbours' columns via running bounds.
    high = np.maximum.accumulate(high)
    low = np.minimum.accumulate(low[::-1])[::-1]
    lo = np.maximum.accumulate(np.clip(low - width, 0, n_tgt))
    hi = np.maximum.accumulate(np.clip(high + width, 0, n_tgt))
    hi = np.maximum(hi, lo)
    lo[0] = 0
    hi[-1] = n_tgt
    return Band(lo, hi).connected()


@dataclass(frozen=True)
class Matches:
    """Windowed matched-token mass for the cells of one band (see ``window_matches``)."""

    band: SentenceBand  # rows: source sentences
    src: npt.NDArray[np.float32]  # [b - 1, cell(i, j)]: tokens of src i vs tgt j-b+1..j
    band_t: SentenceBand  # rows: target sentences
    tgt: npt.NDArray[np.float32]  # [a - 1, cell_t(j, i)]: tokens of tgt j vs src i-a+1..i

    def coverage(self, model: Model, i: IntArray, j: IntArray, a: int, b: int) -> FloatArray:
        """Summed coverage of each sentence of the ``(a, b)`` bead ending at ``(i, j)``.

        A sentence's coverage is its token mass that finds a translation on the other side of
        the bead, less what chance would give with that many sentences there, less the baseline
        share of its mass, over its own mass plus a pseudo-mass (short sentences are weaker
        evidence, for and against: a short sentence that matches nothing pays less than a long
        one, which with a dictionary left short sentences out of beads they belong to).
        """
        total = np.zeros(i.size, np.float64)
        src, tgt, base = model.texts.src, model.texts.tgt, model.baseline
        chance, scale = model.src_chance[b - 1], model.src_scale
        self._add_side(
            total, self.src[b - 1], self.band, i - a, a, j - 1, chance, src.mass, scale, base
        )
        chance, scale = model.tgt_chance[a - 1], model.tgt_scale
        self._add_side(
            total, self.tgt[a - 1], self.band_t, j - b, b, i - 1, chance, tgt.mass, scale, base
        )
        return total

    def _add_side(
        self,
        total: FloatArray,
        matched: npt.NDArray[np.float32],
        band: SentenceBand,
        first: IntArray,
        count: int,
        col: IntArray,
        chance: FloatArray,
        mass: FloatArray,
        scale: FloatArray,
        baseline: float,
    ) -> None:
        """Add to ``total`` the coverage terms of one side's sentences ``first .. first + count
        - 1`` against the other side's window ending at ``col`` (rows of ``band``)."""
        if self._inside(band, first, first + count - 1, col):
            _add_terms(total, matched, band, first, count, col, chance + baseline * mass, scale)
            return
        for k in range(count):
            r = first + k
            cell, inside = band.flat(r, col)
            got = matched[cell].astype(np.float64)
            got *= inside  # the same as np.where(inside, got, 0): matched mass is finite
            got -= chance[r] + baseline * mass[r]
            got *= scale[r]
            total += got

    @cached_property
    def _monotone(self) -> bool:
        """Whether both bands' edges are non-decreasing (as :func:`make_matches` builds them)."""
        edges = (self.band.lo, self.band.hi, self.band_t.lo, self.band_t.hi)
        return all(bool(np.all(e[1:] >= e[:-1])) for e in edges)

    def _inside(self, band: SentenceBand, first: IntArray, last: IntArray, col: IntArray) -> bool:
        """Whether the cells ``(r, col)`` for ``r`` in ``first..last`` all lie in ``band``: with
        non-decreasing edges, when ``col`` is right of ``lo[last]`` and left of ``hi[first]``."""
        if not self._monotone or col.size == 0:
            return False
        return bool((col >= band.lo.take(last)).all() and (col < band.hi.take(first)).all())


def _add_terms(
    total: FloatArray,
    matched: npt.NDArray[np.float32],
    band: SentenceBand,
    first: IntArray,
    count: int,
    col: IntArray,
    less: FloatArray,
    scale: FloatArray,
) -> None:
    """Add to ``total`` each sentence's term of :meth:`Matches.coverage` for the rows ``first
    .. first + count - 1`` at ``col``, every cell inside ``band``: the same float64 operations
    in the same order as the general loop, with the mask, which is all ones here, left out
    and the per-row sums (``less``) made once per call instead of once per cell."""
    shift = band.offsets[:-1] - band.lo
    for k in range(count):
        r = first + k
        got = np.subtract(matched[col + shift[r]], less[r], dtype=np.float64)
        got *= scale[r]
        total += got


#: :class:`_SideTerms` holds a window of terms up to this many times the cells asked for.
WINDOW_GROWTH = 4


class _SideTerms:
    """One side's coverage terms ``(matched - chance - baseline * mass) * scale``, float64,
    one array per window width, for the cells of its band in a window of rows and columns: the
    terms :func:`_add_terms` makes cell by cell, made once for all the shapes of one block of
    the programme's rows (they read the same sentences at the same columns again and again).

    Only the last window per width is held: the rows and columns of one call and
    ``pad`` more either side, about a block's cells (a few MB for all widths, however wide the
    band); a call outside it makes the next one.
    """

    def __init__(
        self,
        matched: npt.NDArray[np.float32],
        band: SentenceBand,
        chance: FloatArray,
        mass: FloatArray,
        scale: FloatArray,
        baseline: float,
        pad: int,
    ) -> None:
        self.matched, self.band, self.chance = matched, band, chance
        self.mass, self.scale, self.baseline, self.pad = mass, scale, baseline, pad
        # width: the window (first row, end row, first column, end column), the terms held,
        # and where each row's column 0 would sit among them
        self.held: dict[int, tuple[tuple[int, int, int, int], FloatArray, IntArray]] = {}

    def terms(
        self, width: int, rows: tuple[int, int], cols: tuple[int, int], asked: int
    ) -> tuple[int, IntArray, FloatArray] | None:
        """The first row held, where each row's column 0 sits among the terms held, and the
        terms of window ``width`` for (at least) the cells of rows ``rows[0] .. rows[1] - 1``
        and columns ``cols[0] .. cols[1] - 1``; None when that window holds more than
        :data:`WINDOW_GROWTH` times the ``asked`` cells (a path's cells, spread over the whole
        band, are read where they are instead)."""
        held = self.held.get(width)
        if held is not None:
            r0, r1, c0, c1 = held[0]
            if r0 <= rows[0] and rows[1] <= r1 and c0 <= cols[0] and cols[1] <= c1:
                return r0, held[2], held[1]
        band, pad = self.band, self.pad
        r0, r1 = max(0, rows[0] - pad), min(band.lo.size, rows[1] + pad)
        c0, c1 = cols[0] - pad, cols[1] + pad
        lo, hi = band.lo[r0:r1], band.hi[r0:r1]
        start = np.clip(c0, lo, hi)
        counts = np.clip(c1, lo, hi) - start
        ends = np.cumsum(counts)
        if ends.size == 0 or int(ends[-1]) > WINDOW_GROWTH * asked:
            return None
        # Each kept cell's place in the band's flat storage, row by row.
        first_cell = band.offsets[r0:r1] + start - lo
        cells = np.repeat(first_cell - ends + counts, counts) + np.arange(int(ends[-1]))
        # As _add_side gives them to _add_terms, then as _add_terms makes each term.
        less = self.chance[width - 1] + self.baseline * self.mass
        made = np.subtract(
            self.matched[width - 1].take(cells), np.repeat(less[r0:r1], counts), dtype=np.float64
        )
        made *= np.repeat(self.scale[r0:r1], counts)
        local = ends - counts - start
        self.held[width] = ((r0, r1, c0, c1), made, local)
        return r0, local, made

    def add(
        self,
        total: FloatArray,
        width: int,
        first: IntArray,
        count: int,
        col: IntArray,
        bounds: tuple[tuple[int, int], tuple[int, int]],
    ) -> bool:
        """:func:`_add_terms` for the rows ``first .. first + count - 1`` at ``col`` (every
        cell inside the band): the same terms, summed in the same order; False (and nothing
        added) when the cells are too spread out to hold their window. ``bounds``: the rows
        and columns ``(first.min(), first.max() + count)``, ``(col.min(), col.max() + 1)``,
        which the caller makes for both sides at once."""
        rows, cols = bounds
        window = self.terms(width, rows, cols, col.size)
        if window is None:
            return False
        r0, local, made = window
        rel = first - r0
        # ``take``: the same values as indexing, gathered with less overhead per call.
        for k in range(count):
            index = local.take(rel + k if k else rel)
            index += col
            total += made.take(index)
        return True


class _Coverage:
    """:meth:`Matches.coverage` for one model's search, reading each side's terms from a
    :class:`_SideTerms` where every cell lies inside the band (the same sums)."""

    def __init__(self, model: Model, matches: Matches) -> None:
        max_a, max_b = _reach(model)
        texts, base = model.texts, model.baseline
        self.model, self.matches = model, matches
        self.src = _SideTerms(
            matches.src, matches.band, model.src_chance, texts.src.mass, model.src_scale, base,
            max_a,
        )  # fmt: skip
        self.tgt = _SideTerms(
            matches.tgt, matches.band_t, model.tgt_chance, texts.tgt.mass, model.tgt_scale, base,
            max_b,
        )  # fmt: skip

    def __call__(self, i: IntArray, j: IntArray, a: int, b: int) -> FloatArray:
        total = np.zeros(i.size, np.float64)
        if i.size == 0:
            return total
        # Each side's last rows are the other's columns: ``i - 1`` and ``j - 1``, and their
        # extremes, made once for both sides (the cost function asks for millions of cells).
        i_last, j_last = i - 1, j - 1
        i_lo, i_hi = int(i.min()), int(i.max())
        j_lo, j_hi = int(j.min()), int(j.max())
        src_bounds = ((i_lo - a, i_hi), (j_lo - 1, j_hi))
        tgt_bounds = ((j_lo - b, j_hi), (i_lo - 1, i_hi))
        self._add(total, self.src, b, i - a, a, j_last, i_last, src_bounds)
        self._add(total, self.tgt, a, j - b, b, i_last, j_last, tgt_bounds)
        return total

    def _add(
        self,
        total: FloatArray,
        side: _SideTerms,
        width: int,
        first: IntArray,
        count: int,
        col: IntArray,
        last: IntArray,
        bounds: tuple[tuple[int, int], tuple[int, int]],
    ) -> None:
        """Add one side's terms: ``last`` is ``first + count - 1`` and ``bounds`` the rows'
        and columns' extent (see :meth:`_SideTerms.add`)."""
        matches = self.matches
        inside = matches._inside(side.band, first, last, col)
        if inside and side.add(total, width, first, count, col, bounds):
            return
        matches._add_side(
            total,
            side.matched[width - 1],
            side.band,
            first,
            count,
            col,
            side.chance[width - 1],
            side.mass,
            side.scale,
            side.baseline,
        )


def _widths(config: AlignConfig) -> tuple[int, int]:
    """The widest bead's source and target sides under ``config``."""
    shapes = config.shapes
    return max(a for a, _ in shapes), max(b for _, b in shapes)


def _reach(model: Model) -> tuple[int, int]:
    """The widest bead's source and target sides."""
    return _widths(model.config)


def make_matches(model: Model, band: Band) -> Matches:
    """Windowed matches of both sides for the sentence pairs a search of ``band`` may read."""
    max_a, max_b = _reach(model)
    texts, table = model.texts, model.table
    sband = band.sentence_pairs(max_a, max_b)
    tband = sband.transpose(texts.tgt.n)
    src = window_matches(texts.src, texts.tgt, table.src, table.tgt, table.val, sband, max_b)
    tgt = window_matches(texts.tgt, texts.src, *table.by_target, tband, max_a)
    return Matches(sband, src, tband, tgt)


def _turn_cost(model: Model, first_src: IntArray, first_tgt: IntArray) -> FloatArray | float:
    """The dialogue-turn cost of beads starting at these sentences (0 without a turn table)."""
    texts = model.texts
    if model.turns is None or texts.src_open is None or texts.tgt_open is None:
        return 0.0
    opens_s = texts.src_open[first_src].astype(np.int64)
    opens_t = texts.tgt_open[first_tgt].astype(np.int64)
    return np.asarray(model.turns[opens_s, opens_t], np.float64)


def _cost_function(model: Model, matches: Matches) -> CostFunction:
    """The cost of beads of any shape, for the cells ``matches`` covers."""
    texts, cfg, length = model.texts, model.config, model.length
    coverage = _Coverage(model, matches)

    def cost(shape: Shape, i: IntArray, j: IntArray) -> FloatArray:
        a, b = shape
        l1 = texts.src_len.take(i)
        l1 -= texts.src_len.take(i - a)
        l2 = texts.tgt_len.take(j)
        l2 -= texts.tgt_len.take(j - b)
        # Terms added in place (the same operations, without a temporary array each).
        out = length.cost(shape, l1, l2)
        out *= cfg.length_weight
        if a and b:
            # Half the summed coverage: a 1-1 bead of two fully covered sentences earns 1.
            bonus = coverage(i, j, a, b)
            bonus *= cfg.lexical_weight / 2
            out -= bonus
            turn = _turn_cost(model, i - a, j - b)
            if isinstance(turn, np.ndarray):
                turn *= cfg.turn_weight
                out += turn
            else:
                out += cfg.turn_weight * turn
        if texts.src_par is not None and texts.tgt_par is not None and (a > 1 or b > 1):
            # A side of one sentence (or none) crosses nothing.
            cross_s = texts.src_par[i] > texts.src_par[i - a + 1] if a > 1 else False
            cross_t = texts.tgt_par[j] > texts.tgt_par[j - b + 1] if b > 1 else False
            out = out + cfg.paragraph_penalty * np.not_equal(cross_s, cross_t)
        return np.asarray(out, np.float64)

    return cost


def bead_cost(model: Model, i0: int, i1: int, j0: int, j1: int, coverage: float) -> float:
    """The cost of one bead ``src[i0:i1]`` with ``tgt[j0:j1]`` as :func:`_cost_function` counts
    it, its summed sentence coverage given (``coverage``; 0 for a null bead)."""
    texts, cfg = model.texts, model.config
    shape = (i1 - i0, j1 - j0)
    l1 = np.array([texts.src_len[i1] - texts.src_len[i0]])
    l2 = np.array([texts.tgt_len[j1] - texts.tgt_len[j0]])
    out = cfg.length_weight * float(model.length.cost(shape, l1, l2)[0])
    if i1 > i0 and j1 > j0:
        out -= cfg.lexical_weight / 2 * coverage
        turn = _turn_cost(model, np.array([i0]), np.array([j0]))
        out += cfg.turn_weight * float(np.asarray(turn).reshape(-1)[0])
    if texts.src_par is not None and texts.tgt_par is not None and max(shape) > 1:
        cross_s = shape[0] > 1 and texts.src_par[i1] > texts.src_par[i0 + 1]
        cross_t = shape[1] > 1 and texts.tgt_par[j1] > texts.tgt_par[j0 + 1]
        out += cfg.paragraph_penalty * float(cross_s != cross_t)
    return out


class MatchCache:
    """The windowed matches last computed under one translation table, reused for any band
    they cover.

    A cell's matches depend on the texts and the table only, not on the band it was computed
    for, so the band around a path serves the narrower bands the same pass reads (the local
    chance level, the confidences) without a second join. Only the last set is kept.
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self.last: Matches | None = None

    def __call__(self, band: Band) -> Matches:
        """Matches for the cells a search of ``band`` may read: those of the last set, the
        rows it holds as a join of ``band`` would make them taken from it (a widened band
        changes a few rows), or a new join."""
        need = band.sentence_pairs(*_reach(self.model))
        if self.last is not None and self.last.band.covers(need):
            return self.last
        if self.last is None:
            self.last = make_matches(self.model, band)
        else:
            self.last = extend_matches(self.model, self.last, band)
        return self.last


def _kept_rows(old: SentenceBand, new: SentenceBand) -> npt.NDArray[np.bool_]:
    """Rows whose cells ``old`` holds exactly as a join of ``new`` makes them.

    A cell's windows reach back to the row's first column and no further, and forward not at
    all: a row starting at the same column and ending no later in ``new`` has the same cells.
    """
    return np.asarray((new.lo == old.lo) & (new.hi <= old.hi))


def _reuse(
    old: npt.NDArray[np.float32],
    old_band: SentenceBand,
    out: npt.NDArray[np.float32],
    band: SentenceBand,
    kept: npt.NDArray[np.bool_],
) -> None:
    """Copy the cells of the ``kept`` rows of ``band`` from ``old`` into ``out``."""
    rows = np.flatnonzero(kept)
    counts = band.hi[rows] - band.lo[rows]
    ends = np.cumsum(counts)
    step = np.arange(int(ends[-1]) if ends.size else 0) - np.repeat(ends - counts, counts)
    dst = np.repeat(band.offsets[rows], counts) + step
    src = np.repeat(old_band.offsets[rows], counts) + step
    for w in range(out.shape[0]):  # one width at a time: a temporary of one row, not all
        out[w, dst] = old[w, src]


def extend_matches(model: Model, last: Matches, band: Band) -> Matches:
    """:func:`make_matches` for ``band``, the rows ``last`` holds unchanged copied from it and
    only the others joined (the same float32 values, cell by cell)."""
    max_a, max_b = _reach(model)
    texts, table = model.texts, model.table
    sband = band.sentence_pairs(max_a, max_b)
    tband = sband.transpose(texts.tgt.n)
    kept_s, kept_t = _kept_rows(last.band, sband), _kept_rows(last.band_t, tband)
    src = window_matches(
        texts.src, texts.tgt, table.src, table.tgt, table.val, sband, max_b, ~kept_s
    )
    tgt = window_matches(texts.tgt, texts.src, *table.by_target, tband, max_a, ~kept_t)
    _reuse(last.src, last.band, src, sband, kept_s)
    _reuse(last.tgt, last.band_t, tgt, tband, kept_t)
    return Matches(sband, src, tband, tgt)


def factory(model: Model, cache: MatchCache | None = None) -> Callable[[Band], CostFunction]:
    """The cost function :func:`aligner.search.search` builds for each band it searches.

    ``cache`` must hold matches under ``model``'s table (chance levels and baseline may differ).
    """

    def make(band: Band) -> CostFunction:
        matches = make_matches(model, band) if cache is None else cache(band)
        return _cost_function(model, matches)

    return make
