// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/cubature/rqmc.hpp: sums against a direct loop, bitwise reproducibility across
// back ends and range splits, the replicated estimate's statistics, and an RQMC integral whose
// error sits inside its standard error.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "qmcsim/cubature/integrands.hpp"
#include "qmcsim/cubature/rqmc.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "qmcsim/iid/iid_uniform.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;

struct Product {  // prod_j 2 x_j, integral 1
  int d;
  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {
    double f = 1;
    for (int j = 0; j < d; ++j) f *= 2 * x[j];
    return f;
  }
};

template <class ExecSpace>
DigitalNet<ExecSpace> sobol_net(std::size_t R, std::size_t d) {
  DigitalNetOptions options;
  options.dimension = d;
  options.replications = R;
  options.seed = 4;
  return DigitalNet<ExecSpace>(GeneratingMatrices::sobol(d), options);
}

TEST(Rqmc, SumsMatchADirectLoop) {
  const auto net = sobol_net<Host>(3, 4);
  const IndexRange range{100, 5000};
  const auto sums = replication_sums(net, range, Product{4});
  const auto x = test::to_host(net.generate(range));
  for (std::size_t r = 0; r < 3; ++r) {
    long double direct = 0;
    for (std::size_t i = 0; i < range.size(); ++i) direct += Product{4}(&x(r, i, 0));
    EXPECT_NEAR(sums[r], static_cast<double>(direct), 1e-12 * std::abs(static_cast<double>(direct)));
  }
}

TEST(Rqmc, SummationBlocksCountTheBlocksARangeTouches) {
  constexpr std::uint64_t B = summation_block;
  EXPECT_EQ(summation_blocks({5, 5}), 0u);
  EXPECT_EQ(summation_blocks({0, 1}), 1u);
  EXPECT_EQ(summation_blocks({0, B}), 1u);
  EXPECT_EQ(summation_blocks({B - 1, B + 1}), 2u);
  EXPECT_EQ(summation_blocks({3 * B + 17, 11 * B + 5}), 9u);  // blocks 3 .. 11
  const auto blocks = replication_block_sums(sobol_net<Host>(2, 3), {3 * B + 17, 11 * B + 5}, Product{3});
  EXPECT_EQ(blocks[0].size(), 9u);
  EXPECT_EQ(blocks[1].size(), 9u);
}

TEST(Rqmc, BlockSumsConcatenateAcrossSplitsBitwise) {
  const auto net = sobol_net<Host>(2, 3);
  const Product f{3};
  const auto whole = replication_block_sums(net, {0, 50 * summation_block + 17}, f);
  const auto left = replication_block_sums(net, {0, 21 * summation_block}, f);
  const auto right = replication_block_sums(net, {21 * summation_block, 50 * summation_block + 17}, f);
  for (std::size_t r = 0; r < 2; ++r) {
    std::vector<double> joined = left[r];
    joined.insert(joined.end(), right[r].begin(), right[r].end());
    EXPECT_EQ(joined, whole[r]);
  }
}

#if defined(KOKKOS_ENABLE_SERIAL) && defined(KOKKOS_ENABLE_OPENMP)
TEST(Rqmc, SerialAndOpenMPSumsAgreeBitwise) {
  const auto serial = replication_sums(sobol_net<Kokkos::Serial>(4, 8), {0, 1 << 17}, Keister{8});
  const auto openmp = replication_sums(sobol_net<Kokkos::OpenMP>(4, 8), {0, 1 << 17}, Keister{8});
  EXPECT_EQ(serial, openmp);
}
#endif

TEST(Rqmc, CombineReplications) {
  const auto estimate = combine_replications({10.0, 14.0, 12.0}, 4);
  EXPECT_DOUBLE_EQ(estimate.mean, 3.0);
  EXPECT_DOUBLE_EQ(estimate.standard_error, std::sqrt((0.25 + 0.25 + 0) / 6.0));
  EXPECT_EQ(estimate.replicate_means.size(), 3u);
  EXPECT_THROW(combine_replications({}, 4), error);
}

