// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/sde/solvers.hpp: strong convergence orders on SDEs with known solutions (the fitted
// slope of log RMS error against log step against the theoretical order) and single steps against
// the formulas.

#include <gtest/gtest.h>

#include "sde_orders.hpp"

namespace qmcsim {
namespace {

using test::additive_order;
using test::gbm_order;

TEST(Solvers, EulerMaruyamaHasStrongOrderOneHalfOnGbm) { EXPECT_NEAR(gbm_order<EulerMaruyama>(), 0.5, 0.1); }
TEST(Solvers, MilsteinHasStrongOrderOneOnGbm) { EXPECT_NEAR(gbm_order<Milstein>(), 1.0, 0.1); }
TEST(Solvers, StratonovichMilsteinHasStrongOrderOneOnGbm) { EXPECT_NEAR(gbm_order<StratonovichMilstein>(), 1.0, 0.1); }

TEST(Solvers, EulerMaruyamaHasStrongOrderOneForAdditiveNoise) { EXPECT_NEAR(additive_order<EulerMaruyama>(), 1.0, 0.15); }

TEST(Solvers, OneStepOfEulerAndMilsteinIsTheFormula) {
  const test::GeometricBrownianMotion<1> gbm{0.3, 0.5};
  NoiseIncrement<1> dw;
  dw.W[0] = 0.2;
  const auto em = EulerMaruyama().step(gbm, 0.0, 0.1, State<1>{2.0}, dw);
  const auto milstein = Milstein().step(gbm, 0.0, 0.1, State<1>{2.0}, dw);
  EXPECT_DOUBLE_EQ(em.y[0], 2.0 + 0.3 * 2.0 * 0.1 + 0.5 * 2.0 * 0.2);
  EXPECT_DOUBLE_EQ(milstein.y[0], em.y[0] + 0.5 * (0.5 * 2.0) * 0.5 * (0.04 - 0.1));
  // Milstein's error estimate: its correction plus the drift's trapezoidal correction (h/2)(f(y') - f(y))
  EXPECT_DOUBLE_EQ(milstein.error[0], 0.5 * (0.5 * 2.0) * 0.5 * (0.04 - 0.1) + 0.05 * (0.3 * milstein.y[0] - 0.3 * 2.0));
  // Stratonovich form: (1/2) g g' W^2, without the -h
  const auto stratonovich = StratonovichMilstein().step(gbm, 0.0, 0.1, State<1>{2.0}, dw);
  EXPECT_DOUBLE_EQ(stratonovich.y[0], em.y[0] + 0.5 * (0.5 * 2.0) * 0.5 * 0.04);
  EXPECT_FALSE(EulerMaruyama::has_error_estimate);
}

}  // namespace
}  // namespace qmcsim
