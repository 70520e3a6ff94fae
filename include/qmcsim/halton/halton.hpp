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
///   lms-perm y_l = pi_l(sum_{k<=l} L_{lk} a_k mod b)  (LMS, then digit permutations; QMCPy's "LMS_PERM")
///   nus      y_l = pi_{l, a_0..a_{l-1}}(a_l)            (Owen's nested uniform scrambling)
/// Digits are produced down to b^-t <= 2^-53 (53 bits of precision in double).
///
/// Consecutive indices differ in their lowest digits only (index i + 1 adds 1 mod b to the c + 1
/// digits a_0 .. a_c that carry), so points are made run by run: the scrambled digits of the first
/// index of a run are computed in full, then updated per index in O(1) per changed digit (ds, perm)
/// or by one precomputed column sum per digit (LMS: y += P_c mod b), with no division.
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

/// The options of a Halton sequence: the point set's (default randomization LMS + digital shift) and
/// the largest index.
struct HaltonOptions : PointSetOptions {
  HaltonOptions() { randomization = Randomization::lms_digital_shift; }
  /// Indices [0, max_points) are supported; fixes the levels that scrambling tables cover.
  std::uint64_t max_points = std::uint64_t{1} << 32;
};

/// The first `count` primes.
std::vector<std::uint32_t> first_primes(std::size_t count);

namespace detail {

inline constexpr int halton_max_digits = 64;

/// The value sum_{l < levels} y_l b^{-l-1} + below b^{-levels} of base-b digits y: the leading
/// `exact` digits (b^exact <= 2^53) are summed exactly as an integer N and divided once, so
/// unrandomized points are correctly rounded. Made once per base and number of digits.
struct RadixValue {
  std::uint32_t base = 2;
  int levels = 0, exact = 0;
  double power = 1;  ///< b^exact

  RadixValue() = default;
  KOKKOS_INLINE_FUNCTION RadixValue(std::uint32_t b, int digit_count) : base(b), levels(digit_count) {
    std::uint64_t p = 1;
    for (; exact < levels && p <= (std::uint64_t{1} << 53) / b; ++exact) p *= b;
    power = static_cast<double>(p);
  }

  KOKKOS_INLINE_FUNCTION double operator()(const std::uint32_t* y, double below) const {
    for (int l = levels - 1; l >= exact; --l) below = (below + y[l]) / base;
    // Horner's rule two digits at a time: the dependent chain (multiply, add) is half as long.
    const std::uint64_t base_squared = std::uint64_t{base} * base;
    std::uint64_t numerator = exact % 2 == 1 ? y[0] : 0;
    for (int l = exact % 2; l < exact; l += 2) numerator = numerator * base_squared + (std::uint64_t{y[l]} * base + y[l + 1]);
    const double x = (static_cast<double>(numerator) + below) / power;
    return x < 1.0 ? x : 0x1.fffffffffffffp-1;  // rounding of the last digits may reach 1
  }
};

/// The digits a_l of one index and the scrambled digits y_l of its coordinate, carried from index
/// to index: a kernel starts them once per run of consecutive indices and then advances them.
struct HaltonDigits {
  std::uint32_t index[halton_max_digits];      ///< a_l, l < D (base b, least significant first)
  std::uint32_t scrambled[halton_max_digits];  ///< y_l, l < levels
  RadixValue radix;                            ///< turns y into the coordinate
};

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
  Table1<std::size_t> matrix_offset;  ///< start of coordinate j in `scramble_sums` (sum of t D)
  Table1<std::size_t> perm_offset;    ///< start of coordinate j in `permutations` (sum of D b, t b for lms-perm)
  Table2<std::uint32_t> shifts;       ///< (replications, sum t): digital shift digits
  /// (replications, sum t D): P_{c,l} = sum_{k <= min(c, l)} L_{lk} mod b at c t + l, the change of
  /// y_l when the index digits a_0 .. a_c all step by +1 (what an increment with c carries does).
  Table2<std::uint32_t> scramble_sums;
  Table2<std::uint32_t> permutations; ///< (replications, sum of D b or t b): pi_l(a) at l b + a
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

