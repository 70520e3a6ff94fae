// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The host set-up of the true measures of cubature/measures.hpp, free of Kokkos (the factorizations
/// run on the host with Eigen): the choices of covariance factor and Brownian path construction, the
/// factors and schedules themselves, and the checks of the measures' parameters.

#include <cstddef>
#include <string>
#include <vector>

namespace qmcsim {

/// The factor A of a covariance A A^T (cubature/measures.hpp).
enum class CovarianceFactor {
  cholesky,  ///< the lower Cholesky factor
  pca        ///< V Lambda^{1/2}, the largest variances first
};
/// How a Brownian path is built from normals (cubature/measures.hpp).
enum class PathConstruction {
  forward,  ///< increments in time order
  bridge,   ///< the end first, then midpoints level by level
  pca       ///< the principal components of min(t_j, t_k)
};

/// "cholesky" or "pca".
CovarianceFactor parse_covariance_factor(const std::string& text);
/// "forward", "bridge" or "pca".
PathConstruction parse_path_construction(const std::string& text);

namespace detail {

/// A (d x d, row-major) with A A^T = covariance (row-major; symmetric to 1e-12 of its largest entry;
/// positive definite for Cholesky, positive semidefinite for PCA, whose eigenvalues down to -1e-12 of
/// the largest count as 0).
std::vector<double> covariance_factor(const std::vector<double>& covariance, std::size_t d, CovarianceFactor kind,
                                      const char* where);

/// The steps of the forward or bridge construction over sorted times: step j sets
///   W(t_target[j]) = w[j] z_j + a[j] W(t_left[j]) + b[j] W(t_right[j])
/// from constructed neighbours (index -1: none, whose term is absent; no left neighbour means W(0) = 0).
struct PathSchedule {
  std::vector<int> target, left, right;
  std::vector<double> a, b, w;
};
PathSchedule path_schedule(const std::vector<double>& times, PathConstruction construction);

/// Throws unless the times are finite, positive and strictly increasing.
void check_times(const std::vector<double>& times, const char* where);
void check_brownian_motion(const std::vector<double>& times, double initial, double drift, double diffusion);
/// Throws unless lower and upper have the same positive length and lower_j < upper_j, all finite.
void check_box(const std::vector<double>& lower, const std::vector<double>& upper, const char* where);

}  // namespace detail
}  // namespace qmcsim
