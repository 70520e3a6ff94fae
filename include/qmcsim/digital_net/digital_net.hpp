// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Randomized base-2 digital nets and sequences (Sobol', Niederreiter, user matrices), optionally of
/// higher order, generated in parallel on any Kokkos execution space.
///
/// Point k, coordinate j of the unrandomized sequence is x_j(k) = XOR_{b: k_b = 1} C_j[b] (see
/// generating_matrices.hpp). Orders: natural (index i -> k = i) and Gray (k = gray_code(i)); both
/// enumerate the same 2^m-point nets in blocks of 2^m. Randomizations, per replication r:
///   ds       y = x XOR s_{r,j}                          (random digital shift, 64 digits)
///   lms      C_j -> L_{r,j} C_j                         (Matousek's linear matrix scrambling)
///   lms-ds   both (the QMCPy default)
///   nus      Owen's nested uniform scrambling of every digit that reaches the output
/// Each keeps the (t, m, s)-net property and makes every point uniform on [0,1)^s.
/// The matrices C_j are one set for every replication, or one set per replication (QMCPy's (r, d, m)
/// generating matrices); the randomizations above then act on each replication's own set.
///
/// Higher order (alpha = 2..5, Dick 2008): output coordinate j digitally interlaces base coordinates
/// j alpha, ..., j alpha + alpha - 1. LMS scrambles the base matrices before interlacing, NUS
/// scrambles the base coordinates before interlacing (higher-order LMS/NUS as in QMCPy,
/// arXiv 2502.14256), and the digital shift is applied after interlacing.
///
/// Kernels: on CPUs each work item walks a chunk of consecutive indices with the Gray/natural
/// recurrence x(i+1) = x(i) XOR step[ctz(i+1)] (one XOR per coordinate, vectorized over j); on GPUs
/// each thread computes one coordinate directly. Both give bitwise-identical points.

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/core/point_generator.hpp"
#include "qmcsim/core/point_words.hpp"
#include "qmcsim/core/random.hpp"
#include "qmcsim/core/random_words.hpp"
#include "qmcsim/digital_net/generating_matrices.hpp"
#include "qmcsim/digital_net/scramble.hpp"

namespace qmcsim {

/// How a generator maps work to threads; all strategies give identical points.
enum class KernelStrategy {
  automatic,   ///< recurrence on host back ends, direct on GPUs
  recurrence,  ///< chunks of consecutive indices, one XOR per coordinate
  direct,      ///< one thread per coordinate, O(m) XORs each
};

/// The options of a DigitalNet: the point set's (default randomization LMS + digital shift), the
/// interlacing factor and the generation kernel.
struct DigitalNetOptions : PointSetOptions {
  DigitalNetOptions() { randomization = Randomization::lms_digital_shift; }
  int alpha = 1;  ///< interlacing factor: 1 (classical net) up to 5
  KernelStrategy kernel = KernelStrategy::automatic;  ///< how points are generated (the same points either way)
};

namespace detail {

inline constexpr int max_alpha = 5;

/// The device-side tables of a digital-net plan, and the per-coordinate maths.
template <class MemorySpace>
struct DigitalNetTables {
  using Words2 = Kokkos::View<const std::uint64_t**, Kokkos::LayoutRight, MemorySpace>;
  using Words3 = Kokkos::View<const std::uint64_t***, Kokkos::LayoutRight, MemorySpace>;

  Words3 columns;   ///< (matrix sets, base coordinates, m): one set per replication under LMS or
                    ///< with per-replication matrices, else one
  Words3 steps;     ///< (matrix sets, m, base coordinates): the recurrence increments, prefix XORs of
                    ///< the columns (natural order) or the columns (Gray), coordinates contiguous
  Words2 shifts;    ///< (replications, dimension), zero without a digital shift
  Words2 nus_keys;  ///< (replications, base coordinates) under NUS, else empty
  int interlace_after_nus = 1;
  int nus_depth = 0;  ///< 0: linear randomization (XOR with the shift)
  bool gray = false;

