// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Shifted-lattice generation throughput against a plain memory-write kernel of the same size.

#include "qmcsim/lattice/lattice.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;

qmcsim::Lattice<Exec> shifted_lattice(std::size_t d) {
  qmcsim::LatticeOptions options;
  options.dimension = d;
  return qmcsim::Lattice<Exec>(qmcsim::GeneratingVector::default_vector(), options);
}

void BM_WriteKernel(benchmark::State& state) {
  qmcsim::bench::write_kernel(state, (std::size_t{1} << state.range(0)) * state.range(1));
}

void BM_LatticeShift(benchmark::State& state) {
  const std::uint64_t n = std::uint64_t{1} << state.range(0);
  const std::size_t d = static_cast<std::size_t>(state.range(1));
  const auto lattice = shifted_lattice(d);
  qmcsim::PointsView<double, Exec::memory_space> out("points", 1, n, d);
  for (auto _ : state) {
    lattice.generate({0, n}, out);
    Exec().fence();
  }
  state.counters["coordinates_per_second"] =
      benchmark::Counter(static_cast<double>(n * d), benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n * d * sizeof(double)));
}

// throughput_ratio = lattice coordinates / s over doubles written / s, in the same run.
void BM_LatticeShiftOverWriteKernel(benchmark::State& state) {
  qmcsim::bench::generation_over_write_kernel(state, shifted_lattice(state.range(1)), std::uint64_t{1} << state.range(0));
}

}  // namespace

BENCHMARK(BM_WriteKernel)->Args({20, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LatticeShift)->Args({20, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LatticeShiftOverWriteKernel)->Args({20, 32})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
