// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/cubature/measures.hpp and measure_setup.hpp: covariance factors reproduce their
// matrix (A A^T = Sigma, triangular or ordered principal components), the forward and bridge schedules
// reproduce min(s, t) and QMCPy's bridge order, the device transforms equal their host formulas, the
// measures integrate known functions to their exact values, and bad parameters are refused.

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <string>
#include <random>
#include <vector>

#include "qmcsim/core/error.hpp"
#include "qmcsim/cubature/measure.hpp"
#include "qmcsim/cubature/measures.hpp"
#include "qmcsim/cubature/rqmc.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using HostMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

HostMatrix as_matrix(const std::vector<double>& values, std::size_t d) {
  return Eigen::Map<const HostMatrix>(values.data(), d, d);
}

std::vector<double> brownian_covariance(const std::vector<double>& times) {
  const std::size_t d = times.size();
  std::vector<double> sigma(d * d);
  for (std::size_t j = 0; j < d; ++j)
    for (std::size_t k = 0; k < d; ++k) sigma[j * d + k] = std::min(times[j], times[k]);
  return sigma;
}

/// A random symmetric positive definite d x d matrix B B^T + d I / 10, row-major.
std::vector<double> random_covariance(std::size_t d, unsigned seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal;
  HostMatrix b(d, d);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j) b(i, j) = normal(engine);
  const HostMatrix sigma = b * b.transpose() + HostMatrix::Identity(d, d) * (0.1 * d);
  return {sigma.data(), sigma.data() + d * d};
}

/// The matrix M of a forward or bridge schedule: W = M z.
HostMatrix schedule_matrix(const detail::PathSchedule& schedule, std::size_t d) {
  HostMatrix m = HostMatrix::Zero(d, d);
  for (std::size_t j = 0; j < d; ++j) {
    Eigen::RowVectorXd row = Eigen::RowVectorXd::Zero(d);
    row(j) = schedule.w[j];
    if (schedule.left[j] >= 0) row += schedule.a[j] * m.row(schedule.left[j]);
    if (schedule.right[j] >= 0) row += schedule.b[j] * m.row(schedule.right[j]);
    m.row(schedule.target[j]) = row;
  }
  return m;
}

/// transform(x) of a measure built in HostSpace, on the host.
template <class Measure>
std::vector<double> transform(const Measure& measure, const std::vector<double>& x) {
  std::vector<double> t(x.size()), scratch(x.size());
  measure.transform(x.data(), t.data(), scratch.data());
  return t;
}

TEST(CovarianceFactor, CholeskyIsLowerTriangularAndReproducesTheCovariance) {
  for (std::size_t d : {1, 2, 7, 40}) {
    const auto sigma = random_covariance(d, 3 + d);
    const HostMatrix a = as_matrix(detail::covariance_factor(sigma, d, CovarianceFactor::cholesky, "test"), d);
    EXPECT_LT((a * a.transpose() - as_matrix(sigma, d)).cwiseAbs().maxCoeff(), 1e-13 * d) << "d = " << d;
    EXPECT_EQ(a.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().cwiseAbs().maxCoeff(), 0.0);
    for (std::size_t i = 0; i < d; ++i) EXPECT_GT(a(i, i), 0);
  }
}

