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
/// or by one precomputed column sum per digit (LMS: y += P_c mod b), with no division. The value
/// sum_l y_l b^{-l-1} is an exact dot product with integer weights (RadixValue), kept up to date digit
/// by digit under ds and perm and summed in the step's own loop under LMS (lms-perm looks up each
/// permuted digit's term). Each randomization's run loop is compiled on its own.
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

/// Digit loops run over a multiple of 8 digits (zeros beyond the last), so that they vectorize with
/// no remainder (8 lanes of 32-bit digits, 2 x 4 of doubles in AVX2).
KOKKOS_INLINE_FUNCTION constexpr int padded_digit_count(int digit_count) { return (digit_count + 7) / 8 * 8; }

/// The value sum_{l < levels} y_l b^{-l-1} of base-b digits y, for e the largest exponent with
/// b^e <= 2^53:  x = (sum_l y_l w_l) / b^e  with weights w_l = b^{e-1-l} (a constant tail of deeper
/// digits, weighted alike, may join the sum). For l < e each term y_l w_l < b^{e-l} and every partial sum of
/// them is an integer below 2^53, so their sum is exact in any order, in double: as a dot product in
/// eight independent lanes (a loop that vectorizes; a Horner chain is one dependent multiply-add per
/// digit), or updated by the changes of single digits. Deeper digits add their rounded weights
/// (< 1). Unrandomized points (levels <= e) are therefore correctly rounded.
struct RadixValue {
  int levels = 0;  ///< digits y_l
  int padded = 0;  ///< levels rounded up to a multiple of 8; digits and weights are 0 beyond levels
  int exact = 0;   ///< e
  double power = 1;                 ///< b^e
  const double* weights = nullptr;  ///< w_l, l < padded

  /// sum_{l < padded} term(l) (y_l w_l, or a permuted digit's), in eight lanes; `term` may also
  /// update the digit whose term it returns.
  template <class Term>
  KOKKOS_INLINE_FUNCTION double sum(const Term& term) const {
    double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int l = 0; l < padded; l += 8)
      for (int k = 0; k < 8; ++k) lane[k] += term(l + k);
    // the order of a vector reduction: the two halves of 4 lanes, then of 2, then of 1
    return ((lane[0] + lane[4]) + (lane[2] + lane[6])) + ((lane[1] + lane[5]) + (lane[3] + lane[7]));
  }
  /// y w_l: exact for l < e.
  KOKKOS_INLINE_FUNCTION double term(int l, std::uint32_t y) const {
    return static_cast<double>(static_cast<std::int32_t>(y)) * weights[l];
  }
  /// sum / b^e, in [0, 1).
  KOKKOS_INLINE_FUNCTION double unit(double sum) const {
    const double x = sum / power;
    return x < 1.0 ? x : 0x1.fffffffffffffp-1;  // rounding of the deepest digits may reach 1
  }
};

/// The tables of coordinate j under replication r, resolved once per run into plain pointers and
/// numbers. The loops of a run then read no View: a compiler that cannot assume strict aliasing (the
/// Python module is built with -fno-strict-aliasing) would reload a View's data pointer after every
/// store to a digit.
struct HaltonCoordinate {
  std::uint32_t base = 2;
  int shared_levels = 0;                       ///< D
  RadixValue radix;                            ///< levels and weights of the scrambled digits
  const std::uint32_t* shifts = nullptr;       ///< ds, lms-ds: s_l
  const std::uint32_t* column_sums = nullptr;  ///< LMS: P_{c,l} at c radix.padded + l
  const std::uint32_t* permutation = nullptr;  ///< perm: pi_l(a) at l b + a
  const double* permuted_terms = nullptr;      ///< lms-perm: pi_l(a) w_l at l b + a
  double tail = 0;                             ///< perm: the permutation tail
};

/// The digits a_l of one index and the scrambled digits y_l of its coordinate, carried from index
/// to index: a run starts them once and then advances them.
struct HaltonDigits {
  std::uint32_t index[halton_max_digits];      ///< a_l, l < D (base b, least significant first)
  std::uint32_t scrambled[halton_max_digits];  ///< y_l, l < levels; 0 up to radix.padded
  /// RadixValue's sum of the digits (permuted under lms-perm). Under ds, perm and none, whose steps
  /// change few digits, split at e: `leading` = sum_{l < e} y_l w_l (exact, updated digit by digit)
  /// and `trailing` = sum_{l >= e} y_l w_l (summed again when one of those digits changes); under LMS,
  /// whose steps change every digit, `leading` is the whole sum, made in the same loop as the step.
  double leading = 0, trailing = 0;

