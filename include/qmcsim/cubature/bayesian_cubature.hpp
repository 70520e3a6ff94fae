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
/// log gamma, analytic gradient). The posterior of mu = int f is then normal with
///   mean mu_hat = m_hat,   variance s_hat^2 (lambda_0 / n - 1),
/// where lambda_0 / n - 1 is the squared worst-case error of the rule in the kernel's space, and the
/// credible interval is mu_hat +- z_{(1+confidence)/2} s_hat sqrt(lambda_0 / n - 1). n doubles from
/// 2^min to 2^max until the half-width meets max(absolute_tolerance, relative_tolerance |mu_hat|),
/// evaluating f only at the new points.
///
/// Lattices need periodic integrands: the default tent (Baker) transform x = 1 - |2u - 1| makes any f
/// continuous and periodic with the same integral (pair it with smoothness 1); the C1-sine change of
/// variables x = u - sin(2 pi u) / (2 pi), Jacobian 1 - cos(2 pi u), gives a smoother periodic
/// integrand but a large Jacobian in high dimensions.

#include <Kokkos_Core.hpp>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "qmcsim/core/minimize.hpp"
#include "qmcsim/core/normal.hpp"
#include "qmcsim/core/reduce.hpp"
#include "qmcsim/kernels/fast_gram.hpp"
#include "qmcsim/kernels/gaussian_process.hpp"

