// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The thin MPI layer under qmcsim's distributed algorithms (available when qmcsim is built with
/// QMCSIM_ENABLE_MPI=ON): who owns which indices, gathering what the ranks computed, and checking that
/// all ranks hold the same point set.
///
/// Index ownership. A range [begin, end) is split along the summation blocks of rqmc.hpp
/// (B = summation_block consecutive absolute indices): with b_0 = floor(begin / B), the range touches
/// nb = floor((end - 1) / B) - b_0 + 1 blocks, and rank k of P owns the indices of blocks
/// [b_0 + floor(k nb / P), b_0 + floor((k + 1) nb / P)) that lie in the range. Shares are contiguous,
/// in rank order, differ by at most one block, and never cut a block, so per-block partial sums
/// computed on the ranks are exactly those of a single process (a rank may own nothing when nb < P).

#include <Kokkos_Core.hpp>
#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "qmcsim/config.hpp"
#include "qmcsim/core/point_set.hpp"

#if !QMCSIM_HAS_MPI
#error "qmcsim was built without MPI: configure it with -DQMCSIM_ENABLE_MPI=ON to use qmcsim/mpi/"
#endif

namespace qmcsim::mpi {

/// MPI_Init_thread (funneled: only the thread that called it talks to MPI) for the lifetime of the
/// object, unless MPI is already initialized, in which case it neither initializes nor finalizes.
/// Errors after it are collective (every rank throws the same one), so the destructor finalizes
/// also while an exception unwinds.
class Environment {
 public:
  Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  ~Environment();

 private:
  bool owns_ = false;
};

/// A communicator with its rank and size (MPI_COMM_WORLD by default); it does not own `comm`.
struct Communicator {
  MPI_Comm comm = MPI_COMM_WORLD;  ///< the MPI communicator (not owned)
  int rank = 0;                    ///< this process's rank in it
  int size = 1;                    ///< the number of ranks

  /// Reads the rank and size of `comm` (MPI must be initialized).
  explicit Communicator(MPI_Comm comm = MPI_COMM_WORLD);
  /// Whether this is rank 0, which writes the results.
  bool root() const { return rank == 0; }
};

/// The indices of `range` that `rank` of `ranks` owns (see the file comment).
IndexRange block_aligned_share(const IndexRange& range, int rank, int ranks);

/// Every rank's share of `range`, in rank order.
std::vector<IndexRange> block_aligned_shares(const IndexRange& range, int ranks);

/// Each rank passes `local` (any length, possibly 0); every rank receives the concatenation of all
/// ranks' `local` vectors in rank order (MPI_Allgatherv).
std::vector<double> all_gather(const Communicator& communicator, const std::vector<double>& local);

/// Throws qmcsim::error on every rank unless all ranks pass the same `fingerprint` (MPI_Allreduce);
/// `what` names the thing compared in the message.
void require_agreement(const Communicator& communicator, std::uint64_t fingerprint, const char* what);

/// FNV-1a hash of 8-byte words, for fingerprints of points and options.
class Fingerprint {
 public:
  /// Hashes one word in.
  Fingerprint& add(std::uint64_t word);
  /// Hashes the bits of a double in (so -0 and 0, and NaNs of different payloads, differ).
  Fingerprint& add(double value);
  /// The hash of everything added.
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

/// A fingerprint of a point generator: its dimension, replications, maximal size and its first two
/// points of every replication (which differ when the seed, the randomization, the generating vector
/// or matrices, or the table differ).
template <class Generator>
std::uint64_t point_set_fingerprint(const Generator& generator) {
  Fingerprint hash;
  hash.add(std::uint64_t{generator.dimension()}).add(std::uint64_t{generator.replications()}).add(generator.max_points());
  const auto points = Kokkos::create_mirror_view_and_copy(
      Kokkos::HostSpace(), generator.generate({0, std::min<std::uint64_t>(2, generator.max_points())}));
  for (std::size_t r = 0; r < points.extent(0); ++r)
    for (std::size_t i = 0; i < points.extent(1); ++i)
      for (std::size_t j = 0; j < points.extent(2); ++j) hash.add(points(r, i, j));
  return hash.value();
}

}  // namespace qmcsim::mpi
