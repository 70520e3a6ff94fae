#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Fuzzes qmcsim's file readers (LDData lattice and dnet files, transform values, Brownian times) with
# clang's libFuzzer under AddressSanitizer + UndefinedBehaviorSanitizer, each target for
# QMCSIM_FUZZ_SECONDS seconds (default 30), starting from tests/fuzz/corpus/<target> (which is not
# modified). Exit status 1 when a target crashes, leaks, hangs or throws anything but qmcsim::error;
# the input that did it is kept as build/fuzz/crash-<target>-* (add it to the corpus once fixed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages "${BUILD_PACKAGES[@]}" clang libclang-rt-14-dev libfuzzer-14-dev
build="$QMCSIM_ROOT/build/fuzz"
cmake -S "$QMCSIM_ROOT/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$build" -j "$QMCSIM_JOBS" >&2
seconds=${QMCSIM_FUZZ_SECONDS:-30}
for target in lattice_file dnet_file values_file times_file; do
  work=$(mktemp -d)
  cp "$QMCSIM_ROOT/tests/fuzz/corpus/$target/"* "$work/"
  log "fuzzing $target for $seconds s"
  "$build/fuzz_$target" "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$build/crash-$target-" -print_final_stats=1 2>"$build/fuzz_$target.log" \
    || { tail -n 40 "$build/fuzz_$target.log" >&2; log "fuzz_$target failed: see $build/fuzz_$target.log"; exit 1; }
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/fuzz_$target.log" >&2 || true
  rm -rf "$work"
done
log "all fuzz targets ran $seconds s each without a defect"
