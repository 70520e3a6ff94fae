// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Digital-net generation throughput (coordinates per second) against a plain memory-write kernel
// of the same size in the same run. Targets: LMS+DS Sobol' n = 2^20, d = 32 at >= 50% of the write
// kernel on the CPU (and >= 5x scipy.stats.qmc.Sobol's 388 M coordinates/s measured here), and
// n = 2^24, d = 64 at >= 60% of the write kernel on the H100.

#include "qmcsim/core/point_words.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;

void generate(benchmark::State& state, qmcsim::Randomization how, qmcsim::KernelStrategy kernel, int alpha = 1) {
  const std::uint64_t n = std::uint64_t{1} << state.range(0);
  const std::size_t d = static_cast<std::size_t>(state.range(1));
  qmcsim::DigitalNetOptions options;
  options.dimension = d;
  options.randomization = how;
  options.kernel = kernel;
  options.alpha = alpha;
  const qmcsim::DigitalNet<Exec> net(qmcsim::GeneratingMatrices::sobol(d * alpha), options);
  qmcsim::PointsView<double, Exec::memory_space> out("points", 1, n, d);
  for (auto _ : state) {
    net.generate({0, n}, out);
    Exec().fence();
  }
  state.counters["coordinates_per_second"] =
      benchmark::Counter(static_cast<double>(n * d), benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n * d * sizeof(double)));
}

qmcsim::DigitalNet<Exec> sobol_lms_ds(std::size_t d) {
  qmcsim::DigitalNetOptions options;
  options.dimension = d;
  return qmcsim::DigitalNet<Exec>(qmcsim::GeneratingMatrices::sobol(d), options);
}

// LMS+DS Sobol' and the write kernel of the same size timed alternately:
// throughput_ratio = (coordinates / s) / (doubles written / s), target >= 0.5 (CPU), >= 0.6 (H100).
void BM_SobolLmsDsOverWriteKernel(benchmark::State& state) {
  qmcsim::bench::generation_over_write_kernel(state, sobol_lms_ds(state.range(1)), std::uint64_t{1} << state.range(0));
}

void BM_WriteKernel(benchmark::State& state) {
  qmcsim::bench::write_kernel(state, (std::size_t{1} << state.range(0)) * state.range(1));
}
void BM_SobolLmsDs(benchmark::State& state) {
  generate(state, qmcsim::Randomization::lms_digital_shift, qmcsim::KernelStrategy::automatic);
}
void BM_SobolLmsDsDirectKernel(benchmark::State& state) {
  generate(state, qmcsim::Randomization::lms_digital_shift, qmcsim::KernelStrategy::direct);
}
void BM_SobolNus(benchmark::State& state) {
  generate(state, qmcsim::Randomization::nus, qmcsim::KernelStrategy::automatic);
}
void BM_SobolOrder2LmsDs(benchmark::State& state) {
  generate(state, qmcsim::Randomization::lms_digital_shift, qmcsim::KernelStrategy::automatic, 2);
}

}  // namespace

// args: log2(n), d; the H100 target size (2^24 x 64 doubles = 8.6 GB) only on GPUs.
void target_sizes(benchmark::internal::Benchmark* b) {
  b->Args({20, 32});
  if (!qmcsim::detail::runs_on_host_v<Exec>) b->Args({24, 64});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(BM_WriteKernel)->Apply(target_sizes);
BENCHMARK(BM_SobolLmsDs)->Apply(target_sizes);
BENCHMARK(BM_SobolLmsDsDirectKernel)->Args({20, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SobolOrder2LmsDs)->Args({20, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SobolNus)->Args({20, 32})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SobolLmsDsOverWriteKernel)->Apply(target_sizes)->MinTime(2.0);
