// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/kernels/gaussian_process.hpp: the likelihood and posterior against dense Eigen
// algebra, the analytic gradient against central finite differences, and a fitted GP that
// interpolates its data and predicts a smooth function.

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>

#include "qmcsim/kernels/gaussian_process.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using GP = FastGaussianProcess<Host>;

double smooth_periodic(const double* x, std::size_t d) {
  double f = 1;
  for (std::size_t j = 0; j < d; ++j) f *= 1 + 0.5 * std::sin(2 * M_PI * x[j]) + 0.2 * std::cos(4 * M_PI * x[j] + 0.3);
  return f;
}

template <class Generator>
GP::Vector sample(const Generator& generator, std::uint64_t n, GP::Matrix* doubles = nullptr) {
  const auto x = test::to_host(generator.generate({0, n}));
  GP::Vector y("y", n);
  for (std::uint64_t i = 0; i < n; ++i) y(i) = smooth_periodic(&x(0, i, 0), x.extent(2));
  if (doubles) {
    *doubles = GP::Matrix("x", n, x.extent(2));
    for (std::uint64_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < x.extent(2); ++j) (*doubles)(i, j) = x(0, i, j);
  }
  return y;
}

Eigen::MatrixXd dense(const FastGram<Host>& gram, const ProductKernel& kernel) {
  const auto x = gram.points();
  const auto k = device_kernel<Kokkos::HostSpace>(kernel);
  Eigen::MatrixXd K(gram.size(), gram.size());
  for (std::size_t i = 0; i < gram.size(); ++i)
    for (std::size_t l = 0; l < gram.size(); ++l) K(i, l) = k(&x(i, 0), &x(l, 0));
  return K;
}

Lattice<Host> lattice(std::size_t d) {
  LatticeOptions options;
  options.dimension = d;
  options.seed = 3;
  return Lattice<Host>(GeneratingVector::default_vector(), options);
}

DigitalNet<Host> net(std::size_t d) {
  DigitalNetOptions options;
  options.dimension = d;
  options.seed = 3;
  return DigitalNet<Host>(GeneratingMatrices::sobol(d), options);
}

template <class Generator>
void check_likelihood_and_gradient(const Generator& generator, ProductKernel kernel) {
  const std::uint64_t n = 256;
  const GP gp(FastGram<Host>(generator, n), sample(generator, n), kernel, 1e-3);
  const double nugget = 2e-3;
  std::vector<double> gradient;
  const double nll = gp.negative_log_likelihood(kernel, nugget, &gradient);

  const Eigen::MatrixXd C = dense(gp.gram(), kernel) + nugget * Eigen::MatrixXd::Identity(n, n);
  const auto y = sample(generator, n);
  const Eigen::VectorXd yv = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
  const Eigen::LLT<Eigen::MatrixXd> cholesky(C);
  const double expected = 0.5 * yv.dot(cholesky.solve(yv)) + cholesky.matrixLLT().diagonal().array().log().sum() +
                          0.5 * n * std::log(2 * M_PI);
  EXPECT_NEAR(nll, expected, 1e-8 * std::abs(expected));

  // central differences in (log S, log gamma_j, log eta)
  const double h = 1e-5;
  for (std::size_t p = 0; p < kernel.dimension() + 2; ++p) {
    ProductKernel up = kernel, down = kernel;
    double nugget_up = nugget, nugget_down = nugget;
    if (p == 0) up.scale *= std::exp(h), down.scale *= std::exp(-h);
    else if (p <= kernel.dimension()) up.weights[p - 1] *= std::exp(h), down.weights[p - 1] *= std::exp(-h);
    else nugget_up *= std::exp(h), nugget_down *= std::exp(-h);
    const double difference = (gp.negative_log_likelihood(up, nugget_up) - gp.negative_log_likelihood(down, nugget_down)) / (2 * h);
    EXPECT_NEAR(gradient[p], difference, 1e-5 * std::max(1.0, std::abs(difference))) << "parameter " << p;
  }
}

TEST(FastGaussianProcess, LikelihoodAndGradientOnALattice) {
  check_likelihood_and_gradient(lattice(3), {KernelFamily::shift_invariant, 2.0, {0.8, 0.5, 0.3}, {1, 2, 3}});
}

TEST(FastGaussianProcess, LikelihoodAndGradientOnADigitalNet) {
  check_likelihood_and_gradient(net(3), {KernelFamily::digitally_shift_invariant, 2.0, {0.8, 0.5, 0.3}, {1, 2, 4}});
}

