// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The randomized Halton sequence: coordinate j is the radical inverse of the index in base b_j,
/// the j-th prime:  i = sum_l a_l b^l  ->  x_j(i) = sum_l y_l b^{-l-1},  y_l = a_l unrandomized.
///
/// Randomizations of the digits y_l (per replication r and coordinate j), each making every point
/// uniform on [0,1)^d while keeping the Halton structure:
///   ds       y_l = a_l + s_l mod b                      (digital shift in base b)
///   perm     y_l = pi_l(a_l), pi_l uniform on S_b       (random digit permutations, Faure/Owen)
///   lms      y_l = sum_{k<=l} L_{lk} a_k mod b          (L lower triangular, diagonal in 1..b-1)
///   lms-ds   the two above (Matousek 1998; QMCPy's "LMS DS")
///   nus      y_l = pi_{l, a_0..a_{l-1}}(a_l)            (Owen's nested uniform scrambling)
/// Digits are produced down to b^-t <= 2^-53 (53 bits of precision in double).
///
/// NUS is exact and never stores its tree: the permutation of a node is the ranking of b random
/// keys drawn from Philox under the node's label, evaluated only at the digit needed, in O(b).
/// Levels at or beyond the number of digits D of max_points - 1 are visited by a single index each,
/// so there the scrambled digit is simply a uniform digit keyed by the index. NUS therefore costs
/// O(b log_b max_points) per coordinate: use lms-ds or perm in high dimensions (large bases).

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/point_generator.hpp"
#include "qmcsim/core/point_words.hpp"
#include "qmcsim/core/random_words.hpp"

namespace qmcsim {

struct HaltonOptions : PointSetOptions {
  HaltonOptions() { randomization = Randomization::lms_digital_shift; }
  /// Indices [0, max_points) are supported; fixes the levels that scrambling tables cover.
  std::uint64_t max_points = std::uint64_t{1} << 32;
};

/// The first `count` primes.
std::vector<std::uint32_t> first_primes(std::size_t count);

namespace detail {

inline constexpr int halton_max_digits = 64;

template <class MemorySpace>
struct HaltonTables {
  template <class T>
  using Table1 = Kokkos::View<const T*, MemorySpace>;
  template <class T>
  using Table2 = Kokkos::View<const T**, Kokkos::LayoutRight, MemorySpace>;

  Table1<std::uint32_t> bases;        ///< b_j
  Table1<int> digits;                 ///< t_j: digits produced (b^-t <= 2^-53)
  Table1<int> shared_levels;          ///< D_j: digits of max_points - 1
  Table1<std::size_t> digit_offset;   ///< start of coordinate j in `shifts` (sum of t)
  Table1<std::size_t> matrix_offset;  ///< start of coordinate j in `matrices` (sum of t D)
  Table1<std::size_t> perm_offset;    ///< start of coordinate j in `permutations` (sum of D b)
  Table2<std::uint32_t> shifts;       ///< (replications, sum t): digital shift digits
  Table2<std::uint32_t> matrices;     ///< (replications, sum t D): L_{lk} at l D + k
  Table2<std::uint32_t> permutations; ///< (replications, sum D b): pi_l(a) at l b + a
  Table2<double> permutation_tails;   ///< (replications, d): sum_{l>=D} pi_l(0) b^{-(l-D)-1}
  Table2<std::uint64_t> nus_keys;     ///< (replications, d)
  Randomization randomization = Randomization::none;

  /// Digit of a NUS node: the rank of key(a) among the b random keys of the node (l, prefix).
  KOKKOS_INLINE_FUNCTION std::uint32_t nested_digit(std::uint64_t key, std::uint32_t b, int level, std::uint64_t prefix,
                                                    std::uint32_t a) const {
    // keys c = 2q and 2q + 1 come from the Philox block at counter (prefix, level | q << 8)
    const auto selector = [level](std::uint32_t c) { return static_cast<std::uint32_t>(level) | ((c >> 1) << 8); };
    const std::uint64_t mine = philox(key, prefix, selector(a), Stream::nested_scramble).u64(a & 1);
    std::uint32_t rank = 0;
    for (std::uint32_t c = 0; c < b; c += 2) {
      const RandomBlock block = philox(key, prefix, selector(c), Stream::nested_scramble);
      for (std::uint32_t h = 0; h < 2 && c + h < b; ++h) {
        const std::uint64_t other = block.u64(h);
        rank += other < mine || (other == mine && c + h < a);
      }
    }
    return rank;
  }

