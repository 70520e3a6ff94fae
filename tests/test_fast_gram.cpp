// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/kernels/fast_gram.hpp against dense Eigen matrices: eigenvalues (real, non-negative,
// trace), products, solves, log-determinants, eigenvalue derivatives (finite differences), cross
// kernels, for lattices and digital nets in several randomizations, orders and smoothness orders;
// and the rejected pairings.

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>

#include "qmcsim/kernels/fast_gram.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using Gram = FastGram<Host>;

Eigen::MatrixXd dense_gram(const Gram& gram, const ProductKernel& kernel) {
  const auto x = gram.points();
  const auto k = device_kernel<Kokkos::HostSpace>(kernel);
  const std::size_t n = gram.size();
  Eigen::MatrixXd K(n, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t l = 0; l < n; ++l) K(i, l) = k(&x(i, 0), &x(l, 0));
  return K;
}

Gram::RealRows random_rows(std::size_t m, std::size_t n, unsigned seed) {
  Gram::RealRows v("v", m, n);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  for (std::size_t k = 0; k < v.size(); ++k) v.data()[k] = z(rng);
  return v;
}

void check_against_dense(const Gram& gram, ProductKernel kernel) {
  const std::size_t n = gram.size();
  const Eigen::MatrixXd K = dense_gram(gram, kernel);
  const auto lambda = gram.eigenvalues(kernel);
  const double largest = K.diagonal().maxCoeff() * n;
  // real and non-negative (the Gram matrix of a positive-definite kernel), summing to the trace
  double sum = 0;
  for (std::size_t k = 0; k < n; ++k) {
    EXPECT_GE(lambda(k), -1e-10 * largest);
    sum += lambda(k);
  }
  EXPECT_NEAR(sum, K.trace(), 1e-10 * K.trace());
  // the spectrum agrees with the dense symmetric eigenvalues
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> dense(K);
  std::vector<double> fast(lambda.data(), lambda.data() + n);
  std::sort(fast.begin(), fast.end());
  for (std::size_t k = 0; k < n; ++k) EXPECT_NEAR(fast[k], dense.eigenvalues()(k), 1e-9 * largest);

  const double nugget = 1e-3 * K(0, 0);
  const auto v = random_rows(3, n, 5);
  const auto product = gram.multiply(lambda, nugget, v);
  const auto solved = gram.solve(lambda, nugget, v);
  const Eigen::MatrixXd shifted = K + nugget * Eigen::MatrixXd::Identity(n, n);
  const Eigen::LLT<Eigen::MatrixXd> cholesky(shifted);
  for (std::size_t r = 0; r < 3; ++r) {
    const Eigen::VectorXd vr = Eigen::Map<const Eigen::VectorXd>(&v(r, 0), n);
    const Eigen::VectorXd expected_product = shifted * vr;
    const Eigen::VectorXd expected_solution = cholesky.solve(vr);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_NEAR(product(r, i), expected_product(i), 1e-10 * largest);
      EXPECT_NEAR(solved(r, i), expected_solution(i), 1e-8 * expected_solution.lpNorm<Eigen::Infinity>());
    }
  }
  const double dense_log_det = 2 * cholesky.matrixLLT().diagonal().array().log().sum();
  EXPECT_NEAR(gram.log_determinant(lambda, nugget), dense_log_det, 1e-9 * std::abs(dense_log_det) + 1e-9);

  // d lambda / d log gamma_j by central differences
  const auto derivatives = gram.weight_derivatives(kernel);
  for (std::size_t j = 0; j < kernel.dimension(); ++j) {
    ProductKernel up = kernel, down = kernel;
    const double h = 1e-5;
    up.weights[j] *= std::exp(h);
    down.weights[j] *= std::exp(-h);
    const auto lu = gram.eigenvalues(up), ld = gram.eigenvalues(down);
    for (std::size_t k = 0; k < n; k += 7)
      EXPECT_NEAR(derivatives(j, k), (lu(k) - ld(k)) / (2 * h), 1e-6 * largest) << "j " << j << " k " << k;
  }

  // cross kernel with the design's own points reproduces rows of K
  Gram::Words some("some", 4, gram.dimension());
  for (std::size_t p = 0; p < 4; ++p)
    for (std::size_t j = 0; j < gram.dimension(); ++j) some(p, j) = gram.points()(p * 13 % n, j);
  const auto cross = gram.cross_kernel(kernel, some);
  for (std::size_t p = 0; p < 4; ++p)
    for (std::size_t i = 0; i < n; ++i) EXPECT_DOUBLE_EQ(cross(p, i), K(p * 13 % n, i));
}

