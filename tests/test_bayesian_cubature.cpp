// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/cubature/bayesian_cubature.hpp: the profiled likelihood's gradient against finite
// differences, credible intervals that cover the exact Keister integral at their stated rate over
// many randomizations (lattice + shift-invariant kernel, net + digitally-shift-invariant kernel),
// tolerance-driven doubling, rejected options.

#include <gtest/gtest.h>

#include "qmcsim/cubature/bayesian_cubature.hpp"
#include "qmcsim/cubature/integrands.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;

template <class ExecSpace = Host>
Lattice<ExecSpace> shifted_lattice(std::size_t d, std::uint64_t seed) {
  LatticeOptions options;
  options.dimension = d;
  options.seed = seed;
  return Lattice<ExecSpace>(GeneratingVector::default_vector(), options);
}

template <class ExecSpace = Host>
DigitalNet<ExecSpace> scrambled_net(std::size_t d, std::uint64_t seed) {
  DigitalNetOptions options;
  options.dimension = d;
  options.seed = seed;
  return DigitalNet<ExecSpace>(GeneratingMatrices::sobol(d), options);
}

TEST(BayesianCubature, ProfiledLikelihoodGradientMatchesFiniteDifferences) {
  const auto lattice = shifted_lattice(3, 4);
  const FastGram<Host> gram(lattice, 256);
  Kokkos::View<double*, Kokkos::LayoutRight, Kokkos::HostSpace> y("y", 256);
  const auto x = test::to_host(lattice.generate({0, 256}));
  for (std::size_t i = 0; i < 256; ++i) y(i) = std::exp(std::sin(2 * M_PI * x(0, i, 0)) + x(0, i, 1) * (1 - x(0, i, 1)));
  const auto power = detail::power_spectrum(Host(), gram.transform(Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace>(y.data(), 1, 256)));
  const ProductKernel kernel{KernelFamily::shift_invariant, 1.0, {0.7, 0.4, 0.2}, {2, 2, 2}};
  std::vector<double> gradient;
  detail::profiled_likelihood(Host(), gram, kernel, 1e-10, power, &gradient);
  for (std::size_t j = 0; j < 3; ++j) {
    ProductKernel up = kernel, down = kernel;
    up.weights[j] *= std::exp(1e-5);
    down.weights[j] *= std::exp(-1e-5);
    const double difference = (detail::profiled_likelihood(Host(), gram, up, 1e-10, power, nullptr) -
                               detail::profiled_likelihood(Host(), gram, down, 1e-10, power, nullptr)) / 2e-5;
    EXPECT_NEAR(gradient[j], difference, 1e-5 * std::max(1.0, std::abs(difference)));
  }
}

// 99% credible intervals over independent randomizations: with 120 trials, a correct coverage of
// 0.99 gives fewer than 9 misses with probability 1 - 6e-6.
template <class Make>
void expect_coverage(const Make& make, BayesianCubatureOptions options, int trials) {
  const Keister keister{3};
  int misses = 0;
  for (int t = 0; t < trials; ++t) {
    const auto result = bayesian_cubature(make(3, 1000 + t), keister, options);
    misses += std::abs(result.estimate - keister.exact()) > result.half_width;
  }
  EXPECT_LE(misses, 8) << misses << " of " << trials << " intervals missed";
}

TEST(BayesianCubature, LatticeIntervalsCoverTheKeisterIntegral) {
  BayesianCubatureOptions options;
  options.log2_min_points = options.log2_max_points = 10;
  options.periodization = Periodization::baker;  // continuous periodic integrand, smoothness 1
  options.smoothness = 1;
  expect_coverage(shifted_lattice<Host>, options, 120);
  options.periodization = Periodization::c1sin;  // smoother integrand, smoothness 2
  options.smoothness = 2;
  expect_coverage(shifted_lattice<Host>, options, 120);
}

TEST(BayesianCubature, DigitalNetIntervalsCoverTheKeisterIntegral) {
  BayesianCubatureOptions options;
  options.log2_min_points = options.log2_max_points = 10;
  options.periodization = Periodization::none;
  expect_coverage(scrambled_net<Host>, options, 120);
}

