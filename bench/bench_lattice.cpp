// Shifted-lattice generation throughput against a plain memory-write kernel of the same size.

#include "qmcsim/lattice/lattice.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;

void BM_WriteKernel(benchmark::State& state) {
  qmcsim::bench::write_kernel(state, (std::size_t{1} << state.range(0)) * state.range(1));
}

void BM_LatticeShift(benchmark::State& state) {
  const std::uint64_t n = std::uint64_t{1} << state.range(0);
  const std::size_t d = static_cast<std::size_t>(state.range(1));
  qmcsim::LatticeOptions options;
  options.dimension = d;
  const qmcsim::Lattice<Exec> lattice(qmcsim::GeneratingVector::default_vector(), options);
  qmcsim::PointsView<double, Exec::memory_space> out("points", 1, n, d);
  for (auto _ : state) {
    lattice.generate({0, n}, out);
    Exec().fence();
  }
  state.counters["coordinates_per_second"] =
      benchmark::Counter(static_cast<double>(n * d), benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n * d * sizeof(double)));
}

}  // namespace

BENCHMARK(BM_WriteKernel)->Args({20, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LatticeShift)->Args({20, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