TEST(FastGram, LatticeWithShiftInvariantKernelsMatchesDenseAlgebra) {
  LatticeOptions options;
  options.dimension = 3;
  options.replications = 2;
  options.seed = 8;
  const Lattice<Host> lattice(GeneratingVector::default_vector(), options);
  for (std::uint64_t n : {64u, 256u, 1024u})
    for (std::vector<int> alpha : {std::vector<int>{1, 1, 1}, std::vector<int>{2, 3, 4}}) {
      Gram gram(lattice, n, 1);
      check_against_dense(gram, {KernelFamily::shift_invariant, 1.7, {1.0, 0.5, 0.25}, alpha});
    }
}

TEST(FastGram, DigitalNetsWithDigitallyShiftInvariantKernelsMatchDenseAlgebra) {
  for (Randomization how : {Randomization::none, Randomization::digital_shift, Randomization::lms_digital_shift})
    for (PointOrder order : {PointOrder::natural, PointOrder::gray})
      for (int alpha : {1, 2}) {
        DigitalNetOptions options;
        options.dimension = 3;
        options.randomization = how;
        options.order = order;
        options.alpha = alpha;
        options.seed = 21;
        const DigitalNet<Host> net(GeneratingMatrices::sobol(3 * alpha), options);
        Gram gram(net, 256);
        check_against_dense(gram, {KernelFamily::digitally_shift_invariant, 0.9, {1.0, 0.7, 0.3}, {1, 2, 4}});
      }
}

TEST(FastGram, RejectsMismatchedPairingsAndSizes) {
  DigitalNetOptions net_options;
  net_options.dimension = 2;
  const DigitalNet<Host> net(GeneratingMatrices::sobol(2), net_options);
  Gram net_gram(net, 64);
  EXPECT_THROW(net_gram.eigenvalues({KernelFamily::shift_invariant, 1, {1, 1}, {1, 1}}), error);
  EXPECT_THROW(net_gram.eigenvalues({KernelFamily::digitally_shift_invariant, 1, {1, 1, 1}, {1, 1, 1}}), error);
  EXPECT_THROW(Gram(net, 100), error);
  EXPECT_THROW(Gram(net, 64, 1), error);
  net_options.randomization = Randomization::nus;
  EXPECT_THROW(Gram(DigitalNet<Host>(GeneratingMatrices::sobol(2), net_options), 64), error);

  LatticeOptions lattice_options;
  lattice_options.dimension = 2;
  const Lattice<Host> lattice(GeneratingVector::default_vector(), lattice_options);
  EXPECT_THROW(Gram(lattice, std::uint64_t{1} << 21), error);
  Gram lattice_gram(lattice, 64);
  EXPECT_THROW(lattice_gram.eigenvalues({KernelFamily::digitally_shift_invariant, 1, {1, 1}, {1, 1}}), error);
  lattice_options.order = PointOrder::gray;
  EXPECT_THROW(Gram(Lattice<Host>(GeneratingVector::default_vector(), lattice_options), 64), error);

  const auto lambda = lattice_gram.eigenvalues({KernelFamily::shift_invariant, 1, {1, 1}, {1, 1}});
  EXPECT_THROW(lattice_gram.log_determinant(lambda, -1e9), error);  // not positive definite
}

