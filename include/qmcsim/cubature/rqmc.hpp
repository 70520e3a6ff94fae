// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Randomized (Q)MC cubature with independent replications: R randomizations of one point set give
/// R independent unbiased estimates mu_r = (1/n) sum_i f(x_{r,i}), combined into
///   mu = (1/R) sum_r mu_r,   standard error = sqrt( sum_r (mu_r - mu)^2 / (R (R - 1)) ).
///
/// Sums are reproducible to the last bit: f is evaluated in parallel, each block of 1024 consecutive
/// absolute indices is reduced by pairwise summation in a fixed order, and block sums are added in
/// index order with Neumaier's compensation on the host. The result therefore does not depend on
/// the back end, the thread count, or on how [begin, end) is split at multiples of 1024 (which is
/// what lets MPI ranks reproduce a single process bit for bit).

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/normal.hpp"
#include "qmcsim/core/point_set.hpp"
#include "qmcsim/core/student_t.hpp"
#include "qmcsim/cubature/integrand.hpp"

namespace qmcsim {

/// Points per summation block: block sums are reduced in a fixed order, so the sums do not depend on
/// the back end, the threads or the split of a range (across MPI ranks too).
inline constexpr std::uint64_t summation_block = 1024;
/// The most outputs of a vector-valued integrand (its values live in a per-point buffer of this size).
inline constexpr std::size_t max_integrand_outputs = 64;

/// How many summation blocks the indices of `range` fall in (0 for an empty range).
inline std::uint64_t summation_blocks(const IndexRange& range) {
  return range.size() == 0 ? 0 : (range.end - 1) / summation_block - range.begin / summation_block + 1;
}

/// A running sum with Neumaier's compensation.
struct CompensatedSum {
  double sum = 0;           ///< the running sum
  double compensation = 0;  ///< the rounding errors lost from it
  /// Adds value.
  void add(double value) {
    const double t = sum + value;
    compensation += std::abs(sum) >= std::abs(value) ? (sum - t) + value : (value - t) + sum;
    sum = t;
  }
  /// The compensated sum.
  double value() const { return sum + compensation; }
};

/// The mean of R replicate estimates mu_r of one integral and its standard error.
struct ReplicatedEstimate {
  double mean = 0;  ///< (1/R) sum_r mu_r
  double standard_error = 0;  ///< over replications (0 when R = 1)
  std::uint64_t points = 0;   ///< n per replication
  std::size_t replications = 0;        ///< R
  std::vector<double> replicate_means;  ///< mu_1 .. mu_R
};

/// mu_r = sums[r] / points and their mean and standard error.
ReplicatedEstimate combine_replications(const std::vector<double>& sums, std::uint64_t points);

namespace detail {

/// The block sums of replication_block_sums with the evaluation left to `evaluate(space, points,
/// values)`, which fills values(r, i) = f(points(r, i, .)) for a chunk (a device kernel queued on
/// `space`, or a host callback that waits for it); for an integrand with k outputs, values(r k + j, i)
/// = f_j(points(r, i, .)), and the blocks come in the same rows. All work is queued on `space`, and
/// each chunk's block sums reach the host after a fence of `space` alone.
template <class Generator, class Evaluate>
std::vector<std::vector<double>> replication_block_sums_by(const typename Generator::execution_space& space,
                                                           const Generator& generator, const IndexRange& range,
                                                           const Evaluate& evaluate, std::size_t outputs = 1) {
  using Exec = typename Generator::execution_space;
  using Memory = typename Generator::memory_space;
  using Policy = Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>;
  detail::require(range.begin <= range.end, "replication_sums: range begin ", range.begin, " > end ", range.end);
  detail::require(range.end <= generator.max_points(), "replication_sums: range end ", range.end, " exceeds the ",
                  generator.max_points(), " points of the point set");
  const std::size_t R = generator.replications(), d = generator.dimension(), rows = R * outputs;
  constexpr std::uint64_t B = summation_block;
  // Points are made in chunks of about 2^21 doubles (16 MB): enough threads for a GPU, while a first
  // touch of a larger buffer cost more than its evaluation on the CPU (2^24 doubles were 1.6x slower).
  const std::uint64_t chunk = std::max<std::uint64_t>(B, (std::uint64_t{1} << 21) / (R * d) / B * B);

  PointsView<double, Memory> buffer(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::replication_sums::points"), R,
                                    std::min(chunk, std::max<std::uint64_t>(range.size(), 1)), d);
  Kokkos::View<double*, Memory> value_buffer(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::replication_sums::values"),
                                             rows * buffer.extent(1));
  std::vector<std::vector<double>> blocks(rows);
  for (std::uint64_t start = range.begin; start < range.end;) {
    const std::uint64_t stop = std::min(range.end, (start / chunk + 1) * chunk);
    const std::size_t count = stop - start;
    Kokkos::View<double***, Kokkos::LayoutRight, Memory, Kokkos::MemoryTraits<Kokkos::Unmanaged>> points(buffer.data(), R, count, d);
    Kokkos::View<double**, Kokkos::LayoutRight, Memory, Kokkos::MemoryTraits<Kokkos::Unmanaged>> values(value_buffer.data(), rows, count);
    generator.generate(space, {start, stop}, points);
    evaluate(space, points, values);
    const std::uint64_t first_block = start / B;
    const auto chunk_blocks = static_cast<std::size_t>(summation_blocks({start, stop}));
    Kokkos::View<double**, Kokkos::LayoutRight, Memory> block_sums(
        Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::replication_sums::blocks"), rows, chunk_blocks);
    Kokkos::parallel_for(
        "qmcsim::replication_sums::blocks", Policy(space, 0, static_cast<std::int64_t>(rows * chunk_blocks)), KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t r = flat / chunk_blocks, b = flat % chunk_blocks;
          const std::uint64_t block_begin = (first_block + b) * B, block_end = block_begin + B;
          const std::uint64_t lo = (block_begin > start ? block_begin : start) - start;
          const std::uint64_t hi = (block_end < stop ? block_end : stop) - start;
          double* v = &values(r, lo);
          const std::uint64_t length = hi - lo;
          for (std::uint64_t width = 1; width < length; width *= 2)  // pairwise: a fixed tree over the block
            for (std::uint64_t i = 0; i + width < length; i += 2 * width) v[i] += v[i + width];
          block_sums(r, b) = v[0];
        });
    const auto host = Kokkos::create_mirror_view(block_sums);
    Kokkos::deep_copy(space, host, block_sums);
    space.fence();
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t b = 0; b < chunk_blocks; ++b) blocks[r].push_back(host(r, b));
    start = stop;
  }
  return blocks;
}

/// values(r, i) = f(&points(r, i, 0)) in one kernel on `space`.
template <class ExecSpace, class Integrand>
struct EvaluateIntegrand {
  Integrand f;
  template <class Points, class Values>
  void operator()(const ExecSpace& space, const Points& points, const Values& values) const {
    const std::size_t count = points.extent(1);
    const Integrand g = f;
    Kokkos::parallel_for(
        "qmcsim::replication_sums::evaluate",
        Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(points.extent(0) * count)),
        KOKKOS_LAMBDA(std::int64_t flat) { values(flat / count, flat % count) = g(&points(flat / count, flat % count, 0)); });
  }
};