TEST(CovarianceFactor, PcaHasOrthogonalColumnsInDecreasingVarianceWithPositiveLeadingEntries) {
  for (std::size_t d : {1, 3, 16, 64}) {
    const auto sigma = random_covariance(d, 11 + d);
    const HostMatrix a = as_matrix(detail::covariance_factor(sigma, d, CovarianceFactor::pca, "test"), d);
    EXPECT_LT((a * a.transpose() - as_matrix(sigma, d)).cwiseAbs().maxCoeff(), 1e-12 * d) << "d = " << d;
    const HostMatrix gram = a.transpose() * a;  // diag(lambda) for orthogonal columns
    for (std::size_t k = 0; k < d; ++k) {
      for (std::size_t l = 0; l < k; ++l) EXPECT_LT(std::abs(gram(k, l)), 1e-12 * d * gram(0, 0));
      if (k > 0) EXPECT_LE(gram(k, k), gram(k - 1, k - 1));
      Eigen::Index leading = 0;  // the first entry of at least half the largest magnitude
      while (std::abs(a(leading, k)) < a.col(k).cwiseAbs().maxCoeff() / 2) ++leading;
      EXPECT_GT(a(leading, k), 0) << "column " << k;
    }
    // the variances are the eigenvalues, from Eigen's solver on the same matrix
    const Eigen::SelfAdjointEigenSolver<HostMatrix> eigen(as_matrix(sigma, d));
    for (std::size_t k = 0; k < d; ++k)
      EXPECT_NEAR(gram(k, k), eigen.eigenvalues()(d - 1 - k), 1e-12 * d * gram(0, 0));
  }
}

TEST(CovarianceFactor, PcaOfEqualEigenvaluesKeepsTheAxesOfADiagonalCovariance) {
  // ties: 4 I and diag(1, 9, 9, 1) keep the solver's order among equal eigenvalues, so axes stay axes
  const HostMatrix scalar = as_matrix(detail::covariance_factor({4, 0, 0, 0, 4, 0, 0, 0, 4}, 3, CovarianceFactor::pca, "test"), 3);
  EXPECT_LT((scalar - 2 * HostMatrix::Identity(3, 3)).cwiseAbs().maxCoeff(), 1e-15);
  std::vector<double> diagonal(16, 0.0);
  for (int j = 0; j < 4; ++j) diagonal[5 * j] = j == 1 || j == 2 ? 9 : 1;
  const HostMatrix a = as_matrix(detail::covariance_factor(diagonal, 4, CovarianceFactor::pca, "test"), 4);
  HostMatrix expected = HostMatrix::Zero(4, 4);
  expected(1, 0) = expected(2, 1) = 3;
  expected(0, 2) = expected(3, 3) = 1;
  EXPECT_LT((a - expected).cwiseAbs().maxCoeff(), 1e-15) << a;
}

TEST(CovarianceFactor, PcaAcceptsASemidefiniteMatrixAndCholeskyRefusesIt) {
  // rank one: Sigma = v v^T
  const std::vector<double> v{1.2, -2, 0.5};
  std::vector<double> sigma(9);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) sigma[3 * i + j] = v[i] * v[j];
  const HostMatrix a = as_matrix(detail::covariance_factor(sigma, 3, CovarianceFactor::pca, "test"), 3);
  EXPECT_LT((a * a.transpose() - as_matrix(sigma, 3)).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_NEAR(a(0, 0), 1.2, 1e-14);  // the one component is v: its leading entry (the first, 1.2 >= 2 / 2) positive
  EXPECT_LT(a.rightCols(2).cwiseAbs().maxCoeff(), 1e-7);
  EXPECT_THROW(detail::covariance_factor(sigma, 3, CovarianceFactor::cholesky, "test"), error);
}

