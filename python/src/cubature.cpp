// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// rqmc_cubature, bayesian_cubature and guaranteed_cubature of a Python integrand: a callable on an
// (n, d) array of points in [0, 1)^d that returns n values. The library generates the points, calls f
// on blocks of them (with the GIL), and keeps the sums, fits and bounds of its C++ routines.

#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <string>

#include "measures.hpp"
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
  std::vector<double> control_variate_coefficients;  ///< guaranteed cubature's beta
};

/// values[i] = f(x[i, :]) for the `count` rows of x (host memory, count x d), or |mu| f(T(x[i, :]))
/// against a measure mu: f is called once on a read-only (count, d) array over x itself (or over the
/// transformed rows); its result must hold count finite or not numbers (outputs = 0), or be a
/// (count, outputs) array for a vector-valued f, whose values land row by row in values[i outputs + j].
/// (rqmc_cubature decides between the two from f's first call, outputs_of.)
void call_integrand(const nb::callable& f, const PythonMeasure* measure, const double* x, std::size_t count, std::size_t d,
                    double* values, std::size_t outputs = 0) {
  std::vector<double> transformed;
  if (measure) {
    transformed.resize(count * d);
    measure->transform_rows(x, transformed.data(), count);
    x = transformed.data();
  }
  nb::gil_scoped_acquire gil;
  const std::size_t shape[2] = {count, d};
  const nb::ndarray<nb::numpy, const double> points(x, 2, shape, nb::handle());
  nb::object y = f(points);
  nb::module_ numpy = nb::module_::import_("numpy");
  nb::object array = numpy.attr("ascontiguousarray")(y, nb::arg("dtype") = "float64");
  const std::size_t width = outputs == 0 ? 1 : outputs;
  // a scalar f may return any shape of n values; a vector-valued one (n, outputs)
  const bool shaped = outputs == 0 || (nb::cast<std::size_t>(array.attr("ndim")) == 2 &&
                                       nb::cast<std::size_t>(array.attr("shape")[nb::int_(1)]) == outputs);
  nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu> got;
  require_argument(shaped && nb::try_cast(array.attr("reshape")(-1), got, false) && got.shape(0) == count * width,
                   "integrand: f returned shape ", nb::cast<std::string>(nb::str(numpy.attr("shape")(y))), " for ", count,
                   " points; it must return ",
                   outputs == 0 ? std::string("one value per row of its (n, d) argument")
                                : "an (n, " + std::to_string(outputs) + ") array, as on its first call");
  const double mass = measure ? measure->mass() : 1.0;
  for (std::size_t i = 0; i < count * width; ++i) values[i] = mass * got.data()[i];
}

/// How many outputs f has: 0 when it returns an (n,) array, k for an (n, k) array (f is called on the
/// first point of the point set).
template <class Generator>
std::size_t outputs_of(const nb::callable& f, const PythonMeasure* measure, const Generator& generator) {
  const auto first = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), generator.generate(IndexRange{0, 1}));
  const std::size_t d = first.extent(2);
  std::vector<double> x(first.data(), first.data() + d);
  if (measure) measure->transform_rows(first.data(), x.data(), 1);
  nb::gil_scoped_acquire gil;
  const std::size_t shape[2] = {1, d};
  nb::object y = f(nb::ndarray<nb::numpy, const double>(x.data(), 2, shape, nb::handle()));
  nb::object array = nb::module_::import_("numpy").attr("asarray")(y);
  const auto ndim = nb::cast<std::size_t>(array.attr("ndim"));
  require_argument(ndim <= 2, "integrand: f returned a ", ndim, "-dimensional array; it must return (n,) or (n, k)");
  return ndim == 2 ? nb::cast<std::size_t>(array.attr("shape")[nb::int_(1)]) : 0;
}

/// A tolerance argument: a number (every output) or one per output.
std::vector<double> tolerances_of(nb::handle value, const char* name) {
  nb::object array = nb::module_::import_("numpy").attr("asarray")(value, nb::arg("dtype") = "float64").attr("reshape")(-1);
  const auto view = nb::cast<nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>>(
      nb::module_::import_("numpy").attr("ascontiguousarray")(array));
  require_argument(view.shape(0) >= 1, name, " is empty");
  return std::vector<double>(view.data(), view.data() + view.shape(0));
}

