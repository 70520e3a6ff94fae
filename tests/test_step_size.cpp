// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/sde/step_size.hpp: the PID controller's decisions and factors against the formula.

#include <gtest/gtest.h>

#include <cmath>

#include "qmcsim/sde/step_size.hpp"

namespace qmcsim {
namespace {

TEST(StepSize, ConstantStepsAlwaysAccept) {
  const ConstantSteps steps(0.25);
  ConstantSteps::Memory memory;
  double next = 0;
  EXPECT_TRUE(steps.accept(State<1>{1.0}, State<1>{2.0}, State<1>{1e9}, 0.25, next, memory));
  EXPECT_EQ(next, 0.25);
  EXPECT_THROW(ConstantSteps(0.0), error);
  EXPECT_THROW(ConstantSteps(NAN), error);
}

TEST(StepSize, PidFactorFollowsTheFormula) {
  PidController pid(1e-3, 1e-6, 1.5);  // p = 0.1, i = 0.3: b1 = 0.4, b2 = -0.1
  PidController::Memory memory;
  double next = 0;
  // error ratio: |e| / (atol + rtol max(|y|, |y'|)) = 5e-4 / (1e-6 + 1e-3 * 2) ~ 0.2499
  const double ratio = 5e-4 / (1e-6 + 2e-3);
  ASSERT_TRUE(pid.accept(State<1>{1.0}, State<1>{2.0}, State<1>{5e-4}, 0.1, next, memory));
  EXPECT_NEAR(next, 0.1 * 0.9 * std::pow(ratio, -0.4 / 1.5), 1e-15);
  EXPECT_NEAR(memory.previous, ratio, 1e-15);
  // a second accepted step also uses the previous ratio: r_{n-1}^{+0.1/q}
  const double ratio2 = 1e-3 / (1e-6 + 2e-3);
  ASSERT_TRUE(pid.accept(State<1>{1.0}, State<1>{2.0}, State<1>{1e-3}, 0.1, next, memory));
  EXPECT_NEAR(next, 0.1 * 0.9 * std::pow(ratio2, -0.4 / 1.5) * std::pow(ratio, 0.1 / 1.5), 1e-15);
}

TEST(StepSize, PidRejectsLargeErrorsAndShrinks) {
  PidController pid(1e-3, 1e-6, 1.0);
  PidController::Memory memory;
  double next = 0;
  EXPECT_FALSE(pid.accept(State<2>{1.0, 1.0}, State<2>{1.0, 1.0}, State<2>{1.0, 0.0}, 0.1, next, memory));
  EXPECT_NEAR(next, 0.1 * pid.factor_min, 1e-15);  // ratio ~ 707: the factor is clipped
  EXPECT_EQ(memory.previous, 1.0);                 // rejected steps leave the memory alone
  EXPECT_FALSE(pid.accept(State<1>{1.0}, State<1>{1.0}, State<1>{NAN}, 0.1, next, memory));
  pid.dtmin = 0.05;
  EXPECT_TRUE(pid.accept(State<1>{1.0}, State<1>{1.0}, State<1>{1.0}, 0.05, next, memory));
  EXPECT_THROW(PidController(0, 0, 1), error);
  EXPECT_THROW(PidController(1e-3, 1e-3, 0), error);
}

}  // namespace
}  // namespace qmcsim