TEST(BayesianCubature, DoublesUntilTheToleranceIsMet) {
  const Keister keister{4};
  BayesianCubatureOptions options;
  options.absolute_tolerance = 2e-4;
  options.periodization = Periodization::c1sin;
  options.smoothness = 2;
  const auto result = bayesian_cubature(shifted_lattice(4, 9), keister, options);
  EXPECT_TRUE(result.met_tolerance);
  EXPECT_LE(result.half_width, 2e-4);
  EXPECT_LT(std::abs(result.estimate - keister.exact()), 2e-4);
  EXPECT_GT(result.steps.size(), 1u);
  for (std::size_t s = 1; s < result.steps.size(); ++s) EXPECT_EQ(result.steps[s].points, 2 * result.steps[s - 1].points);
}

// On a caller's instance, lattice and net: the default instance's steps bit for bit.
TEST(BayesianCubature, RunsOnACallersInstance) {
  const Keister keister{3};
  BayesianCubatureOptions options;
  options.absolute_tolerance = 1e-4;
  const auto lattice = shifted_lattice<Kokkos::DefaultExecutionSpace>(3, 5);
  const auto net = scrambled_net<Kokkos::DefaultExecutionSpace>(3, 5);
  const test::UserInstance user;
  const auto check = [&](const BayesianCubatureResult& expected, const BayesianCubatureResult& result) {
    ASSERT_EQ(result.steps.size(), expected.steps.size());
    for (std::size_t s = 0; s < expected.steps.size(); ++s) {
      EXPECT_EQ(result.steps[s].estimate, expected.steps[s].estimate) << "step " << s;
      EXPECT_EQ(result.steps[s].half_width, expected.steps[s].half_width) << "step " << s;
      EXPECT_EQ(result.steps[s].weights, expected.steps[s].weights) << "step " << s;
    }
  };
  check(bayesian_cubature(lattice, keister, options), bayesian_cubature(user.space(), lattice, keister, options));
  check(bayesian_cubature(net, keister, options), bayesian_cubature(user.space(), net, keister, options));
}

TEST(BayesianCubature, RejectsBadOptions) {
  const Keister keister{2};
  BayesianCubatureOptions options;
  options.absolute_tolerance = 0;
  EXPECT_THROW(bayesian_cubature(shifted_lattice(2, 1), keister, options), error);
  options = {};
  options.confidence = 1.5;
  EXPECT_THROW(bayesian_cubature(shifted_lattice(2, 1), keister, options), error);
  options = {};
  options.periodization = Periodization::baker;
  EXPECT_THROW(bayesian_cubature(scrambled_net(2, 1), keister, options), error);  // periodization on a net
  options.periodization = Periodization::none;
  DigitalNetOptions nus;
  nus.dimension = 2;
  nus.randomization = Randomization::nus;
  EXPECT_THROW(bayesian_cubature(DigitalNet<Host>(GeneratingMatrices::sobol(2), nus), keister, options), error);
  options.log2_max_points = 24;  // beyond the default lattice's 2^20 points
  EXPECT_THROW(bayesian_cubature(shifted_lattice(2, 1), keister, BayesianCubatureOptions{1e-3, 0, 8, 24}), error);
  EXPECT_THROW(parse_periodization("tent"), error);
  options = {};
  options.periodization = Periodization::baker;
  options.smoothness = 2;  // the tent transform leaves kinks: smoothness 2 would overstate the accuracy
  EXPECT_THROW(bayesian_cubature(shifted_lattice(2, 1), keister, options), error);
  // ranges are checked before anything is allocated (2^43 values would be 64 TiB)
  DigitalNetOptions ds;
  ds.dimension = 2;
  ds.randomization = Randomization::digital_shift;
  const DigitalNet<Host> sobol(GeneratingMatrices::sobol(2), ds);
  options = {};
  options.periodization = Periodization::none;
  for (auto [lo, hi] : {std::pair{8, 43}, std::pair{12, 10}, std::pair{0, 10}, std::pair{8, 64}, std::pair{-3, 10}}) {
    options.log2_min_points = lo;
    options.log2_max_points = hi;
    EXPECT_THROW(bayesian_cubature(sobol, keister, options), error) << lo << " " << hi;
  }
}

}  // namespace
}  // namespace qmcsim
