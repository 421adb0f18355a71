"""Lexicon-training variants measured end to end: pass 2 re-run (the table changes it) and the
shipped refinement, strict F1 per dev family (as ``refine_variants.py`` reads them)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import devsets
import numpy as np
from refine_variants import VARIANTS, documents

from aligner.config import AlignConfig
from aligner.evaluation import evaluate_documents
from aligner.features import ibm1, lexicon
from aligner.features.unseen_pairs import unseen_pairs
from aligner.pipeline import STAGE_SHARES
from aligner.pipeline.passes import _realign
from aligner.pipeline.run import _first
from aligner.progress import Stages

_BEAD_TYPES = ibm1._bead_types


def _all_types(side: Any, bead_of: Any, always: Any, matched: bool = False) -> Any:
    """Main's training tokens: unmatched ones too, whatever the bound."""
    return _BEAD_TYPES(side, bead_of, always)


def _no_pairs(*args: Any) -> Any:
    """No co-occurrence pairs for the words the sample left out."""
    z = np.zeros(0, np.int64)
    return z, z, np.zeros(0, np.float64)


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


SETTINGS: dict[str, dict[tuple[Any, str], Any]] = {
    "base": {},
    "no-unseen": {(lexicon, "unseen_pairs"): _no_pairs},
    "unseen-always": {(lexicon, "unseen_pairs"): partial(unseen_pairs, always=True)},
    "main": {(ibm1, "_bead_types"): _all_types},
    "live-2x": {(ibm1, "MAX_TRAINING_PAIRS"): 2 * ibm1.MAX_TRAINING_PAIRS},
    "full": {(ibm1, "_bead_types"): _all_types, (ibm1, "MAX_TRAINING_PAIRS"): 10**9},
    "live-full": {(ibm1, "MAX_TRAINING_PAIRS"): 10**9},
}


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
    args = parser.parse_args()
    cfg = AlignConfig(builtin_dictionary=not args.no_dictionaries)
    fams = set(args.families.split(","))
    docs = [(f, d) for f, d in documents(cfg.builtin_dictionary) if f in fams]
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
