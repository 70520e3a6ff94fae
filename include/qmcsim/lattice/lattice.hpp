// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Randomly shifted rank-1 lattices, generated in parallel on any Kokkos execution space.
///
/// With an extensible generating vector z and 2^m points:
///   linear order            x_i = frac(i z / n + Delta)            (a fixed lattice size n = 2^k <= 2^m)
///   natural (radical-inverse) order   x_i = frac(phi_2(i) z + Delta)   (extensible: the first 2^k
///                                     points are the lattice with 2^k points and vector z mod 2^k)
///   Gray order              x_i = frac(phi_2(gray(i)) z + Delta)
/// where phi_2 is the van der Corput radical inverse and Delta ~ U[0,1)^d a random shift per
/// replication (shift), or 0 (none). z is one vector for every replication, or one per replication
/// (QMCPy's (r, d) generating vectors; e.g. GeneratingVector::random draws, so that the replications
/// also average over the choice of lattice). Arithmetic is exact: a point is the 64-bit fixed-point word
/// bit_reverse(k) * z_j + Delta_j mod 2^64 (or (i 2^(64-k)) z_j + Delta_j), converted to double
/// with 53 significant bits (see core/bits.hpp).
/// An ordinary rule with n points, n not a power of two, has linear order only: the word of
/// x_i = frac(k / n + Delta), k = i z_j mod n, is floor(k 2^64 / n) + Delta_j mod 2^64, exactly.
///
/// Usage: `Lattice<> lattice(GeneratingVector::default_vector(), options); auto x = lattice.generate({0, n});`
/// or, one random vector per replication, `Lattice<> lattice(GeneratingVector::random(d, 20, R, seed), options);`

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/core/point_generator.hpp"
#include "qmcsim/core/point_words.hpp"
#include "qmcsim/core/random_words.hpp"
#include "qmcsim/lattice/generating_vector.hpp"

namespace qmcsim {

/// The options of a Lattice: the point set's (default randomization: a random shift) and, in linear
/// order, the lattice size.
struct LatticeOptions : PointSetOptions {
  LatticeOptions() { randomization = Randomization::shift; }
  /// Linear order only: the number of lattice points n (a power of two, at most 2^m, or the n of
  /// an ordinary rule).
  std::uint64_t linear_size = 0;
};

namespace detail {

template <class MemorySpace>
struct LatticeTables {
  Kokkos::View<const std::uint64_t**, Kokkos::LayoutRight, MemorySpace> z;  ///< (vectors, d): 1 or one per replication
  Kokkos::View<const std::uint64_t**, Kokkos::LayoutRight, MemorySpace> shifts;  ///< (replications, d)
  PointOrder order = PointOrder::natural;
  int linear_shift = 0;  ///< 64 - log2(linear_size)
  /// An ordinary rule's n (0 for an extensible one) and floor(2^64 / n), 2^64 mod n.
  std::uint64_t modulus = 0, modulus_quotient = 0, modulus_remainder = 0;

  /// The row of z that replication r uses.
  KOKKOS_INLINE_FUNCTION const std::uint64_t* z_of(std::size_t r) const { return &z(z.extent(0) == 1 ? 0 : r, 0); }

  /// The word floor(k 2^64 / n) of the fraction k / n, k < n < 2^32: k q + floor(k r / n) with
  /// 2^64 = q n + r, exact because k r < n^2 < 2^64.
  KOKKOS_INLINE_FUNCTION std::uint64_t fraction_word(std::uint64_t i, std::uint64_t z) const {
    const std::uint64_t k = i * z % modulus;
    return k * modulus_quotient + k * modulus_remainder / modulus;
  }

  /// The fixed-point multiplier of point i: the 64-bit word of phi_2(k), or of i / n in linear order.
  KOKKOS_INLINE_FUNCTION std::uint64_t phase(std::uint64_t i) const {
    switch (order) {
      case PointOrder::gray: return bits::bit_reverse(bits::gray_code(i));
      case PointOrder::linear: return linear_shift == 64 ? 0 : i << linear_shift;
      default: return bits::bit_reverse(i);
    }
  }
};

void check_lattice_options(const std::vector<GeneratingVector>& vectors, const LatticeOptions& options);

}  // namespace detail

/// Rank-1 lattice points {i z / n + shift} (see the file comment), R randomizations at once.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class Lattice : public PointGenerator<Lattice<ExecSpace>, ExecSpace, LatticeOptions> {
  using Base = PointGenerator<Lattice<ExecSpace>, ExecSpace, LatticeOptions>;

 public:
  using typename Base::memory_space;  ///< where generate(range) allocates
  using Base::generate;
  static constexpr const char* name = "Lattice";  ///< in error messages
  static constexpr bool writes_words = true;  ///< raw 64-bit digits (uint64 output) are a valid output
  static constexpr bool iid = false;  ///< deterministic points: replications differ only by their randomization

  /// One generating vector for every replication.
  Lattice(const GeneratingVector& vector, const LatticeOptions& options)
      : Lattice(std::vector<GeneratingVector>{vector}, options) {}
  /// One vector per replication (vectors.size() == replications), or one for all (size 1); all with
  /// the same number of points n.
  Lattice(const std::vector<GeneratingVector>& vectors, const LatticeOptions& options);