  /// Sets digit l to y, keeping `leading`.
  KOKKOS_INLINE_FUNCTION void set_digit(const RadixValue& radix, int l, std::uint32_t y) {
    if (l < radix.exact) leading += radix.term(l, y) - radix.term(l, scrambled[l]);
    scrambled[l] = y;
  }
  /// Sums `leading` and `trailing` in full, for `levels` digits.
  KOKKOS_INLINE_FUNCTION void sum_digits(const RadixValue& radix, int levels) {
    leading = 0;
    for (int l = 0; l < levels && l < radix.exact; ++l) leading += radix.term(l, scrambled[l]);
    sum_trailing(radix, levels);
  }
  /// Sums `trailing` in full.
  KOKKOS_INLINE_FUNCTION void sum_trailing(const RadixValue& radix, int levels) {
    trailing = 0;
    for (int l = radix.exact; l < levels; ++l) trailing += radix.term(l, scrambled[l]);
  }
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
  Table1<std::size_t> matrix_offset;  ///< start of coordinate j in `scramble_sums` (sum of t' D, t' = t padded)
  Table1<std::size_t> perm_offset;    ///< start of coordinate j in `permutations` (sum of D b, t b for lms-perm)
  Table1<std::size_t> weight_offset;  ///< start of coordinate j in `weights` (sum of max(t, D) padded)
  Table1<double> weights;             ///< RadixValue's w_l = b^{e-1-l} (0 beyond max(t, D))
  Table1<int> exact_digits;           ///< RadixValue's e
  Table2<std::uint32_t> shifts;       ///< (replications, sum t): digital shift digits
  /// (replications, sum t' D, t' = t padded): P_{c,l} = sum_{k <= min(c, l)} L_{lk} mod b at c t' + l
  /// (0 for l >= t), the change of y_l when the index digits a_0 .. a_c all step by +1 (what an
  /// increment with c carries does).
  Table2<std::uint32_t> scramble_sums;
  Table2<std::uint32_t> permutations; ///< perm: (replications, sum of D b): pi_l(a) at l b + a
  Table2<double> permuted_terms;      ///< lms-perm: (replications, sum of t b): pi_l(a) w_l at l b + a
  Table2<double> permutation_tails;   ///< (replications, d): sum_{D<=l<t} pi_l(0) w_l
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

  /// Writes coordinate j of the points first .. first + count - 1 of replication r, as write(k, x_k):
  /// one run of consecutive indices, made by start and advance under the randomization (chosen once
  /// per run, so that each randomization's loop is compiled on its own, its state in registers).
  template <class Write>
  KOKKOS_INLINE_FUNCTION void run(std::size_t r, std::uint64_t first, std::size_t count, std::size_t j, const Write& write) const {
    switch (randomization) {
      case Randomization::digital_shift: return run<Randomization::digital_shift>(r, first, count, j, write);
      case Randomization::permutation: return run<Randomization::permutation>(r, first, count, j, write);
      case Randomization::lms: return run<Randomization::lms>(r, first, count, j, write);
      case Randomization::lms_digital_shift: return run<Randomization::lms_digital_shift>(r, first, count, j, write);
      case Randomization::lms_permutation: return run<Randomization::lms_permutation>(r, first, count, j, write);
      case Randomization::nus:
        for (std::size_t k = 0; k < count; ++k) write(k, nested_coordinate(r, first + k, j));
        return;
      default: return run<Randomization::none>(r, first, count, j, write);
    }
  }

  template <Randomization how, class Write>
  KOKKOS_INLINE_FUNCTION void run(std::size_t r, std::uint64_t first, std::size_t count, std::size_t j, const Write& write) const {
    const HaltonCoordinate coordinate = resolve<how>(r, j);
    HaltonDigits state;
    start<how>(coordinate, first, state);
    for (std::size_t k = 0;;) {
      write(k, coordinate.radix.unit(state.leading + state.trailing + coordinate.tail));
      if (++k == count) break;
      advance<how>(coordinate, state);
    }
  }

  /// Whether the randomization is LMS, whose steps change every digit.
  template <Randomization how>
  static constexpr bool linear_scrambling =
      how == Randomization::lms || how == Randomization::lms_digital_shift || how == Randomization::lms_permutation;

  /// Number of scrambled digits y_l of coordinate j: the D index digits unrandomized and under
  /// permutations (whose deeper levels are a constant tail), the t digits of precision under a shift
  /// or LMS, both under NUS.
  template <Randomization how>
  KOKKOS_INLINE_FUNCTION int levels(std::size_t j) const {
    if constexpr (how == Randomization::none || how == Randomization::permutation) return shared_levels(j);
    else if constexpr (how == Randomization::nus) return digits(j) > shared_levels(j) ? digits(j) : shared_levels(j);
    else return digits(j);
  }

