// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Sampler plans: the published weights, the linear-multistep order conditions (the paper's
// Theorems 1 and 2 as exact algebra), momentum numbers and bad parameters.

#include <gtest/gtest.h>

#include "qmcsim/diffusion/method.hpp"

namespace qmcsim::diffusion {
namespace {

TEST(DiffusionMethod, AdamsBashforthAndGhvbWeightsMatchThePaper) {
  const std::vector<std::vector<double>> ab = {
      {1}, {1.5, -0.5}, {23 / 12.0, -16 / 12.0, 5 / 12.0}, {55 / 24.0, -59 / 24.0, 37 / 24.0, -9 / 24.0},
      {1901 / 720.0, -2774 / 720.0, 2616 / 720.0, -1274 / 720.0, 251 / 720.0}};
  for (int c = 1; c <= 5; ++c)
    for (int j = 0; j < c; ++j) EXPECT_NEAR(adams_bashforth_weights(c)[j], ab[c - 1][j], 1e-15) << c << " " << j;
  for (double b : {0.1, 0.5, 0.8, 0.9}) {
    const std::vector<std::vector<double>> ghvb = {
        {1},
        {(2 + b) / (2 * b), -(2 - b) / (2 * b)},
        {(18 + 5 * b) / (12 * b), -(24 - 8 * b) / (12 * b), (6 - b) / (12 * b)},
        {(46 + 9 * b) / (24 * b), -(78 - 19 * b) / (24 * b), (42 - 5 * b) / (24 * b), -(10 - b) / (24 * b)},
        {(1650 + 251 * b) / (720 * b), -(3420 - 646 * b) / (720 * b), (2880 - 264 * b) / (720 * b),
         -(1380 - 106 * b) / (720 * b), (270 - 19 * b) / (720 * b)}};
    for (int c = 1; c <= 5; ++c) {
      double sum = 0;
      for (int j = 0; j < c; ++j) {
        EXPECT_NEAR(ghvb_weights(c, b)[j], ghvb[c - 1][j], 1e-13) << c << " " << j << " beta " << b;
        sum += ghvb_weights(c, b)[j];
      }
      EXPECT_NEAR(sum, 1, 1e-13);
    }
  }
}

// Residual of (x_1 - x_0) - (1 - beta)(x_0 - x_{-1}) - sum_j c_j x'(-j) for x(t) = t^q / q!: the
// method has order p exactly when the residual vanishes for q = 0..p.
double residual(const std::vector<double>& c, double beta, int q) {
  const auto x = [q](double t) { return std::pow(t, q) / std::tgamma(q + 1.0); };
  const auto dx = [q](double t) { return q == 0 ? 0.0 : std::pow(t, q - 1) / std::tgamma(q); };
  double r = (x(1) - x(0)) - (1 - beta) * (x(0) - x(-1));
  for (std::size_t j = 0; j < c.size(); ++j) r -= c[j] * dx(-static_cast<double>(j));
  return r;
}

int order(const std::vector<double>& c, double beta) {
  int q = 0;
  while (q < 10 && std::abs(residual(c, beta, q + 1)) < 1e-12) ++q;
  return q;
}

TEST(DiffusionMethod, OrderConditionsGiveTheoremsOneAndTwo) {
  for (int k = 1; k <= 5; ++k) {
    EXPECT_EQ(order(adams_bashforth_weights(k), 1), k);
    for (double beta : {0.2, 0.5, 0.8, 0.9}) {
      std::vector<double> hb = adams_bashforth_weights(k);
      for (double& w : hb) w *= beta;
      EXPECT_EQ(order(hb, beta), 1) << "HB on AB" << k << " beta " << beta;  // Theorem 1
      std::vector<double> ghvb = ghvb_weights(k, beta);
      for (double& w : ghvb) w *= beta;
      EXPECT_EQ(order(ghvb, beta), k) << "GHVB" << k << " beta " << beta;  // Theorem 2
    }
  }
}

TEST(DiffusionMethod, MomentumNumbers) {
  const auto check = [](double m, int order, double beta) {
    const MomentumNumber parsed = parse_momentum_number(m);
    EXPECT_EQ(parsed.order, order) << m;
    EXPECT_EQ(parsed.beta, beta) << m;
  };
  check(3.9, 4, 0.9);
  check(3.8, 4, 0.8);
  check(4.0, 4, 1.0);
  check(0.5, 1, 0.5);
  check(1.5, 2, 0.5);
  check(2.1, 3, 0.1);
  EXPECT_EQ(SamplerSpec::ghvb(3.8).name(), "ghvb3.8");
  EXPECT_EQ(SamplerSpec::ghvb(2.0).name(), "ghvb2.0");
  EXPECT_EQ(SamplerSpec::plms_hb(4, 0.8).name(), "plms4+hb0.8");
  EXPECT_EQ(SamplerSpec::dpm_solver_pp_hb(0.9).name(), "dpm++2m+hb0.9");
  for (double bad : {0.0, -1.0, 5.5, double(NAN)}) EXPECT_THROW(parse_momentum_number(bad), error) << bad;
}

TEST(DiffusionMethod, DpmSolverPlans) {
  const SigmaGrid grid = uniform_grid(12, 10, 0.1, Scaling::variance_exploding);
  const SamplerPlan third(SamplerSpec::dpm_solver_pp(3), grid);
  for (std::size_t n = 0; n < grid.steps(); ++n) {
    const StepCoefficients& c = third.step(n);
    double sum = 0;
    for (int j = 0; j < c.count; ++j) sum += c.weights[j];
    EXPECT_NEAR(sum, 1, 1e-12) << n;
    EXPECT_NEAR(c.position_scale, grid.sigma_bar(n + 1) / grid.sigma_bar(n), 1e-15);
  }
  // lower_order_final below 15 steps: orders 1, 2, 3, ..., 3, 2, 1.
  const std::vector<int> counts{1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 1};
  for (std::size_t n = 0; n < 12; ++n) EXPECT_EQ(third.step(n).count, counts[n]) << n;
  const SamplerPlan plain(SamplerSpec::dpm_solver_pp(3, LowerOrderFinal::none), grid);
  EXPECT_EQ(plain.step(11).count, 3);
  // On a grid uniform in lambda (rho = 1) 2M's combination is (3/2, -1/2).
  std::vector<double> geometric;
  for (int n = 0; n <= 20; ++n) geometric.push_back(std::pow(0.8, n));
  const SamplerPlan second(SamplerSpec::dpm_solver_pp(2), SigmaGrid(geometric, Scaling::variance_exploding));
  EXPECT_NEAR(second.step(5).weights[0], 1.5, 1e-12);
  EXPECT_NEAR(second.step(5).weights[1], -0.5, 1e-12);
  // A last step to sigma_bar = 0 is always first order and returns D.
  const SamplerPlan to_zero(SamplerSpec::dpm_solver_pp(2, LowerOrderFinal::none), karras_grid(20));
  EXPECT_EQ(to_zero.step(19).count, 1);
  EXPECT_EQ(to_zero.step(19).position_scale, 0);
}

TEST(DiffusionMethod, RejectsBadParameters) {
  const SigmaGrid grid = uniform_grid(5, 1, 0.1, Scaling::variance_exploding);
  EXPECT_THROW(SamplerPlan(SamplerSpec::plms(0), grid), error);
  EXPECT_THROW(SamplerPlan(SamplerSpec::plms(6), grid), error);
  EXPECT_THROW(SamplerPlan(SamplerSpec::ghvb(4, 0.0), grid), error);
  EXPECT_THROW(SamplerPlan(SamplerSpec::ghvb(4, 1.2), grid), error);
  EXPECT_THROW(SamplerPlan(SamplerSpec::plms_hb(2, NAN), grid), error);
  EXPECT_THROW(SamplerPlan(SamplerSpec::dpm_solver_pp(4), grid), error);
  SamplerSpec hb3 = SamplerSpec::dpm_solver_pp_hb(0.8);
  hb3.order = 3;
  EXPECT_THROW(SamplerPlan(hb3, grid), error);
  try {
    SamplerPlan(SamplerSpec::plms_hb(4, 1.5), grid);
    FAIL();
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("beta = 1.5 is outside (0, 1]"), std::string::npos) << e.what();
  }
}

// DDIM and PLMS2 written as rules from their textbook formulas give the built-in plans' coefficients.
TEST(DiffusionMethod, CustomRulesGiveTheBuiltInCoefficients) {
  const SigmaGrid grid = uniform_grid(7, 2, 0.05, Scaling::variance_exploding);
  const auto euler_step = [](std::size_t n, const SigmaGrid& g) {
    return combination_step({1.0}, 1, g.sigma_bar(n + 1) - g.sigma_bar(n));
  };
  const CustomSampler ddim{"my ddim", Prediction::noise, 1, false, euler_step};
  const CustomSampler plms2{"my plms2", Prediction::noise, 2, false, [&](std::size_t n, const SigmaGrid& g) {
                              return n == 0 ? euler_step(n, g)
                                            : combination_step({1.5, -0.5}, 1, g.sigma_bar(n + 1) - g.sigma_bar(n));
                            }};
  for (const auto& [custom, built_in] : {std::pair{SamplerPlan(ddim, grid), SamplerPlan(SamplerSpec::ddim(), grid)},
                                         std::pair{SamplerPlan(plms2, grid), SamplerPlan(SamplerSpec::plms(2), grid)}}) {
    ASSERT_EQ(custom.steps(), built_in.steps());
    EXPECT_EQ(custom.history(), built_in.history());
    EXPECT_EQ(custom.form(), built_in.form());
    EXPECT_FALSE(custom.has_velocity());
    for (std::size_t n = 0; n < custom.steps(); ++n) {
      const StepCoefficients &a = custom.step(n), &b = built_in.step(n);
      ASSERT_EQ(a.count, b.count) << custom.name() << " step " << n;
      for (int j = 0; j < a.count; ++j) EXPECT_EQ(a.weights[j], b.weights[j]) << custom.name() << " step " << n;
      EXPECT_EQ(a.velocity_first, b.velocity_first);
      EXPECT_EQ(a.update_velocity, b.update_velocity);
      EXPECT_EQ(a.position_scale, b.position_scale);
      EXPECT_EQ(a.step, b.step);
      EXPECT_EQ(a.combination_weight, b.combination_weight);
    }
  }
}

// Ancestral DDIM (Song et al. 2021, eq. 16, in x_bar): eta = 0 is DDIM; eta = 1 is Euler ancestral,
// whose sigma_up = sqrt(to^2 (from^2 - to^2) / from^2) is the noise and sigma_down = sqrt(to^2 - sigma_up^2)
// the end of the deterministic step (diffusers' EulerAncestralDiscreteScheduler).
TEST(DiffusionMethod, AncestralDdimCoefficients) {
  const SigmaGrid grid = DiscreteVpSchedule::scaled_linear().timestep_grid(10, FinalSigma::zero);
  const SamplerPlan deterministic(ancestral_ddim(0), grid), ddim(SamplerSpec::ddim(), grid);
  const SamplerPlan ancestral(ancestral_ddim(1), grid), half(ancestral_ddim(0.5), grid);
  for (std::size_t n = 0; n < grid.steps(); ++n) {
    EXPECT_EQ(deterministic.step(n).step, ddim.step(n).step);
    EXPECT_EQ(deterministic.step(n).noise, 0);
    EXPECT_EQ(ddim.step(n).noise, 0);
    const double from = grid.sigma_bar(n), to = grid.sigma_bar(n + 1);
    const double up = std::sqrt(to * to * (from * from - to * to) / (from * from)), down = std::sqrt(to * to - up * up);
    EXPECT_NEAR(ancestral.step(n).noise, up, 1e-14 * from);
    EXPECT_NEAR(ancestral.step(n).step, down - from, 1e-14 * from);
    // any eta keeps the marginal variance: (from + step)^2 + noise^2 = to^2 around the data's mean
    const StepCoefficients& c = half.step(n);
    EXPECT_NEAR(std::pow(from + c.step, 2) + c.noise * c.noise, to * to, 1e-13 * from * from);
    EXPECT_NEAR(c.noise, 0.5 * up, 1e-14 * from);
  }
  EXPECT_EQ(ancestral.step(grid.steps() - 1).noise, 0);  // the step to sigma_bar = 0 adds none
  EXPECT_THROW(ancestral_ddim(1.5), error);
  EXPECT_THROW(ancestral_ddim(-0.1), error);
  EXPECT_THROW(ancestral_ddim(NAN), error);
}

// SDE-DPM-Solver++ (diffusers' sde-dpmsolver++, midpoint): the deterministic 2M's weights and orders,
// with x_bar scaled by r^2 = e^-2h, the step 1 - r^2 and noise sigma_bar_{n+1} sqrt(1 - r^2); around a
// point mass (x0 fixed) the variance sigma_bar^2 is kept exactly: r^4 from^2 + noise^2 = to^2.
TEST(DiffusionMethod, SdeDpmSolverPlusPlusCoefficients) {
  for (std::size_t steps : {8, 20}) {
    const SigmaGrid grid = DiscreteVpSchedule::scaled_linear().timestep_grid(steps);
    const SamplerPlan sde(sde_dpm_solver_pp(2), grid), ode(SamplerSpec::dpm_solver_pp(2), grid);
    EXPECT_EQ(sde.name(), "sde-dpm++2m");
    for (std::size_t n = 0; n < grid.steps(); ++n) {
      const double from = grid.sigma_bar(n), to = grid.sigma_bar(n + 1), r = to / from;
      const StepCoefficients &c = sde.step(n), &o = ode.step(n);
      ASSERT_EQ(c.count, o.count) << n;
      for (int j = 0; j < c.count; ++j) EXPECT_EQ(c.weights[j], o.weights[j]) << n;
      EXPECT_DOUBLE_EQ(c.position_scale, r * r);
      EXPECT_DOUBLE_EQ(c.step, 1 - r * r);
      EXPECT_NEAR(std::pow(c.position_scale * from, 2) + c.noise * c.noise, to * to, 1e-13 * from * from) << n;
    }
  }
  const SigmaGrid to_zero = DiscreteVpSchedule::scaled_linear().timestep_grid(6, FinalSigma::zero);
  const StepCoefficients last = SamplerPlan(sde_dpm_solver_pp(2), to_zero).step(5);
  EXPECT_EQ(last.count, 1);  // x_bar = x0 at sigma_bar = 0, no noise
  EXPECT_EQ(last.position_scale, 0);
  EXPECT_EQ(last.noise, 0);
  EXPECT_EQ(SamplerPlan(sde_dpm_solver_pp(1), to_zero).name(), "sde-dpm++1");
  EXPECT_THROW(sde_dpm_solver_pp(3), error);
  EXPECT_THROW(sde_dpm_solver_pp(0), error);
}

TEST(DiffusionMethod, CustomRulesAreChecked) {
  const SigmaGrid grid = uniform_grid(5, 1, 0.1, Scaling::variance_exploding);
  const auto message = [&](const CustomSampler& sampler) -> std::string {
    try {
      SamplerPlan plan(sampler, grid);
    } catch (const error& e) {
      return e.what();
    }
    return "accepted";
  };
  const auto rule = [](std::vector<double> weights) {
    return [weights](std::size_t, const SigmaGrid&) { return combination_step(weights, 1, -0.1); };
  };
  EXPECT_EQ(message({"ok", Prediction::noise, 2, false, rule({1.5, -0.5})}), "accepted");
  EXPECT_NE(message({"negative noise", Prediction::noise, 1, false,
                     [](std::size_t, const SigmaGrid&) {
                       StepCoefficients c = combination_step({1.0}, 1, -0.1);
                       c.noise = -0.2;
                       return c;
                     }})
                .find("negative noise: step 0 has noise = -0.2"),
            std::string::npos);
  EXPECT_NE(message({"m", Prediction::noise, 2, false, rule({1.5, -0.4})}).find("m: the weights of step 0 sum to 1.1"),
            std::string::npos);
  EXPECT_NE(message({"m", Prediction::noise, 1, false, rule({1.5, -0.5})}).find("step 0 combines 2 history entries, the plan has 1"),
            std::string::npos);
  EXPECT_NE(message({"m", Prediction::noise, 2, false, rule({NAN, 1})}).find("step 0 weight 0 = nan"), std::string::npos);
  EXPECT_NE(message({"m", Prediction::noise, 0, false, rule({1})}).find("history = 0 is outside [1, 5]"), std::string::npos);
  EXPECT_NE(message({"m", Prediction::velocity, 1, false, rule({1})}).find("not v"), std::string::npos);
  EXPECT_NE(message({"m", Prediction::noise, 1, false, nullptr}).find("m: no rule"), std::string::npos);
  const CustomSampler undeclared_velocity{"m", Prediction::noise, 1, false, [](std::size_t, const SigmaGrid&) {
                                            StepCoefficients c = combination_step({1.0}, 1, -0.1);
                                            c.update_velocity = true, c.keep = 0.2, c.mix = 0.8;
                                            return c;
                                          }};
  EXPECT_NE(message(undeclared_velocity).find("updates a velocity the sampler was not declared with"), std::string::npos);
  const auto direct = [](int count, double first, bool velocity_first) {
    return [=](std::size_t, const SigmaGrid&) {
      StepCoefficients c = combination_step({1.0}, 1, -0.1);
      c.direct_count = count, c.direct_weights[0] = first, c.direct_weights[1] = 0.5, c.velocity_first = velocity_first;
      return c;
    };
  };
  EXPECT_EQ(message({"m", Prediction::noise, 2, false, direct(2, -0.5, false)}), "accepted");
  EXPECT_NE(message({"m", Prediction::noise, 1, false, direct(2, -0.5, false)}).find("adds 2 history entries directly, the plan has 1"),
            std::string::npos);
  EXPECT_NE(message({"m", Prediction::noise, 2, false, direct(2, INFINITY, false)}).find("step 0 direct weight 0 = inf"),
            std::string::npos);
  EXPECT_NE(message({"m", Prediction::noise, 2, false, direct(1, -0.5, true)}).find("velocity-first"), std::string::npos);
  EXPECT_THROW(combination_step({}, 1, 1), error);
}

}  // namespace
}  // namespace qmcsim::diffusion
