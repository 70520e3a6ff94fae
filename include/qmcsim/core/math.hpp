// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Elementary functions for float and double that call the C library names (sqrtf, sqrt, ...), which
/// host compilers and nvcc both provide, so that templated device code gets the single-precision
/// function for float on every Kokkos version (3.4 keeps them in Kokkos::Experimental, 4.x in Kokkos).

#include <Kokkos_Core.hpp>
#include <cmath>

namespace qmcsim::math {

/// name(float) and name(double), calling the C library's single- and double-precision functions (undefined after use).
#define QMCSIM_MATH_UNARY(name)                                                   \
  KOKKOS_FORCEINLINE_FUNCTION float name(float x) { return ::name##f(x); }        \
  KOKKOS_FORCEINLINE_FUNCTION double name(double x) { return ::name(x); }

QMCSIM_MATH_UNARY(sqrt)
QMCSIM_MATH_UNARY(log)
QMCSIM_MATH_UNARY(sin)
QMCSIM_MATH_UNARY(cos)
#undef QMCSIM_MATH_UNARY

}  // namespace qmcsim::math