  KOKKOS_INLINE_FUNCTION std::uint64_t index_of(std::uint64_t i) const { return gray ? bits::gray_code(i) : i; }
  KOKKOS_INLINE_FUNCTION std::size_t set_of(std::size_t r) const { return columns.extent(0) == 1 ? 0 : r; }

  KOKKOS_INLINE_FUNCTION std::uint64_t base_point(std::size_t set, std::size_t jb, std::uint64_t k) const {
    std::uint64_t x = 0;
    for (int b = 0; k != 0; ++b, k >>= 1) x ^= columns(set, jb, b) & (std::uint64_t{0} - (k & 1));
    return x;
  }

  /// Output word of replication r, coordinate j, from its base word(s) (interlace_after_nus of them).
  KOKKOS_INLINE_FUNCTION std::uint64_t finish(std::size_t r, std::size_t j, const std::uint64_t* base) const {
    if (nus_depth == 0) return base[0] ^ shifts(r, j);
    std::uint64_t scrambled[max_alpha];
    for (int l = 0; l < interlace_after_nus; ++l)
      scrambled[l] = scramble::nested_uniform(nus_keys(r, j * interlace_after_nus + l), base[l], nus_depth);
    return interlace_after_nus == 1 ? scrambled[0] : scramble::interlace(scrambled, interlace_after_nus);
  }
};

/// CPU kernel: one work item = (matrix set, chunk of consecutive indices, tile of coordinates).
template <class MemorySpace, class OutView>
struct DigitalNetRecurrenceKernel {
  static constexpr std::int64_t chunk = 256;
  static constexpr std::size_t tile = 64;
  using Real = typename OutView::non_const_value_type;

  DigitalNetTables<MemorySpace> tables;
  OutView out;
  std::uint64_t begin;
  std::int64_t chunks;
  std::int64_t tiles;

  KOKKOS_INLINE_FUNCTION void operator()(std::int64_t item) const {
    const std::size_t dimension = out.extent(2);
    const std::int64_t count = static_cast<std::int64_t>(out.extent(1));
    const std::int64_t tile_index = item % tiles;
    const std::int64_t chunk_index = (item / tiles) % chunks;
    const std::size_t set = static_cast<std::size_t>(item / (tiles * chunks));
    const std::size_t j0 = tile_index * tile;
    const std::size_t j1 = j0 + tile < dimension ? j0 + tile : dimension;
    const std::int64_t i0 = chunk_index * chunk;
    const std::int64_t i1 = i0 + chunk < count ? i0 + chunk : count;
    const std::size_t r0 = tables.columns.extent(0) == 1 ? 0 : set;
    const std::size_t r1 = tables.columns.extent(0) == 1 ? out.extent(0) : set + 1;
    const int alpha = tables.interlace_after_nus;
    const std::size_t base0 = j0 * alpha;
    const std::size_t base_count = (j1 - j0) * alpha;

    // Cache-line aligned, so that the vector loads of the state never split a line: when max_alpha = 5
    // moved the unaligned array, the kernel went from 1.7 to 2.4 times the write kernel's time
    // (medians of 6 alternating runs; aligned 1.77).
    alignas(64) std::uint64_t state[tile * max_alpha];
    for (std::size_t b = 0; b < base_count; ++b)
      state[b] = tables.base_point(set, base0 + b, tables.index_of(begin + i0));
    for (std::int64_t i = i0; i < i1; ++i) {
      for (std::size_t r = r0; r < r1; ++r) {
        Real* row = &out(r, i, 0);
        if (tables.nus_depth == 0) {
          const std::uint64_t* shift = &tables.shifts(r, 0);
          for (std::size_t j = j0; j < j1; ++j) row[j] = word_to_output<Real>(state[j - j0] ^ shift[j]);
        } else {
          for (std::size_t j = j0; j < j1; ++j) row[j] = word_to_output<Real>(tables.finish(r, j, &state[(j - j0) * alpha]));
        }
      }
      if (i + 1 == i1) break;
      const int changed = bits::count_trailing_zeros(begin + i + 1);
      const std::uint64_t* step = &tables.steps(set, changed, base0);
      for (std::size_t b = 0; b < base_count; ++b) state[b] ^= step[b];
    }
  }
};

/// GPU kernel: one thread per output coordinate (replication, point, coordinate), coordinate fastest.
template <class MemorySpace, class OutView>
struct DigitalNetDirectKernel {
  using Real = typename OutView::non_const_value_type;

