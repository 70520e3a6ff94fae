# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""solve_sde from Python against exact solutions on the same Brownian path (geometric Brownian motion
in both calculi), exact laws (Ornstein-Uhlenbeck, the mean of Cox-Ingersoll-Ross), the Euler
recursion on the tree's own increments (bit for bit), and bad input. An SDE of vectorized callables
(CallableSde) against the built-in model of the same functions (bit for bit), the exact law of a
general-noise system, the exact solution of a two-noise GBM on the same path, torch callables, and
bad input."""

import numpy as np
import pytest

import qmcsim

Z = 6.2  # two-sided p = 5.6e-10 per statistic


def gbm_errors(sde, exact_rate, solver, levy_area, **steps):
    """The errors at t = 1 of 64 paths against X_0 exp(rate + sigma W_1) on the same path."""
    tree = qmcsim.VirtualBrownianTree(0.0, 1.0, seed=11, levy_area=levy_area)
    solution = qmcsim.solve_sde(sde, [1.0], [1.0], solver=solver, tree=tree, paths=64, **steps)
    assert solution.completed.all()
    W, _, _ = tree.increments(np.array([[0.0, 1.0]]), paths=64)
    exact = np.exp(exact_rate + sde_sigma * W[:, 0, 0])
    return np.abs(solution.states[:, 0, 0] - exact)


def gbm_error(sde, exact_rate, solver, levy_area, **steps):
    """The largest of gbm_errors."""
    return np.max(gbm_errors(sde, exact_rate, solver, levy_area, **steps))


sde_sigma = 0.8


# Adaptive steps, rtol = atol from 1e-3 to 1e-5: the median error over the 64 paths falls by `fall` or
# more and the largest stays below `adaptive_error`. Measured over seeds 8 to 15: the median falls 73x
# to 135x (Milstein), 60x to 97x (Stratonovich Milstein), 75x to 126x (Heun), the largest at 1e-5 at
# most 1.7e-4, 5.9e-4, 9.6e-5. SPaRK's embedded pair is small on multiplicative noise
# (tests/test_integrate.cpp): it takes far fewer steps at a tolerance and its error falls more slowly
# with it, 7.9x to 14x for the median, while its largest error (one path of 64) falls 4.5x to 61x
# from seed to seed, at most 2.6e-2.
@pytest.mark.parametrize("solver, calculus, levy_area, order, fall, adaptive_error", [
    ("milstein", "ito", "none", 1.0, 20, 5e-4),
    ("euler-maruyama", "ito", "none", 0.5, None, None),
    ("stratonovich-milstein", "stratonovich", "none", 1.0, 20, 1.5e-3),
    ("stratonovich-heun", "stratonovich", "none", 1.0, 20, 3e-4),
    ("spark", "stratonovich", "space-time", 1.0, 5, 4e-2),
])
def test_gbm_converges_to_its_exact_solution_on_the_same_path(solver, calculus, levy_area, order, fall, adaptive_error):
    sde = qmcsim.GeometricBrownianMotion(0.5, sde_sigma, calculus=calculus)
    rate = 0.5 - sde_sigma ** 2 / 2 if calculus == "ito" else 0.5
    coarse = gbm_error(sde, rate, solver, levy_area, dt=2.0 ** -6)
    fine = gbm_error(sde, rate, solver, levy_area, dt=2.0 ** -10)
    fitted = np.log2(coarse / fine) / 4
    assert fitted > order - 0.25, (solver, coarse, fine, fitted)
    # adaptive steps: the error falls with the tolerance
    if adaptive_error:
        loose = gbm_errors(sde, rate, solver, levy_area, rtol=1e-3, atol=1e-3)
        tight = gbm_errors(sde, rate, solver, levy_area, rtol=1e-5, atol=1e-5)
        assert np.median(tight) < np.median(loose) / fall, (solver, np.median(loose), np.median(tight))
        assert np.max(tight) < adaptive_error, (solver, np.max(tight))


def test_euler_steps_are_the_recursion_on_the_trees_increments():
    """With constant dyadic steps the C++ solver's arithmetic is y + (mu y) h + (sigma y) W on the
    tree's increments of each step: the same numbers, bit for bit."""
    mu, sigma, h, steps = 0.3, 0.6, 0.125, 8
    tree = qmcsim.VirtualBrownianTree(0.0, 1.0, seed=5, levy_area="none")
    solution = qmcsim.solve_sde(qmcsim.GeometricBrownianMotion(mu, sigma), [2.0], [0.5, 1.0],
                                solver="euler-maruyama", dt=h, tree=tree, paths=10, first_path=7)
    times = np.arange(steps + 1) * h
    W, _, _ = tree.increments(np.stack([times[:-1], times[1:]], axis=1), paths=10, first_path=7)
    y = np.full(10, 2.0)
    recorded = []
    for k in range(steps):
        y = y + (mu * y) * h + (sigma * y) * W[:, k, 0]
        if k in (3, 7):
            recorded.append(y.copy())
    np.testing.assert_array_equal(solution.states[:, :, 0], np.stack(recorded, axis=1))
    np.testing.assert_array_equal(solution.accepted, 8)
    np.testing.assert_array_equal(solution.rejected, 0)


