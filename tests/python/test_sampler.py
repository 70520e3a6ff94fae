# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Diffusion samplers from Python with a model written in Python (NumPy and torch): Gaussian data,
whose probability-flow ODE has a closed form."""

import numpy as np
import pytest

import qmcsim


def gaussian_noise_model(v):
    """eps(x) for data N(0, v I) at the noise level: with x = alpha x_bar, eps = sigma_bar x_bar / (v + sigma_bar^2)."""
    return lambda x, sigma_bar, alpha, t: sigma_bar * (x / alpha) / (v + sigma_bar**2)


def flow_error(method, order, steps, v=0.25):
    """Largest relative error at x_0 against the exact flow x_bar ~ sqrt(v + sigma_bar^2) of N(0, v I) data."""
    batch, dim = 4, 3
    sampler = qmcsim.Sampler(method, order=order, steps=steps, batch=batch, dimension=dim)
    x_T = np.random.default_rng(1).standard_normal((batch, dim))
    x_0 = sampler.run(gaussian_noise_model(v), x_T)
    betas = np.linspace(0.00085**0.5, 0.012**0.5, 1000) ** 2  # scaled-linear betas
    abar = np.cumprod(1 - betas)
    s = np.sqrt((1 - abar) / abar)
    t = np.round(np.linspace(0, 999, steps + 1))[::-1].astype(int)
    expected = x_T / np.sqrt(abar[t[0]]) * np.sqrt((v + s[t[-1]] ** 2) / (v + s[t[0]] ** 2)) * np.sqrt(abar[t[-1]])
    return np.max(np.abs(x_0 / expected - 1))


@pytest.mark.parametrize("method, order, rate", [("ddim", None, 1), ("dpmpp-2m", None, 2)])
def test_gaussian_flow_converges_at_the_method_order(method, order, rate):
    # doubling the steps from 200 to 400 divides the error by 2^order (within 30 %)
    coarse, fine = flow_error(method, order, 200), flow_error(method, order, 400)
    assert fine < 0.01
    assert 0.7 * 2**rate < coarse / fine < 1.3 * 2**rate, (coarse, fine)


def test_momentum_samplers_are_accurate_on_the_gaussian_flow():
    for method, order in (("ghvb", 3.8), ("plms", 4), ("plms-hb", 4)):
        assert flow_error(method, order, 100) < flow_error("ddim", None, 100), method


def test_torch_model_and_errors():
    torch = pytest.importorskip("torch")

    def model(x, sigma_bar, alpha, t):
        tensor = torch.from_numpy(x)  # shares the array's memory
        return (sigma_bar * tensor / alpha / (0.25 + sigma_bar**2)).numpy()

    sampler = qmcsim.Sampler("ghvb", order=3.8, steps=15, batch=2, dimension=3)
    x = sampler.run(model, np.ones((2, 3)))
    assert x.shape == (2, 3) and np.all(np.isfinite(x))
    with pytest.raises(ValueError, match="returned shape"):
        sampler.run(lambda x, s, a, t: np.ones(5), np.ones((2, 3)))
    with pytest.raises(RuntimeError, match="boom"):
        sampler.run(lambda x, s, a, t: (_ for _ in ()).throw(RuntimeError("boom")), np.ones((2, 3)))
    with pytest.raises(ValueError, match="x_T has shape"):
        sampler.run(model, np.ones((3, 3)))
    with pytest.raises(ValueError, match="method 'euler' is unknown"):
        qmcsim.Sampler("euler")
    with pytest.raises(ValueError, match="steps = 1000 exceeds"):
        qmcsim.Sampler("ddim", steps=1000)


def test_library_mixture_model_against_the_exact_gaussian_denoiser_and_flow():
    """One-component GaussianMixture N(m, diag(v)): its denoiser is m + v / (v + sigma_bar^2) (x_bar - m),
    and a sampler run with it (evaluated inside the step kernels) equals the same run with that
    formula as a Python noise model."""
    m, v = np.array([0.5, -1.0, 0.0]), np.array([0.25, 0.04, 1.0])
    mixture = qmcsim.GaussianMixture([3.0], m[None, :], v[None, :])
    assert mixture.weights == [1.0] and mixture.dimension == 3
    x_bar = np.random.default_rng(2).standard_normal((5, 3)) * 3
    for sigma_bar in (0.0, 1e-3, 0.7, 14.6):
        np.testing.assert_allclose(mixture.denoise(x_bar, sigma_bar), m + v / (v + sigma_bar**2) * (x_bar - m),
                                   rtol=1e-14, atol=1e-14)

    def noise_model(x, sigma_bar, alpha, t):
        xb = x / alpha
        return (xb - (m + v / (v + sigma_bar**2) * (xb - m))) / sigma_bar

    x_T = np.random.default_rng(3).standard_normal((5, 3))
    for method, order in (("ddim", None), ("ghvb", 3.8), ("dpmpp-2m", None)):
        ours = qmcsim.Sampler(method, order=order, steps=20, batch=5, dimension=3).run(mixture, x_T)
        python = qmcsim.Sampler(method, order=order, steps=20, batch=5, dimension=3).run(noise_model, x_T)
        np.testing.assert_allclose(ours, python, rtol=1e-11, atol=1e-13)


def test_mixture_model_rejects_bad_input():
    with pytest.raises(ValueError, match="variance \\(0, 1\\) = -1 must be positive"):
        qmcsim.GaussianMixture([1.0], np.zeros((1, 2)), np.array([[1.0, -1.0]]))
    with pytest.raises(ValueError, match="weight 1 = 0 must be positive"):
        qmcsim.GaussianMixture([1.0, 0.0], np.zeros((2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="2 weights but 1 mean rows"):
        qmcsim.GaussianMixture([1.0, 1.0], np.zeros((1, 2)), np.ones((1, 2)))
    with pytest.raises(ValueError, match="dimension = 1 must be at least 2"):
        qmcsim.GaussianMixture.ring(1)
    ring = qmcsim.GaussianMixture.ring(4)
    with pytest.raises(ValueError, match="x_bar has 3 columns, the mixture 4 coordinates"):
        ring.denoise(np.zeros((2, 3)), 1.0)
    with pytest.raises(ValueError, match="sigma_bar = -1 must be finite and non-negative"):
        ring.denoise(np.zeros((2, 4)), -1.0)
    with pytest.raises(ValueError, match="the mixture has 4 coordinates, the sampler 3"):
        qmcsim.Sampler("ddim", batch=2, dimension=3).run(ring, np.zeros((2, 3)))
