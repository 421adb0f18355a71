"""The Bible re-cut of ``benchmarks/recut.py``: its gold beads partition both sides and give back
the verses, and a seed gives the same documents every time."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from scripts import load_script

from aligner.types import Bead, check_partition

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "recut.py"


recut = load_script("benchmarks/recut.py", register=True)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 300), st.integers(0, 10_000))
def test_recut_gold_partitions_and_keeps_every_verse(n: int, seed: int) -> None:
    src = [f"s{k}." for k in range(n)]
    tgt = [f"t{k}." for k in range(n)]
    doc = recut.recut(src, tgt, random.Random(seed), "x")
    check_partition([Bead(s, t) for s, t in doc.gold], len(doc.src), len(doc.tgt))
    # Joined bead by bead, the gold gives back each side's verses in order, bar dropped ones.
    src_back = [v for s, _ in doc.gold for i in s for v in doc.src[i].split(" ")]
    tgt_back = [v for _, t in doc.gold for j in t for v in doc.tgt[j].split(" ")]
    assert set(src_back) <= set(src) and src_back == sorted(src_back, key=src.index)
    assert set(tgt_back) <= set(tgt) and tgt_back == sorted(tgt_back, key=tgt.index)
    # A verse missing on one side is there on the other.
    assert set(src_back) | {f"s{v[1:]}" for v in tgt_back} == set(src)
    for s, t in doc.gold:
        assert (len(s), len(t)) in {(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)}


def test_recut_is_seeded() -> None:
    src = [f"s{k}." for k in range(200)]
    tgt = [f"t{k}." for k in range(200)]
    a = recut.recut(src, tgt, random.Random(7), "x")
    b = recut.recut(src, tgt, random.Random(7), "x")
    assert a == b
    assert any(len(s) != 1 or len(t) != 1 for s, t in a.gold)
