"""Lexicon-training variants measured end to end on the dev families (issue 20, round nine).

A change to the learned table changes pass 2, so each variant realigns every document (pass 1,
the lexicon, pass 2) and runs the shipped refinement; strict F1 per family as
``refine_variants.py`` reads them (``tb`` Text+Berg dev whole, ``tr`` the five TransRead books
with gold nulls split, ``pieces``, ``ot-ru`` / ``ot-en`` the perturbed Old Testament, ``b2k``
the first 2000 Bible verses). Variants patch module attributes for the run:

* ``base``: the shipped code; ``main``: round eight's training (every token trained on, the
  beads thinned evenly to ``ibm1.MAX_TRAINING_PAIRS``, no co-occurrence pairs);
* ``no-unseen``: without :mod:`aligner.features.unseen_pairs`; ``unseen-always``: with it on
  every text, thinned or not; ``one-sided``: each unlearned word paired with its best partner
  among all the words of its beads, not only the unlearned ones;
* ``stems``: words the lemmatiser left alone keyed by their first :data:`STEM` letters for the
  training (truncation stems);
* ``unseen-only``: round eight's training with :mod:`aligner.features.unseen_pairs`;
  ``pooled``: over the bound, each sentence's unmatched words pooled into one token rather
  than left out; ``*-small``: under a bound of :data:`SMALL_BOUND`, which binds on prose;
  family ``tr-book``: the five TransRead books as one document (over the real bound);
  families ``ot-ru-3`` / ``ot-en-3``: the perturbed OT in thirds of about the New Testament's
  size, each aligned as a document of its own (proxies of held-out Bible texts);
* ``live-2x`` / ``live-full`` / ``full``: round ten's bound doubled (beads evenly spaced) /
  lifted (every bead trains), the last with every token too (the ceiling of more training
  data, at its cost);
* round eleven (``base``: the shipped 900,000 pairs, the beads of fewest pairs first over
  them): ``even`` the same bound with round ten's evenly spaced beads; ``even-600k`` round
  ten's training, ``short-600k`` its bound with the beads of fewest pairs first;
  ``short-1.2m`` fewest pairs first up to 1,200,000 (``live-2x`` evenly spaced);
* ``iter-3`` / ``iter-10``: Model 1's EM iterations (5 shipped); ``assoc-0.025`` /
  ``assoc-0.1``: the table's pruning threshold on the two directions' geometric mean (0.05
  shipped); ``cooc-3``: three shared beads for a learned pair, not two; ``short-first``: over
  the bound, the beads of fewest pairs trained first (shipped since round eleven: now as
  ``base``);
  ``dense-first``: the beads holding most of their words' evidence per pair first (``*-small``
  under :data:`SMALL_BOUND`);
* ``eb``: the shape priors' Dirichlet strength estimated from each text's counts
  (``prior_strength.py``, empirical Bayes) rather than the shipped 300 pseudo-beads, in pass 2
  and the refinement's second reading; ``eb-pass2`` / ``eb-own``: in pass 2 / the second
  reading only, 300 in the other; ``eb-mean``: the strength integrated out, not its most
  likely value;
* round twelve (``m1``, Moore 2004's remedies for Model 1's rare words): ``smooth-M`` add-n
  smoothing, the virtual mass ``n |V|`` = M per given word (``model1_remedies.py``);
  ``null-K`` NULL's probability weighed K times in the E-step; ``llr`` the first
  probabilities from log-likelihood ratios, ``llr-iter-1``
  with one EM iteration; ``moore`` the three together (mass 1, NULL twice, LLR);
  ``smooth-em-M``: the smoothing in EM only, the values passed on the last counts' unsmoothed
  shares, ``null-2-smooth-em`` with NULL twice; ``both-above``: a learned pair kept where
  each direction's probability reaches the threshold, not their geometric mean.

Run from the project root::

    python benchmarks/lexicon_variants.py [--variants base,main,...] [--families tb,tr,...]
        [--no-dictionaries]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import devsets
import model1_remedies as MR
import numpy as np
import prior_strength as PS
from refine_variants import VARIANTS, documents

from aligner.config import AlignConfig
from aligner.evaluation import evaluate_documents, parse_beads
from aligner.features import ibm1, lexicon
from aligner.features.length import LengthModel
from aligner.features.tokens import distinct
from aligner.features.unseen_pairs import dice_and_best, shared_beads, unseen_pairs
from aligner.pipeline import STAGE_SHARES, passes
from aligner.pipeline.passes import _realign
from aligner.pipeline.run import _first
from aligner.progress import Stages
from aligner.scoring import refine as R
from aligner.scoring.own_priors import with_own_priors
from aligner.scoring.relative_nulls import RelativeNulls

_BEAD_TYPES = ibm1._bead_types
_REFIT = passes._refit


def _pooled_types(side: Any, bead_of: Any, always: Any, matched: bool = False) -> Any:
    """Over the bound, the unmatched words of a sentence pooled into one token (the most
    frequent of them) instead of left out: one absorber a bead, as NULL is."""
    zero = side.weight == 0
    if not matched or not zero.any():
        return _BEAD_TYPES(side, bead_of, always, matched)
    rep = int(np.flatnonzero(zero)[np.argmax(side.df[zero])])
    common = side.df[side.occ_tok] >= ibm1.MIN_COOCCURRENCE
    if always is not None:
        common |= always[side.occ_tok]
    keep = (bead_of[side.occ_sent] >= 0) & common
    toks = np.where(zero[side.occ_tok[keep]], rep, side.occ_tok[keep])
    width = np.int64(len(side.vocab) + 1)
    key = distinct(bead_of[side.occ_sent[keep]] * width + toks)
    return key // width, key % width


def _all_types(side: Any, bead_of: Any, always: Any, matched: bool = False) -> Any:
    """Main's training tokens: unmatched ones too, whatever the bound."""
    return _BEAD_TYPES(side, bead_of, always)


