// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Metrics against closed forms: the normal tail for the gain metrics, a shift for sliced Wasserstein.

#include <gtest/gtest.h>

#include "qmcsim/diffusion/gaussian_mixture.hpp"
#include "qmcsim/diffusion/metrics.hpp"

namespace qmcsim::diffusion {
namespace {

using HostMatrix = Kokkos::View<double**, Kokkos::HostSpace>;

TEST(DiffusionMetrics, GainMetricsAreTheNormalTail) {
  // tau = 1: P(|z| >= 3) = 0.0026997960632601866, E[|z| 1{|z| >= 3}] = 2 phi(3) = 0.008863696823876015.
  const GainMetrics one = gaussian_gain_metrics({2.0}, 0.5, {1.0});
  EXPECT_NEAR(one.diverged_fraction, 0.0026997960632601866, 1e-15);
  EXPECT_NEAR(one.magnitude_score, 0.008863696823876015, 1e-15);
  const GainMetrics two = gaussian_gain_metrics({2.0, 0.0}, 0.5, {1.0, 1.0});
  EXPECT_NEAR(two.diverged_fraction, 0.0026997960632601866, 1e-15);
  EXPECT_NEAR(two.magnitude_score, 0.008863696823876015 / 2, 1e-15);
  EXPECT_EQ(gaussian_gain_metrics({NAN}, 1, {1}).diverged_fraction, 1);
  EXPECT_THROW(gaussian_gain_metrics({1.0}, 1, {1.0, 2.0}), error);
}

TEST(DiffusionMetrics, DistancesAndDivergedFraction) {
  HostMatrix a("a", 4, 2), b("b", 4, 2);
  for (int r = 0; r < 4; ++r) a(r, 0) = r, a(r, 1) = -r, b(r, 0) = r + 1, b(r, 1) = -r;
  EXPECT_NEAR(rms_distance(a, b), std::sqrt(0.5), 1e-15);
  EXPECT_NEAR(diverged_fraction(a, {0, 0}, {1, 1}), 0.25, 0);  // row 3 reaches 3
  b(0, 1) = NAN;
  EXPECT_NEAR(diverged_fraction(b, {0, 0}, {10, 10}), 0.25, 0);
  EXPECT_THROW(diverged_fraction(a, {0}, {1}), error);
}

// A shift by c along coordinate 0 moves every projection on a unit direction u by c u_0, so
// SW_2^2 = c^2 E[u_0^2] = c^2 / d for uniform directions.
TEST(DiffusionMetrics, SlicedWassersteinOfAShift) {
  const std::size_t n = 2000, d = 4;
  const auto x = exact_samples<Kokkos::DefaultHostExecutionSpace>(GaussianMixture::ring(d), 0, n, 3);
  HostMatrix y("y", n, d);
  Kokkos::deep_copy(y, x);
  for (std::size_t r = 0; r < n; ++r) y(r, 0) += 0.6;
  EXPECT_NEAR(sliced_wasserstein(x, x), 0, 0);
  EXPECT_NEAR(sliced_wasserstein(x, y, 4096), 0.6 / std::sqrt(double(d)), 0.01);
  EXPECT_THROW(sliced_wasserstein(x, HostMatrix("z", 3, d)), error);
}

TEST(DiffusionMetrics, FittedOrderOfAPowerLaw) {
  EXPECT_NEAR(fitted_order({10, 20, 40, 80}, {3e-2, 3e-2 / 8, 3e-2 / 64, 3e-2 / 512}), 3, 1e-12);
  EXPECT_THROW(fitted_order({10}, {1}), error);
}

}  // namespace
}  // namespace qmcsim::diffusion
