// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Test integrands on [0,1)^d with known integrals, as device-callable functors: f(x) reads the d
/// coordinates of one point from a contiguous row (the contract of cubature/integrand.hpp; each
/// declares its dimension, which the cubature routines check against the point set's).

#include <Kokkos_Core.hpp>
#include <cmath>
#include <string>
#include <vector>

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

/// The arithmetic-average Asian call of the same market (no closed form: a benchmark without an
/// exact value, and the usual target of a geometric control variate).
struct ArithmeticAsianCall {
  int dimension;
  double spot = 100, strike = 100, rate = 0.05, volatility = 0.2, maturity = 1;

  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {
    const double dt = maturity / dimension;
    double w = 0, sum = 0;
    for (int k = 1; k <= dimension; ++k) {
      w += ::sqrt(dt) * normal_quantile(x[k - 1]);
      sum += spot * ::exp((rate - 0.5 * volatility * volatility) * k * dt + volatility * w);
    }
    const double average = sum / dimension;
    return ::exp(-rate * maturity) * (average > strike ? average - strike : 0.0);
  }
};

/// Genz's (1984) test families with coefficients a_j > 0 and offsets u_j in [0, 1):
///   oscillatory    cos(2 pi u_1 + sum a_j x_j)
///   product-peak   prod (a_j^-2 + (x_j - u_j)^2)^-1
///   corner-peak    (1 + sum a_j x_j)^-(d+1)
///   gaussian       exp(-sum a_j^2 (x_j - u_j)^2)
///   continuous     exp(-sum a_j |x_j - u_j|)
///   discontinuous  exp(sum a_j x_j) if x_1 < u_1 and x_2 < u_2, else 0
/// each with its exact integral (exact()).
enum class GenzFamily { oscillatory, product_peak, corner_peak, gaussian, continuous, discontinuous };

GenzFamily parse_genz_family(const std::string& text);

template <class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
struct Genz {
  GenzFamily family;
  Kokkos::View<const double*, MemorySpace> a, u;

  /// The family with coefficients a and offsets u (one each per coordinate).
  static Genz make(GenzFamily family, const std::vector<double>& a, const std::vector<double>& u);

  std::size_t dimension() const { return a.extent(0); }

  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {
    const std::size_t d = a.extent(0);
    double s = 0, p = 1;
    switch (family) {
      case GenzFamily::oscillatory:
        for (std::size_t j = 0; j < d; ++j) s += a(j) * x[j];
        return ::cos(2 * M_PI * u(0) + s);
      case GenzFamily::product_peak:
        for (std::size_t j = 0; j < d; ++j) p /= 1 / (a(j) * a(j)) + (x[j] - u(j)) * (x[j] - u(j));
        return p;
      case GenzFamily::corner_peak:
        for (std::size_t j = 0; j < d; ++j) s += a(j) * x[j];
        return ::pow(1 + s, -static_cast<double>(d + 1));
      case GenzFamily::gaussian:
        for (std::size_t j = 0; j < d; ++j) s += a(j) * a(j) * (x[j] - u(j)) * (x[j] - u(j));
        return ::exp(-s);
      case GenzFamily::continuous:
        for (std::size_t j = 0; j < d; ++j) s += a(j) * ::fabs(x[j] - u(j));
        return ::exp(-s);
      default:
        if (x[0] >= u(0) || (d > 1 && x[1] >= u(1))) return 0;
        for (std::size_t j = 0; j < d; ++j) s += a(j) * x[j];
        return ::exp(s);
    }
  }

  double exact() const;
};

namespace detail {
double genz_exact(GenzFamily family, const std::vector<double>& a, const std::vector<double>& u);
void check_genz(const std::vector<double>& a, const std::vector<double>& u);
}  // namespace detail

template <class MemorySpace>
Genz<MemorySpace> Genz<MemorySpace>::make(GenzFamily family, const std::vector<double>& a, const std::vector<double>& u) {
  detail::check_genz(a, u);
  Kokkos::View<double*, MemorySpace> device_a("qmcsim::Genz::a", a.size()), device_u("qmcsim::Genz::u", u.size());
  auto host_a = Kokkos::create_mirror_view(device_a);
  auto host_u = Kokkos::create_mirror_view(device_u);
  for (std::size_t j = 0; j < a.size(); ++j) host_a(j) = a[j], host_u(j) = u[j];
  Kokkos::deep_copy(device_a, host_a);
  Kokkos::deep_copy(device_u, host_u);
  return {family, device_a, device_u};
}

template <class MemorySpace>
double Genz<MemorySpace>::exact() const {
  const auto host_a = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), a);
  const auto host_u = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), u);
  return detail::genz_exact(family, {host_a.data(), host_a.data() + host_a.extent(0)},
                            {host_u.data(), host_u.data() + host_u.extent(0)});
}

}  // namespace qmcsim
