# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""The peers as oracles: QMCPy, scipy, diffrax and torchsde installed from PyPI (python/requirements-
peers.txt), never skipped. Point sets bit for bit where the mathematics says so; the fast transforms;
guaranteed cubature against QMCPy's CubQMCLatticeG / CubQMCNetG on the same points (same n, same
solution); Bayesian cubature against CubBayesLatticeG / CubBayesNetG (both within tolerance, n within
two doublings: docs/kernels.md explains why qmcsim's intervals are wider); the Brownian tree's (W, H) against diffrax's VirtualBrownianTree and torchsde's
BrownianInterval by two-sample variance tests that see a 2 % difference; DDIM, PLMS and DPM-Solver++ 2M/3M
against diffusers' schedulers from the same x_T and model; LDData's published file layouts and all
21201 Sobol' dimensions against QMCPy and scipy."""

import math
import re
import warnings

import numpy as np
import pytest
import qmcpy
from scipy.stats import norm, qmc

import qmcsim
from peer_models import torch_mixture_eps

warnings.filterwarnings("ignore")

DEFAULT_VECTOR = None


def default_vector(d):
    """The first d components of qmcsim's default generating vector, from its unrandomized lattice:
    point 2^19 (radical-inverse index 1 << 19 is k = 1 of the 2^20 lattice) is z / 2^20."""
    x = qmcsim.Lattice(d, randomize="none", order="linear", linear_size=2**20).gen(2, start=0)[1]
    return np.round(x * 2**20).astype(np.uint64)


@pytest.mark.parametrize("d", [1, 7, 64])
def test_points_equal_qmcpy_and_scipy(d):
    n = 1024
    z = default_vector(d)
    for qmcpy_order, order in (("RADICAL INVERSE", "natural"), ("GRAY", "gray"), ("LINEAR", "linear")):
        peer = qmcpy.Lattice(d, randomize=False, generating_vector=z.copy(), order=qmcpy_order, m_max=20)(n)
        kw = {"linear_size": n} if order == "linear" else {}
        np.testing.assert_array_equal(qmcsim.Lattice(d, randomize="none", order=order, **kw).gen(n), peer)
    for qmcpy_order, order in (("RADICAL INVERSE", "natural"), ("GRAY", "gray")):
        peer = qmcpy.DigitalNetB2(d, randomize=False, order=qmcpy_order)(n)
        np.testing.assert_array_equal(qmcsim.DigitalNet(d, randomize="none", order=order).gen(n), peer)
    np.testing.assert_array_equal(qmcsim.DigitalNet(d, randomize="none", order="gray").gen(n), qmc.Sobol(d, scramble=False).random(n))
    # Halton: both compute the radical inverse, scipy and QMCPy in floating point: equal to one rounding
    ours = qmcsim.Halton(d, randomize="none").gen(n)
    np.testing.assert_allclose(ours, qmc.Halton(d, scramble=False).random(n), rtol=0, atol=4e-16)
    np.testing.assert_allclose(ours, qmcpy.Halton(d, randomize=False)(n), rtol=0, atol=4e-16)


def test_sobol_in_all_21201_dimensions_equals_scipy_and_qmcpy():
    """Beyond Boost.Random's 3667 dimensions the built-in table is new-joe-kuo-6.21201 itself."""
    n, d = 64, 21201
    ours = qmcsim.DigitalNet(d, randomize="none", order="gray").gen(n)
    np.testing.assert_array_equal(ours, qmc.Sobol(d, scramble=False).random(n))
    natural = qmcsim.DigitalNet(d, randomize="none", order="natural").gen(n)
    np.testing.assert_array_equal(natural, qmcpy.DigitalNetB2(d, randomize=False, order="RADICAL INVERSE")(n))
    with pytest.raises(ValueError, match="21201"):
        qmcsim.DigitalNet(d + 1)


@pytest.mark.parametrize("alpha", [2, 3, 4, 5])
def test_higher_order_nets_equal_qmcpy(alpha):
    """Digital interlacing of order alpha of the Sobol' matrices, unrandomized: QMCPy's points bit for bit
    (alpha = 4 and 5 also equal the Magic Point Shop's mps.sobol_alpha{4,5}_Bs64 files of LDData)."""
    for d in (1, 3):
        np.testing.assert_array_equal(qmcsim.DigitalNet(d, randomize="none", alpha=alpha).gen(512),
                                      qmcpy.DigitalNetB2(d, randomize=False, alpha=alpha, order="RADICAL INVERSE")(512))


def test_ldata_files_as_published_equal_qmcpy(tmp_path):
    """QMCPy's Joe-Kuo matrices (32 columns, 32 rows) written as LDData publishes them (third header
    value n = 2^32) in "dnet" and, bit-reversed, in "dnetup": qmcsim reads both to the points QMCPy
    makes from the same integers (msb=True and msb=False)."""
    d, n = 6, 256
    matrices = qmcpy.DigitalNetB2(d, randomize=False).gen_mats[0, :d, :].astype(np.uint64)
    lsb = np.array([[int(f"{int(c):032b}"[::-1], 2) for c in row] for row in matrices], dtype=np.uint64)
    for keyword, table, msb in (("dnet", matrices, True), ("dnetup", lsb, False)):
        path = tmp_path / f"{keyword}.txt"
        rows = "\n".join(" ".join(str(int(c)) for c in row) for row in table)
        path.write_text(f"# {keyword}\n2 # base\n{d} # dimensions\n4294967296 # supports 2^32 points\n32 # bits\n{rows}\n")
        ours = qmcsim.DigitalNet(d, randomize="none", matrices=str(path)).gen(n)
        theirs = qmcpy.DigitalNetB2(d, randomize=False, generating_matrices=table.copy(), msb=msb, order="RADICAL INVERSE")(n)
        np.testing.assert_array_equal(ours, theirs)


def test_per_replication_vectors_and_matrices_equal_qmcpy():
    """QMCPy's (replications, d) generating vectors and (replications, d, m) generating matrices: each
    unrandomized replication is QMCPy's, bit for bit, in every order (and matrices in both bit orders)."""
    d, n, R = 4, 512, 3
    vectors = np.array([default_vector(d), [1, 182667, 469891, 498753], [1, 3, 5, 1048573]], dtype=np.uint64)
    for qmcpy_order, order in (("RADICAL INVERSE", "natural"), ("GRAY", "gray"), ("LINEAR", "linear")):
        kw = {"linear_size": n} if order == "linear" else {}
        ours = qmcsim.Lattice(d, replications=R, randomize="none", order=order, generating_vector=vectors, m_max=20, **kw).gen(n)
        if order == "linear":  # QMCPy's linear order takes one vector at a time
            theirs = np.stack([qmcpy.Lattice(d, randomize=False, generating_vector=v.copy(), order=qmcpy_order,
                                             m_max=20)(n, warn=False) for v in vectors])
        else:
            theirs = qmcpy.Lattice(d, replications=R, randomize=False, generating_vector=vectors.copy(),
                                   order=qmcpy_order, m_max=20)(n, warn=False)
        np.testing.assert_array_equal(ours, theirs)
    joe_kuo = qmcpy.DigitalNetB2(3 * d, randomize=False).gen_mats[0].astype(np.uint64)
    matrices = np.stack([joe_kuo[:d], joe_kuo[d:2 * d], joe_kuo[2 * d:]])  # (3, d, 32)
    lsb = np.vectorize(lambda c: int(f"{int(c):032b}"[::-1], 2), otypes=[np.uint64])(matrices)
    for table, msb in ((matrices, True), (lsb, False)):
        for qmcpy_order, order in (("RADICAL INVERSE", "natural"), ("GRAY", "gray")):
            ours = qmcsim.DigitalNet(d, replications=R, randomize="none", order=order, matrices=table, msb=msb).gen(n)
            theirs = qmcpy.DigitalNetB2(d, replications=R, randomize=False, generating_matrices=table.copy(), msb=msb,
                                        order=qmcpy_order)(n, warn=False)
            np.testing.assert_array_equal(ours, theirs)


def test_random_generating_vectors_agree_with_qmcpy_in_distribution():
    """QMCPy's generating_vector=M (z_1 = 1, the others uniform odd in [3, 2^M - 1], one vector per
    replication): over 300 replications the centred L2 discrepancies of the shifted lattices have the
    same distribution as qmcsim's (two-sample KS), and differ from the fixed default vector's."""
    from scipy.stats import ks_2samp
    R, d, n, M = 300, 3, 256, 8
    ours = qmcsim.Lattice(d, replications=R, seed=11, generating_vector=M)
    mine = [qmc.discrepancy(x) for x in ours.gen(n)]
    peer = [qmc.discrepancy(x) for x in qmcpy.Lattice(d, replications=R, seed=11, generating_vector=M)(n)]
    fixed = [qmc.discrepancy(x) for x in qmcsim.Lattice(d, replications=R, seed=11).gen(n)]
    assert ks_2samp(mine, peer).pvalue > 1e-4
    assert ks_2samp(mine, fixed).pvalue < 1e-6  # the test sees the choice of vector


@pytest.mark.parametrize("ours, theirs", [("lms-perm", "LMS_PERM"), ("lms-ds", "LMS_DS"), ("perm", "PERM")])
def test_randomized_halton_agrees_with_qmcpy_in_distribution(ours, theirs):
    # 128 independent randomizations of 243 points in 5 dimensions: the centred L2 discrepancies of
    # qmcsim's and QMCPy's scrambled Halton have the same distribution (two-sample Kolmogorov-Smirnov)
    from scipy.stats import ks_2samp
    mine = [qmc.discrepancy(x) for x in qmcsim.Halton(5, replications=128, seed=3, randomize=ours).gen(243)]
    peer = [qmc.discrepancy(x) for x in qmcpy.Halton(5, replications=128, seed=3, randomize=theirs)(243)]
    assert ks_2samp(mine, peer).pvalue > 1e-4


def test_randomized_points_agree_in_distribution():
    # 99 % of 64 independent randomizations: the centred L2 discrepancy of scrambled Sobol' (ours, scipy)
    # has the same distribution (two-sample Kolmogorov-Smirnov, p > 1e-4)
    from scipy.stats import ks_2samp
    ours = [qmc.discrepancy(x) for x in qmcsim.DigitalNet(4, replications=64, seed=1, randomize="nus").gen(256)]
    theirs = [qmc.discrepancy(qmc.Sobol(4, seed=s).random(256)) for s in range(64)]
    assert ks_2samp(ours, theirs).pvalue > 1e-4


def test_transforms_equal_qmcpy():
    rng = np.random.default_rng(3)
    for n in (1, 2, 1024):
        y = rng.standard_normal((2, n)) + 1j * rng.standard_normal((2, n))
        np.testing.assert_allclose(qmcsim.fftbr(y), qmcpy.fftbr(y), atol=1e-12 * np.sqrt(n))
        np.testing.assert_allclose(qmcsim.ifftbr(y), qmcpy.ifftbr(y), atol=1e-12 * np.sqrt(n))
        np.testing.assert_allclose(qmcsim.fwht(y.real), qmcpy.fwht(y.real), atol=1e-12 * np.sqrt(n))


def keister(x):
    t = norm.ppf(x)
    return np.pi ** (x.shape[1] / 2) * np.cos(np.sqrt((t * t).sum(axis=1) / 2))


def qmcpy_lattice_like(ours, d, seed):
    """QMCPy's shifted lattice with qmcsim's vector and qmcsim's shift: the same points."""
    lattice = qmcpy.Lattice(d, randomize="SHIFT", generating_vector=default_vector(d), seed=seed, m_max=20)
    lattice.shift = ours.gen(1).reshape(lattice.shift.shape)
    return lattice


def qmcpy_net_like(ours, d, seed):
    """QMCPy's digitally shifted Sobol' net with qmcsim's shift (to the 53 bits a double carries)."""
    net = qmcpy.DigitalNetB2(d, randomize="DS", seed=seed, order="RADICAL INVERSE")
    net.rshift = np.floor(ours.gen(1).reshape(net.rshift.shape) * 2.0**63).astype(np.uint64)
    return net


@pytest.mark.parametrize("d, tol", [(2, 1e-3), (3, 1e-3), (4, 1e-4)])
def test_guaranteed_cubature_equals_qmcpy_on_the_same_points(d, tol):
    for seed in range(3):
        ours = qmcsim.Lattice(d, seed=seed)
        solution, data = qmcpy.CubQMCLatticeG(qmcpy.Keister(qmcpy_lattice_like(ours, d, seed)), abs_tol=tol).integrate()
        result = qmcsim.guaranteed_cubature(keister, ours, abs_tol=tol)
        assert result.n == data.n_total
        assert abs(result.estimate - float(solution)) < 1e-12
        net = qmcsim.DigitalNet(d, seed=seed, randomize="ds")
        solution, data = qmcpy.CubQMCNetG(qmcpy.Keister(qmcpy_net_like(net, d, seed)), abs_tol=tol).integrate()
        result = qmcsim.guaranteed_cubature(keister, net, abs_tol=tol)
        assert result.n == data.n_total
        assert abs(result.estimate - float(solution)) < 1e-9


@pytest.mark.parametrize("d, tol", [(2, 1e-4), (3, 1e-3), (4, 1e-3)])
def test_bayesian_cubature_against_qmcpy(d, tol):
    exact = qmcpy.Keister(qmcpy.Lattice(d)).exact_integ(d)
    for seed in range(3):
        ours = qmcsim.bayesian_cubature(keister, qmcsim.Lattice(d, seed=seed), abs_tol=tol)
        solution, data = qmcpy.CubBayesLatticeG(qmcpy.Keister(qmcpy.Lattice(d, seed=seed)), abs_tol=tol).integrate()
        assert abs(ours.estimate - exact) <= tol and abs(float(solution) - exact) <= tol
        assert ours.n <= 4 * data.n_total, (ours.n, data.n_total)
        print(f"lattice d = {d}, tol = {tol}, seed {seed}: n = {ours.n} (QMCPy {data.n_total})")
        net = qmcsim.bayesian_cubature(keister, qmcsim.DigitalNet(d, seed=seed), abs_tol=tol)
        solution, data = qmcpy.CubBayesNetG(qmcpy.Keister(qmcpy.DigitalNetB2(d, seed=seed)), abs_tol=tol).integrate()
        assert abs(net.estimate - exact) <= tol and abs(float(solution) - exact) <= tol
        assert net.n <= 4 * data.n_total, (net.n, data.n_total)
        print(f"net d = {d}, tol = {tol}, seed {seed}: n = {net.n} (QMCPy {data.n_total})")


def variance_ratio_bound(n):
    """|s1^2 / s2^2 - 1| for two independent samples of n normals stays below this with probability
    1 - 1e-9 (z = 6.1, the ratio's standard deviation sqrt(4 / n))."""
    return 6.1 * np.sqrt(4 / n)


N_PATHS = 1 << 17  # the bound is 3.4 %: a 2 % variance error is seen at z ~ 3.6 per statistic, 5.1 over W and H


def qmcsim_w_h(s, t):
    tree = qmcsim.VirtualBrownianTree(0.0, 1.0, dimension=1, seed=11)
    W, H, _ = tree.increments(np.array([[s, t]]), paths=N_PATHS)
    return W[:, 0, 0], H[:, 0, 0]


@pytest.mark.parametrize("s, t", [(0.3, 0.7), (0.123, 0.1231)])
def test_brownian_against_diffrax(s, t):
    import diffrax
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)

    def sample(key):
        tree = diffrax.VirtualBrownianTree(0.0, 1.0, tol=1e-6, shape=(), key=key, levy_area=diffrax.SpaceTimeLevyArea)
        value = tree.evaluate(s, t, use_levy=True)
        return value.W, value.H

    W, H = jax.jit(jax.vmap(sample))(jax.random.split(jax.random.PRNGKey(0), N_PATHS))
    ours_W, ours_H = qmcsim_w_h(s, t)
    bound = variance_ratio_bound(N_PATHS)
    assert abs(np.var(ours_W) / np.var(np.asarray(W)) - 1) < bound
    assert abs(np.var(ours_H) / np.var(np.asarray(H)) - 1) < bound


