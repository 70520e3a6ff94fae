// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Vocabulary shared by all randomized low-discrepancy point sets (lattices, digital nets, Halton).
///
/// A point set generator is a plan (FFTW style): constructing it does the expensive set-up once
/// (tables, scrambling matrices, shifts, all on the device), `generate` is cheap and can be called
/// any number of times for any index range. Points are written into a rank-3 view
/// `out(r, i, j)`: replication r (an independent randomization), point i (index start + i of the
/// sequence) and coordinate j. A generator returns exactly the same numbers on every execution
/// space and for every thread count (all randomness is counter-based, see core/random.hpp).

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <string>

namespace qmcsim {

/// The half-open range [begin, end) of point indices to generate.
struct IndexRange {
  std::uint64_t begin = 0;  ///< the first index
  std::uint64_t end = 0;    ///< one past the last index
  /// end - begin.
  std::uint64_t size() const { return end - begin; }
};

/// The order in which a sequence enumerates its points.
enum class PointOrder {
  natural,  ///< radical-inverse order: extensible, the first 2^m points form the 2^m-point set
  gray,     ///< Gray-code order: index i is mapped to gray_code(i); same 2^m-point blocks
  linear,   ///< lattices only: x_i = frac(i g / n) for a fixed lattice size n
};

/// How a point set is randomized.
enum class Randomization {
  none,                ///< the deterministic point set (its first point is the origin)
  shift,               ///< lattices: random shift modulo 1
  digital_shift,       ///< digit-wise addition of a random vector modulo the base
  lms,                 ///< linear matrix scrambling alone: keeps the origin, so not unbiased
  lms_digital_shift,   ///< LMS followed by a digital shift
  nus,                 ///< Owen's nested uniform scrambling
  permutation,         ///< Halton: an independent random permutation of the digits at each level
  lms_permutation,     ///< Halton: LMS followed by digit permutations (QMCPy's default "LMS_PERM")
};

/// The rank-3 view points are written into: (replication, point, coordinate), coordinate fastest.
template <class Real = double, class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
using PointsView = Kokkos::View<Real***, Kokkos::LayoutRight, MemorySpace>;

/// Settings every point set shares.
struct PointSetOptions {
  std::size_t dimension = 1;                          ///< d, the number of coordinates
  PointOrder order = PointOrder::natural;             ///< how indices map to points
  Randomization randomization = Randomization::none;  ///< how each replication is randomized
  std::size_t replications = 1;  ///< independent randomizations generated together
  std::uint64_t seed = 0;        ///< with the options, determines every random number
};

/// Parses the command-line spellings: "natural" (or "radical-inverse"), "gray", "linear".
PointOrder parse_point_order(const std::string& text);
/// Parses "none", "shift", "ds", "lms", "lms-ds", "nus", "perm".
Randomization parse_randomization(const std::string& text);
/// The spelling parse_point_order reads ("natural", "gray", "linear").
std::string to_string(PointOrder order);
/// The spelling parse_randomization reads ("none", "shift", "ds", ...).
std::string to_string(Randomization randomization);

namespace detail {
/// Checks what every generator checks: a dimension >= 1, replications >= 1, and, on `generate`,
/// an output view of extents (replications, range.size(), dimension).
void check_point_set_options(const char* where, const PointSetOptions& options);
void check_output_extents(const char* where, const PointSetOptions& options, const IndexRange& range,
                          std::size_t extent0, std::size_t extent1, std::size_t extent2);
}  // namespace detail

}  // namespace qmcsim
