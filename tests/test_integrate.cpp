// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/sde/integrate.hpp: adaptive stepping with rejections converges strongly to the
// exact GBM solution on the tree's path, every allowed adaptive pairing keeps a stiff
// Ornstein-Uhlenbeck process on its exact law, Euler-Maruyama is refused under an adaptive controller,
// save times, back-end independence and bad input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "qmcsim/sde/integrate.hpp"
#include "sde_models.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Exec = Kokkos::DefaultExecutionSpace;
const GeometricBrownianMotion<1> gbm{0.5, 1.0};

// Every adaptive pairing converges to the exact solution of its own calculus on the tree's path: the
// RMS relative error |X - X_exact| / X_exact falls by more than `fall` per tenfold tolerance
// (Euler-Maruyama with the Milstein correction as its estimate stayed at 0.24) and ends below
// `final_error_over_rtol` x 1e-4. Relative, because X_exact = exp(W) spans orders of magnitude over
// the paths: the RMS absolute error of 1024 paths is one path's (SPaRK at rtol 1e-3: 0.39, of which
// 0.38 from the one path whose error is 12), and moved 2x with rounding-level changes of the tree's values.
template <class Solver>
void expect_adaptive_convergence(double fall, double final_error_over_rtol) {
  const GeometricBrownianMotion<1, Solver::calculus> sde{0.5, 1.0};
  const std::size_t paths = 1024;
  const VirtualBrownianTree<Solver::levy_area> tree(0.0, 1.0, 1, 12);
  Kokkos::View<double* [2], Kokkos::HostSpace> whole("whole", 1);
  whole(0, 1) = 1.0;
  const auto W = test::to_host(brownian_increments<Exec>(tree, paths, whole).W);
  SolveOptions options;
  options.paths = paths;
  const Solver solver;
  double previous_error = INFINITY;
  for (double rtol : {1e-2, 1e-3, 1e-4}) {
    const PidController pid(rtol, rtol, solver.strong_order + 0.5);
    const auto solution = solve_sde<Exec>(solver, sde, tree, State<1>{1.0}, {1.0}, pid, options);
    const auto x = test::to_host(solution.states);
    const auto statistics = test::to_host(solution.statistics);
    double sum = 0;
    std::int64_t accepted = 0, rejected = 0;
    for (std::size_t p = 0; p < paths; ++p) {
      ASSERT_TRUE(statistics(p).completed);
      const double exact = sde.exact(1.0, 1.0, W(p, 0, 0));
      sum += std::pow((x(p, 0, 0) - exact) / exact, 2);
      accepted += statistics(p).accepted, rejected += statistics(p).rejected;
    }
    const double error = std::sqrt(sum / paths);
    EXPECT_GT(rejected, 0) << solver.name;
    EXPECT_LT(error, previous_error / fall) << solver.name << ", rtol = " << rtol;
    std::printf("%s, rtol %g: RMS relative error %.3e, %.1f steps and %.1f rejections per path\n", solver.name, rtol,
                error, static_cast<double>(accepted) / paths, static_cast<double>(rejected) / paths);
    previous_error = error;
  }
  EXPECT_LT(previous_error, final_error_over_rtol * 1e-4) << solver.name;
}

TEST(Integrate, AdaptiveStepsConvergeToTheExactSolution) {
  // Measured with tree seeds 12 and 13 (falls per decade; final error / rtol): Milstein 11.0, 9.2
  // and 9.1, 10.3; 1.2 and 1.3. Stratonovich Milstein 8.8, 8.9 and 8.4, 9.5; 2.3 and 2.4. Heun 9.9,
  // 10.2 and 10.3, 9.9; 0.42 and 0.47. SPaRK 2.1, 4.1 and 4.4, 3.6; 59 and 44: its embedded pair
  // (SPaRK against a trapezoidal rule on the same stages) is small on this multiplicative noise, so it
  // takes 10 to 30 times fewer steps than the others at the same tolerance (113 against 3400-3700 per
  // path at 1e-4) and is as accurate per step (2.8e-3 with 2424 steps at rtol 1e-6, Heun 1.1e-3 with
  // 3388, absolute errors).
  expect_adaptive_convergence<Milstein>(4, 4);
  expect_adaptive_convergence<StratonovichMilstein>(4, 8);
  expect_adaptive_convergence<StratonovichHeun>(4, 2);
  expect_adaptive_convergence<SPaRK>(1.5, 150);
}

