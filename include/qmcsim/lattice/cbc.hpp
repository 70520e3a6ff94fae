// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Fast component-by-component (CBC) construction of embedded rank-1 lattice rules in base 2.
///
/// Criterion: the squared worst-case error in the weighted Korobov space of smoothness 2 (product
/// weights gamma_j), equivalently the shift-averaged worst-case error in the unanchored Sobolev space:
///   e_n^2(z) = -1 + (1/n) sum_{k=0}^{n-1} prod_j (1 + gamma_j omega(frac(k z_j / n))),
///   omega(x) = 2 pi^2 B_2(x) = 2 pi^2 (x^2 - x + 1/6).
/// Component s is the odd z < n minimizing the criterion given z_1..z_{s-1}. With n = 2^m the sum over
/// k splits by the 2-adic valuation of k into the unit groups modulo 2^(m-l) = {+-5^a}, on which the
/// matrix omega(k z / n) is circulant in the exponents: every candidate is scored at once by one
/// FFTBR/IFFTBR pair per level, O(n log n) per component (Nuyens & Cools 2006, J. Complexity 22).
///
/// Embedded rules (Cools, Kuo & Nuyens 2006, SIAM J. Sci. Comput. 28): the first 2^k points of the
/// radical-inverse ordered lattice form the rule with 2^k points and vector z mod 2^k, whose error
/// comes out of the same level sums. With k_min < k_max, component s minimizes
///   max_{k_min <= k <= k_max} e_{2^k}^2(z) / e*_{2^k, s}^2,
/// e* being the error of a CBC rule built for 2^k points alone (also computed here), so that every
/// size in the range is within a small factor of the best CBC rule for it.

#include <cstdint>
#include <string>
#include <vector>

namespace qmcsim {

/// What the fast CBC construction builds: an embedded rule of 2^k_min .. 2^k_max points for the
/// product weights gamma.
struct CbcOptions {
  int log2_max_points = 20;  ///< k_max: the rule has 2^k_max points
  int log2_min_points = 10;  ///< k_min: the rule is embedded, good for every 2^k, k_min <= k <= k_max
  std::vector<double> weights;  ///< gamma_1 ... gamma_d (d = weights.size()), each > 0
};

/// The generating vector CBC chose and the squared worst-case errors along the way.
struct CbcResult {
  std::vector<std::uint64_t> generating_vector;  ///< z_1 = 1, z_2, ..., z_d, odd, < 2^k_max
  /// squared_error[k - k_min][s]: e_{2^k}^2 of the first s + 1 components
  std::vector<std::vector<double>> squared_error;
};

/// Runs the fast CBC construction on the host.
CbcResult fast_cbc(const CbcOptions& options);

/// The criterion e_n^2(z) of a given vector by direct summation, O(n d): the oracle for tests.
double lattice_squared_error(const std::vector<std::uint64_t>& generating_vector, const std::vector<double>& weights,
                             std::uint64_t n);

/// Product weights from a short specification: "power:a" gamma_j = j^-a, "geometric:r" gamma_j = r^j,
/// "constant:c" gamma_j = c, for j = 1..dimension.
std::vector<double> product_weights(const std::string& specification, std::size_t dimension);

}  // namespace qmcsim
