// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// RQMC and fast Bayesian cubature on many MPI ranks, each rank generating and evaluating only the
/// indices it owns (block_aligned_share in communicator.hpp) of the same randomized point set.
/// Every rank must call with the same generator (checked by a fingerprint), integrand and options,
/// and every rank receives the whole result.
///
/// Equality with one process on the same back end, bit for bit, for any number of ranks:
/// - RQMC: the sum over n points is fixed as the compensated sum, in index order, of the pairwise sums
///   of the blocks of B = summation_block consecutive indices (rqmc.hpp). Shares never cut a block, so
///   the ranks compute exactly the block sums a single process would; they are gathered
///   (MPI_Allgatherv of R * n / B doubles per doubling step) and summed on every rank in index order.
/// - Bayesian cubature: point generation and integrand evaluation are split; the n values are
///   gathered on every rank (MPI_Allgatherv, 8n bytes per rank), which then runs the O(n log n) fit
///   (FFTBR/FWHT of the values and of the kernel, likelihood, L-BFGS) itself. The fit is not split:
///   the transforms couple all n values, and a distributed transform would need an all-to-all of the
///   n values per transform, some tens per doubling step. Bayesian cubature thus scales in the
///   integrand's cost, not in the fit's (docs/scaling.md).

#include <Kokkos_Core.hpp>
#include <vector>

#include "qmcsim/cubature/bayesian_cubature.hpp"
#include "qmcsim/cubature/rqmc.hpp"
#include "qmcsim/mpi/communicator.hpp"

namespace qmcsim::mpi {
namespace detail {

/// Fails on every rank unless all ranks hold the same point set and the same numeric options.
template <class Generator>
void require_same_problem(const Communicator& communicator, const Generator& generator, Fingerprint options) {
  require_agreement(communicator, point_set_fingerprint(generator), "point set");
  require_agreement(communicator, options.value(), "options");
}

inline Fingerprint fingerprint_of(int log2_min_points, int log2_max_points, double absolute_tolerance,
                                  double relative_tolerance, double confidence) {
  Fingerprint hash;
  hash.add(std::uint64_t(log2_min_points)).add(std::uint64_t(log2_max_points));
  hash.add(absolute_tolerance).add(relative_tolerance).add(confidence);
  return hash;
}

}  // namespace detail

/// replication_block_sums over `range`, each rank evaluating its share; every rank gets all blocks.
template <class Generator, class Integrand>
std::vector<std::vector<double>> replication_block_sums(const Communicator& communicator, const Generator& generator,
                                                        const IndexRange& range, const Integrand& f) {
  const auto mine = qmcsim::replication_block_sums(generator, block_aligned_share(range, communicator.rank, communicator.size), f);
  std::vector<double> local;  // (replication, block), this rank's blocks
  for (const auto& blocks : mine) local.insert(local.end(), blocks.begin(), blocks.end());
  const std::vector<double> all = all_gather(communicator, local);  // (rank, replication, block)
  std::vector<std::vector<double>> blocks(generator.replications());
  std::size_t offset = 0;
  for (const IndexRange& share : block_aligned_shares(range, communicator.size)) {
    const auto count = static_cast<std::size_t>(summation_blocks(share));
    for (auto& replication : blocks) {
      replication.insert(replication.end(), all.begin() + offset, all.begin() + offset + count);
      offset += count;
    }
  }
  return blocks;
}

/// The replicated estimate over the first n points, equal bit for bit to qmcsim::replicated_estimate.
template <class Generator, class Integrand>
ReplicatedEstimate replicated_estimate(const Communicator& communicator, const Generator& generator, std::uint64_t n,
                                       const Integrand& f) {
  detail::require_same_problem(communicator, generator, Fingerprint().add(n));
  return combine_replications(sum_blocks(replication_block_sums(communicator, generator, {0, n}, f)), n);
}

/// qmcsim::rqmc_cubature on all ranks of `communicator`, with the same result bit for bit.
template <class Generator, class Integrand>
RqmcCubatureResult rqmc_cubature(const Communicator& communicator, const Generator& generator, const Integrand& f,
                                 const RqmcCubatureOptions& options = {}) {
  qmcsim::detail::check_rqmc_cubature(options, generator);
  qmcsim::detail::check_integrand_dimension("rqmc_cubature", f, generator.dimension());
  detail::require_same_problem(communicator, generator,
                               detail::fingerprint_of(options.log2_min_points, options.log2_max_points,
                                                      options.absolute_tolerance, options.relative_tolerance,
                                                      options.confidence));
  return qmcsim::detail::rqmc_cubature_by_doubling(generator.replications(), options, [&](const IndexRange& range) {
    return replication_block_sums(communicator, generator, range, f);
  });
}

/// qmcsim::bayesian_cubature on all ranks of `communicator`, with the same result bit for bit.
template <class Generator, class Integrand>
BayesianCubatureResult bayesian_cubature(const Communicator& communicator, const Generator& generator, const Integrand& f,
                                         const BayesianCubatureOptions& options = {}) {
  using ExecSpace = typename Generator::execution_space;
  qmcsim::detail::check_integrand_dimension("bayesian_cubature", f, generator.dimension());
  auto fingerprint = detail::fingerprint_of(options.log2_min_points, options.log2_max_points, options.absolute_tolerance,
                                            options.relative_tolerance, options.confidence);
  fingerprint.add(std::uint64_t(options.smoothness)).add(std::uint64_t(options.periodization)).add(options.nugget);
  fingerprint.add(options.min_weight).add(options.max_weight);
  const Periodization periodization = qmcsim::detail::resolved(options, qmcsim::detail::kernel_family_of(generator)).periodization;
  detail::require_same_problem(communicator, generator, fingerprint);
  const ExecSpace space;
  return qmcsim::detail::bayesian_cubature_by_doubling(space, generator, options, [&](const IndexRange& range, const auto& values) {
    const IndexRange mine = block_aligned_share(range, communicator.rank, communicator.size);
    if (mine.size() > 0)
      qmcsim::detail::evaluate_periodized(space, generator.generate(space, mine), values, mine.begin, f, periodization);
    const auto segment = Kokkos::subview(values, std::make_pair(mine.begin, mine.end));
    const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), segment);
    const std::vector<double> all = all_gather(communicator, std::vector<double>(host.data(), host.data() + host.extent(0)));
    Kokkos::View<const double*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> gathered(all.data(), all.size());
    Kokkos::deep_copy(Kokkos::subview(values, std::make_pair(range.begin, range.end)), gathered);
  });
}

}  // namespace qmcsim::mpi
