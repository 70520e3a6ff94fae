// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Elementary functions for float and double that call the C library names (sqrtf, sqrt, ...), which
/// host compilers and nvcc both provide, so that templated device code gets the single-precision
/// function for float on every Kokkos version (3.4 keeps them in Kokkos::Experimental, 4.x in Kokkos).
///
/// And the two double functions of the Box-Muller transform, `log_of_positive` and
/// `cos_sin_of_turns`, written as plain arithmetic: no branches, no errno, no library call, so a host
/// loop over them vectorizes (glibc's log and sincos do not, and took half of the Brownian tree's time),
/// and every back end evaluates the same operations. log is within 1.5 units of rounding, cos and sin
/// within 2 (test_math).
///
///   const double x = math::log_of_positive(u);        // u > 0, a normal number
///   const math::CosSin a = math::cos_sin_of_turns(v); // cos and sin of 2 pi v, 0 <= v < 2^28

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>

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

namespace detail {
KOKKOS_FORCEINLINE_FUNCTION std::uint64_t bits_of(double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}
KOKKOS_FORCEINLINE_FUNCTION double double_of(std::uint64_t bits) {
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}
/// n < 2^52 as a double, by placing it in the significand of 2^52 (exact): the 64-bit integer
/// conversion does not vectorize before AVX-512, this does.
KOKKOS_FORCEINLINE_FUNCTION double small_integer(std::uint64_t n) { return double_of(0x4330000000000000ull | n) - 0x1p52; }
/// 2^e for -1022 <= e <= 1023, exactly, from its exponent bits (no ldexp call in a kernel).
KOKKOS_FORCEINLINE_FUNCTION double power_of_two(int e) { return double_of(static_cast<std::uint64_t>(1023 + e) << 52); }
/// c0 + x (c1 + x (c2 + ...)): Horner's rule.
KOKKOS_FORCEINLINE_FUNCTION double polynomial(double /*x*/, double c0) { return c0; }
template <class... Higher>
KOKKOS_FORCEINLINE_FUNCTION double polynomial(double x, double c0, Higher... higher) {
  return c0 + x * polynomial(x, higher...);
}
}  // namespace detail

/// log x for a positive normal number x (not 0, subnormal, infinite or NaN), within 1.5 units of
/// rounding (1.09 the largest error seen). x = 2^e m with m in [sqrt(1/2), sqrt(2)) (read from the
/// bits), f = m - 1 (exact) and s = f / (2 + f), |s| < 0.172; log m = 2 atanh(s) =
/// f - f^2/2 + s (f^2/2 + R) with R = 2 s^2 (1/3 + s^2/5 + ... + s^20/21), whose first omitted term
/// is below 2^-60 of log m; then log x = e log 2 + log m with log 2 split in two so that e log 2
/// carries no rounding.
KOKKOS_FORCEINLINE_FUNCTION double log_of_positive(double x) {
  constexpr std::uint64_t root_half = 0x3fe6a09e667f3bcdull;  // the bits of sqrt(1/2)
  // Shifting the bits by 1 - sqrt(1/2) carries into the exponent exactly when m >= sqrt(2).
  const std::uint64_t shifted = detail::bits_of(x) + (0x3ff0000000000000ull - root_half);
  const double e = detail::small_integer(shifted >> 52) - 1023;
  const double m = detail::double_of((shifted & 0x000fffffffffffffull) + root_half);
  const double f = m - 1;
  const double s = f / (2 + f), z = s * s;
  const double p = detail::polynomial(z, 1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9, 1.0 / 11, 1.0 / 13, 1.0 / 15, 1.0 / 17,
                                      1.0 / 19, 1.0 / 21);
  const double half_f2 = 0.5 * f * f, r = 2 * z * p;
  const double log_m = f - (half_f2 - s * (half_f2 + r));
  constexpr double log2_high = 6.93147180369123816490e-01;  // 32 leading bits: e log2_high is exact
  constexpr double log2_low = 1.90821492927058770002e-10;   // log 2 - log2_high
  return e * log2_high + (log_m + e * log2_low);
}

/// cos(2 pi v) and sin(2 pi v).
struct CosSin {
  double cos;  ///< cos(2 pi v)
  double sin;  ///< sin(2 pi v)
};

/// cos and sin of 2 pi v for 0 <= v < 2^28 (4v + 1/2 must fit an int), within 2 units of rounding.
/// The reduction is exact: 4v = q + r with q the nearest integer and |r| <= 1/2, then the Taylor
/// series of sin(pi r / 2) to r^17 and cos(pi r / 2) to r^18 (the first omitted terms below 2^-56),
/// turned by the quadrant q mod 4.
KOKKOS_FORCEINLINE_FUNCTION CosSin cos_sin_of_turns(double v) {
  const double x = 4 * v;
  const int q = static_cast<int>(x + 0.5);  // truncation is the floor for x >= 0
  const double r = x - q, r2 = r * r;
  constexpr double a = 1.57079632679489661923132169163975;  // pi / 2
  constexpr double s1 = a, s3 = -s1 * a * a / 6, s5 = -s3 * a * a / 20, s7 = -s5 * a * a / 42,
                   s9 = -s7 * a * a / 72, s11 = -s9 * a * a / 110, s13 = -s11 * a * a / 156,
                   s15 = -s13 * a * a / 210, s17 = -s15 * a * a / 272;
  constexpr double c2 = -a * a / 2, c4 = -c2 * a * a / 12, c6 = -c4 * a * a / 30, c8 = -c6 * a * a / 56,
                   c10 = -c8 * a * a / 90, c12 = -c10 * a * a / 132, c14 = -c12 * a * a / 182,
                   c16 = -c14 * a * a / 240, c18 = -c16 * a * a / 306;
  const double ps = detail::polynomial(r2, s3, s5, s7, s9, s11, s13, s15, s17);
  const double sine = r * s1 + r * r2 * ps;
  const double pc = detail::polynomial(r2, c2, c4, c6, c8, c10, c12, c14, c16, c18);
  const double cosine = 1 + r2 * pc;
  // A quarter turn maps (cos, sin) to (-sin, cos), a half turn negates both. Written as products with
  // 0 and 1 (exact) rather than selects, which g++ does not turn into vector blends.
  const double odd = q & 1, even = 1 - odd, sign = 1 - 2 * ((q >> 1) & 1);
  return {sign * (cosine * even - sine * odd), sign * (sine * even + cosine * odd)};
}

}  // namespace qmcsim::math
