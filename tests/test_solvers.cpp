// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/sde/solvers.hpp: strong convergence orders on SDEs with known solutions. The
// fitted slope of log RMS error against log step is compared with the theoretical order.

#include <gtest/gtest.h>

#include "qmcsim/sde/integrate.hpp"
#include "sde_models.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Exec = Kokkos::DefaultExecutionSpace;
constexpr std::size_t paths = 2048;

template <class Solver, class Sde, LevyArea Levy>
Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace>::host_mirror_type terminal(
    const Sde& sde, const VirtualBrownianTree<Levy>& tree, double x0, int steps) {
  SolveOptions options;
  options.paths = paths;
  State<Sde::dimension> y0;
  for (std::size_t i = 0; i < Sde::dimension; ++i) y0[i] = x0;
  return test::to_host(
      solve_sde<Exec>(Solver(), sde, tree, y0, {tree.t1()}, ConstantSteps(1.0 / steps), options).states);
}

template <class Solver, LevyArea Levy = Solver::levy_area>
double gbm_order() {
  const test::GeometricBrownianMotion<2> gbm{0.5, 0.8};
  const VirtualBrownianTree<Levy> tree(0.0, 1.0, 2, 31);
  const auto W = test::to_host(brownian_increments<Exec>(tree, paths, [] {
                                 Kokkos::View<double* [2], Kokkos::HostSpace> i("i", 1);
                                 i(0, 0) = 0, i(0, 1) = 1;
                                 return i;
                               }()).W);
  std::vector<double> log_h, log_error;
  for (int steps = 8; steps <= 256; steps *= 2) {
    const auto x = terminal<Solver>(gbm, tree, 1.0, steps);
    double sum = 0;
    for (std::size_t p = 0; p < paths; ++p)
      for (int i = 0; i < 2; ++i) sum += std::pow(x(p, 0, i) - gbm.exact(1.0, 1.0, W(p, 0, i)), 2);
    log_h.push_back(std::log(1.0 / steps));
    log_error.push_back(0.5 * std::log(sum / (2 * paths)));
  }
  return test::fitted_slope(log_h, log_error);
}

TEST(Solvers, EulerMaruyamaHasStrongOrderOneHalfOnGbm) { EXPECT_NEAR(gbm_order<EulerMaruyama>(), 0.5, 0.1); }
TEST(Solvers, MilsteinHasStrongOrderOneOnGbm) { EXPECT_NEAR(gbm_order<Milstein>(), 1.0, 0.1); }

template <class Solver>
double additive_order() {
  const test::NonlinearOrnsteinUhlenbeck sde{1.0, 2.0};
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 1.0, 1, 32);
  const auto reference = terminal<ShARK>(sde, tree, 1.0, 1 << 12);
  std::vector<double> log_h, log_error;
  for (int steps = 8; steps <= 128; steps *= 2) {
    const auto x = terminal<Solver>(sde, tree, 1.0, steps);
    double sum = 0;
    for (std::size_t p = 0; p < paths; ++p) sum += std::pow(x(p, 0, 0) - reference(p, 0, 0), 2);
    log_h.push_back(std::log(1.0 / steps));
    log_error.push_back(0.5 * std::log(sum / paths));
  }
  return test::fitted_slope(log_h, log_error);
}

TEST(Solvers, ShARKHasStrongOrderThreeHalvesForAdditiveNoise) { EXPECT_NEAR(additive_order<ShARK>(), 1.5, 0.2); }
TEST(Solvers, EulerMaruyamaHasStrongOrderOneForAdditiveNoise) { EXPECT_NEAR(additive_order<EulerMaruyama>(), 1.0, 0.15); }

TEST(Solvers, OneEulerStepIsTheFormula) {
  const test::GeometricBrownianMotion<1> gbm{0.3, 0.5};
  NoiseIncrement<1> dw;
  dw.W[0] = 0.2;
  const auto em = EulerMaruyama().step(gbm, 0.0, 0.1, State<1>{2.0}, dw);
  const auto milstein = Milstein().step(gbm, 0.0, 0.1, State<1>{2.0}, dw);
  EXPECT_DOUBLE_EQ(em.y[0], 2.0 + 0.3 * 2.0 * 0.1 + 0.5 * 2.0 * 0.2);
  EXPECT_DOUBLE_EQ(milstein.y[0], em.y[0] + 0.5 * (0.5 * 2.0) * 0.5 * (0.04 - 0.1));
  // Milstein's error estimate: its correction plus the drift's trapezoidal correction (h/2)(f(y') - f(y))
  EXPECT_DOUBLE_EQ(milstein.error[0], 0.5 * (0.5 * 2.0) * 0.5 * (0.04 - 0.1) + 0.05 * (0.3 * milstein.y[0] - 0.3 * 2.0));
  EXPECT_FALSE(EulerMaruyama::has_error_estimate);
}

}  // namespace
}  // namespace qmcsim
