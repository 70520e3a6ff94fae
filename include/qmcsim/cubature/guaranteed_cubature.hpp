// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Guaranteed QMC cubature from the decay of the Fourier (lattices) or Walsh (digital nets)
/// coefficients of one randomization: Jiménez Rugama & Hickernell, "Adaptive multidimensional
/// integration based on rank-1 lattices" (MCQMC 2014) and Hickernell & Jiménez Rugama, "Reliable
/// adaptive cubature using digital sequences" (MCQMC 2014); GAIL's cubLattice_g / cubSobol_g and
/// QMCPy's CubQMCLatticeG / CubQMCNetG.
///
/// With n = 2^m points the discrete coefficients are y_tilde = T(y) / sqrt(n) (T: FFTBR on lattices,
/// FWHT on nets, both orthonormal), the estimate is their 0th, the sample mean. The wavenumbers are
/// put in an order kappa(0..n-1) that approximates decreasing |y_tilde| level by level: for
/// l = m-1 down to 1 and every kappa in [1, 2^l), when |y_tilde(kappa(kappa + 2^l))| >
/// |y_tilde(kappa(kappa))| the entries kappa + a and kappa + 2^l + a are swapped for all a that are
/// multiples of 2^(l+1). After a doubling the order is extended (kappa(k + n/2) = kappa(k) + n/2) and
/// only levels m-1 down to m-r are re-sorted. For integrands in the cone where the coefficients
/// decay steadily (the papers' conditions with lag r = 4 and fudge factor C 2^-m), the error is at
/// most
///   half_width = C 2^-m sum_{kappa = 2^(m-r-1)}^{2^(m-r) - 1} |y_tilde(kappa(kappa))|,
/// and n doubles until the interval [estimate -+ half_width] meets the tolerance in the sense of QMCPy's
/// "EITHER" rule: with tol(s) = max(absolute, relative |s|) and the bounds lo, hi,
///   2 half_width <= tol(lo) + tol(hi),   solution = (lo + hi + tol(lo) - tol(hi)) / 2,
/// which is the plain estimate when the relative tolerance is 0. The guarantee holds for functions in
/// the cone, so the necessary cone conditions are checked (GAIL's form: bounds on the level sums
/// S_l, l >= l* = log2_min_points - r, collected over all doublings, must stay consistent); a violation
/// is reported, and the result is then not guaranteed. Coefficients at the rounding floor (about 1e-16
/// of the integrand's scale) decay no further, so tolerances near that floor report violations for
/// any integrand.
///
/// Lattices need periodic integrands: QMCPy's default, the tent (Baker) transform, is the default here.
///
/// Control variates h_1..h_J with known means mu_j (QMCPy's control_variates, with its fit): at the
/// first n = 2^m0 points the coefficients of f are ordered as above, and beta minimizes
///   sum_{k = 2^(m0-r-1)}^{n-1} |y_tilde_f(kappa(k)) - sum_j beta_j y_tilde_{h_j}(kappa(k))|^2
/// (real beta; the high wavenumbers, where the error lives). From then on the algorithm runs on
///   g = f - sum_j beta_j (h_j - mu_j),
/// which has f's integral and, for a good h, far smaller coefficients. On nets this is QMCPy's
/// computation; on lattices QMCPy fits a complex beta to the complex coefficients.
///
///   const auto result = guaranteed_cubature(lattice, Keister{4}, {1e-3});   // lattice: 1 replication
///   guaranteed_cubature(net, arithmetic, options, ControlVariate<G>{geometric, geometric_price});

#include <Kokkos_Core.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include "qmcsim/core/execution.hpp"
#include "qmcsim/core/least_squares.hpp"
#include "qmcsim/cubature/bayesian_cubature.hpp"
#include "qmcsim/cubature/integrand.hpp"
#include "qmcsim/transforms/fftbr.hpp"
#include "qmcsim/transforms/fwht.hpp"