  /// The D lowest base-b digits of i into `digits` (i < max_points has no more).
  KOKKOS_INLINE_FUNCTION static void index_digits(std::uint64_t i, std::uint32_t b, int D, std::uint32_t* digits) {
    for (int l = 0; l < D; ++l, i /= b) digits[l] = static_cast<std::uint32_t>(i % b);
  }

  /// Number of scrambled digits y_l kept for coordinate j: all t (shift, LMS, LMS+perm), the D shared levels
  /// (permutations, whose deeper levels are a constant tail; no randomization: every index digit).
  KOKKOS_INLINE_FUNCTION int levels(std::size_t j) const {
    return randomization == Randomization::none || randomization == Randomization::permutation ? shared_levels(j)
                                                                                               : digits(j);
  }

  /// Sets `state` to index i of coordinate j under replication r (every randomization but NUS).
  KOKKOS_INLINE_FUNCTION void start(std::size_t r, std::uint64_t i, std::size_t j, HaltonDigits& state) const {
    const std::uint32_t b = bases(j);
    const int D = shared_levels(j), T = levels(j);
    state.radix = RadixValue(b, T);
    index_digits(i, b, D, state.index);
    const auto index_digit = [&](int l) { return l < D ? state.index[l] : 0u; };
    switch (randomization) {
      case Randomization::digital_shift:
        for (int l = 0; l < T; ++l) state.scrambled[l] = (index_digit(l) + shifts(r, digit_offset(j) + l)) % b;
        break;
      case Randomization::lms:
      case Randomization::lms_digital_shift:
      case Randomization::lms_permutation: {
        // sum_k L_lk a_k = sum_k P_{k,l} (a_k - a_{k+1}) (summation by parts, a_D = 0), every term mod b
        std::uint32_t steps[halton_max_digits];
        for (int k = 0; k < D; ++k) {
          const std::uint32_t a = state.index[k], next = index_digit(k + 1);
          steps[k] = a >= next ? a - next : a + b - next;
        }
        const std::uint32_t* sums = &scramble_sums(r, matrix_offset(j));
        for (int l = 0; l < T; ++l) {
          std::uint64_t y = randomization == Randomization::lms_digital_shift ? shifts(r, digit_offset(j) + l) : 0;
          for (int k = 0; k < D; ++k) y += static_cast<std::uint64_t>(sums[k * T + l]) * steps[k];
          state.scrambled[l] = static_cast<std::uint32_t>(y % b);
        }
        break;
      }
      case Randomization::permutation:
        for (int l = 0; l < T; ++l) state.scrambled[l] = permutations(r, perm_offset(j) + static_cast<std::size_t>(l) * b + state.index[l]);
        break;
      default:
        for (int l = 0; l < T; ++l) state.scrambled[l] = state.index[l];
        break;
    }
  }

  /// Moves `state` from index i to i + 1 (which must be below max_points). The index digits
  /// a_0 .. a_c change, each by +1 mod b (c carries), so the scrambled digits change by a table
  /// lookup or an addition mod b each: O(1) per changed digit, O(t) for LMS.
  KOKKOS_INLINE_FUNCTION void advance(std::size_t r, std::size_t j, HaltonDigits& state) const {
    const std::uint32_t b = bases(j);
    const int T = levels(j);
    int c = 0;
    while (++state.index[c] == b) state.index[c++] = 0;
    switch (randomization) {
      case Randomization::digital_shift:
        for (int l = 0; l <= c && l < T; ++l) state.scrambled[l] = state.scrambled[l] + 1 == b ? 0 : state.scrambled[l] + 1;
        break;
      case Randomization::lms:
      case Randomization::lms_digital_shift:
      case Randomization::lms_permutation: {
        const std::uint32_t* step = &scramble_sums(r, matrix_offset(j) + static_cast<std::size_t>(c) * T);
        for (int l = 0; l < T; ++l) {
          const std::uint32_t y = state.scrambled[l] + step[l];
          state.scrambled[l] = y >= b ? y - b : y;
        }
        break;
      }
      case Randomization::permutation:
        for (int l = 0; l <= c; ++l) state.scrambled[l] = permutations(r, perm_offset(j) + static_cast<std::size_t>(l) * b + state.index[l]);
        break;
      default:
        for (int l = 0; l <= c; ++l) state.scrambled[l] = state.index[l];
        break;
    }
  }

