// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Test integrands with known integrals, as device-callable functors: f(x) reads the d coordinates of
/// one point from a contiguous row (the contract of cubature/integrand.hpp; each declares its
/// dimension, which the cubature routines check against the point set's). Keister and Genz are
/// integrands on [0,1)^d; the Asian calls are payoffs of a Brownian path, integrated against Brownian
/// motion (cubature/measure.hpp).

#include <Kokkos_Core.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/normal.hpp"
#include "qmcsim/cubature/measure.hpp"
#include "qmcsim/cubature/measures.hpp"

namespace qmcsim {

/// Keister (1996): int_{R^d} cos(|t|) e^{-|t|^2} dt = int_{[0,1]^d} pi^{d/2} cos(|Phi^{-1}(x)| / sqrt 2) dx,
/// with the exact value pi^{d/2} M(d/2, 1/2, -1/4) (M: Kummer's confluent hypergeometric function).
struct Keister {
  int dimension;  ///< d

  /// The integrand at x in [0, 1)^d.
  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {
    double squared_norm = 0;
    for (int j = 0; j < dimension; ++j) {
      const double z = normal_quantile(x[j]);
      squared_norm += z * z;
    }
    return ::pow(M_PI, 0.5 * dimension) * ::cos(::sqrt(0.5 * squared_norm));
  }

  /// The exact integral.
  double exact() const;
};

/// Discounted payoff of a geometric-average Asian call under Black-Scholes, monitored at
/// t_k = k T / d, k = 1..d, as a function of the standard Brownian path w_k = W(t_k):
///   S_k = S_0 exp((r - sigma^2/2) t_k + sigma w_k),  payoff e^{-rT} max((prod_k S_k)^{1/d} - K, 0).
/// Its price is the integral against Brownian motion at monitoring_times(), built by any construction
/// (cubature/measures.hpp): integrand(construction) is that integrand on [0,1)^d. log of the geometric
/// mean is normal, so the price has a closed form (exact()).
struct GeometricAsianCall {
  int dimension;  ///< monitoring dates d
  double spot = 100;       ///< S_0
  double strike = 100;     ///< K
  double rate = 0.05;      ///< r, the risk-free rate
  double volatility = 0.2; ///< sigma
  double maturity = 1;     ///< T

  /// The discounted payoff on the path w_1..w_d.
  KOKKOS_INLINE_FUNCTION double operator()(const double* w) const {
    double sum_log = 0;
    for (int k = 1; k <= dimension; ++k)
      sum_log += (rate - 0.5 * volatility * volatility) * (k * maturity / dimension) + volatility * w[k - 1];
    const double geometric = spot * ::exp(sum_log / dimension);
    return ::exp(-rate * maturity) * (geometric > strike ? geometric - strike : 0.0);
  }

  /// t_k = k T / d, k = 1..d.
  std::vector<double> monitoring_times() const { return BrownianMotion<>::uniform_times(dimension, maturity); }
  /// The payoff as an integrand on [0, 1)^d, its path built by `construction`.
  MeasureIntegrand<BrownianMotion<>, GeometricAsianCall> integrand(PathConstruction construction) const {
    return against(BrownianMotion<>::make(monitoring_times(), construction), *this);
  }
  /// The closed-form price.
  double exact() const;
};

/// The arithmetic-average Asian call of the same market, e^{-rT} max(sum_k S_k / d - K, 0) (no closed
/// form: a benchmark without an exact value, and the usual target of a geometric control variate).
struct ArithmeticAsianCall {
  int dimension;  ///< monitoring dates d
  ///@{
  /// The market, as GeometricAsianCall's (S_0, K, r, sigma, T).
  double spot = 100, strike = 100, rate = 0.05, volatility = 0.2, maturity = 1;
  ///@}

  /// The discounted payoff on the path w_1..w_d.
  KOKKOS_INLINE_FUNCTION double operator()(const double* w) const {
    const double a = average(w);
    return ::exp(-rate * maturity) * (a > strike ? a - strike : 0.0);
  }

  /// sum_k S_k / d on the path w.
  KOKKOS_INLINE_FUNCTION double average(const double* w) const {
    double sum = 0;
    for (int k = 1; k <= dimension; ++k)
      sum += spot * ::exp((rate - 0.5 * volatility * volatility) * (k * maturity / dimension) + volatility * w[k - 1]);
    return sum / dimension;
  }

