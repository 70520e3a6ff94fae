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

}  // namespace qmcsim
