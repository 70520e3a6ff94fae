// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Prices a geometric-average Asian call (52 weekly monitoring dates, a 52-dimensional integral: the
// payoff integrated against Brownian motion) with plain Monte Carlo, a shifted lattice and Sobol'
// points with LMS + digital shift and with NUS, the path built forward, as a Brownian bridge and by
// PCA, and compares each estimate and its standard error with the closed-form price. The bridge and
// PCA put the path's largest variances on the first coordinates, where QMC points are best.
//
//   asian_option [--check]   (--check: exit 1 unless every estimate is within 6 standard errors)

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <initializer_list>

#include "qmcsim/cubature/integrands.hpp"
#include "qmcsim/cubature/rqmc.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "qmcsim/iid/iid_uniform.hpp"
#include "qmcsim/lattice/lattice.hpp"

namespace {

constexpr int dates = 52;
constexpr std::size_t replications = 16;
constexpr std::uint64_t points = 1 << 14;

template <class Generator>
bool report(const char* label, const Generator& generator, const qmcsim::GeometricAsianCall& option,
            std::initializer_list<const char*> constructions = {"forward", "bridge", "pca"}) {
  bool ok = true;
  for (const char* construction : constructions) {
    const auto f = option.integrand(qmcsim::parse_path_construction(construction));
    const auto estimate = qmcsim::replicated_estimate(generator, points, f);
    const double error = std::abs(estimate.mean - option.exact());
    std::printf("%-16s %-8s %.8f   std error %.2e   |error| %.2e\n", label, construction, estimate.mean,
                estimate.standard_error, error);
    ok &= error < 6 * estimate.standard_error;
  }
  return ok;
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
  // Monte Carlo's error does not depend on how the path is built
  bool ok = report("Monte Carlo", qmcsim::IidUniform<>(base), option, {"forward"});

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
