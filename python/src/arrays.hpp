// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// NumPy arrays made by the bindings: memory of their own (released with the array), viewed by Kokkos
// as unmanaged host Views, so results are computed straight into the array the caller gets.

#include <Kokkos_Core.hpp>
#include <complex>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <vector>

#include "qmcsim/core/error.hpp"

namespace qmcsim::python {

namespace nb = nanobind;

template <class T>
using HostArray = nb::ndarray<nb::numpy, T, nb::c_contig>;

/// A new C-contiguous NumPy array of `shape` from numpy.empty, uninitialized: every caller fills all
/// of it with a kernel. NumPy's allocator advises huge pages for large arrays, and leaving the memory
/// unfilled lets the kernel's threads take the page faults in parallel; zero-filling here was a serial
/// pass costing a third of the time of a 2^18 x 32 point set. Needs the GIL.
template <class T>
HostArray<T> new_array(const std::vector<std::size_t>& shape) {
  nb::list extents;
  for (std::size_t s : shape) extents.append(s);
  const char* dtype = std::is_same_v<T, float>                  ? "float32"
                      : std::is_same_v<T, double>               ? "float64"
                      : std::is_same_v<T, std::complex<double>> ? "complex128"
                      : std::is_same_v<T, std::int64_t>         ? "int64"
                      : std::is_same_v<T, bool>                 ? "bool"
                                                                : nullptr;
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, std::complex<double>> ||
                std::is_same_v<T, std::int64_t> || std::is_same_v<T, bool>);
  return nb::cast<HostArray<T>>(nb::module_::import_("numpy").attr("empty")(nb::tuple(extents), nb::arg("dtype") = dtype));
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

/// A C-contiguous float64 array on the host.
using RealArray = nb::ndarray<const double, nb::c_contig, nb::device::cpu>;

/// An array argument of real numbers: `value` itself when it is a C-contiguous float64 array, else
/// numpy.ascontiguousarray(value, float64) (lists, other real dtypes, strided views). With rank >= 0 it
/// must have that many dimensions. Anything else is a ValueError naming `where` and `name` (NumPy's
/// own message would not say which argument). Needs the GIL.
inline RealArray real_array(nb::handle value, const char* where, const char* name, int rank = -1) {
  nb::object converted;
  try {
    converted = nb::module_::import_("numpy").attr("ascontiguousarray")(value, nb::arg("dtype") = "float64");
  } catch (const nb::python_error&) {
    converted = nb::none();
  }
  RealArray array;
  require_argument(nb::try_cast(converted, array, false), where, ": ", name, " is not an array of real numbers");
  if (rank >= 0 && array.ndim() != static_cast<std::size_t>(rank)) {
    std::string shape;
    for (std::size_t k = 0; k < array.ndim(); ++k) shape += (k ? ", " : "") + std::to_string(array.shape(k));
    require_argument(false, where, ": ", name, " must be a ", rank, "-dimensional array, got shape (", shape,
                     array.ndim() == 1 ? ",)" : ")");
  }
  return array;
}

/// A dtype argument that must be float64 or float32, given as NumPy takes one: a name ("float32",
/// "f4", "single"), a NumPy dtype or scalar type (np.float32) or Python's float. Returns "float64" or
/// "float32"; anything else is a ValueError naming `where`. Needs the GIL.
inline std::string float_dtype(nb::handle dtype, const char* where) {
  std::string name;
  try {
    name = nb::cast<std::string>(nb::module_::import_("numpy").attr("dtype")(dtype).attr("name"));
  } catch (const nb::python_error&) {  // not a dtype at all: named as given
    name = nb::cast<std::string>(nb::str(dtype));
  }
  require_argument(name == "float64" || name == "float32", where, ": dtype = '", detail::printable(name),
                   "' is not float64 or float32");
  return name;
}

}  // namespace qmcsim::python
