// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// True measures for cubature/measure.hpp (QMCPy's Uniform, Lebesgue, Gaussian and BrownianMotion,
/// with the same transforms), each a device-callable functor built on the host by `make`:
///
/// - BoxMeasure: t_j = a_j + (b_j - a_j) x_j; as the uniform distribution on the box (mass 1) or as
///   Lebesgue measure on it (mass prod_j (b_j - a_j)).
/// - Gaussian N(m, Sigma): t = m + A z, z_j = Phi^{-1}(x_j), with A A^T = Sigma either the lower
///   Cholesky factor or the PCA factor A = V Lambda^{1/2} (eigenvalues decreasing; each vector's leading
///   entry, the first of magnitude at least half its largest, made positive, so that A does not depend
///   on the eigensolver's signs; equal eigenvalues ordered by the position of that entry, so that a
///   diagonal covariance keeps its axes in order).
///   PCA puts the largest variances on the first coordinates, where QMC points are best.
/// - BrownianMotion B(t_k) = B_0 + gamma t_k + sigma W(t_k) at times 0 < t_1 < ... < t_d
///   (sigma^2 = diffusion), with W built from z by
///     forward: W(t_k) = W(t_{k-1}) + sqrt(t_k - t_{k-1}) z_k  (the Cholesky factor of min(t_j, t_k));
///     bridge:  W at the times in the order of the ranks of the van der Corput sequence in Gray order
///              (its first point taken as 1: t_d first, then the midpoints level by level; QMCPy's
///              order), each from its nearest constructed neighbours l < k < r (Owen, "Monte Carlo
///              theory, methods and examples", Algorithms 6.1-6.2):
///                W(t_k) = ((t_r - t_k) W(t_l) + (t_k - t_l) W(t_r)) / (t_r - t_l)
///                         + sqrt((t_k - t_l)(t_r - t_k) / (t_r - t_l)) z_j
///              for the j-th time built (coordinate j drives it), with W(t_l) = 0 at t_l = 0 and only
///              the left neighbour once none lies to the right;
///     pca:     the Gaussian PCA factor of min(t_j, t_k).
///   forward and bridge cost O(d) per point, pca O(d^2).
///
///   const auto path = BrownianMotion<>::make(BrownianMotion<>::uniform_times(64, 1.0), PathConstruction::bridge);
///   const auto price = rqmc_cubature(sobol, against(path, ArithmeticAsianCall{64}));

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/normal.hpp"
#include "qmcsim/cubature/measure_setup.hpp"

namespace qmcsim {

namespace detail {

template <class T, class MemorySpace>
Kokkos::View<const T*, MemorySpace> copy_to(const char* label, const std::vector<T>& values) {
  Kokkos::View<T*, MemorySpace> view(std::string(label), values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (std::size_t i = 0; i < values.size(); ++i) host(i) = values[i];
  Kokkos::deep_copy(view, host);
  return view;
}

template <class MemorySpace>
Kokkos::View<const double**, Kokkos::LayoutRight, MemorySpace> copy_matrix_to(const char* label, const std::vector<double>& values,
                                                                              std::size_t d) {
  Kokkos::View<double**, Kokkos::LayoutRight, MemorySpace> view(std::string(label), d, d);
  auto host = Kokkos::create_mirror_view(view);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j) host(i, j) = values[i * d + j];
  Kokkos::deep_copy(view, host);
  return view;
}

}  // namespace detail

/// Uniform distribution or Lebesgue measure on the box prod_j [lower_j, upper_j].
template <class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
struct BoxMeasure {
  Kokkos::View<const double*, MemorySpace> lower;  ///< a_j
  Kokkos::View<const double*, MemorySpace> width;  ///< b_j - a_j
  double mass = 1;                                 ///< 1, or the volume for Lebesgue measure

  /// The uniform distribution (mass 1).
  static BoxMeasure uniform(const std::vector<double>& lower, const std::vector<double>& upper) {
    return make(lower, upper, false);
  }
  /// Lebesgue measure (mass: the volume).
  static BoxMeasure lebesgue(const std::vector<double>& lower, const std::vector<double>& upper) {
    return make(lower, upper, true);
  }

  /// d.
  std::size_t dimension() const { return lower.extent(0); }

  /// t = T(x) (no scratch needed).
  KOKKOS_INLINE_FUNCTION void transform(const double* x, double* t, double*) const {
    for (std::size_t j = 0; j < lower.extent(0); ++j) t[j] = lower(j) + width(j) * x[j];
  }

 private:
  static BoxMeasure make(const std::vector<double>& lower, const std::vector<double>& upper, bool lebesgue) {
    detail::check_box(lower, upper, lebesgue ? "BoxMeasure::lebesgue" : "BoxMeasure::uniform");
    std::vector<double> width(lower.size());
    double volume = 1;
    for (std::size_t j = 0; j < lower.size(); ++j) volume *= width[j] = upper[j] - lower[j];
    return {detail::copy_to<double, MemorySpace>("qmcsim::BoxMeasure::lower", lower),
            detail::copy_to<double, MemorySpace>("qmcsim::BoxMeasure::width", width), lebesgue ? volume : 1.0};
  }
};

/// The normal distribution N(mean, covariance) on R^d.
template <class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
struct Gaussian {
  Kokkos::View<const double*, MemorySpace> mean;                          ///< m
  Kokkos::View<const double**, Kokkos::LayoutRight, MemorySpace> factor;  ///< A
  bool lower_triangular = false;  ///< A is the Cholesky factor (only its lower triangle is read)
  double mass = 1;                ///< a probability measure

