// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Helpers shared by the test suites: host copies of views, sample statistics, elementary-interval
// counting for the (t, m, s)-net property, least-squares slopes for convergence orders, randomized
// Sobol' points, comparisons of the default execution space with a host back end.

#include <Kokkos_Core.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numeric>
#include <vector>

#include "qmcsim/digital_net/digital_net.hpp"

namespace qmcsim::test {

/// Sobol' points with LMS + digital shift: R replications in d dimensions.
inline DigitalNet<> sobol_lms_ds(std::size_t d, std::size_t replications, std::uint64_t seed) {
  DigitalNetOptions options;
  options.dimension = d;
  options.replications = replications;
  options.randomization = Randomization::lms_digital_shift;
  options.seed = seed;
  return DigitalNet<>(GeneratingMatrices::sobol(d), options);
}

/// Whether the default execution space runs on the host. There its results equal every host back
/// end's bit for bit. On a GPU, results that pass through transcendental functions (CUDA's log, exp,
/// sincos against glibc's) or contracted multiply-adds round differently in the last bits; integer
/// results (points, Philox words) stay identical.
inline constexpr bool default_space_is_host =
    Kokkos::SpaceAccessibility<Kokkos::HostSpace, Kokkos::DefaultExecutionSpace::memory_space>::accessible;

/// `value` from the default execution space against `host_value` from a host back end: equal where the
/// default space is a host space, within `tolerance_on_gpu` where it is a GPU.
inline ::testing::AssertionResult agrees_across_back_ends(double value, double host_value, double tolerance_on_gpu) {
  const double allowed = default_space_is_host ? 0.0 : tolerance_on_gpu;
  if (value == host_value || std::abs(value - host_value) <= allowed) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << value << " (default space) differs from " << host_value
                                       << " (host) by " << value - host_value << ", allowed " << allowed;
}

template <class View>
auto to_host(const View& view) {
  return Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
}

struct SampleStats {
  double mean;
  double variance;  // unbiased
  double standard_error() const;
  std::size_t count;
};

inline SampleStats sample_stats(const std::vector<double>& values) {
  const double n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double sum_squares = 0;
  for (double v : values) sum_squares += (v - mean) * (v - mean);
  return {mean, sum_squares / (n - 1), values.size()};
}

inline double SampleStats::standard_error() const { return std::sqrt(variance / static_cast<double>(count)); }

/// Least-squares slope of y against x.
inline double fitted_slope(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxy / sxx;
}

/// Kolmogorov-Smirnov distance between the empirical distribution of `values` and U(0, 1).
inline double ks_distance_to_uniform(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  double distance = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    distance = std::max({distance, (i + 1) / n - values[i], values[i] - i / n});
  return distance;
}

/// KS critical distance exceeded by a correct sampler with probability `p` (asymptotic formula).
inline double ks_critical_distance(std::size_t n, double p) {
  return std::sqrt(-std::log(p / 2) / (2.0 * static_cast<double>(n)));
}

/// Calls visit(k) for every composition k = (k_0, ..., k_{s-1}) of `total` into s non-negative parts.
inline void for_each_composition(int total, int s, const std::function<void(const std::vector<int>&)>& visit) {
  std::vector<int> parts(s, 0);
  std::function<void(int, int)> recurse = [&](int j, int left) {
    if (j == s - 1) {
      parts[j] = left;
      visit(parts);
      return;
    }
    for (int k = 0; k <= left; ++k) {
      parts[j] = k;
      recurse(j + 1, left - k);
    }
  };
  recurse(0, total);
}

/// True when the 2^m points (given by their leading binary digits, words[i][j] left-aligned) form a
/// (t, m, s)-net: every elementary interval of volume 2^(t-m) holds exactly 2^t points.
inline bool is_tms_net(const std::vector<std::vector<std::uint64_t>>& words, int t, int m, int s) {
  bool ok = true;
  for_each_composition(m - t, s, [&](const std::vector<int>& k) {
    std::vector<std::uint32_t> counts(std::size_t{1} << (m - t), 0);
    for (const auto& point : words) {
      std::uint64_t box = 0;
      for (int j = 0; j < s; ++j)
        if (k[j] > 0) box = (box << k[j]) | (point[j] >> (64 - k[j]));
      ++counts[box];
    }
    for (std::uint32_t c : counts) ok = ok && c == (1u << t);
  });
  return ok;
}

}  // namespace qmcsim::test