TEST(CovarianceFactor, RefusesBadMatrices) {
  const auto factor = [](const std::vector<double>& sigma, std::size_t d, CovarianceFactor kind) {
    return detail::covariance_factor(sigma, d, kind, "Gaussian");
  };
  for (auto kind : {CovarianceFactor::cholesky, CovarianceFactor::pca}) {
    EXPECT_THROW(factor({1, 0, 0}, 2, kind), error);                  // wrong size
    EXPECT_THROW(factor({1, 0.5, 0.4, 1}, 2, kind), error);           // not symmetric
    EXPECT_THROW(factor({1, 2, 2, 1}, 2, kind), error);               // indefinite
    EXPECT_THROW(factor({1, NAN, NAN, 1}, 2, kind), error);           // not finite
    EXPECT_THROW(factor({0, 0, 0, 0}, 2, kind), error);               // zero
    EXPECT_THROW(factor({}, 0, kind), error);                         // empty
  }
  try {
    factor({1, 0.5, 0.4, 1}, 2, CovarianceFactor::pca);
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("covariance is not symmetric"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse_covariance_factor("pca"), CovarianceFactor::pca);
  EXPECT_THROW(parse_covariance_factor("svd"), error);
  EXPECT_THROW(parse_path_construction("euler"), error);
}

TEST(PathSchedule, BridgeFollowsQmcpysGrayVanDerCorputOrder) {
  // QMCPy's BrownianMotion(..., decomp_type='BrownianBridge') at d = 4 builds the times 1, .5, .75, .25
  const auto four = detail::path_schedule({0.25, 0.5, 0.75, 1}, PathConstruction::bridge);
  EXPECT_EQ(four.target, (std::vector<int>{3, 1, 2, 0}));
  EXPECT_EQ(four.left, (std::vector<int>{-1, -1, 1, -1}));
  EXPECT_EQ(four.right, (std::vector<int>{-1, 3, 3, 1}));
  // d = 8: Gray codes 0 1 3 2 6 7 5 4, van der Corput 1 .5 .75 .25 .375 .875 .625 .125
  const auto eight = detail::path_schedule(BrownianMotion<Kokkos::HostSpace>::uniform_times(8, 1), PathConstruction::bridge);
  EXPECT_EQ(eight.target, (std::vector<int>{7, 3, 5, 1, 2, 6, 4, 0}));
  const auto forward = detail::path_schedule({0.1, 0.2, 0.7}, PathConstruction::forward);
  EXPECT_EQ(forward.target, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(forward.left, (std::vector<int>{-1, 0, 1}));
  EXPECT_NEAR(forward.w[2], std::sqrt(0.5), 1e-15);  // 0.7 - 0.2 rounds below 0.5
}

TEST(PathSchedule, EveryConstructionReproducesTheBrownianCovariance) {
  std::vector<std::vector<double>> grids{{0.3}, {0.5, 2}, BrownianMotion<Kokkos::HostSpace>::uniform_times(13, 2.5),
                                         BrownianMotion<Kokkos::HostSpace>::uniform_times(64, 1)};
  grids.push_back({1e-9, 2e-9, 0.5, 0.5 + 1e-12, 1e3});  // tiny and huge steps
  for (const auto& times : grids) {
    const std::size_t d = times.size();
    const HostMatrix sigma = as_matrix(brownian_covariance(times), d);
    for (auto construction : {PathConstruction::forward, PathConstruction::bridge}) {
      const HostMatrix m = schedule_matrix(detail::path_schedule(times, construction), d);
      const HostMatrix product = m * m.transpose();
      for (std::size_t j = 0; j < d; ++j)
        for (std::size_t k = 0; k < d; ++k)
          EXPECT_NEAR(product(j, k), sigma(j, k), 1e-14 * sigma(j, k) + 1e-300) << "d = " << d << " (" << j << ", " << k << ")";
    }
  }
}

TEST(BrownianMotion, TransformsEqualTheirLinearMaps) {
  const auto times = BrownianMotion<Kokkos::HostSpace>::uniform_times(11, 2);
  const std::size_t d = times.size();
  std::mt19937_64 engine(5);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> x(d), z(d);
  for (std::size_t j = 0; j < d; ++j) z[j] = normal_quantile(x[j] = uniform(engine));
  const Eigen::Map<const Eigen::VectorXd> zv(z.data(), d);
  const double initial = 0.7, drift = -0.3, diffusion = 2.25;
  for (auto construction : {PathConstruction::forward, PathConstruction::bridge, PathConstruction::pca}) {
    const auto motion = BrownianMotion<Kokkos::HostSpace>::make(times, construction, initial, drift, diffusion);
    HostMatrix m;
    if (construction == PathConstruction::pca)
      m = as_matrix(detail::covariance_factor(brownian_covariance(times), d, CovarianceFactor::pca, "test"), d);
    else
      m = schedule_matrix(detail::path_schedule(times, construction), d);
    const Eigen::VectorXd expected = m * zv;
    const auto t = transform(motion, x);
    for (std::size_t k = 0; k < d; ++k)
      EXPECT_NEAR(t[k], initial + drift * times[k] + 1.5 * expected(k), 1e-13) << "k = " << k;
    EXPECT_EQ(motion.mass, 1);
  }
  // no diffusion: the drift line
  const auto line = BrownianMotion<Kokkos::HostSpace>::make(times, PathConstruction::bridge, 1, 2, 0);
  const auto t = transform(line, x);
  for (std::size_t k = 0; k < d; ++k) EXPECT_EQ(t[k], 1 + 2 * times[k]);
}

TEST(BrownianMotion, RefusesBadTimesAndParameters) {
  using Motion = BrownianMotion<Kokkos::HostSpace>;
  EXPECT_THROW(Motion::make({}), error);
  EXPECT_THROW(Motion::make({0, 1}), error);
  EXPECT_THROW(Motion::make({-1, 1}), error);
  EXPECT_THROW(Motion::make({0.5, 0.5}), error);
  EXPECT_THROW(Motion::make({0.5, 0.2}), error);
  EXPECT_THROW(Motion::make({0.5, INFINITY}), error);
  EXPECT_THROW(Motion::make({0.5, 1}, PathConstruction::pca, NAN), error);
  EXPECT_THROW(Motion::make({0.5, 1}, PathConstruction::pca, 0, INFINITY), error);
  EXPECT_THROW(Motion::make({0.5, 1}, PathConstruction::pca, 0, 0, -1), error);
  try {
    Motion::make({0.5, 0.2});
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("strictly increasing"), std::string::npos) << e.what();
  }
}

TEST(Gaussian, TransformIsMeanPlusFactorTimesNormalQuantiles) {
  const std::size_t d = 5;
  const auto sigma = random_covariance(d, 2);
  const std::vector<double> mean{1, -2, 0, 3.5, 1e3};
  const std::vector<double> x{0.1, 0.5, 0.999, 1e-12, 0.3};
  for (auto kind : {CovarianceFactor::cholesky, CovarianceFactor::pca}) {
    const auto gaussian = Gaussian<Kokkos::HostSpace>::make(mean, sigma, kind);
    const HostMatrix a = as_matrix(detail::covariance_factor(sigma, d, kind, "test"), d);
    Eigen::VectorXd z(d);
    for (std::size_t j = 0; j < d; ++j) z(j) = normal_quantile(x[j]);
    const Eigen::VectorXd expected = a * z;
    const auto t = transform(gaussian, x);
    for (std::size_t i = 0; i < d; ++i) EXPECT_NEAR(t[i], mean[i] + expected(i), 1e-12 * (1 + std::abs(mean[i])));
  }
  EXPECT_THROW(Gaussian<Kokkos::HostSpace>::make({0, 0}, {1, 0, 0, 1, 0}), error);
  EXPECT_THROW(Gaussian<Kokkos::HostSpace>::make({NAN, 0}, {1, 0, 0, 1}), error);  // a mean that is not a number
  EXPECT_THROW(Gaussian<Kokkos::HostSpace>::make({0, INFINITY}, {1, 0, 0, 1}), error);
  try {
    Gaussian<Kokkos::HostSpace>::make({0, 0}, {0, 0, 0, 0});
    ADD_FAILURE() << "a zero covariance was accepted";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("covariance is zero"), std::string::npos) << e.what();
  }
}

