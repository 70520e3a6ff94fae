#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# The GPU check in one command, in two halves:
#
#   ./scripts/gpu-check.sh build   here (nvcc, no GPU needed): the CUDA configuration (sm_90) into
#                                  build/cuda, then its executables (stripped; the device code stays)
#                                  and the shared libraries a bare CUDA machine may lack, packed into
#                                  build/gpu-pack/qmcsim-cuda.tar.xz (the build folder itself is too
#                                  large to carry)
#   ./scripts/gpu-check.sh run     on a machine with the GPU (an H100/H200), the pack carried there:
#                                  every GoogleTest suite and the CLI test on the CUDA default space,
#                                  every benchmark (one repetition, JSON), scipy's Sobol' and Halton on
#                                  that machine's CPU beside them, and compute-sanitizer memcheck on a
#                                  subset; everything lands in one tarball (the device tool returns 8
#                                  files at most)
#
# With the device tool: run(command="./scripts/gpu-check.sh run", carry=["build/gpu-pack"], timeout_s=...).
# Every step is bounded by QMCSIM_GPU_BUDGET seconds in all (default 360), so the check ends inside one
# call with time for its files to come back. QMCSIM_GPU_TESTS / QMCSIM_GPU_BENCHES narrow the run to a
# space-separated list of executables (a rerun after a fix).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/cuda"
pack="$root/build/gpu-pack/qmcsim-cuda.tar.xz"

# Shared libraries a CUDA machine's image need not have: everything an executable links that is not the
# C/C++ runtime or the CUDA driver. cuFFT is too large to carry (about 280 MB); the run finds the
# machine's own (its CUDA toolkit or its Python wheels).
carried_libraries() {
  ldd "$@" | awk '$3 ~ /^\// {print $3}' | sort -u |
    grep -v -E '/(libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|librt|libcuda|libcufft)\.so' || true
}

