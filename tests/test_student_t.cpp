// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/core/student_t.hpp against the closed forms for 1 and 2 degrees of freedom and
// published critical values.

#include <gtest/gtest.h>

#include <cmath>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/student_t.hpp"

namespace qmcsim {
namespace {

TEST(StudentT, QuantileMatchesClosedFormsAndTables) {
  // nu = 1 (Cauchy): tan(pi (p - 1/2)) = -cot(pi p), written as a cotangent of the smaller tail so that
  // it keeps full precision as p -> 0; nu = 2: (2p - 1) / sqrt(2 p (1 - p)); both exact
  for (double p : {0.5, 0.6, 0.9, 0.975, 0.995, 0.9999, 0.01, 1e-6}) {
    const double cauchy = p < 0.5 ? -1 / std::tan(M_PI * p) : (p > 0.5 ? 1 / std::tan(M_PI * (1 - p)) : 0.0);
    const double two = (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    EXPECT_NEAR(student_t_quantile(p, 1.0), cauchy, 1e-12 * std::max(1.0, std::abs(cauchy))) << "p " << p;
    EXPECT_NEAR(student_t_quantile(p, 2.0), two, 1e-12 * std::max(1.0, std::abs(two))) << "p " << p;
  }
  // published two-sided critical values (e.g. NIST/SEMATECH e-Handbook, table 1.4.2.3), 3 decimals
  EXPECT_NEAR(student_t_quantile(0.975, 15), 2.131, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.995, 15), 2.947, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.995, 63), 2.656, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 1000), 1.962, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.025, 15), -2.131, 5e-4);
  EXPECT_THROW(student_t_quantile(1.0, 3), error);
  EXPECT_THROW(student_t_quantile(0.5, 0), error);
}

}  // namespace
}  // namespace qmcsim
