#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# The GPU check in one command, in two halves:
#
#   ./scripts/gpu-check.sh build   here (nvcc, no GPU needed): the CUDA configuration (sm_90) into
#                                  build/cuda, with the Kokkos it links copied into build/cuda/kokkos
#   ./scripts/gpu-check.sh run     on a machine with the GPU (an H100/H200), the build carried there:
#                                  ctest (GoogleTest suites on the CUDA default space), every benchmark
#                                  (JSON into $OUT or bench/results/h200/, merged into baseline-h200.json)
#                                  and compute-sanitizer memcheck on a subset; 9 minutes in all
#
# With the device tool: run(command="./scripts/gpu-check.sh run", carry=["build/cuda"], timeout_s=600).
# Every step is bounded (QMCSIM_GPU_BUDGET seconds in all, default 540), so the whole check ends
# within one call and leaves time to fetch its files.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/cuda"

case "${1:-}" in
  build)
    "$root/scripts/cuda-build.sh"
    source "$root/scripts/lib.sh"
    kokkos=$(ensure_kokkos cuda)
    rm -rf "$build/kokkos" && cp -r "$kokkos" "$build/kokkos"
    echo "built $build; carry it to the GPU machine and run: ./scripts/gpu-check.sh run"
    ;;
  run)
    budget=${QMCSIM_GPU_BUDGET:-540}
    start=$(date +%s)
    left() { echo $((budget - ($(date +%s) - start))); }
    out=${OUT:-$root/bench/results/h200}
    mkdir -p "$out"
    export OMP_PROC_BIND=spread OMP_PLACES=threads
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.txt"
    echo "== ctest (at most 240 s)"
    timeout 240 ctest --test-dir "$build" -E "mpi|consumer|bench_compare|license|snippets|fuzz" --output-on-failure -j 4 \
      >"$out/ctest.log" 2>&1 && echo "ctest passed" || { echo "ctest FAILED or timed out"; tail -n 40 "$out/ctest.log"; }
    echo "== benchmarks (the time left minus 60 s)"
    for binary in "$build"/bench/bench_*; do
      name=$(basename "$binary")
      [[ $name == bench_mpi_* ]] && continue
      [ "$(left)" -gt 90 ] || { echo "no time left for $name"; continue; }
      timeout $(($(left) - 60)) "$binary" --benchmark_out="$out/$name.json" --benchmark_out_format=json \
        --benchmark_repetitions=3 --benchmark_report_aggregates_only=true >/dev/null 2>"$out/$name.err" \
        && echo "$name done" || echo "$name FAILED or timed out"
    done
    python3 "$root/scripts/bench_compare.py" --write-baseline "$out" "$out/baseline-h200.json" || true
    echo "== compute-sanitizer memcheck on a subset (the rest of the budget)"
    if command -v compute-sanitizer >/dev/null 2>&1; then
      for t in test_fwht test_digital_net test_virtual_brownian_tree; do
        [ "$(left)" -gt 20 ] || break
        timeout $(($(left) - 10)) compute-sanitizer --tool memcheck --error-exitcode 1 "$build/tests/$t" \
          --gtest_brief=1 >"$out/memcheck-$t.log" 2>&1 && echo "memcheck $t clean" || echo "memcheck $t FAILED or timed out"
      done
    else
      echo "compute-sanitizer not found"
    fi
    echo "gpu-check finished in $(($(date +%s) - start)) s; results in $out"
    ;;
  *)
    echo "usage: gpu-check.sh build | run" >&2
    exit 2
    ;;
esac
