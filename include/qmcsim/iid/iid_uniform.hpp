// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Independent uniform points on (0,1)^d for plain Monte Carlo, with the same plan/generate interface
/// as the low-discrepancy generators: coordinate j of point i in replication r is the open-interval
/// uniform of Philox at counter (i, j, monte_carlo) under a key derived from (seed, r). Any index
/// range can be generated in any order, on any back end, with identical numbers.

#include <Kokkos_Core.hpp>
#include <cstdint>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/point_generator.hpp"
#include "qmcsim/core/point_words.hpp"
#include "qmcsim/core/random.hpp"

namespace qmcsim {

/// Independent uniform points on [0, 1)^d (plain Monte Carlo), point i of replication r a Philox draw
/// keyed by (seed, r, i): the same points on every back end and in any blocks.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class IidUniform : public PointGenerator<IidUniform<ExecSpace>, ExecSpace, PointSetOptions> {
  using Base = PointGenerator<IidUniform<ExecSpace>, ExecSpace, PointSetOptions>;

 public:
  using Base::generate;
  static constexpr const char* name = "IidUniform";  ///< in error messages
  static constexpr bool writes_words = false;  ///< only real-valued output (no raw 64-bit digits)
  static constexpr bool iid = true;  ///< independent uniform draws: replications differ without a randomization

  /// Throws qmcsim::error for an order or randomization other than natural and none: iid points
  /// have neither, and silently ignoring them would hide a mistake.
  explicit IidUniform(const PointSetOptions& options) : Base(options) {
    detail::check_point_set_options(name, options);
    detail::require(options.randomization == Randomization::none, name, ": randomization '",
                    to_string(options.randomization), "' does not apply to iid points (use none)");
    detail::require(options.order == PointOrder::natural, name, ": order '", to_string(options.order),
                    "' does not apply to iid points (use natural)");
  }

  /// 2^64 - 1.
  std::uint64_t max_points() const { return ~std::uint64_t{0}; }
  /// What bounds the index range, for messages.
  std::string range_limit() const { return "2^64 - 1"; }

  /// Writes points [range.begin, range.end) into out(r, i, j) (double or float, LayoutRight, extents
  /// (replications, range.size(), dimension)), enqueued on `space`.
  template <class OutView>
  void generate(const ExecSpace& space, const IndexRange& range, const OutView& out) const {
    using Real = typename OutView::non_const_value_type;
    this->check_output(range, out);
    const std::uint64_t seed = this->options_.seed, begin = range.begin;
    const std::size_t d = this->options_.dimension, n = range.size();
    if (n == 0) return;
    Kokkos::parallel_for(
        "qmcsim::IidUniform::generate", Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(out.size())),
        KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t j = flat % d, i = (flat / d) % n, r = flat / (d * n);
          const std::uint64_t key = derive_key(seed, Stream::monte_carlo, static_cast<std::uint32_t>(r), 0);
          const double u = open_unit_interval(philox(key, begin + i, static_cast<std::uint32_t>(j), Stream::monte_carlo).u64(0));
          out(r, i, j) = detail::narrow_to_unit_interval<Real>(u);
        });
  }
};

}  // namespace qmcsim