// With additive noise the Milstein correction is 0; an estimate made of it alone accepted every step
// and grew it tenfold (theta = 50: x = 107.7 after three steps). Every adaptive solver must follow the
// exact law of X_1: mean ~ 0, variance 1/100 (discretization bias below 5 % at these tolerances).
template <class Solver, LevyArea Levy = Solver::levy_area>
void expect_stiff_ou_law() {
  const OrnsteinUhlenbeck ou{50.0, 0.0, 1.0};  // X_1 ~ N(0, (1 - e^-100) / 100)
  const VirtualBrownianTree<Levy> tree(0.0, 1.0, 1, 21);
  SolveOptions options;
  options.paths = 2048;
  const Solver solver;
  const PidController pid(2e-3, 2e-3, solver.strong_order + 0.5);
  const auto solution = solve_sde<Exec>(solver, ou, tree, State<1>{1.0}, {1.0}, pid, options);
  const auto x = test::to_host(solution.states);
  const auto statistics = test::to_host(solution.statistics);
  std::vector<double> values;
  for (std::size_t p = 0; p < options.paths; ++p) {
    ASSERT_TRUE(statistics(p).completed);
    ASSERT_LT(std::abs(x(p, 0, 0)), 1.0) << solver.name << " path " << p;
    values.push_back(x(p, 0, 0));
  }
  const auto stats = test::sample_stats(values);
  EXPECT_LT(std::abs(stats.mean - ou.mean_at(1.0, 1.0)), 6.2 * stats.standard_error()) << solver.name;
  EXPECT_NEAR(stats.variance / ou.variance_at(1.0), 1.0, 0.05 + 6.2 * std::sqrt(2.0 / values.size())) << solver.name;
  std::printf("%s: variance of X_1 %.4f (exact 0.01), mean %.2e\n", solver.name, stats.variance, stats.mean);
}

TEST(Integrate, AdaptiveSolversKeepAStiffOrnsteinUhlenbeckOnItsLaw) {
  expect_stiff_ou_law<Milstein>();
  expect_stiff_ou_law<ShARK>();
  expect_stiff_ou_law<SRA1>();
  expect_stiff_ou_law<SPaRK>();
  expect_stiff_ou_law<StratonovichHeun>();
}

TEST(Integrate, EulerMaruyamaIsRefusedUnderAnAdaptiveController) {
  const VirtualBrownianTree<LevyArea::none> tree(0.0, 1.0, 1, 12);
  SolveOptions options;
  options.paths = 4;
  const PidController pid(1e-3, 1e-3, 1.0);
  try {
    solve_sde<Exec>(EulerMaruyama(), gbm, tree, State<1>{1.0}, {1.0}, pid, options);
    ADD_FAILURE() << "Euler-Maruyama with a PID controller was accepted";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("euler-maruyama has no local error estimate"), std::string::npos) << e.what();
  }
  // constant steps remain available
  EXPECT_NO_THROW(solve_sde<Exec>(EulerMaruyama(), gbm, tree, State<1>{1.0}, {1.0}, ConstantSteps(0.1), options));
  // SEA, the one-stage additive method, has no embedded pair either
  const VirtualBrownianTree<LevyArea::space_time> tree_h(0.0, 1.0, 1, 12);
  EXPECT_THROW(solve_sde<Exec>(SEA(), OrnsteinUhlenbeck{1.0, 0.0, 1.0}, tree_h, State<1>{1.0}, {1.0}, pid, options), error);
}

TEST(Integrate, SaveTimesAreExactStopsAndBackEndsAgree) {
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 2.0, 1, 13);
  SolveOptions options;
  options.paths = 64;
  const PidController pid(1e-3, 1e-3, 1.5);
  const auto both = test::to_host(solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {0.7, 2.0}, pid, options).states);
  const auto serial = test::to_host(solve_sde<Kokkos::Serial>(Milstein(), gbm, tree, State<1>{1.0}, {0.7, 2.0}, pid, options).states);
  const auto first = test::to_host(solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {0.7}, pid, options).states);
  // On a GPU the back ends agree to the solve's accuracy, not bitwise: a Brownian path turns a 1-ulp
  // change of a step's end into a change of order sqrt(ulp) in its increment, which can flip an
  // accept/reject decision (seen on the H200: relative differences up to 8e-4 at tolerances 1e-3).
  for (std::size_t p = 0; p < 64; ++p) {
    EXPECT_EQ(both(p, 0, 0), first(p, 0, 0));
    EXPECT_TRUE(test::agrees_across_back_ends(both(p, 1, 0), serial(p, 1, 0), 1e-2 * (1 + std::abs(serial(p, 1, 0)))));
  }
}

