// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Fast kernel methods: FastGram (the Gram matrix of a matched kernel on lattice or digital-net points,
// diagonalized by FFTBR or FWHT) and FastGaussianProcess (its likelihood, fit and posterior), the
// C++ classes of qmcsim/kernels/ with NumPy arrays in and out.

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <cmath>

#include "arrays.hpp"
#include "points.hpp"
#include "qmcsim/kernels/gaussian_process.hpp"

namespace qmcsim::python {
namespace {

using Gram = FastGram<Host>;
using Process = FastGaussianProcess<Host>;
/// One value per coordinate from a number (every coordinate) or a sequence of d.
template <class T>
std::vector<T> per_coordinate(nb::handle value, std::size_t d, const char* where, const char* name) {
  T one;
  if (nb::try_cast(value, one)) return std::vector<T>(d, one);
  std::vector<T> out;
  require_argument(nb::try_cast(value, out, true), where, ": ", name, " must be ",
                   std::is_integral_v<T> ? "an integer or a sequence of " : "a number or a sequence of ", d);
  require_argument(out.size() == d, where, ": ", name, " has ", out.size(), " entries for ", d, " coordinates");
  return out;
}

struct PythonGram : Counted {
  Gram gram;

  /// The matched product kernel of the gram's family (qmcsim::error on bad parameters).
  ProductKernel kernel(nb::handle weights, nb::handle smoothness, double scale, const char* where) const {
    const std::size_t d = gram.dimension();
    ProductKernel k{gram.family(), scale, per_coordinate<double>(weights, d, where, "weights"),
                    per_coordinate<int>(smoothness, d, where, "smoothness")};
    k.check();
    return k;
  }

  nb::object spectrum(nb::handle weights, nb::handle smoothness, double scale, bool centered) const {
    const ProductKernel k = kernel(weights, smoothness, scale, centered ? "FastGram.centered_eigenvalues" : "FastGram.eigenvalues");
    auto out = new_array<double>({gram.size()});
    {
      KernelScope scope;
      const auto lambda = centered ? gram.centered_eigenvalues(k) : gram.eigenvalues(k);
      Kokkos::deep_copy(Kokkos::View<double*, Kokkos::HostSpace>(out.data(), gram.size()), lambda);
    }
    return nb::cast(out);
  }

  Gram::Spectrum eigenvalues_of(nb::handle eigenvalues, const char* where) const {
    const RealArray lambda = real_array(eigenvalues, where, "eigenvalues");
    require_argument(lambda.ndim() == 1 && lambda.shape(0) == gram.size(), where, ": eigenvalues must have shape (",
                     gram.size(), ",)");
    Gram::Spectrum copy("eigenvalues", gram.size());
    for (std::size_t k = 0; k < gram.size(); ++k) copy(k) = lambda.data()[k];
    return copy;
  }

  /// (K + eta I) v or its inverse on every row of values ((n,) or (m, n)), the shape kept.
  nb::object apply(nb::handle eigenvalues, nb::handle values, double nugget, bool invert) const {
    const char* where = invert ? "FastGram.solve" : "FastGram.multiply";
    require_argument(std::isfinite(nugget) && nugget >= 0, where, ": nugget = ", nugget, " must be finite and >= 0");
    const auto lambda = eigenvalues_of(eigenvalues, where);
    const RealArray v = real_array(values, where, "values");
    const std::size_t n = gram.size();
    require_argument((v.ndim() == 1 || v.ndim() == 2) && v.shape(v.ndim() - 1) == n, where,
                     ": values must have shape (", n, ",) or (m, ", n, ")");
    const std::size_t m = v.ndim() == 1 ? 1 : v.shape(0);
    std::vector<std::size_t> shape(v.shape_ptr(), v.shape_ptr() + v.ndim());
    auto out = new_array<double>(shape);
    {
      KernelScope scope;
      Gram::RealRows rows("values", m, n);
      for (std::size_t k = 0; k < m * n; ++k) rows.data()[k] = v.data()[k];
      const auto result = invert ? gram.solve(lambda, nugget, rows) : gram.multiply(lambda, nugget, rows);
      for (std::size_t k = 0; k < m * n; ++k) out.data()[k] = result.data()[k];
    }
    return nb::cast(out);
  }

  double log_determinant(nb::handle eigenvalues, double nugget) const {
    require_argument(std::isfinite(nugget) && nugget >= 0, "FastGram.log_determinant: nugget = ", nugget,
                     " must be finite and >= 0");
    const auto lambda = eigenvalues_of(eigenvalues, "FastGram.log_determinant");
    KernelScope scope;
    return gram.log_determinant(lambda, nugget);
  }