// Every method on a caller's instance, its input rows filled there by a delayed copy, against the
// default instance, bit for bit.
TEST(FastGram, RunsOnACallersInstance) {
  using DeviceGram = FastGram<>;
  LatticeOptions lattice_options;
  lattice_options.dimension = 3;
  DigitalNetOptions net_options;
  net_options.dimension = 3;
  net_options.randomization = Randomization::lms_digital_shift;
  const Lattice<> lattice(GeneratingVector::default_vector(), lattice_options);
  const DigitalNet<> net(GeneratingMatrices::sobol(3), net_options);
  const auto same = [](const auto& a, const auto& b) {
    const auto x = test::to_host(a);
    const auto y = test::to_host(b);
    for (std::size_t k = 0; k < x.size(); ++k)
      if (!(x.data()[k] == y.data()[k])) return false;
    return x.size() == y.size();
  };
  for (const DeviceGram& gram : {DeviceGram(lattice, 256), DeviceGram(net, 256)}) {
    const ProductKernel kernel{gram.family(), 1.3, {0.8, 0.4, 0.2}, {1, 2, 2}};
    const auto host_values = random_rows(3, 256, 9);
    DeviceGram::RealRows source("source", 3, 256), values("values", 3, 256);
    Kokkos::deep_copy(source, host_values);
    const auto lambda = gram.eigenvalues(kernel);
    const auto product = gram.multiply(lambda, 1e-3, source);
    const auto solution = gram.solve(lambda, 1e-3, source);
    const double log_det = gram.log_determinant(lambda, 1e-3);
    const auto derivatives = gram.weight_derivatives(kernel);
    const auto cross = gram.cross_kernel(kernel, gram.points());

    const test::UserInstance user;
    const auto& space = user.space();
    test::delayed_copy(space, values, source);
    const auto lambda_on = gram.eigenvalues(space, kernel);
    const auto product_on = gram.multiply(space, lambda_on, 1e-3, values);
    const auto solution_on = gram.solve(space, lambda_on, 1e-3, values);
    const double log_det_on = gram.log_determinant(space, lambda_on, 1e-3);
    const auto derivatives_on = gram.weight_derivatives(space, kernel);
    const auto cross_on = gram.cross_kernel(space, kernel, gram.points());
    space.fence();
    EXPECT_TRUE(same(lambda, lambda_on));
    EXPECT_TRUE(same(product, product_on));
    EXPECT_TRUE(same(solution, solution_on));
    EXPECT_EQ(log_det, log_det_on);
    EXPECT_TRUE(same(derivatives, derivatives_on));
    EXPECT_TRUE(same(cross, cross_on));
  }
}

TEST(FastGram, StridedRowsGiveTheResultsOfContiguousOnes) {
  LatticeOptions options;
  options.dimension = 2;
  const Lattice<Host> lattice(GeneratingVector::default_vector(), options);
  DigitalNetOptions net_options;
  net_options.dimension = 2;
  const DigitalNet<Host> net(GeneratingMatrices::sobol(2), net_options);
  for (const Gram& gram : {Gram(lattice, 64), Gram(net, 64)}) {
    const ProductKernel kernel{gram.family(), 1.3, {0.8, 0.4}, {1, 2}};
    const auto lambda = gram.eigenvalues(kernel);
    const Gram::RealRows wide = random_rows(3, 2 * 64, 5);  // rows 128 apart, of which the first 64 are used
    const Gram::RealRows strided = Kokkos::subview(wide, Kokkos::ALL(), std::make_pair(0, 64));
    ASSERT_EQ(strided.stride(0), 128u);
    Gram::RealRows contiguous("contiguous", 3, 64);
    Kokkos::deep_copy(contiguous, strided);
    const auto before = test::to_host(wide);
    for (bool solve : {false, true}) {
      const auto a = solve ? gram.solve(lambda, 1e-3, strided) : gram.multiply(lambda, 1e-3, strided);
      const auto b = solve ? gram.solve(lambda, 1e-3, contiguous) : gram.multiply(lambda, 1e-3, contiguous);
      for (std::size_t m = 0; m < 3; ++m)
        for (std::size_t i = 0; i < 64; ++i) EXPECT_EQ(a(m, i), b(m, i)) << m << " " << i;
    }
    for (std::size_t k = 0; k < wide.size(); ++k) EXPECT_EQ(wide.data()[k], before.data()[k]) << "the input changed at " << k;
  }
}

}  // namespace
}  // namespace qmcsim