TEST(FastGaussianProcess, FittedModelInterpolatesAndPredicts) {
  const std::size_t d = 2;
  const std::uint64_t n = 1024;
  const auto design = lattice(d);
  GP::Matrix x;
  const auto y = sample(design, n, &x);
  GP gp(FastGram<Host>(design, n), y, {KernelFamily::shift_invariant, 1.0, {1.0, 1.0}, {2, 2}}, 1e-4);
  const double before = gp.negative_log_likelihood(gp.kernel(), gp.nugget());
  const auto result = gp.fit();
  EXPECT_TRUE(result.converged) << result.status;
  EXPECT_LT(gp.negative_log_likelihood(gp.kernel(), gp.nugget()), before);

  const auto at_design = gp.posterior(x);
  for (std::uint64_t i = 0; i < n; i += 17) {
    EXPECT_NEAR(at_design.mean(i), y(i), 1e-4 * std::abs(y(i)) + 1e-5);
    EXPECT_LT(at_design.variance(i), 1e-4 * gp.kernel().scale);
  }
  // predictions at fresh uniform points
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(0, 1);
  GP::Matrix z("z", 200, d);
  for (std::size_t k = 0; k < z.size(); ++k) z.data()[k] = u(rng);
  const auto prediction = gp.posterior(z);
  double worst = 0;
  for (std::size_t q = 0; q < 200; ++q) worst = std::max(worst, std::abs(prediction.mean(q) - smooth_periodic(&z(q, 0), d)));
  EXPECT_LT(worst, 1e-3);

  // the posterior against dense formulas
  const Eigen::MatrixXd C = dense(gp.gram(), gp.kernel()) + gp.nugget() * Eigen::MatrixXd::Identity(n, n);
  const Eigen::LDLT<Eigen::MatrixXd> factor(C);
  const auto k = device_kernel<Kokkos::HostSpace>(gp.kernel());
  for (std::size_t q = 0; q < 5; ++q) {
    std::vector<std::uint64_t> zw(d);
    for (std::size_t j = 0; j < d; ++j) zw[j] = static_cast<std::uint64_t>(std::ldexp(z(q, j), 64));
    Eigen::VectorXd kz(n);
    for (std::uint64_t i = 0; i < n; ++i) kz(i) = k(zw.data(), &gp.gram().points()(i, 0));
    const Eigen::VectorXd yv = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
    EXPECT_NEAR(prediction.mean(q), kz.dot(factor.solve(yv)), 1e-6);
    EXPECT_NEAR(prediction.variance(q), std::max(0.0, k(zw.data(), zw.data()) - kz.dot(factor.solve(kz))), 1e-6 * gp.kernel().scale);
  }
}

// Likelihood, fit and posterior on a caller's instance against the default instance, bit for bit:
// two models built alike, one fitted on each.
TEST(FastGaussianProcess, RunsOnACallersInstance) {
  using DeviceGP = FastGaussianProcess<>;
  LatticeOptions options;
  options.dimension = 2;
  const Lattice<> design(GeneratingVector::default_vector(), options);
  const std::uint64_t n = 256;
  const auto x = test::to_host(design.generate({0, n}));
  DeviceGP::Vector y("y", n);
  const auto host_y = Kokkos::create_mirror_view(y);
  for (std::uint64_t i = 0; i < n; ++i) host_y(i) = smooth_periodic(&x(0, i, 0), 2);
  Kokkos::deep_copy(y, host_y);
  const ProductKernel kernel{KernelFamily::shift_invariant, 1.0, {1.0, 1.0}, {2, 2}};
  DeviceGP on_default(FastGram<>(design, n), y, kernel, 1e-4), on_instance(FastGram<>(design, n), y, kernel, 1e-4);
  const test::UserInstance user;
  std::vector<double> gradient, gradient_on;
  EXPECT_EQ(on_default.negative_log_likelihood(kernel, 1e-3, &gradient),
            on_instance.negative_log_likelihood(user.space(), kernel, 1e-3, &gradient_on));
  EXPECT_EQ(gradient, gradient_on);
  const auto fitted = on_default.fit(), fitted_on = on_instance.fit(user.space());
  EXPECT_EQ(fitted.x, fitted_on.x);
  DeviceGP::Matrix z("z", 50, 2);
  const auto host_z = Kokkos::create_mirror_view(z);
  for (std::size_t k = 0; k < host_z.size(); ++k) host_z.data()[k] = std::fmod(0.618033988749895 * (k + 1), 1.0);
  Kokkos::deep_copy(z, host_z);
  const auto expected = on_default.posterior(z);
  const auto result = on_instance.posterior(user.space(), z);
  user.space().fence();
  const auto mean = test::to_host(result.mean), variance = test::to_host(result.variance);
  const auto want_mean = test::to_host(expected.mean), want_variance = test::to_host(expected.variance);
  for (std::size_t q = 0; q < 50; ++q) {
    EXPECT_EQ(mean(q), want_mean(q)) << q;
    EXPECT_EQ(variance(q), want_variance(q)) << q;
  }
}

TEST(FastGaussianProcess, RejectsBadInput) {
  const auto design = net(2);
  const FastGram<Host> gram(design, 64);
  const ProductKernel kernel{KernelFamily::digitally_shift_invariant, 1.0, {1, 1}, {1, 1}};
  GP::Vector y("y", 64), short_y("short", 32);
  EXPECT_THROW(GP(gram, short_y, kernel, 1e-3), error);
  EXPECT_THROW(GP(gram, y, kernel, 0.0), error);
  y(5) = std::nan("");
  EXPECT_THROW(GP(gram, y, kernel, 1e-3), error);
  y(5) = 0;
  const GP gp(gram, y, kernel, 1e-3);
  GP::Matrix outside("outside", 1, 2);
  outside(0, 0) = 1.5;
  EXPECT_THROW(gp.posterior(outside), error);
}

}  // namespace
}  // namespace qmcsim
