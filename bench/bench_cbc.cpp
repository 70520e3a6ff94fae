// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Fast CBC construction time: n = 2^16 points, d = 100 components (embedded 2^10 .. 2^16 and a
// dedicated rule), product weights j^-2.

#include "qmcsim/lattice/cbc.hpp"
#include "reference_kernels.hpp"

namespace {

void BM_FastCbc(benchmark::State& state) {
  const int m = static_cast<int>(state.range(0));
  const std::size_t d = static_cast<std::size_t>(state.range(1));
  const int m_min = static_cast<int>(state.range(2));
  const auto weights = qmcsim::product_weights("power:2", d);
  qmcsim::fast_cbc({m, m_min, {weights.begin(), weights.begin() + 2}});  // FFTW plans its sizes once per process
  for (auto _ : state) benchmark::DoNotOptimize(qmcsim::fast_cbc({m, m_min, weights}));
  state.counters["components_per_second"] = benchmark::Counter(static_cast<double>(d), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

// args: log2(n), d, log2 of the smallest embedded size
BENCHMARK(BM_FastCbc)->Args({16, 100, 16})->Args({16, 100, 10})->Unit(benchmark::kMillisecond)->UseRealTime();
