# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""qmcsim: quasi-Monte Carlo and stochastic simulation on Kokkos, from Python.

Conventions, stated once:

* Points are in [0, 1)^d. ``gen(n, start)`` returns points start .. start + n - 1 of every replication
  (an independent randomization) as an array (replications, n, d), or (n, d) for one replication.
  Orders: "natural" (radical-inverse: the first 2^m points are the 2^m-point set), "gray" (Gray code;
  the same blocks), "linear" (lattices of a fixed size). Randomizations: "none", "shift" (lattices),
  "ds" (digital shift), "lms" (linear matrix scrambling), "lms-ds", "nus" (Owen's nested uniform
  scrambling), "perm" (Halton digit permutations), "lms-perm" (Halton: LMS, then permutations).
* Transforms are orthonormal (QMCPy's): fftbr is the FFT of bit-reversed input scaled by n^-1/2,
  ifftbr its inverse, fwht the Walsh-Hadamard transform in natural order, self-inverse.
* Integrands are callables f(x) on an (n, d) array returning n values; f must not keep x. With
  ``measure=`` (Uniform, Lebesgue, Gaussian, BrownianMotion: QMCPy's true measures) a cubature computes
  int f dmu = |mu| int f(T(x)) dx, calling f on the transformed points T(x).
* SDEs: ``solve_sde`` integrates a built-in model (GeometricBrownianMotion, OrnsteinUhlenbeck,
  CoxIngersollRoss; each path with its own steps) or a CallableSde (drift and diffusion vectorized over
  the batch of paths, which step together) along paths of a VirtualBrownianTree; states come back as
  (paths, save times, N).
* Every random number is a Philox draw keyed by (seed, purpose, index): results do not depend on the
  number of threads. Kokkos starts on first use (OMP_NUM_THREADS threads; ``initialize`` chooses) and
  stops at interpreter exit.
* Bad arguments raise ValueError with a message naming the argument and the allowed range.
"""

import atexit as _atexit
import os as _os

# GNU OpenMP reads these once, when it is loaded with the extension below: bound threads (Kokkos
# warns on stdout without), and idle threads that sleep, since a Python program does its own work
# between calls. A choice already in the environment wins; a runtime another module loaded first
# keeps its own settings.
for _name, _value in (("OMP_PROC_BIND", "spread"), ("OMP_PLACES", "threads"), ("OMP_WAIT_POLICY", "passive")):
    _os.environ.setdefault(_name, _value)

from ._qmcsim import (  # noqa: F401
    BrownianMotion,
    CallableSde,
    CoxIngersollRoss,
    CubatureResult,
    DigitalNet,
    FastGaussianProcess,
    FastGram,
    Gaussian,
    GaussianMixture,
    GeometricBrownianMotion,
    Halton,
    IID,
    Lattice,
    Lebesgue,
    Measure,
    OrnsteinUhlenbeck,
    Sampler,
    Sde,
    SdeSolution,
    Uniform,
    VectorCubatureResult,
    VirtualBrownianTree,
    __version__,
    bayesian_cubature,
    execution_space,
    fftbr,
    fwht,
    guaranteed_cubature,
    ifftbr,
    initialize,
    is_initialized,
    rqmc_cubature,
    solve_sde,
)
from ._qmcsim import _finalize
from .qmc_engine import QMCEngine  # noqa: F401

_atexit.register(_finalize)
