// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Work on an execution-space instance of your own: Sobol' points generated, and a cubature of
// prod_j 2 x_j (exact integral 1) reduced, both on `space`, with no wait in between. On a GPU, wrap
// your stream: `Kokkos::Cuda space(my_stream);` and qmcsim's kernels queue behind your own work.
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <qmcsim/digital_net/digital_net.hpp>

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  using Space = Kokkos::DefaultExecutionSpace;
  const Space space;  // any instance of the space: qmcsim enqueues on it and returns at once
  qmcsim::DigitalNetOptions options;
  options.dimension = 8;
  const qmcsim::DigitalNet<> sobol(qmcsim::GeneratingMatrices::sobol(8), options);
  const std::size_t n = std::size_t{1} << 16, d = options.dimension;
  qmcsim::PointsView<double, Space::memory_space> points("points", 1, n, d);
  sobol.generate(space, {0, n}, points);  // queued on `space`
  double sum = 0;  // a reduction into a host scalar waits for `space`, after the points
  Kokkos::parallel_reduce(
      "product", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(std::size_t i, double& partial) {
        double f = 1;
        for (std::size_t j = 0; j < d; ++j) f *= 2 * points(0, i, j);
        partial += f;
      },
      sum);
  const double estimate = sum / static_cast<double>(n);
  std::printf("integral of prod 2 x_j over [0, 1]^%zu from %zu Sobol' points: %.9f (exact 1)\n", d, n, estimate);
  return std::abs(estimate - 1) < 1e-3 ? 0 : 1;
}
