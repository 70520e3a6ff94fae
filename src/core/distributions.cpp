#include <cmath>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/normal.hpp"

namespace qmcsim {
namespace {

// Continued fraction of the regularized incomplete beta function (modified Lentz).
double beta_continued_fraction(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  d = 1 / (std::abs(d) < tiny ? tiny : d);
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    for (const double numerator : {m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                                    -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))}) {
      d = 1 + numerator * d;
      d = 1 / (std::abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      c = std::abs(c) < tiny ? tiny : c;
      h *= d * c;
    }
    if (std::abs(d * c - 1) < 1e-16) break;
  }
  return h;
}

double regularized_incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  return x < (a + 1) / (a + b + 2) ? front * beta_continued_fraction(a, b, x) / a
                                   : 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

// P(T > t) for t >= 0, computed directly so that tiny tail probabilities keep their precision.
double student_t_tail(double t, double nu) { return 0.5 * regularized_incomplete_beta(nu / 2, 0.5, nu / (nu + t * t)); }

}  // namespace

double student_t_quantile(double p, double degrees) {
  detail::require(p > 0 && p < 1, "student_t_quantile: p = ", p, " is outside (0, 1)");
  detail::require(degrees > 0 && std::isfinite(degrees), "student_t_quantile: degrees of freedom = ", degrees,
                  " must be positive");
  const double q = p < 0.5 ? p : 1 - p;  // the tail probability beyond |t| (1 - p is exact for p >= 0.5)
  double lo = 0, hi = 1;
  while (student_t_tail(hi, degrees) > q) hi *= 2;
  for (int step = 0; step < 2000 && hi - lo > 1e-16 * hi; ++step) {
    const double mid = 0.5 * (lo + hi);
    (student_t_tail(mid, degrees) > q ? lo : hi) = mid;
  }
  if (p < 0.5) return -0.5 * (lo + hi);
  return 0.5 * (lo + hi);
}

}  // namespace qmcsim
