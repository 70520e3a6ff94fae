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

// Lin et al. (2024), Table 2, for T = 1000 and N = 10: leading (steps_offset 1) 901, 801, ..., 1;
// trailing 999, 899, ..., 99; each then the end node.
TEST(DiffusionSchedule, LeadingAndTrailingTimesteps) {
  const auto schedule = DiscreteVpSchedule::scaled_linear();
  const SigmaGrid leading = schedule.timestep_grid(10, FinalSigma::last_timestep, TimestepSpacing::leading, 1);
  const SigmaGrid trailing = schedule.timestep_grid(10, FinalSigma::zero, TimestepSpacing::trailing);
  ASSERT_EQ(leading.steps(), 10u);
  ASSERT_EQ(trailing.steps(), 10u);
  for (std::size_t n = 0; n < 10; ++n) {
    EXPECT_EQ(leading.time(n), 901.0 - 100.0 * n);
    EXPECT_EQ(trailing.time(n), 999.0 - 100.0 * n);
    EXPECT_EQ(trailing.sigma_bar(n), schedule.sigma_bar(999 - 100 * n));
  }
  EXPECT_EQ(leading.time(10), 0);
  EXPECT_EQ(leading.sigma_bar(10), schedule.sigma_bar(0));
  EXPECT_EQ(trailing.sigma_bar(10), 0);
  // N = 16: T / N = 62.5, so 1000 - 62.5 k ties at odd k and rounds half to even: 937.5 -> 938, 812.5 -> 812.
  const SigmaGrid ties = schedule.timestep_grid(16, FinalSigma::zero, TimestepSpacing::trailing);
  EXPECT_EQ(ties.time(1), 937);
  EXPECT_EQ(ties.time(3), 811);
  EXPECT_EQ(ties.time(15), 61);
  // Leading with steps_offset 0 and trailing with N = T reach t = 0 themselves: they end at sigma_bar = 0.
  EXPECT_EQ(schedule.timestep_grid(1000, FinalSigma::zero, TimestepSpacing::trailing).time(999), 0);
  EXPECT_EQ(schedule.timestep_grid(4, FinalSigma::zero, TimestepSpacing::leading).time(3), 0);
}

TEST(DiffusionSchedule, TimestepSpacingsRejectWhatTheyCannotPlace) {
  const auto schedule = DiscreteVpSchedule::scaled_linear();
  auto message = [&](std::size_t steps, FinalSigma final_sigma, TimestepSpacing spacing, std::size_t offset) {
    try {
      schedule.timestep_grid(steps, final_sigma, spacing, offset);
    } catch (const error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(4, FinalSigma::last_timestep, TimestepSpacing::leading, 0).find("FinalSigma::zero or steps_offset >= 1"),
            std::string::npos);
  EXPECT_NE(message(1000, FinalSigma::last_timestep, TimestepSpacing::trailing, 0).find("fewer steps"), std::string::npos);
  EXPECT_NE(message(10, FinalSigma::zero, TimestepSpacing::leading, 100).find("steps_offset = 100"), std::string::npos);
  EXPECT_NE(message(10, FinalSigma::zero, TimestepSpacing::trailing, 1).find("leading timesteps only"), std::string::npos);
  EXPECT_NE(message(1001, FinalSigma::zero, TimestepSpacing::trailing, 0).find("steps = 1001"), std::string::npos);
  EXPECT_NE(message(1000, FinalSigma::zero, TimestepSpacing::linspace, 0).find("steps = 1000"), std::string::npos);
  EXPECT_EQ(message(10, FinalSigma::zero, TimestepSpacing::leading, 99), "no error");  // top timestep 999
}

// Algorithm 1 of Lin et al. (2024): sqrt(alphas_cumprod) is mapped affinely so that the first value
// stays and the last becomes 0 (here 2^-24 for alphas_cumprod, diffusers' finite stand-in).
TEST(DiffusionSchedule, ZeroTerminalSnrRescaling) {
  const auto schedule = DiscreteVpSchedule::scaled_linear();
  const auto rescaled = schedule.rescaled_to_zero_terminal_snr();
  EXPECT_DOUBLE_EQ(rescaled.alpha_cumprod(0), schedule.alpha_cumprod(0));
  EXPECT_EQ(rescaled.alpha_cumprod(999), 0x1p-24);
  EXPECT_NEAR(rescaled.sigma_bar(999), 4096, 1e-3);
  const double first = std::sqrt(schedule.alpha_cumprod(0)), last = std::sqrt(schedule.alpha_cumprod(999));
  for (std::size_t t : {1, 500, 998})
    EXPECT_NEAR(std::sqrt(rescaled.alpha_cumprod(t)), (std::sqrt(schedule.alpha_cumprod(t)) - last) * first / (first - last),
                1e-15);
  const SigmaGrid grid = rescaled.timestep_grid(10, FinalSigma::zero, TimestepSpacing::trailing);
  EXPECT_NEAR(grid.alpha(0), 0x1p-12, 1e-15);
}

// Karras sigmas for a VP schedule: from sigma_bar(T - 1) to sigma_bar(0), equal steps in
// sigma_bar^(1/7), then 0; model times interpolate log sigma_bar, so a table value maps to its timestep.
TEST(DiffusionSchedule, KarrasSigmasOfADiscreteSchedule) {
  const auto schedule = DiscreteVpSchedule::scaled_linear();
  const SigmaGrid grid = schedule.karras_grid(12);
  ASSERT_EQ(grid.steps(), 12u);
  EXPECT_DOUBLE_EQ(grid.sigma_bar(0), schedule.sigma_bar(999));
  EXPECT_DOUBLE_EQ(grid.sigma_bar(11), schedule.sigma_bar(0));
  EXPECT_EQ(grid.sigma_bar(12), 0);
  EXPECT_NEAR(grid.time(0), 999, 1e-9);
  EXPECT_NEAR(grid.time(11), 0, 1e-9);
  for (std::size_t n = 0; n + 2 < 12; ++n) {
    EXPECT_NEAR(std::pow(grid.sigma_bar(n), 1 / 7.0) - std::pow(grid.sigma_bar(n + 1), 1 / 7.0),
                std::pow(grid.sigma_bar(n + 1), 1 / 7.0) - std::pow(grid.sigma_bar(n + 2), 1 / 7.0), 1e-12);
    EXPECT_GT(grid.time(n), grid.time(n + 1));
  }
  for (std::size_t t : {0, 1, 37, 500, 998, 999}) EXPECT_NEAR(schedule.time_of_sigma_bar(schedule.sigma_bar(t)), t, 1e-9);
  const double between = std::exp(0.25 * std::log(schedule.sigma_bar(400)) + 0.75 * std::log(schedule.sigma_bar(401)));
  EXPECT_NEAR(schedule.time_of_sigma_bar(between), 400.75, 1e-9);
  EXPECT_EQ(schedule.time_of_sigma_bar(1e-6), 0);    // below the table
  EXPECT_EQ(schedule.time_of_sigma_bar(1e6), 999);   // above it
  EXPECT_EQ(schedule.karras_grid(1).steps(), 1u);
  EXPECT_THROW(schedule.karras_grid(0), error);
  EXPECT_THROW(schedule.karras_grid(5, 0.0), error);
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
