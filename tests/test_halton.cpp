// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/halton/halton.hpp: the radical inverse (exact rationals), scipy's published
// first points, the exact stratification of b^k-point blocks under every randomization, NUS
// prefix structure, unbiasedness and uniformity, the n^-3 NUS variance rate, back-end agreement, runs
// against single indices, float output.

#include <gtest/gtest.h>

#include <cmath>

#include "qmcsim/halton/halton.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using HostPoints = Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace>;

HaltonOptions halton_options(std::size_t dimension, Randomization how, std::size_t replications = 1,
                             std::uint64_t seed = 3) {
  HaltonOptions options;
  options.dimension = dimension;
  options.randomization = how;
  options.replications = replications;
  options.seed = seed;
  return options;
}

template <class ExecSpace = Host>
HostPoints points(const HaltonOptions& options, IndexRange range) {
  return test::to_host(Halton<ExecSpace>(options).generate(range));
}

const Randomization randomizations[] = {Randomization::digital_shift, Randomization::permutation,
                                        Randomization::lms, Randomization::lms_digital_shift,
                                        Randomization::lms_permutation, Randomization::nus};

TEST(Halton, GeneratesOnACallersInstance) {
  for (Randomization how : {Randomization::none, Randomization::lms_digital_shift, Randomization::lms_permutation,
                            Randomization::nus})
    EXPECT_TRUE(test::generates_on_caller_instance(Halton<>(halton_options(7, how, 2)), {1000, 4500}));
}

TEST(Halton, FirstPrimes) {
  const std::vector<std::uint32_t> expected = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29};
  EXPECT_EQ(first_primes(10), expected);
  EXPECT_EQ(first_primes(1000).back(), 7919u);
}

TEST(Halton, UnrandomizedIsTheRadicalInverse) {
  const std::size_t d = 40;
  const auto x = points(halton_options(d, Randomization::none), {0, 3000});
  const auto primes = first_primes(d);
  for (std::size_t i = 0; i < 3000; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      std::uint64_t numerator = 0, denominator = 1;
      for (std::uint64_t q = i; q != 0; q /= primes[j]) {
        numerator = numerator * primes[j] + q % primes[j];
        denominator *= primes[j];
      }
      const long double exact = static_cast<long double>(numerator) / denominator;
      const long double half_ulp = (std::nextafter(x(0, i, j), 1.0) - x(0, i, j)) / 2.0L;
      ASSERT_LE(std::fabs(x(0, i, j) - exact), half_ulp) << i << " " << j;  // correctly rounded
    }
}

TEST(Halton, FirstPointsMatchPublishedValues) {
  // scipy.stats.qmc.Halton(d=2, scramble=False).random(5)
  const double expected[5][2] = {{0, 0}, {0.5, 1.0 / 3}, {0.25, 2.0 / 3}, {0.75, 1.0 / 9}, {0.125, 4.0 / 9}};
  const auto x = points(halton_options(2, Randomization::none), {0, 5});
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 2; ++j) EXPECT_DOUBLE_EQ(x(0, i, j), expected[i][j]);
}

// The first b_1^k1 ... b_d^kd points put exactly one point in each box prod_j [a_j, a_j + 1) / b_j^kj;
// every randomization keeps this (each acts on the leading digits as a bijection).
TEST(Halton, BlocksStayStratifiedUnderEveryRandomization) {
  const std::vector<std::vector<int>> exponents = {{3, 2}, {2, 1, 1}};
  for (Randomization how : randomizations)
    for (const auto& k : exponents) {
      const std::size_t d = k.size();
      const auto primes = first_primes(d);
      std::size_t n = 1;
      for (std::size_t j = 0; j < d; ++j) n *= static_cast<std::size_t>(std::pow(primes[j], k[j]));
      for (std::uint64_t start : {std::uint64_t{0}, std::uint64_t{n}, std::uint64_t{5 * n}}) {
        const auto x = points(halton_options(d, how, 2), {start, start + n});
        for (std::size_t r = 0; r < 2; ++r) {
          std::vector<int> count(n, 0);
          for (std::size_t i = 0; i < n; ++i) {
            std::size_t box = 0;
            for (std::size_t j = 0; j < d; ++j) {
              const double cells = std::pow(primes[j], k[j]);
              box = box * static_cast<std::size_t>(cells) + static_cast<std::size_t>(std::floor(x(r, i, j) * cells));
            }
            ++count[box];
          }
          for (int c : count) ASSERT_EQ(c, 1) << to_string(how) << " d=" << d << " start=" << start;
        }
      }
    }
}

