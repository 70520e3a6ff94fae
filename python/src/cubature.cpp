// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// rqmc_cubature, bayesian_cubature and guaranteed_cubature of a Python integrand: a callable on an
// (n, d) array of points in [0, 1)^d that returns n values. The library generates the points, calls f
// on blocks of them (with the GIL), and keeps the sums, fits and bounds of its C++ routines.

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "points.hpp"
#include "qmcsim/cubature/bayesian_cubature.hpp"
#include "qmcsim/cubature/guaranteed_cubature.hpp"
#include "qmcsim/cubature/rqmc.hpp"

namespace qmcsim::python {
namespace {

/// What a cubature returns to Python.
struct CubatureResult {
  double estimate = 0, half_width = 0, seconds = 0;
  std::uint64_t n = 0;
  bool met_tolerance = false, cone_violated = false;
  std::vector<std::uint64_t> n_steps;
  std::vector<double> estimates, half_widths;
};

/// values[i] = f(x[i, :]) for the `count` rows of x (host memory, count x d): f is called once on a
/// read-only (count, d) array over x itself; its result must hold count finite or not numbers.
void call_integrand(const nb::callable& f, const double* x, std::size_t count, std::size_t d, double* values) {
  nb::gil_scoped_acquire gil;
  const std::size_t shape[2] = {count, d};
  const nb::ndarray<nb::numpy, const double> points(x, 2, shape, nb::handle());
  nb::object y = f(points);
  nb::module_ numpy = nb::module_::import_("numpy");
  nb::object flat = numpy.attr("ascontiguousarray")(y, nb::arg("dtype") = "float64").attr("reshape")(-1);
  nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu> got;
  require_argument(nb::try_cast(flat, got, false) && got.shape(0) == count, "integrand: f returned ",
                   nb::cast<std::string>(nb::str(numpy.attr("shape")(y))), " values for ", count,
                   " points; it must return one value per row of its (n, d) argument");
  std::copy(got.data(), got.data() + count, values);
}

/// values(offset + i) = f(Phi(x_i)) Jacobian for the points of replication 0 (the periodized
/// evaluation of Bayesian and guaranteed cubature, on the host).
template <class Points, class Values>
void evaluate_host(const nb::callable& f, const Points& points, const Values& values, std::size_t offset,
                   Periodization periodization) {
  auto x = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), points);
  const std::size_t count = x.extent(1), d = x.extent(2);
  std::vector<double> jacobian(count), y(count);
  for (std::size_t i = 0; i < count; ++i) jacobian[i] = detail::periodize_point(&x(0, i, 0), d, periodization);
  call_integrand(f, x.data(), count, d, y.data());
  auto out = Kokkos::create_mirror_view(values);
  Kokkos::deep_copy(out, values);
  for (std::size_t i = 0; i < count; ++i) out(offset + i) = y[i] * jacobian[i];
  Kokkos::deep_copy(values, out);
}

template <class Steps>
void record_steps(CubatureResult& out, const Steps& steps) {
  for (const auto& step : steps) {
    out.n_steps.push_back(step.points);
    out.estimates.push_back(step.estimate);
    out.half_widths.push_back(step.half_width);
  }
}

double elapsed(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

CubatureResult rqmc(const nb::callable& f, nb::handle points, double absolute, double relative, int log2_min, int log2_max,
                    double confidence) {
  const auto started = std::chrono::steady_clock::now();
  return visit_points(points, "rqmc_cubature", [&](const auto& generator) {
    KernelScope scope;
    const RqmcCubatureOptions options{absolute, relative, log2_min, log2_max, confidence};
    detail::check_rqmc_cubature(options, generator.replications(), generator.max_points());
    const auto evaluate = [&](const auto& device_points, const auto& values) {
      const auto x = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), device_points);
      auto y = Kokkos::create_mirror_view(values);
      call_integrand(f, x.data(), x.extent(0) * x.extent(1), x.extent(2), y.data());
      Kokkos::deep_copy(values, y);
    };
    const auto result = detail::rqmc_cubature_by_doubling(generator.replications(), options, [&](const IndexRange& range) {
      return detail::replication_block_sums_by(generator, range, evaluate);
    });
    CubatureResult out{result.estimate.mean, result.half_width, elapsed(started), result.estimate.points, result.met_tolerance};
    for (const auto& step : result.steps) {
      out.n_steps.push_back(step.points);
      out.estimates.push_back(step.mean);
      out.half_widths.push_back(step.standard_error *
                                student_t_quantile(0.5 + confidence / 2, static_cast<double>(step.replications - 1)));
    }
    return out;
  });
}

template <class Generator>
constexpr bool fast_kernel_points_v = std::is_same_v<Generator, Lattice<>> || std::is_same_v<Generator, DigitalNet<>>;

