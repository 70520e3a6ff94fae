// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Your own integrand with fast Bayesian cubature and with guaranteed cubature:
//   int_[0,1]^5 exp(x_1 + x_2) prod_{j=3..5} (1 + (x_j - 1/2) / j) dx = (e - 1)^2,
// written as a device functor that declares its dimension.
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <qmcsim/cubature/bayesian_cubature.hpp>
#include <qmcsim/cubature/guaranteed_cubature.hpp>

struct Integrand {  // f(x) for one point, x[0..dimension); its dimension is checked against the points'
  int dimension = 5;
  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {
    double f = ::exp(x[0] + x[1]);
    for (int j = 2; j < dimension; ++j) f *= 1 + (x[j] - 0.5) / (j + 1);
    return f;
  }
};

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  using namespace qmcsim;
  const double exact = (std::exp(1.0) - 1) * (std::exp(1.0) - 1);  // the (x_j - 1/2) factors integrate to 1
  LatticeOptions options;
  options.dimension = 5;
  options.seed = 3;
  const Lattice<> lattice(GeneratingVector::default_vector(), options);  // one randomly shifted lattice
  BayesianCubatureOptions bayes;  // defaults: c1sin periodization, smoothness 2, 99 % credible interval
  bayes.absolute_tolerance = 1e-6;
  const auto b = bayesian_cubature(lattice, Integrand{}, bayes);
  GuaranteedCubatureOptions guaranteed;  // defaults: baker periodization, QMCPy's cone parameters
  guaranteed.absolute_tolerance = 1e-6;
  const auto g = guaranteed_cubature(lattice, Integrand{}, guaranteed);
  std::printf("Bayesian:   %.10f +- %.2e with %llu points, error %.2e\n", b.estimate, b.half_width,
              static_cast<unsigned long long>(b.points), std::abs(b.estimate - exact));
  std::printf("guaranteed: %.10f +- %.2e with %llu points, error %.2e\n", g.estimate, g.half_width,
              static_cast<unsigned long long>(g.points), std::abs(g.estimate - exact));
  const bool honest = std::abs(b.estimate - exact) <= b.half_width && std::abs(g.estimate - exact) <= g.half_width;
  return b.met_tolerance && g.met_tolerance && honest ? 0 : 1;
}
