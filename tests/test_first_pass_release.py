"""The first pass's state is let go before the cyclic collector is switched back on: what is
alive then, the collector's first pass traverses (a speed matter, measured in
benchmarks/RESULTS.md)."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from engine import SOLOMON_SRC, SOLOMON_TGT

import aligner.pipeline as pipeline


def test_the_first_pass_is_let_go_before_the_collector_wakes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refs: list[weakref.ref[Any]] = []
    alive_on_waking: list[bool] = []
    real_first = pipeline._first

    def first(*args: Any, **kwargs: Any) -> Any:
        out = real_first(*args, **kwargs)
        refs.append(weakref.ref(out))
        return out

    @contextmanager
    def paused() -> Iterator[None]:
        yield
        alive_on_waking.append(refs[0]() is not None)

    monkeypatch.setattr(pipeline, "_first", first)
    monkeypatch.setattr(pipeline, "collection_paused", paused)
    result = pipeline.align(list(SOLOMON_SRC), list(SOLOMON_TGT), src_lang="fr", tgt_lang="en")
    assert result.beads
    assert alive_on_waking == [False]
