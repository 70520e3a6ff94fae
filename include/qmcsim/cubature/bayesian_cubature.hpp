// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Fast Bayesian cubature (Jagadeeswaran & Hickernell 2019; QMCPy's CubBayesLatticeG/NetG):
/// lattice points with a shift-invariant kernel, or digital-net points with a digitally-shift-invariant
/// kernel, so that every step costs O(n log n).
///
/// Model: f ~ GP(m, s^2 K_gamma) with K_gamma = prod_j (1 + gamma_j Ktilde_alpha) (unit scale, so
/// int K(x, t) dt = 1). With the orthonormal transform y_hat = T y and the eigenvalues lambda_k of
/// K_gamma (+ a small nugget), the mean m and scale s^2 are profiled out:
///   m_hat = y_hat_0 / sqrt(n) (the sample mean),   s_hat^2 = (1/n) sum_{k >= 1} |y_hat_k|^2 / lambda_k,
/// and the weights gamma minimize  L(gamma) = n/2 log s_hat^2 + 1/2 sum_k log lambda_k  (L-BFGS on
/// log gamma within [min_weight, max_weight], analytic gradient). The posterior of mu = int f is
/// then normal with
///   mean mu_hat = m_hat,   variance s_hat^2 (lambda_0 / n - 1),
/// where lambda_0 / n - 1 is the squared worst-case error of the rule in the kernel's space, and the
/// credible interval is mu_hat +- z_{(1+confidence)/2} s_hat sqrt(lambda_0 / n - 1). n doubles from
/// 2^min to 2^max until the half-width meets max(absolute_tolerance, relative_tolerance |mu_hat|),
/// evaluating f only at the new points.
///
/// lambda_0 / n - 1 is computed as the centered eigenvalue (lambda_0 - n) / n of FastGram, from
/// K - 1, never as a difference of numbers near 1 (which cancelled to 0 once the fitted weights were
/// small). A step whose fit put every weight on its lower bound has a kernel too flat to bound the
/// error (the model then calls f nearly constant); such a step, or one with a half-width that is not
/// positive and finite, never counts as meeting the tolerance.
///
/// Lattices need periodic integrands. The default (Periodization::automatic) is QMCPy's: the C1-sine
/// change of variables x = u - sin(2 pi u) / (2 pi), Jacobian 1 - cos(2 pi u), with a kernel of
/// smoothness 2; the tent (Baker) transform x = 1 - |2u - 1| makes any f continuous and periodic but
/// no smoother (pair it with smoothness 1). Digital nets need no periodization; their default
/// smoothness is 1.

#include <Kokkos_Core.hpp>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "qmcsim/core/execution.hpp"
#include "qmcsim/core/minimize.hpp"
#include "qmcsim/core/normal.hpp"
#include "qmcsim/core/reduce.hpp"
#include "qmcsim/cubature/integrand.hpp"
#include "qmcsim/kernels/fast_gram.hpp"
#include "qmcsim/kernels/gaussian_process.hpp"

