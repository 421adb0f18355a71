"""The null option's lengths under the text's own variance (``aligner.scoring.relative_nulls``):
the variance of the text's 1-1 beads, what it changes in a null option's cost, and the
refinement asking for it."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from test_refine_variants import _doc, _merged_nulls, _spans, rv

from aligner.config import AlignConfig
from aligner.scoring import refine as R
from aligner.scoring.relative_nulls import RelativeNulls, own_variance


def test_the_length_variance_is_the_texts_own_over_its_one_to_one_beads() -> None:
    # Ten 1-1 beads of 100 source characters and 90 or 110 target ones, ratio 1: each
    # deviation squared over the mean length is 100 / 95 or 100 / 105.
    src_len = np.arange(11) * 100.0
    tgt_len = np.concatenate([[0.0], np.cumsum([90.0, 110.0] * 5)])
    model: Any = SimpleNamespace(
        texts=SimpleNamespace(src_len=src_len, tgt_len=tgt_len),
        length=SimpleNamespace(ratio=1.0, variance=6.8),
    )
    path = [(i, i + 1, i, i + 1) for i in range(10)] + [(10, 10, 10, 10)]
    expected = (100 / 95 + 100 / 105) / 2
    assert abs(own_variance(model, path) - expected) < 1e-9


def test_the_refinement_weighs_its_null_options_by_the_text_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _doc()
    model, steps = rv.pass_two(doc, AlignConfig(), tmp_path)
    merged = _merged_nulls(steps)
    calls: list[int] = []
    weigh = RelativeNulls.weigh

    def counted(self: RelativeNulls, *args: Any) -> float:
        calls.append(1)
        return weigh(self, *args)

    monkeypatch.setattr(RelativeNulls, "weigh", counted)
    R.refine(model, merged, doc.src, doc.tgt, relative=False)
    assert not calls
    R.refine(model, merged, doc.src, doc.tgt)
    assert calls


def test_a_dropped_sentence_is_weighed_towards_its_null_and_a_joined_one_against(
    tmp_path: Path,
) -> None:
    doc = _doc()
    model, steps = rv.pass_two(doc, AlignConfig(), tmp_path)
    merged = _spans(_merged_nulls(steps))
    sc = R.Scorer(model, True, doc.src, doc.tgt)
    weighed = RelativeNulls.learn(sc, merged)
    dropped = {b[0][0] for b in doc.gold if not b[1]}
    joined = {b[0] for b in doc.gold if len(b[0]) == 2}
    seen = {"dropped": 0, "joined": 0}
    for a, b in pairwise(merged):
        if (b[1] - b[0], b[3] - b[2]) != (2, 1):
            continue
        # The first source sentence of ``b`` left unaligned.
        null, rest = (b[0], b[0] + 1, b[2], b[2]), (b[0] + 1, b[1], b[2], b[3])
        got = weighed.weigh(sc, (a, null, rest), a, b)
        if b[0] in dropped:
            assert got < 0
            seen["dropped"] += 1
        elif tuple(range(b[0], b[1])) in joined:
            assert got > 0
            seen["joined"] += 1
    assert seen["dropped"] > 0 and seen["joined"] > 0
