// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/core/normal.hpp against Boost.Math's normal quantile.

#include <gtest/gtest.h>

#include <cmath>

#include "boost_oracles.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/core/normal.hpp"

namespace qmcsim {
namespace {

TEST(Normal, QuantileMatchesBoostMath) {
  double worst = 0;
  for (double log10_p = -300; log10_p < -0.31; log10_p += 0.37) {
    const double p = std::pow(10.0, log10_p);
    for (double q : {p, 1 - p}) {
      if (q <= 0 || q >= 1) continue;
      const double expected = test::boost_normal_quantile(q);
      worst = std::max(worst, std::abs(normal_quantile(q) - expected) / std::max(1.0, std::abs(expected)));
    }
  }
  for (double p = 0.001; p < 1; p += 0.001) {
    const double expected = test::boost_normal_quantile(p);
    worst = std::max(worst, std::abs(normal_quantile(p) - expected) / std::max(1.0, std::abs(expected)));
  }
  EXPECT_LT(worst, 4e-15);
}

TEST(Normal, EdgesAndSymmetry) {
  EXPECT_LT(std::abs(normal_quantile(0.5)), 1e-16);
  EXPECT_EQ(normal_quantile(0.0), -INFINITY);
  EXPECT_EQ(normal_quantile(1.0), INFINITY);
  EXPECT_TRUE(std::isnan(normal_quantile(std::nan(""))));
  EXPECT_TRUE(std::isnan(normal_quantile(-0.1)));
  for (double p : {0x1p-2, 0x1p-7, 0x1p-20, 0x1p-40})  // 1 - p is exact for these
    EXPECT_NEAR(normal_quantile(p), -normal_quantile(1 - p), 1e-14 * std::abs(normal_quantile(p)));
}

}  // namespace
}  // namespace qmcsim
