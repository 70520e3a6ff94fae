// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/cubature/integrands.hpp"

#include "qmcsim/core/error.hpp"

namespace qmcsim {

double Keister::exact() const {
  detail::require(dimension >= 1, "Keister: dimension must be at least 1, got ", dimension);
  // Kummer's series M(a, 1/2, -1/4) = sum_k (a)_k / (1/2)_k (-1/4)^k / k!, a = d/2: terms fall like
  // 1/k! after k ~ a, so summing until they vanish is exact to rounding.
  const double a = 0.5 * dimension;
  double term = 1, series = 1;
  for (int k = 0; k < 400 && std::abs(term) > 1e-18 * std::abs(series); ++k) {
    term *= (a + k) / (0.5 + k) * (-0.25) / (k + 1);
    series += term;
  }
  return std::pow(M_PI, a) * series;
}

double GeometricAsianCall::exact() const {
  detail::require(dimension >= 1, "GeometricAsianCall: dimension must be at least 1, got ", dimension);
  for (double v : {spot, strike, volatility, maturity})
    detail::require(std::isfinite(v) && v > 0, "GeometricAsianCall: spot, strike, volatility and maturity must be positive");
  // log G ~ N(mean, variance): mean = log S0 + (r - s^2/2) mean(t_k), variance = s^2 / d^2 sum_{j,k} min(t_j, t_k)
  const double d = dimension, dt = maturity / d;
  const double mean = std::log(spot) + (rate - 0.5 * volatility * volatility) * dt * (d + 1) / 2;
  const double variance = volatility * volatility * dt * (d + 1) * (2 * d + 1) / (6 * d);
  const double sd = std::sqrt(variance);
  const auto Phi = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
  const double d1 = (mean - std::log(strike) + variance) / sd;
  return std::exp(-rate * maturity) * (std::exp(mean + variance / 2) * Phi(d1) - strike * Phi(d1 - sd));
}

GenzFamily parse_genz_family(const std::string& text) {
  if (text == "oscillatory") return GenzFamily::oscillatory;
  if (text == "product-peak") return GenzFamily::product_peak;
  if (text == "corner-peak") return GenzFamily::corner_peak;
  if (text == "gaussian") return GenzFamily::gaussian;
  if (text == "continuous") return GenzFamily::continuous;
  if (text == "discontinuous") return GenzFamily::discontinuous;
  throw error("Genz family '" + text +
              "' is unknown: use oscillatory, product-peak, corner-peak, gaussian, continuous or discontinuous");
}

namespace detail {

void check_genz(const std::vector<double>& a, const std::vector<double>& u) {
  require(!a.empty() && a.size() == u.size(), "Genz: need as many coefficients a (", a.size(), ") as offsets u (",
          u.size(), "), at least one");
  require(a.size() <= 30, "Genz: dimension ", a.size(), " is above 30 (the corner-peak integral sums 2^d terms)");
  for (std::size_t j = 0; j < a.size(); ++j) {
    require_finite("Genz", "a_j", a[j]);
    require_finite("Genz", "u_j", u[j]);
    require(a[j] > 0, "Genz: a_", j + 1, " = ", a[j], " must be positive");
    require(u[j] >= 0 && u[j] < 1, "Genz: u_", j + 1, " = ", u[j], " is outside [0, 1)");
  }
}

double genz_exact(GenzFamily family, const std::vector<double>& a, const std::vector<double>& u) {
  const std::size_t d = a.size();
  double p = 1;
  switch (family) {
    case GenzFamily::oscillatory: {  // Re(e^{2 pi i u_1} prod_j (e^{i a_j} - 1) / (i a_j))
      double re = std::cos(2 * M_PI * u[0]), im = std::sin(2 * M_PI * u[0]);
      for (double aj : a) {
        const double fr = std::sin(aj) / aj, fi = (1 - std::cos(aj)) / aj;  // (e^{i a} - 1) / (i a)
        const double r = re * fr - im * fi;
        im = re * fi + im * fr;
        re = r;
      }
      return re;
    }
    case GenzFamily::product_peak:
      for (std::size_t j = 0; j < d; ++j) p *= a[j] * (std::atan(a[j] * (1 - u[j])) + std::atan(a[j] * u[j]));
      return p;
    case GenzFamily::corner_peak: {  // inclusion-exclusion over the corners of the cube
      double total = 0, factorial = 1, product_a = 1;
      for (std::size_t j = 0; j < d; ++j) factorial *= static_cast<double>(j + 1), product_a *= a[j];
      for (std::uint64_t corner = 0; corner < (std::uint64_t{1} << d); ++corner) {
        double s = 1;
        int ones = 0;
        for (std::size_t j = 0; j < d; ++j)
          if ((corner >> j) & 1) s += a[j], ++ones;
        total += (ones % 2 ? -1.0 : 1.0) / s;
      }
      return total / (factorial * product_a);
    }
    case GenzFamily::gaussian:
      for (std::size_t j = 0; j < d; ++j)
        p *= std::sqrt(M_PI) / (2 * a[j]) * (std::erf(a[j] * (1 - u[j])) + std::erf(a[j] * u[j]));
      return p;
    case GenzFamily::continuous:
      for (std::size_t j = 0; j < d; ++j) p *= (2 - std::exp(-a[j] * u[j]) - std::exp(-a[j] * (1 - u[j]))) / a[j];
      return p;
    case GenzFamily::discontinuous:
      for (std::size_t j = 0; j < d; ++j) p *= (std::exp(a[j] * (j < 2 ? u[j] : 1.0)) - 1) / a[j];
      return p;
  }
  return 0;
}

}  // namespace detail
}  // namespace qmcsim