@pytest.mark.parametrize("s, t", [(0.3, 0.7), (0.123, 0.1231)])
def test_brownian_against_torchsde(s, t):
    import torch
    import torchsde

    torch.manual_seed(0)
    bm = torchsde.BrownianInterval(0.0, 1.0, size=(N_PATHS, 1), dtype=torch.float64, levy_area_approximation="space-time")
    W, U = bm(s, t, return_U=True)
    h = t - s
    H = (U / h - W / 2).numpy()[:, 0]  # torchsde's U = int_s^t W_{s,u} du; H = U / h - W / 2
    ours_W, ours_H = qmcsim_w_h(s, t)
    bound = variance_ratio_bound(N_PATHS)
    assert abs(np.var(ours_W) / np.var(W.numpy()[:, 0]) - 1) < bound
    assert abs(np.var(ours_H) / np.var(H) - 1) < bound


# Diffusion: diffusers' schedulers stepped from the same x_T with the same analytic eps model (Gaussian
# data N(0, v I): eps(x) = sigma_bar (x / alpha) / (v + sigma_bar^2)), on float64 tables (diffusers builds
# its betas in float32; qmcsim's are the same scaled-linear betas in double).
DIFFUSION_V, DIFFUSION_SHAPE = 0.25, (4, 3)


