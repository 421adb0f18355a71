"""Tests for the Gale–Church length model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aligner.features.length import GC_PRIORS, LengthModel, log_erfc, shape_prior


def test_log_erfc_matches_math() -> None:
    xs = np.array([0.0, 0.1, 0.5, 1.0, 2.0, 4.0])
    expected = np.log([math.erfc(x) for x in xs])
    assert np.allclose(log_erfc(xs), expected, rtol=1e-3, atol=1e-6)


def test_log_erfc_is_finite_far_in_the_tail() -> None:
    out = log_erfc(np.array([50.0, 500.0]))
    assert np.all(np.isfinite(out))
    assert out[1] < out[0] < -2000


def test_ratio_is_estimated_from_the_texts() -> None:
    model = LengthModel.estimate(np.array([100.0, 100.0]), np.array([150.0, 150.0]))
    assert model.ratio == pytest.approx(1.5)
    assert model.variance == pytest.approx(6.8 * 1.5)


def test_matching_lengths_cost_less() -> None:
    model = LengthModel.estimate(np.array([100.0]), np.array([120.0]))
    good = model.cost((1, 1), np.array([50.0]), np.array([60.0]))
    bad = model.cost((1, 1), np.array([50.0]), np.array([150.0]))
    assert good[0] < bad[0]
    assert good[0] == pytest.approx(-math.log(0.89), abs=0.01)


def test_priors_follow_gale_church() -> None:
    assert shape_prior((1, 1)) == GC_PRIORS[(1, 1)]
    assert shape_prior((1, 3)) < shape_prior((2, 2)) < shape_prior((1, 2))
    assert shape_prior((1, 4)) < shape_prior((1, 3))
    with pytest.raises(ValueError):
        shape_prior((0, 0))


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        LengthModel(ratio=0.0)
    with pytest.raises(ValueError):
        LengthModel(variance=float("nan"))
    with pytest.raises(ValueError):
        LengthModel(priors={(1, 1): 1.5})


def test_refit_reestimates_priors() -> None:
    model = LengthModel.estimate(np.array([100.0]), np.array([120.0]))
    refit = model.refit({(1, 1): 1800, (1, 2): 200})
    assert refit.prior((1, 2)) > GC_PRIORS[(1, 2)]
    assert refit.prior((1, 1)) < GC_PRIORS[(1, 1)]
    assert refit.variance == model.variance
    assert model.refit({}) == model


def test_zero_lengths_do_not_break() -> None:
    model = LengthModel()
    out = model.cost((1, 1), np.array([0.0, 0.0]), np.array([0.0, 10.0]))
    assert np.all(np.isfinite(out))