  /// The coordinate value of `state`: sum_l y_l b^{-l-1} (+ the permutation tail). With lms-perm the
  /// state holds the LMS digits, permuted here.
  KOKKOS_INLINE_FUNCTION double value(std::size_t r, std::size_t j, const HaltonDigits& state) const {
    if (randomization == Randomization::lms_permutation) {
      const std::uint32_t b = bases(j);
      std::uint32_t y[halton_max_digits];
      for (int l = 0; l < state.radix.levels; ++l)
        y[l] = permutations(r, perm_offset(j) + static_cast<std::size_t>(l) * b + state.scrambled[l]);
      return state.radix(y, 0.0);
    }
    return state.radix(state.scrambled, randomization == Randomization::permutation ? permutation_tails(r, j) : 0.0);
  }

  /// Coordinate j of point i under replication r with NUS, which is evaluated index by index: every
  /// node label below a changed digit changes, so there is nothing to carry over.
  KOKKOS_INLINE_FUNCTION double nested_coordinate(std::size_t r, std::uint64_t i, std::size_t j) const {
    const std::uint32_t b = bases(j);
    const int t = digits(j), D = shared_levels(j);
    std::uint32_t a[halton_max_digits];
    index_digits(i, b, D, a);
    double x = 0;
    for (int l = t - 1; l >= D; --l) {
      const int pair = (l - D) >> 1;
      const std::uint64_t word = philox(nus_keys(r, j), i, static_cast<std::uint32_t>(pair), Stream::nested_scramble_deep).u64((l - D) & 1);
      x = (x + static_cast<double>(scale_below(word, b))) / b;
    }
    std::uint64_t prefix = 0, power = 1;  // prefix = i mod b^l, the node label
    std::uint32_t y[halton_max_digits];
    for (int l = 0; l < D; ++l) {
      y[l] = nested_digit(nus_keys(r, j), b, l, prefix, a[l]);
      prefix += power * a[l];
      power *= b;
    }
    return RadixValue(b, D)(y, x);
  }
};

}  // namespace detail

