// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// 16 randomizations (LMS + digital shift) of the first 2^20 Sobol' points in 32 dimensions, made on
// the default Kokkos device, and the mean of one coordinate over all of them (1/2 up to QMC error).
#include <Kokkos_Core.hpp>
#include <cstdio>
#include <qmcsim/digital_net/digital_net.hpp>

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);  // Kokkos must be initialized before any qmcsim call
  qmcsim::DigitalNetOptions options;      // default randomization: LMS + digital shift
  options.dimension = 32;
  options.replications = 16;
  options.seed = 7;
  const qmcsim::DigitalNet<> sobol(qmcsim::GeneratingMatrices::sobol(32), options);  // plan: once
  const auto points = sobol.generate({0, 1 << 20});  // (replication, point, coordinate), on the device
  const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), points);
  double mean = 0;
  for (std::size_t r = 0; r < host.extent(0); ++r)
    for (std::size_t i = 0; i < host.extent(1); ++i) mean += host(r, i, 31);
  mean /= static_cast<double>(host.extent(0) * host.extent(1));
  std::printf("mean of coordinate 32 over %zu x %zu points: %.12f\n", host.extent(0), host.extent(1), mean);
  return std::abs(mean - 0.5) < 1e-6 ? 0 : 1;
}
