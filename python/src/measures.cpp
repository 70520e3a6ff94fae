// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// qmcsim.Uniform, Lebesgue, Gaussian and BrownianMotion: QMCPy's true measures, as transforms of points
// of [0,1)^d (measure.transform(x)) and as the `measure=` of every cubature.

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>

#include "measures.hpp"

namespace qmcsim::python {

void PythonMeasure::transform_rows(const double* x, double* t, std::size_t count) const {
  const std::size_t d = dimension();
  std::visit(
      [&](const auto& m) {
        Kokkos::parallel_for("qmcsim::python::measure_transform", Kokkos::RangePolicy<Host>(0, count), [=](std::size_t i) {
          // the scratch of the dense factors: a row of t's own size, on this thread's stack
          constexpr std::size_t on_stack = 1024;
          double small[on_stack];
          std::vector<double> large(d > on_stack ? d : 0);
          m.transform(x + i * d, t + i * d, d > on_stack ? large.data() : small);
        });
        Host().fence();
      },
      measure);
}

namespace {

/// A float64 array of `value` (any array-like) with its shape.
struct Doubles {
  std::vector<double> values;
  std::vector<std::size_t> shape;
};

Doubles doubles(nb::handle value, const char* name) {
  nb::module_ numpy = nb::module_::import_("numpy");
  nb::object array;
  try {
    array = numpy.attr("asarray")(value, nb::arg("dtype") = "float64", nb::arg("order") = "C");  // keeps 0-d scalars
  } catch (const nb::python_error&) {
    throw error(detail::concat(name, ": expected numbers (an array of floats)"));
  }
  const auto view = nb::cast<nb::ndarray<const double, nb::c_contig, nb::device::cpu>>(array);
  Doubles out;
  out.values.assign(view.data(), view.data() + view.size());
  for (std::size_t k = 0; k < view.ndim(); ++k) out.shape.push_back(view.shape(k));
  return out;
}

/// A length-d vector from a scalar or a (d,) array; d from the array, or `dimension` for a scalar.
std::vector<double> vector_of(const Doubles& a, std::size_t d, const char* name) {
  if (a.shape.empty()) return std::vector<double>(d, a.values[0]);
  require_argument(a.shape.size() == 1 && a.shape[0] == d, name, " has shape ", a.shape.size() == 1 ? a.shape[0] : 0,
                   a.shape.size() == 1 ? "" : " (not one-dimensional)", "; expected a scalar or ", d, " values");
  return a.values;
}

/// The dimension named by the arrays (their lengths) or by `dimension`.
std::size_t dimension_of(std::initializer_list<const Doubles*> arrays, std::optional<std::size_t> dimension, const char* where) {
  std::optional<std::size_t> d = dimension;
  for (const Doubles* a : arrays)
    if (!a->shape.empty()) {
      require_argument(!d || *d == a->shape[0], where, ": the arguments disagree on the dimension (", *d, " and ",
                       a->shape[0], ")");
      d = a->shape[0];
    }
  require_argument(d.has_value() && *d >= 1, where, ": give dimension= (every argument is a scalar) as a positive integer");
  return *d;
}

BoxMeasure<Kokkos::HostSpace> box(const char* where, nb::handle lower, nb::handle upper, std::optional<std::size_t> dimension,
                                   bool lebesgue) {
  const Doubles a = doubles(lower, "lower"), b = doubles(upper, "upper");
  const std::size_t d = dimension_of({&a, &b}, dimension, where);
  const auto lo = vector_of(a, d, "lower"), hi = vector_of(b, d, "upper");
  KernelScope scope;
  return lebesgue ? BoxMeasure<Kokkos::HostSpace>::lebesgue(lo, hi) : BoxMeasure<Kokkos::HostSpace>::uniform(lo, hi);
}

Gaussian<Kokkos::HostSpace> gaussian(nb::handle mean, nb::handle covariance, const std::string& factor,
                                     std::optional<std::size_t> dimension) {
  const Doubles m = doubles(mean, "Gaussian: mean"), c = doubles(covariance, "Gaussian: covariance");
  require_argument(c.shape.size() <= 2, "Gaussian: covariance must be a scalar, a (d,) diagonal or a (d, d) matrix");
  require_argument(c.shape.size() < 2 || c.shape[0] == c.shape[1], "Gaussian: covariance has shape (", c.shape[0], ", ",
                   c.shape.size() < 2 ? 0 : c.shape[1], "); it must be square");
  const std::size_t d = dimension_of({&m, &c}, dimension, "Gaussian");
  const auto mu = vector_of(m, d, "Gaussian: mean");
  std::vector<double> sigma(d * d, 0.0);
  if (c.shape.size() == 2) sigma = c.values;
  else
    for (std::size_t j = 0; j < d; ++j) sigma[j * d + j] = c.shape.empty() ? c.values[0] : c.values[j];
  const CovarianceFactor kind = parse_covariance_factor(factor);
  KernelScope scope;
  return Gaussian<Kokkos::HostSpace>::make(mu, sigma, kind);
}

BrownianMotion<Kokkos::HostSpace> brownian_motion(std::optional<std::size_t> dimension, double t_final, double initial,
                                                  double drift, double diffusion, const std::string& construction,
                                                  nb::handle times) {
  std::vector<double> at;
  if (times.is_none()) {
    require_argument(dimension.has_value() && *dimension >= 1, "BrownianMotion: give the dimension d >= 1 or the times");
    require_argument(std::isfinite(t_final) && t_final > 0, "BrownianMotion: t_final = ", t_final, " must be positive and finite");
    at = BrownianMotion<Kokkos::HostSpace>::uniform_times(*dimension, t_final);
  } else {
    const Doubles given = doubles(times, "BrownianMotion: times");
    require_argument(given.shape.size() == 1, "BrownianMotion: times must be one-dimensional");
    require_argument(!dimension || *dimension == given.shape[0], "BrownianMotion: dimension ", dimension.value_or(0),
                     " differs from the ", given.shape[0], " times");
    at = given.values;
  }
  const PathConstruction how = parse_path_construction(construction);
  KernelScope scope;
  return BrownianMotion<Kokkos::HostSpace>::make(at, how, initial, drift, diffusion);
}

/// x (..., d) -> T(x) of the same shape.
nb::object transform(const PythonMeasure& measure, nb::handle x) {
  const Doubles points = doubles(x, "transform: x");
  const std::size_t d = measure.dimension();
  require_argument(!points.shape.empty() && points.shape.back() == d, "transform: x must have d = ", d,
                   " coordinates in its last axis");
  auto out = new_array<double>(points.shape);
  {
    KernelScope scope;
    measure.transform_rows(points.values.data(), out.data(), points.values.size() / d);
  }
  return nb::cast(out);
}

template <class Matrix>
nb::object matrix_array(const Matrix& view) {
  const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
  auto out = new_array<double>({host.extent(0), host.extent(1)});
  std::copy(host.data(), host.data() + host.size(), out.data());
  return nb::cast(out);
}

struct PythonUniform : PythonMeasure {
  using PythonMeasure::PythonMeasure;
};
struct PythonLebesgue : PythonMeasure {
  using PythonMeasure::PythonMeasure;
};
struct PythonGaussian : PythonMeasure {
  using PythonMeasure::PythonMeasure;
};
struct PythonBrownianMotion : PythonMeasure {
  using PythonMeasure::PythonMeasure;
};

}  // namespace

void register_measures(nb::module_& m) {
  using namespace nb::literals;
  nb::class_<PythonMeasure>(m, "Measure",
                            "A true measure mu of total mass |mu| given by a transform T of [0,1)^d with T(U) ~ mu/|mu|:\n"
                            "int g dmu = |mu| int_[0,1)^d g(T(x)) dx. Pass it as measure= to a cubature, which then calls\n"
                            "f on T(x) and multiplies by |mu|.")
      .def_prop_ro("dimension", &PythonMeasure::dimension)
      .def_prop_ro("mass", &PythonMeasure::mass, "|mu|: 1 for distributions, the volume for Lebesgue measure on a box")
      .def("transform", &transform, "x"_a, "T(x) for points x of shape (..., d) in [0,1)^d, as an array of the same shape.");

  nb::class_<PythonUniform, PythonMeasure>(m, "Uniform", "The uniform distribution on the box prod_j [lower_j, upper_j].")
      .def("__init__", [](PythonUniform* self, nb::handle lower, nb::handle upper, std::optional<std::size_t> dimension) {
        new (self) PythonUniform(box("Uniform", lower, upper, dimension, false));
      }, "lower"_a = 0.0, "upper"_a = 1.0, "dimension"_a = nb::none());
  nb::class_<PythonLebesgue, PythonMeasure>(m, "Lebesgue", "Lebesgue measure on the box prod_j [lower_j, upper_j] (mass: its volume).")
      .def("__init__", [](PythonLebesgue* self, nb::handle lower, nb::handle upper, std::optional<std::size_t> dimension) {
        new (self) PythonLebesgue(box("Lebesgue", lower, upper, dimension, true));
      }, "lower"_a, "upper"_a, "dimension"_a = nb::none());
  nb::class_<PythonGaussian, PythonMeasure>(
      m, "Gaussian",
      "N(mean, covariance): t = mean + A Phi^-1(x) with A A^T = covariance, A the lower Cholesky factor\n"
      "(factor='cholesky') or the PCA factor V Lambda^1/2 (factor='pca', QMCPy's default: eigenvalues decreasing,\n"
      "each eigenvector's largest entry positive). covariance: a scalar, a (d,) diagonal or a (d, d) matrix.")
      .def("__init__", [](PythonGaussian* self, nb::handle mean, nb::handle covariance, const std::string& factor,
                          std::optional<std::size_t> dimension) {
        new (self) PythonGaussian(gaussian(mean, covariance, factor, dimension));
      }, "mean"_a = 0.0, "covariance"_a = 1.0, "factor"_a = "pca", "dimension"_a = nb::none())
      .def_prop_ro("factor", [](const PythonGaussian& g) { return matrix_array(std::get<Gaussian<Kokkos::HostSpace>>(g.measure).factor); },
                   "A, with A A^T = covariance");
  nb::class_<PythonBrownianMotion, PythonMeasure>(
      m, "BrownianMotion",
      "B(t_k) = initial_value + drift t_k + sqrt(diffusion) W(t_k) at t_k = k t_final / d (or the given times),\n"
      "W built 'forward' (cumulative increments), as a 'bridge' (QMCPy's van der Corput order) or by 'pca'\n"
      "(QMCPy's default): QMCPy's BrownianMotion with decomp_type Cholesky, BrownianBridge or PCA.")
      .def("__init__", [](PythonBrownianMotion* self, std::optional<std::size_t> dimension, double t_final, double initial_value,
                          double drift, double diffusion, const std::string& construction, nb::handle times) {
        new (self) PythonBrownianMotion(brownian_motion(dimension, t_final, initial_value, drift, diffusion, construction, times));
      }, "dimension"_a = nb::none(), "t_final"_a = 1.0, "initial_value"_a = 0.0, "drift"_a = 0.0, "diffusion"_a = 1.0,
         "construction"_a = "pca", "times"_a = nb::none());
}

}  // namespace qmcsim::python
