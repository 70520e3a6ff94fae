# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Shared set-up for qmcsim's scripts (sourced, not run): Debian packages, a Kokkos install, the build.
#
# Environment:
#   Kokkos_ROOT       use this Kokkos install (3.4 up to 4.x) instead of building one
#   QMCSIM_CACHE_DIR  where a self-built Kokkos lives (default: ~/.cache/qmcsim)
#   QMCSIM_JOBS       parallel build jobs (default: number of cores)

QMCSIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QMCSIM_CACHE_DIR=${QMCSIM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/qmcsim}
QMCSIM_JOBS=${QMCSIM_JOBS:-$(nproc)}
QMCSIM_KOKKOS_VERSION=3.4.01

BUILD_PACKAGES=(g++ cmake make patch pkg-config xz-utils
                libeigen3-dev libfftw3-dev libboost-random-dev librandom123-dev
                libgtest-dev libbenchmark-dev liblbfgs-dev python3)
PLOT_PACKAGES=(gnuplot-nox)
MPI_PACKAGES=(libopenmpi-dev openmpi-bin)

# Kokkos' OpenMP back end warns (and runs slower) without thread binding.
export OMP_PROC_BIND=${OMP_PROC_BIND:-spread}
export OMP_PLACES=${OMP_PLACES:-threads}

log() { echo "qmcsim: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else log "root rights are needed to run: $*"; return 1
  fi
}

# Installs the Debian packages among "$@" that are not installed yet.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  as_root apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# Writes deb-src entries that copy the URIs and suites of this machine's own apt sources, so that
# no host name is written into the repository.
write_source_entries() {
  local out=$1 f
  : >"$out/sources.list"
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^[[:space:]]*deb[[:space:]]\+/deb-src /p' /etc/apt/sources.list >>"$out/sources.list"
  fi
  for f in /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && sed -n 's/^[[:space:]]*deb[[:space:]]\+/deb-src /p' "$f" >>"$out/sources.list"
  done
  mkdir -p "$out/sources.list.d"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822 stanzas: keep those of type deb, retyped as deb-src.
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /(^|\n)Types:[^\n]*(^|[ \t])deb([ \t]|\n|$)/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' \
      "$f" >"$out/sources.list.d/$(basename "$f")"
  done
}

# Prints the path of Kokkos' source tree, unpacked from Debian's trilinos source package and patched.
kokkos_source_dir() {
  local src="$QMCSIM_CACHE_DIR/src/kokkos-$QMCSIM_KOKKOS_VERSION"
  if [ ! -f "$src/.patched" ]; then
    local apt="$QMCSIM_CACHE_DIR/apt" dl="$QMCSIM_CACHE_DIR/download"
    rm -rf "$apt" "$dl" "$src" && mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dl"
    write_source_entries "$apt"
    local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
                -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=root")
    log "fetching Debian's trilinos source package (for its packages/kokkos)"
    apt-get "${opts[@]}" update -q >&2
    (cd "$dl" && apt-get "${opts[@]}" source --download-only trilinos >&2)
    local tarball
    tarball=$(ls "$dl"/trilinos_*.orig.tar.* | head -n 1)
    mkdir -p "$dl/x"
    tar -xf "$tarball" -C "$dl/x" --wildcards '*/packages/kokkos/*'
    mkdir -p "$(dirname "$src")"
    mv "$dl"/x/*/packages/kokkos "$src"
    if ! grep -q "tag:  $QMCSIM_KOKKOS_VERSION " "$src/master_history.txt"; then
      log "trilinos source ships Kokkos $(tail -n 1 "$src/master_history.txt"), expected $QMCSIM_KOKKOS_VERSION;"
      log "set Kokkos_ROOT to a Kokkos install (3.4 up to 4.x) instead"
      return 1
    fi
    (cd "$src" && patch -p1 -s <"$QMCSIM_ROOT/cmake/patches/kokkos-$QMCSIM_KOKKOS_VERSION-cuda13.patch")
    touch "$src/.patched"
    rm -rf "$dl" "$apt"
  fi
  echo "$src"
}

# Prints a Kokkos prefix: $Kokkos_ROOT when set, otherwise Kokkos 3.4.01 built once into the cache.
# $1: openmp (Serial + OpenMP) or cuda (Serial + OpenMP + CUDA for sm_90).
ensure_kokkos() {
  if [ -n "${Kokkos_ROOT:-}" ]; then echo "$Kokkos_ROOT"; return 0; fi
  local flavour=$1 prefix="$QMCSIM_CACHE_DIR/kokkos-$QMCSIM_KOKKOS_VERSION-$1"
  if [ ! -f "$prefix/.complete" ]; then
    local src build args
    src=$(kokkos_source_dir) || return 1
    build="$QMCSIM_CACHE_DIR/build/kokkos-$flavour"
    args=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_CXX_STANDARD=17
          -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DKokkos_ENABLE_SERIAL=ON -DKokkos_ENABLE_OPENMP=ON)
    if [ "$flavour" = cuda ]; then
      args+=(-DCMAKE_CXX_COMPILER="$src/bin/nvcc_wrapper" -DKokkos_ENABLE_CUDA=ON
             -DKokkos_ENABLE_CUDA_LAMBDA=ON -DKokkos_ARCH_HOPPER90=ON)
    fi
    log "building Kokkos $QMCSIM_KOKKOS_VERSION ($flavour) into $prefix"
    rm -rf "$build" "$prefix"
    cmake -S "$src" -B "$build" "${args[@]}" >"$QMCSIM_CACHE_DIR/kokkos-$flavour-configure.log" 2>&1 \
      || { log "Kokkos configure failed, see $QMCSIM_CACHE_DIR/kokkos-$flavour-configure.log"; return 1; }
    cmake --build "$build" -j "$QMCSIM_JOBS" --target install >"$QMCSIM_CACHE_DIR/kokkos-$flavour-build.log" 2>&1 \
      || { log "Kokkos build failed, see $QMCSIM_CACHE_DIR/kokkos-$flavour-build.log"; return 1; }
    rm -rf "$build"
    touch "$prefix/.complete"
  fi
  echo "$prefix"
}

# Sets MPI_LAUNCHER to the command that starts $1 ranks of an MPI program with one OpenMP thread
# each. Root may start them (containers), and shared memory is used without the kernel's
# cross-process copy, which containers often forbid.
set_mpi_launcher() {
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
  MPI_LAUNCHER=(mpirun -n "$1" --oversubscribe -x OMP_NUM_THREADS=1)
}

# Configures and builds qmcsim in build directory $1 with the extra CMake arguments that follow.
build_qmcsim() {
  local dir=$1; shift
  cmake -S "$QMCSIM_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >&2
  cmake --build "$dir" -j "$QMCSIM_JOBS" >&2
}

# Puts CUDA's nvcc on PATH when it is installed in the usual place.
use_cuda_toolkit() {
  command -v nvcc >/dev/null 2>&1 && return 0
  [ -x /usr/local/cuda/bin/nvcc ] && export PATH="/usr/local/cuda/bin:$PATH" && return 0
  log "nvcc not found: install the CUDA toolkit (or put it on PATH) to build the CUDA configuration"
  return 1
}