TEST(Halton, NestedScramblingFollowsTheDigitTree) {
  // Indices that agree in exactly their k lowest base-b digits have scrambled points that agree in
  // exactly their k leading digits.
  const std::size_t d = 3;
  const auto primes = first_primes(d);
  const auto x = points(halton_options(d, Randomization::nus, 2), {0, 400});
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t j = 0; j < d; ++j) {
      const double b = primes[j];
      for (std::uint64_t i = 0; i < 400; i += 7)
        for (std::uint64_t i2 = i + 1; i2 < 400; ++i2) {
          int k = 0;
          for (std::uint64_t p = i, q = i2; p % primes[j] == q % primes[j]; p /= primes[j], q /= primes[j]) ++k;
          if (k > 3) continue;
          const double scale = std::pow(b, k);
          EXPECT_EQ(std::floor(x(r, i, j) * scale), std::floor(x(r, i2, j) * scale));
          EXPECT_NE(std::floor(x(r, i, j) * scale * b), std::floor(x(r, i2, j) * scale * b));
        }
    }
}

TEST(Halton, RandomizedPointsAreUniform) {
  const std::size_t R = 4000;
  for (Randomization how : {Randomization::digital_shift, Randomization::permutation, Randomization::lms_digital_shift,
                            Randomization::lms_permutation, Randomization::nus}) {
    const auto x = points(halton_options(3, how, R), {0, 10});
    for (std::size_t i : {0, 7})
      for (std::size_t j = 0; j < 3; ++j) {
        std::vector<double> values(R);
        for (std::size_t r = 0; r < R; ++r) values[r] = x(r, i, j);
        EXPECT_LT(test::ks_distance_to_uniform(values), test::ks_critical_distance(R, 1e-6))
            << to_string(how) << " point " << i << " coordinate " << j;
      }
  }
}

TEST(Halton, EveryRandomizationIsUnbiased) {
  const std::size_t R = 2000, n = 30, d = 3;
  for (Randomization how : {Randomization::digital_shift, Randomization::permutation, Randomization::lms_digital_shift,
                            Randomization::lms_permutation, Randomization::nus}) {
    const auto x = points(halton_options(d, how, R, 21), {0, n});
    std::vector<double> estimates(R);
    for (std::size_t r = 0; r < R; ++r) {
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) {
        double f = 1;
        for (std::size_t j = 0; j < d; ++j) f *= M_PI / 2 * std::sin(M_PI * x(r, i, j));
        sum += f;
      }
      estimates[r] = sum / n;
    }
    const auto stats = test::sample_stats(estimates);
    EXPECT_LT(std::abs(stats.mean - 1.0), 6 * stats.standard_error()) << to_string(how) << " mean " << stats.mean;
  }
}

TEST(Halton, NestedScramblingVarianceDecaysLikeNToTheMinus3) {
  // Coordinate 2 (base 3) with n = 3^k points: Owen's rate for a smooth one-dimensional integrand.
  const std::size_t R = 128;
  const auto x = points(halton_options(2, Randomization::nus, R, 5), {0, 6561});
  std::vector<double> log_n, log_variance;
  for (int k = 2; k <= 8; ++k) {
    const std::size_t n = static_cast<std::size_t>(std::pow(3, k));
    std::vector<double> estimates(R);
    for (std::size_t r = 0; r < R; ++r) {
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += std::exp(x(r, i, 1));
      estimates[r] = sum / n;
    }
    log_n.push_back(std::log(n));
    log_variance.push_back(std::log(test::sample_stats(estimates).variance));
  }
  EXPECT_NEAR(test::fitted_slope(log_n, log_variance), -3.0, 0.25);
}

#if defined(KOKKOS_ENABLE_SERIAL) && defined(KOKKOS_ENABLE_OPENMP)
TEST(Halton, SerialAndOpenMPAgreeBitwise) {
  for (Randomization how : randomizations) {
    const auto options = halton_options(30, how, 2, 77);
    const auto serial = points<Kokkos::Serial>(options, {100, 400});
    const auto openmp = points<Kokkos::OpenMP>(options, {100, 400});
    for (std::size_t k = 0; k < serial.size(); ++k) ASSERT_EQ(serial.data()[k], openmp.data()[k]) << to_string(how);
  }
}
#endif

TEST(Halton, RangesAreSlicesOfTheSameSequence) {
  for (Randomization how : randomizations) {
    const auto options = halton_options(5, how, 2, 8);
    const auto full = points(options, {0, 500});
    const auto part = points(options, {123, 321});
    for (std::size_t r = 0; r < 2; ++r)
      for (std::size_t i = 0; i < 198; ++i)
        for (std::size_t j = 0; j < 5; ++j) ASSERT_EQ(part(r, i, j), full(r, i + 123, j)) << to_string(how);
  }
}

