// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Randomized Halton generation throughput per randomization (coordinates per second), and as a
// fraction of a plain memory-write kernel of the same size. Halton is bound by its digit arithmetic:
// per coordinate, t = ceil(53 / log2 b) digits are updated and summed (LMS: one addition and compare
// per digit; 418 digits per point for d = 32), far below the write limit.

#include "qmcsim/halton/halton.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;

qmcsim::Halton<Exec> make_halton(std::size_t d, qmcsim::Randomization how) {
  qmcsim::HaltonOptions options;
  options.dimension = d;
  options.randomization = how;
  return qmcsim::Halton<Exec>(options);
}

void generate(benchmark::State& state, qmcsim::Randomization how) {
  const std::uint64_t n = std::uint64_t{1} << state.range(0);
  const std::size_t d = static_cast<std::size_t>(state.range(1));
  const auto halton = make_halton(d, how);
  qmcsim::PointsView<double, Exec::memory_space> out("points", 1, n, d);
  for (auto _ : state) {
    halton.generate({0, n}, out);
    Exec().fence();
  }
  state.counters["coordinates_per_second"] =
      benchmark::Counter(static_cast<double>(n * d), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_HaltonLmsDs(benchmark::State& state) { generate(state, qmcsim::Randomization::lms_digital_shift); }
void BM_HaltonPermutation(benchmark::State& state) { generate(state, qmcsim::Randomization::permutation); }
void BM_HaltonLmsPermutation(benchmark::State& state) { generate(state, qmcsim::Randomization::lms_permutation); }
void BM_HaltonNus(benchmark::State& state) { generate(state, qmcsim::Randomization::nus); }
void BM_HaltonLmsDsOverWriteKernel(benchmark::State& state) {
  qmcsim::bench::generation_over_write_kernel(state, make_halton(state.range(1), qmcsim::Randomization::lms_digital_shift),
                                              std::uint64_t{1} << state.range(0));
}

}  // namespace

BENCHMARK(BM_HaltonLmsDs)->Args({18, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HaltonPermutation)->Args({18, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HaltonLmsPermutation)->Args({18, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HaltonLmsDsOverWriteKernel)->Args({18, 32})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_HaltonNus)->Args({14, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