  /// Coordinate j of point i under replication r.
  KOKKOS_INLINE_FUNCTION double coordinate(std::size_t r, std::uint64_t i, std::size_t j) const {
    const std::uint32_t b = bases(j);
    std::uint32_t a[halton_max_digits];
    int n_digits = 0;
    for (std::uint64_t q = i; q != 0; q /= b) a[n_digits++] = static_cast<std::uint32_t>(q % b);
    const int t = randomization == Randomization::none ? n_digits : digits(j);
    const int D = shared_levels(j);

    double x = 0;
    int deepest = t - 1;
    if (randomization == Randomization::permutation) {
      x = permutation_tails(r, j);
      deepest = D - 1;
    } else if (randomization == Randomization::nus) {
      for (int l = t - 1; l >= D; --l) {
        const int pair = (l - D) >> 1;
        const std::uint64_t word = philox(nus_keys(r, j), i, static_cast<std::uint32_t>(pair), Stream::nested_scramble_deep).u64((l - D) & 1);
        x = (x + static_cast<double>(scale_below(word, b))) / b;
      }
      deepest = D - 1;
    }
    std::uint64_t prefix = 0, power = 1;  // prefix = i mod b^l for the NUS node labels
    std::uint32_t y_digits[halton_max_digits];
    for (int l = 0; l <= deepest; ++l) {
      const std::uint32_t digit = l < n_digits ? a[l] : 0;
      std::uint32_t y = digit;
      switch (randomization) {
        case Randomization::digital_shift:
          y = (digit + shifts(r, digit_offset(j) + l)) % b;
          break;
        case Randomization::lms:
        case Randomization::lms_digital_shift: {
          std::uint64_t sum = randomization == Randomization::lms ? 0 : shifts(r, digit_offset(j) + l);
          const std::uint32_t* row = &matrices(r, matrix_offset(j) + static_cast<std::size_t>(l) * D);
          const int last = l < n_digits - 1 ? l : n_digits - 1;
          for (int k = 0; k <= last; ++k) sum += static_cast<std::uint64_t>(row[k]) * a[k];
          y = static_cast<std::uint32_t>(sum % b);
          break;
        }
        case Randomization::permutation:
          y = permutations(r, perm_offset(j) + static_cast<std::size_t>(l) * b + digit);
          break;
        case Randomization::nus:
          y = nested_digit(nus_keys(r, j), b, l, prefix, digit);
          prefix += power * digit;
          power *= b;
          break;
        default:
          break;
      }
      y_digits[l] = y;
    }
    return assemble(y_digits, deepest, b, x);
  }

  /// sum_{l <= deepest} y_l b^{-l-1} + below b^{-deepest-1}: the leading digits are summed exactly
  /// as an integer N < b^k <= 2^53 and divided once, so unrandomized points are correctly rounded.
  KOKKOS_INLINE_FUNCTION static double assemble(const std::uint32_t* y, int deepest, std::uint32_t b, double below) {
    int k = 0;
    std::uint64_t power = 1;
    while (k <= deepest && power <= (std::uint64_t{1} << 53) / b) {
      power *= b;
      ++k;
    }
    for (int l = deepest; l >= k; --l) below = (below + y[l]) / b;
    std::uint64_t numerator = 0;
    for (int l = 0; l < k; ++l) numerator = numerator * b + y[l];
    const double x = (static_cast<double>(numerator) + below) / static_cast<double>(power);
    return x < 1.0 ? x : 0x1.fffffffffffffp-1;  // rounding of the last digits may reach 1
  }
};

}  // namespace detail

/// A randomized Halton plan: scrambling tables of every replication are built once on the device.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class Halton : public PointGenerator<Halton<ExecSpace>, ExecSpace, HaltonOptions> {
  using Base = PointGenerator<Halton<ExecSpace>, ExecSpace, HaltonOptions>;