  DigitalNetTables<MemorySpace> tables;
  OutView out;
  std::uint64_t begin;

  KOKKOS_INLINE_FUNCTION void operator()(std::int64_t flat) const {
    const std::size_t dimension = out.extent(2);
    const std::size_t count = out.extent(1);
    const std::size_t j = static_cast<std::size_t>(flat) % dimension;
    const std::size_t i = (static_cast<std::size_t>(flat) / dimension) % count;
    const std::size_t r = static_cast<std::size_t>(flat) / (dimension * count);
    const std::uint64_t k = tables.index_of(begin + i);
    const int alpha = tables.interlace_after_nus;
    std::uint64_t base[max_alpha];
    for (int l = 0; l < alpha; ++l) base[l] = tables.base_point(tables.set_of(r), j * alpha + l, k);
    out(r, i, j) = word_to_output<Real>(tables.finish(r, j, base));
  }
};

}  // namespace detail

/// A randomized digital net plan: the scrambled matrices and shifts of every replication are built
/// once on the device; generate() fills any index range [begin, end) of the sequence.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class DigitalNet : public PointGenerator<DigitalNet<ExecSpace>, ExecSpace, DigitalNetOptions> {
  using Base = PointGenerator<DigitalNet<ExecSpace>, ExecSpace, DigitalNetOptions>;

 public:
  using typename Base::memory_space;  ///< where generate(range) allocates
  using Base::generate;
  static constexpr const char* name = "DigitalNet";  ///< in error messages
  static constexpr bool writes_words = true;  ///< raw 64-bit digits (uint64 output) are a valid output
  static constexpr bool iid = false;  ///< deterministic points: replications differ only by their randomization

  /// One set of generating matrices for every replication.
  DigitalNet(const GeneratingMatrices& matrices, const DigitalNetOptions& options)
      : DigitalNet(std::vector<GeneratingMatrices>{matrices}, options) {}
  /// One set per replication (matrices.size() == replications), or one for all (size 1); all with
  /// the same number of columns m.
  DigitalNet(const std::vector<GeneratingMatrices>& matrices, const DigitalNetOptions& options);

  /// The sequence has 2^m points, m = the number of columns of the generating matrices.
  std::uint64_t max_points() const { return std::uint64_t{1} << tables_.columns.extent(2); }
  /// What bounds the index range, for messages.
  std::string range_limit() const { return "2^m points, m = columns of the generating matrices"; }

  /// Writes points [range.begin, range.end) into out(r, i, j), i = index - range.begin.
  /// `out` is a rank-3 LayoutRight view of double, float or std::uint64_t (the raw 64-bit digits)
  /// with extents (replications, range.size(), dimension), accessible from ExecSpace; enqueued on
  /// `space`.
  template <class OutView>
  void generate(const ExecSpace& space, const IndexRange& range, const OutView& out) const;

 private:
  detail::DigitalNetTables<memory_space> tables_;
};

// ----------------------------------------------------------------------------------------------
// Plan construction: every table is built by a Kokkos kernel on ExecSpace.

