#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (every finding fatal):
# builds qmcsim with its tests (no benchmarks, examples or MPI) in build/sanitize and runs ctest.
# Arguments are passed to ctest (e.g. -R cli).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages "${BUILD_PACKAGES[@]}" "${PLOT_PACKAGES[@]}"
kokkos=$(ensure_kokkos openmp)
# Debug information for readable reports, optimized enough that the statistical tests stay quick.
build_qmcsim "$QMCSIM_ROOT/build/sanitize" -DKokkos_ROOT="$kokkos" -DQMCSIM_SANITIZE=address,undefined \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQMCSIM_BUILD_TESTS=ON -DQMCSIM_BUILD_BENCHMARKS=OFF -DQMCSIM_BUILD_EXAMPLES=OFF \
  -DQMCSIM_ENABLE_MPI=OFF
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$QMCSIM_ROOT/build/sanitize" --output-on-failure "$@"
