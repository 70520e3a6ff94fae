#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Builds the CUDA configuration (Kokkos with CUDA for sm_90 + OpenMP, the library, tests, benchmarks
# and examples) without running it, so that GPU portability cannot silently break. The build folder
# (build/cuda) can be carried to a machine with an H100 and run there.
#
#   ./scripts/cuda-build.sh             everything (about 20 minutes on 2 cores)
#   ./scripts/cuda-build.sh qmcsim_cli  only the named targets: CI builds the library and the CLI, whose
#                                       commands instantiate every module's kernels on the CUDA space
set -euo pipefail
QMCSIM_BUILD_TARGETS=("$@")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_cuda_toolkit
ensure_packages "${BUILD_PACKAGES[@]}"
kokkos=$(ensure_kokkos cuda)
ensure_cuda_libraries
build_qmcsim "$QMCSIM_ROOT/build/cuda" -DKokkos_ROOT="$kokkos" -DQMCSIM_ENABLE_CUDA=ON "${CUDA_CMAKE_ARGS[@]}" \
  -DCMAKE_CXX_COMPILER="$kokkos/bin/nvcc_wrapper" \
  -DQMCSIM_BUILD_TESTS=ON -DQMCSIM_BUILD_BENCHMARKS=ON -DQMCSIM_BUILD_EXAMPLES=ON
