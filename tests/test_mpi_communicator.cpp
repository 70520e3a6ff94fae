// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/mpi/communicator.hpp (run under mpirun with any number of ranks): block-aligned
// shares against their definition, all_gather against the known concatenation, agreement checks
// that fail on every rank, fingerprints of point sets.

#include <gtest/gtest.h>

#include "qmcsim/cubature/rqmc.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "qmcsim/mpi/communicator.hpp"

namespace qmcsim::mpi {
namespace {

constexpr std::uint64_t B = summation_block;

TEST(MpiShares, TileTheRangeAlongWholeBlocks) {
  for (const IndexRange range : {IndexRange{0, 1}, IndexRange{0, 5 * B}, IndexRange{3 * B + 17, 11 * B + 5},
                                 IndexRange{512, 1024}, IndexRange{7 * B, 7 * B}, IndexRange{0, (1u << 20) + 3}}) {
    for (int ranks = 1; ranks <= 7; ++ranks) {
      const auto shares = block_aligned_shares(range, ranks);
      ASSERT_EQ(shares.size(), static_cast<std::size_t>(ranks));
      EXPECT_EQ(shares.front().begin, range.begin);
      EXPECT_EQ(shares.back().end, range.end);
      const std::uint64_t blocks = range.size() == 0 ? 0 : (range.end - 1) / B - range.begin / B + 1;
      for (int k = 0; k < ranks; ++k) {
        const IndexRange share = shares[k];
        EXPECT_LE(share.begin, share.end);
        if (k > 0) EXPECT_EQ(share.begin, shares[k - 1].end);
        if (share.begin > range.begin && share.begin < range.end) EXPECT_EQ(share.begin % B, 0u) << "a share cuts a block";
        const std::uint64_t owned = share.size() == 0 ? 0 : (share.end - 1) / B - share.begin / B + 1;
        EXPECT_TRUE(owned == blocks / ranks || owned == blocks / ranks + 1) << owned << " of " << blocks << " blocks";
      }
    }
  }
  EXPECT_THROW(block_aligned_share({0, 10}, 2, 2), error);
  EXPECT_THROW(block_aligned_share({10, 0}, 0, 2), error);
}

TEST(MpiAllGather, ConcatenatesInRankOrder) {
  const Communicator world;
  std::vector<double> local;
  for (int i = 0; i <= world.rank; ++i) local.push_back(100.0 * world.rank + i);  // rank k sends k + 1 values
  std::vector<double> expected;
  for (int k = 0; k < world.size; ++k)
    for (int i = 0; i <= k; ++i) expected.push_back(100.0 * k + i);
  EXPECT_EQ(all_gather(world, local), expected);
  EXPECT_EQ(all_gather(world, {}), std::vector<double>());
}

TEST(MpiAgreement, PassesOnEqualAndFailsOnEveryRankOnUnequalFingerprints) {
  const Communicator world;
  EXPECT_NO_THROW(require_agreement(world, 42, "test value"));
  if (world.size > 1) {
    try {
      require_agreement(world, world.rank == world.size - 1 ? 43 : 42, "test value");
      ADD_FAILURE() << "no error on rank " << world.rank;
    } catch (const error& e) {
      EXPECT_NE(std::string(e.what()).find("do not hold the same test value"), std::string::npos) << e.what();
    }
  }
}

DigitalNet<Kokkos::DefaultHostExecutionSpace> net(std::uint64_t seed, std::size_t replications = 2) {
  DigitalNetOptions options;
  options.dimension = 3;
  options.replications = replications;
  options.seed = seed;
  return DigitalNet<Kokkos::DefaultHostExecutionSpace>(GeneratingMatrices::sobol(3), options);
}

TEST(MpiFingerprint, SeparatesSeedsAndReplicationCounts) {
  EXPECT_EQ(point_set_fingerprint(net(7)), point_set_fingerprint(net(7)));
  EXPECT_NE(point_set_fingerprint(net(7)), point_set_fingerprint(net(8)));
  EXPECT_NE(point_set_fingerprint(net(7, 2)), point_set_fingerprint(net(7, 3)));
  EXPECT_NE(Fingerprint().add(1.0).value(), Fingerprint().add(std::nextafter(1.0, 2.0)).value());
  EXPECT_NE(Fingerprint().add(1.0).add(2.0).value(), Fingerprint().add(2.0).add(1.0).value());
}

}  // namespace
}  // namespace qmcsim::mpi
