"""Shape priors counted on the refined path (aligner.scoring.own_priors) and the refinement's
second reading under them (``refine``'s ``own_priors``)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from engine import SOLOMON_SRC, SOLOMON_TGT, drawn_path, model_of, path_of
from hypothesis import given, settings
from hypothesis import strategies as st

import aligner.pipeline as pipeline
import aligner.pipeline.run as run
from aligner.config import AlignConfig
from aligner.scoring import model1_block, moved_clauses
from aligner.scoring import refine as R
from aligner.scoring.cost import bead_cost
from aligner.scoring.own_priors import with_own_priors
from aligner.search import Step

NAMES = ["Zermatt", "Grindelwald", "Chamonix", "Cervinia", "Courmayeur", "Saastal", "Arolla"]
SRC = [f"{a} {b} expedition." for a, b in zip(NAMES, NAMES[1:] + NAMES[:1], strict=True)]
TGT = [f"{a} {b} expedition." for a, b in zip(NAMES, NAMES[1:] + NAMES[:1], strict=True)]
# A merged 2-2 bead at the start, 1-1 beads after it.
MERGED = (Step(0, 2, 0, 2, 0.0), *(Step(k, k + 1, k, k + 1, 0.0) for k in range(2, len(SRC))))


def test_the_priors_are_the_paths_own_shapes_smoothed() -> None:
    model = model_of(SRC, TGT)
    nulls = (Step(0, 1, 0, 0, 0.0), Step(1, 1, 0, 1, 0.0)) * 20 + (Step(1, 2, 1, 2, 0.0),)
    counted = with_own_priors(model, nulls).length
    # A path of mostly nulls makes them likelier and 1-1 less likely; no prior is zero
    # (Gale and Church's priors as pseudo-beads).
    assert counted.prior((1, 0)) > model.length.prior((1, 0))
    assert counted.prior((1, 1)) < model.length.prior((1, 1))
    assert counted.prior((2, 2)) > 0.0
    assert counted.ratio == model.length.ratio and counted.variance == model.length.variance


def test_refine_reads_the_path_again_under_the_priors_of_its_first_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = model_of(SRC, TGT)
    once = R.refine(model, MERGED, SRC, TGT, own_priors=False)
    seen: list[tuple[Step, ...]] = []

    def spy(m: object, path: tuple[Step, ...]) -> object:
        seen.append(tuple(path))
        return with_own_priors(model, path)

    monkeypatch.setattr(R, "with_own_priors", spy)
    out = R.refine(model, MERGED, SRC, TGT)
    # Called once, with the first reading's path; the second reading is the refinement of the
    # pass-2 path under the recounted model.
    assert seen == [once]
    again = R.refine(with_own_priors(model, once), MERGED, SRC, TGT, own_priors=False)
    spans = [(s.i0, s.i1, s.j0, s.j1) for s in out]
    assert spans == [(s.i0, s.i1, s.j0, s.j1) for s in again]
    assert [i for s in out for i in range(s.i0, s.i1)] == list(range(len(SRC)))


@pytest.mark.parametrize("on", [True, False])
def test_the_pipeline_passes_the_setting_to_the_refinement(
    monkeypatch: pytest.MonkeyPatch, on: bool
) -> None:
    seen: list[object] = []
    real = run.refine

    def spy(*args: object, **kwargs: object) -> tuple[Step, ...]:
        seen.append(kwargs.get("own_priors"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "refine", spy)
    cfg = AlignConfig(own_priors=on)
    pipeline.align(list(SOLOMON_SRC), list(SOLOMON_TGT), src_lang="fr", tgt_lang="en", config=cfg)
    assert seen == [on]


def test_the_second_reading_asks_model1_the_clause_reader_and_the_marks_nothing_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[str] = []

    class Counted(model1_block.BlockModel1):
        def __init__(self, *args: Any) -> None:
            made.append("block")
            super().__init__(*args)

    class Reader(moved_clauses.MovedClauses):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            made.append("reader")
            super().__init__(*args, **kwargs)

    real_marks = R.BoundaryMarks

    class Marks(real_marks):
        @classmethod
        def learn(cls, *args: Any) -> R.BoundaryMarks:
            made.append("marks")
            return real_marks.learn(*args)

    monkeypatch.setattr(model1_block, "BlockModel1", Counted)
    monkeypatch.setattr(R, "MovedClauses", Reader)
    monkeypatch.setattr(R, "BoundaryMarks", Marks)
    model = model_of(SRC, TGT)
    R.refine(model, MERGED, SRC, TGT, own_priors=False)
    once = list(made)
    made.clear()
    R.refine(model, MERGED, SRC, TGT, own_priors=True)
    assert once.count("block") > 0 and once.count("marks") == 1
    # Both readings weigh the same path's marks and no test reads a shape prior.
    assert made == once


SHAPES = [(1, 1), (1, 1), (1, 1), (2, 1), (1, 2), (2, 2), (1, 0), (0, 1), (3, 1)]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_second_reading_with_the_first_readings_options_is_a_fresh_reading(
    data: st.DataObject,
) -> None:
    # The options and coverages the first reading found are kept on the scorer for the second
    # (``Scorer.offered``): its beads are those of a reading from scratch under the recounted
    # priors.
    drawn = drawn_path(data, SHAPES, 9)
    if drawn is None:
        return
    steps, src, tgt = drawn
    model = model_of(src, tgt)
    once = R.refine(model, steps, src, tgt, own_priors=False)
    out = R.refine(model, steps, src, tgt)
    fresh = R.refine(with_own_priors(model, once), steps, src, tgt, own_priors=False)
    assert [(s.i0, s.i1, s.j0, s.j1) for s in out] == [(s.i0, s.i1, s.j0, s.j1) for s in fresh]


def test_a_beads_cost_reads_its_shape_prior_in_one_term() -> None:
    # What ``refine._repriced`` rests on: under new shape priors a bead's cost moves by
    # ``length_weight * (log P_old(shape) - log P_new(shape))`` and by nothing else.
    src = [f"{a} {b} expedition." for a, b in zip(NAMES, NAMES[2:] + NAMES[:2], strict=True)]
    model = model_of(src, TGT)
    path = (Step(0, 1, 0, 0, 0.0), Step(1, 1, 0, 1, 0.0)) * 5 + (Step(1, 3, 1, 2, 0.0),) * 3
    other = with_own_priors(model, path)
    weight = model.config.length_weight
    for span in [
        (0, 1, 0, 1),
        (0, 2, 0, 1),
        (1, 2, 1, 3),
        (2, 4, 2, 4),
        (3, 4, 3, 3),
        (3, 3, 2, 3),
    ]:
        shape = (span[1] - span[0], span[3] - span[2])
        for coverage in (0.0, 0.7, 2.5):
            moved = bead_cost(model, *span, coverage) + weight * (
                math.log(model.length.prior(shape)) - math.log(other.length.prior(shape))
            )
            assert other.length.prior(shape) != model.length.prior(shape)
            assert math.isclose(bead_cost(other, *span, coverage), moved, abs_tol=1e-12)


def test_the_second_reading_chooses_from_moved_totals_only_where_they_are_clear(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On the small texts above some boundaries are decided from the first reading's totals
    # moved to the new priors, and the beads are those of a fresh reading under them.
    asked: list[bool] = []
    real = R._repriced

    def spy(*args: Any) -> object:
        got = real(*args)
        asked.append(got is not None)
        return got

    monkeypatch.setattr(R, "_repriced", spy)
    model = model_of(SOLOMON_SRC[:12], SOLOMON_TGT[:12])
    steps = path_of([(2, 2), (1, 1), (1, 2), (2, 1), (1, 1), (1, 0), (0, 1), (3, 3), (1, 1)])
    out = R.refine(model, steps, SOLOMON_SRC[:12], SOLOMON_TGT[:12])
    once = R.refine(model, steps, SOLOMON_SRC[:12], SOLOMON_TGT[:12], own_priors=False)
    fresh = R.refine(
        with_own_priors(model, once), steps, SOLOMON_SRC[:12], SOLOMON_TGT[:12], own_priors=False
    )
    assert any(asked)
    assert [(s.i0, s.i1, s.j0, s.j1) for s in out] == [(s.i0, s.i1, s.j0, s.j1) for s in fresh]


def test_the_steps_kept_are_returned_as_given_and_the_new_ones_with_the_searchs_costs() -> None:
    model = model_of(SOLOMON_SRC[:12], SOLOMON_TGT[:12])
    steps = [
        Step(s.i0, s.i1, s.j0, s.j1, float(k))
        for k, s in enumerate(path_of([(2, 2), (1, 1), (1, 2), (2, 1), (1, 1), (1, 0), (0, 1)]))
    ]
    out = R.refine(model, steps, SOLOMON_SRC[:12], SOLOMON_TGT[:12])
    given = {(s.i0, s.i1, s.j0, s.j1): s for s in steps}
    searched = R.Scorer(model, exclusive=False)
    assert any((s.i0, s.i1, s.j0, s.j1) not in given for s in out)
    for s in out:
        span = (s.i0, s.i1, s.j0, s.j1)
        if span in given:
            assert s is given[span]
        else:
            assert s == Step(*span, searched.cost(span))