def evenly(pairs: Any, bound: int) -> Any:
    """Round ten's sample over the bound: evenly spaced beads, so that the pairs fit."""
    keep = np.zeros(pairs.size, np.bool_)
    keep[distinct(np.arange(0, pairs.size, pairs.sum() / bound).astype(np.int64))] = True
    return keep


def _no_pairs(*args: Any) -> Any:
    """No co-occurrence pairs for the words the sample left out."""
    z = np.zeros(0, np.int64)
    return z, z, np.zeros(0, np.float64)


_BY_LEMMA = lexicon._by_lemma
#: A training bound that binds on Text+Berg and TransRead (``*-small`` variants): the methods
#: for a thinned sample tried on prose, as on a novel longer than the dev books.
SMALL_BOUND = 40_000
#: Round ten's bound on Model 1's training pairs (``ibm1.MAX_TRAINING_PAIRS`` before round
#: eleven): the ``*-600k`` variants and ``live-2x``'s doubling.
MAIN_BOUND = 600_000
#: Letters of a truncation stem (``stems`` variant).
STEM = 5


def stem_keys(side: Any) -> Any:
    """The side with each word the lemmatiser left alone (its lemma its own form, no other
    form sharing it) keyed by its first :data:`STEM` letters, pooled with words so keyed."""
    if not side.lemma:
        return side
    size = Counter(side.lemma)
    keys = tuple(
        "~" + w[:STEM] if lem == w and size[lem] == 1 and len(w) > STEM and w.isalpha() else lem
        for w, lem in zip(side.vocab, side.lemma, strict=True)
    )
    return replace(side, lemma=keys)


def _stemmed(src: Any, tgt: Any, beads: Any, prior: Any) -> Any:
    return _BY_LEMMA(stem_keys(src), stem_keys(tgt), beads, prior)


