// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/cubature/integrands.hpp: the Keister exact value against its closed form in d = 1
// and against radial quadrature in long double for d = 2..12; the integrand against its formula; the
// Asian calls against Brownian motion (closed form, every path construction) and at several strikes.

#include <gtest/gtest.h>

#include <cmath>

#include "qmcsim/core/error.hpp"
#include "qmcsim/cubature/integrands.hpp"
#include "qmcsim/cubature/rqmc.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

// int_{R^d} cos|t| e^{-|t|^2} dt = (2 pi^{d/2} / Gamma(d/2)) int_0^inf r^{d-1} cos(r) e^{-r^2} dr by
// composite Simpson on [0, 12] (the tail is below e^-144).
long double keister_by_quadrature(int d) {
  const int intervals = 200000;
  const long double h = 12.0L / intervals;
  long double sum = 0;
  for (int k = 0; k <= intervals; ++k) {
    const long double r = k * h;
    const long double f = (d == 1 ? 1.0L : std::pow(r, d - 1)) * std::cos(r) * std::exp(-r * r);
    sum += (k == 0 || k == intervals ? 1 : (k % 2 ? 4 : 2)) * f;
  }
  return 2 * std::pow(M_PIl, d / 2.0L) / std::tgamma(d / 2.0L) * sum * h / 3;
}

TEST(Keister, ExactValueMatchesClosedFormAndQuadrature) {
  EXPECT_NEAR(Keister{1}.exact(), std::sqrt(M_PI) * std::exp(-0.25), 1e-15);
  for (int d = 2; d <= 12; ++d) {
    const double expected = static_cast<double>(keister_by_quadrature(d));
    EXPECT_NEAR(Keister{d}.exact(), expected, 1e-12 * std::abs(expected)) << "d = " << d;
  }
  EXPECT_THROW(Keister{0}.exact(), error);
}

TEST(Keister, IntegrandIsTheGaussianTransform) {
  const double x[3] = {0.2, 0.5, 0.9};
  const double z[3] = {-0.8416212335729143, 0.0, 1.2815515655446004};
  const double norm = std::sqrt(z[0] * z[0] + z[1] * z[1] + z[2] * z[2]);
  EXPECT_NEAR(Keister{3}(x), std::pow(M_PI, 1.5) * std::cos(norm / std::sqrt(2.0)), 1e-14);
}

}  // namespace
}  // namespace qmcsim

namespace qmcsim {
namespace {

// The closed form against 1-D quadrature of E[e^{-rT} (e^Y - K)^+] with Y ~ N(m, v), where m and v
// are summed directly from the monitoring dates (v = s^2/d^2 sum_{j,k} min(t_j, t_k)).
TEST(GeometricAsianCall, ClosedFormMatchesQuadratureOfTheLogNormalMean) {
  for (int d : {1, 4, 16}) {
    const GeometricAsianCall option{d};
    const double dt = option.maturity / d;
    long double m = std::log(option.spot), v = 0;
    for (int j = 1; j <= d; ++j) {
      m += (option.rate - 0.5 * option.volatility * option.volatility) * j * dt / d;
      for (int k = 1; k <= d; ++k) v += option.volatility * option.volatility * std::min(j, k) * dt / (1.0L * d * d);
    }
    long double integral = 0;
    const int steps = 400000;
    const long double lo = -12, h = 24.0L / steps;
    for (int i = 0; i <= steps; ++i) {
      const long double z = lo + i * h;
      const long double payoff = std::max(std::exp(m + std::sqrt(v) * z) - option.strike, 0.0L);
      integral += (i == 0 || i == steps ? 1 : (i % 2 ? 4 : 2)) * payoff * std::exp(-z * z / 2);
    }
    integral *= h / 3 / std::sqrt(2 * M_PIl) * std::exp(-option.rate * option.maturity);
    EXPECT_NEAR(option.exact(), static_cast<double>(integral), 1e-9) << "d = " << d;
  }
  EXPECT_THROW((GeometricAsianCall{4, -1.0}.exact()), error);
}

}  // namespace
}  // namespace qmcsim

