// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/transforms/fwht.hpp: against the dense Hadamard matrix, against an unblocked
// reference loop for long rows (several passes), self-inverse, complex rows, back ends, shapes.

#include <gtest/gtest.h>

#include <random>

#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/transforms/fwht.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using Rows = Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace>;

Rows random_rows(std::size_t batch, std::size_t n, unsigned seed) {
  Rows x("x", batch, n);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  for (std::size_t k = 0; k < x.size(); ++k) x.data()[k] = u(rng);
  return x;
}

// The textbook unblocked butterflies, scaled at the end.
std::vector<double> reference_fwht(std::vector<double> x) {
  const std::size_t n = x.size();
  for (std::size_t h = 1; h < n; h *= 2)
    for (std::size_t i = 0; i < n; i += 2 * h)
      for (std::size_t j = i; j < i + h; ++j) {
        const double a = x[j], b = x[j + h];
        x[j] = a + b;
        x[j + h] = a - b;
      }
  for (double& v : x) v /= std::sqrt(static_cast<double>(n));
  return x;
}

TEST(Fwht, MatchesTheDenseHadamardMatrix) {
  for (int m : {0, 1, 3, 7, 10}) {
    const std::size_t n = std::size_t{1} << m;
    const Rows x = random_rows(3, n, m);
    Rows y("y", 3, n);
    Kokkos::deep_copy(y, x);
    FwhtPlan<Host>(n, 3).transform(y);
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t k = 0; k < n; ++k) {
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i) sum += (bits::popcount(i & k) % 2 ? -1.0 : 1.0) * x(r, i);
        EXPECT_NEAR(y(r, k), sum / std::sqrt(static_cast<double>(n)), 1e-13) << "n = 2^" << m;
      }
  }
}

TEST(Fwht, MatchesUnblockedButterfliesOverSeveralPasses) {
  for (int m : {12, 13, 17, 20, 25}) {
    const std::size_t n = std::size_t{1} << m;
    const Rows x = random_rows(1, n, 100 + m);
    Rows y("y", 1, n);
    Kokkos::deep_copy(y, x);
    FwhtPlan<Host>(n, 1).transform(y);
    const auto expected = reference_fwht(std::vector<double>(x.data(), x.data() + n));
    double worst = 0;
    for (std::size_t k = 0; k < n; ++k) worst = std::max(worst, std::abs(y(0, k) - expected[k]));
    EXPECT_LT(worst, 1e-12) << "n = 2^" << m;
  }
}

TEST(Fwht, IsSelfInverseOnRealAndComplexRows) {
  const std::size_t n = std::size_t{1} << 15;
  const Rows x = random_rows(2, n, 9);
  Rows y("y", 2, n);
  Kokkos::deep_copy(y, x);
  FwhtPlan<Host> plan(n, 2);
  plan.transform(y);
  plan.transform(y);
  for (std::size_t k = 0; k < x.size(); ++k) ASSERT_NEAR(y.data()[k], x.data()[k], 1e-14);

  Kokkos::View<Kokkos::complex<double>**, Kokkos::LayoutRight, Kokkos::HostSpace> z("z", 1, n);
  for (std::size_t k = 0; k < n; ++k) z(0, k) = Kokkos::complex<double>(x(0, k), x(1, k));
  FwhtPlan<Host, Kokkos::complex<double>>(n, 1).transform(z);
  FwhtPlan<Host>(n, 2).transform(y);  // now the transform of x, row by row
  for (std::size_t k = 0; k < n; ++k) {
    ASSERT_NEAR(z(0, k).real(), y(0, k), 1e-13);
    ASSERT_NEAR(z(0, k).imag(), y(1, k), 1e-13);
  }
}

#if defined(KOKKOS_ENABLE_SERIAL) && defined(KOKKOS_ENABLE_OPENMP)
TEST(Fwht, SerialAndOpenMPAgreeBitwise) {
  const std::size_t n = std::size_t{1} << 18;
  const Rows x = random_rows(2, n, 4);
  Rows a("a", 2, n), b("b", 2, n);
  Kokkos::deep_copy(a, x);
  Kokkos::deep_copy(b, x);
  FwhtPlan<Kokkos::Serial>(n, 2).transform(a);
  FwhtPlan<Kokkos::OpenMP>(n, 2).transform(b);
  for (std::size_t k = 0; k < a.size(); ++k) ASSERT_EQ(a.data()[k], b.data()[k]);
}
#endif

TEST(Fwht, TransformsOnACallersInstance) {
  // one pass and several passes (n = 2^18 takes two on the host, more on a GPU), real and complex
  for (std::size_t n : {std::size_t{64}, std::size_t{1} << 18}) {
    const Rows x = random_rows(3, n, 7);
    const FwhtPlan<> plan(n, 3);
    EXPECT_TRUE(test::transforms_on_caller_instance(x, [&](const Kokkos::DefaultExecutionSpace* space, const auto& rows) {
      space ? plan.transform(*space, rows) : plan.transform(rows);
    }));
    Kokkos::View<Kokkos::complex<double>**, Kokkos::LayoutRight, Kokkos::HostSpace> z("z", 3, n);
    for (std::size_t k = 0; k < z.size(); ++k) z.data()[k] = Kokkos::complex<double>(x.data()[k], -x.data()[(k * 7) % x.size()]);
    const FwhtPlan<Kokkos::DefaultExecutionSpace, Kokkos::complex<double>> complex_plan(n, 3);
    EXPECT_TRUE(test::transforms_on_caller_instance(z, [&](const Kokkos::DefaultExecutionSpace* space, const auto& rows) {
      space ? complex_plan.transform(*space, rows) : complex_plan.transform(rows);
    }));
  }
}

TEST(Fwht, RejectsBadShapes) {
  EXPECT_THROW((FwhtPlan<Host>(6, 1)), error);
  EXPECT_THROW((FwhtPlan<Host>(8, 0)), error);
  FwhtPlan<Host> plan(8, 1);
  Rows wrong("wrong", 1, 16);
  EXPECT_THROW(plan.transform(wrong), error);
}

}  // namespace
}  // namespace qmcsim
