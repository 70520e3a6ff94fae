// Randomized Halton generation throughput per randomization (coordinates per second).

#include "qmcsim/halton/halton.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;

void generate(benchmark::State& state, qmcsim::Randomization how) {
  const std::uint64_t n = std::uint64_t{1} << state.range(0);
  const std::size_t d = static_cast<std::size_t>(state.range(1));
  qmcsim::HaltonOptions options;
  options.dimension = d;
  options.randomization = how;
  const qmcsim::Halton<Exec> halton(options);
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
void BM_HaltonNus(benchmark::State& state) { generate(state, qmcsim::Randomization::nus); }

}  // namespace

BENCHMARK(BM_HaltonLmsDs)->Args({18, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HaltonPermutation)->Args({18, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HaltonNus)->Args({14, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
