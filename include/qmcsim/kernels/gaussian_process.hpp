// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Fast Gaussian-process regression on lattice or digital-net designs (QMCPy's fast GP,
/// arXiv 2502.14256): f ~ GP(0, K) with a matched product kernel K (scale S, weights gamma) and
/// observations y_i = f(x_i) + nugget noise eta. With the Gram eigenvalues lambda_k (fast_gram.hpp)
/// and the orthonormal transform y_hat = T y, the negative log marginal likelihood is
///   NLL = 1/2 sum_k |y_hat_k|^2 / (lambda_k + eta) + 1/2 sum_k log(lambda_k + eta) + n/2 log(2 pi),
/// and with g_k = (1 / (lambda_k + eta) - |y_hat_k|^2 / (lambda_k + eta)^2) / 2 its gradient is
///   d/d log S = sum_k g_k lambda_k,  d/d log gamma_j = sum_k g_k d lambda_k / d log gamma_j,
///   d/d log eta = eta sum_k g_k,
/// all in O(n log n + n d^2). fit() maximizes the likelihood over (log S, log gamma, log eta) with
/// L-BFGS. The posterior at new points z: mean k(z)^T (K + eta I)^{-1} y, variance
/// K(z, z) - k(z)^T (K + eta I)^{-1} k(z), one batched solve per block of new points.

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/minimize.hpp"
#include "qmcsim/core/reduce.hpp"
#include "qmcsim/kernels/fast_gram.hpp"

namespace qmcsim {

/// How FastGaussianProcess::fit fits the hyperparameters.
struct GaussianProcessOptions {
  bool fit_nugget = true;   ///< fit eta with the kernel (else keep the given nugget)
  MinimizeOptions minimize;  ///< the L-BFGS minimizer's options
};

/// Gaussian-process regression on the design of a FastGram: likelihood, its gradient, fitting and
/// the posterior in O(n log n) per evaluation (see the file comment).
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class FastGaussianProcess {
 public:
  using memory_space = typename ExecSpace::memory_space;                     ///< where the data live
  using Vector = Kokkos::View<double*, Kokkos::LayoutRight, memory_space>;   ///< (n) or (queries)
  using Matrix = Kokkos::View<double**, Kokkos::LayoutRight, memory_space>;  ///< query points (queries, d)

  /// The posterior at query points.
  struct Posterior {
    Vector mean;      ///< E[f(x) | data]
    Vector variance;  ///< Var[f(x) | data]
  };

  /// Observations `values` (n) at the design of `gram`, starting hyperparameters `kernel` and `nugget`.
  /// Runs on the default instance and waits for it, so that any instance may serve the methods below.
  FastGaussianProcess(FastGram<ExecSpace> gram, const Vector& values, const ProductKernel& kernel, double nugget);

  /// The current kernel (the fitted one after fit).
  const ProductKernel& kernel() const { return kernel_; }
  /// The current nugget eta (the fitted one after fit).
  double nugget() const { return nugget_; }
  /// The design and its fast Gram matrix.
  const FastGram<ExecSpace>& gram() const { return gram_; }

  /// NLL at (kernel, nugget); with `gradient`, also its gradient in (log S, log gamma_1..d, log eta).
  /// Computed on the instance `space`, which it waits for (alone): it returns host numbers.
  double negative_log_likelihood(const ExecSpace& space, const ProductKernel& kernel, double nugget,
                                 std::vector<double>* gradient = nullptr) const;
  /// negative_log_likelihood on the default instance.
  double negative_log_likelihood(const ProductKernel& kernel, double nugget, std::vector<double>* gradient = nullptr) const {
    return negative_log_likelihood(ExecSpace(), kernel, nugget, gradient);
  }

  /// Maximizes the marginal likelihood, every evaluation on the instance `space`; the model then uses
  /// the fitted hyperparameters (its weights queued on `space`).
  MinimizeResult fit(const ExecSpace& space, const GaussianProcessOptions& options = {});
  /// fit on the default instance.
  MinimizeResult fit(const GaussianProcessOptions& options = {}) { return fit(ExecSpace(), options); }

  /// Posterior mean and variance of f at new points (p, d) in [0, 1)^d, computed on the instance
  /// `space` (it waits there for the check of the points, and returns with the rest queued).
  Posterior posterior(const ExecSpace& space, const Matrix& new_points) const;
  /// posterior on the default instance.
  Posterior posterior(const Matrix& new_points) const { return posterior(ExecSpace(), new_points); }

 private:
  void update_weights(const ExecSpace& space);

  FastGram<ExecSpace> gram_;
  Vector values_;
  Vector power_;  ///< |y_hat_k|^2
  ProductKernel kernel_;
  double nugget_;
  Vector alpha_;  ///< (K + eta I)^{-1} y for the current hyperparameters
};

namespace detail {
void check_gaussian_process(const ProductKernel& kernel, double nugget, std::size_t values, std::uint64_t n);

template <class ExecSpace, class Values>
double count_non_finite(const ExecSpace& space, const Values& values) {
  return sum(space, values.size(), KOKKOS_LAMBDA(std::int64_t k) {
    const double v = values.data()[k];
    return v - v == 0 ? 0.0 : 1.0;  // NaN and infinity give NaN
  });
}

/// |rows(0, k)|^2 for a single complex row.
template <class ExecSpace>
Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space> power_spectrum(
    const ExecSpace& space, const ComplexRows<typename ExecSpace::memory_space>& rows) {
  Kokkos::View<double*, Kokkos::LayoutRight, typename ExecSpace::memory_space> power(
      Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::power_spectrum"), rows.extent(1));
  Kokkos::parallel_for("qmcsim::power_spectrum",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(rows.extent(1))),
                       KOKKOS_LAMBDA(std::int64_t k) {
                         const auto c = rows(0, k);
                         power(k) = c.real() * c.real() + c.imag() * c.imag();
                       });
  return power;
}

/// 64-bit words of points in [0, 1) (values outside are rejected on the host beforehand).
template <class ExecSpace, class Matrix, class Words>
void points_to_words(const ExecSpace& space, const Matrix& points, const Words& words) {
  Kokkos::parallel_for("qmcsim::points_to_words",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(points.size())),
                       KOKKOS_LAMBDA(std::int64_t k) {
                         const double u = points.data()[k];
                         words.data()[k] = u >= 1 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(::ldexp(u, 64));
                       });
}
}  // namespace detail

