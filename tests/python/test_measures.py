# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""qmcsim.Uniform, Lebesgue, Gaussian and BrownianMotion: transforms against their formulas (numpy with
scipy's normal quantile), integrals against exact values, bad arguments as ValueError."""

import math

import numpy as np
import pytest
from scipy.stats import norm

import qmcsim


def uniform_points(n, d, seed=1):
    return np.random.default_rng(seed).random((n, d))


def test_gaussian_transform_is_mean_plus_factor_times_quantiles():
    rng = np.random.default_rng(3)
    b = rng.standard_normal((5, 5))
    sigma = b @ b.T + 0.5 * np.eye(5)
    mean = np.arange(5.0)
    x = uniform_points(64, 5)
    for factor in ("cholesky", "pca"):
        g = qmcsim.Gaussian(mean, sigma, factor=factor)
        a = g.factor
        np.testing.assert_allclose(a @ a.T, sigma, rtol=0, atol=1e-13)
        np.testing.assert_allclose(g.transform(x), mean + norm.ppf(x) @ a.T, rtol=0, atol=1e-12)
        assert g.transform(x.reshape(4, 16, 5)).shape == (4, 16, 5)
    np.testing.assert_array_equal(np.triu(qmcsim.Gaussian(mean, sigma, factor="cholesky").factor, 1), 0)
    # scalar and diagonal covariances
    np.testing.assert_allclose(qmcsim.Gaussian(0, 4.0, dimension=3).factor, 2 * np.eye(3), atol=1e-15)
    np.testing.assert_allclose(np.diag(qmcsim.Gaussian([0, 0], [1.0, 9.0], factor="cholesky").factor), [1, 3])


def test_brownian_motion_has_the_brownian_covariance_for_every_construction():
    n, d = 2**14, 8
    x = qmcsim.DigitalNet(d, randomize="lms-ds", seed=5).gen(n)
    t = np.arange(1, d + 1) / d * 2.0
    for construction in ("forward", "bridge", "pca"):
        b = qmcsim.BrownianMotion(d, t_final=2.0, initial_value=1.0, drift=0.5, diffusion=0.25, construction=construction)
        path = b.transform(x)
        np.testing.assert_allclose(path.mean(0), 1 + 0.5 * t, atol=2e-3)
        np.testing.assert_allclose(np.cov(path.T), 0.25 * np.minimum.outer(t, t), atol=2e-3)
    # forward: the cumulative sum of scaled increments, exactly
    x = uniform_points(16, d)
    forward = qmcsim.BrownianMotion(d, construction="forward").transform(x)
    np.testing.assert_allclose(forward, np.cumsum(math.sqrt(1 / d) * norm.ppf(x), axis=1), atol=1e-13)


def test_lebesgue_and_uniform_integrate_a_polynomial_exactly():
    net = qmcsim.DigitalNet(2, randomize="lms-ds", replications=8, seed=2)
    f = lambda t: t[:, 0] ** 2 * t[:, 1]  # noqa: E731
    on_box = qmcsim.rqmc_cubature(f, net, abs_tol=1e-7, measure=qmcsim.Lebesgue([1, -1], [3, 2]))
    assert on_box.met_tolerance and abs(on_box.estimate - 13) < 1e-6
    uniform = qmcsim.Uniform([1, -1], [3, 2])
    assert uniform.mass == 1 and qmcsim.Lebesgue([1, -1], [3, 2]).mass == 6
    on_distribution = qmcsim.rqmc_cubature(f, net, abs_tol=1e-7, measure=uniform)
    assert abs(on_distribution.estimate - 13 / 6) < 1e-6


def test_every_cubature_integrates_against_a_measure():
    """E exp(c . t), t ~ N(m, Sigma), by the three cubatures: exp(c . m + c' Sigma c / 2)."""
    d = 3
    sigma = np.array([[1.0, 0.3, 0.1], [0.3, 0.5, 0.0], [0.1, 0.0, 0.2]])
    m, c = np.array([0.1, -0.2, 0.3]), np.array([0.3, -0.2, 0.5])
    exact = math.exp(c @ m + c @ sigma @ c / 2)
    f = lambda t: np.exp(t @ c)  # noqa: E731
    g = qmcsim.Gaussian(m, sigma)
    r = qmcsim.rqmc_cubature(f, qmcsim.DigitalNet(d, randomize="lms-ds", replications=16, seed=1), abs_tol=1e-4, measure=g)
    assert r.met_tolerance and abs(r.estimate - exact) < 1e-4
    r = qmcsim.guaranteed_cubature(f, qmcsim.DigitalNet(d, randomize="lms-ds", seed=1), abs_tol=1e-4, measure=g)
    assert r.met_tolerance and abs(r.estimate - exact) < 1e-4
    r = qmcsim.bayesian_cubature(f, qmcsim.Lattice(d, randomize="shift", seed=1), abs_tol=1e-3, measure=g)
    assert r.met_tolerance and abs(r.estimate - exact) < 1e-3


def test_bad_measures_raise_value_error():
    with pytest.raises(ValueError, match="not positive definite"):
        qmcsim.Gaussian([0, 0], [[1, 2], [2, 1]], factor="cholesky")
    with pytest.raises(ValueError, match="not symmetric"):
        qmcsim.Gaussian([0, 0], [[1, 0.5], [0.1, 1]])
    with pytest.raises(ValueError, match="square"):
        qmcsim.Gaussian([0, 0], np.ones((2, 3)))
    with pytest.raises(ValueError, match="unknown"):
        qmcsim.Gaussian([0, 0], 1.0, factor="svd")
    with pytest.raises(ValueError, match="dimension"):
        qmcsim.Gaussian(0.0, 1.0)
    with pytest.raises(ValueError, match="disagree"):
        qmcsim.Gaussian([0, 0, 0], np.eye(2))
    with pytest.raises(ValueError, match="strictly increasing"):
        qmcsim.BrownianMotion(times=[0.5, 0.25])
    with pytest.raises(ValueError, match="t_final"):
        qmcsim.BrownianMotion(4, t_final=-1)
    with pytest.raises(ValueError, match="diffusion"):
        qmcsim.BrownianMotion(4, diffusion=-1)
    with pytest.raises(ValueError, match="unknown"):
        qmcsim.BrownianMotion(4, construction="euler")
    with pytest.raises(ValueError, match="lower"):
        qmcsim.Lebesgue([0, 1], [1, 1])
    with pytest.raises(ValueError, match="last axis"):
        qmcsim.BrownianMotion(4).transform(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="measure has dimension 4, the points 2"):
        qmcsim.rqmc_cubature(lambda t: t[:, 0], qmcsim.DigitalNet(2, replications=4), measure=qmcsim.BrownianMotion(4))


def test_transforms_beyond_a_thousand_coordinates():
    """d = 1100 > the 1024 doubles of scratch on the stack: the dense factor's scratch moves to the heap."""
    d = 1100
    x = uniform_points(3, d)
    g = qmcsim.Gaussian(np.zeros(d), np.linspace(1, 2, d), factor="pca")
    np.testing.assert_allclose(g.transform(x), norm.ppf(x) @ g.factor.T, rtol=0, atol=1e-10)
    path = qmcsim.BrownianMotion(d, construction="bridge").transform(x)
    forward = qmcsim.BrownianMotion(d, construction="forward").transform(x)
    assert path.shape == forward.shape == (3, d) and np.isfinite(path).all()
