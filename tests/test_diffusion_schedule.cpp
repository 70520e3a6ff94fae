// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Schedules and grids against their defining formulas and the reference codes' conventions.

#include <gtest/gtest.h>

#include "qmcsim/diffusion/schedule.hpp"

namespace qmcsim::diffusion {
namespace {

TEST(DiffusionSchedule, ScaledLinearMatchesStableDiffusion) {
  const auto schedule = DiscreteVpSchedule::scaled_linear();
  ASSERT_EQ(schedule.timesteps(), 1000u);
  EXPECT_NEAR(schedule.sigma_bar(0), std::sqrt(0.00085 / (1 - 0.00085)), 1e-15);
  EXPECT_NEAR(schedule.sigma_bar(999), 14.6, 0.05);
  double product = 1;  // alphas_cumprod = prod (1 - beta_i), beta_i = (sqrt b0 + i/999 (sqrt b1 - sqrt b0))^2
  for (int i = 0; i < 1000; ++i) {
    const double root = std::sqrt(0.00085) + i / 999.0 * (std::sqrt(0.012) - std::sqrt(0.00085));
    product *= 1 - root * root;
    ASSERT_NEAR(schedule.alpha_cumprod(i), product, 1e-14) << i;
  }
}

TEST(DiffusionSchedule, LinearAndCosineSchedules) {
  EXPECT_DOUBLE_EQ(DiscreteVpSchedule::linear().alpha_cumprod(0), 1 - 1e-4);
  EXPECT_NEAR(DiscreteVpSchedule::linear(100).alpha_cumprod(0), 1 - 1e-3, 1e-15);  // betas scaled by 1000/T
  const auto cosine = DiscreteVpSchedule::cosine();
  const auto f = [](double u) { return std::pow(std::cos((u + 0.008) / 1.008 * M_PI / 2), 2); };
  EXPECT_NEAR(cosine.alpha_cumprod(500), f(501 / 1000.0) / f(0), 1e-12);
  EXPECT_NEAR(cosine.alpha_cumprod(999) / cosine.alpha_cumprod(998), 1 - 0.999, 1e-15);  // the clipped last beta
}

// NumPy rounds half to even: with N = 30, 999 * 5 / 30 = 166.5 becomes 166 (diffusers' grid).
TEST(DiffusionSchedule, TimestepGridRoundsHalfToEven) {
  const auto schedule = DiscreteVpSchedule::scaled_linear();
  const SigmaGrid grid = schedule.timestep_grid(30);
  ASSERT_EQ(grid.steps(), 30u);
  EXPECT_EQ(grid.time(0), 999);
  EXPECT_EQ(grid.time(25), 166);
  EXPECT_EQ(grid.time(30), 0);
  EXPECT_DOUBLE_EQ(grid.sigma_bar(25), schedule.sigma_bar(166));
  const SigmaGrid zero = schedule.timestep_grid(30, FinalSigma::zero);
  EXPECT_EQ(zero.sigma_bar(30), 0);
  EXPECT_DOUBLE_EQ(zero.sigma_bar(29), grid.sigma_bar(29));
  EXPECT_NEAR(grid.alpha(0), std::sqrt(schedule.alpha_cumprod(999)), 1e-15);
}

TEST(DiffusionSchedule, ContinuousScheduleInvertsLambdaAndSpacesGrids) {
  for (const auto& schedule : {ContinuousVpSchedule::linear(), ContinuousVpSchedule::cosine()}) {
    for (double t : {1e-3, 0.1, 0.5, 0.9}) EXPECT_NEAR(schedule.time_of_lambda(schedule.lambda(t)), t, 1e-11) << t;
    const SigmaGrid log_snr = schedule.grid(10, Spacing::log_snr);
    for (std::size_t n = 0; n + 1 < 10; ++n)
      EXPECT_NEAR(std::log(log_snr.sigma_bar(n) / log_snr.sigma_bar(n + 1)),
                  std::log(log_snr.sigma_bar(n + 1) / log_snr.sigma_bar(n + 2)), 1e-12);
    const SigmaGrid uniform = schedule.grid(10, Spacing::time_uniform);
    EXPECT_NEAR(uniform.time(0), schedule.final_time(), 1e-15);
    EXPECT_NEAR(uniform.time(10), 1e-3, 1e-15);
    EXPECT_NEAR(uniform.sigma_bar(4), schedule.sigma_bar(uniform.time(4)), 1e-15);
    EXPECT_NEAR(log_snr.time(3), schedule.time_of_lambda(-std::log(log_snr.sigma_bar(3))), 1e-15);
    const SigmaGrid quadratic = schedule.grid(4, Spacing::time_quadratic);
    EXPECT_NEAR(std::sqrt(quadratic.time(1)) - std::sqrt(quadratic.time(0)),
                std::sqrt(quadratic.time(2)) - std::sqrt(quadratic.time(1)), 1e-15);
  }
  // Linear: log alpha(t) = -(b1 - b0) t^2 / 4 - b0 t / 2.
  const auto linear = ContinuousVpSchedule::linear();
  EXPECT_NEAR(linear.sigma_bar(0.5), std::sqrt(std::exp(2 * (19.9 * 0.25 / 4 + 0.1 * 0.5 / 2)) - 1), 1e-12);
}

TEST(DiffusionSchedule, KarrasGridSpacesSigmaToTheOneOverRho) {
  const SigmaGrid grid = karras_grid(10);
  EXPECT_DOUBLE_EQ(grid.sigma_bar(0), 80);
  EXPECT_NEAR(grid.sigma_bar(9), 0.002, 1e-15);
  EXPECT_EQ(grid.sigma_bar(10), 0);
  EXPECT_EQ(grid.alpha(3), 1);
  for (std::size_t n = 0; n + 2 < 10; ++n)
    EXPECT_NEAR(std::pow(grid.sigma_bar(n), 1 / 7.0) - std::pow(grid.sigma_bar(n + 1), 1 / 7.0),
                std::pow(grid.sigma_bar(n + 1), 1 / 7.0) - std::pow(grid.sigma_bar(n + 2), 1 / 7.0), 1e-12);
}

TEST(DiffusionSchedule, RejectsBadGrids) {
  EXPECT_THROW(SigmaGrid({1.0}, Scaling::variance_exploding), error);
  EXPECT_THROW(SigmaGrid({1.0, 1.0}, Scaling::variance_exploding), error);
  EXPECT_THROW(SigmaGrid({1.0, 2.0}, Scaling::variance_exploding), error);
  EXPECT_THROW(SigmaGrid({1.0, -0.5}, Scaling::variance_exploding), error);
  EXPECT_THROW(SigmaGrid({NAN, 0.5}, Scaling::variance_exploding), error);
  EXPECT_THROW(SigmaGrid({2.0, 1.0}, Scaling::variance_exploding, {1.0}), error);
  EXPECT_THROW(DiscreteVpSchedule::scaled_linear().timestep_grid(0), error);
  EXPECT_THROW(ContinuousVpSchedule::linear().grid(10, Spacing::log_snr, 0.0), error);
  EXPECT_THROW(karras_grid(5, 1, 0.5), error);
  EXPECT_THROW(ContinuousVpSchedule::linear(1, 0.5), error);
  try {
    SigmaGrid({3.0, 2.0, 2.5}, Scaling::variance_exploding);
    FAIL();
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("sigma_bar[2]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace qmcsim::diffusion
