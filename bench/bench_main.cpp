// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Runs Google Benchmark inside a Kokkos scope.
#include <Kokkos_Core.hpp>
#include <benchmark/benchmark.h>

#include "cli/openmp_environment.hpp"

int main(int argc, char** argv) {
  // Bind OpenMP threads unless the caller chose otherwise: Kokkos warns on stdout without it, which
  // would corrupt --benchmark_format=json there. Threads keep spinning between kernels (the
  // runtime's default), as a timed loop wants.
  qmcsim::cli::apply_openmp_defaults(argv, false);
  Kokkos::ScopeGuard kokkos(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
