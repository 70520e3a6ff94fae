// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/core/math.hpp: log_of_positive and cos_sin_of_turns against long double references
// (x86's 64-bit significand, 11 bits beyond double), in units of rounding (ulp) of the result (log
// within 1.5, cos and sin within 2), over
// every binade of log's domain and the whole turn, at the reduction's edges (1, sqrt 2, the quadrant
// boundaries), and evaluated in a kernel on the default execution space.

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "qmcsim/core/math.hpp"
#include "qmcsim/core/random.hpp"

namespace qmcsim {
namespace {

static_assert(std::numeric_limits<long double>::digits >= 64, "the references need a wider long double than double");

constexpr long double two_pi = 6.283185307179586476925286766559005768L;

// |value - reference| in units of rounding of the reference (of its binade: 2^(e - 52) for |x| in [2^e, 2^(e+1))).
double ulps(double value, long double reference) {
  if (reference == 0) return value == 0 ? 0 : INFINITY;
  int exponent;
  std::frexp(static_cast<double>(reference), &exponent);
  return static_cast<double>(std::fabs(value - reference) / std::ldexp(1.0L, exponent - 53));
}

double uniform(std::uint64_t k, int half) { return open_unit_interval(philox(11, k, 0, Stream::monte_carlo).u64(half)); }

TEST(Math, LogOfPositiveWithinOneAndAHalfUlpOverEveryBinade) {
  double worst = 0, worst_at = 0;
  for (int exponent = -1022; exponent <= 1023; ++exponent) {
    for (std::uint64_t k = 0; k < 2000; ++k) {
      const double x = std::ldexp(1 + uniform(exponent * 4096 + 2048 + k, 0), exponent);  // [2^e, 2^(e+1))
      const double error = ulps(math::log_of_positive(x), std::log(static_cast<long double>(x)));
      if (error > worst) worst = error, worst_at = x;
    }
  }
  EXPECT_LE(worst, 1.5) << "at x = " << worst_at;
}

TEST(Math, LogOfPositiveAtTheEdgesOfItsReduction) {
  const double root2 = std::sqrt(2.0);
  const double edges[] = {1.0, std::nextafter(1.0, 0.0), std::nextafter(1.0, 2.0), 1 - 0x1p-30, 1 + 0x1p-30, root2,
                          std::nextafter(root2, 0.0), std::nextafter(root2, 2.0), root2 / 2, std::nextafter(root2 / 2, 0.0),
                          0.5, 2.0, 0x1p-53, DBL_MIN, DBL_MAX, std::nextafter(DBL_MAX, 0.0), 3.0, 10.0, 0.1};
  for (const double x : edges) {
    const long double reference = std::log(static_cast<long double>(x));
    if (reference == 0) {
      EXPECT_EQ(math::log_of_positive(x), 0.0);
    } else {
      EXPECT_LE(ulps(math::log_of_positive(x), reference), 1.5) << "x = " << x;
    }
  }
  for (int e = -1022; e <= 1023; ++e)  // powers of 2: e log 2 with log 2 split, no rounding before the last add
    ASSERT_LE(ulps(math::log_of_positive(std::ldexp(1.0, e)), e * 0.693147180559945309417232121458176568L), 0.5) << e;
}

double cos_sin_worst(double v) {
  const math::CosSin a = math::cos_sin_of_turns(v);
  const long double angle = two_pi * (static_cast<long double>(v) - std::floor(static_cast<long double>(v)));
  const long double c = std::cos(angle), s = std::sin(angle);
  const double abs_error = static_cast<double>(std::fmax(std::fabs(a.cos - c), std::fabs(a.sin - s)) / 0x1p-53L);
  // Relative to each value as well where the reference itself is good enough: the long double angle
  // carries an absolute error near 2^-62, which is 1/4 ulp of values down to 2^-8.
  const double relative =
      std::fmax(std::fabs(c) > 0x1p-8L ? ulps(a.cos, c) : 0, std::fabs(s) > 0x1p-8L ? ulps(a.sin, s) : 0);
  return std::fmax(abs_error, relative);
}

TEST(Math, CosSinOfTurnsWithinTwoUlpOverTheTurn) {
  double worst = 0, worst_at = 0;
  for (std::uint64_t k = 0; k < 2000000; ++k) {
    const double v = uniform(k, 1);
    const double error = cos_sin_worst(v);
    if (error > worst) worst = error, worst_at = v;
  }
  EXPECT_LE(worst, 2.0) << "at v = " << worst_at;
}

TEST(Math, CosSinOfTurnsAtQuadrantsAndLargeTurns) {
  for (int q = 0; q <= 8; ++q) {  // exact at multiples of a quarter turn
    const math::CosSin a = math::cos_sin_of_turns(q / 4.0);
    const double c[4] = {1, 0, -1, 0}, s[4] = {0, 1, 0, -1};
    EXPECT_EQ(a.cos, c[q % 4]) << q;
    EXPECT_EQ(a.sin, s[q % 4]) << q;
    for (const double side : {-1.0, 1.0}) {  // the neighbours of a quadrant boundary and of its midpoint
      const double v = std::nextafter(q / 4.0, q / 4.0 + side);
      if (v >= 0) EXPECT_LE(cos_sin_worst(v), 2.0) << v;
      EXPECT_LE(cos_sin_worst(q / 4.0 + 0.125 + side * 0x1p-40), 2.0) << q;
    }
  }
  for (std::uint64_t k = 0; k < 10000; ++k) {  // whole turns up to the limit 2^28 change nothing
    const double v = std::ldexp(1.0, static_cast<int>(k % 28)) + uniform(k, 0);
    EXPECT_LE(cos_sin_worst(v), 2.0) << v;
  }
}

// log u, cos 2 pi u and sin 2 pi u for the first n of `uniform(k, 0)`, in a kernel on the default
// execution space (a free function: nvcc rejects device lambdas in a test body).
Kokkos::View<double* [3], Kokkos::LayoutRight, Kokkos::HostSpace> evaluated_in_a_kernel(int n) {
  Kokkos::View<double* [3], Kokkos::LayoutRight> out("out", n);
  Kokkos::parallel_for(
      "test_math", Kokkos::RangePolicy<>(0, n), KOKKOS_LAMBDA(int k) {
        const double u = open_unit_interval(philox(11, static_cast<std::uint64_t>(k), 0, Stream::monte_carlo).u64(0));
        const math::CosSin a = math::cos_sin_of_turns(u);
        out(k, 0) = math::log_of_positive(u);
        out(k, 1) = a.cos;
        out(k, 2) = a.sin;
      });
  return Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
}

TEST(Math, PowerOfTwoIsExactOverTheNormalRange) {
  for (int e = -1022; e <= 1023; ++e) ASSERT_EQ(math::detail::power_of_two(e), std::ldexp(1.0, e)) << e;
}

TEST(Math, SameValuesInAKernelOnTheDefaultExecutionSpace) {
  const int n = 1 << 16;
  const auto host = evaluated_in_a_kernel(n);
  for (int k = 0; k < n; ++k) {
    const double u = uniform(k, 0);
    ASSERT_LE(ulps(host(k, 0), std::log(static_cast<long double>(u))), 1.5) << u;
    ASSERT_LE(std::fabs(host(k, 1) - std::cos(two_pi * u)), 0x1p-52) << u;
    ASSERT_LE(std::fabs(host(k, 2) - std::sin(two_pi * u)), 0x1p-52) << u;
  }
}

}  // namespace
}  // namespace qmcsim
