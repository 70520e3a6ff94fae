// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/mpi/communicator.hpp"

#include <climits>
#include <cstring>

#include "qmcsim/core/error.hpp"
#include "qmcsim/cubature/rqmc.hpp"

namespace qmcsim::mpi {
namespace {

void check(int status, const char* call) {
  if (status != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(status, text, &length);
    throw std::runtime_error(detail::concat("qmcsim::mpi: ", call, " failed: ", std::string(text, length)));
  }
}

}  // namespace

Environment::Environment() {
  int initialized = 0;
  check(MPI_Initialized(&initialized), "MPI_Initialized");
  if (initialized) return;
  int provided = 0;
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  owns_ = true;
}

Environment::~Environment() {
  if (owns_) MPI_Finalize();
}

Communicator::Communicator(MPI_Comm comm) : comm(comm) {
  check(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
  check(MPI_Comm_size(comm, &size), "MPI_Comm_size");
}

IndexRange block_aligned_share(const IndexRange& range, int rank, int ranks) {
  detail::require(ranks >= 1 && rank >= 0 && rank < ranks, "block_aligned_share: rank ", rank, " is outside [0, ", ranks, ")");
  detail::require(range.begin <= range.end, "block_aligned_share: range begin ", range.begin, " > end ", range.end);
  if (range.size() == 0) return {range.begin, range.begin};
  constexpr std::uint64_t B = summation_block;
  const std::uint64_t first = range.begin / B, blocks = summation_blocks(range);
  const auto block_bound = [&](int k) {  // floor(k nb / P) without overflow for any realistic nb
    return first + blocks / ranks * k + blocks % ranks * k / ranks;
  };
  const auto clamp = [&](std::uint64_t index) { return std::min(std::max(index, range.begin), range.end); };
  return {clamp(block_bound(rank) * B), clamp(block_bound(rank + 1) * B)};
}

std::vector<IndexRange> block_aligned_shares(const IndexRange& range, int ranks) {
  std::vector<IndexRange> shares;
  for (int k = 0; k < ranks; ++k) shares.push_back(block_aligned_share(range, k, ranks));
  return shares;
}

std::vector<double> all_gather(const Communicator& communicator, const std::vector<double>& local) {
  detail::require(local.size() <= static_cast<std::size_t>(INT_MAX), "mpi::all_gather: ", local.size(),
                  " values on one rank exceed MPI's int count (", INT_MAX, ")");
  const int count = static_cast<int>(local.size());
  std::vector<int> counts(communicator.size), offsets(communicator.size);
  check(MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, communicator.comm), "MPI_Allgather");
  long long total = 0;
  for (int k = 0; k < communicator.size; ++k) {
    detail::require(total <= INT_MAX, "mpi::all_gather: ", total, " values in all exceed MPI's int displacement");
    offsets[k] = static_cast<int>(total);
    total += counts[k];
  }
  std::vector<double> all(static_cast<std::size_t>(total));
  check(MPI_Allgatherv(local.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE,
                       communicator.comm),
        "MPI_Allgatherv");
  return all;
}

void require_agreement(const Communicator& communicator, std::uint64_t fingerprint, const char* what) {
  // min over ranks of (h, ~h) is (min h, ~max h): all ranks agree iff both halves describe one value.
  std::uint64_t local[2] = {fingerprint, ~fingerprint}, least[2];
  check(MPI_Allreduce(local, least, 2, MPI_UINT64_T, MPI_MIN, communicator.comm), "MPI_Allreduce");
  detail::require(least[0] == ~least[1], "mpi: the ", communicator.size, " ranks do not hold the same ", what,
                  " (every rank must pass the same generator, seed and options)");
}

Fingerprint& Fingerprint::add(std::uint64_t word) {
  for (int byte = 0; byte < 8; ++byte) {
    hash_ ^= (word >> (8 * byte)) & 0xff;
    hash_ *= 0x100000001b3ull;
  }
  return *this;
}

Fingerprint& Fingerprint::add(double value) {
  std::uint64_t word;
  std::memcpy(&word, &value, sizeof word);
  return add(word);
}

}  // namespace qmcsim::mpi