def test_a_seed_is_the_tree_it_draws():
    sde = qmcsim.GeometricBrownianMotion(0.1, 0.4, calculus="stratonovich")
    by_seed = qmcsim.solve_sde(sde, [1.0], [0.3, 2.0], solver="spark", rtol=1e-4, atol=1e-4, seed=8, t0=-1.0, paths=5)
    tree = qmcsim.VirtualBrownianTree(-1.0, 2.0, seed=8, levy_area="space-time")
    by_tree = qmcsim.solve_sde(sde, [1.0], [0.3, 2.0], solver="spark", rtol=1e-4, atol=1e-4, tree=tree, paths=5)
    np.testing.assert_array_equal(by_seed.states, by_tree.states)
    np.testing.assert_array_equal(by_seed.rejected, by_tree.rejected)
    assert by_seed.rejected.sum() > 0


@pytest.mark.parametrize("solver", ["sra1", "shark", "sea", "milstein", "stratonovich-heun"])
def test_ornstein_uhlenbeck_follows_its_law(solver):
    theta, mean, sigma, x0, T, n = 2.0, 1.0, 0.5, -1.0, 1.5, 1 << 14
    sde = qmcsim.OrnsteinUhlenbeck(theta, mean, sigma)
    x = qmcsim.solve_sde(sde, [x0], [T], solver=solver, dt=0.01, seed=4, paths=n).states[:, 0, 0]
    exact_mean = mean + (x0 - mean) * np.exp(-theta * T)
    exact_variance = sigma ** 2 * (1 - np.exp(-2 * theta * T)) / (2 * theta)
    assert abs(x.mean() - exact_mean) < Z * np.sqrt(exact_variance / n) + 0.01
    assert abs(x.var() / exact_variance - 1) < Z * np.sqrt(2 / n) + 0.03


def test_cox_ingersoll_ross_keeps_its_mean():
    kappa, theta, sigma, x0, T, n = 2.0, 0.5, 0.3, 1.0, 1.0, 1 << 14
    solution = qmcsim.solve_sde(qmcsim.CoxIngersollRoss(kappa, theta, sigma), [x0], [T], rtol=1e-3, atol=1e-3, seed=2,
                                paths=n)
    x = solution.states[:, 0, 0]
    assert solution.completed.all() and (x >= 0).all()
    exact_mean = theta + (x0 - theta) * np.exp(-kappa * T)
    assert abs(x.mean() - exact_mean) < Z * x.std() / np.sqrt(n) + 2e-3


def test_constant_steps_land_on_the_save_times():
    """Ten steps of 0.1 reach 0.9999999999999999 by addition; the tenth lands on 1 (no step of 1e-16)."""
    ou = qmcsim.OrnsteinUhlenbeck(1.0, 0.0, 1.0)
    assert qmcsim.solve_sde(ou, [0.5], [1.0], solver="sra1", dt=0.1).accepted[0] == 10
    assert qmcsim.solve_sde(ou, [0.5], list(np.linspace(0.1, 1.0, 10)), solver="sra1", dt=0.01).accepted[0] == 100