  /// The tables of coordinate j under replication r that the randomization uses.
  template <Randomization how>
  KOKKOS_INLINE_FUNCTION HaltonCoordinate resolve(std::size_t r, std::size_t j) const {
    HaltonCoordinate c;
    c.base = bases(j);
    c.shared_levels = shared_levels(j);
    c.radix = radix(j, levels<how>(j));
    if constexpr (how == Randomization::digital_shift || how == Randomization::lms_digital_shift) c.shifts = &shifts(r, digit_offset(j));
    if constexpr (linear_scrambling<how>) c.column_sums = &scramble_sums(r, matrix_offset(j));
    if constexpr (how == Randomization::permutation) {
      c.permutation = &permutations(r, perm_offset(j));
      c.tail = permutation_tails(r, j);
    }
    if constexpr (how == Randomization::lms_permutation) c.permuted_terms = &permuted_terms(r, perm_offset(j));
    return c;
  }

  /// Sets `state` to index i of `coordinate` (every randomization but NUS).
  template <Randomization how>
  KOKKOS_INLINE_FUNCTION static void start(const HaltonCoordinate& coordinate, std::uint64_t i, HaltonDigits& state) {
    const std::uint32_t b = coordinate.base;
    const RadixValue& radix = coordinate.radix;
    const int D = coordinate.shared_levels, T = radix.levels;
    for (int l = T; l < radix.padded; ++l) state.scrambled[l] = 0;
    index_digits(i, b, D, state.index);
    const auto index_digit = [&](int l) { return l < D ? state.index[l] : 0u; };
    if constexpr (linear_scrambling<how>) {
      // sum_k L_lk a_k = sum_k P_{k,l} (a_k - a_{k+1}) (summation by parts, a_D = 0), every term mod b
      std::uint32_t steps[halton_max_digits];
      for (int k = 0; k < D; ++k) {
        const std::uint32_t a = state.index[k], next = index_digit(k + 1);
        steps[k] = a >= next ? a - next : a + b - next;
      }
      for (int l = 0; l < T; ++l) {
        std::uint64_t y = how == Randomization::lms_digital_shift ? coordinate.shifts[l] : 0;
        for (int k = 0; k < D; ++k) y += static_cast<std::uint64_t>(coordinate.column_sums[k * radix.padded + l]) * steps[k];
        state.scrambled[l] = static_cast<std::uint32_t>(y % b);
      }
      state.leading = linear_sum<how>(coordinate, state);
      state.trailing = 0;
    } else {
      for (int l = 0; l < T; ++l) {
        if constexpr (how == Randomization::digital_shift)
          state.scrambled[l] = (index_digit(l) + coordinate.shifts[l]) % b;
        else if constexpr (how == Randomization::permutation)
          state.scrambled[l] = coordinate.permutation[static_cast<std::size_t>(l) * b + state.index[l]];
        else
          state.scrambled[l] = state.index[l];
      }
      state.sum_digits(radix, T);
    }
  }

  /// Moves `state` from index i to i + 1 (which must be below max_points). The index digits
  /// a_0 .. a_c change, each by +1 mod b (c carries), so the scrambled digits change by a table
  /// lookup or an addition mod b each: O(1) per changed digit (and its term of the sum), O(t) for
  /// LMS (over the padded digits, whose column sums are 0).
  template <Randomization how>
  KOKKOS_INLINE_FUNCTION static void advance(const HaltonCoordinate& coordinate, HaltonDigits& state) {
    const std::uint32_t b = coordinate.base;
    const RadixValue& radix = coordinate.radix;
    int c = 0;
    while (++state.index[c] == b) state.index[c++] = 0;
    if constexpr (linear_scrambling<how>) {
      const std::uint32_t* step = coordinate.column_sums + static_cast<std::size_t>(c) * radix.padded;
      const auto digit = [&](int l) {
        const std::uint32_t y = state.scrambled[l] + step[l];
        return state.scrambled[l] = y >= b ? y - b : y;
      };
      if constexpr (how == Randomization::lms_permutation) {
        // the step in its own loop, which vectorizes (the lookups of the sum do not)
        for (int l = 0; l < radix.padded; ++l) digit(l);
        state.leading = linear_sum<how>(coordinate, state);
      } else {
        state.leading = radix.sum([&](int l) { return radix.term(l, digit(l)); });
      }
    } else {
      const int T = radix.levels;
      for (int l = 0; l <= c && l < T; ++l) {
        if constexpr (how == Randomization::digital_shift)
          state.set_digit(radix, l, state.scrambled[l] + 1 == b ? 0 : state.scrambled[l] + 1);
        else if constexpr (how == Randomization::permutation)
          state.set_digit(radix, l, coordinate.permutation[static_cast<std::size_t>(l) * b + state.index[l]]);
        else
          state.set_digit(radix, l, state.index[l]);
      }
      if (c >= radix.exact) state.sum_trailing(radix, T);
    }
  }

