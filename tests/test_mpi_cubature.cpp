// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/mpi/cubature.hpp (run under mpirun with any number of ranks): every distributed
// result equals, bit for bit, the single-process result each rank also computes alone, for lattices,
// Sobol' nets, Halton and iid points, ranges shorter than one block per rank, RQMC to a tolerance and
// fast Bayesian cubature; ranks holding different point sets or options fail together.

#include <gtest/gtest.h>

#include "qmcsim/cubature/integrands.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "qmcsim/halton/halton.hpp"
#include "qmcsim/iid/iid_uniform.hpp"
#include "qmcsim/lattice/lattice.hpp"
#include "qmcsim/mpi/cubature.hpp"

namespace qmcsim::mpi {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;

Lattice<Host> lattice(std::size_t d, std::size_t replications, std::uint64_t seed) {
  LatticeOptions options;
  options.dimension = d;
  options.replications = replications;
  options.seed = seed;
  return Lattice<Host>(GeneratingVector::default_vector(), options);
}

DigitalNet<Host> sobol(std::size_t d, std::size_t replications, std::uint64_t seed) {
  DigitalNetOptions options;
  options.dimension = d;
  options.replications = replications;
  options.seed = seed;
  return DigitalNet<Host>(GeneratingMatrices::sobol(d), options);
}

Halton<Host> halton(std::size_t d, std::size_t replications, std::uint64_t seed) {
  HaltonOptions options;
  options.dimension = d;
  options.replications = replications;
  options.seed = seed;
  return Halton<Host>(options);
}

IidUniform<Host> iid(std::size_t d, std::size_t replications, std::uint64_t seed) {
  return IidUniform<Host>({d, PointOrder::natural, Randomization::none, replications, seed});
}

void expect_same(const ReplicatedEstimate& distributed, const ReplicatedEstimate& single) {
  EXPECT_EQ(distributed.mean, single.mean);
  EXPECT_EQ(distributed.standard_error, single.standard_error);
  EXPECT_EQ(distributed.replicate_means, single.replicate_means);
  EXPECT_EQ(distributed.points, single.points);
}

TEST(MpiReplicatedEstimate, EqualsOneProcessBitwiseForEveryPointSet) {
  const Communicator world;
  const Keister f{6};
  for (const std::uint64_t n : {std::uint64_t{1}, std::uint64_t{1000}, 3 * summation_block + 7, std::uint64_t{1} << 17}) {
    SCOPED_TRACE(n);
    expect_same(replicated_estimate(world, lattice(6, 4, 1), n, f), qmcsim::replicated_estimate(lattice(6, 4, 1), n, f));
    expect_same(replicated_estimate(world, sobol(6, 4, 2), n, f), qmcsim::replicated_estimate(sobol(6, 4, 2), n, f));
    expect_same(replicated_estimate(world, halton(6, 3, 3), n, f), qmcsim::replicated_estimate(halton(6, 3, 3), n, f));
    expect_same(replicated_estimate(world, iid(6, 5, 4), n, f), qmcsim::replicated_estimate(iid(6, 5, 4), n, f));
  }
}

TEST(MpiBlockSums, EqualOneProcessFromAnOffset) {
  const Communicator world;
  const IndexRange range{5 * summation_block + 300, 23 * summation_block + 11};
  const auto f = GeometricAsianCall{8}.integrand(PathConstruction::bridge);
  EXPECT_EQ(replication_block_sums(world, sobol(8, 3, 5), range, f), qmcsim::replication_block_sums(sobol(8, 3, 5), range, f));
}

TEST(MpiRqmcCubature, EqualsOneProcessBitwiseAtEveryDoubling) {
  const Communicator world;
  const Keister f{5};
  RqmcCubatureOptions options;
  options.absolute_tolerance = 2e-4;
  options.log2_min_points = 6;  // the first doublings are shorter than one block per rank
  const auto net = sobol(5, 16, 6);
  const auto distributed = rqmc_cubature(world, net, f, options);
  const auto single = qmcsim::rqmc_cubature(net, f, options);
  EXPECT_TRUE(distributed.met_tolerance);
  EXPECT_EQ(distributed.half_width, single.half_width);
  ASSERT_EQ(distributed.steps.size(), single.steps.size());
  for (std::size_t s = 0; s < single.steps.size(); ++s) expect_same(distributed.steps[s], single.steps[s]);
  EXPECT_LT(std::abs(distributed.estimate.mean - f.exact()), 2e-4);
}

void expect_same(const BayesianCubatureResult& distributed, const BayesianCubatureResult& single) {
  EXPECT_EQ(distributed.estimate, single.estimate);
  EXPECT_EQ(distributed.half_width, single.half_width);
  EXPECT_EQ(distributed.points, single.points);
  ASSERT_EQ(distributed.steps.size(), single.steps.size());
  for (std::size_t s = 0; s < single.steps.size(); ++s) EXPECT_EQ(distributed.steps[s].weights, single.steps[s].weights);
}

TEST(MpiBayesianCubature, EqualsOneProcessBitwiseOnLatticesAndNets) {
  const Communicator world;
  const Keister f{4};
  BayesianCubatureOptions options;
  options.absolute_tolerance = 1e-5;
  options.log2_min_points = 8;
  options.log2_max_points = 14;
  const auto on_lattice = bayesian_cubature(world, lattice(4, 1, 7), f, options);
  expect_same(on_lattice, qmcsim::bayesian_cubature(lattice(4, 1, 7), f, options));
  EXPECT_LT(std::abs(on_lattice.estimate - f.exact()), std::max(on_lattice.half_width, 1e-5));
  options.periodization = Periodization::none;
  expect_same(bayesian_cubature(world, sobol(4, 1, 8), f, options), qmcsim::bayesian_cubature(sobol(4, 1, 8), f, options));
}

TEST(MpiCubature, RanksWithDifferentPointSetsOrOptionsFailTogether) {
  const Communicator world;
  if (world.size == 1) GTEST_SKIP() << "needs two ranks";
  const Keister f{3};
  const bool last = world.rank == world.size - 1;
  try {
    rqmc_cubature(world, sobol(3, 8, last ? 2 : 1), f);
    ADD_FAILURE() << "different seeds accepted on rank " << world.rank;
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("same point set"), std::string::npos) << e.what();
  }
  RqmcCubatureOptions options;
  options.absolute_tolerance = last ? 1e-3 : 2e-3;
  EXPECT_THROW(rqmc_cubature(world, sobol(3, 8, 1), f, options), error);
  BayesianCubatureOptions bayes;
  bayes.smoothness = last ? 2 : 1;
  bayes.periodization = Periodization::c1sin;
  EXPECT_THROW(bayesian_cubature(world, lattice(3, 1, 1), f, bayes), error);
}

TEST(MpiCubature, OneRankSubcommunicatorIsTheSingleProcess) {
  const Communicator world;
  MPI_Comm alone;
  MPI_Comm_split(world.comm, world.rank, 0, &alone);
  const Communicator self(alone);
  EXPECT_EQ(self.size, 1);
  const Keister f{4};
  expect_same(replicated_estimate(self, sobol(4, 4, 9), 5000, f), qmcsim::replicated_estimate(sobol(4, 4, 9), 5000, f));
  MPI_Comm_free(&alone);
}

}  // namespace
}  // namespace qmcsim::mpi