/// Throws unless the measure (when given) has the points' dimension.
void check_measure(const PythonMeasure* measure, std::size_t points_dimension, const char* where) {
  require_argument(!measure || measure->dimension() == points_dimension, where, ": the measure has dimension ",
                   measure ? measure->dimension() : 0, ", the points ", points_dimension, " (they must be equal)");
}

/// values(offset + i) = f(Phi(x_i)) Jacobian for the points of replication 0 (the periodized
/// evaluation of Bayesian and guaranteed cubature, on the host), and the same for each control variate
/// h_j into variates(j, offset + i) when given.
template <class Points, class Values, class Variates = detail::VariateValues<Kokkos::HostSpace>>
void evaluate_host(const nb::callable& f, const PythonMeasure* measure, const Points& points, const Values& values, std::size_t offset,
                   Periodization periodization, const std::vector<nb::callable>& control_variates = {},
                   const Variates* variates = nullptr) {
  auto x = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), points);
  const std::size_t count = x.extent(1), d = x.extent(2);
  std::vector<double> jacobian(count), y(count);
  for (std::size_t i = 0; i < count; ++i) jacobian[i] = detail::periodize_point(&x(0, i, 0), d, periodization);
  call_integrand(f, measure, x.data(), count, d, y.data());
  auto out = Kokkos::create_mirror_view(values);
  Kokkos::deep_copy(out, values);
  for (std::size_t i = 0; i < count; ++i) out(offset + i) = y[i] * jacobian[i];
  Kokkos::deep_copy(values, out);
  if (control_variates.empty()) return;
  auto host_variates = Kokkos::create_mirror_view(*variates);
  Kokkos::deep_copy(host_variates, *variates);
  for (std::size_t j = 0; j < control_variates.size(); ++j) {
    call_integrand(control_variates[j], measure, x.data(), count, d, y.data());
    for (std::size_t i = 0; i < count; ++i) host_variates(j, offset + i) = y[i] * jacobian[i];
  }
  Kokkos::deep_copy(*variates, host_variates);
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

/// What rqmc_cubature of a vector-valued f returns: an entry per output.
struct VectorCubatureResult {
  std::vector<double> estimate, half_width;
  std::vector<bool> met;
  double seconds = 0;
  std::uint64_t n = 0;
  bool met_tolerance = false;
  std::vector<std::uint64_t> n_steps;
};

