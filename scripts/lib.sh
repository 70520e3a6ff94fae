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
DOCS_PACKAGES=(doxygen)
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

# Prints an identifier of the project's Kokkos patch: a source tree or CUDA install made with another
# patch is made again.
kokkos_patch_id() {
  sha256sum "$QMCSIM_ROOT/cmake/patches/kokkos-$QMCSIM_KOKKOS_VERSION-cuda13.patch" | cut -c1-16
}

# Prints the path of Kokkos' source tree, unpacked from Debian's trilinos source package and patched.
kokkos_source_dir() {
  local src="$QMCSIM_CACHE_DIR/src/kokkos-$QMCSIM_KOKKOS_VERSION"
  if [ "$(cat "$src/.patched" 2>/dev/null)" != "$(kokkos_patch_id)" ]; then
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
    kokkos_patch_id >"$src/.patched"
    rm -rf "$dl" "$apt"
  fi
  echo "$src"
}

# Prints a Kokkos prefix: $Kokkos_ROOT when set, otherwise Kokkos 3.4.01 built once into the cache.
# $1: openmp (Serial + OpenMP) or cuda (Serial + OpenMP + CUDA for sm_90).
ensure_kokkos() {
  if [ -n "${Kokkos_ROOT:-}" ]; then echo "$Kokkos_ROOT"; return 0; fi
  local flavour=$1 prefix="$QMCSIM_CACHE_DIR/kokkos-$QMCSIM_KOKKOS_VERSION-$1"
  # The CUDA flavour is the one the patch is for: rebuild it when the patch changes.
  local stamp=complete
  [ "$flavour" = cuda ] && stamp=$(kokkos_patch_id)
  if [ "$(cat "$prefix/.complete" 2>/dev/null)" != "$stamp" ]; then
    local src build args
    src=$(kokkos_source_dir) || return 1
    build="$QMCSIM_CACHE_DIR/build/kokkos-$flavour"
    args=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_CXX_STANDARD=17
          -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DKokkos_ENABLE_SERIAL=ON -DKokkos_ENABLE_OPENMP=ON)
    if [ "$flavour" = cuda ]; then
      ensure_cuda_libraries
      args+=(-DCMAKE_CXX_COMPILER="$src/bin/nvcc_wrapper" -DKokkos_ENABLE_CUDA=ON
             -DKokkos_ENABLE_CUDA_LAMBDA=ON -DKokkos_ARCH_HOPPER90=ON "${CUDA_CMAKE_ARGS[@]}")
    fi
    log "building Kokkos $QMCSIM_KOKKOS_VERSION ($flavour) into $prefix"
    rm -rf "$build" "$prefix"
    cmake -S "$src" -B "$build" "${args[@]}" >"$QMCSIM_CACHE_DIR/kokkos-$flavour-configure.log" 2>&1 \
      || { log "Kokkos configure failed, see $QMCSIM_CACHE_DIR/kokkos-$flavour-configure.log"; return 1; }
    cmake --build "$build" -j "$QMCSIM_JOBS" --target install >"$QMCSIM_CACHE_DIR/kokkos-$flavour-build.log" 2>&1 \
      || { log "Kokkos build failed, see $QMCSIM_CACHE_DIR/kokkos-$flavour-build.log"; return 1; }
    rm -rf "$build"
    echo "$stamp" >"$prefix/.complete"
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
# Builds only the targets in the array QMCSIM_BUILD_TARGETS when it is set.
build_qmcsim() {
  local dir=$1; shift
  cmake -S "$QMCSIM_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >&2
  local targets=()
  [ -n "${QMCSIM_BUILD_TARGETS[*]:-}" ] && targets=(--target "${QMCSIM_BUILD_TARGETS[@]}")
  cmake --build "$dir" -j "$QMCSIM_JOBS" "${targets[@]}" >&2
}

# Puts CUDA's nvcc on PATH when it is installed in the usual place.
use_cuda_toolkit() {
  command -v nvcc >/dev/null 2>&1 && return 0
  [ -x /usr/local/cuda/bin/nvcc ] && export PATH="/usr/local/cuda/bin:$PATH" && return 0
  log "nvcc not found: install the CUDA toolkit (or put it on PATH) to build the CUDA configuration"
  return 1
}

# Sets CUDA_CMAKE_ARGS to what CMake needs beyond the toolkit to link the CUDA configuration: cuFFT
# (qmcsim's FFTBR) and the driver library (Kokkos links CUDA::cuda_driver). Build-only toolkits may
# carry neither. cuFFT then comes from NVIDIA's PyPI wheel (pinned; cached under $QMCSIM_CACHE_DIR), and
# the driver from a link-only stub with the driver's soname, the role of a full toolkit's
# lib64/stubs/libcuda.so: neither Kokkos 3.4 nor qmcsim calls the driver API directly (the runtime
# and cuFFT open the machine's driver at run time), so the stub only satisfies the link line.
QMCSIM_CUFFT_WHEEL=nvidia-cufft==12.5.0.14
ensure_cuda_libraries() {
  CUDA_CMAKE_ARGS=()
  local top extras="$QMCSIM_CACHE_DIR/cuda-extras"
  top=$(cd "$(dirname "$(command -v nvcc)")/.." && pwd -P)
  local libdirs=("$top/lib64" "$top/targets/x86_64-linux/lib")
  has_lib() { local d; for d in "${libdirs[@]}" "${libdirs[@]/%//stubs}"; do [ -e "$d/$1" ] && return 0; done; return 1; }
  if ! has_lib libcufft.so; then
    if [ ! -f "$extras/.cufft-complete" ]; then
      log "the CUDA toolkit at $top has no cuFFT: taking $QMCSIM_CUFFT_WHEEL from PyPI"
      rm -rf "$extras/cufft" "$extras/download" && mkdir -p "$extras/cufft/lib" "$extras/cufft/include" "$extras/download"
      python3 -m pip download -q --no-deps -d "$extras/download" "$QMCSIM_CUFFT_WHEEL" >&2
      python3 - "$extras" <<'PY'
import pathlib, shutil, sys, zipfile
extras = pathlib.Path(sys.argv[1])
wheel = next((extras / "download").glob("nvidia_cufft-*.whl"))
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        kind = "include" if "/include/" in name else "lib" if "/lib/" in name else None
        if kind and not name.endswith("/"):
            with z.open(name) as src, open(extras / "cufft" / kind / pathlib.Path(name).name, "wb") as dst:
                shutil.copyfileobj(src, dst)
PY
      ln -sf libcufft.so.12 "$extras/cufft/lib/libcufft.so"
      rm -rf "$extras/download"
      touch "$extras/.cufft-complete"
    fi
    CUDA_CMAKE_ARGS+=(-DCUDA_cufft_LIBRARY="$extras/cufft/lib/libcufft.so" -DCMAKE_CXX_FLAGS="-isystem $extras/cufft/include")
  fi
  if ! has_lib libcuda.so; then
    if [ ! -f "$extras/stubs/libcuda.so" ]; then
      log "the CUDA toolkit at $top has no driver stub: making a link-only libcuda.so"
      mkdir -p "$extras/stubs"
      gcc -shared -Wl,-soname,libcuda.so.1 -o "$extras/stubs/libcuda.so" -x c /dev/null
    fi
    CUDA_CMAKE_ARGS+=(-DCUDA_cuda_driver_LIBRARY="$extras/stubs/libcuda.so")
  fi
}
