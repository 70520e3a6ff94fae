// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Your own SDE on a virtual Brownian tree: geometric Brownian motion dX = mu X dt + sigma X dW (Itô),
// solved by Milstein with the adaptive PID controller on 4096 paths; rejected steps re-query the same
// Brownian path. The tree's W over [0, 1] gives the exact solution of every path, and the RMS error
// against it is printed.
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <qmcsim/sde/integrate.hpp>

struct Gbm {  // the SDE: dimension, drift f, diagonal diffusion g and dg/dy (for Milstein)
  static constexpr std::size_t dimension = 1;
  double mu, sigma;
  KOKKOS_INLINE_FUNCTION qmcsim::State<1> drift(double, const qmcsim::State<1>& y) const { return {mu * y[0]}; }
  KOKKOS_INLINE_FUNCTION qmcsim::State<1> diffusion(double, const qmcsim::State<1>& y) const { return {sigma * y[0]}; }
  KOKKOS_INLINE_FUNCTION qmcsim::State<1> diffusion_derivative(double, const qmcsim::State<1>&) const { return {sigma}; }
};

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  using namespace qmcsim;
  const Gbm gbm{0.5, 1.0};
  const VirtualBrownianTree<LevyArea::none> tree(0.0, 1.0, 1, 2024);  // [0, 1], one component, one seed
  SolveOptions options;
  options.paths = 4096;
  const PidController pid(1e-3, 1e-3, Milstein::strong_order + 0.5);
  const auto solution = solve_sde<Kokkos::DefaultExecutionSpace>(Milstein(), gbm, tree, State<1>{1.0}, {1.0}, pid, options);
  const auto x = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), solution.states);
  Kokkos::View<double* [2], Kokkos::HostSpace> whole("whole", 1);
  whole(0, 0) = 0.0, whole(0, 1) = 1.0;
  const auto W = Kokkos::create_mirror_view_and_copy(
      Kokkos::HostSpace(), brownian_increments<Kokkos::DefaultExecutionSpace>(tree, options.paths, whole).W);
  double sum = 0;
  for (std::size_t p = 0; p < options.paths; ++p) {
    const double exact = std::exp(gbm.mu - gbm.sigma * gbm.sigma / 2 + gbm.sigma * W(p, 0, 0));
    sum += (x(p, 0, 0) - exact) * (x(p, 0, 0) - exact);
  }
  const double error = std::sqrt(sum / options.paths);
  std::printf("Milstein + PID (tolerance 1e-3) on GBM, %zu paths: RMS error at T = 1 against the exact solution %.3e\n",
              options.paths, error);
  return error < 3e-2 ? 0 : 1;
}
