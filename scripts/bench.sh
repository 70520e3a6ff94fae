#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# The performance-regression suite. Builds qmcsim (Release, this CPU, with MPI), runs every Google
# Benchmark binary (bench_mpi_* under mpirun on QMCSIM_MPI_RANKS ranks, default 2), one JSON file
# each, into bench/results/<label>/ (label: first argument, default "cpu"), then compares them with
# bench/results/baseline-<label>.json when it exists: exit status 1 when a ratio-to-limit metric got
# worse by more than QMCSIM_BENCH_THRESHOLD (default 0.30, see scripts/bench_compare.py), or when a
# binary fails (a crash, an abort at exit) or a benchmark of the baseline does not run.
# Every benchmark runs 3 times (the comparison uses medians and the baseline's spread); remaining
# arguments go to every benchmark and override that (e.g. --benchmark_filter=Over).
#
# QMCSIM_BENCH_QUICK=1: the short mode CI runs (every benchmark once, briefly, results in
# bench/results/<label>-quick/): it proves that every binary runs to its end and that every baseline
# benchmark exists; its ratios are printed but, too short to mean much, not gated.
# QMCSIM_BENCH_BUILD_DIR: use binaries already built there (e.g. build/test of scripts/test.sh, which
# has the same options) instead of building build/bench.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

label=${1:-cpu}; shift || true
ensure_packages "${BUILD_PACKAGES[@]}" "${MPI_PACKAGES[@]}"
build=${QMCSIM_BENCH_BUILD_DIR:-}
python=$("$QMCSIM_ROOT/scripts/python-env.sh")  # the peers' venv: the Python package is built for it
if [ -z "$build" ]; then
  build="$QMCSIM_ROOT/build/bench"
  kokkos=$(ensure_kokkos openmp)
  build_qmcsim "$build" -DKokkos_ROOT="$kokkos" -DQMCSIM_NATIVE=ON -DQMCSIM_ENABLE_MPI=ON \
    -DQMCSIM_BUILD_TESTS=OFF -DQMCSIM_BUILD_BENCHMARKS=ON -DQMCSIM_BUILD_EXAMPLES=OFF \
    -DQMCSIM_BUILD_PYTHON=ON -DPython_EXECUTABLE="$python"
fi
run_args=(--benchmark_repetitions=3)
out="$QMCSIM_ROOT/bench/results/$label"
compare_args=(--threshold "${QMCSIM_BENCH_THRESHOLD:-0.30}")
peer_args=()
if [ "${QMCSIM_BENCH_QUICK:-0}" = 1 ]; then
  peer_args=(--quick)
  run_args=(--benchmark_repetitions=1 --benchmark_min_time=0.01)
  out="$QMCSIM_ROOT/bench/results/$label-quick"
  compare_args=(--completeness-only)
fi
rm -rf "$out" && mkdir -p "$out"
for binary in "$build"/bench/bench_*; do
  name=$(basename "$binary")
  MPI_LAUNCHER=()
  [[ $name == bench_mpi_* ]] && set_mpi_launcher "${QMCSIM_MPI_RANKS:-2}"
  log "running $name"
  "${MPI_LAUNCHER[@]}" "$binary" --benchmark_out="$out/$name.json" --benchmark_out_format=json "${run_args[@]}" "$@" \
    || { log "$name failed (exit status $?)"; exit 1; }
done
# the peers (QMCPy, scipy, torchsde, diffrax, diffusers) beside qmcsim from Python, in the build's Python package
if [ -d "$build/python/qmcsim" ]; then
  log "running bench_peers"
  PYTHONPATH="$build/python" OMP_PROC_BIND=spread OMP_PLACES=threads "$python" "$QMCSIM_ROOT/bench/peers/bench_peers.py" \
    --out "$out/bench_peers.json" "${peer_args[@]}" || { log "bench_peers failed"; exit 1; }
else
  log "no Python package in $build (configure with -DQMCSIM_BUILD_PYTHON=ON): the peers are not compared"
fi
log "results in $out"
baseline="$QMCSIM_ROOT/bench/results/baseline-$label.json"
if [ -f "$baseline" ]; then
  python3 "$QMCSIM_ROOT/scripts/bench_compare.py" "$baseline" "$out" "${compare_args[@]}"
else
  log "no $baseline to compare with (write one: scripts/bench_compare.py --write-baseline $out $baseline)"
fi