def gaussian_eps(x, sigma_bar, alpha, t):
    return sigma_bar * (x / alpha) / (DIFFUSION_V + sigma_bar**2)


def gaussian_v(x, sigma_bar, alpha, t):
    """The velocity v = alpha eps - sigma x0 of the same Gaussian data (sigma = alpha sigma_bar)."""
    eps = gaussian_eps(x, sigma_bar, alpha, t)
    return alpha * eps - alpha * sigma_bar * (x / alpha - sigma_bar * eps)


def diffusers_samples(scheduler, steps, x_T, after_first_step=None, model=gaussian_eps, zero_terminal_snr=False,
                      final_alpha_one=False, step_arguments=lambda k: {}):
    import torch
    betas = torch.linspace(0.00085**0.5, 0.012**0.5, 1000, dtype=torch.float64) ** 2
    if zero_terminal_snr:  # diffusers' own rescaling and 2^-24 stand-in, on float64 betas
        from diffusers.schedulers.scheduling_euler_discrete import rescale_zero_terminal_snr
        betas = rescale_zero_terminal_snr(betas)
    scheduler.betas, scheduler.alphas = betas, 1 - betas
    scheduler.alphas_cumprod = torch.cumprod(scheduler.alphas, 0)
    if zero_terminal_snr:
        scheduler.alphas_cumprod[-1] = 2**-24
    scheduler.final_alpha_cumprod = torch.tensor(1.0, dtype=torch.float64) if final_alpha_one else scheduler.alphas_cumprod[0]
    scheduler.set_timesteps(steps)
    if hasattr(scheduler, "sigmas"):  # DPM-Solver: its sigma table is rounded to float32 by set_timesteps
        sigma_bar = torch.sqrt((1 - scheduler.alphas_cumprod) / scheduler.alphas_cumprod)
        scheduler.sigmas = torch.cat([sigma_bar[scheduler.timesteps], sigma_bar[:1]])
    x = torch.from_numpy(x_T.copy())
    timesteps = list(scheduler.timesteps)
    if after_first_step is not None:  # the node the skipped stage would have repeated (PNDM's t_1) goes too
        timesteps = [t for k, t in enumerate(timesteps) if k == 0 or t != timesteps[k - 1]]
    for k, t in enumerate(timesteps):
        abar = scheduler.alphas_cumprod[t].item()
        eps = model(x.numpy(), np.sqrt((1 - abar) / abar), np.sqrt(abar), int(t))
        x = scheduler.step(torch.from_numpy(eps), t, x, **step_arguments(k)).prev_sample
        if k == 0 and after_first_step is not None:
            after_first_step(scheduler)
    return x.numpy()


