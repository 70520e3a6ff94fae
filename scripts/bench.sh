#!/usr/bin/env bash
# The performance-regression suite. Builds qmcsim (Release, this CPU, with MPI), runs every Google
# Benchmark binary (bench_mpi_* under mpirun on QMCSIM_MPI_RANKS ranks, default 2), one JSON file
# each, into bench/results/<label>/ (label: first argument, default "cpu"), then compares them with
# bench/results/baseline-<label>.json when it exists: exit status 1 when a ratio-to-limit metric got
# worse by more than QMCSIM_BENCH_THRESHOLD (default 0.30, see scripts/bench_compare.py).
# Every benchmark runs 3 times (the comparison uses medians and the baseline's spread); remaining
# arguments go to every benchmark and override that (e.g. --benchmark_filter=Over).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

label=${1:-cpu}; shift || true
ensure_packages "${BUILD_PACKAGES[@]}" "${MPI_PACKAGES[@]}"
kokkos=$(ensure_kokkos openmp)
build_qmcsim "$QMCSIM_ROOT/build/bench" -DKokkos_ROOT="$kokkos" -DQMCSIM_NATIVE=ON -DQMCSIM_ENABLE_MPI=ON \
  -DQMCSIM_BUILD_TESTS=OFF -DQMCSIM_BUILD_BENCHMARKS=ON -DQMCSIM_BUILD_EXAMPLES=OFF
out="$QMCSIM_ROOT/bench/results/$label"
rm -rf "$out" && mkdir -p "$out"
for binary in "$QMCSIM_ROOT"/build/bench/bench/bench_*; do
  name=$(basename "$binary")
  MPI_LAUNCHER=()
  [[ $name == bench_mpi_* ]] && set_mpi_launcher "${QMCSIM_MPI_RANKS:-2}"
  log "running $name"
  "${MPI_LAUNCHER[@]}" "$binary" --benchmark_out="$out/$name.json" --benchmark_out_format=json \
    --benchmark_repetitions=3 "$@"
done
log "results in $out"
baseline="$QMCSIM_ROOT/bench/results/baseline-$label.json"
if [ -f "$baseline" ]; then
  python3 "$QMCSIM_ROOT/scripts/bench_compare.py" "$baseline" "$out" --threshold "${QMCSIM_BENCH_THRESHOLD:-0.30}"
else
  log "no $baseline to compare with (write one: scripts/bench_compare.py --write-baseline $out $baseline)"
fi