case "${1:-}" in
  build)
    "$root/scripts/cuda-build.sh"
    staging=$(mktemp -d)
    trap 'rm -rf "$staging"' EXIT
    mkdir -p "$staging"/{bin,tests,bench,examples,lib}
    cp "$build/bin/qmcsim" "$staging/bin/"
    find "$build/tests" -maxdepth 1 -name 'test_*' -type f -executable -exec cp {} "$staging/tests/" \;
    find "$build/bench" -maxdepth 1 -name 'bench_*' -type f -executable ! -name 'bench_mpi_*' -exec cp {} "$staging/bench/" \;
    find "$build/examples" -maxdepth 1 -type f -executable -exec cp {} "$staging/examples/" \;
    strip --strip-unneeded "$staging"/{bin,tests,bench,examples}/*
    carried_libraries "$staging"/{bin,tests,bench,examples}/* | xargs -r cp -L -t "$staging/lib/"
    mkdir -p "$(dirname "$pack")"
    tar -C "$staging" -cJf "$pack" .
    echo "packed $(du -h "$pack" | cut -f1) into $pack; carry build/gpu-pack and run: ./scripts/gpu-check.sh run"
    ;;
  run)
    budget=${QMCSIM_GPU_BUDGET:-360}
    start=$(date +%s)
    left() { echo $((budget - ($(date +%s) - start))); }
    out=${OUT:-$root/bench/results/h200}
    results=$(mktemp -d)/gpu-check
    unpacked=$(mktemp -d)
    mkdir -p "$out" "$results"/{tests,bench}
    # Whatever happens, the results leave as one tarball and a summary.
    trap 'tar -C "$(dirname "$results")" -czf "$out/gpu-check.tar.gz" gpu-check; cp "$results/summary.txt" "$out/" 2>/dev/null || true' EXIT
    summary() { echo "$*" | tee -a "$results/summary.txt"; }
    tar -C "$unpacked" -xJf "$pack"
    cufft=$(find /usr/local /opt /usr/lib -name 'libcufft.so.12*' 2>/dev/null | head -n 1 || true)
    export LD_LIBRARY_PATH="$unpacked/lib${cufft:+:$(dirname "$cufft")}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export OMP_PROC_BIND=spread OMP_PLACES=threads OMP_NUM_THREADS=8
    nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv 2>&1 | tee "$results/gpu.txt" || true
    summary "cuFFT from: ${cufft:-not found}"

    tests=${QMCSIM_GPU_TESTS:-$(cd "$unpacked/tests" && ls)}
    summary "== tests (4 at a time, at most 150 s)"
    run_test() {
      local t=$1 rc=0
      timeout 120 "$unpacked/tests/$t" --gtest_brief=1 --gtest_output="json:$results/tests/$t.json" \
        >"$results/tests/$t.log" 2>&1 || rc=$?
      local failed
      failed=$(grep -E '^\[  FAILED  \] [A-Za-z]' "$results/tests/$t.log" | sort -u | head -n 8 | tr '\n' ' ' || true)
      if [ $rc -eq 0 ]; then echo "PASS $t"; else echo "FAIL $t (rc $rc): ${failed:-$(tail -n 2 "$results/tests/$t.log" | tr '\n' ' ')}"; fi
    }
    export -f run_test && export unpacked results
    timeout 150 bash -c "printf '%s\n' $(echo $tests) | xargs -P 4 -I{} bash -c 'run_test {}'" |
      sort | tee -a "$results/summary.txt" || summary "tests: the 150 s bound was reached"
    if [ -z "${QMCSIM_GPU_TESTS:-}" ]; then
      timeout 60 bash "$root/tests/cli_test.sh" "$unpacked/bin/qmcsim" >"$results/cli_test.log" 2>&1 &&
        summary "PASS cli_test" || summary "FAIL cli_test: $(tail -n 3 "$results/cli_test.log" | tr '\n' ' ')"
    fi

    summary "== benchmarks (one repetition each, at most 90 s each)"
    benches=${QMCSIM_GPU_BENCHES:-bench_digital_net bench_diffusion bench_halton bench_lattice bench_fwht bench_fftbr bench_brownian bench_gaussian_process bench_cbc}
    for name in $benches; do
      [ "$(left)" -gt 60 ] || { summary "no time left for $name"; continue; }
      bound=$(($(left) - 40)); [ $bound -lt 90 ] || bound=90  # no benchmark takes the others' time
      timeout $bound "$unpacked/bench/$name" --benchmark_out="$results/bench/$name.json" \
        --benchmark_out_format=json --benchmark_min_time=0.1 >"$results/bench/$name.txt" 2>&1 &&
        summary "$name done" || summary "$name FAILED or timed out: $(tail -n 2 "$results/bench/$name.txt" | tr '\n' ' ')"
    done
    if [ -z "${QMCSIM_GPU_BENCHES:-}" ] && [ "$(left)" -gt 40 ]; then
      # The peer on this machine's CPU (scipy is in the image; the points benchmarks' sizes).
      timeout 30 python3 - >"$results/bench/scipy_qmc.txt" 2>&1 <<'EOF' && summary "scipy timed" || summary "scipy FAILED"
import time, statistics, scipy
from scipy.stats import qmc
def best(call, repetitions=5):
    call(); return statistics.median([(lambda t: (call(), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(repetitions)])
print("scipy", scipy.__version__)
print("Sobol_LmsDs 2^20 x 32 bits30 s", best(lambda: qmc.Sobol(32, seed=1).random_base2(20)))
print("Sobol_LmsDs 2^20 x 32 bits64 s", best(lambda: qmc.Sobol(32, seed=1, bits=64).random_base2(20)))
print("Halton_scrambled 2^18 x 32 s", best(lambda: qmc.Halton(32, seed=1).random(2**18), 3))
EOF
    fi

    summary "== compute-sanitizer memcheck on a subset (the rest of the budget)"
    if command -v compute-sanitizer >/dev/null 2>&1; then
      for t in test_fwht test_digital_net test_diffusion_sampler; do
        [ "$(left)" -gt 20 ] || break
        timeout $(($(left) - 10)) compute-sanitizer --tool memcheck --error-exitcode 1 "$unpacked/tests/$t" \
          --gtest_brief=1 >"$results/memcheck-$t.log" 2>&1 && summary "memcheck $t clean" ||
          summary "memcheck $t FAILED or timed out: $(grep -m 3 -E 'ERROR SUMMARY|Invalid' "$results/memcheck-$t.log" | tr '\n' ' ')"
      done
    else
      summary "compute-sanitizer not found"
    fi
    summary "gpu-check finished in $(($(date +%s) - start)) s"
    ;;
  *)
    echo "usage: gpu-check.sh build | run" >&2
    exit 2
    ;;
esac