template <class ExecSpace>
FastGaussianProcess<ExecSpace>::FastGaussianProcess(FastGram<ExecSpace> gram, const Vector& values,
                                                    const ProductKernel& kernel, double nugget)
    : gram_(std::move(gram)), values_(values), kernel_(kernel), nugget_(nugget) {
  detail::check_gaussian_process(kernel, nugget, values.extent(0), gram_.size());
  const ExecSpace space;
  const double bad = detail::count_non_finite(space, values_);
  detail::require(bad == 0, "FastGaussianProcess: ", bad, " of the values are NaN or infinite");
  power_ = detail::power_spectrum(space, gram_.transform(space, Matrix(values_.data(), 1, values_.extent(0))));
  update_weights(space);
  space.fence();
}

template <class ExecSpace>
double FastGaussianProcess<ExecSpace>::negative_log_likelihood(const ExecSpace& space, const ProductKernel& kernel,
                                                               double nugget, std::vector<double>* gradient) const {
  detail::check_gaussian_process(kernel, nugget, values_.extent(0), gram_.size());
  const auto lambda = gram_.eigenvalues(space, kernel);
  const auto power = power_;
  const std::size_t n = gram_.size();
  // round-off may leave eigenvalues of a positive semi-definite matrix slightly negative
  const double nll = sum(space, n, KOKKOS_LAMBDA(std::int64_t k) {
    const double q = detail::clipped(lambda(k)) + nugget;
    return 0.5 * (power(k) / q + ::log(q));
  }) + 0.5 * n * std::log(2 * M_PI);
  if (gradient) {
    // g_k = d NLL / d lambda_k; the gradient is its inner product with each d lambda / d parameter
    Vector g(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::FastGaussianProcess::g"), n);
    Kokkos::parallel_for("qmcsim::FastGaussianProcess::g",
                         Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(n)),
                         KOKKOS_LAMBDA(std::int64_t k) {
                           const double q = detail::clipped(lambda(k)) + nugget;
                           g(k) = 0.5 * (1 / q - power(k) / (q * q));
                         });
    gradient->assign(kernel.dimension() + 2, 0.0);
    (*gradient)[0] = sum(space, n, KOKKOS_LAMBDA(std::int64_t k) { return g(k) * detail::clipped(lambda(k)); });
    const auto derivatives = gram_.weight_derivatives(space, kernel);
    for (std::size_t j = 0; j < kernel.dimension(); ++j)
      (*gradient)[1 + j] = sum(space, n, KOKKOS_LAMBDA(std::int64_t k) { return g(k) * derivatives(j, k); });
    (*gradient)[kernel.dimension() + 1] = nugget * sum(space, n, KOKKOS_LAMBDA(std::int64_t k) { return g(k); });
  }
  return nll;
}

