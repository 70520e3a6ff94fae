// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/core/bits.hpp against bit-by-bit reference loops.

#include <gtest/gtest.h>

#include <random>

#include "qmcsim/core/bits.hpp"

namespace qmcsim {
namespace {

std::uint64_t reverse_naive(std::uint64_t x) {
  std::uint64_t r = 0;
  for (int b = 0; b < 64; ++b) r |= ((x >> b) & 1) << (63 - b);
  return r;
}

TEST(Bits, MatchBitByBitReferences) {
  std::mt19937_64 rng(1);
  for (int trial = 0; trial < 20000; ++trial) {
    std::uint64_t x = rng() >> (rng() % 64);
    if (trial % 7 == 0) x = std::uint64_t{1} << (trial % 64);
    int ctz = 0, clz = 0, pop = 0;
    while (ctz < 64 && !((x >> ctz) & 1)) ++ctz;
    while (clz < 64 && !((x >> (63 - clz)) & 1)) ++clz;
    for (int b = 0; b < 64; ++b) pop += (x >> b) & 1;
    EXPECT_EQ(bits::count_trailing_zeros(x), ctz);
    EXPECT_EQ(bits::count_leading_zeros(x), clz);
    EXPECT_EQ(bits::popcount(x), pop);
    EXPECT_EQ(bits::bit_reverse(x), reverse_naive(x));
    if (x) EXPECT_EQ(bits::floor_log2(x), 63 - clz);
  }
  EXPECT_EQ(bits::count_trailing_zeros(0), 64);
  EXPECT_EQ(bits::count_leading_zeros(0), 64);
}

TEST(Bits, GrayCodeChangesOneBitAtTheLowestSetBitOfTheSuccessor) {
  for (std::uint64_t i = 0; i < 100000; ++i) {
    const std::uint64_t change = bits::gray_code(i) ^ bits::gray_code(i + 1);
    EXPECT_EQ(change, std::uint64_t{1} << bits::count_trailing_zeros(i + 1));
  }
}

TEST(Bits, UnitIntervalConversionTruncatesExactly) {
  EXPECT_EQ(bits::to_unit_interval<double>(0), 0.0);
  EXPECT_EQ(bits::to_unit_interval<double>(std::uint64_t{1} << 63), 0.5);
  EXPECT_EQ(bits::to_unit_interval<double>(~std::uint64_t{0}), 1.0 - 0x1p-53);
  EXPECT_EQ(bits::to_unit_interval<float>(~std::uint64_t{0}), 1.0f - 0x1p-24f);
  EXPECT_EQ(bits::to_unit_interval<double>(0x123456789abcdef0ULL), static_cast<double>(0x123456789abcdef0ULL >> 11) * 0x1p-53);
}

}  // namespace
}  // namespace qmcsim