/// values(r k + j, i) = f_j(&points(r, i, 0)) for an integrand with k outputs, in one kernel on `space`.
template <class ExecSpace, class VectorIntegrand>
struct EvaluateVectorIntegrand {
  VectorIntegrand f;
  template <class Points, class Values>
  void operator()(const ExecSpace& space, const Points& points, const Values& values) const {
    const std::size_t count = points.extent(1), k = f.outputs();
    const VectorIntegrand g = f;
    Kokkos::parallel_for(
        "qmcsim::replication_sums::evaluate_outputs",
        Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(points.extent(0) * count)),
        KOKKOS_LAMBDA(std::int64_t flat) {
          const std::size_t r = flat / count, i = flat % count;
          double y[max_integrand_outputs];
          g(&points(r, i, 0), y);
          for (std::size_t j = 0; j < k; ++j) values(r * k + j, i) = y[j];
        });
  }
};

}  // namespace detail

/// Block sums of f over `range` for every replication r of `generator` (any qmcsim point generator):
/// blocks[r][b] = sum of f(x_{r,i}) over the absolute indices i of [(b0 + b) B, (b0 + b + 1) B) within
/// the range, b0 = range.begin / B, B = summation_block. Splitting a range at multiples of B splits
/// this list, so partial runs (e.g. on MPI ranks) concatenate to exactly the blocks of a whole run.
/// Its kernels run on the instance `space`, which it waits for (alone) once per chunk of points.
template <class Generator, class Integrand>
std::vector<std::vector<double>> replication_block_sums(const typename Generator::execution_space& space,
                                                        const Generator& generator, const IndexRange& range,
                                                        const Integrand& f) {
  detail::check_integrand_dimension("replication_sums", f, generator.dimension());
  return detail::replication_block_sums_by(space, generator, range,
                                           detail::EvaluateIntegrand<typename Generator::execution_space, Integrand>{f});
}
/// replication_block_sums on the default instance.
template <class Generator, class Integrand>
std::vector<std::vector<double>> replication_block_sums(const Generator& generator, const IndexRange& range,
                                                        const Integrand& f) {
  return replication_block_sums(typename Generator::execution_space(), generator, range, f);
}

