// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// What every point generator shares (CRTP base): its options, the allocating `generate(range)`, the
/// overloads without an execution-space instance, and the checks of `generate(space, range, out)`. A
/// generator `G` derives from PointGenerator<G, ExecSpace, Options> and provides `name`,
/// `writes_words` (whether raw 64-bit words are a valid output), `iid` (whether its points are
/// independent uniform draws without any randomization), `max_points()`, `range_limit()`
/// (what bounds the range, for messages) and
/// `template <class OutView> void generate(const ExecSpace&, const IndexRange&, const OutView&) const`.
///
/// Execution-space instances (as in Kokkos Kernels): `generate(space, range, out)` enqueues its kernel
/// on the instance `space` (on CUDA, its stream) and returns without waiting, so points can be made
/// while the user's own work runs on other streams; read `out` after `space.fence()` or from later work
/// on the same instance. The overloads without `space` run on `ExecSpace()`, Kokkos' default instance.

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/point_set.hpp"

namespace qmcsim {

/// The most points one generate call writes: Kokkos before 4.0 keeps the extents of a rank-3 View
/// beyond its first two in 32 bits, so a larger range would silently lose its high bits.
#if KOKKOS_VERSION < 40000
inline constexpr std::uint64_t max_points_per_call = std::numeric_limits<unsigned>::max();
#else
inline constexpr std::uint64_t max_points_per_call = std::numeric_limits<std::uint64_t>::max();
#endif

/// The base of every point generator (see the file comment).
template <class Derived, class ExecSpace, class Options>
class PointGenerator {
 public:
  using execution_space = ExecSpace;                      ///< where points are generated
  using memory_space = typename ExecSpace::memory_space;  ///< where generate(range) allocates

  /// The options the generator was made with.
  const Options& options() const { return options_; }
  /// d, the number of coordinates.
  std::size_t dimension() const { return options_.dimension; }
  /// R, the randomizations generated together.
  std::size_t replications() const { return options_.replications; }
  /// Whether the R replications are independent random point sets (a randomization other than none,
  /// or iid points), so that their spread estimates the error; unrandomized ones are R copies.
  bool random_replications() const { return Derived::iid || options_.randomization != Randomization::none; }

  /// Points [range.begin, range.end) into a new (replications, points, dimension) view of doubles,
  /// allocated and written on the instance `space`.
  PointsView<double, memory_space> generate(const ExecSpace& space, const IndexRange& range) const {
    check_range(range);
    PointsView<double, memory_space> out(
        Kokkos::view_alloc(space, Kokkos::WithoutInitializing, std::string(Derived::name) + "::points"),
        options_.replications, range.size(), options_.dimension);
    static_cast<const Derived&>(*this).generate(space, range, out);
    return out;
  }
  /// generate(ExecSpace(), range).
  PointsView<double, memory_space> generate(const IndexRange& range) const { return generate(ExecSpace(), range); }
  /// generate(ExecSpace(), range, out).
  template <class OutView>
  void generate(const IndexRange& range, const OutView& out) const {
    static_cast<const Derived&>(*this).generate(ExecSpace(), range, out);
  }

 protected:
  /// Keeps the options (the derived generator checks them).
  explicit PointGenerator(const Options& options) : options_(options) {}

  /// The checks every generate(range, out) starts with: the view's type at compile time (rank 3,
  /// LayoutRight, accessible from ExecSpace, double/float or, where allowed, std::uint64_t words),
  /// the range and the extents (replications, range.size(), dimension) at run time.
  template <class OutView>
  void check_output(const IndexRange& range, const OutView& out) const {
    using Value = typename OutView::non_const_value_type;
    static_assert(Kokkos::is_view<OutView>::value && OutView::rank == 3, "generate: out must be a rank-3 View");
    static_assert(std::is_same_v<typename OutView::array_layout, Kokkos::LayoutRight>,
                  "generate: out must be LayoutRight (coordinates contiguous)");
    static_assert(Kokkos::SpaceAccessibility<ExecSpace, typename OutView::memory_space>::accessible,
                  "generate: out must be accessible from the execution space");
    static_assert(std::is_same_v<Value, double> || std::is_same_v<Value, float> ||
                      (Derived::writes_words && std::is_same_v<Value, std::uint64_t>),
                  "generate: out must hold double or float (or std::uint64_t words, for base-2 generators)");
    check_range(range);
    detail::check_output_extents((std::string(Derived::name) + "::generate").c_str(), options_, range, out.extent(0),
                                 out.extent(1), out.extent(2));
  }

  /// Throws qmcsim::error for a range beyond max_points() or too long for one call.
  void check_range(const IndexRange& range) const {
    const Derived& self = static_cast<const Derived&>(*this);
    detail::require(range.begin <= range.end && range.end <= self.max_points(), Derived::name, "::generate: index range [",
                    range.begin, ", ", range.end, ") is outside [0, ", self.max_points(), "] (", self.range_limit(), ")");
    detail::require(range.size() <= max_points_per_call, Derived::name, "::generate: ", range.size(),
                    " points in one call; at most ", max_points_per_call,
                    " (this Kokkos stores a rank-3 View's extents in 32 bits): generate consecutive sub-ranges");
  }

  Options options_;  ///< the options, as given
};

}  // namespace qmcsim