@pytest.mark.parametrize("steps", [9, 37])
def test_ddim_equals_diffusers(steps):
    from diffusers import DDIMScheduler
    # For N dividing 999, qmcsim's grid round(linspace(0, 999, N + 1)) is diffusers' "leading" grid
    # (999 / N) k + steps_offset with steps_offset = 999 / N, and both end at t = 0 (alpha_bar_0, not 1).
    x_T = np.random.default_rng(steps).standard_normal(DIFFUSION_SHAPE)
    ours = qmcsim.Sampler("ddim", steps=steps, batch=4, dimension=3).run(gaussian_eps, x_T)
    peer = diffusers_samples(DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                           clip_sample=False, set_alpha_to_one=False, steps_offset=999 // steps,
                                           timestep_spacing="leading"), steps, x_T)
    np.testing.assert_allclose(ours, peer, rtol=1e-12, atol=0)


def test_mixture_model_sampling_equals_diffusers_with_the_torch_model():
    """The library's GaussianMixture model, evaluated inside qmcsim's step kernels, against the same
    mixture written in torch and stepped by diffusers' DDIMScheduler: the denoisers agree to 1e-13 and
    whole DDIM runs to 1e-10 (the work bench_peers.py times side by side)."""
    from diffusers import DDIMScheduler
    mixture = qmcsim.GaussianMixture.ring(16)
    x_bar = np.random.default_rng(3).standard_normal((64, 16)) * 2
    model = torch_mixture_eps(mixture)
    for sigma_bar in (1e-3, 0.05, 1.0, 14.6):  # eps is x0's image for sigma_bar > 0
        alpha = 1 / np.sqrt(1 + sigma_bar**2)
        eps = model(alpha * x_bar, sigma_bar, alpha).numpy()
        x0 = (alpha * x_bar - np.sqrt(1 - alpha**2) * eps) / alpha
        np.testing.assert_allclose(mixture.denoise(x_bar, sigma_bar), x0, rtol=0, atol=1e-12)
    steps = 9
    x_T = np.random.default_rng(4).standard_normal((64, 16))
    ours = qmcsim.Sampler("ddim", steps=steps, batch=64, dimension=16).run(mixture, x_T)
    peer = diffusers_samples(DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                           clip_sample=False, set_alpha_to_one=False, steps_offset=999 // steps,
                                           timestep_spacing="leading"), steps, x_T, model=lambda x, s, a, t: model(x, s, a).numpy())
    np.testing.assert_allclose(ours, peer, rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="the mixture has 16 coordinates, the sampler 15"):
        qmcsim.Sampler("ddim", steps=steps, batch=64, dimension=15).run(mixture, x_T[:, :15])


@pytest.mark.parametrize("steps", [9, 37])
@pytest.mark.parametrize("heun_start", [False, True])
def test_plms_equals_diffusers_pndm(steps, heun_start):
    """PLMS against diffusers' PNDMScheduler(skip_prk_steps=True), whose own step does every update.
    diffusers corrects its first (Euler) step once, Heun-like, with a second model evaluation at t_1;
    the paper's PLMS (qmcsim) starts with the lower orders AB1, AB2, AB3 instead. With that one
    correction stage skipped (the scheduler's counter moved past it), diffusers' AB2/AB3/AB4 steps and
    PNDM transfer must give qmcsim's samples to 1e-12; with it, the two differ (the warm-ups differ by
    O(h^2) in the first step), which the test also asserts, so it sees a one-step difference."""
    from diffusers import PNDMScheduler
    x_T = np.random.default_rng(steps).standard_normal(DIFFUSION_SHAPE)
    ours = qmcsim.Sampler("plms", order=4, steps=steps, batch=4, dimension=3).run(gaussian_eps, x_T)

    def skip_heun_correction(scheduler):
        scheduler.counter = 2

    peer = diffusers_samples(PNDMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                           skip_prk_steps=True, set_alpha_to_one=False, steps_offset=999 // steps,
                                           timestep_spacing="leading"), steps, x_T,
                             after_first_step=None if heun_start else skip_heun_correction)
    if heun_start:
        assert np.max(np.abs(ours - peer) / np.abs(peer)) > 1e-6
    else:
        np.testing.assert_allclose(ours, peer, rtol=1e-12, atol=0)


@pytest.mark.parametrize("method, order", [("dpmpp-2m", 2), ("dpmpp-3m", 3)])
@pytest.mark.parametrize("steps", [10, 20])
def test_dpm_solver_pp_equals_diffusers(method, order, steps):
    from diffusers import DPMSolverMultistepScheduler
    # diffusers' DPMSolverMultistepScheduler.step casts the sample to float32 ("upcast to avoid precision
    # issues"), so the two agree to float32 rounding over the steps, not to 1e-10; a solver that differs
    # in any coefficient or in the lower-order final steps differs by 1e-3 to 0.3 here.
    x_T = np.random.default_rng(steps).standard_normal(DIFFUSION_SHAPE)
    ours = qmcsim.Sampler(method, steps=steps, batch=4, dimension=3).run(gaussian_eps, x_T)
    peer = diffusers_samples(DPMSolverMultistepScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", solver_order=order, algorithm_type="dpmsolver++",
        lower_order_final=True, final_sigmas_type="sigma_min", timestep_spacing="linspace"), steps, x_T)
    np.testing.assert_allclose(ours, peer, rtol=5e-6, atol=0)


