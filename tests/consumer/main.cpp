// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Integrates Keister in d = 4 with randomized Sobol' points through the installed package and checks
// the estimate against the exact value.
#include <cmath>
#include <cstdio>
#include <qmcsim/cubature/integrands.hpp>
#include <qmcsim/cubature/rqmc.hpp>
#include <qmcsim/digital_net/digital_net.hpp>

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  qmcsim::DigitalNetOptions options;
  options.dimension = 4;
  options.replications = 8;
  const qmcsim::DigitalNet<> sobol(qmcsim::GeneratingMatrices::sobol(4), options);
  const qmcsim::Keister keister{4};
  const auto estimate = qmcsim::replicated_estimate(sobol, 1 << 14, keister);
  std::printf("estimate %.10f +- %.2e, exact %.10f\n", estimate.mean, estimate.standard_error, keister.exact());
  return std::abs(estimate.mean - keister.exact()) < 6 * estimate.standard_error + 1e-12 ? 0 : 1;
}