  /// covariance: d x d, row-major.
  static Gaussian make(const std::vector<double>& mean, const std::vector<double>& covariance,
                       CovarianceFactor kind = CovarianceFactor::pca) {
    for (const double m : mean) detail::require_finite("Gaussian", "mean entry", m);
    const auto a = detail::covariance_factor(covariance, mean.size(), kind, "Gaussian");
    return {detail::copy_to<double, MemorySpace>("qmcsim::Gaussian::mean", mean),
            detail::copy_matrix_to<MemorySpace>("qmcsim::Gaussian::factor", a, mean.size()), kind == CovarianceFactor::cholesky};
  }

  /// d.
  std::size_t dimension() const { return mean.extent(0); }

  /// t = m + A z with z_j = Phi^{-1}(x_j) (z: d doubles of scratch).
  KOKKOS_INLINE_FUNCTION void transform(const double* x, double* t, double* z) const {
    const std::size_t d = mean.extent(0);
    for (std::size_t j = 0; j < d; ++j) z[j] = normal_quantile(x[j]);
    for (std::size_t i = 0; i < d; ++i) {
      double sum = mean(i);
      for (std::size_t j = 0, end = lower_triangular ? i + 1 : d; j < end; ++j) sum += factor(i, j) * z[j];
      t[i] = sum;
    }
  }
};

/// Brownian motion B(t_k) = initial + drift t_k + sqrt(diffusion) W(t_k) at the given times.
template <class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
struct BrownianMotion {
  Kokkos::View<const double*, MemorySpace> offset;  ///< initial + drift t_k
  double scale = 1;                                  ///< sqrt(diffusion)
  PathConstruction construction = PathConstruction::pca;  ///< how W is built
  /// forward and bridge: coordinate j builds W at time index target(j) from its neighbours left(j)
  /// and right(j) (-1: none) as a(j) W(left) + b(j) W(right) + w(j) z_j.
  Kokkos::View<const int*, MemorySpace> target;
  Kokkos::View<const int*, MemorySpace> left;    ///< see target
  Kokkos::View<const int*, MemorySpace> right;   ///< see target
  Kokkos::View<const double*, MemorySpace> a;    ///< see target
  Kokkos::View<const double*, MemorySpace> b;    ///< see target
  Kokkos::View<const double*, MemorySpace> w;    ///< see target
  Gaussian<MemorySpace> principal;  ///< pca: N(0, min(t_j, t_k))
  double mass = 1;                  ///< a probability measure

  /// t_k = k t_final / d, k = 1..d (QMCPy's time_vec).
  static std::vector<double> uniform_times(std::size_t d, double t_final);

  /// B at `times` (increasing, positive) built by `construction`; throws qmcsim::error for bad times
  /// or parameters.
  static BrownianMotion make(const std::vector<double>& times, PathConstruction construction = PathConstruction::pca,
                             double initial = 0, double drift = 0, double diffusion = 1);

  /// d, the number of times.
  std::size_t dimension() const { return offset.extent(0); }

  /// t = (B(t_1), ..., B(t_d)) from x (scratch: d doubles).
  KOKKOS_INLINE_FUNCTION void transform(const double* x, double* t, double* scratch) const {
    const std::size_t d = offset.extent(0);
    if (construction == PathConstruction::pca) {
      principal.transform(x, t, scratch);
    } else {
      for (std::size_t j = 0; j < d; ++j) {
        double v = w(j) * normal_quantile(x[j]);
        if (left(j) >= 0) v += a(j) * t[left(j)];
        if (right(j) >= 0) v += b(j) * t[right(j)];
        t[target(j)] = v;
      }
    }
    for (std::size_t k = 0; k < d; ++k) t[k] = offset(k) + scale * t[k];
  }
};

template <class MemorySpace>
std::vector<double> BrownianMotion<MemorySpace>::uniform_times(std::size_t d, double t_final) {
  std::vector<double> times(d);
  for (std::size_t k = 0; k < d; ++k) times[k] = t_final * static_cast<double>(k + 1) / static_cast<double>(d);
  return times;
}

template <class MemorySpace>
BrownianMotion<MemorySpace> BrownianMotion<MemorySpace>::make(const std::vector<double>& times, PathConstruction construction,
                                                              double initial, double drift, double diffusion) {
  detail::check_brownian_motion(times, initial, drift, diffusion);
  const std::size_t d = times.size();
  std::vector<double> offset(d);
  for (std::size_t k = 0; k < d; ++k) offset[k] = initial + drift * times[k];
  BrownianMotion motion;
  motion.offset = detail::copy_to<double, MemorySpace>("qmcsim::BrownianMotion::offset", offset);
  motion.scale = std::sqrt(diffusion);
  motion.construction = construction;
  if (construction == PathConstruction::pca) {
    std::vector<double> covariance(d * d);
    for (std::size_t j = 0; j < d; ++j)
      for (std::size_t k = 0; k < d; ++k) covariance[j * d + k] = std::min(times[j], times[k]);
    motion.principal = Gaussian<MemorySpace>::make(std::vector<double>(d, 0.0), covariance, CovarianceFactor::pca);
  } else {
    const auto schedule = detail::path_schedule(times, construction);
    motion.target = detail::copy_to<int, MemorySpace>("qmcsim::BrownianMotion::target", schedule.target);
    motion.left = detail::copy_to<int, MemorySpace>("qmcsim::BrownianMotion::left", schedule.left);
    motion.right = detail::copy_to<int, MemorySpace>("qmcsim::BrownianMotion::right", schedule.right);
    motion.a = detail::copy_to<double, MemorySpace>("qmcsim::BrownianMotion::a", schedule.a);
    motion.b = detail::copy_to<double, MemorySpace>("qmcsim::BrownianMotion::b", schedule.b);
    motion.w = detail::copy_to<double, MemorySpace>("qmcsim::BrownianMotion::w", schedule.w);
  }
  return motion;
}

}  // namespace qmcsim
