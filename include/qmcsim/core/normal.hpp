// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The standard normal quantile Phi^{-1}(p), callable from host and device code.
///
/// Acklam's rational approximation (relative error < 1.2e-9) refined by one Halley step on
/// Phi(x) - p with Phi(x) = erfc(-x / sqrt 2) / 2: the error falls cubically to below double rounding.
/// The lower tail is computed directly and the upper tail by symmetry, so relative accuracy holds
/// down to p = 1e-300.

#include <Kokkos_Core.hpp>
#include <cmath>

namespace qmcsim {

/// Phi^{-1}(p) for p in (0, 1) (see the file comment).
KOKKOS_INLINE_FUNCTION double normal_quantile(double p) {
  const bool upper = p > 0.5;
  const double q = upper ? 1.0 - p : p;  // exact for p >= 0.5 (Sterbenz)
  if (!(q > 0)) return upper ? INFINITY : (q == 0 ? -INFINITY : NAN);
  double x;
  if (q < 0.02425) {  // tail
    const double t = ::sqrt(-2.0 * ::log(q));
    x = (((((-7.784894002430293e-03 * t - 3.223964580411365e-01) * t - 2.400758277161838e+00) * t -
           2.549732539343734e+00) * t + 4.374664141464968e+00) * t + 2.938163982698783e+00) /
        ((((7.784695709041462e-03 * t + 3.224671290700398e-01) * t + 2.445134137142996e+00) * t +
          3.754408661907416e+00) * t + 1.0);
  } else {  // central region
    const double u = q - 0.5, r = u * u;
    x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r +
           1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * u /
        (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r +
           6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1.0);
  }
  const double error = 0.5 * ::erfc(-x * M_SQRT1_2) - q;
  const double v = error * 2.5066282746310002 * ::exp(0.5 * x * x);  // error / phi(x)
  x -= v / (1.0 + 0.5 * x * v);
  return upper ? -x : x;
}

}  // namespace qmcsim
