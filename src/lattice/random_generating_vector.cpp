// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Random generating vectors (QMCPy's generating_vector = M). Apart from the readers in
// generating_vector.cpp because it draws with Philox (core/random.hpp needs Kokkos), which the fuzz
// build of the readers does not have.
#include <limits>
#include <string>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/random.hpp"
#include "qmcsim/lattice/generating_vector.hpp"

namespace qmcsim {

std::vector<GeneratingVector> GeneratingVector::random(std::size_t dimension, int log2_points, std::size_t count,
                                                       std::uint64_t seed) {
  const char* where = "GeneratingVector::random";
  detail::require_in_range(where, "dimension", dimension, 1, std::numeric_limits<std::uint32_t>::max());
  detail::require_in_range(where, "log2_points", log2_points, 2, 62);
  detail::require_in_range(where, "count", count, 1, std::numeric_limits<std::uint32_t>::max());
  // z_j = 3 + 2 u with u uniform on [0, K), K = 2^(M-1) - 1, exactly: Lemire's multiply-and-reject,
  // redrawing (next attempt counter) the words whose low product half falls below 2^64 mod K.
  const std::uint64_t choices = (std::uint64_t{1} << (log2_points - 1)) - 1;
  const std::uint64_t reject_below = (std::uint64_t{0} - choices) % choices;
  std::vector<GeneratingVector> vectors;
  vectors.reserve(count);
  for (std::size_t v = 0; v < count; ++v) {
    const std::uint64_t key = derive_key(seed, Stream::random_generating_vector, static_cast<std::uint32_t>(v), 0);
    std::vector<std::uint64_t> components(dimension, 1);
    for (std::size_t j = 1; j < dimension; ++j) {
      for (std::uint32_t attempt = 0;; ++attempt) {
        const std::uint64_t word = philox(key, static_cast<std::uint32_t>(j), attempt, 0, Stream::random_generating_vector).u64(0);
        const unsigned __int128 product = static_cast<unsigned __int128>(word) * choices;
        if (static_cast<std::uint64_t>(product) < reject_below) continue;
        components[j] = 3 + 2 * static_cast<std::uint64_t>(product >> 64);
        break;
      }
    }
    vectors.emplace_back("random(2^" + std::to_string(log2_points) + ", seed " + std::to_string(seed) + ", vector " +
                             std::to_string(v) + ")",
                         std::move(components), log2_points);
  }
  return vectors;
}

}  // namespace qmcsim
