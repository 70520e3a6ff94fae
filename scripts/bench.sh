#!/usr/bin/env bash
# Builds qmcsim (Release, this CPU) and runs every Google Benchmark binary, one JSON file each, into
# bench/results/<label>/ (label: first argument, default "cpu"). Remaining arguments go to the
# benchmarks (e.g. --benchmark_filter=Sobol).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

label=${1:-cpu}; shift || true
ensure_packages "${BUILD_PACKAGES[@]}"
kokkos=$(ensure_kokkos openmp)
build_qmcsim "$QMCSIM_ROOT/build/bench" -DKokkos_ROOT="$kokkos" -DQMCSIM_NATIVE=ON \
  -DQMCSIM_BUILD_TESTS=OFF -DQMCSIM_BUILD_BENCHMARKS=ON -DQMCSIM_BUILD_EXAMPLES=OFF
out="$QMCSIM_ROOT/bench/results/$label"
mkdir -p "$out"
for binary in "$QMCSIM_ROOT"/build/bench/bench/bench_*; do
  name=$(basename "$binary")
  log "running $name"
  "$binary" --benchmark_out="$out/$name.json" --benchmark_out_format=json "$@"
done
log "results in $out"
