"""Confidence of each bead of a path: the calibrated probability that the bead is exactly right.

Two logistic models, fitted on dev gold by ``tools/fit_calibration.py`` (weights in
:mod:`aligner.scoring.calibration`), read evidence the aligner already has:

* the **bead model** gives P(bead right | the texts are translations of each other) from the
  bead's posterior: the share of the weight of all paths through a band around the path that
  passes through this very bead (:mod:`aligner.search.lattice`, bead costs read as negative
  log-probabilities at :data:`TEMPERATURE`), which weighs every alternative at once, near or
  far, where a margin saw only the best local one; and from its shape and the shape's prior as
  re-estimated on this text, and two figures of the whole text: its
  share of 1-1 beads (verse-numbered texts pair nearly everything one to one, and a bead that
  keeps to that pattern is rarely wrong; their costs are sharper too, so the posterior counts
  for more there) and its share of lexically matched beads; and from where the path changes
  granularity, which the costs barely see (a gold 3-2 cut into 1-1 + 2-1 costs about the same
  either way, each part a faithful translation): whether a 1-1 bead stands beside one that is
  not, and how strongly a sentence of the bead links into a neighbouring bead by the exclusive
  word links of the boundary refinement (:mod:`aligner.scoring.link_evidence`), and whether
  at its edges one text stops a sentence where the other only pauses, its sentence running on
  into the next bead (:mod:`aligner.scoring.edge_evidence`);
* the **document model** gives P(the texts are translations) from the share of paired beads
  whose lexical coverage beats chance by :data:`MATCHED_COVERAGE`. A posterior only says the
  path beat the others: when nothing in the texts translates anything every path is as bad, and
  the one found still looks sure.

The margin over the best local alternative (the bead model's main input before the lattice),
the lattice's boundary and local-alternative posteriors, and the posterior at other
temperatures were measured as further inputs and left out: none moved the held-out AUROC of any
dev family by more than its noise (``benchmarks/RESULTS.md``, round four); so were the weakest
cut and the weakest sentence of a bead by its word links (round five), and what merging the
bead with a neighbour would change (:mod:`aligner.scoring.merge_evidence`: the merged bead's
posterior, the merge's cost margin, coverage gain and length gain), and the bead's own length
misfit, an input up to round five (round six: the misfit and the length gain each moved one
family up and another down). They stay in :class:`Evidence` for the benchmarks.

A paired bead's confidence is the product of the two; an unaligned sentence's adds the chance
that the texts are unrelated, where leaving every sentence unaligned is the right answer.
The size of the text was tried as a feature and left out: fitted on passages of 100-900
sentences it made the whole Text+Berg dev file (and would make any book) overconfident.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from aligner.arrays import FloatArray, IntArray
from aligner.band import Band
from aligner.scoring import calibration
from aligner.scoring.cost import MatchCache, Model, factory, path_band, prefix
from aligner.scoring.edge_evidence import soft_edges
from aligner.scoring.link_evidence import LinkEvidence, link_evidence
from aligner.scoring.merge_evidence import MergeEvidence, merge_evidence
from aligner.search import CostFunction, Step, step_edges
from aligner.search.lattice import Lattice, lattice

#: A paired bead counts as lexically matched when the mean coverage of its sentences (their token
#: mass that finds a translation in the bead, less chance, over their mass: see
#: :meth:`aligner.scoring.cost.Matches.coverage`) is above this. Measured on the dev pairs
#: (true pairs against each document paired with another one's translation), re-measured with the
#: shipped dictionaries: 0.05 leaves the widest gap (0.75) between the share of matched beads in
#: true pairs (0.80 and up) and in unrelated ones (0.05 at most); 0.02, 0.04, 0.06 and 0.1 leave
#: gaps of 0.57, 0.73, 0.71 and 0.47.
MATCHED_COVERAGE = 0.05
#: Margins (in cost units) are clipped to this before their logarithm: a bead with no alternative
#: at all (a single sentence against nothing) gets the largest.
MARGIN_CLIP = 200.0
#: The length misfit (``-log P(|delta|)`` of Gale–Church) is clipped here: past it, a bead's
#: lengths are simply implausible, and a linear term would let one absurd bead dominate.
LENGTH_MISFIT_CLIP = 20.0
#: Posteriors are clipped to ``[POSTERIOR_FLOOR, 1 - POSTERIOR_FLOOR]`` before their logit: past
#: it the lattice's figures say only "certain" or "excluded", and one bead should not dominate.
POSTERIOR_FLOOR = 1e-4
#: Temperature of the lattice: a bead's cost ``c`` weighs ``exp(-c / TEMPERATURE)``. Fitted on
#: dev (``tools/fit_calibration.py --temperatures``).
TEMPERATURE = 2.0
#: The text's typical link strength (the median coverage of its paired beads) is floored here
#: before ``outward`` is divided by it: a text where nothing links has no scale to read it on.
TYPICAL_COVERAGE_FLOOR = 0.01
#: The bead model's inputs, in the order of :func:`bead_features`' columns. ``a*b`` is a product.
BEAD_FEATURES = (
    "posterior",
    "wide",
    "soft_edge",
    "shape_log_prior",
    "one_to_one_share",
    "one_to_one_share*posterior",
    "matched_share",
    "outward",
    "next_to_wide",
)
#: The document model's inputs, in the order of :func:`document_features`' columns.
DOCUMENT_FEATURES = ("matched_share",)


@dataclass(frozen=True)
class Evidence:
    """What the aligner knows about each bead of a final path, one entry per bead.

    ``margin``: cost of the best local alternative minus the bead's own (clipped to
    ±:data:`MARGIN_CLIP`); ``coverage``: the mean lexical coverage of the bead's sentences (0 for
    an unaligned sentence); ``length_misfit``: the Gale–Church ``-log P(|delta|)`` of the bead's
    lengths (0 for an unaligned sentence); ``shape_log_prior``: log of the bead shape's prior as
    re-estimated on this text; ``src_size`` / ``tgt_size``: sentences on each side.
    From the lattice (:mod:`aligner.search.lattice`, all paths in a band around the path at
    :data:`TEMPERATURE`): ``posterior``, the probability that the bead is on the path;
    ``boundary``, that of the less sure of its two edges (the path crossing its first or its end
    cell); ``alternative``, the largest posterior of a local alternative (an edge sentence moved
    to the neighbouring bead or left alone, the bead merged with a neighbour). ``None`` when
    built without them (the tests' hand-made evidence). ``links``: what the bead's exclusive
    word links say (:mod:`aligner.scoring.link_evidence`), ``None`` when built without them.
    ``merges``: what merging the bead with a neighbour would change
    (:mod:`aligner.scoring.merge_evidence`); ``soft_edge``: 1.0 where one text stops a sentence
    at the bead's edge and the other pauses (:mod:`aligner.scoring.edge_evidence`); ``None``
    when built without them (without the sentences, for ``soft_edge``).
    """

    margin: FloatArray
    coverage: FloatArray
    length_misfit: FloatArray
    shape_log_prior: FloatArray
    src_size: IntArray
    tgt_size: IntArray
    n_src: int
    n_tgt: int
    posterior: FloatArray | None = None
    boundary: FloatArray | None = None
    alternative: FloatArray | None = None
    links: LinkEvidence | None = None
    merges: MergeEvidence | None = None
    soft_edge: FloatArray | None = None

    @property
    def paired(self) -> FloatArray:
        """1.0 for beads with sentences on both sides, else 0.0."""
        return ((self.src_size > 0) & (self.tgt_size > 0)).astype(np.float64)

    @property
    def matched_share(self) -> float:
        """Share of paired beads whose coverage is above :data:`MATCHED_COVERAGE` (0 if none)."""
        paired = self.paired > 0
        if not paired.any():
            return 0.0
        return float(np.mean(self.coverage[paired] > MATCHED_COVERAGE))

    @property
    def one_to_one_share(self) -> float:
        """Share of beads that pair one sentence with one (0 if there are no beads)."""
        if self.src_size.size == 0:
            return 0.0
        return float(np.mean((self.src_size == 1) & (self.tgt_size == 1)))


def _margins(model: Model, steps: Sequence[Step], fn: CostFunction) -> FloatArray:
    """Cost of each step's best local alternative minus its own (see the module docstring)."""
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    allowed = set(model.config.shapes)
    k = len(steps)
    i0, i1, j0, j1 = step_edges(steps)
    own = np.array([s.cost for s in steps], np.float64)
    # Costs of leaving every sentence unaligned, as prefix sums over sentences.
    dele = prefix(fn((1, 0), np.arange(1, n_src + 1), np.zeros(n_src, np.int64)))
    inse = prefix(fn((0, 1), np.zeros(n_tgt, np.int64), np.arange(1, n_tgt + 1)))
    alt = np.full(k, np.inf)
    both = (i1 > i0) & (j1 > j0)
    null = dele[i1] - dele[i0] + inse[j1] - inse[j0]
    alt = np.where(both, null, alt)
    a_of, b_of = i1 - i0, j1 - j0
    for a, b in {(int(a), int(b)) for a, b in zip(a_of, b_of, strict=True) if a and b}:
        sel = np.flatnonzero((a_of == a) & (b_of == b))
        for di, dj in ((0, 1), (0, -1), (1, 0), (-1, 0)):
            ii, jj = i1[sel] + di, j1[sel] + dj
            ok = (ii >= a) & (ii <= n_src) & (jj >= b) & (jj <= n_tgt)
            if ok.any():
                c = np.full(sel.size, np.inf)
                c[ok] = fn((a, b), ii[ok], jj[ok])
                alt[sel] = np.minimum(alt[sel], c)
    # Insertions and deletions: joined to the previous or the next bead instead, a shape at a
    # time over all of them.
    lone = np.flatnonzero(~both)
    for side in (-1, 1):
        nb = lone + side
        ok = (nb >= 0) & (nb < k)
        idx, nb = lone[ok], nb[ok]
        lo, hi = np.minimum(idx, nb), np.maximum(idx, nb)
        da, db = i1[hi] - i0[lo], j1[hi] - j0[lo]
        for a, b in allowed:
            sel = np.flatnonzero((da == a) & (db == b))
            if sel.size:
                merged = fn((a, b), i1[hi[sel]], j1[hi[sel]])
                alt[idx[sel]] = np.minimum(alt[idx[sel]], merged - own[nb[sel]])
    return np.asarray(np.clip(alt - own, -MARGIN_CLIP, MARGIN_CLIP), np.float64)


def _alternatives(
    lat: Lattice, i0: IntArray, i1: IntArray, j0: IntArray, j1: IntArray
) -> FloatArray:
    """Per bead, the largest posterior of its local alternatives (see :class:`Evidence`).

    At each edge: the edge sentence of either side given to the neighbouring bead (or left
    alone, which leaves the same remainder), the neighbour's edge sentence taken in, and the
    bead merged with its neighbour. Alternatives of shapes the lattice lacks have posterior 0.
    """
    k = i0.size
    prev = np.maximum(np.arange(k) - 1, 0)
    nxt = np.minimum(np.arange(k) + 1, k - 1)
    # (start row, end row, start column, end column) of each alternative, one set per bead.
    spans = [
        (i0, i1 - 1, j0, j1),  # last source sentence moved on
        (i0, i1, j0, j1 - 1),  # last target sentence moved on
        (i0, i1 + 1, j0, j1),  # next source sentence taken in
        (i0, i1, j0, j1 + 1),  # next target sentence taken in
        (i0 + 1, i1, j0, j1),  # first source sentence moved back
        (i0, i1, j0 + 1, j1),  # first target sentence moved back
        (i0 - 1, i1, j0, j1),  # previous source sentence taken in
        (i0, i1, j0 - 1, j1),  # previous target sentence taken in
        (i0, i1[nxt], j0, j1[nxt]),  # merged with the next bead
        (i0[prev], i1, j0[prev], j1),  # merged with the previous bead
    ]
    best = np.zeros(k)
    for r0, r1, c0, c1 in spans:
        a, b = r1 - r0, c1 - c0
        ok = (a >= 0) & (b >= 0) & (a + b > 0) & (r0 >= 0) & (c0 >= 0)
        ok &= (a != i1 - i0) | (b != j1 - j0) | (r0 != i0) | (c0 != j0)
        # One call per shape: an alternative's shape is coded as a * (widest b + 1) + b.
        base = int(b.max()) + 1
        code = np.where(ok, a * base + b, -1)
        for c in np.unique(code[ok]).tolist():
            sel = np.flatnonzero(code == c)
            shape = (c // base, c % base)
            best[sel] = np.maximum(best[sel], lat.bead(shape, r1[sel], c1[sel]))
    return best


def _lattice(model: Model, fn: CostFunction, band: Band) -> Lattice | None:
    """The lattice over ``band`` under ``fn`` at :data:`TEMPERATURE`; ``None`` when the band
    holds no path (one that took a forbidden bead the search allowed at a penalty)."""
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    try:
        return lattice(
            n_src, n_tgt, model.config.shapes, lambda _: fn, temperature=TEMPERATURE, band=band
        )
    except ValueError:
        return None


def posteriors(
    model: Model, steps: Sequence[Step], fn: CostFunction, band: Band, lat: Lattice | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The lattice's ``posterior``, ``boundary`` and ``alternative`` of each step (see
    :class:`Evidence`), over ``band`` under the cost function ``fn`` built for it (``lat``: that
    lattice, if already built).

    A path the band cannot hold (one that took a forbidden bead the search allowed at a
    penalty) gets zeros: no path of the lattice agrees with it.
    """
    zeros = np.zeros(len(steps))
    lat = _lattice(model, fn, band) if lat is None else lat
    if lat is None:
        return zeros, zeros, zeros
    i0, i1, j0, j1 = step_edges(steps)
    posterior = zeros.copy()
    a_of, b_of = i1 - i0, j1 - j0
    for a, b in {(int(a), int(b)) for a, b in zip(a_of, b_of, strict=True)}:
        sel = np.flatnonzero((a_of == a) & (b_of == b))
        posterior[sel] = lat.bead((a, b), i1[sel], j1[sel])
    boundary = np.minimum(lat.node(i0, j0), lat.node(i1, j1))
    return posterior, boundary, _alternatives(lat, i0, i1, j0, j1)


def evidence(
    model: Model,
    steps: Sequence[Step],
    cache: MatchCache | None = None,
    sentences: tuple[Sequence[str], Sequence[str]] | None = None,
) -> Evidence:
    """The :class:`Evidence` of each step of a final path under ``model``.

    ``cache``: matches under ``model``'s table, such as the last pass's; where they cover the
    band read here, they are read instead of joined again (a join of the whole book).
    ``sentences``: the two texts' sentences, for the agreement of sentence ends at each bead's
    edges (:mod:`aligner.scoring.edge_evidence`; without them it reads 0, agreement).
    """
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    band = path_band(steps, n_src, n_tgt, model.config.max_bead + 2).connected()
    cache = MatchCache(model) if cache is None else cache
    fn = factory(model, cache)(band)
    matches = cache(band)  # the matches fn was built on
    i0, i1, j0, j1 = step_edges(steps)
    a_of, b_of = i1 - i0, j1 - j0
    texts, length = model.texts, model.length
    l1 = texts.src_len[i1] - texts.src_len[i0]
    l2 = texts.tgt_len[j1] - texts.tgt_len[j0]
    # Coverage against chance only: the baseline is a search device (it keeps sentences from
    # riding free in wide beads), not evidence.
    raw = replace(model, baseline=0.0)
    coverage = np.zeros(len(steps))
    misfit = np.zeros(len(steps))
    log_prior = np.zeros(len(steps))
    for a, b in {(int(a), int(b)) for a, b in zip(a_of, b_of, strict=True)}:
        sel = np.flatnonzero((a_of == a) & (b_of == b))
        log_prior[sel] = math.log(length.prior((a, b)))
        if a and b:
            coverage[sel] = matches.coverage(raw, i1[sel], j1[sel], a, b) / (a + b)
            misfit[sel] = length.cost((a, b), l1[sel], l2[sel]) - log_prior[sel]
    lat = _lattice(model, fn, band)
    posterior, boundary, alternative = posteriors(model, steps, fn, band, lat)
    return Evidence(
        margin=_margins(model, steps, fn),
        coverage=coverage,
        length_misfit=misfit,
        shape_log_prior=log_prior,
        src_size=a_of,
        tgt_size=b_of,
        n_src=n_src,
        n_tgt=n_tgt,
        posterior=posterior,
        boundary=boundary,
        alternative=alternative,
        links=link_evidence(model, steps),
        merges=merge_evidence(model, steps, fn, matches, lat),
        soft_edge=None if sentences is None else soft_edges(steps, *sentences),
    )


def _logit(p: FloatArray | None, k: int) -> FloatArray:
    """``log(p / (1 - p))`` clipped at :data:`POSTERIOR_FLOOR` (0, even odds, without ``p``)."""
    if p is None:
        return np.zeros(k)
    q = np.clip(p, POSTERIOR_FLOOR, 1.0 - POSTERIOR_FLOOR)
    return np.asarray(np.log(q) - np.log1p(-q), np.float64)


def outward(ev: Evidence) -> FloatArray:
    """The strongest link of a bead's sentence into a neighbouring bead (or a neighbour's into
    it; :class:`~aligner.scoring.link_evidence.LinkEvidence`), kept to [0, 1], over the text's
    median coverage of paired beads: how much of a sentence links at all differs with the
    language pair and its dictionaries (German-French links weakly), and a link into the
    neighbour counts against how strongly this text's sentences link into their own beads."""
    k = ev.margin.size
    if ev.links is None:
        return np.zeros(k)
    cov = ev.coverage[ev.paired > 0]
    typical = max(float(np.median(cov)), TYPICAL_COVERAGE_FLOOR) if cov.size else 1.0
    return np.asarray(np.clip(ev.links.outward, 0.0, 1.0) / typical, np.float64)


def next_to_wide(ev: Evidence) -> FloatArray:
    """1.0 for a 1-1 bead beside a bead that is not 1-1, else 0.0: where the path changes
    granularity, a 1-1 bead may be a part of a gold bead the aligner cut (a gold 3-2 as 1-1 and
    2-1), or the rest of one it merged."""
    one = (ev.src_size == 1) & (ev.tgt_size == 1)
    other = ~one
    beside = np.zeros(one.size, bool)
    beside[1:] |= other[:-1]
    beside[:-1] |= other[1:]
    return np.asarray(one & beside, np.float64)


def bead_features(ev: Evidence) -> FloatArray:
    """The bead model's inputs, one row per bead, columns as :data:`BEAD_FEATURES`."""
    k = ev.margin.size
    one_to_one = ev.one_to_one_share
    matched = ev.matched_share
    posterior = _logit(ev.posterior, k)
    columns = {
        "posterior": posterior,
        "wide": (ev.src_size + ev.tgt_size >= 3).astype(np.float64),
        "soft_edge": np.zeros(k) if ev.soft_edge is None else ev.soft_edge,
        "shape_log_prior": ev.shape_log_prior,
        "one_to_one_share": np.full(k, one_to_one),
        # Costs of verse-numbered text are sharper: the same posterior means more there.
        "one_to_one_share*posterior": one_to_one * posterior,
        "matched_share": np.full(k, matched),
        "outward": outward(ev),
        "next_to_wide": next_to_wide(ev),
    }
    return np.column_stack([columns[name] for name in BEAD_FEATURES]).reshape(k, -1)


def document_features(ev: Evidence) -> FloatArray:
    """The document model's inputs, one row, columns as :data:`DOCUMENT_FEATURES`."""
    return np.array([[ev.matched_share]], np.float64)


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0))), np.float64)