  /// RadixValue's sum of the LMS digits of `state`, permuted under lms-perm.
  template <Randomization how>
  KOKKOS_INLINE_FUNCTION static double linear_sum(const HaltonCoordinate& coordinate, const HaltonDigits& state) {
    const RadixValue& radix = coordinate.radix;
    if constexpr (how != Randomization::lms_permutation) {
      return radix.sum([&](int l) { return radix.term(l, state.scrambled[l]); });
    } else {
      const std::size_t b = coordinate.base;
      const int T = radix.levels;
      return radix.sum([&](int l) { return l < T ? coordinate.permuted_terms[l * b + state.scrambled[l]] : 0.0; });
    }
  }

  /// The RadixValue of coordinate j with `levels` digits.
  KOKKOS_INLINE_FUNCTION RadixValue radix(std::size_t j, int levels) const {
    const double* w = &weights(weight_offset(j));
    return RadixValue{levels, padded_digit_count(levels), exact_digits(j), w[0] * bases(j), w};  // b^e = w_0 b, exact
  }

  /// Coordinate j of point i under replication r with NUS, which is evaluated index by index: every
  /// node label below a changed digit changes, so there is nothing to carry over.
  KOKKOS_INLINE_FUNCTION double nested_coordinate(std::size_t r, std::uint64_t i, std::size_t j) const {
    const std::uint32_t b = bases(j);
    const int D = shared_levels(j), T = levels<Randomization::nus>(j);
    const RadixValue value = radix(j, T);
    std::uint32_t a[halton_max_digits], y[halton_max_digits];
    index_digits(i, b, D, a);
    std::uint64_t prefix = 0, power = 1;  // prefix = i mod b^l, the node label
    for (int l = 0; l < D; ++l) {
      y[l] = nested_digit(nus_keys(r, j), b, l, prefix, a[l]);
      prefix += power * a[l];
      power *= b;
    }
    for (int l = D; l < T; ++l) {
      const std::uint64_t word = philox(nus_keys(r, j), i, static_cast<std::uint32_t>((l - D) >> 1), Stream::nested_scramble_deep).u64((l - D) & 1);
      y[l] = static_cast<std::uint32_t>(scale_below(word, b));
    }
    for (int l = T; l < value.padded; ++l) y[l] = 0;
    return value.unit(value.sum([&](int l) { return value.term(l, y[l]); }));
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
  static constexpr bool iid = false;  ///< deterministic points: replications differ only by their randomization

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
  std::vector<std::size_t> digit_offset, matrix_offset, perm_offset, weight_offset;
  std::vector<double> weights;          ///< RadixValue's w_l (each coordinate's padded)
  std::vector<int> exact_digits;        ///< RadixValue's e
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
  const auto weight_offset = to_device<std::size_t, memory_space>("qmcsim::Halton::weight_offset", layout.weight_offset);
  const auto weights = to_device<double, memory_space>("qmcsim::Halton::weights", layout.weights);
  tables.weight_offset = weight_offset;
  tables.weights = weights;
  tables.exact_digits = to_device<int, memory_space>("qmcsim::Halton::exact_digits", layout.exact_digits);
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
          const int D = shared(j), T = digits(j), stride = padded_digit_count(T);
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
              sums(r, matrix_offset(j) + static_cast<std::size_t>(k) * stride + l) = sum;
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
          double tail = 0;  // in RadixValue's units b^{-e}
          for (int l = digits(j) - 1; l >= permuted; --l) {
            const std::uint64_t word = philox(key, static_cast<std::uint32_t>(l), 0, 1, Stream::digit_permutation).u64(0);
            tail += static_cast<double>(scale_below(word, b)) * weights(weight_offset(j) + l);
          }
          tails(r, j) = tail;
        });
    if (how == Randomization::permutation) {
      tables.permutations = permutations;
      tables.permutation_tails = tails;
    } else {
      Kokkos::View<double**, Kokkos::LayoutRight, memory_space> terms("qmcsim::Halton::permuted_terms", R, layout.total_perm);
      Kokkos::parallel_for(
          "qmcsim::Halton::permuted_terms", Policy(0, per_coordinate), KOKKOS_LAMBDA(std::int64_t flat) {
            const std::size_t r = flat / d, j = flat % d, b = bases(j);
            for (std::size_t l = 0; l < static_cast<std::size_t>(digits(j)); ++l)
              for (std::size_t a = 0; a < b; ++a) {
                const std::size_t at = perm_offset(j) + l * b + a;
                terms(r, at) = static_cast<double>(permutations(r, at)) * weights(weight_offset(j) + l);
              }
          });
      tables.permuted_terms = terms;
    }
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
        tables.run(r, begin + first, last - first, j,
                   [&](std::size_t k, double x) { out(r, first + k, j) = detail::narrow_to_unit_interval<Real>(x); });
      });
}

}  // namespace qmcsim
