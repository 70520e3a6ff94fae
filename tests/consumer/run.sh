#!/usr/bin/env bash
# Installs the qmcsim build tree ($1) into a scratch prefix, then configures, builds and runs the
# consumer project against it with find_package(qmcsim). $2: Kokkos_DIR, $3: the C++ compiler.
set -euo pipefail
build=$1 kokkos=$2 compiler=$3
here=$(cd "$(dirname "$0")" && pwd)
work="$build/consumer-check"
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$here" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$compiler" \
  -Dqmcsim_ROOT="$work/prefix" -DKokkos_DIR="$kokkos" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/consumer"
