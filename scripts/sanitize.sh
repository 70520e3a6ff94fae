#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer (every finding fatal), in
# build/sanitize: the driver and its CLI checks (bad input included, which reach every module's
# parsing and checks), the fuzz corpora, and the suites of the code that indexes memory in hot loops
# (point sets, transforms, fast kernels, CBC, Bayesian cubature, the Brownian tree, the diffusion
# sampler), and the short tests of the stochastic Runge-Kutta tableaux (a suite=FILTER entry runs the
# gtest filter FILTER only). The other suites and the long statistical tests of the SDE solvers are
# left to the plain build, so that CI stays short. -O1 keeps the build and the run short. Arguments
# are passed to ctest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages "${BUILD_PACKAGES[@]}" "${PLOT_PACKAGES[@]}"
kokkos=$(ensure_kokkos openmp)
suites=(test_lattice test_digital_net test_halton test_fftbr test_fwht test_fast_gram test_cbc test_bayesian_cubature
        test_virtual_brownian_tree test_diffusion_sampler
        "test_stochastic_runge_kutta=*Formula*:*Exact*:*Refused*")
build="$QMCSIM_ROOT/build/sanitize"
QMCSIM_BUILD_TARGETS=(qmcsim_cli replay_lattice_file replay_dnet_file replay_values_file replay_times_file
                      "${suites[@]%%=*}")
build_qmcsim "$build" -DKokkos_ROOT="$kokkos" -DQMCSIM_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE= \
  -DCMAKE_CXX_FLAGS="-O1 -g1" -DQMCSIM_BUILD_TESTS=ON -DQMCSIM_BUILD_BENCHMARKS=OFF -DQMCSIM_BUILD_EXAMPLES=OFF \
  -DQMCSIM_ENABLE_MPI=OFF
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -R "^(cli$|cli_bad_input$|fuzz_corpus_)" "$@"
for entry in "${suites[@]}"; do
  suite=${entry%%=*} filter=*
  if [ "$entry" != "$suite" ]; then filter=${entry#*=}; fi
  log "sanitized $suite ($filter)"
  "$build/tests/$suite" --gtest_brief=1 --gtest_filter="$filter" >"$build/$suite.log" 2>&1 ||
    { tail -n 40 "$build/$suite.log"; log "$suite failed under the sanitizers"; exit 1; }
done
log "sanitizers: every selected suite passed"
