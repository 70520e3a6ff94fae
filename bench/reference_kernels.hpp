#pragma once
// Physical-limit reference kernels, measured in the same run as the kernels they bound: a plain
// parallel write of doubles and a copy between two arrays (the memory-bandwidth limits).

#include <Kokkos_Core.hpp>
#include <benchmark/benchmark.h>

namespace qmcsim::bench {

using Exec = Kokkos::DefaultExecutionSpace;

/// Writes `count` doubles per iteration; counters report doubles/s and bytes/s.
inline void write_kernel(benchmark::State& state, std::size_t count) {
  Kokkos::View<double*, Exec::memory_space> out("out", count);
  for (auto _ : state) {
    Kokkos::parallel_for(
        "qmcsim::bench::write", Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(0, count),
        KOKKOS_LAMBDA(std::int64_t i) { out(i) = static_cast<double>(i) * 0x1p-53; });
    Exec().fence();
  }
  state.counters["doubles_per_second"] = benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * count * sizeof(double)));
}

/// Copies `count` doubles per iteration; bytes counted are those read plus those written.
inline void copy_kernel(benchmark::State& state, std::size_t count) {
  Kokkos::View<double*, Exec::memory_space> in("in", count), out("out", count);
  Kokkos::deep_copy(in, 1.0);
  for (auto _ : state) {
    Kokkos::parallel_for(
        "qmcsim::bench::copy", Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(0, count),
        KOKKOS_LAMBDA(std::int64_t i) { out(i) = in(i); });
    Exec().fence();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * 2 * count * sizeof(double)));
}

}  // namespace qmcsim::bench