namespace detail {

using NetWords2 = Kokkos::View<std::uint64_t**, Kokkos::LayoutRight>;

template <class ExecSpace>
using NetDeviceWords3 = Kokkos::View<std::uint64_t***, Kokkos::LayoutRight, typename ExecSpace::memory_space>;
template <class ExecSpace>
using NetDeviceWords2 = Kokkos::View<std::uint64_t**, Kokkos::LayoutRight, typename ExecSpace::memory_space>;

template <class ExecSpace>
NetDeviceWords3<ExecSpace> base_columns_on_device(const std::vector<GeneratingMatrices>& matrices, std::size_t base_dims) {
  const int m = matrices.front().columns();
  NetDeviceWords3<ExecSpace> columns("qmcsim::DigitalNet::base_columns", matrices.size(), base_dims, m);
  auto host = Kokkos::create_mirror_view(columns);
  for (std::size_t s = 0; s < matrices.size(); ++s)
    for (std::size_t j = 0; j < base_dims; ++j)
      for (int b = 0; b < m; ++b) host(s, j, b) = matrices[s].column(j, b);
  Kokkos::deep_copy(columns, host);
  return columns;
}

/// L_{r,j} C_{r,j} for every replication r and base coordinate j (C_{r,j} = C_j with one set for all).
template <class ExecSpace>
NetDeviceWords3<ExecSpace> linear_matrix_scramble(const NetDeviceWords3<ExecSpace>& base, std::size_t replications,
                                                  std::uint64_t seed) {
  const std::size_t dims = base.extent(1);
  const int m = static_cast<int>(base.extent(2));
  NetDeviceWords3<ExecSpace> scrambled("qmcsim::DigitalNet::lms_columns", replications, dims, m);
  Kokkos::parallel_for(
      "qmcsim::DigitalNet::lms", Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(0, replications * dims),
      KOKKOS_LAMBDA(std::int64_t flat) {
        const std::size_t r = flat / dims;
        const std::size_t j = flat % dims;
        const std::uint64_t key = derive_key(seed, Stream::linear_scramble, static_cast<std::uint32_t>(r),
                                             static_cast<std::uint32_t>(j));
        std::uint64_t rows[64];
        for (int p = 0; p < 64; ++p) rows[p] = scramble::lms_row(key, p);
        const std::size_t set = base.extent(0) == 1 ? 0 : r;
        for (int b = 0; b < m; ++b) scrambled(r, j, b) = scramble::lower_triangular_product(rows, base(set, j, b));
      });
  return scrambled;
}

/// Output matrix j interlaces base matrices j alpha ... j alpha + alpha - 1, column by column.
template <class ExecSpace>
NetDeviceWords3<ExecSpace> interlace_columns(const NetDeviceWords3<ExecSpace>& base, int alpha) {
  const std::size_t sets = base.extent(0);
  const std::size_t dims = base.extent(1) / alpha;
  const std::size_t m = base.extent(2);
  NetDeviceWords3<ExecSpace> interlaced("qmcsim::DigitalNet::interlaced_columns", sets, dims, m);
  Kokkos::parallel_for(
      "qmcsim::DigitalNet::interlace", Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(0, sets * dims * m),
      KOKKOS_LAMBDA(std::int64_t flat) {
        const std::size_t b = flat % m;
        const std::size_t j = (flat / m) % dims;
        const std::size_t s = flat / (m * dims);
        std::uint64_t words[max_alpha];
        for (int l = 0; l < alpha; ++l) words[l] = base(s, j * alpha + l, b);
        interlaced(s, j, b) = scramble::interlace(words, alpha);
      });
  return interlaced;
}

/// steps(s, b, j) is what coordinate j changes by when the index's lowest zero bit is b: in natural
/// order all bits 0..b flip (prefix XOR of the columns), in Gray order only bit b of the Gray code.
template <class ExecSpace>
NetDeviceWords3<ExecSpace> recurrence_steps(const NetDeviceWords3<ExecSpace>& columns, bool gray) {
  const std::size_t dims = columns.extent(1);
  const int m = static_cast<int>(columns.extent(2));
  NetDeviceWords3<ExecSpace> steps("qmcsim::DigitalNet::steps", columns.extent(0), m, dims);
  Kokkos::parallel_for(
      "qmcsim::DigitalNet::steps", Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(0, columns.extent(0) * dims),
      KOKKOS_LAMBDA(std::int64_t flat) {
        const std::size_t s = flat / dims;
        const std::size_t j = flat % dims;
        std::uint64_t prefix = 0;
        for (int b = 0; b < m; ++b) steps(s, b, j) = gray ? columns(s, j, b) : (prefix ^= columns(s, j, b));
      });
  return steps;
}

void check_digital_net_options(const std::vector<GeneratingMatrices>& matrices, const DigitalNetOptions& options);

}  // namespace detail

