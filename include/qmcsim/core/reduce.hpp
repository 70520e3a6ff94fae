// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Sums of a device-callable term over an index range, the one reduction the solvers need.

#include <Kokkos_Core.hpp>
#include <cstdint>

namespace qmcsim {

/// sum_{k < count} term(k), computed on the instance `space` (and waited for there alone).
template <class ExecSpace, class Term>
double sum(const ExecSpace& space, std::size_t count, const Term& term) {
  static_assert(Kokkos::is_execution_space<ExecSpace>::value, "sum: space must be a Kokkos execution space");
  double total = 0;
  Kokkos::parallel_reduce(
      "qmcsim::sum", Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(count)),
      KOKKOS_LAMBDA(std::int64_t k, double& partial) { partial += term(k); }, total);
  return total;
}

/// sum_{k < count} term(k), computed on ExecSpace's default instance.
template <class ExecSpace, class Term>
double sum(std::size_t count, const Term& term) {
  return sum(ExecSpace(), count, term);
}

}  // namespace qmcsim
