// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/brownian/levy_area.hpp: the approximate Lévy areas have the exact mean (0),
// variance (h^2 / 4) and covariance with E[A | W, H] = H^i W^j - W^i H^j (h^2 / 6) of the true Lévy
// area; Foster's residual variance grows with H as stated; antisymmetry and repeatability.
// Bounds are z = 6 standard errors estimated from the samples' own fourth moments.

#include <gtest/gtest.h>

#include "qmcsim/brownian/levy_area.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Exec = Kokkos::DefaultExecutionSpace;
using Tree = VirtualBrownianTree<LevyArea::space_time>;

struct AreaSample {
  Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace> values;  // (path, {A01, A10, H0W1-W0H1, H0^2+H1^2})
};

AreaSample sample(const Tree& tree, std::size_t paths, double s, double t, LevyAreaApproximation approximation) {
  Kokkos::View<double**, Kokkos::LayoutRight, Exec::memory_space> out("areas", paths, 4);
  Kokkos::parallel_for(
      Kokkos::RangePolicy<Exec>(0, paths), KOKKOS_LAMBDA(std::size_t p) {
        const auto path = static_cast<std::uint32_t>(p);
        const auto a = tree.increment(path, 0, s, t), b = tree.increment(path, 1, s, t);
        out(p, 0) = approximate_levy_area(tree, path, 0, 1, s, t, approximation);
        out(p, 1) = approximate_levy_area(tree, path, 1, 0, s, t, approximation);
        out(p, 2) = a.H * b.W - a.W * b.H;
        out(p, 3) = a.H * a.H + b.H * b.H;
      });
  return {test::to_host(out)};
}

/// Mean of x within z = 6 of its estimated standard error around `expected`.
void expect_mean(const std::vector<double>& x, double expected, const char* what) {
  const auto stats = test::sample_stats(x);
  EXPECT_NEAR(stats.mean, expected, 6 * stats.standard_error()) << what;
}

void check_moments(LevyAreaApproximation approximation) {
  const double s = 0.2, t = 0.9, h = t - s;
  const std::size_t n = 1 << 18;
  const Tree tree(0.0, 1.0, 2, 77);
  const auto x = sample(tree, n, s, t, approximation).values;
  std::vector<double> area(n), square(n), cross(n);
  for (std::size_t p = 0; p < n; ++p) {
    ASSERT_EQ(x(p, 1), -x(p, 0));
    area[p] = x(p, 0), square[p] = x(p, 0) * x(p, 0), cross[p] = x(p, 0) * x(p, 2);
  }
  expect_mean(area, 0.0, "mean");
  expect_mean(square, h * h / 4, "variance h^2/4");
  expect_mean(cross, h * h / 6, "covariance with H^i W^j - W^i H^j");
}

TEST(LevyArea, DavieHasTheMomentsOfTheLevyArea) { check_moments(LevyAreaApproximation::davie); }
TEST(LevyArea, FosterHasTheMomentsOfTheLevyArea) { check_moments(LevyAreaApproximation::foster); }

TEST(LevyArea, FosterResidualVarianceGrowsWithH) {
  // E[(A - E[A|W,H])^2 (H0^2 + H1^2)] = h^2/20 E[S] + h/5 E[S^2] with S = H0^2 + H1^2, E S = h/6,
  // E S^2 = 2 E H^4 + 2 (E H^2)^2 = 2 * 3 (h/12)^2 + 2 (h/12)^2 = h^2/18.
  const double s = 0.0, t = 0.5, h = t - s;
  const std::size_t n = 1 << 18;
  const auto x = sample(Tree(0.0, 1.0, 2, 78), n, s, t, LevyAreaApproximation::foster).values;
  std::vector<double> weighted(n);
  for (std::size_t p = 0; p < n; ++p) weighted[p] = (x(p, 0) - x(p, 2)) * (x(p, 0) - x(p, 2)) * x(p, 3);
  expect_mean(weighted, h * h / 20 * h / 6 + h / 5 * h * h / 18, "weighted residual variance");
}

TEST(LevyArea, RepeatedQueriesAgreeAndDiagonalIsZero) {
  const auto a = sample(Tree(0.0, 1.0, 2, 5), 64, 0.1, 0.3, LevyAreaApproximation::davie).values;
  const auto b = sample(Tree(0.0, 1.0, 2, 5), 64, 0.1, 0.3, LevyAreaApproximation::davie).values;
  const auto c = sample(Tree(0.0, 1.0, 2, 5), 64, 0.1, 0.31, LevyAreaApproximation::davie).values;
  for (std::size_t p = 0; p < 64; ++p) {
    EXPECT_EQ(a(p, 0), b(p, 0));
    EXPECT_NE(a(p, 0), c(p, 0));
  }
  const Tree tree(0.0, 1.0, 2, 5);
  EXPECT_EQ(approximate_levy_area(tree, 0, 1, 1, 0.1, 0.3, LevyAreaApproximation::foster), 0.0);
}

}  // namespace
}  // namespace qmcsim
