// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The fast Walsh-Hadamard transform, batched and in place, as Kokkos kernels.
///
/// Convention (QMCPy's, orthonormal and self-inverse): for n = 2^m,
///   y_k = n^{-1/2} sum_i (-1)^{popcount(i & k)} x_i,
/// the Sylvester (natural) ordering, so FWHT(FWHT(x)) = x. Digital nets in natural or Gray order make
/// the Gram matrix of a digitally-shift-invariant kernel a dyadic convolution, which this transform
/// diagonalizes.
///
/// Blocking: stage s pairs entries i and i + 2^s. A pass applies `stages_per_pass` consecutive stages
/// to groups of 2^b entries (stride 2^s0) gathered together with a few neighbouring columns into team
/// scratch memory (L2 on CPUs, shared memory on GPUs), so n = 2^24 takes two passes over memory on
/// the CPU. The last pass applies the n^{-1/2} scaling as it writes back.

#include <Kokkos_Complex.hpp>
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>

#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/core/point_words.hpp"

namespace qmcsim {

namespace detail {
void check_fwht_shape(std::size_t n, std::size_t batch);
void check_fwht_data(std::size_t n, std::size_t batch, std::size_t extent0, std::size_t extent1);

// Host butterflies on disjoint runs of h entries (restrict: the compiler vectorizes without checks).
template <class Scalar>
KOKKOS_INLINE_FUNCTION void walsh_radix2(Scalar* __restrict p, Scalar* __restrict q, std::size_t h) {
  for (std::size_t j = 0; j < h; ++j) {
    const Scalar a = p[j], c = q[j];
    p[j] = a + c;
    q[j] = a - c;
  }
}

/// Stages s and s+1 on the 4 runs of h entries starting at v (run k at v + k h).
template <class Scalar>
KOKKOS_INLINE_FUNCTION void walsh_radix4(Scalar* v, std::size_t h) {
  Scalar* __restrict p0 = v;
  Scalar* __restrict p1 = v + h;
  Scalar* __restrict p2 = v + 2 * h;
  Scalar* __restrict p3 = v + 3 * h;
  for (std::size_t j = 0; j < h; ++j) {
    const Scalar c0 = p0[j] + p1[j], c1 = p0[j] - p1[j], c2 = p2[j] + p3[j], c3 = p2[j] - p3[j];
    p0[j] = c0 + c2, p1[j] = c1 + c3, p2[j] = c0 - c2, p3[j] = c1 - c3;
  }
}
}  // namespace detail

/// Batched in-place FWHT of `batch` rows of length n (a power of two); Scalar is double or
/// Kokkos::complex<double>.
template <class ExecSpace = Kokkos::DefaultExecutionSpace, class Scalar = double>
class FwhtPlan {
 public:
  using execution_space = ExecSpace;                                      ///< where the transforms run
  using memory_space = typename ExecSpace::memory_space;                  ///< where the data must live
  using Rows = Kokkos::View<Scalar**, Kokkos::LayoutRight, memory_space>;  ///< (batch, n) data

  /// Plans `batch` transforms of length n; throws qmcsim::error unless n is a power of two in [1, 2^30]
  /// and batch >= 1.
  FwhtPlan(std::size_t n, std::size_t batch) : n_(n), batch_(batch) {
    detail::check_fwht_shape(n, batch);
    log2_n_ = bits::floor_log2(n);
    // entries per group and columns per work item: L2-sized on CPUs, shared-memory-sized on GPUs
    const int max_stages = detail::runs_on_host_v<ExecSpace> ? 12 : (sizeof(Scalar) > 8 ? 9 : 10);
    stages_per_pass_ = log2_n_ < max_stages ? log2_n_ : max_stages;
    columns_ = detail::runs_on_host_v<ExecSpace> ? 32 : 4;
  }

  /// n, the length of a transform.
  std::size_t size() const { return n_; }
  /// The number of rows transformed per call.
  std::size_t batch() const { return batch_; }

  /// In place: the orthonormal FWHT of every row of `data` (batch, n), enqueued on the instance
  /// `space` (returns without waiting; one plan serves one instance at a time).
  void transform(const ExecSpace& space, const Rows& data) const {
    detail::check_fwht_data(n_, batch_, data.extent(0), data.extent(1));
    if (n_ == 1) return;
    for (int first = 0; first < log2_n_; first += stages_per_pass_) {
      const int stages = log2_n_ - first < stages_per_pass_ ? log2_n_ - first : stages_per_pass_;
      run_pass(space, data, first, stages, first + stages == log2_n_);
    }
  }
  /// transform(ExecSpace(), data), returning when it is done.
  void transform(const Rows& data) const {
    const ExecSpace space;
    transform(space, data);
    space.fence();
  }

 private:
  void run_pass(const ExecSpace& space, const Rows& data, int first, int stages, bool last) const;