nb::object rqmc(const nb::callable& f, nb::handle points, nb::handle abs_tol, nb::handle rel_tol, int log2_min, int log2_max,
                double confidence, const PythonMeasure* measure) {
  const auto started = std::chrono::steady_clock::now();
  const auto absolute = tolerances_of(abs_tol, "abs_tol"), relative = tolerances_of(rel_tol, "rel_tol");
  return visit_points(points, "rqmc_cubature", [&](const auto& generator) -> nb::object {
    check_measure(measure, generator.dimension(), "rqmc_cubature");
    std::size_t outputs = 0;
    {
      KernelScope scope;
      outputs = outputs_of(f, measure, generator);
    }
    const std::size_t k = outputs == 0 ? 1 : outputs;
    require_argument(outputs > 0 || (absolute.size() == 1 && relative.size() == 1),
                     "rqmc_cubature: abs_tol and rel_tol take one value per output; f returns one value per point");
    require_argument(k <= max_integrand_outputs, "rqmc_cubature: f returns ", k, " outputs, at most ", max_integrand_outputs,
                     " are allowed");
    const auto spread = [&](const std::vector<double>& given, const char* name) {
      require_argument(given.size() == 1 || given.size() == k, "rqmc_cubature: ", name, " has ", given.size(),
                       " values for ", k, " outputs (give one, or one per output)");
      return given.size() == 1 ? std::vector<double>(k, given[0]) : given;
    };
    const OutputTolerances tolerances{spread(absolute, "abs_tol"), spread(relative, "rel_tol")};
    RqmcVectorCubatureResult result;
    {
      KernelScope scope;
      const RqmcCubatureOptions options{absolute[0], relative[0], log2_min, log2_max, confidence};
      detail::check_rqmc_cubature(options, generator);
      const auto evaluate = [&](const auto&, const auto& device_points, const auto& values) {
        const auto x = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), device_points);
        const std::size_t R = x.extent(0), count = x.extent(1);
        std::vector<double> y(R * count * k);
        call_integrand(f, measure, x.data(), R * count, x.extent(2), y.data(), outputs);
        auto host = Kokkos::create_mirror_view(values);
        for (std::size_t r = 0; r < R; ++r)
          for (std::size_t i = 0; i < count; ++i)
            for (std::size_t j = 0; j < k; ++j) host(r * k + j, i) = y[(r * count + i) * k + j];
        Kokkos::deep_copy(values, host);
      };
      result = detail::rqmc_cubature_by_doubling(generator.replications(), k, options,
                                                 detail::output_tolerances(options, tolerances, k),
                                                 [&](const IndexRange& range) {
                                                   return detail::replication_block_sums_by(
                                                       typename std::decay_t<decltype(generator)>::execution_space(), generator,
                                                       range, evaluate, k);
                                                 });
    }
    const double t = student_t_quantile(0.5 + confidence / 2, static_cast<double>(generator.replications() - 1));
    if (outputs == 0) {
      CubatureResult out{result.estimates[0].mean, result.half_widths[0], elapsed(started), result.points, result.met_tolerance};
      for (const auto& step : result.steps) {
        out.n_steps.push_back(step[0].points);
        out.estimates.push_back(step[0].mean);
        out.half_widths.push_back(t * step[0].standard_error);
      }
      return nb::cast(out);
    }
    VectorCubatureResult out;
    for (std::size_t j = 0; j < k; ++j) {
      out.estimate.push_back(result.estimates[j].mean);
      out.half_width.push_back(result.half_widths[j]);
      out.met.push_back(result.met[j] != 0);
    }
    out.seconds = elapsed(started);
    out.n = result.points;
    out.met_tolerance = result.met_tolerance;
    for (const auto& step : result.steps) out.n_steps.push_back(step[0].points);
    return nb::cast(out);
  });
}

template <class Generator>
constexpr bool fast_kernel_points_v = std::is_same_v<Generator, Lattice<>> || std::is_same_v<Generator, DigitalNet<>>;

CubatureResult bayes(const nb::callable& f, nb::handle points, double absolute, double relative, int log2_min, int log2_max,
                     double confidence, int smoothness, const std::string& periodization, const PythonMeasure* measure) {
  const auto started = std::chrono::steady_clock::now();
  return visit_points(points, "bayesian_cubature", [&](const auto& generator) -> CubatureResult {
    check_measure(measure, generator.dimension(), "bayesian_cubature");
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
      const auto result = detail::bayesian_cubature_by_doubling(
          typename std::decay_t<decltype(generator)>::execution_space(), generator, options,
          [&](const IndexRange& range, const auto& values) {
        evaluate_host(f, measure, generator.generate(range), values, range.begin, resolved);
      });
      CubatureResult out{result.estimate, result.half_width, elapsed(started), result.points, result.met_tolerance};
      record_steps(out, result.steps);
      return out;
    }
  });
}

