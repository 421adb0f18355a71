"""Anchors (sentence pairs sharing rare keys) and the guide path through them for a banded search.

Two texts that translate each other share strings that survive translation once normalised:
numbers, names, cognate prefixes. A key that occurs in only one or two sentences on each side
pairs those sentences with little doubt (a sentence repeated verbatim counts once, and its
copies pair in order, so a text that repeats itself anchors as its distinct content does).
The pairs are filtered to one monotone chain, the heaviest increasing subsequence, then anchors
that agree with neither neighbour (coincidences that happen to fit the chain) are dropped, and
the guide path runs piecewise-linearly through the rest; :meth:`aligner.band.Band.around` turns
it into a band.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import numpy.typing as npt

#: A key is rare enough to anchor when it occurs in at most this many sentences on each side.
MAX_OCCURRENCES = 2
#: A pair is kept only if its relative positions differ by at most this fraction of the text
#: (1.0: no limit; a partial translation puts true pairs at very different relative places)...
MAX_RELATIVE_OFFSET = 1.0
#: ...or by at most this many source sentences (short texts have large relative offsets).
MIN_OFFSET_SENTENCES = 50
#: A chain anchor must agree with a neighbour in the chain: the step between them may depart
#: from the chain's local slope by this many target sentences...
NEIGHBOUR_TOLERANCE = 5.0
#: ...plus this many times the square root of the rows between them: merges and splits make
#: the offset between two texts wander like a random walk, whose spread grows with the square
#: root of the distance (a linear allowance let a coincidence 200 verses off through between
#: anchors 4,000 verses apart).
NEIGHBOUR_DRIFT = 2.0
#: Segments either side whose median slope is the chain's local trend.
SLOPE_WINDOW = 5
#: Beyond the first and the last anchor the guide keeps the chain's slope there, instead of
#: heading for the matrix corner, when the two slopes differ by more than this factor: one
#: text then has a passage the other lacks at that end (a translation of the first chapters).
END_SLOPE_FACTOR = 1.5


def _occurrences(
    keys: Sequence[Sequence[Hashable]], limit: int, copy_of: Sequence[int] | None = None
) -> dict[Hashable, tuple[list[int], int]]:
    """For each key, the sentences holding it and how many of them are distinct (a sentence
    written like an earlier one, ``copy_of[i] != i``, is not one more); a key's list stops
    growing once more than ``limit`` distinct sentences hold it (it is common)."""
    where: dict[Hashable, list[int]] = {}
    seen: dict[Hashable, int] = {}
    for i, sentence in enumerate(keys):
        new = int(copy_of is None or copy_of[i] == i)
        for key in set(sentence):
            count = seen.get(key, 0)
            if count <= limit:
                where.setdefault(key, []).append(i)
                seen[key] = count + new
    return {key: (sentences, seen[key]) for key, sentences in where.items()}


def candidate_pairs(
    src_keys: Sequence[Sequence[Hashable]],
    tgt_keys: Sequence[Sequence[Hashable]],
    *,
    max_occurrences: int = MAX_OCCURRENCES,
    max_relative_offset: float = MAX_RELATIVE_OFFSET,
    min_offset: int = MIN_OFFSET_SENTENCES,
    src_copy_of: Sequence[int] | None = None,
    tgt_copy_of: Sequence[int] | None = None,
) -> dict[tuple[int, int], float]:
    """Sentence pairs sharing rare keys, with their evidence (the summed weight of the keys).

    A key is rare when at most ``max_occurrences`` distinct sentences hold it on each side
    (``*_copy_of[i]``: the first sentence written like sentence ``i``; a repeated sentence
    counts once, so a text given twice anchors as one copy does). A key held by as many
    sentences on both sides pairs its occurrences in order, each pair weighing one over the
    key's distinct sentences; keys with different counts on the two sides are ambiguous and
    skipped. Pairs far from the same relative position are dropped.
    """
    if max_occurrences < 1:
        raise ValueError(f"max_occurrences must be >= 1, got {max_occurrences}")
    n, m = len(src_keys), len(tgt_keys)
    if n == 0 or m == 0:
        return {}
    src_occ = _occurrences(src_keys, max_occurrences, src_copy_of)
    tgt_occ = _occurrences(tgt_keys, max_occurrences, tgt_copy_of)
    slack = max(max_relative_offset * n, float(min_offset))
    evidence: dict[tuple[int, int], float] = {}
    for key, (src_where, src_distinct) in src_occ.items():
        tgt_where, tgt_distinct = tgt_occ.get(key, ([], 0))
        if (
            src_distinct > max_occurrences
            or tgt_distinct > max_occurrences
            or not tgt_where
            or len(tgt_where) != len(src_where)
        ):
            continue
        weight = 1.0 / max(src_distinct, tgt_distinct)
        for i, j in zip(src_where, tgt_where, strict=True):
            # Compare positions in source units: j * n / m is where j would be in the source.
            if abs(i - j * n / m) <= slack:
                evidence[(i, j)] = evidence.get((i, j), 0.0) + weight
    return evidence


def heaviest_chain(pairs: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """The pairs strictly increasing in both coordinates with the largest total weight.

    A weighted longest increasing subsequence: pairs in order of ``i``, a Fenwick tree over
    ``j`` holding the best chain ending below each column; O(k log k). Ties keep the chain
    found first in (i, j) order, so the result is deterministic.
    """
    if not pairs:
        return []
    items = sorted(pairs.items())
    cols = sorted({j for (_, j), _ in items})
    rank = {j: r + 1 for r, j in enumerate(cols)}  # 1-based for the tree
    size = len(cols)
    tree_score = [0.0] * (size + 1)
    tree_arg = [-1] * (size + 1)
    score = [0.0] * len(items)
    back = [-1] * len(items)
    start = 0
    while start < len(items):
        # Pairs of one source sentence may not chain with each other: query all, then insert.
        end = start
        while end < len(items) and items[end][0][0] == items[start][0][0]:
            end += 1
        for k in range(start, end):
            (_, j), weight = items[k]
            best, arg = 0.0, -1
            r = rank[j] - 1  # strictly smaller columns
            while r > 0:
                if tree_score[r] > best:
                    best, arg = tree_score[r], tree_arg[r]
                r -= r & -r
            score[k], back[k] = best + weight, arg
        for k in range(start, end):
            r = rank[items[k][0][1]]
            while r <= size:
                if score[k] > tree_score[r]:
                    tree_score[r], tree_arg[r] = score[k], k
                r += r & -r
        start = end
    k = max(range(len(items)), key=lambda t: (score[t], -t))
    chain: list[tuple[int, int]] = []
    while k >= 0:
        chain.append(items[k][0])
        k = back[k]
    chain.reverse()
    return chain


def _local_slopes(
    rows: npt.NDArray[np.float64], cols: npt.NDArray[np.float64], fallback: float
) -> npt.NDArray[np.float64]:
    """Per segment of the chain, the median slope of the segments around it (a robust trend)."""
    slopes = np.diff(cols) / np.diff(rows)
    if slopes.size < 3:
        # Too few segments to outvote a coincidence: the whole text's slope votes as well.
        return np.full(slopes.size, float(np.median([*slopes.tolist(), fallback, fallback])))
    # Windows are cut at the chain's ends (NaN padding, ignored by the median).
    padded = np.pad(slopes, SLOPE_WINDOW, constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * SLOPE_WINDOW + 1)
    return np.asarray(np.nanmedian(windows, axis=1), dtype=np.float64)


def drop_isolated(
    chain: Sequence[tuple[int, int]],
    n_src: int,
    n_tgt: int,
    *,
    tolerance: float = NEIGHBOUR_TOLERANCE,
    drift: float = NEIGHBOUR_DRIFT,
) -> list[tuple[int, int]]:
    """The chain without anchors that agree with neither neighbour.

    A coincidence that fits the monotone chain still pulls the guide far off course (a spike);
    a true shift, such as a missing passage, moves every later anchor alike, and a partial
    translation keeps a slope of its own. So two neighbours agree when the step between them
    follows the chain's local trend ``s`` (the median slope of the segments around them):
    ``|dj - s * di| <= tolerance + drift * sqrt(di) * max(1, s)``. An anchor stays when it agrees
    with the previous or the next one; repeated until nothing changes. The slope of the whole
    text, ``n_tgt / n_src``, helps only when the chain is too short for a trend of its own.
    """
    kept = list(chain)
    if n_src == 0:
        return kept
    while len(kept) > 1:
        rows = np.array([i for i, _ in kept], dtype=np.float64)
        cols = np.array([j for _, j in kept], dtype=np.float64)
        trend = _local_slopes(rows, cols, n_tgt / n_src)
        di, dj = np.diff(rows), np.diff(cols)
        # agree[k]: anchors k and k + 1 agree.
        allowed = tolerance + drift * np.sqrt(di) * np.maximum(1.0, trend)
        agree = np.abs(dj - trend * di) <= allowed
        keep = np.concatenate([agree, [False]]) | np.concatenate([[False], agree])
        if keep.all():
            break
        kept = [p for p, k in zip(kept, keep.tolist(), strict=True) if k]
    return kept


def find_anchors(
    src_keys: Sequence[Sequence[Hashable]],
    tgt_keys: Sequence[Sequence[Hashable]],
    *,
    max_occurrences: int = MAX_OCCURRENCES,
    max_relative_offset: float = MAX_RELATIVE_OFFSET,
    min_offset: int = MIN_OFFSET_SENTENCES,
    src_copy_of: Sequence[int] | None = None,
    tgt_copy_of: Sequence[int] | None = None,
) -> list[tuple[int, int]]:
    """Sentence pairs ``(i, j)`` sharing rare keys, filtered to one monotone chain.

    The chain is the heaviest increasing one (:func:`heaviest_chain`) without the anchors that
    agree with neither neighbour (:func:`drop_isolated`).

    ``src_keys[i]`` holds the comparable keys of source sentence ``i`` (strings that are equal
    across the languages when they match: normalised numbers, names, cognate prefixes);
    ``src_copy_of[i]`` the first source sentence written like sentence ``i`` (None: all
    distinct), and so for the target (see :func:`candidate_pairs`).
    """
    pairs = candidate_pairs(
        src_keys,
        tgt_keys,
        max_occurrences=max_occurrences,
        max_relative_offset=max_relative_offset,
        min_offset=min_offset,
        src_copy_of=src_copy_of,
        tgt_copy_of=tgt_copy_of,
    )
    return drop_isolated(heaviest_chain(pairs), len(src_keys), len(tgt_keys))


def _end_slope(anchors: Sequence[tuple[float, float]]) -> float | None:
    """Median slope of the last :data:`SLOPE_WINDOW` chain segments (None under three)."""
    tail = anchors[-(SLOPE_WINDOW + 1) :]
    if len(tail) < 4:
        return None
    rows = np.array([i for i, _ in tail], dtype=np.float64)
    cols = np.array([j for _, j in tail], dtype=np.float64)
    return float(np.median(np.diff(cols) / np.diff(rows)))


def _tail_points(
    anchor: tuple[float, float], corner: tuple[float, float], slope: float | None
) -> list[tuple[float, float]]:
    """Knots between the outermost anchor and the corner: the chain's slope, then a border.

    With the slope unknown, or close to that of the straight line to the corner, the guide
    runs straight there. Otherwise it follows the slope until one text runs out (the other's
    remainder is then inserted or deleted at the end).
    """
    (x0, y0), (x1, y1) = anchor, corner
    dx, dy = x1 - x0, y1 - y0
    if slope is None or slope <= 0 or dx <= 0 or dy <= 0:
        return []
    straight = dy / dx
    if max(straight / slope, slope / straight) <= END_SLOPE_FACTOR:
        return []
    if straight > slope:  # the target runs on: follow the slope to the last row
        return [(x1, y0 + slope * dx)]
    return [(x0 + dy / slope, y1)]  # the source runs on: reach the last column first


def guide_path(
    n_src: int, n_tgt: int, anchors: Sequence[tuple[int, int]]
) -> npt.NDArray[np.float64]:
    """Column centre per row (``n_src + 1`` values), piecewise-linear through the anchors.

    The path runs through ``(0, 0)``, the middle ``(i + ½, j + ½)`` of each anchor's cell and
    ``(n_src, n_tgt)``; it is non-decreasing. At row 0 it starts past column 0 when the target
    has a head the source lacks (``Band.around`` still opens the band at column 0). Beyond the
    outermost anchors it keeps the chain's slope where heading for the corner would bend it
    sharply (see :func:`_tail_points`). With no anchors it is the diagonal.
    """
    if n_src < 0 or n_tgt < 0:
        raise ValueError(f"sentence counts must be >= 0, got {n_src}, {n_tgt}")
    if n_src == 0:
        return np.array([float(n_tgt)])
    last = (-1, -1)
    for i, j in anchors:
        if not (0 <= i < n_src and 0 <= j < n_tgt):
            raise ValueError(f"anchor ({i}, {j}) is outside {n_src} x {n_tgt} sentences")
        if i <= last[0] or j <= last[1]:
            raise ValueError(f"anchor ({i}, {j}) does not follow {last} monotonically")
        last = (i, j)
    knots = [(i + 0.5, j + 0.5) for i, j in anchors]
    if knots:
        # The start is the end of the reversed chain, seen from the opposite corner.
        flipped = [(n_src - x, n_tgt - y) for x, y in reversed(knots)]
        head = _tail_points(flipped[-1], (n_src, n_tgt), _end_slope(flipped))
        tail = _tail_points(knots[-1], (n_src, n_tgt), _end_slope(knots))
        knots = [(n_src - x, n_tgt - y) for x, y in head] + knots + tail
    points = [(0.0, 0.0), *knots, (float(n_src), float(n_tgt))]
    xs = np.array([x for x, _ in points])
    ys = np.array([y for _, y in points])
    # A vertical step (several knots on one row) keeps its highest column: np.interp takes
    # the last of equal xs.
    return np.asarray(np.interp(np.arange(n_src + 1, dtype=np.float64), xs, ys), np.float64)