  /// The design points as words (uint64) or as numbers in [0, 1) (word 2^-64).
  nb::object points(bool as_words) const {
    const std::size_t n = gram.size(), d = gram.dimension();
    const auto words = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), gram.points());
    nb::object array = nb::module_::import_("numpy").attr("empty")(nb::make_tuple(n, d),
                                                                    nb::arg("dtype") = as_words ? "uint64" : "float64");
    if (as_words) {
      auto out = nb::cast<nb::ndarray<nb::numpy, std::uint64_t, nb::c_contig>>(array);
      for (std::size_t k = 0; k < n * d; ++k) out.data()[k] = words.data()[k];
    } else {
      auto out = nb::cast<HostArray<double>>(array);
      for (std::size_t k = 0; k < n * d; ++k) out.data()[k] = static_cast<double>(words.data()[k]) * 0x1p-64;
    }
    return array;
  }
};

PythonGram make_gram(nb::handle points, std::uint64_t n, std::size_t replication) {
  return visit_points(points, "FastGram", [&](const auto& generator) -> PythonGram {
    using Generator = std::decay_t<decltype(generator)>;
    if constexpr (std::is_same_v<Generator, Lattice<>> || std::is_same_v<Generator, DigitalNet<>>) {
      KernelScope scope;
      return PythonGram{{}, Gram(generator, n, replication)};
    } else {
      throw error("FastGram: points must be a Lattice or a DigitalNet (their Gram matrices are diagonalized by FFTBR or FWHT)");
    }
  });
}

struct PythonProcess : Counted {
  Process process;

  static Process make(const PythonGram& gram, nb::handle values, nb::handle weights, nb::handle smoothness, double scale,
                      double nugget) {
    const ProductKernel kernel = gram.kernel(weights, smoothness, scale, "FastGaussianProcess");
    const RealArray y = real_array(values, "FastGaussianProcess", "values");
    require_argument(y.ndim() == 1 && y.shape(0) == gram.gram.size(), "FastGaussianProcess: values must have shape (",
                     gram.gram.size(), ",), one per design point");
    KernelScope scope;
    Process::Vector copy("values", gram.gram.size());
    for (std::size_t k = 0; k < copy.extent(0); ++k) copy(k) = y.data()[k];
    return Process(gram.gram, copy, kernel, nugget);
  }

  nb::object negative_log_likelihood(bool with_gradient) const {
    std::vector<double> gradient;
    double value;
    {
      KernelScope scope;
      value = process.negative_log_likelihood(process.kernel(), process.nugget(), with_gradient ? &gradient : nullptr);
    }
    if (!with_gradient) return nb::cast(value);
    return nb::make_tuple(value, nb::cast(gradient));
  }

  nb::dict fit(bool fit_nugget, int max_iterations, double gradient_tolerance) {
    require_argument(max_iterations >= 1, "FastGaussianProcess.fit: max_iterations = ", max_iterations, " must be at least 1");
    require_argument(gradient_tolerance > 0 && std::isfinite(gradient_tolerance), "FastGaussianProcess.fit: gradient_tolerance = ",
                     gradient_tolerance, " must be positive");
    GaussianProcessOptions options;
    options.fit_nugget = fit_nugget;
    options.minimize.max_iterations = max_iterations;
    options.minimize.gradient_tolerance = gradient_tolerance;
    MinimizeResult result;
    {
      KernelScope scope;
      result = process.fit(options);
    }
    nb::dict out;
    out["negative_log_likelihood"] = result.value;
    out["iterations"] = result.iterations;
    out["evaluations"] = result.evaluations;
    out["converged"] = result.converged;
    out["status"] = result.status;
    return out;
  }

  nb::tuple posterior(nb::handle points) const {
    const RealArray z = real_array(points, "FastGaussianProcess.posterior", "points");
    const std::size_t d = process.gram().dimension();
    require_argument(z.ndim() == 2 && z.shape(1) == d, "FastGaussianProcess.posterior: points must have shape (p, ", d, ")");
    const std::size_t p = z.shape(0);
    auto mean = new_array<double>({p}), variance = new_array<double>({p});
    {
      KernelScope scope;
      Process::Matrix copy("points", p, d);
      for (std::size_t k = 0; k < p * d; ++k) copy.data()[k] = z.data()[k];
      const auto result = process.posterior(copy);
      for (std::size_t q = 0; q < p; ++q) mean.data()[q] = result.mean(q), variance.data()[q] = result.variance(q);
    }
    return nb::make_tuple(nb::cast(mean), nb::cast(variance));
  }
};

}  // namespace

