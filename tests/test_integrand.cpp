// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/cubature/integrand.hpp: integrands that declare their dimension are checked against
// the point set's by every cubature entry point (before anything is evaluated: a larger one would read
// past the point's row), and integrands that do not declare one are accepted as they are.

#include <gtest/gtest.h>

#include "qmcsim/cubature/bayesian_cubature.hpp"
#include "qmcsim/cubature/integrands.hpp"
#include "qmcsim/cubature/rqmc.hpp"
#include "qmcsim/digital_net/digital_net.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;

struct DeclaredByFunction {
  std::size_t d;
  std::size_t dimension() const { return d; }
  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const { return x[0]; }
};

struct Undeclared {
  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const { return x[0]; }
};

DigitalNet<Host> net(std::size_t d, std::size_t R) {
  DigitalNetOptions options;
  options.dimension = d;
  options.replications = R;
  return DigitalNet<Host>(GeneratingMatrices::sobol(d), options);
}

TEST(Integrand, DeclaredDimensionIsDetected) {
  static_assert(declares_dimension_v<Keister>);  // data member
  static_assert(declares_dimension_v<Genz<>>);   // member function
  static_assert(declares_dimension_v<DeclaredByFunction>);
  static_assert(!declares_dimension_v<Undeclared>);
}

TEST(Integrand, EveryCubatureRejectsAMismatchedDimension) {
  const auto sobol = net(2, 4), single = net(2, 1);
  for (int d : {1, 4}) {  // fewer coordinates than the points: silently wrong; more: reads past the row
    EXPECT_THROW(rqmc_cubature(sobol, Keister{d}), error) << d;
    EXPECT_THROW(replication_sums(sobol, {0, 1024}, Keister{d}), error) << d;
    EXPECT_THROW(replicated_estimate(sobol, 1024, Keister{d}), error) << d;
    BayesianCubatureOptions options;
    options.periodization = Periodization::none;
    EXPECT_THROW(bayesian_cubature(single, Keister{d}, options), error) << d;
  }
  EXPECT_THROW(rqmc_cubature(sobol, DeclaredByFunction{3}), error);
  const auto genz = Genz<>::make(GenzFamily::gaussian, {1, 1, 1}, {0.5, 0.5, 0.5});
  EXPECT_THROW(rqmc_cubature(sobol, genz), error);
  try {
    rqmc_cubature(sobol, Keister{4});
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("integrand has dimension 4, the point set 2"), std::string::npos) << e.what();
  }
}

TEST(Integrand, MatchingAndUndeclaredIntegrandsAreIntegrated) {
  const auto sobol = net(2, 4);
  // int x_1 = 1/2, exactly for the first 2^m points of a digitally shifted net up to the shift's last bits
  EXPECT_NEAR(replicated_estimate(sobol, 1024, DeclaredByFunction{2}).mean, 0.5, 1e-3);
  EXPECT_NEAR(replicated_estimate(sobol, 1024, Undeclared{}).mean, 0.5, 1e-3);
}

}  // namespace
}  // namespace qmcsim