TEST(Rqmc, KeisterEstimateFallsWithinItsStandardError) {
  const Keister keister{8};
  const auto estimate = replicated_estimate(sobol_net<Host>(16, 8), 1 << 14, keister);
  EXPECT_LT(std::abs(estimate.mean - keister.exact()), 6 * estimate.standard_error);
  IidUniform<Host> iid({8, PointOrder::natural, Randomization::none, 16, 4});
  const auto mc = replicated_estimate(iid, 1 << 14, keister);
  EXPECT_LT(std::abs(mc.mean - keister.exact()), 6 * mc.standard_error);
  EXPECT_GT(mc.standard_error, 10 * estimate.standard_error);  // QMC beats MC at this n
}

}  // namespace
}  // namespace qmcsim

namespace qmcsim {
namespace {

TEST(RqmcCubature, MeetsTheToleranceAndMatchesAOneShotRun) {
  const Keister keister{5};
  RqmcCubatureOptions options;
  options.absolute_tolerance = 5e-4;
  options.log2_min_points = 6;
  const auto net = sobol_net<Host>(16, 5);
  const auto result = rqmc_cubature(net, keister, options);
  EXPECT_TRUE(result.met_tolerance);
  EXPECT_LE(result.half_width, 5e-4);
  EXPECT_LT(std::abs(result.estimate.mean - keister.exact()), 5e-4);
  const auto one_shot = replicated_estimate(net, result.estimate.points, keister);
  EXPECT_EQ(one_shot.mean, result.estimate.mean);  // doubling reuses sums without changing a bit
  options.absolute_tolerance = 0;
  EXPECT_THROW(rqmc_cubature(net, keister, options), error);
  options.absolute_tolerance = 1e-3;
  EXPECT_THROW(rqmc_cubature(sobol_net<Host>(1, 5), keister, options), error);  // one replication
}

// Unrandomized replications are copies: their spread is 0 whatever the error, so a tolerance would
// be "met" with a zero-width interval around a wrong estimate (x^20 on 2^10 unrandomized lattice
// points: 0.04713 for 1/21 = 0.04762, "met" at 1e-4). Refused, naming the cause; iid points need no
// randomization.
TEST(RqmcCubature, RefusesUnrandomizedReplications) {
  const Keister keister{5};
  RqmcCubatureOptions options;
  options.absolute_tolerance = 1e-3;
  options.log2_min_points = 6;
  DigitalNetOptions unrandomized;
  unrandomized.dimension = 5;
  unrandomized.replications = 8;
  unrandomized.randomization = Randomization::none;
  const DigitalNet<Host> net(GeneratingMatrices::sobol(5), unrandomized);
  EXPECT_FALSE(net.random_replications());
  try {
    rqmc_cubature(net, keister, options);
    ADD_FAILURE() << "unrandomized replications were accepted";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("randomization 'none'"), std::string::npos) << e.what();
  }
  const IidUniform<Host> iid({5, PointOrder::natural, Randomization::none, 8, 3});
  EXPECT_TRUE(iid.random_replications() && sobol_net<Host>(8, 5).random_replications());
  options.absolute_tolerance = 0.05;
  const auto result = rqmc_cubature(iid, keister, options);
  EXPECT_GT(result.half_width, 0);
  EXPECT_LT(std::abs(result.estimate.mean - keister.exact()), result.half_width);
}

}  // namespace
}  // namespace qmcsim