/// Adds each replication's block sums in order, with compensation.
std::vector<double> sum_blocks(const std::vector<std::vector<double>>& blocks);

/// sum_{i in range} f(x_{r,i}) for every replication r.
template <class Generator, class Integrand>
std::vector<double> replication_sums(const Generator& generator, const IndexRange& range, const Integrand& f) {
  return sum_blocks(replication_block_sums(generator, range, f));
}

/// The tolerances and sizes of rqmc_cubature.
struct RqmcCubatureOptions {
  double absolute_tolerance = 1e-3;  ///< the half-width to reach
  double relative_tolerance = 0;     ///< or this fraction of |estimate|, whichever is larger
  int log2_min_points = 8;           ///< the first step's 2^m points per replication
  int log2_max_points = 20;          ///< the most points per replication
  double confidence = 0.99;          ///< of the Student-t interval
};

/// What rqmc_cubature returns: the last step's estimate and interval, and every step.
struct RqmcCubatureResult {
  ReplicatedEstimate estimate;  ///< the last step's
  double half_width = 0;  ///< t_{R-1, (1+confidence)/2} times the standard error
  bool met_tolerance = false;             ///< the half-width met the tolerance
  std::vector<ReplicatedEstimate> steps;  ///< one per doubling
};

/// One tolerance per output of a vector-valued integrand (empty: the options' for every output).
struct OutputTolerances {
  std::vector<double> absolute;  ///< per output
  std::vector<double> relative;  ///< per output
};

/// What rqmc_cubature returns for a vector-valued integrand: per output, as RqmcCubatureResult.
struct RqmcVectorCubatureResult {
  std::vector<ReplicatedEstimate> estimates;  ///< one per output
  std::vector<double> half_widths;            ///< one per output
  std::vector<char> met;                      ///< output j met its tolerance
  bool met_tolerance = false;                 ///< every output did
  std::uint64_t points = 0;                   ///< n per replication
  std::vector<std::vector<ReplicatedEstimate>> steps;  ///< steps[s][j]
};

namespace detail {
void check_rqmc_cubature(const RqmcCubatureOptions& options, std::size_t replications, std::uint64_t max_points,
                         bool random_replications);
/// check_rqmc_cubature of `generator`'s replications and points.
template <class Generator>
void check_rqmc_cubature(const RqmcCubatureOptions& options, const Generator& generator) {
  check_rqmc_cubature(options, generator.replications(), generator.max_points(), generator.random_replications());
}
/// The tolerances of every output (checked), from `tolerances` or the options.
OutputTolerances output_tolerances(const RqmcCubatureOptions& options, const OutputTolerances& tolerances, std::size_t outputs);

/// The doubling loop of rqmc_cubature for k outputs; `block_sums(range)` returns the blocks of the
/// R k rows (r k + j) of replication_block_sums over the range (computed here or on many MPI ranks).
/// Output j is done when its half-width <= max(absolute_j, relative_j |mean_j|); n doubles until all are.
template <class BlockSums>
RqmcVectorCubatureResult rqmc_cubature_by_doubling(std::size_t replications, std::size_t outputs,
                                                   const RqmcCubatureOptions& options, const OutputTolerances& tolerances,
                                                   const BlockSums& block_sums) {
  const double t = student_t_quantile(0.5 + options.confidence / 2, static_cast<double>(replications - 1));
  RqmcVectorCubatureResult result;
  std::vector<std::vector<double>> blocks(replications * outputs);
  std::uint64_t done = 0;
  for (int m = options.log2_min_points; m <= options.log2_max_points; ++m) {
    const std::uint64_t n = std::uint64_t{1} << m;
    const auto added = block_sums(IndexRange{done, n});
    for (std::size_t row = 0; row < blocks.size(); ++row) blocks[row].insert(blocks[row].end(), added[row].begin(), added[row].end());
    done = n;
    const auto sums = sum_blocks(blocks);
    result.estimates.clear();
    result.half_widths.clear();
    result.met.clear();
    result.met_tolerance = true;
    for (std::size_t j = 0; j < outputs; ++j) {
      std::vector<double> output_sums(replications);
      for (std::size_t r = 0; r < replications; ++r) output_sums[r] = sums[r * outputs + j];
      result.estimates.push_back(combine_replications(output_sums, n));
      result.half_widths.push_back(t * result.estimates.back().standard_error);
      const double tolerance =
          std::max(tolerances.absolute[j], tolerances.relative[j] * std::abs(result.estimates.back().mean));
      result.met.push_back(result.half_widths.back() <= tolerance);
      result.met_tolerance = result.met_tolerance && result.met.back();
    }
    result.points = n;
    result.steps.push_back(result.estimates);
    if (result.met_tolerance) break;
  }
  return result;
}

/// The scalar doubling loop: the vector one with one output.
template <class BlockSums>
RqmcCubatureResult rqmc_cubature_by_doubling(std::size_t replications, const RqmcCubatureOptions& options,
                                             const BlockSums& block_sums) {
  const auto vector = rqmc_cubature_by_doubling(replications, 1, options, output_tolerances(options, {}, 1), block_sums);
  RqmcCubatureResult result;
  result.estimate = vector.estimates[0];
  result.half_width = vector.half_widths[0];
  result.met_tolerance = vector.met_tolerance;
  for (const auto& step : vector.steps) result.steps.push_back(step[0]);
  return result;
}
}  // namespace detail

