"""Lexical matching: the windowed join of two tokenised sides through a table, on a band.

A :class:`~aligner.features.lexicon.Table` says which source token may translate which target
token and how strongly (identity, cognates found with rapidfuzz, a lexicon learned from the texts, a
user dictionary). :func:`window_matches` computes, for the cells of a band of sentence pairs
``(i, j)``, the weighted mass of source tokens of ``i`` that find a translation among target
sentences ``j - w + 1 .. j`` (each token once, however many of them hold a translation) —
vectorised as sorted joins with ``np.searchsorted``, never a Python loop per pair. Called with
the sides swapped it gives the target tokens' side. :func:`chance_mass` is the mass the same
join finds by chance.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray, IntArray
from aligner.band import SentenceBand
from aligner.features.tokens import Side, _by_token, _expand


def _group_max(keys: IntArray, values: FloatArray) -> tuple[IntArray, FloatArray]:
    """Distinct keys, sorted, and the largest value of each."""
    if keys.size == 0:
        return keys, values
    order = np.argsort(keys, kind="stable")
    k = keys.take(order)
    starts = np.empty(k.size, np.bool_)
    starts[0] = True
    np.not_equal(k[1:], k[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    return k.take(first), np.maximum.reduceat(values.take(order), first)


def _token_ranges(table_tok: IntArray, tokens: IntArray) -> tuple[IntArray, IntArray]:
    """First row and number of rows of each token in a table sorted by token.

    The same as two ``np.searchsorted`` calls, by a count per token instead: a random search
    per occurrence through the table cost a third of a second on a book.
    """
    size = int(max(table_tok.max(initial=-1), tokens.max(initial=-1))) + 1
    counts = np.bincount(table_tok, minlength=size)
    firsts = np.cumsum(counts) - counts
    return firsts[tokens], counts[tokens]


#: Join entries whose matches are added into the float32 output together. Where a chunk's edge
#: splits a source row, the row's two parts are rounded to float32 apart, so the edges are part
#: of the results: they stay where they are, and memory is bounded by :data:`JOIN_PIECE`.
JOIN_CHUNK = 1 << 20
#: Join entries handled at once: chunks are cut further into pieces, at row starts only, so a
#: cell's matches are still summed in one ``np.bincount`` and the results do not change. The
#: arrays of a piece grow with its entries and their hits (a chunk of 2**20 entries took 214 MB
#: at its peak on the Old Testament fr-en, measured with tracemalloc,
#: ``benchmarks/profile_stages.py``); at 2**17 a piece's arrays are some 8 times smaller.
JOIN_PIECE = 1 << 17


def _pieces(rows: IntArray, bounds: IntArray, start: int, stop: int) -> list[tuple[int, int]]:
    """Occurrences ``start..stop`` (``rows`` non-decreasing) cut at row starts, about every
    :data:`JOIN_PIECE` entries (``bounds``: cumulative entries per occurrence)."""
    before = int(bounds[start - 1]) if start else 0
    total = int(bounds[stop - 1]) - before
    if total <= JOIN_PIECE:
        return [(start, stop)]
    targets = before + np.arange(JOIN_PIECE, total, JOIN_PIECE, dtype=np.int64)
    cuts = np.searchsorted(bounds[start:stop], targets, side="right") + start
    # Move each cut forward to the next row start (or the chunk's end).
    starts = np.flatnonzero(rows[start + 1 : stop] != rows[start : stop - 1]) + start + 1
    if starts.size == 0:
        # One row alone: it is never cut, so the piece is the whole range.
        return [(start, stop)]
    at = np.searchsorted(starts, cuts, side="left")
    moved = np.where(at < starts.size, starts[np.minimum(at, max(starts.size - 1, 0))], stop)
    edges = [start, *dict.fromkeys(int(c) for c in moved if start < c < stop), stop]
    return list(itertools.pairwise(edges))


def window_matches(
    src: Side,
    tgt: Side,
    table_src: IntArray,
    table_tgt: IntArray,
    table_val: FloatArray,
    band: SentenceBand,
    widths: int,
    only: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.float32]:
    """Matched source-token mass of sentence ``i`` against runs of target sentences.

    ``out[w - 1, cell(i, j)]`` is the sum over source tokens ``s`` of ``i`` of ``weight[s] *
    max val(s, t)``, the maximum over the target tokens ``t`` of sentences ``j - w + 1 .. j`` —
    each token counts once however many of the run's sentences contain a translation. Cells
    are those of ``band`` (flat, row-major); the table must be sorted by ``table_src``.
    Call it again with the sides swapped (and the band transposed) for the target tokens.
    With ``only`` (a flag per source sentence), only the flagged rows are filled, each cell
    to the same float32 value as without it (the others stay 0).
    """
    out = np.zeros((widths, band.cells), np.float32)
    if table_src.size == 0 or src.occ_tok.size == 0 or tgt.occ_tok.size == 0:
        return out
    width = np.int64(tgt.n + 1)
    t_keys, t_sent = tgt.by_token  # t_keys = token * width + sentence
    s_occ = src.live
    first, n_entries = _token_ranges(table_src, src.occ_tok[s_occ])
    bounds = np.cumsum(n_entries)
    rows = src.occ_sent[s_occ]
    start = 0
    while start < s_occ.size:
        stop = int(np.searchsorted(bounds, (bounds[start - 1] if start else 0) + JOIN_CHUNK))
        stop = min(max(stop, start + 1), s_occ.size)
        for p0, p1 in _pieces(rows, bounds, start, stop):
            # The chunks stay those of all the rows: a row split by a chunk's edge is summed
            # in the same two parts, so a flagged row's cells come out as they would alone.
            part = _flagged(rows, only, p0, p1)
            if part is None:
                continue
            owner, rank = _expand(n_entries[part])
            # ``take``: the gathers of indexing, with less work per item on these long arrays.
            entry = first[part].take(owner)
            entry += rank
            occ = s_occ[part].take(owner)
            hits = _hits(src, band, t_keys, t_sent, table_tgt, entry, occ, width)
            lo = int(band.offsets[rows[part][0]])
            piece = _add_windows(
                src,
                band,
                widths,
                occ.take(hits[0]),
                hits[1],
                table_val.take(entry.take(hits[0])),
                lo,
            )
            # The pieces of a chunk cover disjoint rows, so each cell's sum over the chunk is
            # one piece's: added into the output as the chunk's would be, rounded to float32.
            for w in range(widths):
                out[w, lo : lo + piece[w].size] += piece[w].astype(np.float32)
        start = stop
    return out


def _flagged(
    rows: IntArray, only: npt.NDArray[np.bool_] | None, p0: int, p1: int
) -> slice | IntArray | None:
    """The occurrences ``p0 .. p1 - 1`` whose row ``only`` flags (all without ``only``), or
    None when there are none."""
    if only is None:
        return slice(p0, p1)
    part = np.flatnonzero(only[rows[p0:p1]]) + p0
    return part if part.size else None


def _hits(
    src: Side,
    band: SentenceBand,
    t_keys: IntArray,
    t_sent: IntArray,
    table_tgt: IntArray,
    entry: IntArray,
    occ: IntArray,
    width: np.int64,
) -> tuple[IntArray, IntArray]:
    """Per join entry ``(occurrence, table row)``, the target sentences in the occurrence's
    band row holding the table row's target token: the entry of each hit and its column."""
    if t_keys.size == 0:
        none = np.zeros(0, np.int64)
        return none, none
    row = src.occ_sent.take(occ)
    tok = table_tgt.take(entry)
    key = tok * width
    # Searched in sorted order, which numpy's binary search turns into a near-linear walk
    # (random probes into the target keys were the slowest step), then put back in the
    # order of the entries.
    low = key + band.lo.take(row)
    by_key = _by_token(tok, low)  # rows, and so band.lo[row], rise here
    p0 = np.empty_like(low)
    p0[by_key] = np.searchsorted(t_keys, low.take(by_key), side="left")
    # Most entries find nothing in their band row (seven in eight on a book): the first key
    # at or after the row's start tells, and only the others are searched for their end.
    high = key + band.hi.take(row)
    found = t_keys.take(np.minimum(p0, t_keys.size - 1)) < high
    found &= p0 < t_keys.size
    ends = by_key[found.take(by_key)]  # the entries with hits, in sorted order
    count = np.zeros(low.size, np.int64)
    count[ends] = np.searchsorted(t_keys, high.take(ends), side="left") - p0.take(ends)
    some = np.flatnonzero(found)
    owner, hrank = _expand(count.take(some))
    hit = some.take(owner)
    at = p0.take(hit)
    at += hrank
    return hit, t_sent.take(at)