namespace qmcsim {

/// The change of variables that makes an integrand periodic for a lattice (see the file comment).
enum class Periodization {
  automatic,  ///< the cubature's default for the point set
  none,       ///< f as given
  baker,      ///< the tent transform x = 1 - |2u - 1|
  c1sin       ///< x = u - sin(2 pi u) / (2 pi), Jacobian 1 - cos(2 pi u)
};

/// Parses "automatic", "none", "baker" and "c1sin"; throws qmcsim::error otherwise.
Periodization parse_periodization(const std::string& text);

/// The tolerances, sizes, kernel and fit of bayesian_cubature.
struct BayesianCubatureOptions {
  double absolute_tolerance = 1e-3;  ///< the half-width to reach
  double relative_tolerance = 0;     ///< or this fraction of |estimate|, whichever is larger
  int log2_min_points = 8;           ///< the first step's 2^m points
  int log2_max_points = 20;          ///< the most points used
  double confidence = 0.99;          ///< of the credible interval
  int smoothness = 0;  ///< alpha of the kernel in every coordinate (1..4); 0: 2 on lattices, 1 on nets
  Periodization periodization = Periodization::automatic;  ///< automatic: c1sin on lattices, none on nets
  double nugget = 1e-10;  ///< added to the unit-scale eigenvalues for stability
  /// The fitted weights stay in [min_weight, max_weight]; the lower bound is far above the nugget so
  /// that the kernel's eigenvalues are never lost in it.
  double min_weight = 1e-4;
  double max_weight = 1e4;  ///< the upper bound on the fitted weights
  /// the interval needs the weights only roughly: a loose, warm-started fit at every doubling
  MinimizeOptions minimize{50, 1e-4};
};

/// One doubling of bayesian_cubature.
struct BayesianCubatureStep {
  std::uint64_t points = 0;  ///< n of this step
  double estimate = 0;       ///< the posterior mean
  double half_width = 0;     ///< of the credible interval at the options' confidence
  std::vector<double> weights;  ///< the fitted gamma
  bool fit_at_lower_bound = false;  ///< every weight ended on min_weight: the half-width is not trusted
  double seconds = 0;           ///< since the start of the run
};

/// What bayesian_cubature returns: the last step's estimate and interval, and every step.
struct BayesianCubatureResult {
  double estimate = 0;                      ///< the posterior mean of the integral
  double half_width = 0;                    ///< of the credible interval
  std::uint64_t points = 0;                 ///< integrand evaluations
  bool met_tolerance = false;               ///< a trusted step met the tolerance (see the file comment)
  std::vector<BayesianCubatureStep> steps;  ///< one per doubling
};

namespace detail {

/// A transformed coordinate kept in the open interval (0, 1), where integrands such as Phi^{-1}-based
/// ones are finite; the Jacobian makes the moved end points' weight vanish anyway.
KOKKOS_INLINE_FUNCTION double keep_inside_unit_interval(double x) {
  return x < 0x1p-1022 ? 0x1p-1022 : (x > 1 - 0x1p-53 ? 1 - 0x1p-53 : x);
}

void check_bayesian_cubature(const BayesianCubatureOptions& options, KernelFamily family, std::size_t replications,
                             std::uint64_t max_points);

/// The options with `automatic` periodization and smoothness 0 resolved for the kernel family.
BayesianCubatureOptions resolved(BayesianCubatureOptions options, KernelFamily family);

/// Maps the point x[0..d) in place by the periodization Phi and returns its Jacobian prod_j Phi'(u_j).
KOKKOS_INLINE_FUNCTION double periodize_point(double* x, std::size_t d, Periodization periodization) {
  double jacobian = 1;
  for (std::size_t j = 0; j < d; ++j) {
    const double u = x[j];
    if (periodization == Periodization::baker) {
      x[j] = keep_inside_unit_interval(1 - ::fabs(2 * u - 1));
    } else if (periodization == Periodization::c1sin) {
      // x = u - sin(2 pi u) / (2 pi), symmetric about 1/2; near the ends by its series to avoid cancellation
      const double near = u <= 0.5 ? u : 1 - u;
      const double theta = 2 * M_PI * near, t2 = theta * theta;
      const double part = theta < 0.25 ? theta * t2 / 6 * (1 - t2 / 20 * (1 - t2 / 42 * (1 - t2 / 72))) : theta - ::sin(theta);
      const double v = part / (2 * M_PI);
      x[j] = keep_inside_unit_interval(u <= 0.5 ? v : 1 - v);
      const double half = ::sin(M_PI * u);
      jacobian *= 2 * half * half;  // 1 - cos(2 pi u)
    }
  }
  return jacobian;
}

/// f(Phi(u)) prod_j Phi'(u_j) at every row of `points` (replication 0), into `values` from `offset`.
template <class ExecSpace, class Points, class Values, class Integrand>
void evaluate_periodized(const ExecSpace& space, const Points& points, const Values& values, std::size_t offset,
                         const Integrand& f, Periodization periodization) {
  const std::size_t d = points.extent(2);
  check_integrand_dimension("bayesian_cubature", f, d);
  Kokkos::parallel_for(
      "qmcsim::bayesian_cubature::evaluate",
      Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(points.extent(1))),
      KOKKOS_LAMBDA(std::int64_t i) {
        double* x = &points(0, i, 0);
        const double jacobian = periodize_point(x, d, periodization);
        values(offset + i) = f(x) * jacobian;
      });
}

/// q_k = lambda_k (clipped at 0) + nugget, the eigenvalues of the regularized unit-scale Gram matrix,
/// from the centered eigenvalues (lambda_0 - n in entry 0).
template <class ExecSpace, class Eigenvalues>
Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space> regularized(const ExecSpace& space,
                                                                                         const Eigenvalues& centered,
                                                                                         double nugget) {
  const std::size_t n = centered.extent(0);
  Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space> q(
      Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::bayesian_cubature::q"), n);
  Kokkos::parallel_for("qmcsim::bayesian_cubature::q",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(n)),
                       KOKKOS_LAMBDA(std::int64_t k) {
                         q(k) = (k == 0 ? static_cast<double>(n) : 0.0) + detail::clipped(centered(k)) + nugget;
                       });
  return q;
}

/// The weights from the optimizer's variables x_j = log gamma_j, held in [lo, hi] (the derivative
/// is 0 outside, so the optimizer stops at a bound).
struct BoundedLogWeight {
  double lo, hi;
  double value(double x) const { return std::exp(std::max(std::log(lo), std::min(std::log(hi), x))); }
  double derivative_factor(double x) const { return x < std::log(lo) || x > std::log(hi) ? 0.0 : 1.0; }
};

/// s_hat^2 = (1/n) sum_{k >= 1} |y_hat_k|^2 / q_k.
template <class ExecSpace, class Power, class Regularized>
double profiled_scale(const ExecSpace& space, const Power& power, const Regularized& q) {
  const std::size_t n = q.extent(0);
  return sum(space, n, KOKKOS_LAMBDA(std::int64_t k) { return k == 0 ? 0.0 : power(k) / q(k); }) / n;
}

/// The profiled criterion L(gamma) and its gradient in log gamma (see the file comment).
template <class ExecSpace>
double profiled_likelihood(const ExecSpace& space, const FastGram<ExecSpace>& gram, const ProductKernel& kernel, double nugget,
                           const Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space>& power,
                           std::vector<double>* gradient) {
  const std::size_t n = gram.size();
  const auto q = regularized(space, gram.centered_eigenvalues(space, kernel), nugget);
  const double s2 = profiled_scale(space, power, q);
  const double log_det = sum(space, n, KOKKOS_LAMBDA(std::int64_t k) { return ::log(q(k)); });
  if (gradient) {
    const auto derivatives = gram.weight_derivatives(space, kernel);
    gradient->assign(kernel.dimension(), 0.0);
    for (std::size_t j = 0; j < kernel.dimension(); ++j) {
      const double ds2 = -sum(space, n, KOKKOS_LAMBDA(std::int64_t k) {
        return k == 0 ? 0.0 : power(k) * derivatives(j, k) / (q(k) * q(k));
      }) / n;
      const double dlog_det = sum(space, n, KOKKOS_LAMBDA(std::int64_t k) { return derivatives(j, k) / q(k); });
      (*gradient)[j] = 0.5 * n * ds2 / s2 + 0.5 * dlog_det;
    }
  }
  return 0.5 * n * std::log(s2) + 0.5 * log_det;
}

/// The doubling loop of bayesian_cubature on the instance `space`; `evaluate(range, values)` writes
/// the periodized integrand at the points of `range` into values(range.begin) .. values(range.end - 1)
/// (queued on `space`, or gathered from MPI ranks).
template <class Generator, class Evaluate>
BayesianCubatureResult bayesian_cubature_by_doubling(const typename Generator::execution_space& space,
                                                     const Generator& generator, const BayesianCubatureOptions& given,
                                                     const Evaluate& evaluate) {
  using ExecSpace = typename Generator::execution_space;
  using Vector = Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space>;
  using Matrix = Kokkos::View<double**, Kokkos::LayoutRight, typename ExecSpace::memory_space>;
  const std::size_t d = generator.dimension();
  const BayesianCubatureOptions options = resolved(given, kernel_family_of(generator));
  detail::check_bayesian_cubature(options, kernel_family_of(generator), generator.replications(), generator.max_points());
  // grown with n (contents kept): a run that meets its tolerance early never holds 2^log2_max_points values
  Vector values(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::bayesian_cubature::values"),
                std::uint64_t{1} << options.log2_min_points);
  ProductKernel kernel;
  kernel.weights.assign(d, 1.0);
  kernel.smoothness.assign(d, options.smoothness);
  const BoundedLogWeight bounds{options.min_weight, options.max_weight};
  const double z = normal_quantile(0.5 + options.confidence / 2);

  BayesianCubatureResult result;
  std::uint64_t evaluated = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int m = options.log2_min_points; m <= options.log2_max_points; ++m) {
    const std::uint64_t n = std::uint64_t{1} << m;
    const FastGram<ExecSpace> gram(generator, n, 0);
    kernel.family = gram.family();
    values = grown_keeping(space, values, evaluated, n);
    evaluate(IndexRange{evaluated, n}, values);
    evaluated = n;

    const Vector y = Kokkos::subview(values, std::make_pair(std::uint64_t{0}, n));
    const auto hat = gram.transform(space, Matrix(y.data(), 1, n));
    const auto power = detail::power_spectrum(space, hat);
    std::vector<double> start;
    for (double w : kernel.weights) start.push_back(std::log(w));
    const Objective objective = [&](const std::vector<double>& x, std::vector<double>& gradient) {
      ProductKernel trial = kernel;
      for (std::size_t j = 0; j < d; ++j) trial.weights[j] = bounds.value(x[j]);
      const double value = detail::profiled_likelihood(space, gram, trial, options.nugget, power, &gradient);
      for (std::size_t j = 0; j < d; ++j) gradient[j] *= bounds.derivative_factor(x[j]);
      return value;
    };
    const MinimizeResult fit = minimize(objective, start, options.minimize);
    bool at_lower_bound = true;
    for (std::size_t j = 0; j < d; ++j) {
      kernel.weights[j] = bounds.value(fit.x[j]);
      at_lower_bound = at_lower_bound && kernel.weights[j] <= 1.01 * options.min_weight;
    }

    const auto centered = gram.centered_eigenvalues(space, kernel);
    const double s2 = profiled_scale(space, power, regularized(space, centered, options.nugget));
    double excess = 0;  // lambda_0 - n
    Kokkos::complex<double> mean_component;
    Kokkos::deep_copy(space, excess, Kokkos::subview(centered, 0));
    Kokkos::deep_copy(space, mean_component, Kokkos::subview(hat, 0, 0));
    space.fence();
    const double worst_case = std::max(excess, 0.0) / static_cast<double>(n);  // lambda_0 / n - 1
    BayesianCubatureStep step;
    step.points = n;
    step.estimate = mean_component.real() / std::sqrt(static_cast<double>(n));
    step.half_width = z * std::sqrt(s2 * worst_case);
    step.weights = kernel.weights;
    step.fit_at_lower_bound = at_lower_bound;
    step.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.steps.push_back(step);
    result.estimate = step.estimate;
    result.half_width = step.half_width;
    result.points = n;
    const bool trusted = !at_lower_bound && step.half_width > 0 && std::isfinite(step.half_width);
    if (trusted && step.half_width <= std::max(options.absolute_tolerance, options.relative_tolerance * std::abs(step.estimate))) {
      result.met_tolerance = true;
      break;
    }
  }
  return result;
}

}  // namespace detail

/// Bayesian cubature of f over [0,1)^d on a Lattice (shift-invariant kernel) or DigitalNet
/// (digitally-shift-invariant kernel) with one replication. Its kernels run on the instance `space`,
/// the only one it waits for (core/execution.hpp); each doubling's fast Gram matrix is planned on the
/// default instance.
template <class Generator, class Integrand>
BayesianCubatureResult bayesian_cubature(const typename Generator::execution_space& space, const Generator& generator,
                                         const Integrand& f, const BayesianCubatureOptions& options = {}) {
  const Periodization periodization = detail::resolved(options, detail::kernel_family_of(generator)).periodization;
  return detail::bayesian_cubature_by_doubling(space, generator, options, [&](const IndexRange& range, const auto& values) {
    detail::evaluate_periodized(space, generator.generate(space, range), values, range.begin, f, periodization);
  });
}
/// bayesian_cubature on the default instance.
template <class Generator, class Integrand>
BayesianCubatureResult bayesian_cubature(const Generator& generator, const Integrand& f,
                                         const BayesianCubatureOptions& options = {}) {
  return bayesian_cubature(typename Generator::execution_space(), generator, f, options);
}

}  // namespace qmcsim