/// exp(c . t) (a namespace-scope type: nvcc's device lambdas cannot capture local ones).
struct Exponential {
  Kokkos::View<const double*> c;
  KOKKOS_INLINE_FUNCTION double operator()(const double* t) const {
    double sum = 0;
    for (std::size_t j = 0; j < c.extent(0); ++j) sum += c(j) * t[j];
    return ::exp(sum);
  }
};

// E exp(c . t) = exp(c . m + c^T Sigma c / 2) for t ~ N(m, Sigma): RQMC on the device within 5 standard
// errors (and the errors are small: QMC on a smooth integrand).
TEST(Gaussian, IntegratesTheMomentGeneratingFunction) {
  const std::size_t d = 6;
  const auto sigma = random_covariance(d, 9);
  std::vector<double> mean(d), c(d);
  for (std::size_t j = 0; j < d; ++j) mean[j] = 0.1 * j - 0.2, c[j] = 0.15 * (j % 2 ? 1 : -1);
  const HostMatrix s = as_matrix(sigma, d) / 10;
  const std::vector<double> scaled(s.data(), s.data() + d * d);
  double exponent = 0;
  for (std::size_t i = 0; i < d; ++i) {
    exponent += c[i] * mean[i];
    for (std::size_t j = 0; j < d; ++j) exponent += 0.5 * c[i] * s(i, j) * c[j];
  }
  Kokkos::View<double*> coefficients("c", d);
  auto host = Kokkos::create_mirror_view(coefficients);
  for (std::size_t j = 0; j < d; ++j) host(j) = c[j];
  Kokkos::deep_copy(coefficients, host);
  for (auto kind : {CovarianceFactor::cholesky, CovarianceFactor::pca}) {
    const auto f = against(Gaussian<>::make(mean, scaled, kind), Exponential{coefficients});
    const auto estimate = replicated_estimate(test::sobol_lms_ds(d, 16, 3), 1 << 14, f);
    EXPECT_NEAR(estimate.mean, std::exp(exponent), 5 * estimate.standard_error);
    EXPECT_LT(estimate.standard_error, 1e-5);
  }
}