def test_paths_that_run_out_of_steps_are_nan():
    solution = qmcsim.solve_sde(qmcsim.OrnsteinUhlenbeck(1.0, 0.0, 1.0), [0.0], [1.0], solver="shark", dt=0.01,
                                max_steps=30, paths=3)
    assert not solution.completed.any()
    assert np.isnan(solution.states).all()
    np.testing.assert_array_equal(solution.accepted, 30)


@pytest.mark.parametrize("arguments, message", [
    (dict(solver="spark", dt=0.1), "solves Stratonovich SDEs"),
    (dict(solver="sra1", dt=0.1), "is for additive noise"),
    (dict(solver="euler-maruyama", rtol=1e-3, atol=1e-3), "no local error estimate"),
    (dict(solver="rk4", dt=0.1), "solver = 'rk4' is unknown"),
    (dict(), "give dt"),
    (dict(rtol=1e-3), "rtol and atol together"),
    (dict(dt=-0.5), "dt = -0.5 must be a positive number"),
    (dict(dt=0.1, paths=0), "paths = 0"),
    (dict(dt=0.1, y0=[1.0, 2.0]), "y0 has 2 components"),
    (dict(dt=0.1, save_times=[]), "save_times is empty"),
    (dict(dt=0.1, save_times=[0.5, 0.25]), "save time 1 = 0.25 must exceed 0.5"),
    (dict(dt=0.1, t0=2.0), "must exceed t0 = 2"),
    (dict(dt=0.1, tree=lambda: qmcsim.VirtualBrownianTree(0.0, 1.0, levy_area="none"), t0=0.0), "t0 is the tree's t0"),
    (dict(dt=0.1, tree=lambda: qmcsim.VirtualBrownianTree(0.0, 1.0, dtype="float32")), "dtype float64"),
    (dict(dt=0.1, tree=lambda: qmcsim.VirtualBrownianTree(0.0, 1.0, dimension=2)), "the tree has 2 components"),
    (dict(dt=0.1, save_times=[2.0], tree=lambda: qmcsim.VirtualBrownianTree(0.0, 1.0)), "not exceed t1 = 1"),
])
def test_bad_input_is_a_value_error(arguments, message):
    call = dict(sde=qmcsim.GeometricBrownianMotion(0.1, 0.2), y0=[1.0], save_times=[1.0], solver="milstein")
    call.update(arguments)
    if callable(call.get("tree")):  # made here: a tree made at collection outlives the module at exit
        call["tree"] = call["tree"]()
    with pytest.raises(ValueError, match=message):
        qmcsim.solve_sde(**call)


def test_bad_models_are_value_errors():
    with pytest.raises(ValueError, match="calculus = 'itoh'"):
        qmcsim.GeometricBrownianMotion(0.1, 0.2, calculus="itoh")
    with pytest.raises(ValueError, match="kappa = -1"):
        qmcsim.CoxIngersollRoss(-1.0, 0.5, 0.3)
    with pytest.raises(ValueError, match="must be finite"):
        qmcsim.OrnsteinUhlenbeck(1.0, float("nan"), 1.0)
    stratonovich = qmcsim.GeometricBrownianMotion(0.1, 0.2, calculus="stratonovich")
    with pytest.raises(ValueError, match="needs a tree with levy_area 'space-time'"):
        qmcsim.solve_sde(stratonovich, [1.0], [1.0], solver="spark", dt=0.1,
                         tree=qmcsim.VirtualBrownianTree(0.0, 1.0, levy_area="none"))


# CallableSde: drift and diffusion as vectorized callables, all paths stepping together.

def gbm_callables(mu, sigma, calculus="ito"):
    return qmcsim.CallableSde(lambda t, y: mu * y, lambda t, y: sigma * y, calculus=calculus,
                              diffusion_derivative=lambda t, y: np.full_like(y, sigma))


