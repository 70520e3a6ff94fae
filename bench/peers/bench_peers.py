#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""qmcsim beside its peers on the same work, in one run: each pair of calls is timed alternately,
repeated, and reduced to medians; the gated figure is time_ratio = qmcsim's time / the peer's (lower
is better, < 1 means qmcsim is faster). Writes Google Benchmark JSON (bench_compare.py reads it).

    bench_peers.py --out FILE [--quick]

Pairs (all on the CPU, all threads unless the peer has none):
  points:     Sobol' LMS+DS (against scipy at its default 30 and at 64 bits, and into a reused array
              with gen(out=) against scipy at 30 bits), Halton under lms-ds,
              lms-perm, perm and ds (2^18, 2^14 quick; against scipy's scrambled Halton), shifted
              lattice, 2^20 x 32 (2^16 quick) vs scipy.stats.qmc and QMCPy
  transforms: FFTBR and FWHT of 2^20 values vs QMCPy's fftbr / fwht
  cubature:   Bayesian cubature, Keister d = 6 (d = 4 quick) to abs tol 1e-3, vs QMCPy's CubBayesLatticeG
  Brownian:   (W, H) of 2^12 paths over 64 sequential steps vs torchsde's BrownianInterval and diffrax's
              VirtualBrownianTree (JAX, jitted; compile time excluded and reported)
"""

import argparse
import json
import os
import platform
import statistics
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
    return [row(f"Fftbr_vs_QMCPy/{m}", *paired(lambda: qmcsim.fftbr(xc), lambda: qmcpy.fftbr(xc), repetitions)),
            row(f"Fwht_vs_QMCPy/{m}", *paired(lambda: qmcsim.fwht(x), lambda: qmcpy.fwht(x), repetitions))]


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

    def torchsde_steps(halfway):
        # The halfway tree bisects down to a tolerance (torchsde requires one); 1e-6 as diffrax's below.
        bm = torchsde.BrownianInterval(0.0, 1.0, size=(paths, 1), dtype=torch.float64, levy_area_approximation="space-time",
                                       halfway_tree=halfway, **({"tol": 1e-6} if halfway else {}))
        for s, t in intervals:
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
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repetitions = 3 if args.quick else 7
    rows = []
    for part in (points_rows, transform_rows, cubature_rows, brownian_rows):
        new = part(args.quick, repetitions)
        rows += new
        for r in new:
            print(f"{r['name']:<60} qmcsim {r['real_time']:10.3f} ms   peer {r['peer_ms']:10.3f} ms   ratio {r['time_ratio']:.3f}", flush=True)
    import jax, qmcpy, scipy, torch, torchsde, diffrax  # noqa: E401
    context = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "host_name": platform.node(), "num_cpus": os.cpu_count(),
               "peers": {"qmcpy": qmcpy.__version__, "scipy": scipy.__version__, "torch": torch.__version__,
                         "torchsde": torchsde.__version__, "jax": jax.__version__, "diffrax": diffrax.__version__}}
    with open(args.out, "w") as f:
        json.dump({"context": context, "benchmarks": rows}, f, indent=1)


if __name__ == "__main__":
    main()