  /// t_k = k T / d, k = 1..d.
  std::vector<double> monitoring_times() const { return BrownianMotion<>::uniform_times(dimension, maturity); }
  /// The payoff as an integrand on [0, 1)^d, its path built by `construction`.
  MeasureIntegrand<BrownianMotion<>, ArithmeticAsianCall> integrand(PathConstruction construction) const {
    return against(BrownianMotion<>::make(monitoring_times(), construction), *this);
  }
};

/// The arithmetic Asian call at several strikes K_j from the same paths: a vector-valued payoff (one
/// output per strike, cubature/rqmc.hpp), e^{-rT} max(sum_k S_k / d - K_j, 0); `option` holds the market
/// and the dates (its own strike is not used).
template <class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
struct AsianCallStrikes {
  ArithmeticAsianCall option;                        ///< the market and the dates
  Kokkos::View<const double*, MemorySpace> strikes;  ///< K_j

  /// Copies `strikes` to MemorySpace; throws qmcsim::error for none or a negative or non-finite one.
  static AsianCallStrikes make(const ArithmeticAsianCall& option, const std::vector<double>& strikes) {
    for (double k : strikes) detail::require(std::isfinite(k) && k >= 0, "AsianCallStrikes: strike ", k, " must be finite and >= 0");
    detail::require(!strikes.empty(), "AsianCallStrikes: give at least one strike");
    return {option, detail::copy_to<double, MemorySpace>("qmcsim::AsianCallStrikes::strikes", strikes)};
  }

  /// d, the monitoring dates.
  std::size_t dimension() const { return static_cast<std::size_t>(option.dimension); }
  /// One output per strike.
  std::size_t outputs() const { return strikes.extent(0); }

  /// y_j, the discounted payoff at strike K_j, on the path w_1..w_d.
  KOKKOS_INLINE_FUNCTION void operator()(const double* w, double* y) const {
    const double a = option.average(w), discount = ::exp(-option.rate * option.maturity);
    for (std::size_t j = 0; j < strikes.extent(0); ++j) y[j] = discount * (a > strikes(j) ? a - strikes(j) : 0.0);
  }

  /// The payoff as an integrand on [0, 1)^d, its path built by `construction`.
  MeasureIntegrand<BrownianMotion<>, AsianCallStrikes> integrand(PathConstruction construction) const {
    return against(BrownianMotion<>::make(option.monitoring_times(), construction), *this);
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

/// Parses the family names above ("oscillatory", "product-peak", ...); throws qmcsim::error otherwise.
GenzFamily parse_genz_family(const std::string& text);

/// A Genz test integrand (see GenzFamily) with its exact integral.
template <class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
struct Genz {
  GenzFamily family;                           ///< which of the six
  Kokkos::View<const double*, MemorySpace> a;  ///< the coefficients a_j > 0
  Kokkos::View<const double*, MemorySpace> u;  ///< the offsets u_j in [0, 1)

  /// The family with coefficients a and offsets u (one each per coordinate).
  static Genz make(GenzFamily family, const std::vector<double>& a, const std::vector<double>& u);

  /// d, the number of coefficients.
  std::size_t dimension() const { return a.extent(0); }

  /// The integrand at x in [0, 1)^d.
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

  /// The exact integral over [0, 1)^d.
  double exact() const;
};

namespace detail {
double genz_exact(GenzFamily family, const std::vector<double>& a, const std::vector<double>& u);
void check_genz(const std::vector<double>& a, const std::vector<double>& u);
}  // namespace detail

template <class MemorySpace>
Genz<MemorySpace> Genz<MemorySpace>::make(GenzFamily family, const std::vector<double>& a, const std::vector<double>& u) {
  detail::check_genz(a, u);
  return {family, detail::copy_to<double, MemorySpace>("qmcsim::Genz::a", a), detail::copy_to<double, MemorySpace>("qmcsim::Genz::u", u)};
}

template <class MemorySpace>
double Genz<MemorySpace>::exact() const {
  const auto host_a = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), a);
  const auto host_u = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), u);
  return detail::genz_exact(family, {host_a.data(), host_a.data() + host_a.extent(0)},
                            {host_u.data(), host_u.data() + host_u.extent(0)});
}

}  // namespace qmcsim