def ou_callables(theta, mean, sigma):
    return qmcsim.CallableSde(lambda t, y: theta * (mean - y), lambda t, y: np.full_like(y, sigma), additive=True)


@pytest.mark.parametrize("solver, calculus, levy_area", [
    ("euler-maruyama", "ito", "none"),
    ("milstein", "ito", "none"),
    ("stratonovich-milstein", "stratonovich", "none"),
    ("stratonovich-heun", "stratonovich", "space-time"),
    ("spark", "stratonovich", "space-time"),
    ("sra1", None, "space-time"),
    ("shark", None, "space-time-time"),
    ("sea", None, "space-time"),
])
def test_callables_give_the_built_in_models_numbers_bit_for_bit(solver, calculus, levy_area):
    """The same functions, written in numpy and built in, through the batch engine and the per-path
    one on the same tree: the same states, steps shortened to land on save times included."""
    tree = qmcsim.VirtualBrownianTree(-0.5, 1.0, seed=21, levy_area=levy_area)
    if calculus:
        callables, model = gbm_callables(0.5, 0.8, calculus), qmcsim.GeometricBrownianMotion(0.5, 0.8, calculus)
    else:
        callables, model = ou_callables(2.0, 1.0, 0.5), qmcsim.OrnsteinUhlenbeck(2.0, 1.0, 0.5)
    steps = dict(save_times=[0.0, 0.37, 1.0], solver=solver, dt=0.03, tree=tree, paths=300, first_path=9)
    batch = qmcsim.solve_sde(callables, [0.7], **steps)
    per_path = qmcsim.solve_sde(model, [0.7], **steps)
    assert batch.states.shape == (300, 3, 1)
    np.testing.assert_array_equal(batch.states, per_path.states)
    np.testing.assert_array_equal(batch.accepted, per_path.accepted)
    assert batch.completed.all() and not batch.rejected.any()


@pytest.mark.parametrize("solver, calculus", [("milstein", "ito"), ("stratonovich-heun", "stratonovich"),
                                              ("spark", "stratonovich"), ("shark", None)])
def test_adaptive_callables_of_one_path_give_the_built_in_models_numbers(solver, calculus):
    """Adaptive steps of one path: the batch's error ratio is the path's own, so the callables take the
    built-in model's steps, rejections and states, bit for bit."""
    tree = qmcsim.VirtualBrownianTree(0.0, 1.0, seed=5, levy_area="space-time")
    if calculus:
        callables, model = gbm_callables(0.5, 0.8, calculus), qmcsim.GeometricBrownianMotion(0.5, 0.8, calculus)
    else:
        callables, model = ou_callables(2.0, 1.0, 0.5), qmcsim.OrnsteinUhlenbeck(2.0, 1.0, 0.5)
    rejected = 0
    for path in (0, 3, 41):
        steps = dict(save_times=[0.37, 1.0], solver=solver, rtol=1e-4, atol=1e-4, tree=tree, first_path=path)
        batch, per_path = qmcsim.solve_sde(callables, [0.7], **steps), qmcsim.solve_sde(model, [0.7], **steps)
        np.testing.assert_array_equal(batch.states, per_path.states)
        np.testing.assert_array_equal(batch.accepted, per_path.accepted)
        np.testing.assert_array_equal(batch.rejected, per_path.rejected)
        rejected += int(batch.rejected[0])
    assert rejected > 0


def test_adaptive_callables_step_the_batch_together_and_converge():
    """A batch shares its adaptive steps (torchsde's batch-wide error norm); the error against the exact GBM
    on the tree's paths falls with the tolerance."""
    mu, sigma, paths = 0.5, 0.8, 100
    tree = qmcsim.VirtualBrownianTree(0.0, 1.0, seed=12, levy_area="none")
    W, _, _ = tree.increments(np.array([[0.0, 1.0]]), paths=paths)
    exact = np.exp(mu - sigma ** 2 / 2 + sigma * W[:, 0, 0])
    errors = []
    for tolerance in (1e-2, 1e-4):
        solution = qmcsim.solve_sde(gbm_callables(mu, sigma), [1.0], [1.0], rtol=tolerance, atol=tolerance, tree=tree,
                                    paths=paths)
        assert solution.completed.all() and (solution.accepted == solution.accepted[0]).all()
        errors.append(np.sqrt(np.mean((solution.states[:, 0, 0] / exact - 1) ** 2)))
    assert errors[1] < errors[0] / 10, errors