CubatureResult guaranteed(const nb::callable& f, nb::handle points, double absolute, double relative, int log2_min,
                          int log2_max, const std::string& periodization, bool check_cone, const PythonMeasure* measure,
                          const std::vector<nb::callable>& control_variates, const std::vector<double>& control_variate_means) {
  require_argument(control_variates.size() == control_variate_means.size(), "guaranteed_cubature: ",
                   control_variates.size(), " control_variates and ", control_variate_means.size(),
                   " control_variate_means (one mean per control variate)");
  const auto started = std::chrono::steady_clock::now();
  return visit_points(points, "guaranteed_cubature", [&](const auto& generator) -> CubatureResult {
    check_measure(measure, generator.dimension(), "guaranteed_cubature");
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
          typename std::decay_t<decltype(generator)>::execution_space(), generator, options,
          [&](const IndexRange& range, const auto& values, const auto& variates, Periodization resolved) {
            evaluate_host(f, measure, generator.generate(range), values, range.begin, resolved, control_variates, &variates);
          },
          control_variate_means);
      CubatureResult out{result.estimate, result.half_width, elapsed(started), result.points, result.met_tolerance,
                         result.cone_violated};
      out.control_variate_coefficients = result.control_variate_coefficients;
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
      .def_ro("control_variate_coefficients", &CubatureResult::control_variate_coefficients,
              "beta of guaranteed cubature's control variates (fitted at the first n)")
      .def_prop_ro("interval", [](const CubatureResult& r) { return std::make_pair(r.estimate - r.half_width, r.estimate + r.half_width); })
      .def("__repr__", [](const CubatureResult& r) {
        return detail::concat("CubatureResult(estimate=", r.estimate, ", half_width=", r.half_width, ", n=", r.n,
                              ", met_tolerance=", r.met_tolerance ? "True" : "False", ")");
      });
  nb::class_<VectorCubatureResult>(m, "VectorCubatureResult",
                                   "rqmc_cubature of a vector-valued f: estimates, half-widths and met flags per output "
                                   "(NumPy arrays), the points used (per randomization) and each doubling's n.")
      .def_prop_ro("estimate", [](const VectorCubatureResult& r) { return nb::module_::import_("numpy").attr("asarray")(r.estimate); })
      .def_prop_ro("half_width", [](const VectorCubatureResult& r) { return nb::module_::import_("numpy").attr("asarray")(r.half_width); })
      .def_prop_ro("met", [](const VectorCubatureResult& r) { return nb::module_::import_("numpy").attr("asarray")(r.met); })
      .def_ro("n", &VectorCubatureResult::n)
      .def_ro("met_tolerance", &VectorCubatureResult::met_tolerance)
      .def_ro("seconds", &VectorCubatureResult::seconds)
      .def_ro("n_steps", &VectorCubatureResult::n_steps)
      .def("__repr__", [](const VectorCubatureResult& r) {
        return detail::concat("VectorCubatureResult(outputs=", r.estimate.size(), ", n=", r.n,
                              ", met_tolerance=", r.met_tolerance ? "True" : "False", ")");
      });
  m.def("rqmc_cubature", &rqmc, "f"_a, "points"_a, "abs_tol"_a = 1e-3, "rel_tol"_a = 0.0, "log2_min_n"_a = 10,
        "log2_max_n"_a = 20, "confidence"_a = 0.99, "measure"_a = nb::none(),
        "Replicated (Q)MC cubature of f over [0,1)^d: n doubles until the Student-t interval over the point set's\n"
        "replications has half-width <= max(abs_tol, rel_tol |estimate|). f takes an (n, d) array and returns n values.\n"
        "With measure=mu (Uniform, Lebesgue, Gaussian, BrownianMotion) the integral is int f dmu: f gets the\n"
        "transformed points T(x) (as in every cubature here). A vector-valued f returns an (n, k) array: every\n"
        "output gets its own tolerance (abs_tol, rel_tol: one number or k) and n doubles until all meet\n"
        "theirs; the result is then a VectorCubatureResult.");
  m.def("bayesian_cubature", &bayes, "f"_a, "points"_a, "abs_tol"_a = 1e-3, "rel_tol"_a = 0.0, "log2_min_n"_a = 8,
        "log2_max_n"_a = 20, "confidence"_a = 0.99, "smoothness"_a = 0, "periodization"_a = "automatic", "measure"_a = nb::none(),
        "Fast Bayesian cubature (QMCPy's CubBayesLatticeG / CubBayesNetG) on a Lattice or DigitalNet with one\n"
        "replication: a credible interval from a GP fitted by maximum likelihood in O(n log n).");
  m.def("guaranteed_cubature", &guaranteed, "f"_a, "points"_a, "abs_tol"_a = 1e-2, "rel_tol"_a = 0.0, "log2_min_n"_a = 10,
        "log2_max_n"_a = 20, "periodization"_a = "automatic", "check_cone"_a = true, "measure"_a = nb::none(),
        "control_variates"_a = std::vector<nb::callable>(), "control_variate_means"_a = std::vector<double>(),
        "Guaranteed QMC cubature (QMCPy's CubQMCLatticeG / CubQMCNetG): an error bound from the decay of the\n"
        "Fourier or Walsh coefficients of one randomization, valid for integrands in the cone. Control variates\n"
        "(QMCPy's): callables h_j like f with known integrals control_variate_means[j]; beta is fitted to the\n"
        "high-frequency coefficients at the first n and f - beta . (h - means) integrated from then on.");
}

}  // namespace qmcsim::python
