#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Installs the qmcsim build tree ($1) into a scratch prefix, then configures, builds and runs the
# consumer project against it with find_package(qmcsim). $2: Kokkos_DIR, $3: the C++ compiler,
# $4: the sanitizers qmcsim was built with (empty for none), which the consumer must link too.
set -euo pipefail
build=$1 kokkos=$2 compiler=$3 sanitize=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
work="$build/consumer-check"
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
# the installed package must stay portable: no -march=native (or any machine flag) for its users
if grep -rq -- "-march" "$work/prefix"/lib*/cmake/qmcsim/; then
  echo "the installed qmcsim package exports a -march flag:"; grep -r -- "-march" "$work/prefix"/lib*/cmake/qmcsim/; exit 1
fi
mpi=$(grep -c "define QMCSIM_HAS_MPI 1" "$build/include/qmcsim/config.hpp" || true)
# pkg-config finds the package and its libraries
libs=$(PKG_CONFIG_PATH="$(echo "$work/prefix"/lib*/pkgconfig)" pkg-config --libs qmcsim)
case "$libs" in *-lqmcsim*) ;; *) echo "pkg-config --libs qmcsim gave [$libs]"; exit 1 ;; esac
cmake -S "$here" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$compiler" -DQMCSIM_WANT_MPI="$mpi" \
  -Dqmcsim_ROOT="$work/prefix" -DKokkos_DIR="$kokkos" ${sanitize:+-DCMAKE_CXX_FLAGS=-fsanitize=$sanitize} >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/consumer"
