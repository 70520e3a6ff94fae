// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Storing base-2 point coordinates held as 64-bit words (see core/bits.hpp) into an output view.

#include <cstdint>
#include <type_traits>

#include "qmcsim/core/bits.hpp"

namespace qmcsim::detail {

template <class T>
KOKKOS_FORCEINLINE_FUNCTION T word_to_output(std::uint64_t word) {
  if constexpr (std::is_same_v<T, std::uint64_t>) {
    return word;
  } else {
    return bits::to_unit_interval<T>(word);
  }
}

/// A value in [0, 1) as Real, kept below 1 where rounding to float would reach it.
template <class Real>
KOKKOS_FORCEINLINE_FUNCTION Real narrow_to_unit_interval(double x) {
  const Real narrowed = static_cast<Real>(x);
  if constexpr (sizeof(Real) < sizeof(double)) {
    return narrowed < Real(1) ? narrowed : Real(0x1.fffffep-1f);
  } else {
    return narrowed;
  }
}

/// True when kernels on ExecSpace run on the host (CPU back ends), false for GPUs.
template <class ExecSpace>
inline constexpr bool runs_on_host_v =
    std::is_same_v<typename ExecSpace::memory_space, Kokkos::HostSpace>;

}  // namespace qmcsim::detail