  std::size_t n_, batch_;
  int log2_n_ = 0, stages_per_pass_ = 0;
  std::size_t columns_ = 1;
};

namespace detail {

/// One FWHT pass (stages [first, first + stages)) on one work item: a group of 2^stages entries spaced
/// `stride` apart, with `width` neighbouring columns. A functor rather than a lambda: nvcc's extended
/// lambdas may not first-capture inside `if constexpr`.
template <class ExecSpace, class Scalar>
struct FwhtPass {
  using Member = typename Kokkos::TeamPolicy<ExecSpace>::member_type;
  using Scratch = Kokkos::View<Scalar*, typename ExecSpace::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

  Kokkos::View<Scalar**, Kokkos::LayoutRight, typename ExecSpace::memory_space> data;
  std::size_t stride, group, width, tiles, highs, buffer;
  int stages, level;
  double scale;

  KOKKOS_INLINE_FUNCTION void operator()(const Member& member) const {
    const std::size_t item = member.league_rank();
    const std::size_t row = item / (highs * tiles);
    const std::size_t high = (item / tiles) % highs;
    const std::size_t tile = item % tiles;
    Scalar* x = &data(row, 0) + high * group * stride + tile * width;
    if constexpr (detail::runs_on_host_v<ExecSpace>) {
      // one thread per team: plain loops the compiler vectorizes; contiguous groups stay in place
      Scalar* b = x;
      if (stride != 1) {
        b = Scratch(member.team_scratch(level), buffer).data();
        for (std::size_t u = 0; u < group; ++u)
          for (std::size_t t = 0; t < width; ++t) b[u * width + t] = x[u * stride + t];
      }
      int s = 0;
      for (; s + 1 < stages; s += 2) {  // two stages per sweep of the buffer (radix 4)
        const std::size_t h = (std::size_t{1} << s) * width;
        for (std::size_t block = 0; block < buffer; block += 4 * h) detail::walsh_radix4(b + block, h);
      }
      for (; s < stages; ++s) {
        const std::size_t h = (std::size_t{1} << s) * width;
        for (std::size_t block = 0; block < buffer; block += 2 * h) detail::walsh_radix2(b + block, b + block + h, h);
      }
      if (stride != 1) {
        for (std::size_t u = 0; u < group; ++u)
          for (std::size_t t = 0; t < width; ++t) x[u * stride + t] = b[u * width + t] * scale;
      } else if (scale != 1.0) {  // the last pass
        for (std::size_t i = 0; i < buffer; ++i) b[i] *= scale;
      }
    } else {
      Scratch b(member.team_scratch(level), buffer);
      // b[u * width + t] = x[u * stride + t]
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, buffer), [&](std::size_t q) { b(q) = x[(q / width) * stride + q % width]; });
      member.team_barrier();
      for (int s = 0; s < stages; ++s) {
        const std::size_t half = (std::size_t{1} << s) * width;  // distance of a butterfly's entries in b
        Kokkos::parallel_for(Kokkos::TeamThreadRange(member, buffer / 2), [&](std::size_t q) {
          const std::size_t i = (q / half) * 2 * half + q % half;
          const Scalar a = b(i), c = b(i + half);
          b(i) = a + c;
          b(i + half) = a - c;
        });
        member.team_barrier();
      }
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, buffer), [&](std::size_t q) { x[(q / width) * stride + q % width] = b(q) * scale; });
    }
  }
};

}  // namespace detail

template <class ExecSpace, class Scalar>
void FwhtPlan<ExecSpace, Scalar>::run_pass(const ExecSpace& space, const Rows& data, int first, int stages, bool last) const {
  using Pass = detail::FwhtPass<ExecSpace, Scalar>;
  const std::size_t stride = std::size_t{1} << first;          // distance of the group's entries
  const std::size_t group = std::size_t{1} << stages;          // entries per group
  const std::size_t width = stride < columns_ ? stride : columns_;  // neighbouring columns per item
  const std::size_t tiles = stride / width;                    // column tiles below the group's bits
  const std::size_t highs = n_ / (group * stride);             // index bits above the group's bits
  const std::size_t items = batch_ * highs * tiles;
  const double scale = last ? 1.0 / std::sqrt(static_cast<double>(n_)) : 1.0;
  // every pass asks for the same scratch, so Kokkos does not reallocate it between passes
  const std::size_t scratch_entries = (std::size_t{1} << stages_per_pass_) * columns_;
  const int level = scratch_entries * sizeof(Scalar) <= 32768 ? 0 : 1;
  Kokkos::parallel_for("qmcsim::FwhtPlan::pass",
                       Kokkos::TeamPolicy<ExecSpace>(space, static_cast<int>(items), detail::runs_on_host_v<ExecSpace> ? 1 : 256)
                           .set_scratch_size(level, Kokkos::PerTeam(Pass::Scratch::shmem_size(scratch_entries))),
                       Pass{data, stride, group, width, tiles, highs, group * width, stages, level, scale});
}

}  // namespace qmcsim