def test_each_row_of_y0_starts_its_own_path():
    """GBM is linear in y and the steps multiply by powers of two exactly: path p from 2^p is 2^p times
    path p from 1."""
    sde = gbm_callables(0.3, 0.6)
    unit = qmcsim.solve_sde(sde, [1.0], [1.0], dt=0.05, seed=3, paths=4).states
    starts = np.array([[1.0], [2.0], [4.0], [8.0]])
    scaled = qmcsim.solve_sde(sde, starts, [1.0], dt=0.05, seed=3).states
    np.testing.assert_array_equal(scaled, starts[:, None, :] * unit)


def test_general_noise_follows_its_law():
    """dX = -a X dt + B dW with B 2 x 3 (additive, general): X_T ~ N(e^{-aT} x0, (1 - e^{-2aT}) / (2a) B B^T).
    A transposed or misread B gives a different covariance by hundreds of standard errors."""
    a, T, n = 1.5, 1.0, 1 << 12
    B = np.array([[1.0, 0.5, -0.2], [0.0, 0.7, 0.3]])
    x0 = np.array([1.0, -2.0])
    sde = qmcsim.CallableSde(lambda t, y: -a * y, lambda t, y: np.broadcast_to(B, (len(y), 2, 3)),
                             noise="general", noise_dimension=3, additive=True)
    x = qmcsim.solve_sde(sde, x0, [T], solver="sra1", dt=0.05, seed=6, paths=n).states[:, 0, :]
    mean = np.exp(-a * T) * x0
    covariance = (1 - np.exp(-2 * a * T)) / (2 * a) * B @ B.T
    standard_error = np.sqrt(np.diag(covariance) / n)
    assert (np.abs(x.mean(axis=0) - mean) < Z * standard_error).all(), (x.mean(axis=0), mean)
    sample = np.cov(x.T)
    for i, j in [(0, 0), (0, 1), (1, 1)]:
        error = np.sqrt((covariance[i, i] * covariance[j, j] + covariance[i, j] ** 2) / n)
        assert abs(sample[i, j] - covariance[i, j]) < Z * error + 1e-3, (i, j, sample, covariance)


def test_two_noise_gbm_converges_on_the_same_path():
    """dX = a X dt + b1 X o dW_1 + b2 X o dW_2 (1 x 2 general noise, commutative): X_1 = exp(a + b1 W_1 +
    b2 W_2) on the tree's path; Stratonovich Heun converges with order 1."""
    a, b1, b2 = 0.2, 0.6, 0.4
    sde = qmcsim.CallableSde(lambda t, y: a * y, lambda t, y: np.stack([b1 * y, b2 * y], axis=2),
                             noise="general", noise_dimension=2, calculus="stratonovich")
    tree = qmcsim.VirtualBrownianTree(0.0, 1.0, dimension=2, seed=13, levy_area="none")
    W, _, _ = tree.increments(np.array([[0.0, 1.0]]), paths=64)
    exact = np.exp(a + b1 * W[:, 0, 0] + b2 * W[:, 0, 1])

    def error(dt):
        x = qmcsim.solve_sde(sde, [1.0], [1.0], solver="stratonovich-heun", dt=dt, tree=tree, paths=64).states
        return np.max(np.abs(x[:, 0, 0] - exact))
    coarse, fine = error(2.0 ** -6), error(2.0 ** -10)
    assert np.log2(coarse / fine) / 4 > 0.75, (coarse, fine)