def _add_windows(
    src: Side,
    band: SentenceBand,
    n_widths: int,
    occ: IntArray,
    col: IntArray,
    val: FloatArray,
    first_cell: int,
) -> list[FloatArray]:
    """Per run width, each cell's summed best values over every run of columns ending there,
    from cell ``first_cell`` on (up to the last cell a hit reaches).

    The hits ``(occ, col)`` are reduced once to distinct pairs sorted by occurrence and column,
    with their best value. A run of ``w`` columns ending at ``last`` is listed once, under the
    last hit at or before ``last`` (its *owner*), so the runs come out distinct and sorted
    without a sort; its best value is the maximum over its owner and the hits of the same
    occurrence fewer than ``w`` columns before ``last``.
    Max is exact, so values and their order into ``np.bincount`` are those of sorting every
    (occurrence, last) pair.
    """
    width = np.int64(int(band.hi.max(initial=0)) + n_widths + 1)
    keys, best1 = _group_max(occ * width + col, val)
    if keys.size == 0:
        return [np.zeros(0, np.float64) for _ in range(n_widths)]
    u_occ, u_col = keys // width, keys % width
    u_row = src.occ_sent.take(u_occ)
    u_weight = src.weight.take(src.occ_tok.take(u_occ))
    # Every hit lies in its row's band, so a run inside the band only needs last < hi.
    room = band.hi.take(u_row) - u_col
    base = band.offsets.take(u_row) - band.lo.take(u_row) + u_col - first_cell
    # Columns back to the k-th earlier hit of the same occurrence (``far`` when there is none).
    far = np.int64(n_widths + 1)
    n = keys.size
    back = [np.full(n, far, np.int64) for _ in range(max(n_widths, 2))]
    for k in range(1, min(len(back), n)):
        same = u_occ[k:] == u_occ[:-k]
        back[k][k:] = np.where(same, u_col[k:] - u_col[:-k], far)
    # Columns to the next hit of the same occurrence: the runs a hit owns stop there.
    gap = np.full(n, far, np.int64)
    gap[:-1] = back[1][1:]
    lim = np.minimum(gap, room)
    # The cells the piece's rows hold; one more, the dump, for the runs not listed.
    dump = int(band.offsets[int(u_row[-1]) + 1]) - first_cell
    # The run ending d columns after its owner: its cell, or the dump when another hit owns it
    # or it leaves the band.
    run_cell = [np.where(lim > d, base + d, dump) for d in range(n_widths)]
    # Its weighted value depends on w - d only (the columns it covers before its owner): the
    # owner's value, raised by the k-th hit before when that lies fewer than w - d back.
    run_value = []
    for reach in range(1, n_widths + 1):
        best = best1.copy()
        for k in range(1, min(reach, n)):
            # The k-th hit before: none for the first k (``back[k]`` is ``far`` there).
            np.maximum(best[k:], best1[:-k], out=best[k:], where=back[k][k:] < reach)
        run_value.append(best * u_weight)
    out = []
    for w in range(1, n_widths + 1):
        # Filled column by column (one run end per column) and read row by row: the runs
        # reach np.bincount in the order of (occurrence, last), as after a sort.
        cells = np.empty((n, w), np.int64)
        weights = np.empty((n, w), np.float64)
        for d in range(w):
            cells[:, d] = run_cell[d]
            weights[:, d] = run_value[w - d - 1]
        counted = np.bincount(cells.ravel(), weights=weights.ravel(), minlength=dump + 1)
        out.append(np.asarray(counted[:dump], np.float64))
    return out


