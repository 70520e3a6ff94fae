// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Helpers for the tests of execution-space instances (core/execution.hpp): an instance of the
// caller's own (on CUDA a fresh non-blocking stream, which orders nothing against Kokkos' default
// one), and a delayed fill on it. A call that launched on another instance than the one it was given
// would run before the delayed fill of its input ends, or have its output overwritten by a delayed
// fill queued before it: on a GPU the results then differ from the default instance's. Host back ends
// run kernels in call order, where these tests check that the overloads give the same results.

#include <Kokkos_Core.hpp>
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <type_traits>

#if defined(KOKKOS_ENABLE_CUDA)
#include <cuda_runtime.h>
#endif

#include "qmcsim/core/point_set.hpp"

namespace qmcsim::test {

/// An instance of the default execution space that is not Kokkos' default instance where the back
/// end has such instances (CUDA: its own non-blocking stream, destroyed with this object).
class UserInstance {
 public:
  UserInstance() {
#if defined(KOKKOS_ENABLE_CUDA)
    if constexpr (std::is_same_v<Kokkos::DefaultExecutionSpace, Kokkos::Cuda>) {
      cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking);
      space_ = std::make_unique<Kokkos::DefaultExecutionSpace>(stream_);
      return;
    }
#endif
    space_ = std::make_unique<Kokkos::DefaultExecutionSpace>();
  }
  ~UserInstance() {
    space_->fence();
    space_.reset();
#if defined(KOKKOS_ENABLE_CUDA)
    if (stream_) cudaStreamDestroy(stream_);
#endif
  }
  UserInstance(const UserInstance&) = delete;
  UserInstance& operator=(const UserInstance&) = delete;

  /// The instance.
  const Kokkos::DefaultExecutionSpace& space() const { return *space_; }

 private:
  std::unique_ptr<Kokkos::DefaultExecutionSpace> space_;
#if defined(KOKKOS_ENABLE_CUDA)
  cudaStream_t stream_ = nullptr;
#endif
};

/// Enqueues on `space` a kernel that busy-waits about 50 ms on a GPU (nothing on the host), then a
/// kernel that copies `source` into `target` (same extents): work queued on `space` after this call
/// sees `target` = `source`, work elsewhere sees it too early.
template <class Target, class Source>
void delayed_copy(const Kokkos::DefaultExecutionSpace& space, const Target& target, const Source& source) {
  Kokkos::parallel_for(
      "qmcsim::test::delay", Kokkos::RangePolicy<Kokkos::DefaultExecutionSpace>(space, 0, 1), KOKKOS_LAMBDA(int) {
#if defined(__CUDA_ARCH__)
        const long long start = clock64();
        while (clock64() - start < 100000000LL) {
        }
#endif
      });
  Kokkos::deep_copy(space, target, source);
}

}  // namespace qmcsim::test

namespace qmcsim::test {

/// A generator's points written on a caller's instance, into a view whose delayed fill of NaN is
/// queued on that instance first, and by the allocating overload, against generate(range) on the
/// default instance, bit for bit.
template <class Generator>
::testing::AssertionResult generates_on_caller_instance(const Generator& generator, const IndexRange& range) {
  using Points = PointsView<double, typename Generator::memory_space>;
  const UserInstance user;
  const Points expected = generator.generate(range);
  const Points out("out", generator.replications(), range.size(), generator.dimension());
  const Points nans("nans", generator.replications(), range.size(), generator.dimension());
  Kokkos::deep_copy(nans, std::numeric_limits<double>::quiet_NaN());
  delayed_copy(user.space(), out, nans);
  generator.generate(user.space(), range, out);
  const Points allocated = generator.generate(user.space(), range);
  user.space().fence();
  const auto want = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), expected);
  const auto got = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
  const auto got_allocated = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), allocated);
  for (std::size_t k = 0; k < want.size(); ++k)
    if (!(got.data()[k] == want.data()[k]) || !(got_allocated.data()[k] == want.data()[k]))
      return ::testing::AssertionFailure() << "entry " << k << ": " << got.data()[k] << " and " << got_allocated.data()[k]
                                           << " on the caller's instance, " << want.data()[k] << " on the default";
  return ::testing::AssertionSuccess();
}

}  // namespace qmcsim::test

namespace qmcsim::test {

/// An in-place transform of `input` (host rows) run on a caller's instance, its input filled there
/// by a delayed copy queued first, against the same transform on the default instance, bit for bit.
/// `transform(space_or_null, rows)` runs it on *space, or on the default instance for nullptr.
template <class HostRows, class Transform>
::testing::AssertionResult transforms_on_caller_instance(const HostRows& input, const Transform& transform) {
  using Rows = Kokkos::View<typename HostRows::non_const_data_type, Kokkos::LayoutRight, Kokkos::DefaultExecutionSpace::memory_space>;
  const UserInstance user;
  const Rows source("source", input.extent(0), input.extent(1));
  Kokkos::deep_copy(source, input);
  const Rows expected("expected", input.extent(0), input.extent(1));
  Kokkos::deep_copy(expected, source);
  transform(static_cast<const Kokkos::DefaultExecutionSpace*>(nullptr), expected);
  const Rows data("data", input.extent(0), input.extent(1));
  delayed_copy(user.space(), data, source);
  transform(&user.space(), data);
  user.space().fence();
  const auto want = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), expected);
  const auto got = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), data);
  for (std::size_t k = 0; k < want.size(); ++k)
    if (!(got.data()[k] == want.data()[k]))
      return ::testing::AssertionFailure() << "entry " << k << ": " << got.data()[k] << " on the caller's instance, "
                                           << want.data()[k] << " on the default";
  return ::testing::AssertionSuccess();
}

}  // namespace qmcsim::test