@pytest.mark.parametrize("method, order", [("unipc", 1), ("unipc", 2), ("unipc", 3), ("unipc-bh1", 2), ("unipc-bh1", 3)])
@pytest.mark.parametrize("steps", [5, 10, 25])
def test_unipc_equals_diffusers(method, order, steps):
    """UniPC (predictor and corrector at every step, data prediction) against diffusers'
    UniPCMultistepScheduler with the same grid (its sigma table in float64, as for DPM-Solver): equal to
    1e-13 (1.2e-15 seen); the predictor alone (disable_corrector at every step) differs."""
    from diffusers import UniPCMultistepScheduler
    x_T = np.random.default_rng(steps + order).standard_normal(DIFFUSION_SHAPE)
    ours = qmcsim.Sampler(method, order=order, steps=steps, batch=4, dimension=3).run(gaussian_eps, x_T)

    def scheduler(**options):
        return UniPCMultistepScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                       solver_order=order, solver_type="bh2" if method == "unipc" else "bh1",
                                       predict_x0=True, lower_order_final=True, final_sigmas_type="sigma_min",
                                       timestep_spacing="linspace", **options)
    peer = diffusers_samples(scheduler(), steps, x_T)
    np.testing.assert_allclose(ours, peer, rtol=1e-13, atol=1e-15)
    predictor_only = diffusers_samples(scheduler(disable_corrector=list(range(steps))), steps, x_T)
    assert np.max(np.abs(predictor_only - ours)) > 1e-6


@pytest.mark.parametrize("order, variant", [(1, "bh2"), (2, "bh2"), (3, "bh2"), (2, "bh1")])
@pytest.mark.parametrize("steps", [10, 25])
def test_unipc_with_momentum_equals_diffusers_with_a_damped_corrector(order, variant, steps):
    """UniPC + HB (beta = 0.8; the paper's momentum on the corrector) against diffusers'
    UniPCMultistepScheduler whose corrected sample is replaced, step by step, by the heavy-ball rule
    x_bar^c_n = r x_bar^c_{n-1} + (1 - r) sigma_n v_n, v_n = (1 - beta) v_{n-1} + beta C_n / sigma_n (v_1 =
    C_1 / sigma_1), r = sigma_bar_n / sigma_bar_{n-1}, sigma the VP noise level, where C_n is the
    corrector's own combination, read off diffusers' plain result as (x_bar^c - r x_bar^c_{n-1}) / (1 - r);
    the predictor is diffusers' own. Equal to 1e-12; plain UniPC and another beta differ."""
    from diffusers import UniPCMultistepScheduler
    beta = 0.8
    x_T = np.random.default_rng(steps + order).standard_normal(DIFFUSION_SHAPE)
    method = "unipc" if variant == "bh2" else "unipc-bh1"
    ours = qmcsim.Sampler(method, order=order, beta=beta, steps=steps, batch=4, dimension=3).run(gaussian_eps, x_T)
    scheduler = UniPCMultistepScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                        solver_order=order, solver_type=variant, predict_x0=True, lower_order_final=True,
                                        final_sigmas_type="sigma_min", timestep_spacing="linspace")
    plain_corrector, velocity = scheduler.multistep_uni_c_bh_update, []

    def damped_corrector(*args, last_sample, this_sample, **kwargs):
        corrected = plain_corrector(*args, last_sample=last_sample, this_sample=this_sample, **kwargs)
        n = scheduler.step_index
        sigma_bar, sigma_bar_previous = scheduler.sigmas[n].item(), scheduler.sigmas[n - 1].item()
        alpha, alpha_previous = 1 / np.sqrt(1 + sigma_bar**2), 1 / np.sqrt(1 + sigma_bar_previous**2)
        r, previous = sigma_bar / sigma_bar_previous, last_sample.numpy() / alpha_previous
        combination = (corrected.numpy() / alpha - r * previous) / (1 - r)
        sigma = sigma_bar * alpha
        v = combination / sigma if not velocity else (1 - beta) * velocity[-1] + beta * combination / sigma
        velocity.append(v)
        return torch.from_numpy(alpha * (r * previous + (1 - r) * sigma * v))

    import torch
    scheduler.multistep_uni_c_bh_update = damped_corrector
    peer = diffusers_samples(scheduler, steps, x_T)
    assert len(velocity) == steps - 1
    np.testing.assert_allclose(ours, peer, rtol=1e-12, atol=1e-14)
    plain = qmcsim.Sampler(method, order=order, steps=steps, batch=4, dimension=3).run(gaussian_eps, x_T)
    other = qmcsim.Sampler(method, order=order, beta=0.9, steps=steps, batch=4, dimension=3).run(gaussian_eps, x_T)
    assert np.max(np.abs(plain - ours)) > 1e-6 and np.max(np.abs(other - ours)) > 1e-6


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("steps", [10, 20])
def test_sde_dpm_solver_pp_equals_diffusers_with_the_same_noise(order, steps):
    """SDE-DPM-Solver++ (first order and 2M) against DPMSolverMultistepScheduler(algorithm_type=
    'sde-dpmsolver++').step(variance_noise=) fed qmcsim's own normals of each step: equal to diffusers'
    float32 arithmetic (its step casts the sample and the noise to float32); other normals differ."""
    import torch
    from diffusers import DPMSolverMultistepScheduler
    x_T = np.random.default_rng(steps + order).standard_normal(DIFFUSION_SHAPE)
    sampler = qmcsim.Sampler("sde-dpmpp-2m" if order == 2 else "sde-dpmpp-1", steps=steps, batch=4, dimension=3)
    ours = sampler.run(gaussian_eps, x_T, seed=9)
    peer = diffusers_samples(DPMSolverMultistepScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", solver_order=order,
        algorithm_type="sde-dpmsolver++", lower_order_final=True, final_sigmas_type="sigma_min",
        timestep_spacing="linspace"), steps, x_T,
        step_arguments=lambda k: {"variance_noise": torch.from_numpy(sampler.noise(k, seed=9))})
    np.testing.assert_allclose(ours, peer, rtol=5e-6, atol=1e-6)
    assert np.max(np.abs(sampler.run(gaussian_eps, x_T, seed=10) - ours)) > 1e-3
    with pytest.raises(ValueError, match="takes no order or beta"):
        qmcsim.Sampler("sde-dpmpp-2m", order=2, steps=steps)


