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

/// Discounted payoff of a geometric-average Asian call under Black-Scholes, monitored at t_k = k T / d,
/// k = 1..d, the Brownian path built by the standard (forward) construction from z = Phi^{-1}(x):
///   S_k = S_0 exp((r - sigma^2/2) t_k + sigma W_{t_k}),  payoff e^{-rT} max((prod_k S_k)^{1/d} - K, 0).
/// log of the geometric mean is normal, so the price has a closed form (exact()).
struct GeometricAsianCall {
  int dimension;  ///< monitoring dates d
  double spot = 100, strike = 100, rate = 0.05, volatility = 0.2, maturity = 1;

  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {
    const double dt = maturity / dimension;
    double w = 0, sum_log = 0;
    for (int k = 1; k <= dimension; ++k) {
      w += ::sqrt(dt) * normal_quantile(x[k - 1]);
      sum_log += (rate - 0.5 * volatility * volatility) * k * dt + volatility * w;
    }
    const double geometric = spot * ::exp(sum_log / dimension);
    return ::exp(-rate * maturity) * (geometric > strike ? geometric - strike : 0.0);
  }

  double exact() const;
};

}  // namespace qmcsim
