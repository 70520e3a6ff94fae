#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Sets up a fresh Debian machine, builds qmcsim and runs the main job: the `qmcsim` driver's default
# demo (its table goes to stdout; its CSV and PNG plot go to ./out). Arguments are passed to `qmcsim`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages "${BUILD_PACKAGES[@]}" "${PLOT_PACKAGES[@]}"
kokkos=$(ensure_kokkos openmp)
build_qmcsim "$QMCSIM_ROOT/build/release" -DKokkos_ROOT="$kokkos" -DQMCSIM_NATIVE=ON \
  -DQMCSIM_BUILD_TESTS=OFF -DQMCSIM_BUILD_BENCHMARKS=OFF -DQMCSIM_BUILD_EXAMPLES=OFF
mkdir -p "$QMCSIM_ROOT/out"
cd "$QMCSIM_ROOT/out"
exec "$QMCSIM_ROOT/build/release/bin/qmcsim" "$@"