CubatureResult bayes(const nb::callable& f, nb::handle points, double absolute, double relative, int log2_min, int log2_max,
                     double confidence, int smoothness, const std::string& periodization) {
  const auto started = std::chrono::steady_clock::now();
  return visit_points(points, "bayesian_cubature", [&](const auto& generator) -> CubatureResult {
    using Generator = std::decay_t<decltype(generator)>;
    if constexpr (!fast_kernel_points_v<Generator>) {
      throw error("bayesian_cubature: points must be a Lattice or a DigitalNet (fast kernels exist for these)");
    } else {
      KernelScope scope;
      BayesianCubatureOptions options;
      options.absolute_tolerance = absolute;
      options.relative_tolerance = relative;
      options.log2_min_points = log2_min;
      options.log2_max_points = log2_max;
      options.confidence = confidence;
      options.smoothness = smoothness;
      options.periodization = parse_periodization(periodization);
      const Periodization resolved = detail::resolved(options, detail::kernel_family_of(generator)).periodization;
      const auto result = detail::bayesian_cubature_by_doubling(generator, options, [&](const IndexRange& range, const auto& values) {
        evaluate_host(f, generator.generate(range), values, range.begin, resolved);
      });
      CubatureResult out{result.estimate, result.half_width, elapsed(started), result.points, result.met_tolerance};
      record_steps(out, result.steps);
      return out;
    }
  });
}

CubatureResult guaranteed(const nb::callable& f, nb::handle points, double absolute, double relative, int log2_min,
                          int log2_max, const std::string& periodization, bool check_cone) {
  const auto started = std::chrono::steady_clock::now();
  return visit_points(points, "guaranteed_cubature", [&](const auto& generator) -> CubatureResult {
    using Generator = std::decay_t<decltype(generator)>;
    if constexpr (!fast_kernel_points_v<Generator>) {
      throw error("guaranteed_cubature: points must be a Lattice or a DigitalNet (fast transforms exist for these)");
    } else {
      KernelScope scope;
      GuaranteedCubatureOptions options;
      options.absolute_tolerance = absolute;
      options.relative_tolerance = relative;
      options.log2_min_points = log2_min;
      options.log2_max_points = log2_max;
      options.periodization = parse_periodization(periodization);
      options.check_cone = check_cone;
      const auto result = detail::guaranteed_cubature_by_doubling(
          generator, options, [&](const IndexRange& range, const auto& values, Periodization resolved) {
            evaluate_host(f, generator.generate(range), values, range.begin, resolved);
          });
      CubatureResult out{result.estimate, result.half_width, elapsed(started), result.points, result.met_tolerance,
                         result.cone_violated};
      record_steps(out, result.steps);
      return out;
    }
  });
}

}  // namespace

void register_cubature(nb::module_& m) {
  using namespace nb::literals;
  nb::class_<CubatureResult>(m, "CubatureResult", "What a cubature found: the estimate, the half-width of its interval, "
                                                   "the points used (per randomization) and each doubling step.")
      .def_ro("estimate", &CubatureResult::estimate)
      .def_ro("half_width", &CubatureResult::half_width)
      .def_ro("n", &CubatureResult::n)
      .def_ro("met_tolerance", &CubatureResult::met_tolerance)
      .def_ro("cone_violated", &CubatureResult::cone_violated)
      .def_ro("seconds", &CubatureResult::seconds)
      .def_ro("n_steps", &CubatureResult::n_steps)
      .def_ro("estimates", &CubatureResult::estimates)
      .def_ro("half_widths", &CubatureResult::half_widths)
      .def_prop_ro("interval", [](const CubatureResult& r) { return std::make_pair(r.estimate - r.half_width, r.estimate + r.half_width); })
      .def("__repr__", [](const CubatureResult& r) {
        return detail::concat("CubatureResult(estimate=", r.estimate, ", half_width=", r.half_width, ", n=", r.n,
                              ", met_tolerance=", r.met_tolerance ? "True" : "False", ")");
      });
  m.def("rqmc_cubature", &rqmc, "f"_a, "points"_a, "abs_tol"_a = 1e-3, "rel_tol"_a = 0.0, "log2_min_n"_a = 10,
        "log2_max_n"_a = 20, "confidence"_a = 0.99,
        "Replicated (Q)MC cubature of f over [0,1)^d: n doubles until the Student-t interval over the point set's\n"
        "replications has half-width <= max(abs_tol, rel_tol |estimate|). f takes an (n, d) array and returns n values.");
  m.def("bayesian_cubature", &bayes, "f"_a, "points"_a, "abs_tol"_a = 1e-3, "rel_tol"_a = 0.0, "log2_min_n"_a = 8,
        "log2_max_n"_a = 20, "confidence"_a = 0.99, "smoothness"_a = 0, "periodization"_a = "automatic",
        "Fast Bayesian cubature (QMCPy's CubBayesLatticeG / CubBayesNetG) on a Lattice or DigitalNet with one\n"
        "replication: a credible interval from a GP fitted by maximum likelihood in O(n log n).");
  m.def("guaranteed_cubature", &guaranteed, "f"_a, "points"_a, "abs_tol"_a = 1e-2, "rel_tol"_a = 0.0, "log2_min_n"_a = 10,
        "log2_max_n"_a = 20, "periodization"_a = "automatic", "check_cone"_a = true,
        "Guaranteed QMC cubature (QMCPy's CubQMCLatticeG / CubQMCNetG): an error bound from the decay of the\n"
        "Fourier or Walsh coefficients of one randomization, valid for integrands in the cone.");
}

}  // namespace qmcsim::python
