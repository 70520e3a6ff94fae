// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Execution-space instances, as Kokkos Kernels takes them. Every public function or method that
/// launches kernels (constructors aside: they run on the default instance and wait for it, like the
/// test-bed oracles exact_samples and reference_flow) has an overload whose first argument is an
/// instance `space` of its execution
/// space (on CUDA, `Kokkos::Cuda(stream)` wraps the caller's stream). That overload enqueues all of
/// its kernels and copies on `space`, allocates its results there without a global fence, and returns
/// without waiting, so qmcsim's work overlaps the caller's work on other instances; read its results
/// after `space.fence()` or from later work on `space`. Where a call must return a host value (a
/// reduction, a check of computed numbers, a host-driven loop) it waits on `space` only. The overload
/// without `space` runs on `ExecSpace()`, Kokkos' default instance. An object that keeps work arrays
/// or plans (FFT plans, FastGram, Sampler) serves one instance at a time.
///
/// Usage: `Kokkos::Cuda stream_space(my_stream); lattice.generate(stream_space, {0, n}, points);`

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <string>
#include <utility>

namespace qmcsim::detail {

/// A copy of the host view `host` in ExecSpace's memory (same layout), made on `space`. The copy
/// leaves the (pageable) host buffer before the call returns, so the caller may reuse it at once.
template <class ExecSpace, class HostView>
Kokkos::View<typename HostView::non_const_data_type, typename HostView::array_layout, typename ExecSpace::memory_space>
copy_to_space(const ExecSpace& space, const char* label, const HostView& host) {
  Kokkos::View<typename HostView::non_const_data_type, typename HostView::array_layout, typename ExecSpace::memory_space> copy(
      Kokkos::view_alloc(space, Kokkos::WithoutInitializing, std::string(label)), host.layout());
  Kokkos::deep_copy(space, copy, host);
  return copy;
}

/// `view` (rank 1 or 2) with its last extent grown to at least n on `space`, entries [0, kept) of the
/// last index copied: the values a doubling loop keeps.
template <class ExecSpace, class View>
View grown_keeping(const ExecSpace& space, const View& view, std::uint64_t kept, std::uint64_t n) {
  if (view.extent(View::rank - 1) >= n) return view;
  View grown;
  if constexpr (View::rank == 1) {
    grown = View(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, view.label()), n);
    if (kept > 0) Kokkos::deep_copy(space, Kokkos::subview(grown, std::make_pair(std::uint64_t{0}, kept)),
                                    Kokkos::subview(view, std::make_pair(std::uint64_t{0}, kept)));
  } else {
    grown = View(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, view.label()), view.extent(0), n);
    if (kept > 0) Kokkos::deep_copy(space, Kokkos::subview(grown, Kokkos::ALL, std::make_pair(std::uint64_t{0}, kept)),
                                    Kokkos::subview(view, Kokkos::ALL, std::make_pair(std::uint64_t{0}, kept)));
  }
  return grown;
}

}  // namespace qmcsim::detail