namespace qmcsim {

/// The tolerances, sizes and cone parameters of guaranteed_cubature.
struct GuaranteedCubatureOptions {
  double absolute_tolerance = 1e-2;  ///< the error bound to reach
  double relative_tolerance = 0;     ///< or this fraction of |estimate| (QMCPy's "EITHER" rule)
  int log2_min_points = 10;  ///< QMCPy's n_init = 2^10 (at least lag + 4)
  int log2_max_points = 20;  ///< the most points used
  int lag = 4;               ///< r
  double fudge = 5;          ///< C in the fudge factor C 2^-m
  Periodization periodization = Periodization::automatic;  ///< automatic: baker on lattices, none on nets
  bool check_cone = true;  ///< check the cone's necessary conditions (and report violations)
};

/// One doubling of guaranteed_cubature.
struct GuaranteedCubatureStep {
  std::uint64_t points = 0;  ///< n of this step
  double estimate = 0;       ///< the sample mean
  double half_width = 0;     ///< the error bound
  double seconds = 0;  ///< since the start of the run
};

/// What guaranteed_cubature returns: the last step's estimate and bound, and every step.
struct GuaranteedCubatureResult {
  double estimate = 0;         ///< the solution of the "EITHER" rule (the sample mean without a relative tolerance)
  double half_width = 0;       ///< the error bound
  std::uint64_t points = 0;    ///< integrand evaluations per control variate and f
  bool met_tolerance = false;  ///< the bound met the tolerance
  bool cone_violated = false;  ///< a necessary condition of the cone failed: the bound is not guaranteed
  std::vector<GuaranteedCubatureStep> steps;         ///< one per doubling
  std::vector<double> control_variate_coefficients;  ///< beta, one per control variate
};

/// A control variate: an integrand h (the integrand contract) whose integral `mean` is known.
template <class Integrand>
struct ControlVariate {
  Integrand h;  ///< the integrand h_j
  double mean;  ///< its known integral mu_j
};

namespace detail {

void check_guaranteed_cubature(const GuaranteedCubatureOptions& options, std::size_t replications,
                               std::uint64_t max_points);

/// The wavenumber order kappa of the file comment and the cone bookkeeping, on the host.
class CoefficientOrder {
 public:
  CoefficientOrder(int log2_min_points, int lag, double fudge) : m0_(log2_min_points), lag_(lag), fudge_(fudge) {}

  /// Takes |y_tilde| for n = 2^m points (m = log2_min_points, then one more at every call) and
  /// returns the half-width C 2^-m sum of the lagged level; updates the cone check.
  double update(const std::vector<double>& magnitude, bool check_cone);
  bool cone_violated() const { return violated_; }
  /// kappa(k): the wavenumber in position k.
  const std::vector<std::uint64_t>& order() const { return order_; }

 private:
  void sort_levels(const std::vector<double>& magnitude, int m, int from, int down_to);
  double level_sum(const std::vector<double>& magnitude, std::uint64_t begin, std::uint64_t end) const;

  int m0_, lag_;
  double fudge_;
  std::vector<std::uint64_t> order_;
  std::vector<double> cone_low_, cone_up_;  ///< bounds on S_l, l = l* + index
  bool violated_ = false;
};

/// tol(s) = max(absolute, relative |s|).
inline double either_tolerance(double s, double absolute, double relative) {
  return std::max(absolute, relative * std::abs(s));
}

/// The orthonormal transform (FFTBR on a lattice, else the FWHT) of `rows` on `space`, copied to the
/// host after a fence of `space` alone.
template <class ExecSpace>
typename ComplexRows<typename ExecSpace::memory_space>::host_mirror_type transformed_on_host(
    const ExecSpace& space, const ComplexRows<typename ExecSpace::memory_space>& rows, bool lattice) {
  if (lattice) FftbrPlan<ExecSpace>(rows.extent(1), rows.extent(0), PlanningEffort::estimate).fftbr(space, rows);
  else FwhtPlan<ExecSpace, Kokkos::complex<double>>(rows.extent(1), rows.extent(0)).transform(space, rows);
  const auto host = Kokkos::create_mirror_view(rows);
  Kokkos::deep_copy(space, host, rows);
  space.fence();
  return host;
}

/// rows(0, i) = values(i) for i < n. A function of its own: nvcc forbids an extended lambda inside a
/// function template whose arguments include a local (lambda) type, as the doubling loop's do.
template <class ExecSpace, class Memory>
void copy_into_complex_row(const ExecSpace& space, const Kokkos::View<double*, Kokkos::LayoutRight, Memory>& values,
                           const ComplexRows<Memory>& rows, std::uint64_t n) {
  Kokkos::parallel_for("qmcsim::guaranteed_cubature::copy",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(n)),
                       KOKKOS_LAMBDA(std::int64_t i) { rows(0, i) = values(i); });
}

template <class Memory>
using VariateValues = Kokkos::View<double**, Kokkos::LayoutRight, Memory>;

/// beta of the file comment from the first n values of f and of the J control variates.
template <class ExecSpace, class Memory>
std::vector<double> fit_control_variates(const ExecSpace& space, const Kokkos::View<double*, Kokkos::LayoutRight, Memory>& values,
                                         const VariateValues<Memory>& variates, std::uint64_t n, bool lattice,
                                         const GuaranteedCubatureOptions& options) {
  const std::size_t J = variates.extent(0);
  ComplexRows<Memory> rows(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::guaranteed_cubature::variate_coefficients"),
                           J + 1, n);
  Kokkos::parallel_for("qmcsim::guaranteed_cubature::copy_variates",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(n)),
                       KOKKOS_LAMBDA(std::int64_t i) {
                         rows(0, i) = values(i);
                         for (std::size_t j = 0; j < J; ++j) rows(j + 1, i) = variates(j, i);
                       });
  const auto host = transformed_on_host(space, rows, lattice);
  std::vector<double> magnitude(n);
  for (std::uint64_t k = 0; k < n; ++k) magnitude[k] = Kokkos::abs(host(0, k));
  CoefficientOrder order(options.log2_min_points, options.lag, options.fudge);
  order.update(magnitude, false);
  // rows of the fit: the real and imaginary parts of the wavenumbers kappa(k), k >= 2^(m0-r-1)
  std::vector<double> x, y;
  for (std::uint64_t k = std::uint64_t{1} << (options.log2_min_points - options.lag - 1); k < n; ++k) {
    const std::uint64_t kappa = order.order()[k];
    for (int part = 0; part < (lattice ? 2 : 1); ++part) {
      y.push_back(part == 0 ? host(0, kappa).real() : host(0, kappa).imag());
      for (std::size_t j = 0; j < J; ++j) x.push_back(part == 0 ? host(j + 1, kappa).real() : host(j + 1, kappa).imag());
    }
  }
  return least_squares(x, J, y);
}

