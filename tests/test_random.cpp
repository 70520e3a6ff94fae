// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/core/random.hpp: Random123's published known-answer vectors for Philox4x32-10
// (so the counter and key words are laid out as documented), key derivation, uniform helpers, and
// Box-Muller normals against the normal CDF (Kolmogorov-Smirnov at p = 1e-6).

#include <gtest/gtest.h>

#include <set>

#include "qmcsim/core/random.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

TEST(Random, Philox4x32x10KnownAnswers) {
  const RandomBlock zero = philox(0, 0, 0, 0, static_cast<Stream>(0));
  const std::uint32_t expected_zero[4] = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8};
  for (int w = 0; w < 4; ++w) EXPECT_EQ(zero.word[w], expected_zero[w]) << w;
  // counter = digits of pi, key = the next digits
  const RandomBlock pi = philox(0x299f31d0a4093822ULL, 0x243f6a88, 0x85a308d3, 0x13198a2e, static_cast<Stream>(0x03707344));
  const std::uint32_t expected_pi[4] = {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1};
  for (int w = 0; w < 4; ++w) EXPECT_EQ(pi.word[w], expected_pi[w]) << w;
}

TEST(Random, BlockAccessors) {
  const RandomBlock block{{0x00000001u, 0x80000000u, 0xffffffffu, 0u}};
  EXPECT_EQ(block.u64(0), 0x8000000000000001ULL);
  EXPECT_EQ(block.u64(1), 0x00000000ffffffffULL);
  EXPECT_EQ(block.bit(0), 1u);
  EXPECT_EQ(block.bit(63), 1u);
  EXPECT_EQ(block.bit(62), 0u);
  EXPECT_EQ(block.bit(64), 1u);
  EXPECT_EQ(block.bit(127), 0u);
}

TEST(Random, DerivedKeysDoNotCollide) {
  std::set<std::uint64_t> keys;
  for (std::uint32_t a = 0; a < 300; ++a)
    for (std::uint32_t b = 0; b < 300; ++b) keys.insert(derive_key(42, Stream::nested_scramble, a, b));
  EXPECT_EQ(keys.size(), 90000u);
  EXPECT_NE(derive_key(42, Stream::nested_scramble, 1, 2), derive_key(42, Stream::digital_shift, 1, 2));
  EXPECT_NE(derive_key(42, Stream::nested_scramble, 1, 2), derive_key(43, Stream::nested_scramble, 1, 2));
}

TEST(Random, UniformHelpers) {
  EXPECT_EQ(open_unit_interval(0), 0x1p-53);
  EXPECT_EQ(open_unit_interval(~std::uint64_t{0}), 1.0 - 0x1p-53);
  EXPECT_EQ(scale_below(0, 7), 0u);
  EXPECT_EQ(scale_below(~std::uint64_t{0}, 7), 6u);
  EXPECT_EQ(scale_below(std::uint64_t{1} << 63, 10), 5u);
  std::vector<double> u(200000);
  std::vector<int> counts(7, 0);
  for (std::size_t i = 0; i < u.size(); ++i) {
    const RandomBlock block = philox(9, i, 0, Stream::monte_carlo);
    u[i] = open_unit_interval(block.u64(0));
    ++counts[scale_below(block.u64(1), 7)];
  }
  EXPECT_LT(test::ks_distance_to_uniform(u), test::ks_critical_distance(u.size(), 1e-6));
  double chi2 = 0;  // 6 degrees of freedom: P(chi2 > 40) < 5e-7
  for (int c : counts) chi2 += (c - u.size() / 7.0) * (c - u.size() / 7.0) / (u.size() / 7.0);
  EXPECT_LT(chi2, 40);
}

template <class Real>
void check_normal_pairs() {
  const std::size_t n = 1 << 17;
  std::vector<double> first(n), second(n);
  for (std::size_t k = 0; k < n; ++k) {
    const NormalPair<Real> z = normal_pair<Real>(philox(3, k, 0, Stream::monte_carlo));
    ASSERT_TRUE(std::isfinite(z.first) && std::isfinite(z.second));
    first[k] = 0.5 * std::erfc(-z.first / std::sqrt(2.0));  // Phi(z): uniform for a standard normal
    second[k] = 0.5 * std::erfc(-z.second / std::sqrt(2.0));
  }
  EXPECT_LT(test::ks_distance_to_uniform(first), test::ks_critical_distance(n, 1e-6));
  EXPECT_LT(test::ks_distance_to_uniform(second), test::ks_critical_distance(n, 1e-6));
  double cross = 0;  // the two normals of a pair are uncorrelated: |mean(z1 z2)| < 6 / sqrt(n)
  for (std::size_t k = 0; k < n; ++k) {
    const NormalPair<Real> z = normal_pair<Real>(philox(3, k, 0, Stream::monte_carlo));
    cross += static_cast<double>(z.first) * z.second / n;
  }
  EXPECT_LT(std::abs(cross), 6 / std::sqrt(static_cast<double>(n)));
}

TEST(Random, NormalPairsAreStandardNormal) {
  check_normal_pairs<double>();
  check_normal_pairs<float>();
}

}  // namespace
}  // namespace qmcsim
