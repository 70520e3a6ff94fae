# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Cubature of Python integrands: the intervals cover exact integrals, the results equal the C++
driver's where the computation is the same, and an integrand that misbehaves gives a clear error."""

import math

import numpy as np
import pytest
from scipy.special import hyp1f1
from scipy.stats import norm

import qmcsim


def keister(x):
    """pi^{d/2} cos(|Phi^-1(x)| / sqrt 2), d = x.shape[1]."""
    t = norm.ppf(x)
    return math.pi ** (x.shape[1] / 2) * np.cos(np.sqrt((t * t).sum(axis=1) / 2))


def keister_exact(d):
    return math.pi ** (d / 2) * hyp1f1(d / 2, 0.5, -0.25)


def cli_value(cli, *args):
    out = dict(line.split(None, 1) for line in cli("cubature", *args).strip().split("\n"))
    return float(out["estimate"]), float(out["half-width"].split()[0]), int(out["points"].split()[0])


@pytest.mark.parametrize("method, make, cli_method", [
    ("rqmc", lambda: qmcsim.DigitalNet(3, replications=16), "rqmc-net"),
    ("rqmc", lambda: qmcsim.Lattice(3, replications=16), "rqmc-lattice"),
    ("bayes", lambda: qmcsim.Lattice(3), "bayes-lattice"),
    ("bayes", lambda: qmcsim.DigitalNet(3), "bayes-net"),
    ("guaranteed", lambda: qmcsim.Lattice(3), "guaranteed-lattice"),
    ("guaranteed", lambda: qmcsim.DigitalNet(3), "guaranteed-net"),
])
def test_intervals_cover_keister_and_match_the_driver(cli, method, make, cli_method):
    run = {"rqmc": qmcsim.rqmc_cubature, "bayes": qmcsim.bayesian_cubature, "guaranteed": qmcsim.guaranteed_cubature}[method]
    result = run(keister, make(), abs_tol=1e-3)
    assert result.met_tolerance and result.half_width <= 1e-3
    assert abs(result.estimate - keister_exact(3)) <= result.half_width
    low, high = result.interval  # the interval the result object promises
    assert (low, high) == (result.estimate - result.half_width, result.estimate + result.half_width)
    assert low <= keister_exact(3) <= high
    estimate, half_width, n = cli_value(cli, "--integrand", "keister", "--dim", 3, "--abs-tol", "1e-3", "--method", cli_method)
    assert n == result.n
    # the same points and the same sums: equal up to the integrand's own rounding (scipy's Phi^-1 vs qmcsim's)
    # (the driver prints the half-width to 4 digits)
    assert abs(estimate - result.estimate) <= 1e-9 and abs(half_width - result.half_width) <= 5e-4 * half_width
    assert result.n_steps[-1] == result.n and len(result.estimates) == len(result.half_widths)


def test_integrand_errors_are_clear():
    lattice = qmcsim.Lattice(2)
    with pytest.raises(ValueError, match="one value per row"):
        qmcsim.bayesian_cubature(lambda x: np.ones(3), lattice)
    with pytest.raises(ZeroDivisionError):
        qmcsim.rqmc_cubature(lambda x: 1 / 0, qmcsim.IID(2, replications=4))
    with pytest.raises(ValueError, match="Lattice or a DigitalNet"):
        qmcsim.bayesian_cubature(keister, qmcsim.Halton(2))
    with pytest.raises(ValueError, match="points must be a qmcsim"):
        qmcsim.rqmc_cubature(keister, "sobol")
    with pytest.raises(ValueError, match="tolerances"):
        qmcsim.guaranteed_cubature(keister, lattice, abs_tol=0)


def test_vector_valued_integrand_meets_every_tolerance_and_equals_its_components():
    """(x1, x1^2, e^(x1 + x2)): integrals 1/2, 1/3, (e - 1)^2, each with its own tolerance; at a fixed n
    each output equals the scalar run of that component to the last bit."""
    moments = lambda x: np.stack([x[:, 0], x[:, 0] ** 2, np.exp(x[:, 0] + x[:, 1])], axis=1)  # noqa: E731
    exact = np.array([0.5, 1 / 3, (math.e - 1) ** 2])
    net = qmcsim.DigitalNet(2, replications=8, seed=4)
    result = qmcsim.rqmc_cubature(moments, net, abs_tol=[1e-3, 1e-3, 0.0], rel_tol=[0.0, 0.0, 1e-6], log2_min_n=6)
    assert isinstance(result, qmcsim.VectorCubatureResult) and result.met_tolerance and result.met.all()
    assert np.all(np.abs(result.estimate - exact) <= 1.5 * result.half_width + 1e-15)
    assert result.half_width[2] <= 1e-6 * result.estimate[2]
    fixed = dict(log2_min_n=12, log2_max_n=12)
    vector = qmcsim.rqmc_cubature(moments, net, abs_tol=1e-12, **fixed)
    for j in range(3):
        scalar = qmcsim.rqmc_cubature(lambda x, j=j: moments(x)[:, j], net, abs_tol=1e-12, **fixed)
        assert scalar.estimate == vector.estimate[j] and scalar.half_width == vector.half_width[j]
    with pytest.raises(ValueError, match="one per output"):
        qmcsim.rqmc_cubature(moments, net, abs_tol=[1e-3, 1e-3])
    with pytest.raises(ValueError, match="one value per output"):
        qmcsim.rqmc_cubature(lambda x: x[:, 0], net, abs_tol=[1e-3, 1e-3])
    calls = []

    def changing(x):  # (n, 2) on its first call, (n, 3) after
        calls.append(1)
        return np.zeros((x.shape[0], 2 if len(calls) == 1 else 3))

    with pytest.raises(ValueError, match=r"an \(n, 2\) array"):
        qmcsim.rqmc_cubature(changing, net)


@pytest.mark.parametrize("make", [lambda: qmcsim.Lattice(2, replications=8, randomize="none"),
                                  lambda: qmcsim.DigitalNet(2, replications=8, randomize="none"),
                                  lambda: qmcsim.Halton(2, replications=4, randomize="none")])
def test_rqmc_refuses_unrandomized_replications(make):
    # they were R copies: x^20 came back 0.04713 with half-width 0, "met" at 1e-4, for 1/21 = 0.04762
    with pytest.raises(ValueError, match="randomization 'none'.*randomize them"):
        qmcsim.rqmc_cubature(lambda x: x[:, 0] ** 20, make(), abs_tol=1e-4)
    iid = qmcsim.rqmc_cubature(lambda x: x[:, 0] ** 20, qmcsim.IID(2, replications=8, seed=1), abs_tol=2e-3)
    assert iid.half_width > 0 and abs(iid.estimate - 1 / 21) <= iid.half_width
