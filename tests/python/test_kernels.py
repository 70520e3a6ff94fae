# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""FastGram and FastGaussianProcess against dense linear algebra on QMCPy's own kernels
(KernelShiftInvar on lattice points, KernelDigShiftInvar on the 64-bit words of digital-net points):
eigenvalues, K v, (K + eta I)^-1 v, log det, the GP's likelihood, its gradient, its fit and its
posterior; and the bad-input cases."""

import re

import numpy as np
import pytest
import qmcpy

import qmcsim

WEIGHTS, SMOOTHNESS, SCALE = [1.0, 0.5, 0.25], [1, 2, 3], 2.0


def design(kind, n, seed=5, replication=0):
    points = (qmcsim.Lattice(3, seed=seed, replications=replication + 1) if kind == "lattice"
              else qmcsim.DigitalNet(3, seed=seed, randomize="lms-ds", replications=replication + 1))
    return qmcsim.FastGram(points, n, replication=replication)


def dense_kernel(gram, weights=WEIGHTS, smoothness=SMOOTHNESS, scale=SCALE):
    """QMCPy's kernel with the same parameters and the design in the form it takes."""
    if gram.family == "shift-invariant":
        kernel = qmcpy.KernelShiftInvar(3, alpha=smoothness, lengthscales=weights, scale=scale)
        return kernel, gram.points
    kernel = qmcpy.KernelDigShiftInvar(3, t=64, alpha=smoothness, lengthscales=weights, scale=scale)
    return kernel, gram.words


def gram_matrix(gram, **parameters):
    kernel, x = dense_kernel(gram, **parameters)
    return kernel(x[:, None, :], x[None, :, :])


@pytest.mark.parametrize("kind", ["lattice", "net"])
@pytest.mark.parametrize("n", [1, 2, 64])
def test_fast_gram_equals_dense_qmcpy_kernels(kind, n):
    gram = design(kind, n, replication=1)
    K = gram_matrix(gram)
    lam = gram.eigenvalues(weights=WEIGHTS, smoothness=SMOOTHNESS, scale=SCALE)
    transform = qmcsim.fftbr if kind == "lattice" else qmcsim.fwht
    top = np.abs(K).max() * n
    # QMCPy's formula, in the transform's order, and the spectrum of the dense matrix
    np.testing.assert_allclose(lam, np.real(np.sqrt(n) * transform(K[:, 0])), rtol=0, atol=1e-13 * top)
    np.testing.assert_allclose(np.sort(lam), np.linalg.eigvalsh(K), rtol=0, atol=1e-12 * top)
    centered = gram.centered_eigenvalues(weights=WEIGHTS, smoothness=SMOOTHNESS, scale=SCALE)
    np.testing.assert_allclose(centered[1:], lam[1:], rtol=0, atol=0)
    assert centered[0] == pytest.approx(lam[0] - SCALE * n, abs=1e-12 * top)
    rng = np.random.default_rng(n)
    dense = K + 0.1 * np.eye(n)
    v, rows = rng.standard_normal(n), rng.standard_normal((3, n))
    np.testing.assert_allclose(gram.multiply(lam, v, nugget=0.1), dense @ v, rtol=0, atol=1e-12 * top)
    np.testing.assert_allclose(gram.multiply(lam, rows, nugget=0.1), rows @ dense.T, rtol=0, atol=1e-12 * top)
    np.testing.assert_allclose(gram.solve(lam, rows, nugget=0.1), np.linalg.solve(dense, rows.T).T, rtol=1e-10, atol=1e-12)
    assert gram.log_determinant(lam, nugget=0.1) == pytest.approx(np.linalg.slogdet(dense)[1], rel=1e-12, abs=1e-12)


def dense_nll(K, y, nugget):
    A = K + nugget * np.eye(len(y))
    return 0.5 * y @ np.linalg.solve(A, y) + 0.5 * np.linalg.slogdet(A)[1] + 0.5 * len(y) * np.log(2 * np.pi)