  /// 2^m in natural and Gray order, the lattice size in linear order.
  std::uint64_t max_points() const { return max_points_; }
  /// What bounds the index range, for messages.
  std::string range_limit() const {
    return this->options_.order == PointOrder::linear ? "the linear lattice size" : "2^m points of the generating vector";
  }

  /// Writes points [range.begin, range.end) into out(r, i, j) (double, float or the raw 64-bit
  /// words; LayoutRight; extents (replications, range.size(), dimension)), enqueued on `space`.
  template <class OutView>
  void generate(const ExecSpace& space, const IndexRange& range, const OutView& out) const;

 private:
  std::uint64_t max_points_;
  detail::LatticeTables<memory_space> tables_;
};

template <class ExecSpace>
Lattice<ExecSpace>::Lattice(const std::vector<GeneratingVector>& vectors, const LatticeOptions& options) : Base(options) {
  detail::check_lattice_options(vectors, options);
  const GeneratingVector& vector = vectors.front();  // n and extensibility: the same for all (checked)
  const std::size_t R = options.replications, d = options.dimension;
  max_points_ = options.order == PointOrder::linear ? options.linear_size : std::uint64_t{1} << vector.log2_points();
  tables_.order = options.order;
  tables_.linear_shift = options.order == PointOrder::linear ? 64 - bits::floor_log2(options.linear_size) : 0;
  if (!vector.extensible()) {
    const std::uint64_t n = vector.modulus();
    tables_.modulus = n;
    tables_.modulus_quotient = ~std::uint64_t{0} / n;  // = floor(2^64 / n): n does not divide 2^64
    tables_.modulus_remainder = ~std::uint64_t{0} - tables_.modulus_quotient * n + 1;
  }

  Kokkos::View<std::uint64_t**, Kokkos::LayoutRight, memory_space> z("qmcsim::Lattice::z", vectors.size(), d);
  auto z_host = Kokkos::create_mirror_view(z);
  for (std::size_t v = 0; v < vectors.size(); ++v)
    for (std::size_t j = 0; j < d; ++j) z_host(v, j) = vectors[v].component(j);
  Kokkos::deep_copy(z, z_host);
  tables_.z = z;

  const bool shifted = options.randomization == Randomization::shift;
  const auto shifts = shifted ? detail::random_words<ExecSpace>("qmcsim::Lattice::shifts", R, d, options.seed, Stream::lattice_shift)
                              : Kokkos::View<std::uint64_t**, Kokkos::LayoutRight, memory_space>("qmcsim::Lattice::zero_shifts", R, d);
  tables_.shifts = shifts;
  ExecSpace().fence();
}

template <class ExecSpace>
template <class OutView>
void Lattice<ExecSpace>::generate(const ExecSpace& space, const IndexRange& range, const OutView& out) const {
  using Real = typename OutView::non_const_value_type;
  this->check_output(range, out);
  if (range.size() == 0) return;
  const auto tables = tables_;
  const std::uint64_t begin = range.begin;
  const std::size_t d = this->options_.dimension, n = range.size();
  using Policy = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>;
  if constexpr (detail::runs_on_host_v<ExecSpace>) {
    // one work item per (replication, point): the coordinate loop vectorizes. The ordinary rule has
    // its own kernel, so that the extensible one's loop stays free of the test.
    const Policy rows(space, 0, static_cast<std::int64_t>(out.extent(0) * n));
    if (tables.modulus != 0) {
      Kokkos::parallel_for("qmcsim::Lattice::generate_ordinary_rows", rows, KOKKOS_LAMBDA(std::int64_t row) {
        const std::size_t r = row / n, i = row % n;
        const std::uint64_t* z = tables.z_of(r);
        for (std::size_t j = 0; j < d; ++j)
          out(r, i, j) = detail::word_to_output<Real>(tables.fraction_word(begin + i, z[j]) + tables.shifts(r, j));
      });
      return;
    }
    Kokkos::parallel_for("qmcsim::Lattice::generate_rows", rows, KOKKOS_LAMBDA(std::int64_t row) {
      const std::size_t r = row / n, i = row % n;
      const std::uint64_t phase = tables.phase(begin + i);
      Real* x = &out(r, i, 0);
      const std::uint64_t* z = tables.z_of(r);
      const std::uint64_t* shift = &tables.shifts(r, 0);
      for (std::size_t j = 0; j < d; ++j) x[j] = detail::word_to_output<Real>(phase * z[j] + shift[j]);
    });
  } else {
    Kokkos::parallel_for(
        "qmcsim::Lattice::generate", Policy(space, 0, static_cast<std::int64_t>(out.size())), KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t j = flat % d, i = (flat / d) % n, r = flat / (d * n);
          const std::uint64_t z = tables.z_of(r)[j];
          const std::uint64_t word = tables.modulus != 0 ? tables.fraction_word(begin + i, z) : tables.phase(begin + i) * z;
          out(r, i, j) = detail::word_to_output<Real>(word + tables.shifts(r, j));
        });
  }
}

}  // namespace qmcsim
