// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// FWHT throughput against a copy kernel of the same data in the same run. The transform streams the
// data ceil(m / 12) times (two passes for n = 2^24 on the CPU); bandwidth counts bytes read + written
// over all passes, `time_ratio` compares with one copy of the array.

#include "qmcsim/transforms/fwht.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;

void BM_CopyKernel(benchmark::State& state) { qmcsim::bench::copy_kernel(state, std::size_t{1} << state.range(0)); }

void BM_Fwht(benchmark::State& state) {
  const std::size_t n = std::size_t{1} << state.range(0);
  Kokkos::View<double**, Kokkos::LayoutRight, Exec::memory_space> x("x", 1, n);
  Kokkos::deep_copy(x, 1.0);
  const qmcsim::FwhtPlan<Exec> plan(n, 1);
  for (auto _ : state) plan.transform(x);
  const int passes = (static_cast<int>(state.range(0)) + 11) / 12;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * passes * 2 * n * sizeof(double)));
  state.counters["passes"] = passes;
}

// FWHT and one copy of the same array timed alternately: time_ratio = FWHT / copy.
void BM_FwhtOverCopy(benchmark::State& state) {
  const std::size_t n = std::size_t{1} << state.range(0);
  Kokkos::View<double**, Kokkos::LayoutRight, Exec::memory_space> x("x", 1, n);
  Kokkos::View<double*, Exec::memory_space> a("a", n), b("b", n);
  const qmcsim::FwhtPlan<Exec> plan(n, 1);
  qmcsim::bench::paired_ratio(state, [&] { plan.transform(x); }, [&] { qmcsim::bench::copy_once(a, b); });
}

}  // namespace

BENCHMARK(BM_CopyKernel)->Arg(24)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Fwht)->Arg(20)->Arg(24)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FwhtOverCopy)->Arg(24)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
