// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/halton/halton.hpp"

#include <algorithm>
#include <cmath>

namespace qmcsim {

std::vector<std::uint32_t> first_primes(std::size_t count) {
  std::vector<std::uint32_t> primes;
  primes.reserve(count);
  for (std::uint32_t candidate = 2; primes.size() < count; ++candidate) {
    bool prime = true;
    for (std::uint32_t p : primes) {
      if (p * p > candidate) break;
      if (candidate % p == 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes.push_back(candidate);
  }
  return primes;
}

namespace detail {

// Primes below 2^24 keep NUS node labels within Philox's counter words (see nested_digit).
constexpr std::size_t halton_max_dimension = 100000;

void check_halton_options(const HaltonOptions& options) {
  const char* where = "Halton";
  check_point_set_options(where, options);
  require_in_range(where, "dimension", options.dimension, 1, halton_max_dimension);
  require(options.order == PointOrder::natural, where, ": order '", to_string(options.order),
          "' is not available: the Halton sequence uses natural order");
  const Randomization how = options.randomization;
  require(how == Randomization::none || how == Randomization::digital_shift || how == Randomization::permutation ||
              how == Randomization::lms || how == Randomization::lms_digital_shift ||
              how == Randomization::lms_permutation || how == Randomization::nus,
          where, ": randomization '", to_string(how),
          "' is not available: Halton uses none, ds, perm, lms, lms-ds, lms-perm or nus");
  require(options.max_points >= 1, where, ": max_points must be at least 1");
}

HaltonLayout halton_layout(const HaltonOptions& options) {
  HaltonLayout layout;
  layout.bases = first_primes(options.dimension);
  for (std::uint32_t b : layout.bases) {
    int t = 0;
    for (double covered = 1; covered < 0x1p53; covered *= b) ++t;
    int D = 0;
    for (std::uint64_t q = options.max_points - 1; q != 0; q /= b) ++D;
    layout.digit_offset.push_back(layout.total_digits);
    layout.matrix_offset.push_back(layout.total_matrix);
    layout.perm_offset.push_back(layout.total_perm);
    layout.weight_offset.push_back(layout.weights.size());
    layout.digits.push_back(t);
    layout.shared_levels.push_back(D);
    layout.total_digits += t;
    layout.total_matrix += static_cast<std::size_t>(padded_digit_count(t)) * D;
    // RadixValue's weights b^{e-1-l}, exact integers for l < e (b^e <= 2^53), rounded below
    std::uint64_t power = 1;
    int e = 0;
    for (; power <= (std::uint64_t{1} << 53) / b; ++e) power *= b;
    layout.exact_digits.push_back(e);
    const int levels = std::max(t, D);
    for (int l = 0; l < padded_digit_count(levels); ++l) {
      long double weight = l < levels ? 1 : 0;  // long double: exact below 2^64, one rounding to double
      for (int k = l; k < e - 1; ++k) weight *= b;
      for (int k = e - 1; k < l; ++k) weight /= b;
      layout.weights.push_back(static_cast<double>(weight));
    }
    layout.total_perm += static_cast<std::size_t>(options.randomization == Randomization::lms_permutation ? t : D) * b;
  }
  return layout;
}

std::size_t HaltonLayout::table_bytes_per_replication(Randomization how) const {
  const bool shift = how == Randomization::digital_shift || how == Randomization::lms_digital_shift;
  const bool lms = how == Randomization::lms || how == Randomization::lms_digital_shift || how == Randomization::lms_permutation;
  const bool permutation = how == Randomization::permutation || how == Randomization::lms_permutation;
  const std::size_t words = (shift ? total_digits : 0) + (lms ? total_matrix : 0) + (permutation ? total_perm : 0);
  // lms-perm keeps each permuted digit's term (a double), made from the permutations
  const std::size_t terms = how == Randomization::lms_permutation ? total_perm * sizeof(double) : 0;
  const std::size_t per_coordinate = how == Randomization::permutation || how == Randomization::nus ? 8 : 0;  // tails or NUS keys
  return words * sizeof(std::uint32_t) + terms + bases.size() * per_coordinate;
}

}  // namespace detail
}  // namespace qmcsim