/// values(i) -= sum_j beta_j (variates(j, i) - mean_j) for i in range.
template <class ExecSpace, class Memory>
void subtract_control_variates(const ExecSpace& space, const Kokkos::View<double*, Kokkos::LayoutRight, Memory>& values,
                               const VariateValues<Memory>& variates, const std::vector<double>& beta,
                               const std::vector<double>& means, const IndexRange& range) {
  Kokkos::View<double*, Kokkos::LayoutRight, Kokkos::HostSpace> host("qmcsim::guaranteed_cubature::beta", 2 * beta.size());
  for (std::size_t j = 0; j < beta.size(); ++j) host(2 * j) = beta[j], host(2 * j + 1) = means[j];
  const auto shift = copy_to_space(space, "qmcsim::guaranteed_cubature::beta", host);
  const std::size_t J = beta.size();
  Kokkos::parallel_for("qmcsim::guaranteed_cubature::subtract_variates",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, static_cast<std::int64_t>(range.begin),
                                                                                       static_cast<std::int64_t>(range.end)),
                       KOKKOS_LAMBDA(std::int64_t i) {
                         double sum = values(i);
                         for (std::size_t j = 0; j < J; ++j) sum -= shift(2 * j) * (variates(j, i) - shift(2 * j + 1));
                         values(i) = sum;
                       });
}

