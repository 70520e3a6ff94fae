// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The extension module qmcsim._qmcsim: registration of every binding, the error translation
// (qmcsim::error -> ValueError) and Kokkos' lifetime.

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>

#include "runtime.hpp"
#include "qmcsim/config.hpp"
#include "qmcsim/core/error.hpp"

namespace qmcsim::python {
void register_points(nanobind::module_& m);
void register_transforms(nanobind::module_& m);
void register_measures(nanobind::module_& m);
void register_cubature(nanobind::module_& m);
void register_brownian(nanobind::module_& m);
void register_sde(nanobind::module_& m);
void register_diffusion(nanobind::module_& m);
void register_kernels(nanobind::module_& m);
}  // namespace qmcsim::python

NB_MODULE(_qmcsim, m) {
  namespace nb = nanobind;
  using namespace nb::literals;
  using namespace qmcsim::python;
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const qmcsim::error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
  m.attr("__version__") = QMCSIM_VERSION_STRING;
  m.def(
      "initialize",
      [](std::optional<int> num_threads, std::optional<int> device_id) {
        nb::gil_scoped_release release;
        std::lock_guard<std::mutex> lock(kernel_mutex());
        qmcsim::detail::require(!Kokkos::is_initialized(), "initialize: Kokkos is already running (qmcsim starts it on "
                                                           "first use; call initialize before anything else)");
        initialize(num_threads.value_or(-1), device_id.value_or(-1));
      },
      "num_threads"_a = nb::none(), "device_id"_a = nb::none(),
      "Starts Kokkos with these threads (default: OMP_NUM_THREADS or all cores) and device. Optional: qmcsim starts\n"
      "it on first use.");
  m.def("is_initialized", [] { return Kokkos::is_initialized(); });
  m.def("_finalize", [] {
    nb::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(kernel_mutex());
    finalize();
  });
  m.def("execution_space", [] { return std::string(Kokkos::DefaultExecutionSpace::name()); });
  register_points(m);
  register_transforms(m);
  register_measures(m);
  register_cubature(m);
  register_brownian(m);
  register_sde(m);
  register_diffusion(m);
  register_kernels(m);
}