namespace qmcsim {

enum class Periodization { none, baker, c1sin };

Periodization parse_periodization(const std::string& text);

struct BayesianCubatureOptions {
  double absolute_tolerance = 1e-3;
  double relative_tolerance = 0;
  int log2_min_points = 8;
  int log2_max_points = 20;
  double confidence = 0.99;
  int smoothness = 1;  ///< alpha of the kernel in every coordinate (1..4)
  Periodization periodization = Periodization::baker;  ///< lattices; digital nets use none
  double nugget = 1e-10;  ///< added to the unit-scale eigenvalues for stability
  /// the interval needs the weights only roughly: a loose, warm-started fit at every doubling
  MinimizeOptions minimize{50, 1e-4};
};

struct BayesianCubatureStep {
  std::uint64_t points = 0;
  double estimate = 0, half_width = 0;
  std::vector<double> weights;  ///< the fitted gamma
  double seconds = 0;           ///< since the start of the run
};

struct BayesianCubatureResult {
  double estimate = 0, half_width = 0;
  std::uint64_t points = 0;
  bool met_tolerance = false;
  std::vector<BayesianCubatureStep> steps;
};

namespace detail {

/// A transformed coordinate kept in the open interval (0, 1), where integrands such as Phi^{-1}-based
/// ones are finite; the Jacobian makes the moved end points' weight vanish anyway.
KOKKOS_INLINE_FUNCTION double keep_inside_unit_interval(double x) {
  return x < 0x1p-1022 ? 0x1p-1022 : (x > 1 - 0x1p-53 ? 1 - 0x1p-53 : x);
}

void check_bayesian_cubature(const BayesianCubatureOptions& options, KernelFamily family, std::size_t replications,
                             std::uint64_t max_points);

/// f(Phi(u)) prod_j Phi'(u_j) at every row of `points` (replication 0), into `values` from `offset`.
template <class ExecSpace, class Points, class Values, class Integrand>
void evaluate_periodized(const Points& points, const Values& values, std::size_t offset, const Integrand& f,
                         Periodization periodization) {
  const std::size_t d = points.extent(2);
  Kokkos::parallel_for(
      "qmcsim::bayesian_cubature::evaluate",
      Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(0, static_cast<std::int64_t>(points.extent(1))),
      KOKKOS_LAMBDA(std::int64_t i) {
        double* x = &points(0, i, 0);
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
        values(offset + i) = f(x) * jacobian;
      });
}

/// q_k = lambda_k (clipped at 0) + nugget, the eigenvalues of the regularized unit-scale Gram matrix.
template <class ExecSpace, class Eigenvalues>
Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space> regularized(const Eigenvalues& lambda,
                                                                                         double nugget) {
  const std::size_t n = lambda.extent(0);
  Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space> q(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "qmcsim::bayesian_cubature::q"), n);
  Kokkos::parallel_for("qmcsim::bayesian_cubature::q",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(0, static_cast<std::int64_t>(n)),
                       KOKKOS_LAMBDA(std::int64_t k) { q(k) = detail::clipped(lambda(k)) + nugget; });
  return q;
}

/// s_hat^2 = (1/n) sum_{k >= 1} |y_hat_k|^2 / q_k.
template <class ExecSpace, class Power, class Regularized>
double profiled_scale(const Power& power, const Regularized& q) {
  const std::size_t n = q.extent(0);
  return sum<ExecSpace>(n, KOKKOS_LAMBDA(std::int64_t k) { return k == 0 ? 0.0 : power(k) / q(k); }) / n;
}

/// The profiled criterion L(gamma) and its gradient in log gamma (see the file comment).
template <class ExecSpace>
double profiled_likelihood(const FastGram<ExecSpace>& gram, const ProductKernel& kernel, double nugget,
                           const Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space>& power,
                           std::vector<double>* gradient) {
  const std::size_t n = gram.size();
  const auto q = regularized<ExecSpace>(gram.eigenvalues(kernel), nugget);
  const double s2 = profiled_scale<ExecSpace>(power, q);
  const double log_det = sum<ExecSpace>(n, KOKKOS_LAMBDA(std::int64_t k) { return ::log(q(k)); });
  if (gradient) {
    const auto derivatives = gram.weight_derivatives(kernel);
    gradient->assign(kernel.dimension(), 0.0);
    for (std::size_t j = 0; j < kernel.dimension(); ++j) {
      const double ds2 = -sum<ExecSpace>(n, KOKKOS_LAMBDA(std::int64_t k) {
        return k == 0 ? 0.0 : power(k) * derivatives(j, k) / (q(k) * q(k));
      }) / n;
      const double dlog_det = sum<ExecSpace>(n, KOKKOS_LAMBDA(std::int64_t k) { return derivatives(j, k) / q(k); });
      (*gradient)[j] = 0.5 * n * ds2 / s2 + 0.5 * dlog_det;
    }
  }
  return 0.5 * n * std::log(s2) + 0.5 * log_det;
}

/// The doubling loop of bayesian_cubature; `evaluate(range, values)` writes the periodized integrand
/// at the points of `range` into values(range.begin) .. values(range.end - 1) (computed here or
/// gathered from MPI ranks).
template <class Generator, class Evaluate>
BayesianCubatureResult bayesian_cubature_by_doubling(const Generator& generator, const BayesianCubatureOptions& options,
                                                     const Evaluate& evaluate) {
  using ExecSpace = typename Generator::execution_space;
  using Vector = Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space>;
  using Matrix = Kokkos::View<double**, Kokkos::LayoutRight, typename ExecSpace::memory_space>;
  const std::size_t d = generator.dimension();
  const std::uint64_t n_max = std::uint64_t{1} << options.log2_max_points;
  Vector values("qmcsim::bayesian_cubature::values", n_max);
  ProductKernel kernel;
  kernel.weights.assign(d, 1.0);
  kernel.smoothness.assign(d, options.smoothness);
  const double z = normal_quantile(0.5 + options.confidence / 2);

  BayesianCubatureResult result;
  std::uint64_t evaluated = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int m = options.log2_min_points; m <= options.log2_max_points; ++m) {
    const std::uint64_t n = std::uint64_t{1} << m;
    const FastGram<ExecSpace> gram(generator, n, 0);
    kernel.family = gram.family();
    if (m == options.log2_min_points)
      detail::check_bayesian_cubature(options, gram.family(), generator.replications(), generator.max_points());
    evaluate(IndexRange{evaluated, n}, values);
    evaluated = n;

    const Vector y = Kokkos::subview(values, std::make_pair(std::uint64_t{0}, n));
    const auto hat = gram.transform(Matrix(y.data(), 1, n));
    const auto power = detail::power_spectrum<ExecSpace>(hat);
    std::vector<double> start;
    for (double w : kernel.weights) start.push_back(std::log(w));
    const Objective objective = [&](const std::vector<double>& x, std::vector<double>& gradient) {
      ProductKernel trial = kernel;
      for (std::size_t j = 0; j < d; ++j) trial.weights[j] = LogParameter::value(x[j]);
      const double value = detail::profiled_likelihood(gram, trial, options.nugget, power, &gradient);
      for (std::size_t j = 0; j < d; ++j) gradient[j] *= LogParameter::derivative_factor(x[j]);
      return value;
    };
    const MinimizeResult fit = minimize(objective, start, options.minimize);
    for (std::size_t j = 0; j < d; ++j) kernel.weights[j] = LogParameter::value(fit.x[j]);

    const auto lambda = gram.eigenvalues(kernel);
    const double s2 = profiled_scale<ExecSpace>(power, regularized<ExecSpace>(lambda, options.nugget));
    double lambda_0 = 0;
    Kokkos::complex<double> mean_component;
    Kokkos::deep_copy(lambda_0, Kokkos::subview(lambda, 0));
    Kokkos::deep_copy(mean_component, Kokkos::subview(hat, 0, 0));
    const double worst_case = std::max(lambda_0 / n - 1, 0.0);
    BayesianCubatureStep step;
    step.points = n;
    step.estimate = mean_component.real() / std::sqrt(static_cast<double>(n));
    step.half_width = z * std::sqrt(s2 * worst_case);
    step.weights = kernel.weights;
    step.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.steps.push_back(step);
    result.estimate = step.estimate;
    result.half_width = step.half_width;
    result.points = n;
    if (step.half_width <= std::max(options.absolute_tolerance, options.relative_tolerance * std::abs(step.estimate))) {
      result.met_tolerance = true;
      break;
    }
  }
  return result;
}

}  // namespace detail

/// Bayesian cubature of f over [0,1)^d on a Lattice (shift-invariant kernel) or DigitalNet
/// (digitally-shift-invariant kernel) with one replication.
template <class Generator, class Integrand>
BayesianCubatureResult bayesian_cubature(const Generator& generator, const Integrand& f,
                                         const BayesianCubatureOptions& options = {}) {
  using ExecSpace = typename Generator::execution_space;
  return detail::bayesian_cubature_by_doubling(generator, options, [&](const IndexRange& range, const auto& values) {
    detail::evaluate_periodized<ExecSpace>(generator.generate(range), values, range.begin, f, options.periodization);
  });
}

}  // namespace qmcsim