/// A randomized Halton plan: scrambling tables of every replication are built once on the device.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class Halton : public PointGenerator<Halton<ExecSpace>, ExecSpace, HaltonOptions> {
  using Base = PointGenerator<Halton<ExecSpace>, ExecSpace, HaltonOptions>;

 public:
  using typename Base::memory_space;  ///< where generate(range) allocates
  using Base::generate;
  static constexpr const char* name = "Halton";  ///< in error messages
  static constexpr bool writes_words = false;  ///< only real-valued output (no raw 64-bit digits)

  /// Draws the randomizations of every replication; throws qmcsim::error for bad options.
  explicit Halton(const HaltonOptions& options);

  /// options.max_points.
  std::uint64_t max_points() const { return this->options_.max_points; }
  /// What bounds the index range, for messages.
  std::string range_limit() const { return "max_points"; }

  /// Writes points [range.begin, range.end) into out(r, i, j) (double or float, LayoutRight,
  /// extents (replications, range.size(), dimension)), enqueued on `space`.
  template <class OutView>
  void generate(const ExecSpace& space, const IndexRange& range, const OutView& out) const;

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

  /// Bytes of the tables that build_halton_tables allocates per replication under `how`.
  std::size_t table_bytes_per_replication(Randomization how) const;
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
  if (how == Randomization::lms || how == Randomization::lms_digital_shift || how == Randomization::lms_permutation) {
    Words2 sums("qmcsim::Halton::scramble_sums", R, layout.total_matrix);
    Kokkos::parallel_for(
        "qmcsim::Halton::lms", Policy(0, per_coordinate), KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t r = flat / d, j = flat % d;
          const std::uint32_t b = bases(j);
          const int D = shared(j), T = digits(j);
          const std::uint64_t key = derive_key(seed, Stream::linear_scramble, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(j));
          // L is lower triangular with L_ll in 1..b-1 and L_lk uniform mod b below; P_{c,l} sums row l up to column c.
          for (int l = 0; l < T; ++l) {
            std::uint32_t sum = 0;
            for (int k = 0; k < D; ++k) {
              if (k <= l) {
                const std::uint64_t word = philox(key, static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(k), 0, Stream::linear_scramble).u64(0);
                const std::uint32_t entry = k == l ? 1 + static_cast<std::uint32_t>(scale_below(word, b - 1)) : static_cast<std::uint32_t>(scale_below(word, b));
                sum = static_cast<std::uint32_t>((std::uint64_t{sum} + entry) % b);
              }
              sums(r, matrix_offset(j) + static_cast<std::size_t>(k) * T + l) = sum;
            }
          }
        });
    tables.scramble_sums = sums;
  }
  if (how == Randomization::permutation || how == Randomization::lms_permutation) {
    Words2 permutations("qmcsim::Halton::permutations", R, layout.total_perm);
    Kokkos::View<double**, Kokkos::LayoutRight, memory_space> tails("qmcsim::Halton::permutation_tails", R, d);
    Kokkos::parallel_for(
        "qmcsim::Halton::permutations", Policy(0, per_coordinate), KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t r = flat / d, j = flat % d;
          const std::uint32_t b = bases(j);
          // perm: every level the index digits reach; beyond them only pi_l(0) is ever used, a constant
          // tail. lms-perm: every level, since LMS fills all t digits.
          const int permuted = how == Randomization::lms_permutation ? digits(j) : shared(j);
          const std::uint64_t key = derive_key(seed, Stream::digit_permutation, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(j));
          for (int l = 0; l < permuted; ++l) {  // Fisher-Yates shuffles
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
          for (int l = digits(j) - 1; l >= permuted; --l) {
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
void Halton<ExecSpace>::generate(const ExecSpace& space, const IndexRange& range, const OutView& out) const {
  using Real = typename OutView::non_const_value_type;
  this->check_output(range, out);
  if (range.size() == 0) return;
  const auto tables = tables_;
  const std::uint64_t begin = range.begin;
  const std::size_t d = this->options_.dimension, n = range.size();
  // One work item per (replication, run of consecutive indices, coordinate): it starts the digits
  // once and advances them along the run. Runs are long on CPUs (the start costs O(t D) digit
  // products) and short on GPUs (more work items).
  constexpr std::size_t run = detail::runs_on_host_v<ExecSpace> ? 256 : 16;
  const std::size_t runs = (n + run - 1) / run;
  Kokkos::parallel_for(
      "qmcsim::Halton::generate",
      Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(out.extent(0) * runs * d)),
      KOKKOS_LAMBDA(std::int64_t flat) {
        const std::size_t j = flat % d, first = (flat / d) % runs * run, r = flat / (d * runs);
        const std::size_t last = first + run < n ? first + run : n;
        if (tables.randomization == Randomization::nus) {
          for (std::size_t i = first; i < last; ++i)
            out(r, i, j) = detail::narrow_to_unit_interval<Real>(tables.nested_coordinate(r, begin + i, j));
          return;
        }
        detail::HaltonDigits state;
        tables.start(r, begin + first, j, state);
        for (std::size_t i = first;; ) {
          out(r, i, j) = detail::narrow_to_unit_interval<Real>(tables.value(r, j, state));
          if (++i == last) break;
          tables.advance(r, j, state);
        }
      });
}

}  // namespace qmcsim