@pytest.mark.parametrize("steps", [9, 37])
@pytest.mark.parametrize("eta", [0.3, 1.0])
def test_stochastic_ddim_equals_diffusers_with_the_same_noise(steps, eta):
    """DDIM with eta (Song et al.'s stochastic DDIM) against DDIMScheduler.step(eta=, variance_noise=)
    fed qmcsim's own normals of each step (Sampler.noise), float64 tables: equal to 1e-11; other
    normals give other samples."""
    import torch
    from diffusers import DDIMScheduler
    x_T = np.random.default_rng(steps).standard_normal(DIFFUSION_SHAPE)
    sampler = qmcsim.Sampler("ddim", eta=eta, steps=steps, batch=4, dimension=3)
    ours = sampler.run(gaussian_eps, x_T, seed=5)
    peer = diffusers_samples(DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                           clip_sample=False, set_alpha_to_one=False, steps_offset=999 // steps,
                                           timestep_spacing="leading"), steps, x_T,
                             step_arguments=lambda k: {"eta": eta, "variance_noise": torch.from_numpy(sampler.noise(k, seed=5))})
    np.testing.assert_allclose(ours, peer, rtol=1e-11, atol=1e-14)
    assert np.max(np.abs(sampler.run(gaussian_eps, x_T, seed=6) - ours)) > 1e-3


def test_ancestral_ddim_equals_diffusers_euler_ancestral(monkeypatch):
    """eta = 1 is EulerAncestralDiscreteScheduler (sigma_up, sigma_down), its normals replaced by qmcsim's
    through diffusers' randn_tensor; trailing timesteps ending at 0; float32 rounding (its step upcasts)."""
    import torch
    from diffusers import EulerAncestralDiscreteScheduler
    from diffusers.schedulers import scheduling_euler_ancestral_discrete as module
    steps = 15
    x_T = np.random.default_rng(steps).standard_normal(DIFFUSION_SHAPE)
    sampler = qmcsim.Sampler("ddim", eta=1.0, steps=steps, batch=4, dimension=3, spacing="trailing", final_sigma="zero")
    ours = sampler.run(gaussian_eps, x_T, seed=9)
    drawn = iter(range(steps))
    monkeypatch.setattr(module, "randn_tensor", lambda *args, **kwargs: torch.from_numpy(sampler.noise(next(drawn), seed=9)))
    scheduler = EulerAncestralDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                                timestep_spacing="trailing")
    peer = euler_samples(scheduler, steps, x_T / (1 / np.sqrt(1 + sampler.sigma_bar[0] ** 2)), gaussian_eps)
    np.testing.assert_allclose(sampler.sigma_bar, scheduler.sigmas.numpy(), rtol=1e-4, atol=0)
    np.testing.assert_allclose(ours, peer, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("spacing", ["leading", "trailing"])
def test_timestep_spacings_equal_diffusers(spacing):
    """Leading and trailing timesteps (Lin et al. 2024, Table 2) as DDIMScheduler and
    EulerDiscreteScheduler place them, for every N to 122 and a few large ones (N = 16, 48, ...: ties
    of T / N k at .5, rounded by NumPy half to even after its arange's own rounding).

    For 62 values of N <= 1000 (61, 103, 121, 122, ...) NumPy's arange(1000, 0, -1000 / N) overshoots
    by rounding and returns N + 1 values, so diffusers' trailing grid has N + 1 timesteps ending at
    -1, which then indexes alphas_cumprod[-1], the noisiest; qmcsim places the N timesteps."""
    from diffusers import DDIMScheduler, EulerDiscreteScheduler
    offset = 1 if spacing == "leading" else 0
    table = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear"}
    for steps in list(range(1, 123)) + [250, 333, 999]:
        ours = qmcsim.Sampler("ddim", steps=steps, spacing=spacing, steps_offset=offset, final_sigma="zero")
        overshoot = spacing == "trailing" and len(np.arange(1000, 0, -1000 / steps)) != steps
        for peer in (DDIMScheduler(timestep_spacing=spacing, steps_offset=offset, **table),
                     EulerDiscreteScheduler(timestep_spacing=spacing, steps_offset=offset, **table)):
            peer.set_timesteps(steps)
            timesteps = peer.timesteps.numpy().astype(np.float64)
            if overshoot:
                assert len(timesteps) == steps + 1 and timesteps[-1] == -1, f"N = {steps}"
                timesteps = timesteps[:-1]
            np.testing.assert_array_equal(ours.times[:-1], timesteps, err_msg=f"N = {steps}")
        # Euler's sigmas: float32 from float32 alphas_cumprod (whose rounding moves sigma_bar(0) by 4e-5)
        np.testing.assert_allclose(ours.sigma_bar[:-1], peer.sigmas.numpy()[:steps], rtol=1e-4, atol=0, err_msg=f"N = {steps}")
        assert overshoot or peer.sigmas[steps] == 0


@pytest.mark.parametrize("steps", [10, 25])
def test_zero_terminal_snr_ddim_with_velocity_equals_diffusers(steps):
    """DDIM on the schedule rescaled to zero terminal SNR, trailing timesteps, a v-prediction model,
    ending at alpha = 1: diffusers' DDIMScheduler on float64 tables rescaled by its own function (with
    EulerDiscreteScheduler's 2^-24 at T - 1, which qmcsim takes), N dividing 1000 so that DDIM's
    previous timestep t - 1000 // N is the next one."""
    from diffusers import DDIMScheduler
    x_T = np.random.default_rng(steps).standard_normal(DIFFUSION_SHAPE)
    ours = qmcsim.Sampler("ddim", steps=steps, batch=4, dimension=3, prediction="velocity", spacing="trailing",
                          final_sigma="zero", zero_terminal_snr=True)
    assert ours.sigma_bar[0] == pytest.approx(4096, rel=1e-6)
    peer = diffusers_samples(DDIMScheduler(prediction_type="v_prediction", timestep_spacing="trailing", clip_sample=False,
                                           rescale_betas_zero_snr=True), steps, x_T, model=gaussian_v,
                             zero_terminal_snr=True, final_alpha_one=True)
    np.testing.assert_allclose(ours.run(gaussian_v, x_T), peer, rtol=1e-11, atol=0)


def euler_samples(scheduler, steps, x_bar, model):
    """EulerDiscreteScheduler's own loop from x_bar (the scheduler's sample is x / alpha), the model
    called on scale_model_input's x = alpha x_bar; its step upcasts to float32, as in diffusers. The
    pipelines start from x_bar = z * init_noise_sigma, which is sigma_bar_0 z for linspace and trailing
    timesteps and sqrt(1 + sigma_bar_0^2) z (qmcsim's x_T / alpha_0) for leading ones: the tests give
    both sides the same x_bar."""
    import torch
    scheduler.set_timesteps(steps)
    x = torch.from_numpy(x_bar.copy())
    for k, t in enumerate(scheduler.timesteps):
        sigma_bar = scheduler.sigmas[k].item()
        alpha = 1 / np.sqrt(1 + sigma_bar**2)
        out = model(scheduler.scale_model_input(x, t).numpy(), sigma_bar, alpha, float(t))
        x = scheduler.step(torch.from_numpy(out), t, x).prev_sample.to(torch.float64)
    return x.numpy()


@pytest.mark.parametrize("steps", [15, 30])
def test_zero_terminal_snr_equals_diffusers_euler(steps):
    """qmcsim's DDIM is the Euler method in sigma_bar: against EulerDiscreteScheduler with its native
    (float32) zero-terminal-SNR tables, v-prediction and trailing timesteps, to float32 rounding; N
    need not divide 1000 here."""
    from diffusers import EulerDiscreteScheduler
    x_T = np.random.default_rng(steps).standard_normal(DIFFUSION_SHAPE)
    ours = qmcsim.Sampler("ddim", steps=steps, batch=4, dimension=3, prediction="velocity", spacing="trailing",
                          final_sigma="zero", zero_terminal_snr=True)
    peer_scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                            prediction_type="v_prediction", timestep_spacing="trailing",
                                            rescale_betas_zero_snr=True)
    peer = euler_samples(peer_scheduler, steps, x_T / (1 / np.sqrt(1 + ours.sigma_bar[0] ** 2)), gaussian_v)
    np.testing.assert_allclose(ours.sigma_bar, peer_scheduler.sigmas.numpy(), rtol=1e-4, atol=0)
    np.testing.assert_allclose(ours.run(gaussian_v, x_T), peer, rtol=1e-5, atol=0)  # 1.4e-6 measured


