// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// fftbr, ifftbr, fwht of 1-D or 2-D arrays (each row one transform), orthonormal (QMCPy's conventions).

#include <complex>

#include "arrays.hpp"
#include "qmcsim/transforms/fftbr.hpp"
#include "qmcsim/transforms/fwht.hpp"
#include "runtime.hpp"

namespace qmcsim::python {
namespace {

using Input = nb::ndarray<const std::complex<double>, nb::c_contig, nb::device::cpu>;
using RealInput = nb::ndarray<const double, nb::c_contig, nb::device::cpu>;

/// (rows, n) of an array of 1 or 2 dimensions.
std::pair<std::size_t, std::size_t> shape_of(std::size_t ndim, const std::int64_t* shape, const char* where) {
  require_argument(ndim == 1 || ndim == 2, where, ": x has ", ndim, " dimensions; give one row (n,) or rows (m, n)");
  const std::size_t rows = ndim == 1 ? 1 : static_cast<std::size_t>(shape[0]);
  const std::size_t n = static_cast<std::size_t>(shape[ndim - 1]);
  require_argument(rows >= 1 && detail::is_power_of_two(n) && n <= (std::size_t{1} << 28), where, ": rows of length ", n,
                   "; the transforms need a power of two up to 2^28");
  return {rows, n};
}

/// A complex copy of x in a new array of the same shape, transformed in place by `apply`.
template <class Read, class Apply>
nb::object transformed(std::size_t ndim, const std::int64_t* shape, const Read& read, const char* where, const Apply& apply) {
  const auto [rows, n] = shape_of(ndim, shape, where);
  std::vector<std::size_t> out_shape(shape, shape + ndim);
  auto out = new_array<std::complex<double>>(out_shape);
  for (std::size_t k = 0; k < rows * n; ++k) out.data()[k] = read(k);
  {
    KernelScope scope;
    const ComplexRows<Kokkos::HostSpace> data(reinterpret_cast<Kokkos::complex<double>*>(out.data()), rows, n);
    apply(data, rows, n);
  }
  return nb::cast(out);
}

template <class Apply>
nb::object dispatch(nb::handle x, const char* where, const Apply& apply) {
  RealInput real;
  if (nb::try_cast(x, real, false))
    return transformed(real.ndim(), real.shape_ptr(), [&](std::size_t k) { return std::complex<double>(real.data()[k]); }, where, apply);
  Input complex;
  if (nb::try_cast(x, complex, false))
    return transformed(complex.ndim(), complex.shape_ptr(), [&](std::size_t k) { return complex.data()[k]; }, where, apply);
  // anything else array-like (lists, other dtypes, non-contiguous arrays): through NumPy
  nb::module_ numpy = nb::module_::import_("numpy");
  nb::object as_array = numpy.attr("ascontiguousarray")(x);
  const bool is_complex = nb::cast<bool>(numpy.attr("iscomplexobj")(as_array));
  nb::object converted = numpy.attr("ascontiguousarray")(as_array, nb::arg("dtype") = is_complex ? "complex128" : "float64");
  if (nb::try_cast(converted, real, false) || nb::try_cast(converted, complex, false)) return dispatch(converted, where, apply);
  throw error(std::string(where) + ": x is not an array of numbers");
}

}  // namespace

void register_transforms(nb::module_& m) {
  using namespace nb::literals;
  m.def("fftbr", [](nb::handle x) {
    return dispatch(x, "fftbr", [](const auto& data, std::size_t rows, std::size_t n) { FftbrPlan<Host>(n, rows, PlanningEffort::estimate).fftbr(data); });
  }, "x"_a, "FFT in bit-reversed order, orthonormal: y_k = n^-1/2 sum_j x_rev(j) e^{-2 pi i j k / n} (each row).");
  m.def("ifftbr", [](nb::handle x) {
    return dispatch(x, "ifftbr", [](const auto& data, std::size_t rows, std::size_t n) { FftbrPlan<Host>(n, rows, PlanningEffort::estimate).ifftbr(data); });
  }, "x"_a, "The inverse of fftbr (each row).");
  m.def("fwht", [](nb::handle x) -> nb::object {
    nb::object y = dispatch(x, "fwht", [](const auto& data, std::size_t rows, std::size_t n) {
      FwhtPlan<Host, Kokkos::complex<double>>(n, rows).transform(data);
    });
    // real input, real output: the transform has real entries
    nb::module_ numpy = nb::module_::import_("numpy");
    return nb::cast<bool>(numpy.attr("iscomplexobj")(x)) ? y : numpy.attr("ascontiguousarray")(y.attr("real"));
  }, "x"_a, "Fast Walsh-Hadamard transform, orthonormal and self-inverse, natural (Sylvester) order (each row);\n"
            "real input gives a real result.");
}

}  // namespace qmcsim::python
