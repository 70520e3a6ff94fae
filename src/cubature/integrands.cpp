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

}  // namespace qmcsim
