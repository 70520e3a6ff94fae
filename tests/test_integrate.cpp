// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/sde/integrate.hpp: adaptive stepping with rejections converges strongly to the
// exact GBM solution on the tree's path, every allowed adaptive pairing keeps a stiff
// Ornstein-Uhlenbeck process on its exact law, Euler-Maruyama is refused under an adaptive controller,
// save times, back-end independence and bad input.

#include <gtest/gtest.h>

#include "qmcsim/sde/integrate.hpp"
#include "sde_models.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Exec = Kokkos::DefaultExecutionSpace;
const test::GeometricBrownianMotion<1> gbm{0.5, 1.0};

TEST(Integrate, AdaptiveMilsteinConvergesToTheExactSolution) {
  const std::size_t paths = 1024;
  const VirtualBrownianTree<LevyArea::none> tree(0.0, 1.0, 1, 12);
  Kokkos::View<double* [2], Kokkos::HostSpace> whole("whole", 1);
  whole(0, 1) = 1.0;
  const auto W = test::to_host(brownian_increments<Exec>(tree, paths, whole).W);
  SolveOptions options;
  options.paths = paths;
  double previous_error = INFINITY;
  for (double rtol : {1e-2, 1e-3, 1e-4}) {
    const PidController pid(rtol, rtol, Milstein::strong_order + 0.5);
    const auto solution = solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {1.0}, pid, options);
    const auto x = test::to_host(solution.states);
    const auto statistics = test::to_host(solution.statistics);
    double sum = 0;
    std::int64_t rejected = 0;
    for (std::size_t p = 0; p < paths; ++p) {
      ASSERT_TRUE(statistics(p).completed);
      sum += std::pow(x(p, 0, 0) - gbm.exact(1.0, 1.0, W(p, 0, 0)), 2);
      rejected += statistics(p).rejected;
    }
    const double error = std::sqrt(sum / paths);
    EXPECT_GT(rejected, 0);
    EXPECT_LT(error, previous_error / 4) << "rtol = " << rtol;  // Milstein: error ~ rtol
    std::printf("rtol %g: RMS error %.3e, %lld rejections\n", rtol, error, static_cast<long long>(rejected));
    previous_error = error;
  }
  EXPECT_LT(previous_error, 30 * 1e-4);  // at rtol = 1e-4 (measured: about 11 rtol)
}

/// dX = -theta X dt + sigma dW: X_T ~ N(x0 e^{-theta T}, sigma^2 (1 - e^{-2 theta T}) / (2 theta)).
struct OrnsteinUhlenbeck {
  static constexpr std::size_t dimension = 1;
  double theta, sigma;
  KOKKOS_INLINE_FUNCTION State<1> drift(double, const State<1>& y) const { return {-theta * y[0]}; }
  KOKKOS_INLINE_FUNCTION State<1> diffusion(double, const State<1>&) const { return {sigma}; }
  KOKKOS_INLINE_FUNCTION State<1> diffusion_derivative(double, const State<1>&) const { return {0.0}; }
};

// With additive noise the Milstein correction is 0; an estimate made of it alone accepted every step
// and grew it tenfold (theta = 50: x = 107.7 after three steps). Both adaptive solvers must follow the
// exact law of X_1: mean ~ 0, variance 1/100 (discretization bias below 5 % at these tolerances).
template <class Solver, LevyArea Levy>
void expect_stiff_ou_law() {
  const OrnsteinUhlenbeck ou{50.0, 1.0};
  const VirtualBrownianTree<Levy> tree(0.0, 1.0, 1, 21);
  SolveOptions options;
  options.paths = 2048;
  const PidController pid(2e-3, 2e-3, Solver::strong_order + 0.5);
  const auto solution = solve_sde<Exec>(Solver(), ou, tree, State<1>{1.0}, {1.0}, pid, options);
  const auto x = test::to_host(solution.states);
  const auto statistics = test::to_host(solution.statistics);
  std::vector<double> values;
  for (std::size_t p = 0; p < options.paths; ++p) {
    ASSERT_TRUE(statistics(p).completed);
    ASSERT_LT(std::abs(x(p, 0, 0)), 1.0) << Solver::name << " path " << p;
    values.push_back(x(p, 0, 0));
  }
  const auto stats = test::sample_stats(values);
  EXPECT_LT(std::abs(stats.mean), 6.2 * stats.standard_error()) << Solver::name;
  EXPECT_NEAR(stats.variance / 0.01, 1.0, 0.05 + 6.2 * std::sqrt(2.0 / values.size())) << Solver::name;
  std::printf("%s: variance of X_1 %.4f (exact 0.01), mean %.2e\n", Solver::name, stats.variance, stats.mean);
}

TEST(Integrate, AdaptiveSolversKeepAStiffOrnsteinUhlenbeckOnItsLaw) {
  expect_stiff_ou_law<Milstein, LevyArea::none>();
  expect_stiff_ou_law<ShARK, LevyArea::space_time>();
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
}

TEST(Integrate, SaveTimesAreExactStopsAndBackEndsAgree) {
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 2.0, 1, 13);
  SolveOptions options;
  options.paths = 64;
  const PidController pid(1e-3, 1e-3, 1.5);
  const auto both = test::to_host(solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {0.7, 2.0}, pid, options).states);
  const auto serial = test::to_host(solve_sde<Kokkos::Serial>(Milstein(), gbm, tree, State<1>{1.0}, {0.7, 2.0}, pid, options).states);
  const auto first = test::to_host(solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {0.7}, pid, options).states);
  for (std::size_t p = 0; p < 64; ++p) {
    EXPECT_EQ(both(p, 0, 0), first(p, 0, 0));
    EXPECT_EQ(both(p, 1, 0), serial(p, 1, 0));
  }
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