/// Replicated (Q)MC cubature to a tolerance: n doubles from 2^min until the Student-t interval over
/// the R replications has half-width <= max(absolute_tolerance, relative_tolerance |mean|). Each step
/// adds only the new points; its sums equal those of a single run over [0, n) to the last bit. Its
/// kernels run on the instance `space`, the only one it waits for (core/execution.hpp).
template <class Generator, class Integrand>
RqmcCubatureResult rqmc_cubature(const typename Generator::execution_space& space, const Generator& generator,
                                 const Integrand& f, const RqmcCubatureOptions& options = {}) {
  detail::check_rqmc_cubature(options, generator);
  detail::check_integrand_dimension("rqmc_cubature", f, generator.dimension());
  return detail::rqmc_cubature_by_doubling(generator.replications(), options, [&](const IndexRange& range) {
    return replication_block_sums(space, generator, range, f);
  });
}
/// rqmc_cubature on the default instance.
template <class Generator, class Integrand>
RqmcCubatureResult rqmc_cubature(const Generator& generator, const Integrand& f, const RqmcCubatureOptions& options = {}) {
  return rqmc_cubature(typename Generator::execution_space(), generator, f, options);
}

/// rqmc_cubature of a vector-valued integrand: f.outputs() = k <= max_integrand_outputs values
///   KOKKOS_INLINE_FUNCTION void operator()(const double* x, double* y) const;   // y[0 .. k)
/// at every point, all from the same points, each output with its own tolerance; n doubles until every
/// output meets its own. (QMCPy's vector-valued integrands with per-output tolerances.)
template <class Generator, class VectorIntegrand>
RqmcVectorCubatureResult rqmc_vector_cubature(const typename Generator::execution_space& space, const Generator& generator,
                                              const VectorIntegrand& f, const RqmcCubatureOptions& options = {},
                                              const OutputTolerances& tolerances = {}) {
  detail::check_rqmc_cubature(options, generator);
  detail::check_integrand_dimension("rqmc_vector_cubature", f, generator.dimension());
  const std::size_t k = f.outputs();
  detail::require_in_range("rqmc_vector_cubature", "outputs", k, std::size_t{1}, max_integrand_outputs);
  const detail::EvaluateVectorIntegrand<typename Generator::execution_space, VectorIntegrand> evaluate{f};
  return detail::rqmc_cubature_by_doubling(generator.replications(), k, options, detail::output_tolerances(options, tolerances, k),
                                           [&](const IndexRange& range) {
                                             return detail::replication_block_sums_by(space, generator, range, evaluate, k);
                                           });
}
/// rqmc_vector_cubature on the default instance.
template <class Generator, class VectorIntegrand>
RqmcVectorCubatureResult rqmc_vector_cubature(const Generator& generator, const VectorIntegrand& f,
                                              const RqmcCubatureOptions& options = {},
                                              const OutputTolerances& tolerances = {}) {
  return rqmc_vector_cubature(typename Generator::execution_space(), generator, f, options, tolerances);
}

/// The replicated estimate of int f over the first n points of `generator`.
template <class Generator, class Integrand>
ReplicatedEstimate replicated_estimate(const Generator& generator, std::uint64_t n, const Integrand& f) {
  return combine_replications(replication_sums(generator, {0, n}, f), n);
}

}  // namespace qmcsim
