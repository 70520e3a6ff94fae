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
