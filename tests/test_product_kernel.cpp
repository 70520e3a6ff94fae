// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/kernels/product_kernel.hpp: shift-invariant factors against their Fourier series,
// digitally-shift-invariant factors against their Walsh series (coefficients from a fast Walsh
// transform of samples, compared with the aliased sums of r_alpha(k) computed exactly), and
// QMCPy's published kernel values.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "qmcsim/core/error.hpp"
#include "qmcsim/kernels/product_kernel.hpp"

namespace qmcsim {
namespace {

std::uint64_t word_of(double u) { return static_cast<std::uint64_t>(std::ldexp(u, 64)); }

TEST(ProductKernel, ShiftInvariantFactorsAreTheirFourierSeries) {
  std::mt19937_64 rng(3);
  for (int alpha = 1; alpha <= 4; ++alpha)
    for (int trial = 0; trial < 6; ++trial) {
      const std::uint64_t w = rng();
      const double u = static_cast<double>(w) * 0x1p-64;
      // 2 sum_{h >= 1} cos(2 pi h u) / h^{2 alpha}; the tail beyond H is below 2 / ((2 alpha - 1) H^{2 alpha - 1})
      const long H = alpha == 1 ? 400000 : 20000;
      long double series = 0;
      for (long h = H; h >= 1; --h) series += 2 * std::cos(2 * M_PIl * h * static_cast<long double>(u)) / std::pow(static_cast<long double>(h), 2 * alpha);
      const double tail = 2.0 / ((2 * alpha - 1) * std::pow(static_cast<double>(H), 2 * alpha - 1));
      EXPECT_NEAR(kernels::shift_invariant(alpha, w), static_cast<double>(series), tail + 1e-12) << "alpha " << alpha << " u " << u;
    }
}

// c_l = sum over k = h 2^T + l (h >= 0, k >= 1) of r_alpha(k): what a Walsh transform of samples at
// the points i / 2^T returns, since wal_k(i / 2^T) = wal_{k mod 2^T}(i / 2^T). Computed by dynamic
// programming over the bit positions (1 = most significant digit weight 2^-1 <-> bit position 1),
// deep enough (60 bits) that the neglected tail is below 2^-55.
double aliased_walsh_coefficient(int alpha, std::uint64_t l, int T) {
  std::map<int, double> states = {{0, 1.0}};  // ones taken so far (capped at alpha) -> weight
  for (int position = 60; position >= 1; --position) {
    std::map<int, double> next;
    const bool fixed = position <= T;
    for (const auto& [taken, weight] : states)
      for (int bit : {0, 1}) {
        if (fixed && bit != static_cast<int>((l >> (position - 1)) & 1)) continue;
        if (bit == 0 || taken == alpha) next[taken] += weight;
        else next[taken + 1] += weight * std::ldexp(1.0, -(alpha == 1 ? 2 : 1) * position);
      }
    states = next;
  }
  double total = 0;
  for (const auto& [taken, weight] : states) total += weight;
  if (l == 0) total -= 1;  // k = 0 has no term
  return alpha == 1 ? 2 * total : total;  // r_1(k) = 2 * 4^{-mu_1(k)}
}

TEST(ProductKernel, DigitallyShiftInvariantFactorsAreTheirWalshSeries) {
  const int T = 8;
  const std::size_t n = std::size_t{1} << T;
  for (int alpha = 1; alpha <= 4; ++alpha) {
    std::vector<double> samples(n);
    for (std::size_t i = 0; i < n; ++i) samples[i] = kernels::digitally_shift_invariant(alpha, static_cast<std::uint64_t>(i) << (64 - T));
    for (std::uint64_t l = 0; l < n; ++l) {
      double coefficient = 0;  // (1/n) sum_i Ktilde(i / n) wal_l(i / n), digit j+1 of i/n is bit T-1-j of i
      for (std::size_t i = 0; i < n; ++i) {
        int parity = 0;
        for (int j = 0; j < T; ++j) parity ^= static_cast<int>(((l >> j) & 1) & ((i >> (T - 1 - j)) & 1));
        coefficient += (parity ? -1 : 1) * samples[i];
      }
      EXPECT_NEAR(coefficient / n, aliased_walsh_coefficient(alpha, l, T), 1e-13) << "alpha " << alpha << " l " << l;
    }
  }
}

TEST(ProductKernel, QMCPyPublishedDiagonalValues) {
  // K(x, x) with scale 10, weights 1/j^2, alpha = 1..4 (QMCPy's KernelShiftInvar / KernelDigShiftInvar doctests)
  double shift = 10, digital = 10;
  for (int j = 1; j <= 4; ++j) {
    shift *= 1 + kernels::shift_invariant(j, 0) / (j * j);
    digital *= 1 + kernels::digitally_shift_invariant(j, 0) / (j * j);
  }
  EXPECT_NEAR(shift, 91.23444453396341, 1e-12);
  EXPECT_NEAR(digital, 34.490370029184525, 1e-12);
}

TEST(ProductKernel, ChecksItsParameters) {
  ProductKernel kernel{KernelFamily::shift_invariant, 1.0, {0.5, 0.25}, {1, 2}};
  EXPECT_NO_THROW(kernel.check());
  kernel.smoothness = {1, 5};
  EXPECT_THROW(kernel.check(), error);
  kernel.smoothness = {1};
  EXPECT_THROW(kernel.check(), error);
  kernel.smoothness = {1, 2};
  kernel.weights = {0.5, -1};
  EXPECT_THROW(kernel.check(), error);
  kernel.weights = {0.5, 0.25};
  kernel.scale = std::nan("");
  EXPECT_THROW(kernel.check(), error);
}

}  // namespace
}  // namespace qmcsim
