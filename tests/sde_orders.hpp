// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// The strong-order fits of the solver tests: the slope of log RMS error against log step, on GBM
// (exact on the tree's own path) or on a nonlinear OU process against a fine-step solution of the
// same path.

#include <cmath>
#include <cstdio>
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

/// The fitted strong order on two independent GBM components, in the calculus the solver solves.
template <class Solver, LevyArea Levy = Solver::levy_area>
double gbm_order() {
  const GeometricBrownianMotion<2, Solver::calculus> gbm{0.5, 0.8};
  const VirtualBrownianTree<Levy> tree(0.0, 1.0, 2, 31);
  Kokkos::View<double* [2], Kokkos::HostSpace> whole("whole", 1);
  whole(0, 1) = 1.0;
  const auto W = to_host(brownian_increments<Kokkos::DefaultExecutionSpace>(tree, order_paths, whole).W);
  std::vector<double> log_h, log_error;
  for (int steps = 8; steps <= 256; steps *= 2) {
    const auto x = terminal<Solver>(gbm, tree, 1.0, steps);
    double sum = 0;
    for (std::size_t p = 0; p < order_paths; ++p)
      for (int i = 0; i < 2; ++i) sum += std::pow(x(p, 0, i) - gbm.exact(1.0, 1.0, W(p, 0, i)), 2);
    log_h.push_back(std::log(1.0 / steps));
    log_error.push_back(0.5 * std::log(sum / (2 * order_paths)));
  }
  return fitted_slope(log_h, log_error);
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

}  // namespace qmcsim::test
