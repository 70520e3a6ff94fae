#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Sets up a fresh Debian machine, builds qmcsim with its tests, benchmarks, examples and Python
# package, and runs the whole test suite (ctest: GoogleTest suites, CLI checks, the installed-package
# consumer check, the distributed cubature on 2 and 3 MPI ranks, the benchmark comparison script, the
# fuzz corpora, the examples and documentation snippets, the API reference (Doxygen, warnings as
# errors), and pytest: the Python package against the C++ driver and against the peers QMCPy, scipy,
# diffrax and torchsde, installed in a cached venv).
# Arguments are passed to ctest (e.g. -R lattice).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages "${BUILD_PACKAGES[@]}" "${MPI_PACKAGES[@]}" "${PLOT_PACKAGES[@]}" "${DOCS_PACKAGES[@]}"
kokkos=$(ensure_kokkos openmp)
python=$("$QMCSIM_ROOT/scripts/python-env.sh")
build_qmcsim "$QMCSIM_ROOT/build/test" -DKokkos_ROOT="$kokkos" -DQMCSIM_NATIVE=ON \
  -DQMCSIM_BUILD_TESTS=ON -DQMCSIM_BUILD_BENCHMARKS=ON -DQMCSIM_BUILD_EXAMPLES=ON -DQMCSIM_ENABLE_MPI=ON \
  -DQMCSIM_BUILD_PYTHON=ON -DPython_EXECUTABLE="$python"
ctest --test-dir "$QMCSIM_ROOT/build/test" --output-on-failure "$@"