def one_sided(src: Any, tgt: Any, beads: Any, learned: Any, always: bool = False) -> Any:
    """``unseen_pairs`` with each unlearned word paired with its best partner among all the
    words of its beads (learned or not), by Dice, at least two shared beads."""
    z = np.zeros(0, np.int64)
    empty = (z, z, np.zeros(0, np.float64))
    n_beads = len(beads)
    spans = np.asarray(beads, np.int64).reshape(-1, 4)
    sb, st = ibm1._bead_types(src, ibm1._bead_of(spans[:, 0], spans[:, 1], src.n), None, True)
    tb, tt = ibm1._bead_types(tgt, ibm1._bead_of(spans[:, 2], spans[:, 3], tgt.n), None, True)
    sc, tc = np.bincount(sb, minlength=n_beads), np.bincount(tb, minlength=n_beads)
    if int(np.dot(sc, tc)) <= ibm1.MAX_TRAINING_PAIRS and not always:
        return empty
    s_held = np.zeros(len(src.vocab), np.bool_)
    s_held[learned[0]] = True
    t_held = np.zeros(len(tgt.vocab), np.bool_)
    t_held[learned[1]] = True
    s_df = np.bincount(st, minlength=len(src.vocab))
    t_df = np.bincount(tt, minlength=len(tgt.vocab))
    su = ~s_held[st]
    tu = ~t_held[tt]
    a = shared_beads(sb[su], st[su], tb, tt, n_beads, len(tgt.vocab))
    b = shared_beads(sb[~su], st[~su], tb[tu], tt[tu], n_beads, len(tgt.vocab))
    s, t, shared = (np.concatenate(x) for x in zip(a, b, strict=True))
    dice, best_s, best_t = dice_and_best(s, t, shared, s_df, t_df)
    best = ((~s_held[s]) & (dice >= best_s)) | ((~t_held[t]) & (dice >= best_t))
    keep = (shared >= ibm1.MIN_COOCCURRENCE) & best
    value = dice * shared / (shared + ibm1.EVIDENCE_PSEUDOCOUNT)
    return s[keep], t[keep], value[keep]


