// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/sde/langevin.hpp: ShOULD's strong order (3) against a fine-step solution on the
// same Brownian path, its stationary moments on a Gaussian target against the exact law, and the
// coefficients against their small-step Taylor limits.

#include <gtest/gtest.h>

#include "qmcsim/sde/langevin.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Exec = Kokkos::DefaultExecutionSpace;

/// f(x) = sum_i (x_i^4 / 4 - x_i^2 / 2 + x_i / 5): a tilted double well, grad f = x^3 - x + 1/5.
struct TiltedDoubleWell {
  static constexpr std::size_t dimension = 2;
  KOKKOS_INLINE_FUNCTION State<2> gradient(const State<2>& x) const {
    return {x[0] * x[0] * x[0] - x[0] + 0.2, x[1] * x[1] * x[1] - x[1] + 0.2};
  }
};

/// f(x) = x^2 / (2 s^2) for s = 1, 2: stationary x ~ N(0, s^2), v ~ N(0, u).
struct Gaussian {
  static constexpr std::size_t dimension = 2;
  KOKKOS_INLINE_FUNCTION State<2> gradient(const State<2>& x) const { return {x[0], x[1] / 4}; }
};

TEST(Langevin, SamplesOnACallersInstance) {
  const VirtualBrownianTree<LevyArea::space_time_time> tree(0.0, 2.0, 2, 21);
  const ShOULD should(1.0, 1.0, 2.0 / 64);
  const auto expected = test::to_host(
      sample_langevin<Exec>(should, TiltedDoubleWell(), tree, State<2>{0.5, -1.0}, State<2>{0.0, 1.0}, 64, 8, 200));
  const test::UserInstance user;
  const auto on_instance = sample_langevin(user.space(), should, TiltedDoubleWell(), tree, State<2>{0.5, -1.0},
                                           State<2>{0.0, 1.0}, 64, 8, 200);
  user.space().fence();
  const auto got = test::to_host(on_instance);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t k = 0; k < got.size(); ++k) ASSERT_EQ(got.data()[k], expected.data()[k]) << k;
}

TEST(Langevin, ShOULDHasStrongOrderThree) {
  const double T = 2.0;
  const std::size_t paths = 512;
  const VirtualBrownianTree<LevyArea::space_time_time> tree(0.0, T, 2, 21);
  auto final_x = [&](std::size_t steps) {
    const ShOULD should(1.0, 1.0, T / steps);
    return test::to_host(sample_langevin<Exec>(should, TiltedDoubleWell(), tree, State<2>{0.5, -1.0},
                                               State<2>{0.0, 1.0}, steps, steps, paths));
  };
  const auto reference = final_x(1024);
  std::vector<double> log_h, log_error;
  for (std::size_t steps = 8; steps <= 64; steps *= 2) {
    const auto x = final_x(steps);
    double sum = 0;
    for (std::size_t p = 0; p < paths; ++p)
      for (int i = 0; i < 2; ++i) sum += std::pow(x(p, 0, i) - reference(p, 0, i), 2);
    log_h.push_back(std::log(T / steps));
    log_error.push_back(0.5 * std::log(sum / (2 * paths)));
  }
  EXPECT_NEAR(test::fitted_slope(log_h, log_error), 3.0, 0.35);
}

TEST(Langevin, StationaryMomentsMatchTheTarget) {
  const std::size_t paths = 2048, steps = 200;
  const double h = 0.25;
  const ShOULD should(2.0, 1.0, h);
  const VirtualBrownianTree<LevyArea::space_time_time> tree(0.0, steps * h, 2, 22);
  const auto x = test::to_host(
      sample_langevin<Exec>(should, Gaussian(), tree, State<2>{3.0, 3.0}, State<2>{0.0, 0.0}, steps, steps, paths));
  for (int i = 0; i < 2; ++i) {
    std::vector<double> first(paths), second(paths);
    const double variance = i == 0 ? 1.0 : 4.0;
    for (std::size_t p = 0; p < paths; ++p) first[p] = x(p, 0, i), second[p] = x(p, 0, i) * x(p, 0, i);
    const auto m1 = test::sample_stats(first), m2 = test::sample_stats(second);
    EXPECT_NEAR(m1.mean, 0.0, 6 * m1.standard_error());
    EXPECT_NEAR(m2.mean, variance, 6 * m2.standard_error() + 0.01 * variance);  // O(h^3) bias allowance
  }
}

TEST(Langevin, BadParametersAreRejected) {
  EXPECT_THROW(ShOULD(0.0, 1.0, 0.1), error);
  EXPECT_THROW(ShOULD(1.0, -1.0, 0.1), error);
  EXPECT_THROW(ShOULD(1.0, 1.0, NAN), error);
  const VirtualBrownianTree<LevyArea::space_time_time> tree(0.0, 1.0, 2, 1);
  EXPECT_THROW(sample_langevin<Exec>(ShOULD(1, 1, 0.1), Gaussian(), tree, State<2>{}, State<2>{}, 20, 1, 1), error);
  EXPECT_THROW(sample_langevin<Exec>(ShOULD(1, 1, 0.1), Gaussian(), tree, State<2>{}, State<2>{}, 5, 0, 1), error);
}

}  // namespace
}  // namespace qmcsim