def match_probability(
    side: Side, other: Side, table_tok: IntArray, other_tok: IntArray, val: FloatArray
) -> FloatArray:
    """Per token of ``side``: the chance that a random sentence of the other text holds one of
    its translations, about ``min(1, sum_t val(s, t) * df(t) / n_other)``."""
    if other.n == 0 or table_tok.size == 0:
        return np.zeros(len(side.vocab), np.float64)
    live = other.weight[other_tok] > 0
    p = np.bincount(
        table_tok[live],
        weights=val[live] * other.df[other_tok[live]] / other.n,
        minlength=len(side.vocab),
    )
    return np.asarray(np.minimum(p, 1.0), np.float64)


def informative(side: Side, p: FloatArray) -> Side:
    """The side with each token's weight capped by the rarity of its translations.

    A match is worth what it tells: a token whose translations turn up in a share ``p`` of the
    other text's sentences says ``log(1 + 1 / p)`` at most, however rare the token itself (the
    IDF weight is the same measure on the token's own frequency). A dictionary gives common
    words many common translations; capped so, they no longer drown the rare ones.
    """
    cap = np.where(p > 0, np.log1p(1.0 / np.maximum(p, 1e-12)), np.inf)
    weight = np.minimum(side.weight, cap)
    mass = np.bincount(side.occ_sent, weights=weight[side.occ_tok], minlength=side.n)
    return replace(side, weight=weight, mass=mass.astype(np.float64))


def chance_mass(
    side: Side,
    other: Side,
    table_tok: IntArray,
    other_tok: IntArray,
    val: FloatArray,
    widths: int = 1,
) -> FloatArray:
    """Per run width ``w`` (rows) and sentence of ``side``: its token mass expected to find a
    translation by chance among ``w`` sentences of the other text.

    A token ``s`` finds one in a random sentence of the other text with probability ``p``
    (:func:`match_probability`), and among ``w`` independent sentences with
    ``1 - (1 - p) ** w`` (not ``w * p``, which overstates it for words a dense table
    translates: with a dictionary, common words find a translation in most sentences).
    Subtracting it keeps wide beads from winning on cross-matches.
    """
    p = match_probability(side, other, table_tok, other_tok, val)
    out = np.zeros((widths, side.n), np.float64)
    for w in range(1, widths + 1):
        per_token = side.weight * (1.0 - (1.0 - p) ** w)
        out[w - 1] = np.bincount(side.occ_sent, weights=per_token[side.occ_tok], minlength=side.n)
    return out
