#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""qmcsim beside its peers on the same work, in one run: each pair of calls is timed alternately,
repeated, and reduced to medians; the gated figure is time_ratio = qmcsim's time / the peer's (lower
is better, < 1 means qmcsim is faster). Writes Google Benchmark JSON (bench_compare.py reads it).

    bench_peers.py --out FILE [--quick] [--threads N] [--parts points,transforms,cubature,brownian,diffusion]

--threads N runs every side on N threads (qmcsim's Kokkos, torch, JAX/XLA, NumPy's BLAS): with N = 1
the per-core figures. `peer_table.py FILE` prints the rows as the Markdown table of docs/performance.md.

Pairs (all on the CPU, all threads unless the peer has none or --threads is given):
  points:     Sobol' LMS+DS (against scipy at its default 30 and at 64 bits, and into a reused array
              with gen(out=) against scipy at 30 bits), Halton under lms-ds,
              lms-perm, perm and ds (2^18, 2^14 quick; against scipy's scrambled Halton), shifted
              lattice, 2^20 x 32 (2^16 quick) vs scipy.stats.qmc and QMCPy
  transforms: FFTBR and FWHT of 2^20 values vs QMCPy's fftbr / fwht; the fast GP likelihood on a lattice,
              n = 2^16 and 2^20 (2^14 quick), d = 4, vs QMCPy CubBayesLatticeG's MLE objective
  cubature:   Bayesian cubature, Keister d = 6 (d = 4 quick) to abs tol 1e-3, vs QMCPy's CubBayesLatticeG
  Brownian:   (W, H) of 2^12 paths (2^10 quick) over 64 sequential steps (16 quick; on the tree's
              dyadic grid, where its descents stop early), 100 steps of 0.01 (25 of 0.04 quick; off the
              grid), 64 random intervals in random order, and an adaptive solver's step sequence with
              rejections, vs
              torchsde's BrownianInterval (also halfway_tree on the steps) and diffrax's
              VirtualBrownianTree (JAX, jitted; compile time excluded and reported); and whole solves,
              GBM by Milstein with 100 constant steps (25 quick): solve_sde against torchsde's sdeint
              and diffrax's diffeqsolve
  diffusion:  DDIM, PLMS4 + HB 0.8, GHVB 3.8, DPM-Solver++ 2M, UniPC-2 and SDE-DPM-Solver++ 2M, 15 steps
              of 2^14 samples (2^11 quick), d = 64, the ring mixture: qmcsim's GaussianMixture model vs
              the same mixture in torch stepped by diffusers' DDIM, PNDM (PLMS), DPMSolverMultistep and
              UniPCMultistep schedulers, samples/s
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def paired(ours, peer, repetitions):
    """Medians of alternating timings; one warm-up call each."""
    ours(), peer()
    a, b = [], []
    for _ in range(repetitions):
        a.append(timed(ours))
        b.append(timed(peer))
    return statistics.median(a), statistics.median(b)


def row(name, ours, peer, **counters):
    return {"name": name, "run_name": name, "run_type": "iteration", "repetitions": 1, "iterations": 1,
            "real_time": ours * 1e3, "cpu_time": ours * 1e3, "time_unit": "ms",
            "peer_ms": peer * 1e3, "time_ratio": ours / peer, **counters}


def points_rows(quick, repetitions):
    import qmcpy
    from scipy.stats import qmc

    import qmcsim
    m, d = (16, 32) if quick else (20, 32)
    n = 2**m
    rows = []
    sobol = qmcsim.DigitalNet(d, seed=1)
    rows.append(row(f"Sobol_LmsDs_vs_scipy/{m}/{d}", *paired(lambda: sobol.gen(n), lambda: qmc.Sobol(d, seed=1).random_base2(m), repetitions)))
    net = qmcpy.DigitalNetB2(d, seed=1)
    rows.append(row(f"Sobol_LmsDs_vs_QMCPy/{m}/{d}", *paired(lambda: sobol.gen(n), lambda: net(n), repetitions)))
    # qmcsim into a reused array (gen(out=)): no page faults of a fresh 256 MB array
    buffer = np.empty((n, d))
    rows.append(row(f"Sobol_LmsDs_out_vs_scipy/{m}/{d}", *paired(lambda: sobol.gen(n, out=buffer), lambda: qmc.Sobol(d, seed=1).random_base2(m), repetitions)))
    # scipy at its full precision (bits=64; the default 30 bits keep fewer digits than qmcsim's 53)
    rows.append(row(f"Sobol_LmsDs_vs_scipy_bits64/{m}/{d}", *paired(lambda: sobol.gen(n), lambda: qmc.Sobol(d, seed=1, bits=64).random_base2(m), repetitions)))
    hm = m - 2  # scipy's scrambled Halton is slow: 2^18 (2^14 quick)
    for randomize, label in (("lms-ds", "LmsDs"), ("lms-perm", "LmsPerm"), ("perm", "Perm"), ("ds", "Ds")):
        halton = qmcsim.Halton(d, seed=1, randomize=randomize)
        rows.append(row(f"Halton_{label}_vs_scipy/{hm}/{d}", *paired(lambda: halton.gen(2**hm), lambda: qmc.Halton(d, seed=1).random(2**hm), repetitions)))
    lattice = qmcsim.Lattice(d, seed=1)
    peer_lattice = qmcpy.Lattice(d, seed=1)
    rows.append(row(f"Lattice_vs_QMCPy/{m}/{d}", *paired(lambda: lattice.gen(n), lambda: peer_lattice(n), repetitions)))
    return rows


def transform_rows(quick, repetitions):
    import qmcpy

    import qmcsim
    m = 16 if quick else 20
    x = np.random.default_rng(0).standard_normal(2**m)
    xc = x + 0j
    rows = [row(f"Fftbr_vs_QMCPy/{m}", *paired(lambda: qmcsim.fftbr(xc), lambda: qmcpy.fftbr(xc), repetitions)),
            row(f"Fwht_vs_QMCPy/{m}", *paired(lambda: qmcsim.fwht(x), lambda: qmcpy.fwht(x), repetitions))]
    # The fast GP likelihood: the shift-invariant kernel's eigenvalues by one FFT and the likelihood
    # from them. QMCPy's is CubBayesLatticeG's MLE objective (one shape parameter, the scale profiled
    # out), qmcsim's FastGaussianProcess.negative_log_likelihood (per-coordinate weights, no gradient);
    # both Bernoulli kernels of degree 4 on a rank-1 lattice, d = 4.
    d = 4
    f = lambda p: np.exp(np.sin(2 * np.pi * p[:, 0]) + np.cos(2 * np.pi * p[:, 1]) / 2)
    for gm in ([14] if quick else [16, 20]):
        n = 2**gm
        gram = qmcsim.FastGram(qmcsim.Lattice(d, seed=7), n)
        process = qmcsim.FastGaussianProcess(gram, f(gram.points), weights=0.5, smoothness=2)
        criterion = qmcpy.CubBayesLatticeG(qmcpy.Keister(qmcpy.Lattice(d, seed=2)), abs_tol=1e-3)
        lattice = qmcpy.Lattice(d, randomize=False, order="natural").gen_samples(n, warn=False)
        ftilde = qmcpy.fftbr(f(lattice) + 0j)
        rows.append(row(f"GpLikelihood_vs_QMCPy/{gm}/{d}", *paired(lambda: process.negative_log_likelihood(),
                                                                  lambda: criterion.objective_function(0.5, lattice, ftilde),
                                                                  repetitions)))
    return rows


def cubature_rows(quick, repetitions):
    import qmcpy
    from scipy.stats import norm

    import qmcsim
    d = 4 if quick else 6  # d = 8 needs more than the 2^20 points QMCPy's Lattice allows, even at 5e-3

    def keister(x):
        return np.pi ** (x.shape[1] / 2) * np.cos(np.sqrt((norm.ppf(x) ** 2).sum(axis=1) / 2))

    ours = lambda: qmcsim.bayesian_cubature(keister, qmcsim.Lattice(d, seed=2), abs_tol=1e-3)
    peer = lambda: qmcpy.CubBayesLatticeG(qmcpy.Keister(qmcpy.Lattice(d, seed=2)), abs_tol=1e-3).integrate()
    a, b = paired(ours, peer, max(1, repetitions // 2))
    return [row(f"BayesianCubature_Keister_vs_QMCPy/{d}", a, b, n_ours=float(ours().n), n_peer=float(peer()[1].n_total))]


def brownian_rows(quick, repetitions):
    import diffrax
    import jax
    import torch
    import torchsde

    import qmcsim
    paths, steps = (1 << 10, 16) if quick else (1 << 12, 64)
    times = np.linspace(0.0, 1.0, steps + 1)
    intervals = np.stack([times[:-1], times[1:]], axis=1)
    tree = qmcsim.VirtualBrownianTree(0.0, 1.0, dimension=1, seed=1)
    ours = lambda: tree.increments(intervals, paths=paths)

    def torchsde_steps(halfway, steps=intervals):
        # The halfway tree bisects down to a tolerance (torchsde requires one); 1e-6 as diffrax's below.
        bm = torchsde.BrownianInterval(0.0, 1.0, size=(paths, 1), dtype=torch.float64, levy_area_approximation="space-time",
                                       halfway_tree=halfway, **({"tol": 1e-6} if halfway else {}))
        for s, t in steps:
            bm(float(s), float(t), return_U=True)

    jax.config.update("jax_enable_x64", True)

    @jax.jit
    def diffrax_steps(keys):
        def one(key):
            bm = diffrax.VirtualBrownianTree(0.0, 1.0, tol=1e-6, shape=(), key=key, levy_area=diffrax.SpaceTimeLevyArea)
            values = jax.vmap(lambda s, t: bm.evaluate(s, t, use_levy=True).H)(intervals[:, 0], intervals[:, 1])
            return values
        return jax.vmap(one)(keys)

    keys = jax.random.split(jax.random.PRNGKey(0), paths)
    compile_seconds = timed(lambda: diffrax_steps(keys).block_until_ready())
    rows = [row(f"Brownian_WH_sequential_vs_torchsde/{paths}/{steps}", *paired(ours, lambda: torchsde_steps(False), repetitions)),
            row(f"Brownian_WH_sequential_vs_torchsde_halfway/{paths}/{steps}", *paired(ours, lambda: torchsde_steps(True), repetitions)),
            row(f"Brownian_WH_sequential_vs_diffrax/{paths}/{steps}",
                *paired(ours, lambda: diffrax_steps(keys).block_until_ready(), repetitions), diffrax_compile_s=compile_seconds)]

    # Steps of 0.01 (0.04 quick), whose end points are off the dyadic grid: every descent runs to the
    # level where its double time is a cell boundary (53 to 59).
    off_grid_steps = 25 if quick else 100
    off_grid_times = np.arange(off_grid_steps + 1) / off_grid_steps
    off_grid = np.stack([off_grid_times[:-1], off_grid_times[1:]], axis=1)
    rows.append(row(f"Brownian_WH_sequential_off_grid_vs_torchsde/{paths}/{off_grid_steps}",
                    *paired(lambda: tree.increments(off_grid, paths=paths), lambda: torchsde_steps(False, off_grid),
                            repetitions)))

    # The same peers on two other query patterns, every time off the dyadic grid: random intervals in
    # random order, and the sequence an adaptive solver asks for (steps grown and shrunk by a
    # controller within [1/4, 4] times 1/steps, one in five rejected and retried at half the size).
    rng = np.random.default_rng(7)
    random_access = np.sort(rng.uniform(0.0, 1.0, size=(steps, 2)), axis=1)
    adaptive, t, h = [], 0.0, 1.0 / steps
    while t < 1.0:
        end = min(t + h, 1.0)
        adaptive.append((t, end))
        if end < 1.0 and rng.uniform() < 0.2:  # the step to the end is accepted: t reaches 1.0 exactly
            h = max(h / 2, 0.25 / steps)
            continue
        t, h = end, min(max(h * rng.uniform(0.7, 1.4), 0.25 / steps), 4.0 / steps)
    adaptive = np.array(adaptive)

    @jax.jit
    def diffrax_queries(keys, queries):
        def one(key):
            bm = diffrax.VirtualBrownianTree(0.0, 1.0, tol=1e-6, shape=(), key=key, levy_area=diffrax.SpaceTimeLevyArea)
            return jax.vmap(lambda s, t: bm.evaluate(s, t, use_levy=True).H)(queries[:, 0], queries[:, 1])
        return jax.vmap(one)(keys)

    for label, queries in (("random_access", random_access), ("adaptive", adaptive)):
        def torchsde_queries():
            bm = torchsde.BrownianInterval(0.0, 1.0, size=(paths, 1), dtype=torch.float64, levy_area_approximation="space-time")
            for s, t in queries:
                bm(float(s), float(t), return_U=True)
        mine = lambda: tree.increments(queries, paths=paths)
        compile_queries = timed(lambda: diffrax_queries(keys, queries).block_until_ready())
        rows += [row(f"Brownian_WH_{label}_vs_torchsde/{paths}/{len(queries)}", *paired(mine, torchsde_queries, repetitions)),
                 row(f"Brownian_WH_{label}_vs_diffrax/{paths}/{len(queries)}",
                     *paired(mine, lambda: diffrax_queries(keys, queries).block_until_ready(), repetitions),
                     diffrax_compile_s=compile_queries)]

    # Whole solves: geometric Brownian motion dX = 0.5 X dt + 0.8 X dW by Milstein's method with 100
    # constant steps (25 quick) from X_0 = 1 to t = 1, every path on its own Brownian path. qmcsim's
    # solve_sde (a tree drawn from the seed, one path per thread) against torchsde's sdeint (method
    # "milstein", a BrownianInterval over the batch) and diffrax's diffeqsolve (ItoMilstein, a
    # VirtualBrownianTree per path, vmapped and jitted).
    import diffrax as dfx
    import jax.numpy as jnp
    sde_steps = 25 if quick else 100
    gbm = qmcsim.GeometricBrownianMotion(0.5, 0.8)
    mine = lambda: qmcsim.solve_sde(gbm, [1.0], [1.0], solver="milstein", dt=1.0 / sde_steps, seed=3, paths=paths)

    class TorchGbm(torch.nn.Module):
        noise_type, sde_type = "diagonal", "ito"

        def f(self, t, y):
            return 0.5 * y

        def g(self, t, y):
            return 0.8 * y

    def torchsde_solve():
        y0 = torch.ones(paths, 1, dtype=torch.float64)
        bm = torchsde.BrownianInterval(0.0, 1.0, size=(paths, 1), dtype=torch.float64)
        return torchsde.sdeint(TorchGbm(), y0, torch.tensor([0.0, 1.0], dtype=torch.float64), bm=bm,
                               method="milstein", dt=1.0 / sde_steps)

    @jax.jit
    def diffrax_solve(keys):
        def one(key):
            bm = dfx.VirtualBrownianTree(0.0, 1.0, tol=1e-6, shape=(), key=key)
            terms = dfx.MultiTerm(dfx.ODETerm(lambda t, y, _: 0.5 * y), dfx.ControlTerm(lambda t, y, _: 0.8 * y, bm))
            return dfx.diffeqsolve(terms, dfx.ItoMilstein(), 0.0, 1.0, dt0=1.0 / sde_steps, y0=jnp.float64(1.0)).ys
        return jax.vmap(one)(keys)

    # The same solve with the SDE as Python callables on the batch, as torchsde's is: qmcsim's
    # CallableSde (numpy functions; all paths step together, one call per stage).
    callables = qmcsim.CallableSde(lambda t, y: 0.5 * y, lambda t, y: 0.8 * y,
                                   diffusion_derivative=lambda t, y: np.full_like(y, 0.8))
    mine_callables = lambda: qmcsim.solve_sde(callables, [1.0], [1.0], solver="milstein", dt=1.0 / sde_steps, seed=3,
                                              paths=paths)

    compile_sde = timed(lambda: diffrax_solve(keys).block_until_ready())
    rows += [row(f"SDE_GBM_Milstein_vs_torchsde/{paths}/{sde_steps}", *paired(mine, torchsde_solve, repetitions)),
             row(f"SDE_GBM_Milstein_callables_vs_torchsde/{paths}/{sde_steps}",
                 *paired(mine_callables, torchsde_solve, repetitions)),
             row(f"SDE_GBM_Milstein_vs_diffrax/{paths}/{sde_steps}",
                 *paired(mine, lambda: diffrax_solve(keys).block_until_ready(), repetitions), diffrax_compile_s=compile_sde)]
    return rows


def diffusion_rows(quick, repetitions):
    """15 steps of 2^14 samples (2^11 quick) in d = 64 from the test bed's 8-component ring mixture:
    qmcsim with its GaussianMixture model (evaluated inside the step kernels) against diffusers'
    schedulers stepping the same mixture written in torch (float64, torch's threads), samples/s. The
    momentum samplers (PLMS4 + HB 0.8, GHVB 3.8) have no diffusers counterpart; their peer is diffusers'
    PLMS (PNDMScheduler), the sampler they replace. UniPC-2 (bh2, corrector at every step) and
    SDE-DPM-Solver++ 2M against diffusers' own (UniPCMultistepScheduler; DPMSolverMultistepScheduler with
    algorithm_type sde-dpmsolver++, which draws its noise with torch, qmcsim with Philox). Both sides:
    15 model evaluations and updates."""
    import torch
    from diffusers import DDIMScheduler, DPMSolverMultistepScheduler, PNDMScheduler, UniPCMultistepScheduler

    import qmcsim
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "python"))
    from peer_models import torch_mixture_eps
    samples, d, steps = (1 << 11, 64, 15) if quick else (1 << 14, 64, 15)
    mixture = qmcsim.GaussianMixture.ring(d)
    eps = torch_mixture_eps(mixture)
    x_T = np.random.default_rng(5).standard_normal((samples, d))
    common = dict(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear")

    def peer(make):
        def run():
            scheduler = make()
            scheduler.set_timesteps(steps)
            x = torch.from_numpy(x_T.copy())
            for t in scheduler.timesteps:
                abar = scheduler.alphas_cumprod[t].item()
                x = scheduler.step(eps(x, np.sqrt((1 - abar) / abar), np.sqrt(abar)), t, x).prev_sample
            return x
        return run

    ddim = peer(lambda: DDIMScheduler(**common, clip_sample=False, set_alpha_to_one=False))
    plms = peer(lambda: PNDMScheduler(**common, skip_prk_steps=True, set_alpha_to_one=False))
    dpm = peer(lambda: DPMSolverMultistepScheduler(**common, solver_order=2, algorithm_type="dpmsolver++"))
    unipc = peer(lambda: UniPCMultistepScheduler(**common, solver_order=2, solver_type="bh2", predict_x0=True))
    sde_dpm = peer(lambda: DPMSolverMultistepScheduler(**common, solver_order=2, algorithm_type="sde-dpmsolver++"))
    rows = []
    for label, sampler, run_peer in (("DDIM", qmcsim.Sampler("ddim", steps=steps, batch=samples, dimension=d), ddim),
                                     ("PLMS4_HB0.8", qmcsim.Sampler("plms-hb", order=4, beta=0.8, steps=steps, batch=samples, dimension=d), plms),
                                     ("GHVB3.8", qmcsim.Sampler("ghvb", order=3.8, steps=steps, batch=samples, dimension=d), plms),
                                     ("DPMSolverPP_2M", qmcsim.Sampler("dpmpp-2m", steps=steps, batch=samples, dimension=d), dpm),
                                     ("UniPC2", qmcsim.Sampler("unipc", order=2, steps=steps, batch=samples, dimension=d), unipc),
                                     ("SDE_DPMSolverPP_2M", qmcsim.Sampler("sde-dpmpp-2m", steps=steps, batch=samples, dimension=d),
                                      sde_dpm)):
        a, b = paired(lambda: sampler.run(mixture, x_T), run_peer, repetitions)
        rows.append(row(f"Diffusion_{label}_vs_diffusers/{samples}/{d}", a, b, samples_per_second=samples / a,
                        peer_samples_per_second=samples / b))
    return rows


def limit_threads(threads):
    """Every side on `threads` threads; called before any of them is imported (their pools start then)."""
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(threads)
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                               f" --xla_cpu_multi_thread_eigen={'true' if threads > 1 else 'false'}"
                               f" intra_op_parallelism_threads={threads}").strip()
    import torch
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(threads)
    import qmcsim
    qmcsim.initialize(num_threads=threads)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=0, help="threads for every side (0: each side's default)")
    all_parts = {"points": points_rows, "transforms": transform_rows, "cubature": cubature_rows,
                 "brownian": brownian_rows, "diffusion": diffusion_rows}
    parser.add_argument("--parts", default=",".join(all_parts), help="comma-separated subset of " + ", ".join(all_parts))
    args = parser.parse_args()
    if args.threads < 0:
        parser.error(f"--threads = {args.threads} must be 0 (defaults) or a positive count")
    parts = args.parts.split(",")
    unknown = [p for p in parts if p not in all_parts]
    if unknown:
        parser.error(f"--parts: {', '.join(unknown)} not among {', '.join(all_parts)}")
    if args.threads:
        limit_threads(args.threads)
    repetitions = 3 if args.quick else 7
    rows = []
    for name in parts:
        new = all_parts[name](args.quick, repetitions)
        rows += new
        for r in new:
            print(f"{r['name']:<60} qmcsim {r['real_time']:10.3f} ms   peer {r['peer_ms']:10.3f} ms   ratio {r['time_ratio']:.3f}", flush=True)
    import jax, qmcpy, scipy, torch, torchsde, diffrax, diffusers  # noqa: E401
    context = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "host_name": platform.node(), "num_cpus": os.cpu_count(),
               "threads": args.threads or os.cpu_count(), "quick": args.quick, "parts": parts,
               "command": " ".join(["bench_peers.py"] + sys.argv[1:]),
               "peers": {"qmcpy": qmcpy.__version__, "scipy": scipy.__version__, "torch": torch.__version__,
                         "torchsde": torchsde.__version__, "jax": jax.__version__, "diffrax": diffrax.__version__,
                         "diffusers": diffusers.__version__}}
    with open(args.out, "w") as f:
        json.dump({"context": context, "benchmarks": rows}, f, indent=1)


if __name__ == "__main__":
    main()
