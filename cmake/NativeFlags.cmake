# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# QMCSIM_NATIVE_FLAGS: the flags of QMCSIM_NATIVE=ON, -march=native unless the compiler miscompiles
# with it. g++ 12.2 (Debian 12's) builds std::vector<double>{a, a, a, 0} as {a, a, a, a} whenever
# AVX-512 is enabled (-march=native on an AVX-512 CPU, -march=x86-64-v4, skylake-avx512): its SLP
# vectorizer broadcasts the first element over the whole 256-bit store. qmcsim's tests caught it
# (a per-output tolerance {1e-3, 1e-3, 1e-3, 0} read back as 1e-3 everywhere), and any code built
# with those flags is exposed. The check below runs that initialization with the native flags; when it
# comes out wrong, AVX-512 is turned off (-mno-avx512f: the AVX2 code generation is not affected) and
# the check is run again, so the project never builds with flags that its compiler gets wrong.
# Dropping AVX-512 costs nothing measurable; the other cure, -fno-tree-slp-vectorize, does cost:
# bench_halton built three ways and run alternately (2 cores of this project's AMD EPYC VM, 2026-12-04),
# BM_HaltonLmsDs/18/32 took 54 ms with -mno-avx512f, 58 ms with AVX-512 and 70 ms without SLP.
# FMA is turned off too (-mno-fma, g++ only). The project builds with -ffp-contract=off so that a result
# does not depend on how its code was inlined, but g++ 12's SLP vectorizer still fuses a vectorized
# multiply with an add/subtract pair into vfmsubadd132pd: it did so in the Brownian tree's leaf bridge
# (BrownianCells::bridge) inlined into one test and not into another, and the same query differed in
# its last bits between them (test_virtual_brownian_tree, BrownianCursor.EqualsTheTreeBitForBit, an
# interval of 3 ulp inside one leaf where the difference is amplified). No qmcsim code asks for a fused
# multiply-add; Eigen's dense kernels, which do, lose them and keep their results.
include(CheckCXXSourceRuns)

set(_qmcsim_vector_initialization_source [=[
#include <vector>
__attribute__((noinline)) double element(const std::vector<double>& v, int i) { return v[i]; }
int main() {
  std::vector<double> v{1e-3, 1e-3, 1e-3, 0};
  return element(v, 3) == 0 && element(v, 0) == 1e-3 ? 0 : 1;
}
]=])

function(qmcsim_check_vector_initialization flags result)
  set(CMAKE_REQUIRED_FLAGS "${flags} -O2")
  set(CMAKE_REQUIRED_QUIET ON)
  check_cxx_source_runs("${_qmcsim_vector_initialization_source}" ${result})
endfunction()

if(QMCSIM_NATIVE)
  set(_qmcsim_no_fma "")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    set(_qmcsim_no_fma -mno-fma)
  endif()
  qmcsim_check_vector_initialization("-march=native" QMCSIM_NATIVE_INITIALIZES_VECTORS)
  if(QMCSIM_NATIVE_INITIALIZES_VECTORS)
    set(QMCSIM_NATIVE_FLAGS -march=native ${_qmcsim_no_fma})
  else()
    qmcsim_check_vector_initialization("-march=native -mno-avx512f" QMCSIM_NATIVE_WITHOUT_AVX512_INITIALIZES_VECTORS)
    if(NOT QMCSIM_NATIVE_WITHOUT_AVX512_INITIALIZES_VECTORS)
      message(FATAL_ERROR "qmcsim: ${CMAKE_CXX_COMPILER} miscompiles std::vector<double>{a, a, a, 0} with "
                          "-march=native, also without AVX-512: configure with -DQMCSIM_NATIVE=OFF")
    endif()
    set(QMCSIM_NATIVE_FLAGS -march=native -mno-avx512f ${_qmcsim_no_fma})
    message(STATUS "qmcsim: ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION} miscompiles vector "
                   "initialization with AVX-512 (see cmake/NativeFlags.cmake): native flags are ${QMCSIM_NATIVE_FLAGS}")
  endif()
endif()