// Points are made run by run, the digits advanced from index to index; a range of one point starts a
// run at its index and computes every digit in full. Both must agree bit for bit across carries of
// many digits (3^20, 2^31), across carries into the digits beyond the 53 bits of precision (2^53 and
// 3^33: their weights are not integers, and their sum is kept apart), at the end of the index range
// (D > t digits in base 2 when max_points is 2^64 - 1), in large bases (d = 40) and for every
// randomization.
TEST(Halton, RunsAdvanceLikeSingleIndices) {
  constexpr std::uint64_t n = 600;
  const std::uint64_t all = ~std::uint64_t{0};
  for (Randomization how : {Randomization::none, Randomization::digital_shift, Randomization::permutation,
                            Randomization::lms, Randomization::lms_digital_shift, Randomization::lms_permutation,
                            Randomization::nus})
    for (std::uint64_t start : {std::uint64_t{0}, std::uint64_t{3486784101} - 300, (std::uint64_t{1} << 31) - 300,
                                (std::uint64_t{1} << 53) - 300, std::uint64_t{5559060566555523} - 300, all - n}) {
      auto options = halton_options(40, how, 2, 13);
      options.max_points = start + n > std::uint64_t{1} << 32 ? all : std::uint64_t{1} << 32;
      const Halton<Host> halton(options);
      const auto run = test::to_host(halton.generate({start, start + n}));
      for (std::uint64_t i = 0; i < n; i += how == Randomization::nus ? 37 : 1) {
        const auto single = test::to_host(halton.generate({start + i, start + i + 1}));
        for (std::size_t r = 0; r < 2; ++r)
          for (std::size_t j = 0; j < 40; ++j)
            ASSERT_EQ(run(r, i, j), single(r, 0, j)) << to_string(how) << " index " << start + i << " coordinate " << j;
      }
    }
}

// Float output is the double point rounded, kept below 1: under every randomization, and where the
// rounding reaches 1 (the radical inverse of 2^30 - 1 in base 2 is 1 - 2^-30).
TEST(Halton, FloatPointsAreTheDoublePointsKeptBelowOne) {
  using FloatPoints = Kokkos::View<float***, Kokkos::LayoutRight, Kokkos::HostSpace>;
  for (Randomization how : {Randomization::none, Randomization::digital_shift, Randomization::permutation,
                            Randomization::lms, Randomization::lms_digital_shift, Randomization::lms_permutation,
                            Randomization::nus}) {
    const Halton<Host> halton(halton_options(12, how, 3, 21));
    for (const IndexRange range : {IndexRange{0, 700}, IndexRange{(1u << 30) - 1, (1u << 30) + 40}}) {
      const auto x = test::to_host(halton.generate(range));
      FloatPoints y("y", 3, range.size(), 12);
      halton.generate(range, y);
      for (std::size_t k = 0; k < x.size(); ++k) {
        const float rounded = static_cast<float>(x.data()[k]);
        ASSERT_EQ(y.data()[k], rounded < 1.0f ? rounded : 0x1.fffffep-1f) << to_string(how) << " " << k;
        ASSERT_LT(y.data()[k], 1.0f);
      }
    }
  }
  FloatPoints edge("edge", 1, 1, 1);
  Halton<Host>(halton_options(1, Randomization::none)).generate({(1u << 30) - 1, 1u << 30}, edge);
  EXPECT_EQ(edge(0, 0, 0), 0x1.fffffep-1f);
}

TEST(Halton, RejectsBadInput) {
  EXPECT_THROW(Halton<Host>(halton_options(0, Randomization::nus)), error);
  EXPECT_THROW(Halton<Host>(halton_options(100001, Randomization::nus)), error);
  EXPECT_THROW(Halton<Host>(halton_options(2, Randomization::shift)), error);
  auto gray = halton_options(2, Randomization::nus);
  gray.order = PointOrder::gray;
  EXPECT_THROW(Halton<Host>{gray}, error);
  auto small = halton_options(2, Randomization::nus);
  small.max_points = 100;
  Halton<Host> halton(small);
  EXPECT_THROW(halton.generate({0, 101}), error);
  PointsView<double, Kokkos::HostSpace> wrong("wrong", 2, 10, 2);
  EXPECT_THROW(halton.generate({0, 10}, wrong), error);
}

}  // namespace
}  // namespace qmcsim