namespace qmcsim {
namespace {

// Composite Simpson on [lo, hi) with `intervals` (even) sub-intervals; the upper end is evaluated just
// inside, so a jump at hi (the discontinuous family's) is seen from the left.
template <class F>
long double simpson(const F& f, long double lo, long double hi, int intervals) {
  const long double h = (hi - lo) / intervals;
  long double sum = f(lo) + f(std::nextafter(static_cast<double>(hi), static_cast<double>(lo)));
  for (int k = 1; k < intervals; ++k) sum += (k % 2 ? 4 : 2) * f(lo + k * h);
  return sum * h / 3;
}

// Tensor Simpson over [0,1]^2, each axis split at u_j where the families have kinks or jumps.
template <class F>
long double tensor_simpson_2d(const F& f, double u0, double u1, int intervals) {
  long double total = 0;
  // pairs, not structured bindings: a lambda may capture those only from C++20 on
  for (const auto& axis0 : {std::pair<double, double>{0, u0}, {u0, 1}})
    for (const auto& axis1 : {std::pair<double, double>{0, u1}, {u1, 1}})
      total += simpson(
          [&](long double x0) { return simpson([&](long double x1) { return f(x0, x1); }, axis1.first, axis1.second, intervals); },
          axis0.first, axis0.second, intervals);
  return total;
}

TEST(Genz, ExactIntegralsMatchQuadratureInTwoDimensions) {
  const std::vector<double> a = {2.5, 1.5}, u = {0.375, 0.625};
  for (const char* name : {"oscillatory", "product-peak", "corner-peak", "gaussian", "continuous", "discontinuous"}) {
    const auto genz = Genz<Kokkos::HostSpace>::make(parse_genz_family(name), a, u);
    const long double quadrature = tensor_simpson_2d(
        [&](long double x0, long double x1) {
          const double x[2] = {static_cast<double>(x0), static_cast<double>(x1)};
          return static_cast<long double>(genz(x));
        },
        u[0], u[1], 600);
    EXPECT_NEAR(genz.exact(), static_cast<double>(quadrature), 1e-9 * std::abs(genz.exact())) << name;
  }
}

TEST(Genz, ExactIntegralsMatchRqmcInSixDimensions) {
  // cross-check of the closed forms in d = 6 by RQMC (independent of the quadrature above)
  const std::vector<double> a = {1.2, 0.9, 0.7, 0.5, 0.4, 0.3}, u = {0.3, 0.6, 0.2, 0.8, 0.5, 0.1};
  DigitalNetOptions options;
  options.dimension = 6;
  options.replications = 16;
  const DigitalNet<Kokkos::DefaultHostExecutionSpace> net(GeneratingMatrices::sobol(6), options);
  for (const char* name : {"oscillatory", "product-peak", "corner-peak", "gaussian", "continuous", "discontinuous"}) {
    const auto genz = Genz<Kokkos::HostSpace>::make(parse_genz_family(name), a, u);
    const auto estimate = replicated_estimate(net, 1 << 14, genz);
    EXPECT_LT(std::abs(estimate.mean - genz.exact()), 6 * estimate.standard_error + 1e-12) << name;
  }
}

TEST(Genz, RejectsBadParameters) {
  EXPECT_THROW(Genz<Kokkos::HostSpace>::make(GenzFamily::gaussian, {1, 2}, {0.5}), error);
  EXPECT_THROW(Genz<Kokkos::HostSpace>::make(GenzFamily::gaussian, {-1}, {0.5}), error);
  EXPECT_THROW(Genz<Kokkos::HostSpace>::make(GenzFamily::gaussian, {1}, {1.5}), error);
  EXPECT_THROW(parse_genz_family("peak"), error);
}

}  // namespace
}  // namespace qmcsim

namespace qmcsim {
namespace {

// The geometric Asian call as the payoff integrated against Brownian motion, with every path
// construction, against its closed form (RQMC, within 5 standard errors); PCA and the bridge need
// far fewer points than the forward construction for the same error.
TEST(GeometricAsianCall, EveryPathConstructionIntegratesToTheClosedForm) {
  const GeometricAsianCall option{16};
  const auto net = test::sobol_lms_ds(16, 16, 7);
  double forward_error = 0;
  for (auto construction : {PathConstruction::forward, PathConstruction::bridge, PathConstruction::pca}) {
    const auto estimate = replicated_estimate(net, 1 << 14, option.integrand(construction));
    EXPECT_NEAR(estimate.mean, option.exact(), 5 * estimate.standard_error);
    if (construction == PathConstruction::forward) forward_error = estimate.standard_error;
    else EXPECT_LT(estimate.standard_error, forward_error / 2);
  }
  // the payoff of the path: the drift line at zero noise
  std::vector<double> zero(16, 0.0);
  double sum_log = 0;
  for (int k = 1; k <= 16; ++k) sum_log += (0.05 - 0.02) * k / 16.0;
  EXPECT_NEAR(option(zero.data()), std::exp(-0.05) * std::max(100 * std::exp(sum_log / 16) - 100, 0.0), 1e-12);
}

// The strikes' vector payoff equals the scalar arithmetic call at each strike, bit for bit at a fixed n
// (the same points and sums), and the prices fall with the strike.
TEST(AsianCallStrikes, EachOutputIsTheScalarCallAtItsStrike) {
  const auto net = test::sobol_lms_ds(12, 4, 3);
  const std::vector<double> strikes{90, 100, 110};
  const auto vector = AsianCallStrikes<>::make(ArithmeticAsianCall{12}, strikes).integrand(PathConstruction::bridge);
  RqmcCubatureOptions fixed;
  fixed.log2_min_points = fixed.log2_max_points = 12;
  const auto result = rqmc_vector_cubature(net, vector, fixed);
  for (std::size_t j = 0; j < strikes.size(); ++j) {
    ArithmeticAsianCall call{12};
    call.strike = strikes[j];
    EXPECT_EQ(result.estimates[j].mean, replicated_estimate(net, 1 << 12, call.integrand(PathConstruction::bridge)).mean);
    if (j > 0) EXPECT_LT(result.estimates[j].mean, result.estimates[j - 1].mean);
  }
  EXPECT_THROW(AsianCallStrikes<>::make(ArithmeticAsianCall{12}, {}), error);
  EXPECT_THROW(AsianCallStrikes<>::make(ArithmeticAsianCall{12}, {100, NAN}), error);
}

}  // namespace
}  // namespace qmcsim