 public:
  using typename Base::memory_space;
  using Base::generate;
  static constexpr const char* name = "Halton";
  static constexpr bool writes_words = false;

  explicit Halton(const HaltonOptions& options);

  std::uint64_t max_points() const { return this->options_.max_points; }
  std::string range_limit() const { return "max_points"; }

  /// Writes points [range.begin, range.end) into out(r, i, j) (double or float, LayoutRight,
  /// extents (replications, range.size(), dimension)).
  template <class OutView>
  void generate(const IndexRange& range, const OutView& out) const;

 private:
  detail::HaltonTables<memory_space> tables_;
};

namespace detail {

void check_halton_options(const HaltonOptions& options);

/// Host-side shapes of the Halton tables: bases, digit counts and offsets.
struct HaltonLayout {
  std::vector<std::uint32_t> bases;
  std::vector<int> digits, shared_levels;
  std::vector<std::size_t> digit_offset, matrix_offset, perm_offset;
  std::size_t total_digits = 0, total_matrix = 0, total_perm = 0;
};
HaltonLayout halton_layout(const HaltonOptions& options);

template <class T, class MemorySpace>
Kokkos::View<T*, MemorySpace> to_device(const std::string& label, const std::vector<T>& values) {
  Kokkos::View<T*, MemorySpace> view(label, values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (std::size_t k = 0; k < values.size(); ++k) host(k) = values[k];
  Kokkos::deep_copy(view, host);
  return view;
}

}  // namespace detail

namespace detail {

/// Fills the scrambling tables of `tables` the randomization needs (kernels in a free function:
/// nvcc allows no extended lambda inside a constructor).
template <class ExecSpace>
void build_halton_tables(HaltonTables<typename ExecSpace::memory_space>& tables, const HaltonLayout& layout,
                         const HaltonOptions& options) {
  using memory_space = typename ExecSpace::memory_space;
  using Policy = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>;
  using Words2 = Kokkos::View<std::uint32_t**, Kokkos::LayoutRight, memory_space>;
  const std::size_t R = options.replications, d = options.dimension;
  const std::uint64_t seed = options.seed;
  const Randomization how = options.randomization;
  tables.randomization = how;
  const auto bases = to_device<std::uint32_t, memory_space>("qmcsim::Halton::bases", layout.bases);
  const auto digits = to_device<int, memory_space>("qmcsim::Halton::digits", layout.digits);
  const auto shared = to_device<int, memory_space>("qmcsim::Halton::shared_levels", layout.shared_levels);
  const auto digit_offset = to_device<std::size_t, memory_space>("qmcsim::Halton::digit_offset", layout.digit_offset);
  const auto matrix_offset = to_device<std::size_t, memory_space>("qmcsim::Halton::matrix_offset", layout.matrix_offset);
  const auto perm_offset = to_device<std::size_t, memory_space>("qmcsim::Halton::perm_offset", layout.perm_offset);
  tables.bases = bases;
  tables.digits = digits;
  tables.shared_levels = shared;
  tables.digit_offset = digit_offset;
  tables.matrix_offset = matrix_offset;
  tables.perm_offset = perm_offset;

  const std::int64_t per_coordinate = static_cast<std::int64_t>(R * d);
  if (how == Randomization::digital_shift || how == Randomization::lms_digital_shift) {
    Words2 shifts("qmcsim::Halton::shifts", R, layout.total_digits);
    Kokkos::parallel_for(
        "qmcsim::Halton::shifts", Policy(0, per_coordinate), KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t r = flat / d, j = flat % d;
          const std::uint64_t key = derive_key(seed, Stream::digital_shift, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(j));
          for (int l = 0; l < digits(j); ++l)
            shifts(r, digit_offset(j) + l) = static_cast<std::uint32_t>(scale_below(philox(key, l, 0, 0, Stream::digital_shift).u64(0), bases(j)));
        });
    tables.shifts = shifts;
  }
  if (how == Randomization::lms || how == Randomization::lms_digital_shift) {
    Words2 matrices("qmcsim::Halton::lms", R, layout.total_matrix);
    Kokkos::parallel_for(
        "qmcsim::Halton::lms", Policy(0, per_coordinate), KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t r = flat / d, j = flat % d;
          const std::uint32_t b = bases(j);
          const int D = shared(j);
          const std::uint64_t key = derive_key(seed, Stream::linear_scramble, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(j));
          for (int l = 0; l < digits(j); ++l)
            for (int k = 0; k < D && k <= l; ++k) {
              const std::uint64_t word = philox(key, static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(k), 0, Stream::linear_scramble).u64(0);
              matrices(r, matrix_offset(j) + static_cast<std::size_t>(l) * D + k) =
                  k == l ? 1 + static_cast<std::uint32_t>(scale_below(word, b - 1)) : static_cast<std::uint32_t>(scale_below(word, b));
            }
        });
    tables.matrices = matrices;
  }
  if (how == Randomization::permutation) {
    Words2 permutations("qmcsim::Halton::permutations", R, layout.total_perm);
    Kokkos::View<double**, Kokkos::LayoutRight, memory_space> tails("qmcsim::Halton::permutation_tails", R, d);
    Kokkos::parallel_for(
        "qmcsim::Halton::permutations", Policy(0, per_coordinate), KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t r = flat / d, j = flat % d;
          const std::uint32_t b = bases(j);
          const int D = shared(j);
          const std::uint64_t key = derive_key(seed, Stream::digit_permutation, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(j));
          // Fisher-Yates shuffle per shared level; beyond them only pi_l(0) is ever used.
          for (int l = 0; l < D; ++l) {
            std::uint32_t* pi = &permutations(r, perm_offset(j) + static_cast<std::size_t>(l) * b);
            for (std::uint32_t a = 0; a < b; ++a) pi[a] = a;
            for (std::uint32_t a = b - 1; a > 0; --a) {
              const std::uint64_t word = philox(key, static_cast<std::uint32_t>(l), a, 0, Stream::digit_permutation).u64(0);
              const std::uint32_t c = static_cast<std::uint32_t>(scale_below(word, a + 1));
              const std::uint32_t swap = pi[a];
              pi[a] = pi[c];
              pi[c] = swap;
            }
          }
          double tail = 0;
          for (int l = digits(j) - 1; l >= D; --l) {
            const std::uint64_t word = philox(key, static_cast<std::uint32_t>(l), 0, 1, Stream::digit_permutation).u64(0);
            tail = (tail + static_cast<double>(scale_below(word, b))) / b;
          }
          tails(r, j) = tail;
        });
    tables.permutations = permutations;
    tables.permutation_tails = tails;
  }
  if (how == Randomization::nus)
    tables.nus_keys = random_words<ExecSpace>("qmcsim::Halton::nus_keys", R, d, seed, Stream::nested_scramble);
  ExecSpace().fence();
}

}  // namespace detail

template <class ExecSpace>
Halton<ExecSpace>::Halton(const HaltonOptions& options) : Base(options) {
  detail::check_halton_options(options);
  detail::build_halton_tables<ExecSpace>(tables_, detail::halton_layout(options), options);
}

template <class ExecSpace>
template <class OutView>
void Halton<ExecSpace>::generate(const IndexRange& range, const OutView& out) const {
  using Real = typename OutView::non_const_value_type;
  this->check_output(range, out);
  if (range.size() == 0) return;
  const auto tables = tables_;
  const std::uint64_t begin = range.begin;
  const std::size_t d = this->options_.dimension, n = range.size();
  Kokkos::parallel_for(
      "qmcsim::Halton::generate", Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(0, static_cast<std::int64_t>(out.size())),
      KOKKOS_LAMBDA(std::int64_t flat) {
        const std::size_t j = flat % d, i = (flat / d) % n, r = flat / (d * n);
        out(r, i, j) = detail::narrow_to_unit_interval<Real>(tables.coordinate(r, begin + i, j));
      });
}

}  // namespace qmcsim
