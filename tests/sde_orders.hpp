// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// The strong-order fits of the solver tests: the slope of log RMS error against log step, on GBM
// (exact on the tree's own path) or on a nonlinear OU process against a fine-step solution of the
// same path; and the general-noise checks (exact integration of matrix noise, moment recursions of
// non-commutative noise).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "qmcsim/sde/integrate.hpp"
#include "sde_models.hpp"
#include "support.hpp"

namespace qmcsim::test {

constexpr std::size_t order_paths = 2048;

/// The states at t1 of `order_paths` paths after `steps` constant steps from x0 in every component.
template <class Solver, class Sde, LevyArea Levy>
Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace>::host_mirror_type terminal(
    const Sde& sde, const VirtualBrownianTree<Levy>& tree, double x0, int steps) {
  SolveOptions options;
  options.paths = order_paths;
  State<Sde::dimension> y0;
  for (std::size_t i = 0; i < Sde::dimension; ++i) y0[i] = x0;
  return to_host(solve_sde<Kokkos::DefaultExecutionSpace>(Solver(), sde, tree, y0, {tree.t1()},
                                                          ConstantSteps(1.0 / steps), options)
                     .states);
}

/// The fitted slope of log RMS error against log step for 8 to 256 constant steps on [0, 1] from x0 = 1,
/// the error over paths and state components against `exact(W, p, i)`, component i's exact value at
/// t = 1 on path p given the whole interval's increments W (paths, 1, components).
template <class Solver, class Sde, LevyArea Levy, class Exact>
double order_against_exact(const Sde& sde, const VirtualBrownianTree<Levy>& tree, const Exact& exact) {
  Kokkos::View<double* [2], Kokkos::HostSpace> whole("whole", 1);
  whole(0, 1) = 1.0;
  const auto W = to_host(brownian_increments<Kokkos::DefaultExecutionSpace>(tree, order_paths, whole).W);
  std::vector<double> log_h, log_error;
  for (int steps = 8; steps <= 256; steps *= 2) {
    const auto x = terminal<Solver>(sde, tree, 1.0, steps);
    double sum = 0;
    for (std::size_t p = 0; p < order_paths; ++p)
      for (std::size_t i = 0; i < Sde::dimension; ++i) sum += std::pow(x(p, 0, i) - exact(W, p, i), 2);
    log_h.push_back(std::log(1.0 / steps));
    log_error.push_back(0.5 * std::log(sum / (Sde::dimension * order_paths)));
  }
  return fitted_slope(log_h, log_error);
}

/// The fitted strong order on two independent GBM components, in the calculus the solver solves.
template <class Solver, LevyArea Levy = Solver::levy_area>
double gbm_order() {
  const GeometricBrownianMotion<2, Solver::calculus> gbm{0.5, 0.8};
  return order_against_exact<Solver>(gbm, VirtualBrownianTree<Levy>(0.0, 1.0, 2, 31),
                                     [&](const auto& W, std::size_t p, std::size_t i) { return gbm.exact(1.0, 1.0, W(p, 0, i)); });
}

/// The fitted strong order on dX = -(X + X^3/3) dt + 2 dW against 2048 ShARK steps on the same path.
template <class Solver>
double additive_order() {
  const NonlinearOrnsteinUhlenbeck sde{1.0, 2.0};
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 1.0, 1, 32);
  const auto reference = terminal<ShARK>(sde, tree, 1.0, 1 << 11);
  std::vector<double> log_h, log_error;
  // From 16 steps: at 8, SRA1's and ShARK's drift error (order 2) still hides their order 3/2.
  for (int steps = 16; steps <= 256; steps *= 2) {
    const auto x = terminal<Solver>(sde, tree, 1.0, steps);
    double sum = 0;
    for (std::size_t p = 0; p < order_paths; ++p) sum += std::pow(x(p, 0, 0) - reference(p, 0, 0), 2);
    log_h.push_back(std::log(1.0 / steps));
    log_error.push_back(0.5 * std::log(sum / order_paths));
    std::printf("%s, %d steps: RMS error %.3e\n", Solver().name, steps, std::sqrt(sum / order_paths));
  }
  return fitted_slope(log_h, log_error);
}