template <class ExecSpace>
DigitalNet<ExecSpace>::DigitalNet(const std::vector<GeneratingMatrices>& matrices, const DigitalNetOptions& options)
    : Base(options) {
  detail::check_digital_net_options(matrices, options);
  const int alpha = options.alpha;
  const std::size_t R = options.replications;
  const std::size_t d = options.dimension;
  const Randomization how = options.randomization;
  const bool lms = how == Randomization::lms || how == Randomization::lms_digital_shift;
  const bool nus = how == Randomization::nus;

  auto columns = detail::base_columns_on_device<ExecSpace>(matrices, d * alpha);
  if (lms) columns = detail::linear_matrix_scramble<ExecSpace>(columns, R, options.seed);
  if (alpha > 1 && !nus) columns = detail::interlace_columns<ExecSpace>(columns, alpha);

  tables_.columns = columns;
  tables_.steps = detail::recurrence_steps<ExecSpace>(columns, options.order == PointOrder::gray);
  tables_.gray = options.order == PointOrder::gray;
  if (how == Randomization::digital_shift || how == Randomization::lms_digital_shift)
    tables_.shifts = detail::random_words<ExecSpace>("qmcsim::DigitalNet::shifts", R, d, options.seed, Stream::digital_shift);
  else
    tables_.shifts = detail::NetDeviceWords2<ExecSpace>("qmcsim::DigitalNet::zero_shifts", R, d);
  if (nus) {
    tables_.nus_keys =
        detail::random_words<ExecSpace>("qmcsim::DigitalNet::nus_keys", R, d * alpha, options.seed, Stream::nested_scramble);
    tables_.nus_depth = scramble::nus_depth(alpha);
    tables_.interlace_after_nus = alpha;
  }
  ExecSpace().fence();
}

template <class ExecSpace>
template <class OutView>
void DigitalNet<ExecSpace>::generate(const ExecSpace& space, const IndexRange& range, const OutView& out) const {
  this->check_output(range, out);
  if (range.size() == 0) return;

  const DigitalNetOptions& options = this->options_;
  const bool recurrence = options.kernel == KernelStrategy::recurrence ||
                          (options.kernel == KernelStrategy::automatic && detail::runs_on_host_v<ExecSpace>);
  using Policy = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>;
  if (recurrence) {
    using Kernel = detail::DigitalNetRecurrenceKernel<memory_space, OutView>;
    const std::int64_t chunks = (static_cast<std::int64_t>(range.size()) + Kernel::chunk - 1) / Kernel::chunk;
    const std::int64_t tiles = static_cast<std::int64_t>((options.dimension + Kernel::tile - 1) / Kernel::tile);
    const std::int64_t sets = static_cast<std::int64_t>(tables_.columns.extent(0));
    Kokkos::parallel_for("qmcsim::DigitalNet::generate_recurrence", Policy(space, 0, sets * chunks * tiles),
                         Kernel{tables_, out, range.begin, chunks, tiles});
  } else {
    using Kernel = detail::DigitalNetDirectKernel<memory_space, OutView>;
    Kokkos::parallel_for("qmcsim::DigitalNet::generate_direct", Policy(space, 0, static_cast<std::int64_t>(out.size())),
                         Kernel{tables_, out, range.begin});
  }
}

}  // namespace qmcsim
