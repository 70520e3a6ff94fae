// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The host set-up of the true measures: covariance factors (Eigen's Cholesky and symmetric
// eigensolver), the forward and bridge schedules of Brownian paths, and the checks of their input.
// Host-only: compiled by the host compiler alone, also in the CUDA configuration.

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <cstdint>
#include <iterator>
#include <set>

#include "qmcsim/core/error.hpp"
#include "qmcsim/cubature/measure_setup.hpp"

namespace qmcsim {

CovarianceFactor parse_covariance_factor(const std::string& text) {
  if (text == "cholesky") return CovarianceFactor::cholesky;
  if (text == "pca") return CovarianceFactor::pca;
  throw error("covariance factor '" + text + "' is unknown: use cholesky or pca");
}

PathConstruction parse_path_construction(const std::string& text) {
  if (text == "forward") return PathConstruction::forward;
  if (text == "bridge") return PathConstruction::bridge;
  if (text == "pca") return PathConstruction::pca;
  throw error("path construction '" + text + "' is unknown: use forward, bridge or pca");
}

namespace detail {

std::vector<double> covariance_factor(const std::vector<double>& covariance, std::size_t d, CovarianceFactor kind,
                                      const char* where) {
  require(d >= 1, where, ": the dimension (the mean's length) must be at least 1");
  require(covariance.size() == d * d, where, ": covariance has ", covariance.size(), " entries; a ", d, " x ", d,
          " matrix has ", d * d);
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> sigma(covariance.data(), d, d);
  require(sigma.allFinite(), where, ": covariance has an entry that is not a finite number");
  const double scale = sigma.cwiseAbs().maxCoeff();
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < i; ++j)
      require(std::abs(sigma(i, j) - sigma(j, i)) <= 1e-12 * scale, where, ": covariance is not symmetric (entry (", i,
              ", ", j, ") = ", sigma(i, j), ", entry (", j, ", ", i, ") = ", sigma(j, i), ")");
  Eigen::MatrixXd factor;
  if (kind == CovarianceFactor::cholesky) {
    const Eigen::LLT<Eigen::MatrixXd> llt(sigma);
    require(llt.info() == Eigen::Success, where,
            ": covariance is not positive definite, so it has no Cholesky factor (a semidefinite one has a PCA factor)");
    factor = llt.matrixL();
  } else {
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(sigma);
    require(eigen.info() == Eigen::Success, where, ": the eigendecomposition of covariance did not converge");
    const Eigen::VectorXd& values = eigen.eigenvalues();  // increasing
    const double largest = values(d - 1);
    require(values(0) >= -1e-12 * std::max(largest, 0.0), where, ": covariance is not positive semidefinite (smallest eigenvalue ",
            values(0), ", largest ", largest, ")");
    require(largest > 0, where, ": covariance is zero: a point mass at the mean, not a Gaussian to integrate against");
    // Each vector's leading entry: the first whose magnitude is at least half the largest. It is made
    // positive, and it orders equal eigenvalues (whose basis the solver picks). Not the largest entry
    // itself: eigenvectors often have two of equal magnitude (min(s, t) has sines), and rounding would
    // pick either.
    std::vector<Eigen::Index> order(d), leading(d);
    for (std::size_t k = 0; k < d; ++k) {
      const auto vector = eigen.eigenvectors().col(static_cast<Eigen::Index>(k));
      const double half = vector.cwiseAbs().maxCoeff() / 2;
      Eigen::Index j = 0;
      while (std::abs(vector(j)) < half) ++j;
      leading[k] = j;
    }
    // decreasing eigenvalues; equal ones by the position of the leading entry (a diagonal covariance
    // keeps its axes in order)
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::sort(order.begin(), order.end(), [&](Eigen::Index p, Eigen::Index q) {
      return values(p) != values(q) ? values(p) > values(q) : leading[p] < leading[q];
    });
    factor.resize(d, d);
    for (std::size_t k = 0; k < d; ++k) {
      const Eigen::Index source = order[k];
      Eigen::VectorXd vector = eigen.eigenvectors().col(source);
      if (vector(leading[source]) < 0) vector = -vector;
      factor.col(static_cast<Eigen::Index>(k)) = vector * std::sqrt(std::max(values(source), 0.0));
    }
  }
  std::vector<double> out(d * d);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j) out[i * d + j] = factor(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  return out;
}

void check_times(const std::vector<double>& times, const char* where) {
  require(!times.empty(), where, ": times must hold at least one time");
  for (std::size_t k = 0; k < times.size(); ++k) {
    require_finite(where, "a time", times[k]);
    require(times[k] > (k == 0 ? 0.0 : times[k - 1]), where, ": times must be positive and strictly increasing (time ", k,
            " = ", times[k], " is not above ", k == 0 ? 0.0 : times[k - 1], ")");
  }
}

void check_brownian_motion(const std::vector<double>& times, double initial, double drift, double diffusion) {
  check_times(times, "BrownianMotion");
  require_finite("BrownianMotion", "initial", initial);
  require_finite("BrownianMotion", "drift", drift);
  require(std::isfinite(diffusion) && diffusion >= 0, "BrownianMotion: diffusion = ", diffusion,
          " must be a finite number >= 0");
}

void check_box(const std::vector<double>& lower, const std::vector<double>& upper, const char* where) {
  require(!lower.empty() && lower.size() == upper.size(), where, ": lower and upper must have the same positive length (",
          lower.size(), " and ", upper.size(), ")");
  for (std::size_t j = 0; j < lower.size(); ++j) {
    require(std::isfinite(lower[j]) && std::isfinite(upper[j]) && lower[j] < upper[j], where, ": coordinate ", j,
            " has lower = ", lower[j], " and upper = ", upper[j], " (finite, lower < upper)");
  }
}

namespace {

/// The van der Corput point of the Gray code of i, the first taken as 1 (QMCPy's bridge order).
double gray_van_der_corput(std::uint64_t i) {
  if (i == 0) return 1;
  std::uint64_t gray = i ^ (i >> 1);
  double value = 0, weight = 0.5;
  for (; gray != 0; gray >>= 1, weight /= 2)
    if (gray & 1) value += weight;
  return value;
}

}  // namespace

PathSchedule path_schedule(const std::vector<double>& times, PathConstruction construction) {
  check_times(times, "path_schedule");
  const std::size_t d = times.size();
  // order[j]: the index of the time built at step j
  std::vector<int> order(d);
  if (construction == PathConstruction::forward) {
    std::iota(order.begin(), order.end(), 0);
  } else {
    std::vector<double> key(d);
    for (std::size_t j = 0; j < d; ++j) key[j] = gray_van_der_corput(j);
    std::vector<int> by_key(d);
    std::iota(by_key.begin(), by_key.end(), 0);
    std::sort(by_key.begin(), by_key.end(), [&](int p, int q) { return key[p] < key[q]; });
    for (std::size_t rank = 0; rank < d; ++rank) order[by_key[rank]] = static_cast<int>(rank);
  }
  PathSchedule schedule;
  std::set<int> built;
  for (std::size_t j = 0; j < d; ++j) {
    const int k = order[j];
    const auto next = built.lower_bound(k);
    const int l = next == built.begin() ? -1 : *std::prev(next);
    const int r = next == built.end() ? -1 : *next;
    const double s = times[k];
    double a = 0, b = 0, w;
    if (l >= 0 && r >= 0) {
      const double sl = times[l], sr = times[r];
      a = (sr - s) / (sr - sl);
      b = (s - sl) / (sr - sl);
      w = std::sqrt((s - sl) * (sr - s) / (sr - sl));
    } else if (l >= 0) {
      a = 1;
      w = std::sqrt(s - times[l]);
    } else if (r >= 0) {
      const double sr = times[r];
      b = s / sr;
      w = std::sqrt(s * (sr - s) / sr);
    } else {
      w = std::sqrt(s);
    }
    schedule.target.push_back(k);
    schedule.left.push_back(l);
    schedule.right.push_back(r);
    schedule.a.push_back(a);
    schedule.b.push_back(b);
    schedule.w.push_back(w);
    built.insert(k);
  }
  return schedule;
}

}  // namespace detail
}  // namespace qmcsim