/// The fitted strong order on one state driven by two Brownian components (a 1 x 2 noise matrix,
/// commutative), against the exact solution of the tree's path in the solver's calculus.
template <class Solver>
double two_noise_order() {
  const TwoNoiseGeometricBrownianMotion<Solver::calculus> sde{0.5, 0.6, 0.5};
  return order_against_exact<Solver>(sde, VirtualBrownianTree<Solver::levy_area>(0.0, 1.0, 2, 35),
                                     [&](const auto& W, std::size_t p, std::size_t) {
                                       return sde.exact(1.0, 1.0, W(p, 0, 0), W(p, 0, 1));
                                     });
}

/// dX = (B0 + t B1) dW with a 2 x 3 noise matrix: every solver is exact for constant B (B1 = 0), the
/// additive ones also for B linear in t (their time correction is the step's exact integral), so any
/// number of steps gives the whole interval's B0 W + B1 T (W/2 - H).
template <class Solver>
void expect_exact_for_matrix_noise(bool linear_in_time) {
  MatrixLinearInTimeNoise sde{{{0.7, -0.2, 1.1}, {0.3, 0.9, -0.6}}, {{-1.9, 0.4, 0.0}, {0.8, -0.5, 1.3}}};
  if (!linear_in_time)
    for (auto& row : sde.B1)
      for (double& b : row) b = 0;
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 3.0, 3, 33);
  Kokkos::View<double* [2], Kokkos::HostSpace> whole("whole", 1);
  whole(0, 1) = 3.0;
  const std::size_t paths = 64;
  const auto increments = brownian_increments<Kokkos::DefaultExecutionSpace>(tree, paths, whole);
  const auto W = to_host(increments.W), H = to_host(increments.H);
  SolveOptions options;
  options.paths = paths;
  for (int steps : {1, 7, 64}) {
    const auto x = to_host(solve_sde<Kokkos::DefaultExecutionSpace>(Solver(), sde, tree, State<2>{0.0, 0.0}, {3.0},
                                                                     ConstantSteps(3.0 / steps), options)
                               .states);
    for (std::size_t p = 0; p < paths; ++p) {
      const double w[3] = {W(p, 0, 0), W(p, 0, 1), W(p, 0, 2)}, hh[3] = {H(p, 0, 0), H(p, 0, 1), H(p, 0, 2)};
      for (std::size_t i = 0; i < 2; ++i)
        ASSERT_NEAR(x(p, 0, i), sde.exact(i, 3.0, w, hh), 1e-12) << Solver().name << ", " << steps << " steps, path " << p;
    }
  }
}

/// NoncommutativeLinearNoise from (1, 0.5) over 8 constant steps of [0, 1]: the states at t = 1 of 2^16
/// paths of a tree with this seed.
constexpr int noncommutative_steps = 8;
template <class Solver>
Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace>::host_mirror_type noncommutative_terminal(
    const NoncommutativeLinearNoise& sde, const State<2>& y0, std::uint64_t seed) {
  SolveOptions options;
  options.paths = 1 << 16;
  return to_host(solve_sde<Kokkos::DefaultExecutionSpace>(Solver(), sde, VirtualBrownianTree<Solver::levy_area>(0.0, 1.0, 2, seed),
                                                          y0, {1.0}, ConstantSteps(1.0 / noncommutative_steps), options)
                     .states);
}

/// The sample mean of f(x_p) over the paths against `exact`, within 6.2 standard errors (estimated
/// from the sample).
template <class States, class Statistic>
void expect_sample_mean(const States& x, const Statistic& f, double exact, const std::string& what) {
  const std::size_t n = x.extent(0);
  double sum = 0, square = 0;
  for (std::size_t p = 0; p < n; ++p) {
    const double v = f(p);
    sum += v, square += v * v;
  }
  const double mean = sum / n, sd = std::sqrt(square / n - mean * mean);
  EXPECT_NEAR(mean, exact, 6.2 * sd / std::sqrt(n)) << what;
}

}  // namespace qmcsim::test