namespace qmcsim {
namespace {

/// (x_1, x_1^2, x_1 x_2, e^{x_1 + x_2}): integrals 1/2, 1/3, 1/4, (e - 1)^2.
struct Moments {
  int dimension = 2;
  std::size_t outputs() const { return 4; }
  KOKKOS_INLINE_FUNCTION void operator()(const double* x, double* y) const {
    y[0] = x[0];
    y[1] = x[0] * x[0];
    y[2] = x[0] * x[1];
    y[3] = ::exp(x[0] + x[1]);
  }
};

template <int Output>
struct MomentComponent {
  int dimension = 2;
  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {
    double y[4];
    Moments{}(x, y);
    return y[Output];
  }
};

// Every output meets its own tolerance, and each equals the scalar cubature of that component over the
// same n to the last bit (the same points, blocks and summation order).
TEST(RqmcVector, EveryOutputMeetsItsToleranceAndEqualsItsScalarRun) {
  const auto net = sobol_net<Host>(8, 2);
  RqmcCubatureOptions options;
  options.log2_min_points = 6;
  OutputTolerances tolerances{{1e-3, 1e-3, 1e-3, 0}, {0, 0, 0, 1e-6}};  // the last: relative only
  const auto result = rqmc_vector_cubature(net, Moments{}, options, tolerances);
  ASSERT_TRUE(result.met_tolerance);
  ASSERT_EQ(result.estimates.size(), 4u);
  const double exact[4] = {0.5, 1.0 / 3, 0.25, (std::exp(1.0) - 1) * (std::exp(1.0) - 1)};
  for (int j = 0; j < 4; ++j) {
    EXPECT_TRUE(result.met[j]);
    EXPECT_LE(std::abs(result.estimates[j].mean - exact[j]), 1.5 * result.half_widths[j] + 1e-15) << "output " << j;
  }
  EXPECT_LE(result.half_widths[3], 1e-6 * std::abs(result.estimates[3].mean));
  // the relative tolerance on e^{x1+x2} is the hardest: it sets n, where the others are far inside theirs
  EXPECT_LT(result.half_widths[0], 1e-4);
  const std::uint64_t n = result.points;
  EXPECT_EQ(replicated_estimate(net, n, MomentComponent<0>{}).mean, result.estimates[0].mean);
  EXPECT_EQ(replicated_estimate(net, n, MomentComponent<1>{}).mean, result.estimates[1].mean);
  EXPECT_EQ(replicated_estimate(net, n, MomentComponent<2>{}).mean, result.estimates[2].mean);
  EXPECT_EQ(replicated_estimate(net, n, MomentComponent<3>{}).standard_error, result.estimates[3].standard_error);
}

struct TooMany {
  int dimension = 2;
  std::size_t outputs() const { return max_integrand_outputs + 1; }
  KOKKOS_INLINE_FUNCTION void operator()(const double*, double*) const {}
};

// Both drivers on a caller's instance (their points, evaluations and block sums queued there, the host
// waiting on it alone) against the default instance, every step bit for bit.
TEST(RqmcCubature, RunsOnACallersInstance) {
  const auto net = sobol_net<Kokkos::DefaultExecutionSpace>(8, 4);
  RqmcCubatureOptions options;
  options.absolute_tolerance = 1e-4;
  options.log2_min_points = 6;
  const test::UserInstance user;
  const auto expected = rqmc_cubature(net, Keister{4}, options);
  const auto result = rqmc_cubature(user.space(), net, Keister{4}, options);
  ASSERT_EQ(result.steps.size(), expected.steps.size());
  for (std::size_t s = 0; s < expected.steps.size(); ++s) {
    EXPECT_EQ(result.steps[s].mean, expected.steps[s].mean) << "step " << s;
    EXPECT_EQ(result.steps[s].standard_error, expected.steps[s].standard_error) << "step " << s;
  }
  const auto moments = sobol_net<Kokkos::DefaultExecutionSpace>(8, 2);
  const auto vector_expected = rqmc_vector_cubature(moments, Moments{}, options);
  const auto vector_result = rqmc_vector_cubature(user.space(), moments, Moments{}, options);
  ASSERT_EQ(vector_result.points, vector_expected.points);
  for (std::size_t j = 0; j < vector_expected.estimates.size(); ++j)
    EXPECT_EQ(vector_result.estimates[j].mean, vector_expected.estimates[j].mean) << "output " << j;
}

TEST(RqmcVector, RejectsBadTolerancesAndOutputCounts) {
  const auto net = sobol_net<Host>(4, 2);
  EXPECT_THROW(rqmc_vector_cubature(net, Moments{}, {}, OutputTolerances{{1e-3, 1e-3}, {}}), error);  // 2 for 4 outputs
  EXPECT_THROW(rqmc_vector_cubature(net, Moments{}, {}, OutputTolerances{{1e-3, 0, 1e-3, 1e-3}, {0, 0, 0, 0}}), error);
  EXPECT_THROW(rqmc_vector_cubature(net, Moments{}, {}, OutputTolerances{{1e-3, NAN, 1e-3, 1e-3}, {}}), error);
  EXPECT_THROW(rqmc_vector_cubature(net, TooMany{}), error);
}

}  // namespace
}  // namespace qmcsim