void register_kernels(nb::module_& m) {
  using namespace nb::literals;
  nb::class_<PythonGram>(m, "FastGram",
      "The Gram matrix K(x_i, x_l) of the first n points (natural order, n a power of two) of replication\n"
      "`replication` of a Lattice (shift-invariant kernel, diagonalized by FFTBR) or a DigitalNet (none, ds, lms,\n"
      "lms-ds; digitally-shift-invariant kernel, diagonalized by FWHT), in O(n log n) (QMCPy's fast kernels).\n"
      "Kernels are QMCPy's KernelShiftInvar / KernelDigShiftInvar: K(x, z) = scale prod_j (1 + weights_j\n"
      "Ktilde_{smoothness_j}(x_j - z_j mod 1, or x_j xor z_j)), smoothness 1..4. Eigenvalues are\n"
      "lambda = sqrt(n) T(K(., x_0)) with T the orthonormal FFTBR or FWHT, in the transform's order.")
      .def("__init__",
           [](PythonGram* self, nb::handle points, const Integer& n, const Integer& replication) {
             new (self) PythonGram(make_gram(points, unsigned_argument(n, "FastGram", "n"),
                                             unsigned_argument(replication, "FastGram", "replication")));
           },
           "points"_a, "n"_a, "replication"_a = 0)
      .def_prop_ro("n", [](const PythonGram& g) { return g.gram.size(); })
      .def_prop_ro("dimension", [](const PythonGram& g) { return g.gram.dimension(); })
      .def_prop_ro("family", [](const PythonGram& g) { return to_string(g.gram.family()); })
      .def_prop_ro("points", [](const PythonGram& g) { return g.points(false); }, "The design points (n, d) in [0, 1).")
      .def_prop_ro("words", [](const PythonGram& g) { return g.points(true); },
                   "The design points as 64-bit words (n, d), uint64 (QMCPy's return_binary with t = 64).")
      .def("eigenvalues", [](const PythonGram& g, nb::handle w, nb::handle a, double s) { return g.spectrum(w, a, s, false); },
           "weights"_a = 1.0, "smoothness"_a = 2, "scale"_a = 1.0, "The eigenvalues of the Gram matrix (n,).")
      .def("centered_eigenvalues",
           [](const PythonGram& g, nb::handle w, nb::handle a, double s) { return g.spectrum(w, a, s, true); },
           "weights"_a = 1.0, "smoothness"_a = 2, "scale"_a = 1.0,
           "The eigenvalues of K - scale J (J all ones): lambda_0 - scale n exact to rounding, however small.")
      .def("multiply", [](const PythonGram& g, nb::handle l, nb::handle v, double e) { return g.apply(l, v, e, false); },
           "eigenvalues"_a, "values"_a, "nugget"_a = 0.0, "(K + nugget I) v for v of shape (n,) or each row of (m, n).")
      .def("solve", [](const PythonGram& g, nb::handle l, nb::handle v, double e) { return g.apply(l, v, e, true); },
           "eigenvalues"_a, "values"_a, "nugget"_a = 0.0, "(K + nugget I)^-1 v for v of shape (n,) or each row of (m, n).")
      .def("log_determinant", &PythonGram::log_determinant, "eigenvalues"_a, "nugget"_a = 0.0,
           "log det(K + nugget I) = sum_k log(max(lambda_k, 0) + nugget).");

  nb::class_<PythonProcess>(m, "FastGaussianProcess",
      "Fast GP regression on a FastGram's design: f ~ GP(0, K), y_i = f(x_i) + N(0, nugget) noise. The negative\n"
      "log marginal likelihood, its gradient in (log scale, log weights_1..d, log nugget), an L-BFGS fit of\n"
      "those, and the posterior mean and variance of f at new points, all through the fast transforms.")
      .def("__init__",
           [](PythonProcess* self, const PythonGram& gram, nb::handle values, nb::handle weights, nb::handle smoothness,
              double scale, double nugget) {
             new (self) PythonProcess{{}, PythonProcess::make(gram, values, weights, smoothness, scale, nugget)};
           },
           "gram"_a, "values"_a, "weights"_a = 1.0, "smoothness"_a = 2, "scale"_a = 1.0, "nugget"_a = 1e-8)
      .def_prop_ro("scale", [](const PythonProcess& p) { return p.process.kernel().scale; })
      .def_prop_ro("weights", [](const PythonProcess& p) { return p.process.kernel().weights; })
      .def_prop_ro("smoothness", [](const PythonProcess& p) { return p.process.kernel().smoothness; })
      .def_prop_ro("nugget", [](const PythonProcess& p) { return p.process.nugget(); })
      .def("negative_log_likelihood", &PythonProcess::negative_log_likelihood, "gradient"_a = false,
           "NLL = y^T (K + nugget I)^-1 y / 2 + log det(K + nugget I) / 2 + n log(2 pi) / 2 at the current\n"
           "hyperparameters; with gradient=True, (NLL, its gradient in (log scale, log weights, log nugget)).")
      .def("fit", &PythonProcess::fit, "fit_nugget"_a = true, "max_iterations"_a = 200, "gradient_tolerance"_a = 1e-6,
           "Maximizes the marginal likelihood over (log scale, log weights[, log nugget]) by L-BFGS; the process\n"
           "keeps the result. Returns a dict: negative_log_likelihood, iterations, evaluations, converged, status.")
      .def("posterior", &PythonProcess::posterior, "points"_a,
           "(mean, variance) of f at points (p, d) in [0, 1): k(z)^T (K + nugget I)^-1 y and\n"
           "K(z, z) - k(z)^T (K + nugget I)^-1 k(z).");
}

}  // namespace qmcsim::python