@pytest.mark.parametrize("steps", [8, 25])
def test_karras_sigmas_of_a_vp_schedule_equal_diffusers(steps):
    """Karras sigmas between the schedule's extremes, model times by log-sigma interpolation, and the
    samples of DDIM (Euler in sigma_bar) on them: EulerDiscreteScheduler(use_karras_sigmas=True)."""
    from diffusers import EulerDiscreteScheduler
    x_T = np.random.default_rng(steps).standard_normal(DIFFUSION_SHAPE)
    ours = qmcsim.Sampler("ddim", steps=steps, batch=4, dimension=3, final_sigma="zero", karras=True)
    peer_scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                            use_karras_sigmas=True, final_sigmas_type="zero")
    peer = euler_samples(peer_scheduler, steps, x_T / (1 / np.sqrt(1 + ours.sigma_bar[0] ** 2)), gaussian_eps)
    np.testing.assert_allclose(ours.sigma_bar, peer_scheduler.sigmas.numpy(), rtol=1e-4, atol=0)
    # diffusers interpolates in its float32 sigma table: 1.2e-3 apart (linear in sigma instead would be 0.1-0.5)
    np.testing.assert_allclose(ours.times[:-1], peer_scheduler.timesteps.numpy(), rtol=0, atol=5e-3)
    np.testing.assert_allclose(ours.run(gaussian_eps, x_T), peer, rtol=1e-5, atol=0)  # 6e-7 measured


def test_grid_options_reject_bad_input():
    for kwargs, match in [({"spacing": "middle"}, "spacing 'middle' is unknown"),
                          ({"final_sigma": "none"}, "final_sigma 'none' is unknown"),
                          ({"schedule": "sqrt"}, "schedule 'sqrt' is unknown"),
                          ({"spacing": "leading"}, "FinalSigma::zero or steps_offset >= 1"),
                          ({"spacing": "trailing", "steps_offset": 1}, "leading timesteps only"),
                          ({"karras": True}, "karras = True"),
                          ({"eta": 0.5, "order": 2.0}, "eta = 0.5 applies to ddim only"),
                          ({"steps": 1001, "spacing": "trailing", "final_sigma": "zero"}, "steps = 1001")]:
        with pytest.raises(ValueError, match=re.escape(match)):
            qmcsim.Sampler("plms" if "order" in kwargs else "ddim", **{"steps": 10, **kwargs})
    with pytest.raises(ValueError, match=re.escape("eta = 1.5 must be in [0, 1]")):
        qmcsim.Sampler("ddim", eta=1.5)
    with pytest.raises(ValueError, match=re.escape("step = 10 is outside [0, 9]")):
        qmcsim.Sampler("ddim", eta=0.5, steps=10).noise(10)


# --- True measures against QMCPy's (Gaussian, BrownianMotion, Lebesgue) -----------------------------------


def align_columns(a, b):
    """b with each column's sign chosen to match a's (eigenvectors are defined up to sign)."""
    return b * np.where(np.sum(a * b, axis=0) < 0, -1.0, 1.0)


@pytest.mark.parametrize("d", [1, 5, 32])
def test_gaussian_equals_qmcpy(d):
    rng = np.random.default_rng(d)
    b = rng.standard_normal((d, d))
    sigma = b @ b.T / d + 0.1 * np.eye(d)
    mean = rng.standard_normal(d)
    x = rng.random((256, d))
    sampler = qmcpy.DigitalNetB2(d, seed=1)
    peer = qmcpy.Gaussian(sampler, mean=mean, covariance=sigma, decomp_type="Cholesky")
    ours = qmcsim.Gaussian(mean, sigma, factor="cholesky")
    np.testing.assert_allclose(ours.factor, peer.a, rtol=0, atol=1e-13)
    np.testing.assert_allclose(ours.transform(x), peer._transform(x), rtol=0, atol=1e-11)
    peer = qmcpy.Gaussian(sampler, mean=mean, covariance=sigma, decomp_type="PCA")
    ours = qmcsim.Gaussian(mean, sigma, factor="pca")
    np.testing.assert_allclose(ours.factor, align_columns(ours.factor, peer.a), rtol=0, atol=1e-11)


