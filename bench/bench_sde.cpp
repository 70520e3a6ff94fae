// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// SDE solves on the Brownian tree: geometric Brownian motion by Milstein, P = 2^14 paths, 100
// constant steps of 0.01 over [0, 1] (off the tree's dyadic grid, as arbitrary steps are), one save
// time. The solve's own limit is its noise: BM_SolveSdeOverItsNoise times solve_sde against
// brownian_increments of the same steps and paths (one cursor per path, as the solver's), alternately:
// time_ratio = solve / noise, the solver's cost beyond the tree. BM_BatchSolveOverPerPath times
// solve_sde_batch, the SDE given as C++ callables on the whole batch (BatchSde, as Python's
// CallableSde), against solve_sde on the same paths: time_ratio = batch / per-path kernel (host
// back ends only: the batch engine steps on the host).

#include <Kokkos_Core.hpp>

#include "qmcsim/sde/batch.hpp"
#include "qmcsim/sde/integrate.hpp"
#include "qmcsim/sde/models.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;
using Tree = qmcsim::VirtualBrownianTree<qmcsim::LevyArea::none>;
constexpr double mu = 0.05, sigma = 0.2;

qmcsim::SdeSolution<Exec::memory_space> solve_per_path(const Tree& tree, std::size_t paths, std::size_t steps) {
  qmcsim::SolveOptions options;
  options.paths = paths;
  auto solution = qmcsim::solve_sde<Exec>(qmcsim::Milstein(), qmcsim::GeometricBrownianMotion<1>{mu, sigma}, tree,
                                          qmcsim::State<1>{1.0}, {1.0}, qmcsim::ConstantSteps(1.0 / steps), options);
  Exec().fence();
  return solution;
}

void BM_SolveSdeOverItsNoise(benchmark::State& state) {
  const auto paths = static_cast<std::size_t>(state.range(0));
  const auto steps = static_cast<std::size_t>(state.range(1));
  const Tree tree(0.0, 1.0, 1, 42);
  const auto intervals = qmcsim::bench::consecutive_steps(steps);
  qmcsim::bench::paired_ratio(
      state, [&] { benchmark::DoNotOptimize(solve_per_path(tree, paths, steps).states.data()); },
      [&] {
        const auto noise = qmcsim::brownian_increments<Exec>(tree, paths, intervals);
        Exec().fence();
        benchmark::DoNotOptimize(noise.W.data());
      });
  state.counters["path_steps_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * paths * steps), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SolveSdeOverItsNoise)->Args({1 << 14, 100})->Unit(benchmark::kMillisecond)->UseRealTime();

#if !defined(KOKKOS_ENABLE_CUDA) && !defined(KOKKOS_ENABLE_HIP) && !defined(KOKKOS_ENABLE_SYCL)
void BM_BatchSolveOverPerPath(benchmark::State& state) {
  const auto paths = static_cast<std::size_t>(state.range(0));
  const auto steps = static_cast<std::size_t>(state.range(1));
  const Tree tree(0.0, 1.0, 1, 42);
  const auto scaled = [](double factor) {
    return [factor](double, const qmcsim::BatchRows& y, const qmcsim::BatchRows& out) {
      for (std::size_t p = 0; p < y.extent(0); ++p) out(p, 0) = factor * y(p, 0);
    };
  };
  const qmcsim::BatchSde sde{1, 1, true, false, qmcsim::Calculus::ito, scaled(mu), scaled(sigma),
                             [](double, const qmcsim::BatchRows& y, const qmcsim::BatchRows& out) {
                               for (std::size_t p = 0; p < y.extent(0); ++p) out(p, 0) = sigma;
                             }};
  qmcsim::BatchRows y0("y0", paths, 1);
  Kokkos::deep_copy(y0, 1.0);
  qmcsim::BatchStates states("states", paths, 1, 1);
  qmcsim::bench::paired_ratio(
      state,
      [&] {
        qmcsim::solve_sde_batch(qmcsim::Milstein(), sde, tree, y0, {1.0}, qmcsim::ConstantSteps(1.0 / steps), {}, states);
        benchmark::DoNotOptimize(states.data());
      },
      [&] { benchmark::DoNotOptimize(solve_per_path(tree, paths, steps).states.data()); });
}
BENCHMARK(BM_BatchSolveOverPerPath)->Args({1 << 14, 100})->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

}  // namespace
