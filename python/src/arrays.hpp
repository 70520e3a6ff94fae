// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// NumPy arrays made by the bindings: memory of their own (released with the array), viewed by Kokkos
// as unmanaged host Views, so results are computed straight into the array the caller gets.

#include <Kokkos_Core.hpp>
#include <cstring>
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <vector>

#include "qmcsim/core/error.hpp"

namespace qmcsim::python {

namespace nb = nanobind;

template <class T>
using HostArray = nb::ndarray<nb::numpy, T>;

/// A new C-contiguous NumPy array of `shape`, zero-filled.
template <class T>
HostArray<T> new_array(const std::vector<std::size_t>& shape) {
  std::size_t count = 1;
  for (std::size_t s : shape) count *= s;
  T* data = new T[count == 0 ? 1 : count]();
  nb::capsule owner(data, [](void* p) noexcept { delete[] static_cast<T*>(p); });
  return HostArray<T>(data, shape.size(), shape.data(), owner);
}

template <class T, class Layout = Kokkos::LayoutRight>
using Unmanaged3 = Kokkos::View<T***, Layout, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
template <class T>
using Unmanaged2 = Kokkos::View<T**, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

/// Throws qmcsim::error (ValueError) unless `condition`, naming the argument.
template <class... Parts>
void require_argument(bool condition, const Parts&... parts) {
  detail::require(condition, parts...);
}

}  // namespace qmcsim::python