// Constant steps take exactly the steps their size says: ten steps of 0.1 add up to 0.9999999999999999,
// which once left an eleventh step of 1.1e-16 (and its Brownian increment of 1e-8); steps of 1/3
// towards save times 0.3, 0.7, 1 take 1 + 2 + 1.
// On a caller's instance, adaptive and constant steps: the default instance's states and statistics
// bit for bit, the save times passed as a temporary that is gone when the call returns.
TEST(Integrate, SolvesOnACallersInstance) {
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 2.0, 1, 13);
  SolveOptions options;
  options.paths = 64;
  const PidController pid(1e-3, 1e-3, 1.5);
  const auto same = [](const auto& a, const auto& b) {
    const auto x = test::to_host(a), y = test::to_host(b);
    return x.size() == y.size() && std::equal(x.data(), x.data() + x.size(), y.data(), [](const auto& u, const auto& v) {
             return std::memcmp(&u, &v, sizeof u) == 0;
           });
  };
  const test::UserInstance user;
  const auto adaptive = solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {0.7, 2.0}, pid, options);
  const auto adaptive_on = solve_sde(user.space(), Milstein(), gbm, tree, State<1>{1.0}, std::vector<double>{0.7, 2.0}, pid, options);
  const auto constant = solve_sde<Exec>(EulerMaruyama(), gbm, tree, State<1>{1.0}, {0.5, 1.25}, ConstantSteps(0.01), options);
  const auto constant_on =
      solve_sde(user.space(), EulerMaruyama(), gbm, tree, State<1>{1.0}, std::vector<double>{0.5, 1.25}, ConstantSteps(0.01), options);
  user.space().fence();
  EXPECT_TRUE(same(adaptive.states, adaptive_on.states));
  EXPECT_TRUE(same(adaptive.statistics, adaptive_on.statistics));
  EXPECT_TRUE(same(constant.states, constant_on.states));
}

TEST(Integrate, ConstantStepsTakeNoStepsOfRoundingSize) {
  const VirtualBrownianTree<LevyArea::none> tree(0.0, 1.0, 1, 15);
  SolveOptions options;
  options.paths = 2;
  const auto count = [&](double dt, const std::vector<double>& save_times) {
    const auto statistics = test::to_host(
        solve_sde<Exec>(EulerMaruyama(), gbm, tree, State<1>{1.0}, save_times, ConstantSteps(dt), options).statistics);
    return statistics(0).accepted;
  };
  EXPECT_EQ(count(0.1, {1.0}), 10);
  EXPECT_EQ(count(0.01, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0}), 100);
  EXPECT_EQ(count(1e-4, {1.0}), 10000);
  EXPECT_EQ(count(1.0 / 3, {0.3, 0.7, 1.0}), 4);
  EXPECT_EQ(count(0.25, {1.0}), 4);
}

TEST(Integrate, TooManyStepsIsReportedNotHidden) {
  const VirtualBrownianTree<LevyArea::none> tree(0.0, 1.0, 1, 14);
  SolveOptions options;
  options.paths = 4;
  options.max_steps = 10;
  const auto solution = solve_sde<Exec>(EulerMaruyama(), gbm, tree, State<1>{1.0}, {1.0}, ConstantSteps(0.01), options);
  const auto x = test::to_host(solution.states);
  const auto statistics = test::to_host(solution.statistics);
  for (std::size_t p = 0; p < 4; ++p) {
    EXPECT_FALSE(statistics(p).completed);
    EXPECT_TRUE(std::isnan(x(p, 0, 0)));
  }
}

TEST(Integrate, BadInputIsRejected) {
  const VirtualBrownianTree<LevyArea::none> tree(0.0, 1.0, 1, 14);
  const ConstantSteps steps(0.1);
  const SolveOptions options;
  EXPECT_THROW(solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {}, steps, options), error);
  EXPECT_THROW(solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {0.5, 0.4}, steps, options), error);
  EXPECT_THROW(solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {1.5}, steps, options), error);
  EXPECT_THROW(solve_sde<Exec>(Milstein(), gbm, tree, State<1>{NAN}, {1.0}, steps, options), error);
}

}  // namespace
}  // namespace qmcsim
