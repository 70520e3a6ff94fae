// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Physical-limit reference kernels, measured in the same run as the kernels they bound: a plain
// parallel write of doubles and a copy between two arrays (the memory-bandwidth limits).

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <vector>

#include "qmcsim/core/point_set.hpp"

namespace qmcsim::bench {

using Exec = Kokkos::DefaultExecutionSpace;

/// One parallel write of every element of `out`.
inline void write_once(const Kokkos::View<double*, Exec::memory_space>& out) {
  Kokkos::parallel_for(
      "qmcsim::bench::write", Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(0, out.extent(0)),
      KOKKOS_LAMBDA(std::int64_t i) { out(i) = static_cast<double>(i) * 0x1p-53; });
  Exec().fence();
}

/// Writes `count` doubles per iteration; counters report doubles/s and bytes/s.
inline void write_kernel(benchmark::State& state, std::size_t count) {
  Kokkos::View<double*, Exec::memory_space> out("out", count);
  for (auto _ : state) write_once(out);
  state.counters["doubles_per_second"] = benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * count * sizeof(double)));
}

/// One parallel copy of `in` into `out`.
inline void copy_once(const Kokkos::View<double*, Exec::memory_space>& in, const Kokkos::View<double*, Exec::memory_space>& out) {
  Kokkos::parallel_for(
      "qmcsim::bench::copy", Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(0, in.extent(0)),
      KOKKOS_LAMBDA(std::int64_t i) { out(i) = in(i); });
  Exec().fence();
}

/// Copies `count` doubles per iteration; bytes counted are those read plus those written.
inline void copy_kernel(benchmark::State& state, std::size_t count) {
  Kokkos::View<double*, Exec::memory_space> in("in", count), out("out", count);
  Kokkos::deep_copy(in, 1.0);
  for (auto _ : state) copy_once(in, out);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * 2 * count * sizeof(double)));
}

/// The median of `samples` (the upper one of an even count).
inline double median(std::vector<double> samples) {
  std::nth_element(samples.begin(), samples.begin() + samples.size() / 2, samples.end());
  return samples[samples.size() / 2];
}

/// Times `kernel` and `reference` alternately in every iteration and reports the ratio of their
/// median times ("time_ratio") and of their rates ("throughput_ratio" = 1 / time_ratio): pairing
/// cancels the drift of a shared, noisy machine that separate benchmarks would each see differently.
template <class Kernel, class Reference>
void paired_ratio(benchmark::State& state, const Kernel& kernel, const Reference& reference) {
  std::vector<double> kernel_seconds, reference_seconds;
  const auto seconds_of = [](const auto& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  for (auto _ : state) {
    kernel_seconds.push_back(seconds_of(kernel));
    reference_seconds.push_back(seconds_of(reference));
  }
  const double ratio = median(kernel_seconds) / median(reference_seconds);
  state.counters["time_ratio"] = ratio;
  state.counters["throughput_ratio"] = 1 / ratio;
}

/// `steps` consecutive steps [k / steps, (k + 1) / steps] of [0, 1] as Brownian query intervals.
inline Kokkos::View<double* [2], Kokkos::HostSpace> consecutive_steps(std::size_t steps) {
  Kokkos::View<double* [2], Kokkos::HostSpace> intervals("steps", steps);
  for (std::size_t k = 0; k < steps; ++k)
    intervals(k, 0) = static_cast<double>(k) / steps, intervals(k, 1) = static_cast<double>(k + 1) / steps;
  return intervals;
}

/// Points [0, n) of `generator` and a write kernel of as many doubles, timed alternately:
/// throughput_ratio = (coordinates / s) / (doubles written / s), the generator's share of the
/// memory-write limit.
template <class Generator>
void generation_over_write_kernel(benchmark::State& state, const Generator& generator, std::uint64_t n) {
  using Memory = typename Generator::memory_space;
  PointsView<double, Memory> out("points", generator.replications(), n, generator.dimension());
  Kokkos::View<double*, Memory> flat("flat", out.size());
  paired_ratio(
      state,
      [&] {
        generator.generate({0, n}, out);
        typename Generator::execution_space().fence();
      },
      [&] { write_once(flat); });
}

}  // namespace qmcsim::bench
