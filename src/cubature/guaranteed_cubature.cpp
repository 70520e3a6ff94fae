// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/cubature/guaranteed_cubature.hpp"

#include <algorithm>
#include <limits>

namespace qmcsim::detail {

void check_guaranteed_cubature(const GuaranteedCubatureOptions& options, std::size_t replications,
                               std::uint64_t max_points) {
  const char* where = "guaranteed_cubature";
  require_tolerances(where, options.absolute_tolerance, options.relative_tolerance);
  require_in_range(where, "lag", options.lag, 1, 20);
  require_in_range(where, "log2_max_points", options.log2_max_points, options.lag + 4, 62);
  require_in_range(where, "log2_min_points", options.log2_min_points, options.lag + 4, options.log2_max_points,
                   "the lagged level 2^(m-r-1) .. 2^(m-r) needs m >= lag + 4 for a sum of several coefficients");
  require(max_points >= (std::uint64_t{1} << options.log2_max_points), where, ": 2^log2_max_points = 2^",
          options.log2_max_points, " exceeds the generator's ", max_points, " points");
  require(std::isfinite(options.fudge) && options.fudge > 0, where, ": fudge = ", options.fudge, " must be positive");
  require(replications == 1, where, ": the generator must have one replication, it has ", replications);
}

void CoefficientOrder::sort_levels(const std::vector<double>& magnitude, int m, int from, int down_to) {
  const std::uint64_t n = std::uint64_t{1} << m;
  for (int l = from; l > down_to; --l) {
    const std::uint64_t half = std::uint64_t{1} << l;
    for (std::uint64_t kappa = 1; kappa < half; ++kappa) {
      if (!(magnitude[order_[kappa + half]] > magnitude[order_[kappa]])) continue;
      for (std::uint64_t a = 0; a + kappa + half < n; a += 2 * half) std::swap(order_[kappa + a], order_[kappa + half + a]);
    }
  }
}

double CoefficientOrder::level_sum(const std::vector<double>& magnitude, std::uint64_t begin, std::uint64_t end) const {
  double sum = 0;
  for (std::uint64_t k = begin; k < end; ++k) sum += magnitude[order_[k]];
  return sum;
}

double CoefficientOrder::update(const std::vector<double>& magnitude, bool check_cone) {
  const std::uint64_t n = magnitude.size();
  const int m = 63 - __builtin_clzll(n);
  if (order_.empty()) {
    require(m == m0_, "CoefficientOrder: the first update must have 2^", m0_, " coefficients, got ", n);
    order_.resize(n);
    for (std::uint64_t k = 0; k < n; ++k) order_[k] = k;
    sort_levels(magnitude, m, m - 1, 0);
  } else {
    require(n == 2 * order_.size(), "CoefficientOrder: each update must double the coefficients");
    const std::uint64_t previous = order_.size();
    order_.resize(n);
    for (std::uint64_t k = 0; k < previous; ++k) order_[previous + k] = order_[k] + previous;
    sort_levels(magnitude, m, m - 1, m - lag_ - 1);
  }
  if (check_cone) {
    // S_l = sum over positions [2^(l-1), 2^l), l = l* .. m, bounded by S_l / (1 + c) <= S~ <= S_l / (1 - c),
    // c = omega_hat(m - l) omega_circ(m - l), omega_circ(k) = 2^-k, omega_hat(k) = fudge(k) / ((1 + fudge(r)) omega_circ(r)).
    const int l_star = m0_ - lag_;
    const auto fudge = [this](int k) { return fudge_ * std::ldexp(1.0, -k); };
    cone_low_.resize(static_cast<std::size_t>(m - l_star + 1), 0.0);
    cone_up_.resize(static_cast<std::size_t>(m - l_star + 1), std::numeric_limits<double>::infinity());
    for (int l = l_star; l <= m; ++l) {
      const double c = fudge(m - l) / ((1 + fudge(lag_)) * std::ldexp(1.0, -lag_)) * std::ldexp(1.0, -(m - l));
      const double s = level_sum(magnitude, l == 0 ? 0 : std::uint64_t{1} << (l - 1), std::uint64_t{1} << l);
      const std::size_t index = static_cast<std::size_t>(l - l_star);
      cone_low_[index] = std::max(cone_low_[index], s / (1 + c));
      if (c < 1) cone_up_[index] = std::min(cone_up_[index], s / (1 - c));
      violated_ = violated_ || cone_low_[index] > cone_up_[index];
    }
  }
  return fudge_ * std::ldexp(1.0, -m) * level_sum(magnitude, std::uint64_t{1} << (m - lag_ - 1), std::uint64_t{1} << (m - lag_));
}

}  // namespace qmcsim::detail