@pytest.mark.parametrize("d", [1, 4, 6, 16])
def test_brownian_motion_equals_qmcpy(d):
    """forward = QMCPy's Cholesky, bridge = QMCPy's BrownianBridge (its van der Corput order; for d not
    a power of two QMCPy takes that order over the given monitoring times), pca = QMCPy's PCA up to
    the signs of the components."""
    x = np.random.default_rng(d).random((128, d))
    sampler = qmcpy.DigitalNetB2(d, seed=1)
    times = np.arange(1, d + 1) * (2.0 / d)
    kw = dict(t_final=2.0, initial_value=0.5, drift=-0.3, diffusion=1.7)
    ours = qmcsim.BrownianMotion(d, construction="forward", **kw)
    peer = qmcpy.BrownianMotion(sampler, decomp_type="Cholesky", **kw)
    np.testing.assert_allclose(ours.transform(x), peer._transform(x), rtol=0, atol=1e-12)
    ours = qmcsim.BrownianMotion(d, construction="bridge", **kw)
    peer = qmcpy.BrownianMotion(sampler, decomp_type="BrownianBridge", monitoring_times=times, **kw)
    np.testing.assert_allclose(ours.transform(x), peer._transform(x), rtol=0, atol=1e-12)
    peer = qmcpy.BrownianMotion(sampler, decomp_type="PCA", **kw)
    factor = qmcsim.Gaussian(np.zeros(d), 1.7 * np.minimum.outer(times, times)).factor
    np.testing.assert_allclose(factor, align_columns(factor, peer.a), rtol=0, atol=1e-11)
    ours = qmcsim.BrownianMotion(d, construction="pca", **kw)
    z = norm.ppf(x)
    np.testing.assert_allclose(ours.transform(x), peer.mu + z @ factor.T, rtol=0, atol=1e-11)


def test_asian_option_against_brownian_motion_equals_qmcpy():
    """QMCPy's FinancialOption (geometric mean Asian call) on its BrownianMotion and qmcsim's payoff on
    qmcsim's BrownianMotion: both guaranteed within 1e-3 of the closed form, on the same kind of points."""
    d = 16
    peer_option = qmcpy.FinancialOption(qmcpy.DigitalNetB2(d, seed=7), option="ASIAN", asian_mean="GEOMETRIC",
                                        asian_mean_quadrature_rule="RIGHT", volatility=0.2, start_price=100, strike_price=100, interest_rate=0.05, t_final=1)
    exact = peer_option.get_exact_value()
    peer, _ = qmcpy.CubQMCNetG(peer_option, abs_tol=1e-3).integrate()
    t = np.arange(1, d + 1) / d

    def payoff(w):
        s = 100 * np.exp((0.05 - 0.02) * t + 0.2 * w)
        return np.exp(-0.05) * np.maximum(np.exp(np.log(s).mean(axis=1)) - 100, 0)

    ours = qmcsim.guaranteed_cubature(payoff, qmcsim.DigitalNet(d, randomize="lms-ds", seed=7), abs_tol=1e-3,
                                      measure=qmcsim.BrownianMotion(d))
    assert ours.met_tolerance and abs(ours.estimate - exact) < 1e-3
    assert abs(float(np.squeeze(peer)) - exact) < 1e-3


def test_lebesgue_box_equals_qmcpy():
    f = lambda t: np.sin(t[:, 0]) * t[:, 1] ** 2  # noqa: E731
    peer_measure = qmcpy.Lebesgue(qmcpy.Uniform(qmcpy.DigitalNetB2(2, seed=3), lower_bound=[0, -1], upper_bound=[2, 3]))
    peer, _ = qmcpy.CubQMCNetG(qmcpy.CustomFun(peer_measure, g=f), abs_tol=1e-6).integrate()
    exact = (1 - math.cos(2)) * (27 + 1) / 3
    ours = qmcsim.guaranteed_cubature(f, qmcsim.DigitalNet(2, randomize="lms-ds", seed=3), abs_tol=1e-6,
                                      measure=qmcsim.Lebesgue([0, -1], [2, 3]))
    assert abs(float(np.squeeze(peer)) - exact) < 1e-6 and abs(ours.estimate - exact) < 1e-6


def test_guaranteed_cubature_with_a_control_variate_equals_qmcpy():
    """The arithmetic Asian call with the geometric one as control variate (QMCPy's FinancialOption,
    Cholesky = qmcsim's forward path) on the same digitally shifted net: the same n, beta and solution,
    and fewer points than without the control variate."""
    d, tol = 8, 1e-4
    market = dict(volatility=0.2, start_price=100, strike_price=100, interest_rate=0.05, t_final=1,
                  asian_mean_quadrature_rule="RIGHT", decomp_type="Cholesky")
    net = qmcsim.DigitalNet(d, seed=4, randomize="ds")
    sampler = qmcpy_net_like(net, d, 4)
    arithmetic = qmcpy.FinancialOption(sampler, option="ASIAN", asian_mean="ARITHMETIC", **market)
    geometric = qmcpy.FinancialOption(sampler, option="ASIAN", asian_mean="GEOMETRIC", **market)
    mean = geometric.get_exact_value()
    solution, data = qmcpy.CubQMCNetG(arithmetic, abs_tol=tol, control_variates=[geometric],
                                      control_variate_means=[mean]).integrate()
    t = np.arange(1, d + 1) / d

    def prices(w):
        return 100 * np.exp((0.05 - 0.02) * t + 0.2 * w)

    def arithmetic_payoff(w):
        return np.exp(-0.05) * np.maximum(prices(w).mean(axis=1) - 100, 0)

    def geometric_payoff(w):
        return np.exp(-0.05) * np.maximum(np.exp(np.log(prices(w)).mean(axis=1)) - 100, 0)

    path = qmcsim.BrownianMotion(d, construction="forward")
    ours = qmcsim.guaranteed_cubature(arithmetic_payoff, net, abs_tol=tol, measure=path,
                                      control_variates=[geometric_payoff], control_variate_means=[mean])
    assert ours.met_tolerance and ours.n == data.n_total
    assert abs(ours.estimate - float(np.squeeze(solution))) < 1e-9
    np.testing.assert_allclose(ours.control_variate_coefficients, np.ravel(data.beta), rtol=1e-8)
    plain = qmcsim.guaranteed_cubature(arithmetic_payoff, net, abs_tol=tol, measure=path)
    assert ours.n < plain.n and abs(ours.estimate - plain.estimate) <= tol * 2
    with pytest.raises(ValueError, match="one mean per control variate"):
        qmcsim.guaranteed_cubature(arithmetic_payoff, net, measure=path, control_variates=[geometric_payoff])