struct Polynomial {  // t_0^2 t_1
  KOKKOS_INLINE_FUNCTION double operator()(const double* t) const { return t[0] * t[0] * t[1]; }
};

// Lebesgue measure of the box [1, 3] x [-1, 2] against g(t) = t_0^2 t_1: (26/3) (3/2) = 13; the uniform
// distribution gives 13 / 6.
TEST(BoxMeasure, LebesgueCarriesTheVolumeAndUniformIsAProbability) {
  const auto lebesgue = BoxMeasure<>::lebesgue({1, -1}, {3, 2});
  const auto uniform = BoxMeasure<>::uniform({1, -1}, {3, 2});
  EXPECT_EQ(lebesgue.mass, 6);
  EXPECT_EQ(uniform.mass, 1);
  const auto net = test::sobol_lms_ds(2, 8, 1);
  const auto on_lebesgue = replicated_estimate(net, 1 << 12, against(lebesgue, Polynomial{}));
  const auto on_uniform = replicated_estimate(net, 1 << 12, against(uniform, Polynomial{}));
  EXPECT_NEAR(on_lebesgue.mean, 13, 1e-6);
  EXPECT_NEAR(on_uniform.mean, 13.0 / 6, 1e-6);
  const auto host = BoxMeasure<Kokkos::HostSpace>::lebesgue({1, -1}, {3, 2});
  EXPECT_EQ(transform(host, {0, 0.5}), (std::vector<double>{1, 0.5}));
  EXPECT_THROW(BoxMeasure<>::uniform({0, 1}, {1, 1}), error);
  EXPECT_THROW(BoxMeasure<>::uniform({0}, {1, 1}), error);
  EXPECT_THROW(BoxMeasure<>::lebesgue({0, -INFINITY}, {1, 1}), error);
  EXPECT_THROW(BoxMeasure<>::lebesgue({}, {}), error);
}

}  // namespace
}  // namespace qmcsim
