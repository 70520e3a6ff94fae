#pragma once
/// @file
/// Independent uniform points on (0,1)^d for plain Monte Carlo, with the same plan/generate interface
/// as the low-discrepancy generators: coordinate j of point i in replication r is the open-interval
/// uniform of Philox at counter (i, j, monte_carlo) under a key derived from (seed, r). Any index
/// range can be generated in any order, on any back end, with identical numbers.

#include <Kokkos_Core.hpp>
#include <cstdint>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/point_set.hpp"
#include "qmcsim/core/point_words.hpp"
#include "qmcsim/core/random.hpp"

namespace qmcsim {

template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class IidUniform {
 public:
  using execution_space = ExecSpace;
  using memory_space = typename ExecSpace::memory_space;

  explicit IidUniform(const PointSetOptions& options) : options_(options) {
    detail::check_point_set_options("IidUniform", options);
  }

  const PointSetOptions& options() const { return options_; }
  std::size_t dimension() const { return options_.dimension; }
  std::size_t replications() const { return options_.replications; }
  std::uint64_t max_points() const { return ~std::uint64_t{0}; }

  template <class OutView>
  void generate(const IndexRange& range, const OutView& out) const {
    static_assert(Kokkos::is_view<OutView>::value && OutView::rank == 3, "IidUniform::generate: out must be a rank-3 View");
    using Real = typename OutView::non_const_value_type;
    check_range(range);
    detail::check_output_extents("IidUniform::generate", options_, range, out.extent(0), out.extent(1), out.extent(2));
    const std::uint64_t seed = options_.seed, begin = range.begin;
    const std::size_t d = options_.dimension, n = range.size();
    Kokkos::parallel_for(
        "qmcsim::IidUniform::generate", Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(0, static_cast<std::int64_t>(out.size())),
        KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t j = flat % d, i = (flat / d) % n, r = flat / (d * n);
          const std::uint64_t key = derive_key(seed, Stream::monte_carlo, static_cast<std::uint32_t>(r), 0);
          const double u = open_unit_interval(philox(key, begin + i, static_cast<std::uint32_t>(j), Stream::monte_carlo).u64(0));
          out(r, i, j) = detail::narrow_to_unit_interval<Real>(u);
        });
  }

  PointsView<double, memory_space> generate(const IndexRange& range) const {
    check_range(range);
    PointsView<double, memory_space> out("qmcsim::IidUniform::points", options_.replications, range.size(), options_.dimension);
    generate(range, out);
    return out;
  }

 private:
  static void check_range(const IndexRange& range) {
    detail::require(range.begin <= range.end, "IidUniform::generate: range begin ", range.begin, " > end ", range.end);
  }

  PointSetOptions options_;
};

}  // namespace qmcsim
