#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Builds the CUDA configuration (Kokkos with CUDA for sm_90 + OpenMP, the library, tests, benchmarks
# and examples) without running it, so that GPU portability cannot silently break. The build folder
# (build/cuda) can be carried to a machine with an H100 and run there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_cuda_toolkit
ensure_packages "${BUILD_PACKAGES[@]}"
kokkos=$(ensure_kokkos cuda)
build_qmcsim "$QMCSIM_ROOT/build/cuda" -DKokkos_ROOT="$kokkos" -DQMCSIM_ENABLE_CUDA=ON \
  -DCMAKE_CXX_COMPILER="$kokkos/bin/nvcc_wrapper" \
  -DQMCSIM_BUILD_TESTS=ON -DQMCSIM_BUILD_BENCHMARKS=ON -DQMCSIM_BUILD_EXAMPLES=ON
