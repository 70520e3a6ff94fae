// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// VirtualBrownianTree: W (and H, K) of many paths over arrays of intervals, in one kernel.

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>

#include "brownian.hpp"
#include "runtime.hpp"

namespace qmcsim::python {

nb::tuple BrownianTree::increments(nb::handle intervals_argument, const Integer& paths_argument,
                                   const Integer& first_path_argument) const {
  const RealArray intervals = real_array(intervals_argument, "increments", "intervals", 2);
  require_argument(intervals.shape(1) == 2, "increments: intervals must have shape (m, 2), got (", intervals.shape(0),
                   ", ", intervals.shape(1), ")");
  const std::size_t paths = unsigned_argument(paths_argument, "increments", "paths", 1, std::uint64_t{1} << 32);
  const std::size_t first_path = unsigned_argument(first_path_argument, "increments", "first_path");
  return std::visit(
      [&](const auto& t) -> nb::tuple {
        using T = std::decay_t<decltype(t)>;
        using Real = typename T::real_type;
        const std::size_t m = intervals.shape(0), d = static_cast<std::size_t>(t.dimension());
        Kokkos::View<const double* [2], Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> list(intervals.data(), m);
        auto W = new_array<Real>({paths, m, d});
        auto H = new_array<Real>({T::levy_area == LevyArea::none ? 0 : paths, m, d});
        auto K = new_array<Real>({T::levy_area == LevyArea::space_time_time ? paths : 0, m, d});
        {
          KernelScope scope;
          const Kokkos::View<double* [2], Kokkos::HostSpace> copy("intervals", m);
          Kokkos::deep_copy(copy, list);
          const auto x = brownian_increments<Kokkos::DefaultExecutionSpace>(t, paths, copy, first_path);
          Kokkos::deep_copy(Unmanaged3<Real>(W.data(), paths, m, d), x.W);
          if (T::levy_area != LevyArea::none) Kokkos::deep_copy(Unmanaged3<Real>(H.data(), paths, m, d), x.H);
          if (T::levy_area == LevyArea::space_time_time) Kokkos::deep_copy(Unmanaged3<Real>(K.data(), paths, m, d), x.K);
        }
        return nb::make_tuple(W, T::levy_area == LevyArea::none ? nb::none() : nb::cast(H),
                              T::levy_area == LevyArea::space_time_time ? nb::cast(K) : nb::none());
      },
      tree);
}

void register_brownian(nb::module_& m) {
  using namespace nb::literals;
  nb::class_<BrownianTree>(m, "VirtualBrownianTree",
      "A d-dimensional Brownian motion on [t0, t1] from one seed, queried over any intervals in any order with\n"
      "constant memory: W_{s,t} ~ N(0, h), H_{s,t} ~ N(0, h/12), K_{s,t} ~ N(0, h/720) (Jelincic, Foster, Kidger\n"
      "2024). Exact for every interval; tolerance= selects the approximate mode with leaves of that length.")
      .def(
          "__init__",
          [](BrownianTree* self, double t0, double t1, int dimension, const Integer& seed, const std::string& levy,
             nb::handle dtype, const std::optional<double>& tolerance) {
            const char* where = "VirtualBrownianTree";
            new (self) BrownianTree(t0, t1, dimension, unsigned_argument(seed, where, "seed"), levy, float_dtype(dtype, where),
                                    tolerance);
          },
          "t0"_a, "t1"_a, "dimension"_a = 1, "seed"_a = 0, "levy_area"_a = "space-time", "dtype"_a = "float64",
           "tolerance"_a = nb::none())
      .def("increments", &BrownianTree::increments, "intervals"_a, "paths"_a = 1, "first_path"_a = 0,
           "(W, H, K) over the rows [s, t] of intervals (m, 2) for paths first_path .. first_path + paths - 1: arrays\n"
           "(paths, m, dimension), H and K None when levy_area does not include them.")
      .def_prop_ro("levy_area", &BrownianTree::levy_area);
}

}  // namespace qmcsim::python