def _linear(features: FloatArray, names: Sequence[str], weights: Mapping[str, float]) -> FloatArray:
    """``bias + features @ weights`` with the weights looked up by feature name."""
    if set(weights) != {*names, "bias"}:
        raise ValueError(f"calibration weights {sorted(weights)} do not match features {names}")
    w = np.array([weights[n] for n in names], np.float64)
    return np.asarray(features @ w + weights["bias"], np.float64)


def translation_probability(ev: Evidence, weights: Mapping[str, float] | None = None) -> float:
    """The document model: probability that the two texts are translations of each other.

    ``weights`` default to the shipped ones (:data:`aligner.scoring.calibration.DOCUMENT_WEIGHTS`).
    """
    w = calibration.DOCUMENT_WEIGHTS if weights is None else weights
    return float(_sigmoid(_linear(document_features(ev), DOCUMENT_FEATURES, w))[0])


def calibrated(
    ev: Evidence,
    bead_weights: Mapping[str, float] | None = None,
    document_weights: Mapping[str, float] | None = None,
) -> FloatArray:
    """Probability that each bead is exactly right (see the module docstring).

    The weights default to the shipped ones (:mod:`aligner.scoring.calibration`); the fit
    passes its own.
    """
    if ev.margin.size == 0:
        return np.zeros(0, np.float64)
    w = calibration.BEAD_WEIGHTS if bead_weights is None else bead_weights
    right = _sigmoid(_linear(bead_features(ev), BEAD_FEATURES, w))
    related = translation_probability(ev, document_weights)
    out = related * right + (1.0 - related) * (1.0 - ev.paired)
    return np.asarray(np.clip(out, 0.0, 1.0), np.float64)


def confidences(
    model: Model,
    steps: Sequence[Step],
    sentences: tuple[Sequence[str], Sequence[str]] | None = None,
) -> FloatArray:
    """Calibrated confidence of each step of a final path (see the module docstring);
    ``sentences`` as :func:`evidence` reads them."""
    return calibrated(evidence(model, steps, sentences=sentences))