def short_first(src: Any, tgt: Any, beads: Any, prior: Any = None, dense: bool = False) -> Any:
    """``ibm1.cooccurrences`` with, over the bound, the beads of fewest pairs kept first
    (rather than evenly spaced): more beads for the pairs, and a sharper Model 1 posterior where
    a word has few candidates (Moore 2002 trains on the first pass's surest 1-1 beads). With
    ``dense``, beads ranked by what they hold for their words per pair: the sum over both
    sides' words of ``1 / beads the word is in`` (the share of its evidence the bead holds),
    divided by the bead's pairs (a greedy knapsack)."""
    co = ibm1.cooccurrences(src, tgt, beads, prior)
    n_beads = len(beads)
    if n_beads == 0:
        return co
    spans = np.asarray(beads, np.int64).reshape(-1, 4)
    s_of = ibm1._bead_of(spans[:, 0], spans[:, 1], src.n)
    t_of = ibm1._bead_of(spans[:, 2], spans[:, 3], tgt.n)
    s_always, t_always = ibm1.always_known(src, tgt, prior)
    sb, _ = ibm1._bead_types(src, s_of, s_always)
    tb, _ = ibm1._bead_types(tgt, t_of, t_always)
    every = np.bincount(sb, minlength=n_beads) * np.bincount(tb, minlength=n_beads)
    if every.sum() <= ibm1.MAX_TRAINING_PAIRS:
        return co
    sb, st = ibm1._bead_types(src, s_of, s_always, matched=True)
    tb, tt = ibm1._bead_types(tgt, t_of, t_always, matched=True)
    s_count = np.bincount(sb, minlength=n_beads)
    t_count = np.bincount(tb, minlength=n_beads)
    pairs = s_count * t_count
    order = np.argsort(pairs, kind="stable")
    if dense:
        s_df = np.bincount(st, minlength=len(src.vocab))
        t_df = np.bincount(tt, minlength=len(tgt.vocab))
        worth = np.bincount(sb, 1.0 / s_df[st], n_beads) + np.bincount(tb, 1.0 / t_df[tt], n_beads)
        order = np.argsort(-worth / np.maximum(pairs, 1), kind="stable")
    fits = np.cumsum(pairs[order]) <= ibm1.MAX_TRAINING_PAIRS
    keep_beads = np.zeros(n_beads, np.bool_)
    keep_beads[order[fits]] = True
    sel = keep_beads[sb]
    sb, st = sb[sel], st[sel]
    t_start = np.concatenate([[0], np.cumsum(t_count)])
    reps = t_count[sb]
    owner = np.repeat(np.arange(sb.size, dtype=np.int64), reps)
    rank = np.arange(owner.size, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    return ibm1.Cooccurrence(sb[owner], st[owner], tt[t_start[sb[owner]] + rank])


@contextmanager
def patched(changes: dict[tuple[Any, str], Any]) -> Iterator[None]:
    old = {k: getattr(*k) for k in changes}
    for (mod, name), value in changes.items():
        setattr(mod, name, value)
    try:
        yield
    finally:
        for (mod, name), value in old.items():
            setattr(mod, name, value)


def _unchanged_priors(model: Any, path: Any) -> Any:
    return model


def _unweighed(self: Any, *args: Any) -> float:
    return 0.0


def _own_priors_shipped(model: Any, path: Any) -> Any:
    """The refinement's second reading with the shipped refit (300 pseudo-beads)."""
    with patched({(LengthModel, "refit"): PS.SHIPPED_REFIT}):
        return with_own_priors(model, path)


def _refit_shipped(*args: Any) -> Any:
    """Pass 2's priors with the shipped refit (300 pseudo-beads)."""
    with patched({(LengthModel, "refit"): PS.SHIPPED_REFIT}):
        return _REFIT(*args)


def _remedied(**options: Any) -> dict[tuple[Any, str], Any]:
    """Model 1 both ways with Moore (2004)'s remedies (``model1_remedies.both_ways``)."""
    return {(ibm1, "both_ways"): partial(MR.both_ways, **options)}


SETTINGS: dict[str, dict[tuple[Any, str], Any]] = {
    "base": {},
    # The refinement read once (round nine's `ot9`: no second reading under its own priors).
    "once": {(R, "with_own_priors"): _unchanged_priors},
    # The null options weighed by the model's length variance (round ten's `null2` switched off).
    "fixed-nulls": {(RelativeNulls, "weigh"): _unweighed},
    "no-unseen": {(lexicon, "unseen_pairs"): _no_pairs},
    "one-sided": {(lexicon, "unseen_pairs"): one_sided},
    "stems": {(lexicon, "_by_lemma"): _stemmed},
    "unseen-always": {(lexicon, "unseen_pairs"): partial(unseen_pairs, always=True)},
    "main": {(ibm1, "_bead_types"): _all_types, (lexicon, "unseen_pairs"): _no_pairs},
    "pooled": {(ibm1, "_bead_types"): _pooled_types},
    "pooled-small": {
        (ibm1, "_bead_types"): _pooled_types,
        (ibm1, "MAX_TRAINING_PAIRS"): SMALL_BOUND,
    },
    "unseen-only": {(ibm1, "_bead_types"): _all_types},
    "unseen-only-small": {
        (ibm1, "_bead_types"): _all_types,
        (ibm1, "MAX_TRAINING_PAIRS"): SMALL_BOUND,
    },
    "main-small": {
        (ibm1, "_bead_types"): _all_types,
        (lexicon, "unseen_pairs"): _no_pairs,
        (ibm1, "MAX_TRAINING_PAIRS"): SMALL_BOUND,
    },
    "no-unseen-small": {
        (lexicon, "unseen_pairs"): _no_pairs,
        (ibm1, "MAX_TRAINING_PAIRS"): SMALL_BOUND,
    },
    "base-small": {(ibm1, "MAX_TRAINING_PAIRS"): SMALL_BOUND},
    "live-2x": {(ibm1, "_kept_beads"): evenly, (ibm1, "MAX_TRAINING_PAIRS"): 2 * MAIN_BOUND},
    "full": {(ibm1, "_bead_types"): _all_types, (ibm1, "MAX_TRAINING_PAIRS"): 10**9},
    "live-full": {(ibm1, "MAX_TRAINING_PAIRS"): 10**9},
    "iter-3": {(ibm1, "IBM1_ITERATIONS"): 3},
    "iter-10": {(ibm1, "IBM1_ITERATIONS"): 10},
    "assoc-0.025": {(ibm1, "MIN_ASSOCIATION"): 0.025},
    "assoc-0.1": {(ibm1, "MIN_ASSOCIATION"): 0.1},
    "cooc-3": {(ibm1, "MIN_COOCCURRENCE"): 3},
    "short-first": {(lexicon, "cooccurrences"): short_first},
    "dense-first": {(lexicon, "cooccurrences"): partial(short_first, dense=True)},
    "dense-first-small": {
        (lexicon, "cooccurrences"): partial(short_first, dense=True),
        (ibm1, "MAX_TRAINING_PAIRS"): SMALL_BOUND,
    },
    "short-first-small": {
        (lexicon, "cooccurrences"): short_first,
        (ibm1, "MAX_TRAINING_PAIRS"): SMALL_BOUND,
    },
    "even": {(ibm1, "_kept_beads"): evenly},
    "even-600k": {(ibm1, "_kept_beads"): evenly, (ibm1, "MAX_TRAINING_PAIRS"): MAIN_BOUND},
    "short-600k": {(ibm1, "MAX_TRAINING_PAIRS"): MAIN_BOUND},
    "short-1.2m": {(ibm1, "MAX_TRAINING_PAIRS"): 2 * MAIN_BOUND},
    # Round eleven (``priors``): the shape priors' Dirichlet strength estimated from each
    # text's counts (``prior_strength.py``) in pass 2 and the refinement's second reading, in
    # one of them (the other at the shipped 300), or integrated out.
    "eb": {(LengthModel, "refit"): PS.estimated_refit()},
    "eb-pass2": {
        (LengthModel, "refit"): PS.estimated_refit(),
        (R, "with_own_priors"): _own_priors_shipped,
    },
    "eb-own": {(LengthModel, "refit"): PS.estimated_refit(), (passes, "_refit"): _refit_shipped},
    "eb-mean": {(LengthModel, "refit"): PS.estimated_refit(PS.posterior_strength)},
    # Round twelve (``m1``): Moore (2004)'s remedies for Model 1's rare words, alone and
    # together (``model1_remedies.py``): add-n smoothing of mass ``n |V|`` per given word,
    # a NULL weighed k times, the first probabilities from log-likelihood ratios.
    **{f"smooth-{m:g}": _remedied(smoothing=m) for m in (0.5, 1.0, 2.0, 4.0)},
    **{f"smooth-em-{m:g}": _remedied(smoothing=m, smoothed_values=False) for m in (1.0, 2.0)},
    **{f"null-{k:g}": _remedied(null_weight=k) for k in (2.0, 3.0, 4.0)},
    "null-2-smooth-em": _remedied(null_weight=2.0, smoothing=1.0, smoothed_values=False),
    "llr": _remedied(llr=True),
    "llr-iter-1": {**_remedied(llr=True), (ibm1, "IBM1_ITERATIONS"): 1},
    "moore": _remedied(smoothing=1.0, null_weight=2.0, llr=True),
    # Each direction's probability at least ``ibm1.MIN_ASSOCIATION``, not their mean.
    "both-above": {(lexicon, "_associations"): MR.both_above},
}


def joined(docs: list[devsets.Doc]) -> devsets.Doc:
    """The documents one after the other as one (``tr-book``: the five TransRead books as one
    prose document of about 2,500 sentences, over the training bound as a long novel is)."""
    src: list[str] = []
    tgt: list[str] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for d in docs:
        a, b = len(src), len(tgt)
        gold += [(tuple(i + a for i in g_s), tuple(j + b for j in g_t)) for g_s, g_t in d.gold]
        src += d.src
        tgt += d.tgt
    first = docs[0]
    return devsets.Doc(
        "joined", "joined", tuple(src), tuple(tgt), first.src_lang, first.tgt_lang, tuple(gold)
    )


#: Parts the perturbed OT is cut into (``ot-ru-3`` / ``ot-en-3`` families): a third of it is about
#: the New Testament's size (about 7,700 of its 23,000 verses against 7,950), a held-out-like
#: text still over the training bound.
PARTS = 3


def part(doc: devsets.Doc, k: int, parts: int = PARTS) -> devsets.Doc:
    """The ``k``-th of ``parts`` runs of ``doc``'s gold beads as a document of its own (the
    sentences those beads hold, gold renumbered); the gold is monotone and covers every
    sentence, so the runs partition both sides."""
    n = len(doc.gold)
    beads = doc.gold[k * n // parts : (k + 1) * n // parts]
    before = doc.gold[: k * n // parts]
    i0 = 1 + max((i for g, _ in before for i in g), default=-1)
    j0 = 1 + max((j for _, g in before for j in g), default=-1)
    i1 = 1 + max((i for g, _ in beads for i in g), default=i0 - 1)
    j1 = 1 + max((j for _, g in beads for j in g), default=j0 - 1)
    gold = tuple((tuple(i - i0 for i in g_s), tuple(j - j0 for j in g_t)) for g_s, g_t in beads)
    return devsets.Doc(
        f"{doc.name}-{k + 1}",
        doc.family,
        doc.src[i0:i1],
        doc.tgt[j0:j1],
        doc.src_lang,
        doc.tgt_lang,
        gold,
    )


def perturbed(folder: Path, src_lang: str, tgt_lang: str) -> devsets.Doc:
    """A pair made by the data's ``perturb_bible.py`` (another language pair of the OT, e.g.
    English against Russian with a seed of its own: a pair the methods were not tuned on)."""
    gold = parse_beads((folder / "gold").read_text(encoding="utf-8"))
    src = tuple((folder / "src.txt").read_text(encoding="utf-8").splitlines())
    tgt = tuple((folder / "tgt.txt").read_text(encoding="utf-8").splitlines())
    return devsets.Doc(folder.name, "bible-perturbed", src, tgt, src_lang, tgt_lang, tuple(gold))


def run(doc: devsets.Doc, cfg: AlignConfig) -> list:
    stages = Stages(None, STAGE_SHARES)
    first = _first(doc.src, doc.tgt, doc.src_lang, doc.tgt_lang, (), (), cfg, (), (), stages)
    assert first.state is not None
    prep, model, steps, decided = first.state
    model, steps, _ = _realign(prep, model, steps, decided, None, None)
    refined = VARIANTS["base"](model, steps, doc)
    return [(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1))) for s in refined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="base")
    parser.add_argument("--families", default="tb,tr,ot-ru,ot-en")
    parser.add_argument("--no-dictionaries", action="store_true")
    parser.add_argument(
        "--perturbed",
        metavar="DIR:SRC:TGT",
        help="also a pair made by the data's perturb_bible.py (src.txt, tgt.txt, gold in DIR, "
        "languages SRC and TGT), cut in thirds as family SRC-TGT-3",
    )
    args = parser.parse_args()
    cfg = AlignConfig(builtin_dictionary=not args.no_dictionaries)
    fams = set(args.families.split(","))
    docs = [(f, d) for f, d in documents(cfg.builtin_dictionary) if f in fams]
    if "tr-book" in fams:
        tr = [d for f, d in documents(cfg.builtin_dictionary) if f == "tr"]
        docs.append(("tr-book", joined(tr)))
    for lang in ("ru", "en"):
        if f"ot-{lang}-3" in fams:
            (ot,) = [d for d in devsets.perturbed_ot() if d.tgt_lang == lang]
            docs += [(f"ot-{lang}-{k + 1}/{PARTS}", part(ot, k)) for k in range(PARTS)]
    if args.perturbed:
        folder, src_lang, tgt_lang = args.perturbed.split(":")
        whole = perturbed(Path(folder), src_lang, tgt_lang)
        docs += [(f"{src_lang}-{tgt_lang}-{k + 1}/{PARTS}", part(whole, k)) for k in range(PARTS)]
    for name in args.variants.split(","):
        with patched(SETTINGS[name]):
            found: dict[str, list] = {}
            start = time.process_time()
            for family, d in docs:
                found.setdefault(family, []).append((run(d, cfg), list(d.gold)))
        cells = " ".join(f"{f} {evaluate_documents(r).strict_f1:.4f}" for f, r in found.items())
        print(f"{name:10s} {cells}  cpu {time.process_time() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
