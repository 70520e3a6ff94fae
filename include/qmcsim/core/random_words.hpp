// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Tables of random 64-bit words, one per (row, column), drawn on the device: digital shifts, lattice
/// shifts and scrambling keys, word (r, j) = derive_key(seed, stream, r, j).

#include <Kokkos_Core.hpp>
#include <string>

#include "qmcsim/core/random.hpp"

namespace qmcsim::detail {

template <class ExecSpace>
Kokkos::View<std::uint64_t**, Kokkos::LayoutRight, typename ExecSpace::memory_space> random_words(
    const std::string& label, std::size_t rows, std::size_t columns, std::uint64_t seed, Stream stream) {
  Kokkos::View<std::uint64_t**, Kokkos::LayoutRight, typename ExecSpace::memory_space> words(label, rows, columns);
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(0, static_cast<std::int64_t>(rows * columns)),
      KOKKOS_LAMBDA(std::int64_t flat) {
        words(flat / columns, flat % columns) = derive_key(seed, stream, static_cast<std::uint32_t>(flat / columns),
                                                           static_cast<std::uint32_t>(flat % columns));
      });
  return words;
}

}  // namespace qmcsim::detail
