// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Virtual Brownian tree: (W, H) queries per second, tolerance 1e-6 of [0, 1] (20 levels), P paths x
// 16 query intervals in one kernel (P = 2^16 on the CPU; pass --benchmark_filter with /1000000 on a
// GPU for the 10^6 paths). The reference is one normal draw per output (Philox + Box-Muller),
// so `time_ratio` = tree query / iid normal draw: the price of exactness and single-seed consistency.
// The tree holds no state beyond its parameters (`tree_bytes`), whatever the number of queries.

#include <Kokkos_Core.hpp>

#include "qmcsim/brownian/virtual_brownian_tree.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;
using Tree = qmcsim::VirtualBrownianTree<qmcsim::LevyArea::space_time>;
constexpr std::size_t queries = 16;

Kokkos::View<double* [2], Kokkos::HostSpace> query_intervals() {
  Kokkos::View<double* [2], Kokkos::HostSpace> intervals("intervals", queries);
  for (std::size_t i = 0; i < queries; ++i) intervals(i, 0) = (i + 0.3) / queries, intervals(i, 1) = (i + 0.9) / queries;
  return intervals;
}

void query_once(const Tree& tree, std::size_t paths, const Kokkos::View<double* [2], Kokkos::HostSpace>& intervals) {
  const auto x = qmcsim::brownian_increments<Exec>(tree, paths, intervals);
  Exec().fence();
  benchmark::DoNotOptimize(x.W.data());
}

void iid_normals_once(const Kokkos::View<double**, Exec::memory_space>& out) {
  const std::size_t columns = out.extent(1);
  Kokkos::parallel_for(
      "qmcsim::bench::iid_normals", Kokkos::RangePolicy<Exec>(0, out.extent(0) * columns), KOKKOS_LAMBDA(std::size_t k) {
        const auto z = qmcsim::normal_pair<double>(qmcsim::philox(7, k, 0, qmcsim::Stream::monte_carlo));
        out(k / columns, k % columns) = z.first;
      });
  Exec().fence();
}

void BM_TreeQueries(benchmark::State& state) {
  const auto paths = static_cast<std::size_t>(state.range(0));
  const Tree tree(0.0, 1.0, 1, 42);
  const auto intervals = query_intervals();
  for (auto _ : state) query_once(tree, paths, intervals);
  state.counters["queries_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * paths * queries), benchmark::Counter::kIsRate);
  state.counters["depth"] = tree.depth();
  state.counters["tree_bytes"] = sizeof(Tree);
}

// A fixed-step solver's queries: `steps` consecutive steps over [0, 1], all components of P = 2^16
// paths. With 64 steps every end point lies on the tree's dyadic grid and descents stop at level 6;
// with 100 steps (h = 0.01) they run to the levels where their double times are boundaries (53 to 59).
void BM_TreeSequentialSteps(benchmark::State& state) {
  const auto paths = static_cast<std::size_t>(state.range(0));
  const auto steps = static_cast<std::size_t>(state.range(1));
  const Tree tree(0.0, 1.0, 1, 42);
  const auto intervals = qmcsim::bench::consecutive_steps(steps);
  for (auto _ : state) query_once(tree, paths, intervals);
  state.counters["queries_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * paths * steps), benchmark::Counter::kIsRate);
}

// The same steps queried one by one from the root (tree.increment per step, what brownian_increments
// did before cursors) and through one cursor per path (BrownianCursor, as brownian_increments and the
// SDE solvers query now), timed alternately: time_ratio = cursor / independent queries. Equal values.
void BM_CursorOverIndependentQueries(benchmark::State& state) {
  const auto paths = static_cast<std::size_t>(state.range(0));
  const auto steps = static_cast<std::size_t>(state.range(1));
  const Tree tree(0.0, 1.0, 1, 42);
  Kokkos::View<double**, Exec::memory_space> W("W", paths, steps);
  const double h = 1.0 / static_cast<double>(steps);
  qmcsim::bench::paired_ratio(
      state,
      [&] {
        Kokkos::parallel_for(
            "qmcsim::bench::cursor_steps", Kokkos::RangePolicy<Exec>(0, paths), KOKKOS_LAMBDA(std::size_t p) {
              qmcsim::BrownianCursor<qmcsim::LevyArea::space_time> cursor(tree, static_cast<std::uint32_t>(p), 0);
              for (std::size_t k = 0; k < W.extent(1); ++k) W(p, k) = cursor.increment(k * h, (k + 1) * h).W;
            });
        Exec().fence();
      },
      [&] {
        Kokkos::parallel_for(
            "qmcsim::bench::independent_steps", Kokkos::RangePolicy<Exec>(0, paths), KOKKOS_LAMBDA(std::size_t p) {
              for (std::size_t k = 0; k < W.extent(1); ++k)
                W(p, k) = tree.increment(static_cast<std::uint32_t>(p), 0, k * h, (k + 1) * h).W;
            });
        Exec().fence();
      });
}

// Tree queries and as many iid normal draws, timed alternately: time_ratio = tree / iid.
void BM_TreeOverIidNormals(benchmark::State& state) {
  const auto paths = static_cast<std::size_t>(state.range(0));
  const Tree tree(0.0, 1.0, 1, 42);
  const auto intervals = query_intervals();
  Kokkos::View<double**, Exec::memory_space> normals("normals", paths, 2 * queries);
  qmcsim::bench::paired_ratio(state, [&] { query_once(tree, paths, intervals); }, [&] { iid_normals_once(normals); });
}

}  // namespace

BENCHMARK(BM_TreeQueries)->Arg(1 << 16)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TreeSequentialSteps)->Args({1 << 16, 64})->Args({1 << 16, 100})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CursorOverIndependentQueries)->Args({1 << 14, 100})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TreeOverIidNormals)->Arg(1 << 16)->Unit(benchmark::kMillisecond)->UseRealTime();
