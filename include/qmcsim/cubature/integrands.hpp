#pragma once
/// @file
/// Test integrands on [0,1)^d with known integrals, as device-callable functors: f(x) reads the d
/// coordinates of one point from a contiguous row.

#include <Kokkos_Core.hpp>
#include <cmath>

#include "qmcsim/core/normal.hpp"

namespace qmcsim {

/// Keister (1996): int_{R^d} cos(|t|) e^{-|t|^2} dt = int_{[0,1]^d} pi^{d/2} cos(|Phi^{-1}(x)| / sqrt 2) dx,
/// with the exact value pi^{d/2} M(d/2, 1/2, -1/4) (M: Kummer's confluent hypergeometric function).
struct Keister {
  int dimension;

  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {
    double squared_norm = 0;
    for (int j = 0; j < dimension; ++j) {
      const double z = normal_quantile(x[j]);
      squared_norm += z * z;
    }
    return ::pow(M_PI, 0.5 * dimension) * ::cos(::sqrt(0.5 * squared_norm));
  }

  double exact() const;
};

}  // namespace qmcsim