/// The doubling loop of guaranteed_cubature; `evaluate(range, values, variates, periodization)` writes
/// the periodized integrand at the points of `range` into values(range.begin) .. values(range.end - 1),
/// and control variate j into variates(j, range.begin) .. (one row per entry of variate_means).
template <class Generator, class Evaluate>
GuaranteedCubatureResult guaranteed_cubature_by_doubling(const typename Generator::execution_space& space,
                                                         const Generator& generator, const GuaranteedCubatureOptions& options,
                                                         const Evaluate& evaluate,
                                                         const std::vector<double>& variate_means = {}) {
  using ExecSpace = typename Generator::execution_space;
  using Memory = typename ExecSpace::memory_space;
  const bool lattice = kernel_family_of(generator) == KernelFamily::shift_invariant;
  check_guaranteed_cubature(options, generator.replications(), generator.max_points());
  check_fast_structure(generator, std::uint64_t{1} << options.log2_min_points);
  Periodization periodization = options.periodization;
  if (periodization == Periodization::automatic) periodization = lattice ? Periodization::baker : Periodization::none;
  require(lattice || periodization == Periodization::none, "guaranteed_cubature: digital nets need no periodization");

  for (double mean : variate_means) require_finite("guaranteed_cubature", "a control variate's mean", mean);
  Kokkos::View<double*, Kokkos::LayoutRight, Memory> values(
      Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::guaranteed_cubature::values"),
      std::uint64_t{1} << options.log2_min_points);
  VariateValues<Memory> variates(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::guaranteed_cubature::variates"),
                                 variate_means.size(), std::uint64_t{1} << options.log2_min_points);
  CoefficientOrder order(options.log2_min_points, options.lag, options.fudge);
  GuaranteedCubatureResult result;
  std::uint64_t evaluated = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int m = options.log2_min_points; m <= options.log2_max_points; ++m) {
    const std::uint64_t n = std::uint64_t{1} << m;
    values = grown_keeping(space, values, evaluated, n);
    variates = grown_keeping(space, variates, evaluated, n);
    evaluate(IndexRange{evaluated, n}, values, variates, periodization);
    if (!variate_means.empty()) {
      if (m == options.log2_min_points) {
        result.control_variate_coefficients = fit_control_variates(space, values, variates, n, lattice, options);
      }
      subtract_control_variates(space, values, variates, result.control_variate_coefficients, variate_means,
                                IndexRange{evaluated, n});
    }
    evaluated = n;

    // y_tilde = T(y) / sqrt(n): FFTBR of the lattice values, FWHT of the net values
    ComplexRows<Memory> rows(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::guaranteed_cubature::coefficients"),
                             1, n);
    copy_into_complex_row(space, values, rows, n);
    const auto host = transformed_on_host(space, rows, lattice);
    const double scale = 1 / std::sqrt(static_cast<double>(n));
    std::vector<double> magnitude(n);
    for (std::uint64_t k = 0; k < n; ++k) magnitude[k] = Kokkos::abs(host(0, k)) * scale;

    GuaranteedCubatureStep step;
    step.points = n;
    step.half_width = order.update(magnitude, options.check_cone);
    const double mean = host(0, 0).real() * scale;
    const double lo = mean - step.half_width, hi = mean + step.half_width;
    const double tol_lo = either_tolerance(lo, options.absolute_tolerance, options.relative_tolerance);
    const double tol_hi = either_tolerance(hi, options.absolute_tolerance, options.relative_tolerance);
    step.estimate = (lo + hi + tol_lo - tol_hi) / 2;
    step.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.steps.push_back(step);
    result.estimate = step.estimate;
    result.half_width = step.half_width;
    result.points = n;
    result.cone_violated = order.cone_violated();
    if (std::isfinite(step.half_width) && 2 * step.half_width <= tol_lo + tol_hi) {
      result.met_tolerance = true;
      break;
    }
  }
  return result;
}

}  // namespace detail

/// Guaranteed cubature of f over [0,1)^d on a Lattice (natural order, one replication) or a
/// DigitalNet (natural or Gray order, one replication), with any number of control variates. Its
/// kernels and transforms run on the instance `space`, the only one it waits for (core/execution.hpp).
template <class Generator, class Integrand, class... Variates>
GuaranteedCubatureResult guaranteed_cubature(const typename Generator::execution_space& space, const Generator& generator,
                                             const Integrand& f, const GuaranteedCubatureOptions& options = {},
                                             const ControlVariate<Variates>&... variates) {
  detail::check_integrand_dimension("guaranteed_cubature", f, generator.dimension());
  (detail::check_integrand_dimension("guaranteed_cubature: control variate", variates.h, generator.dimension()), ...);
  return detail::guaranteed_cubature_by_doubling(
      space, generator, options,
      [&](const IndexRange& range, const auto& values, const auto& variate_values, Periodization periodization) {
        detail::evaluate_periodized(space, generator.generate(space, range), values, range.begin, f, periodization);
        // each control variate at the same points, generated again: evaluate_periodized maps them in place
        [[maybe_unused]] std::size_t j = 0;  // unused when there are no control variates
        ((detail::evaluate_periodized(space, generator.generate(space, range), Kokkos::subview(variate_values, j++, Kokkos::ALL),
                                      range.begin, variates.h, periodization)),
         ...);
      },
      std::vector<double>{variates.mean...});
}
/// guaranteed_cubature on the default instance.
template <class Generator, class Integrand, class... Variates>
GuaranteedCubatureResult guaranteed_cubature(const Generator& generator, const Integrand& f,
                                             const GuaranteedCubatureOptions& options = {},
                                             const ControlVariate<Variates>&... variates) {
  return guaranteed_cubature(typename Generator::execution_space(), generator, f, options, variates...);
}

}  // namespace qmcsim
