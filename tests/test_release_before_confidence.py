"""What the confidences do not read is let go before they run: the first pass's model and
path (handed over to the resumption, not kept by its caller) and each side's join index
(``aligner.pipeline.release``). Memory figures in benchmarks/RESULTS.md, round eight."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import pytest
from engine import SOLOMON_SRC, SOLOMON_TGT

import aligner.pipeline as pipeline
import aligner.pipeline.run as run
from aligner.features.tokens import build_side
from aligner.pipeline.release import JOIN_INDEX, release_join_index


def test_release_join_index_drops_the_cached_index_and_it_comes_back_the_same() -> None:
    side = build_side(["le chat noir", "le chien", "un chat et un chien"], "fr")
    keys, sent = side.by_token
    live = side.live
    release_join_index(side)
    assert not set(JOIN_INDEX) & set(vars(side))
    again_keys, again_sent = side.by_token
    np.testing.assert_array_equal(again_keys, keys)
    np.testing.assert_array_equal(again_sent, sent)
    np.testing.assert_array_equal(side.live, live)


def test_the_confidences_run_without_the_first_pass_nor_the_join_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refs: list[weakref.ref[Any]] = []
    seen: list[tuple[bool, bool]] = []
    real_first, real_evidence = pipeline._first, run.evidence

    def first(*args: Any, **kwargs: Any) -> Any:
        out = real_first(*args, **kwargs)
        refs.append(weakref.ref(out.state[1]))  # the first pass's model
        return out

    def evidence(model: Any, *args: Any, **kwargs: Any) -> Any:
        indexed = any(
            name in vars(s) for s in (model.texts.src, model.texts.tgt) for name in JOIN_INDEX
        )
        seen.append((refs[0]() is not None, indexed))
        return real_evidence(model, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_first", first)
    monkeypatch.setattr(run, "evidence", evidence)
    result = pipeline.align(list(SOLOMON_SRC), list(SOLOMON_TGT), src_lang="fr", tgt_lang="en")
    assert result.beads
    assert seen == [(False, False)]
