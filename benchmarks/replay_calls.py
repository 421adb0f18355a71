"""One stage's calls recorded during an alignment of the Old Testament and replayed, timed alone.

A whole run moves by more than a cut of a few hundredths of a second on the shared machine;
replaying the same calls (their inputs kept from one alignment) and taking the least CPU time
of several repetitions isolates the stage. Run it once per version of the code, alternated
(``PYTHONPATH`` to an exported tree for the other version); the outputs' hash tells that the
versions give the same arrays.

    python benchmarks/replay_calls.py join
    python benchmarks/replay_calls.py coverage --pair fr-ru
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def _record(stage: str, pair: str) -> tuple[Callable[..., Any], list[tuple[Any, ...]], Any]:
    """Align ``pair`` once with ``stage``'s function wrapped: the function, its calls' inputs."""
    import aligner.scoring.cost as cost
    import aligner.search.programme as programme
    from aligner.pipeline import align

    owner: Any
    if stage == "join":
        owner, name = cost, "window_matches"
    elif stage == "coverage":
        owner, name = cost._Coverage, "__call__"
    else:
        owner, name = programme._Sweep, "block"
    plain = getattr(owner, name)
    calls: list[tuple[Any, ...]] = []

    def recorded(*args: Any) -> Any:
        # Copies: the sweep reuses its index arrays block after block.
        calls.append(tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args))
        return plain(*args)

    setattr(owner, name, recorded)
    src_lang, tgt_lang = pair.split("-")
    folder = DATA / "bible_fr-en-ru_verse_OT"
    src = (folder / f"OT.{src_lang}").read_text(encoding="utf-8").splitlines()
    tgt = (folder / f"OT.{tgt_lang}").read_text(encoding="utf-8").splitlines()
    try:
        align(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang)
    finally:
        setattr(owner, name, plain)
    return plain, calls, owner


def _digest(out: Any, into: Any) -> None:
    if isinstance(out, np.ndarray):
        into.update(out.tobytes())
    else:  # a block of the programme: its costs, predecessors and insertion sums
        for arr in (out.cost, out.prev, out.insert_sum):
            into.update(np.ascontiguousarray(arr).tobytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=["join", "coverage", "blocks"])
    parser.add_argument("--pair", default="fr-en")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    fn, calls, _ = _record(args.stage, args.pair)
    best, digest = float("inf"), ""
    for _ in range(args.repeats):
        if args.stage == "coverage":  # each repetition starts without held terms
            for call in calls:
                call[0].src.held.clear()
                call[0].tgt.held.clear()
        into, spent = hashlib.sha1(), 0.0
        for call in calls:
            start = time.process_time()
            out = fn(*call)
            spent += time.process_time() - start
            _digest(out, into)  # at once: a block's arrays are the sweep's scratch
        best, digest = min(best, spent), into.hexdigest()[:12]
    print(f"{args.stage} {args.pair}: {len(calls)} calls, least CPU {best:.3f} s, outputs {digest}")


if __name__ == "__main__":
    main()
