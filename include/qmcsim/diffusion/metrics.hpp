// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Sampler metrics of the analytic test bed (docs/diffusion.md, "Test bed"):
///   rms_distance        sqrt(mean_{b,i} (x_bi - y_bi)^2): pathwise error against a reference.
///   diverged_fraction   fraction of samples with max_i |x_bi - center_i| / scale_i >= threshold (3):
///                       the numerical signature of divergence artifacts (norm blow-up).
///   sliced_wasserstein  SW_2 between two equal-size sample sets over `directions` seeded random unit
///                       directions: sqrt(mean over directions of mean_j (sorted projections differ)^2).
///   gaussian_gain_metrics  for per-coordinate linear samplers on Gaussian data, x_N = G_i x_0 with
///                       x_0 = sigma_bar_0 zeta: tau_i = |G_i| sigma_bar_0 / s_i (std of the normalised
///                       output), p_i = P(|N(0, tau_i^2)| >= 3), diverged fraction 1 - prod_i (1 - p_i),
///                       magnitude score (1/d) sum_i E[|z| 1{|z| >= 3}] = (1/d) sum_i 2 tau_i phi(3 / tau_i).
///                       No random numbers: the paper's magnitude score in closed form.
///   fitted_order        least-squares q in error ~ steps^-q.

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

#include "qmcsim/core/random.hpp"

namespace qmcsim::diffusion {

/// sqrt(mean_{b,i} (x_bi - y_bi)^2) of two (sample, coordinate) views of one shape.
template <class A, class B>
double rms_distance(const A& x, const B& y) {
  qmcsim::detail::require(x.extent(0) == y.extent(0) && x.extent(1) == y.extent(1), "rms_distance: shapes ", x.extent(0),
                  " x ", x.extent(1), " and ", y.extent(0), " x ", y.extent(1), " differ");
  const auto a = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x);
  const auto b = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), y);
  double sum = 0;
  for (std::size_t r = 0; r < a.extent(0); ++r)
    for (std::size_t i = 0; i < a.extent(1); ++i) sum += (a(r, i) - b(r, i)) * (a(r, i) - b(r, i));
  return std::sqrt(sum / static_cast<double>(a.extent(0) * a.extent(1)));
}

/// Non-finite samples count as diverged.
template <class A>
double diverged_fraction(const A& x, const std::vector<double>& center, const std::vector<double>& scale,
                         double threshold = 3) {
  qmcsim::detail::require(center.size() == x.extent(1) && scale.size() == x.extent(1), "diverged_fraction: ", center.size(),
                  " centers and ", scale.size(), " scales for dimension ", x.extent(1));
  const auto a = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x);
  std::size_t diverged = 0;
  for (std::size_t r = 0; r < a.extent(0); ++r) {
    bool out = false;
    for (std::size_t i = 0; i < a.extent(1); ++i) {
      const double z = std::abs(a(r, i) - center[i]) / scale[i];
      out = out || !(z < threshold);
    }
    diverged += out;
  }
  return static_cast<double>(diverged) / static_cast<double>(a.extent(0));
}

/// SW_2 between the sample sets x and y (see the file comment).
template <class A, class B>
double sliced_wasserstein(const A& x, const B& y, std::size_t directions = 256, std::uint64_t seed = 0) {
  qmcsim::detail::require(x.extent(0) == y.extent(0) && x.extent(1) == y.extent(1) && x.extent(0) > 0,
                  "sliced_wasserstein: needs two non-empty sample sets of one shape, got ", x.extent(0), " x ",
                  x.extent(1), " and ", y.extent(0), " x ", y.extent(1));
  const auto a = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x);
  const auto b = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), y);
  const std::size_t n = a.extent(0), d = a.extent(1);
  const std::uint64_t key = derive_key(seed, Stream::diffusion_directions, 0, 0);
  std::vector<double> direction(d), pa(n), pb(n);
  double total = 0;
  for (std::size_t l = 0; l < directions; ++l) {
    double norm = 0;
    for (std::size_t i = 0; i < d; ++i) {
      direction[i] = normal_pair<double>(philox(key, static_cast<std::uint64_t>(l), static_cast<std::uint32_t>(i),
                                                Stream::diffusion_directions)).first;
      norm += direction[i] * direction[i];
    }
    for (std::size_t r = 0; r < n; ++r) {
      pa[r] = pb[r] = 0;
      for (std::size_t i = 0; i < d; ++i) pa[r] += a(r, i) * direction[i], pb[r] += b(r, i) * direction[i];
    }
    std::sort(pa.begin(), pa.end());
    std::sort(pb.begin(), pb.end());
    double sum = 0;
    for (std::size_t r = 0; r < n; ++r) sum += (pa[r] - pb[r]) * (pa[r] - pb[r]);
    total += sum / static_cast<double>(n) / norm;
  }
  return std::sqrt(total / static_cast<double>(directions));
}

/// The closed-form divergence metrics of gaussian_gain_metrics.
struct GainMetrics {
  double diverged_fraction;  ///< 1 - prod_i (1 - p_i)
  double magnitude_score;    ///< (1/d) sum_i 2 tau_i phi(3 / tau_i)
};

/// The divergence metrics of a per-coordinate linear sampler with gains G_i on Gaussian data of
/// per-coordinate scales s_i (see the file comment).
inline GainMetrics gaussian_gain_metrics(const std::vector<double>& gains, double sigma_start,
                                         const std::vector<double>& scales, double threshold = 3) {
  qmcsim::detail::require(gains.size() == scales.size() && !gains.empty(), "gaussian_gain_metrics: ", gains.size(),
                  " gains and ", scales.size(), " scales");
  double survive = 1, magnitude = 0;
  for (std::size_t i = 0; i < gains.size(); ++i) {
    const double tau = std::abs(gains[i]) * sigma_start / scales[i];
    if (!std::isfinite(tau)) return {1.0, std::numeric_limits<double>::infinity()};
    if (tau == 0) continue;
    const double c = threshold / tau;
    survive *= 1 - std::erfc(c / std::sqrt(2.0));
    magnitude += 2 * tau * std::exp(-c * c / 2) / std::sqrt(2 * M_PI);
  }
  return {1 - survive, magnitude / static_cast<double>(gains.size())};
}

/// The least-squares q in error ~ steps^-q (a log-log fit).
inline double fitted_order(const std::vector<double>& steps, const std::vector<double>& errors) {
  qmcsim::detail::require(steps.size() == errors.size() && steps.size() >= 2, "fitted_order: ", steps.size(), " step counts and ",
                  errors.size(), " errors (need at least 2 of each)");
  const double n = static_cast<double>(steps.size());
  double mx = 0, my = 0, sxy = 0, sxx = 0;
  for (std::size_t k = 0; k < steps.size(); ++k) mx += std::log(steps[k]) / n, my += std::log(errors[k]) / n;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const double dx = std::log(steps[k]) - mx;
    sxy += dx * (std::log(errors[k]) - my), sxx += dx * dx;
  }
  return -sxy / sxx;
}

}  // namespace qmcsim::diffusion
