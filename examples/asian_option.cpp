// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Prices a geometric-average Asian call (52 weekly monitoring dates, a 52-dimensional integral) with
// plain Monte Carlo, a shifted lattice and Sobol' points with LMS + digital shift and with NUS, and
// compares each estimate and its standard error with the closed-form price.
//
//   asian_option [--check]   (--check: exit 1 unless every estimate is within 6 standard errors)

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "qmcsim/cubature/integrands.hpp"
#include "qmcsim/cubature/rqmc.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "qmcsim/iid/iid_uniform.hpp"
#include "qmcsim/lattice/lattice.hpp"

namespace {

constexpr int dates = 52;
constexpr std::size_t replications = 16;
constexpr std::uint64_t points = 1 << 16;

template <class Generator>
bool report(const char* label, const Generator& generator, const qmcsim::GeometricAsianCall& option) {
  const auto estimate = qmcsim::replicated_estimate(generator, points, option);
  const double error = std::abs(estimate.mean - option.exact());
  std::printf("%-18s %.8f   std error %.2e   |error| %.2e\n", label, estimate.mean, estimate.standard_error, error);
  return error < 6 * estimate.standard_error;
}

}  // namespace

int main(int argc, char** argv) {
  const bool check = argc > 1 && std::strcmp(argv[1], "--check") == 0;
  Kokkos::ScopeGuard kokkos(argc, argv);
  const qmcsim::GeometricAsianCall option{dates};
  std::printf("geometric Asian call, %d dates, n = %llu, R = %zu: exact price %.8f\n", dates,
              static_cast<unsigned long long>(points), replications, option.exact());

  qmcsim::PointSetOptions base;
  base.dimension = dates;
  base.replications = replications;
  base.seed = 2024;
  bool ok = report("Monte Carlo", qmcsim::IidUniform<>(base), option);

  qmcsim::LatticeOptions lattice;
  static_cast<qmcsim::PointSetOptions&>(lattice) = base;
  lattice.randomization = qmcsim::Randomization::shift;
  ok &= report("lattice, shift", qmcsim::Lattice<>(qmcsim::GeneratingVector::default_vector(), lattice), option);

  for (auto how : {qmcsim::Randomization::lms_digital_shift, qmcsim::Randomization::nus}) {
    qmcsim::DigitalNetOptions net;
    static_cast<qmcsim::PointSetOptions&>(net) = base;
    net.randomization = how;
    const auto label = how == qmcsim::Randomization::nus ? "Sobol', NUS" : "Sobol', LMS+DS";
    ok &= report(label, qmcsim::DigitalNet<>(qmcsim::GeneratingMatrices::sobol(dates), net), option);
  }
  return check && !ok ? 1 : 0;
}