template <class ExecSpace>
MinimizeResult FastGaussianProcess<ExecSpace>::fit(const ExecSpace& space, const GaussianProcessOptions& options) {
  const auto hyperparameters = [this](const std::vector<double>& x, ProductKernel& kernel, double& nugget, bool fit_nugget) {
    kernel = kernel_;
    kernel.scale = LogParameter::value(x[0]);
    for (std::size_t j = 0; j < kernel.dimension(); ++j) kernel.weights[j] = LogParameter::value(x[1 + j]);
    nugget = fit_nugget ? LogParameter::value(x[1 + kernel.dimension()]) : nugget_;
  };
  std::vector<double> start = {std::log(kernel_.scale)};
  for (double w : kernel_.weights) start.push_back(std::log(w));
  if (options.fit_nugget) start.push_back(std::log(nugget_));
  const Objective objective = [&](const std::vector<double>& x, std::vector<double>& gradient) {
    ProductKernel kernel;
    double nugget = 0;
    hyperparameters(x, kernel, nugget, options.fit_nugget);
    std::vector<double> full;
    const double value = negative_log_likelihood(space, kernel, nugget, &full);
    gradient.assign(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(x.size()));
    for (std::size_t p = 0; p < x.size(); ++p) gradient[p] *= LogParameter::derivative_factor(x[p]);
    return value;
  };
  MinimizeResult result = minimize(objective, start, options.minimize);
  hyperparameters(result.x, kernel_, nugget_, options.fit_nugget);
  update_weights(space);
  return result;
}

template <class ExecSpace>
void FastGaussianProcess<ExecSpace>::update_weights(const ExecSpace& space) {
  const Matrix row(values_.data(), 1, values_.extent(0));
  const auto solved = gram_.solve(space, gram_.eigenvalues(space, kernel_), nugget_, row);
  alpha_ = Kokkos::subview(solved, 0, Kokkos::ALL());
}

template <class ExecSpace>
typename FastGaussianProcess<ExecSpace>::Posterior FastGaussianProcess<ExecSpace>::posterior(const ExecSpace& space,
                                                                                             const Matrix& new_points) const {
  const std::size_t p = new_points.extent(0), d = gram_.dimension(), n = gram_.size();
  detail::require(new_points.extent(1) == d, "FastGaussianProcess::posterior: points have ", new_points.extent(1),
                  " coordinates, the design has ", d);
  const auto outside = sum(space, new_points.size(), KOKKOS_LAMBDA(std::int64_t k) {
    const double u = new_points.data()[k];
    return u >= 0 && u < 1 ? 0.0 : 1.0;
  });
  detail::require(outside == 0, "FastGaussianProcess::posterior: ", outside, " coordinates are outside [0, 1) or NaN");
  typename FastGram<ExecSpace>::Words words(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::FastGaussianProcess::words"),
                                            p, d);
  detail::points_to_words(space, new_points, words);
  const auto lambda = gram_.eigenvalues(space, kernel_);
  Posterior out{Vector(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::FastGaussianProcess::mean"), p),
                Vector(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::FastGaussianProcess::variance"), p)};
  double prior = kernel_.scale;  // K(z, z): every factor at a zero difference
  for (std::size_t j = 0; j < d; ++j)
    prior *= 1 + kernel_.weights[j] * (kernel_.family == KernelFamily::shift_invariant
                                           ? kernels::shift_invariant(kernel_.smoothness[j], 0)
                                           : kernels::digitally_shift_invariant(kernel_.smoothness[j], 0));
  const std::size_t block = std::max<std::size_t>(1, (std::size_t{1} << 22) / n);
  const auto alpha = alpha_;
  for (std::size_t first = 0; first < p; first += block) {
    const std::size_t count = std::min(block, p - first);
    const auto z = Kokkos::subview(words, std::make_pair(first, first + count), Kokkos::ALL());
    typename FastGram<ExecSpace>::Words zcopy(
        Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::FastGaussianProcess::block"), count, d);
    Kokkos::deep_copy(space, zcopy, z);
    const Matrix cross = gram_.cross_kernel(space, kernel_, zcopy);
    const Matrix solved = gram_.solve(space, lambda, nugget_, cross);
    const auto mean = out.mean, variance = out.variance;
    Kokkos::parallel_for("qmcsim::FastGaussianProcess::posterior",
                         Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(count)),
                         KOKKOS_LAMBDA(std::int64_t q) {
                           double m = 0, explained = 0;
                           for (std::size_t i = 0; i < n; ++i) {
                             m += cross(q, i) * alpha(i);
                             explained += cross(q, i) * solved(q, i);
                           }
                           mean(first + q) = m;
                           const double v = prior - explained;
                           variance(first + q) = v > 0 ? v : 0;
                         });
  }
  return out;
}

}  // namespace qmcsim
