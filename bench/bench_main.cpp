// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Runs Google Benchmark inside a Kokkos scope.
#include <Kokkos_Core.hpp>
#include <benchmark/benchmark.h>

#include <cstdlib>

int main(int argc, char** argv) {
  // Bind OpenMP threads unless the caller chose otherwise: Kokkos warns on stdout without it, which
  // would corrupt --benchmark_format=json there.
  setenv("OMP_PROC_BIND", "spread", 0);
  setenv("OMP_PLACES", "threads", 0);
  Kokkos::ScopeGuard kokkos(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