def test_torch_callables():
    torch = pytest.importorskip("torch")
    sde = qmcsim.CallableSde(lambda t, y: -torch.tensor(y), lambda t, y: 0.5 * torch.ones(y.shape, dtype=torch.float64),
                             additive=True)
    reference = qmcsim.solve_sde(ou_callables(1.0, 0.0, 0.5), [1.0], [1.0], solver="shark", dt=0.1, seed=2, paths=8)
    got = qmcsim.solve_sde(sde, [1.0], [1.0], solver="shark", dt=0.1, seed=2, paths=8)
    np.testing.assert_array_equal(got.states, reference.states)


def test_callable_errors_reach_the_caller():
    def failing(t, y):
        raise ZeroDivisionError("from the drift")
    with pytest.raises(ZeroDivisionError, match="from the drift"):
        qmcsim.solve_sde(qmcsim.CallableSde(failing, lambda t, y: y), [1.0], [1.0], solver="euler-maruyama", dt=0.1)


@pytest.mark.parametrize("sde, arguments, message", [
    (dict(drift=lambda t, y: y[:, :1]), dict(y0=[1.0, 2.0]), r"drift returned shape \(1, 1\) for 1 states; it must return \(1, 2\)"),
    (dict(diffusion=lambda t, y: y[:, 0]), dict(), r"diffusion returned shape \(1,\)"),
    (dict(noise="general", noise_dimension=2), dict(), r"diffusion returned shape \(1, 1\) .* must return \(1, 1, 2\)"),
    (dict(diffusion=lambda t, y: "text"), dict(), "could not convert"),
    (dict(), dict(solver="milstein"), "needs the SDE's diffusion_derivative"),
    (dict(), dict(solver="sra1"), "is for additive noise"),
    (dict(), dict(solver="spark"), "written in Itô form"),
    (dict(noise="general", noise_dimension=2, diffusion_derivative=lambda t, y: y), dict(solver="milstein"),
     "is for diagonal noise"),
    (dict(), dict(rtol=1e-3, atol=1e-3), "no local error estimate"),
    (dict(), dict(dt=None), "give dt"),
    (dict(), dict(y0=[[1.0], [2.0]], paths=3), "paths = 3 but y0 has 2 rows"),
    (dict(), dict(y0=[[[1.0]]]), "y0 is 3-dimensional"),
    (dict(), dict(y0=[float("nan")]), "y0 entry = nan is not a finite number"),
    (dict(), dict(tree=lambda: qmcsim.VirtualBrownianTree(0.0, 1.0, dimension=2)),
     "the tree has 2 components, the SDE's noise 1"),
])
def test_bad_callable_sdes_are_value_errors(sde, arguments, message):
    model = dict(drift=lambda t, y: -y, diffusion=lambda t, y: np.ones_like(y))
    model.update(sde)
    call = dict(y0=[1.0], save_times=[1.0], solver="euler-maruyama", dt=0.25)
    call.update(arguments)
    if callable(call.get("tree")):  # made here: a tree made at collection outlives the module at exit
        call["tree"] = call["tree"]()
    with pytest.raises(ValueError, match=message):
        qmcsim.solve_sde(qmcsim.CallableSde(**model), **call)


def test_bad_callable_sde_declarations_are_value_errors():
    with pytest.raises(ValueError, match="noise = 'full'"):
        qmcsim.CallableSde(lambda t, y: y, lambda t, y: y, noise="full")
    with pytest.raises(ValueError, match="noise_dimension"):
        qmcsim.CallableSde(lambda t, y: y, lambda t, y: y, noise="general")
    with pytest.raises(ValueError, match="noise_dimension"):
        qmcsim.CallableSde(lambda t, y: y, lambda t, y: y, noise_dimension=2)
    with pytest.raises(ValueError, match="calculus = 'strat'"):
        qmcsim.CallableSde(lambda t, y: y, lambda t, y: y, calculus="strat")
    with pytest.raises(ValueError, match="diffusion_derivative must be callable"):
        qmcsim.CallableSde(lambda t, y: y, lambda t, y: y, diffusion_derivative=3.0)