@pytest.mark.parametrize("kind", ["lattice", "net"])
def test_gaussian_process_equals_dense_gp(kind):
    """The likelihood, its gradient (central differences of the dense likelihood in the log parameters)
    and the posterior at new points (cross-kernel by QMCPy, dense solves)."""
    n, nugget = 32, 1e-3
    gram = design(kind, n)
    y = np.cos(2 * np.pi * gram.points).sum(axis=1) + 0.1 * gram.points[:, 0]
    gp = qmcsim.FastGaussianProcess(gram, y, weights=WEIGHTS, smoothness=SMOOTHNESS, scale=SCALE, nugget=nugget)
    K = gram_matrix(gram)
    value, gradient = gp.negative_log_likelihood(gradient=True)
    assert value == pytest.approx(dense_nll(K, y, nugget), rel=1e-11)
    assert gp.negative_log_likelihood() == value

    log_parameters = np.log([SCALE, *WEIGHTS, nugget])

    def nll_at(p):
        scale, weights, eta = np.exp(p[0]), list(np.exp(p[1:4])), np.exp(p[4])
        return dense_nll(gram_matrix(gram, weights=weights, scale=scale), y, eta)

    step = 1e-5
    differences = [(nll_at(log_parameters + step * e) - nll_at(log_parameters - step * e)) / (2 * step) for e in np.eye(5)]
    np.testing.assert_allclose(gradient, differences, rtol=1e-6, atol=1e-6)

    z = np.random.default_rng(1).random((7, 3))
    kernel, x = dense_kernel(gram)
    zz = z if kind == "lattice" else (z * 2.0**64).astype(np.uint64)
    cross = kernel(zz[:, None, :], x[None, :, :])
    A = K + nugget * np.eye(n)
    mean, variance = gp.posterior(z)
    np.testing.assert_allclose(mean, cross @ np.linalg.solve(A, y), rtol=1e-9, atol=1e-10)
    prior = kernel(zz, zz)
    np.testing.assert_allclose(variance, prior - np.einsum("pi,pi->p", cross, np.linalg.solve(A, cross.T).T), rtol=1e-7,
                               atol=1e-9 * prior.max())
    # at a design point with a tiny nugget the posterior interpolates
    exact = qmcsim.FastGaussianProcess(gram, y, weights=WEIGHTS, smoothness=SMOOTHNESS, scale=SCALE, nugget=1e-12)
    at_design, spread = exact.posterior(gram.points[:4])
    np.testing.assert_allclose(at_design, y[:4], rtol=0, atol=1e-6)
    assert np.all(spread < 1e-6 * SCALE)


@pytest.mark.parametrize("kind", ["lattice", "net"])
def test_fit_maximizes_the_likelihood(kind):
    gram = design(kind, 64)
    y = np.exp(gram.points.sum(axis=1) / 3)
    gp = qmcsim.FastGaussianProcess(gram, y, weights=1.0, smoothness=2, nugget=1e-6)
    before = gp.negative_log_likelihood()
    result = gp.fit()
    assert result["converged"], result
    after, gradient = gp.negative_log_likelihood(gradient=True)
    assert after == pytest.approx(result["negative_log_likelihood"], rel=1e-12, abs=1e-12)
    assert after < before - 1
    # stationary in the fitted parameters (log scale, log weights, log nugget), unless a parameter sits at a bound
    # where its log runs off: those are tiny weights or nuggets, whose gradients vanish with them
    fitted = np.array([gp.scale, *gp.weights, gp.nugget])
    free = fitted > 1e-9
    assert np.all(np.abs(np.array(gradient)[free]) < 1e-3 * max(1.0, abs(after))), (gradient, fitted)
    fixed = qmcsim.FastGaussianProcess(gram, y, weights=1.0, smoothness=2, nugget=1e-6)
    fixed.fit(fit_nugget=False)
    assert fixed.nugget == 1e-6


def test_bad_input_is_rejected():
    lattice = qmcsim.Lattice(3, seed=5)
    gram = qmcsim.FastGram(lattice, 16)
    lam = gram.eigenvalues()
    cases = [
        (lambda: qmcsim.FastGram(qmcsim.Halton(3, seed=1), 16), "Lattice or a DigitalNet"),
        (lambda: qmcsim.FastGram(lattice, 12), "12"),
        (lambda: gram.eigenvalues(weights=[1.0, 2.0]), "weights has 2 entries for 3 coordinates"),
        (lambda: gram.eigenvalues(weights=-1.0), "weight"),
        (lambda: gram.eigenvalues(smoothness=5), "5"),
        (lambda: gram.eigenvalues(scale=0.0), "scale"),
        (lambda: gram.multiply(lam[:8], np.ones(16)), "eigenvalues must have shape (16,)"),
        (lambda: gram.solve(lam, np.ones(8)), "values must have shape (16,) or (m, 16)"),
        (lambda: gram.solve(lam, np.ones(16), nugget=-1.0), "nugget = -1"),
        (lambda: gram.multiply(lam, "text"), "values is not an array of real numbers"),
        (lambda: qmcsim.FastGaussianProcess(gram, np.ones(15)), "values must have shape (16,)"),
        (lambda: qmcsim.FastGaussianProcess(gram, np.ones(16)).posterior(np.ones((2, 2)) / 2), "shape (p, 3)"),
        (lambda: qmcsim.FastGaussianProcess(gram, np.ones(16)).posterior(np.full((2, 3), 1.0)), "outside [0, 1)"),
        (lambda: qmcsim.FastGaussianProcess(gram, np.ones(16)).fit(max_iterations=0), "max_iterations = 0"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=re.escape(message)):
            call()
