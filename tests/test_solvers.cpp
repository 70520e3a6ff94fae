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

// General noise: one state and two Brownian components (a 1 x 2 noise matrix) against its exact
// solution; a 2 x 3 constant noise matrix integrated exactly.
TEST(Solvers, EulerMaruyamaHasStrongOrderOneHalfWithANoiseMatrix) {
  EXPECT_NEAR(test::two_noise_order<EulerMaruyama>(), 0.5, 0.1);
}
TEST(Solvers, EulerMaruyamaIsExactForAConstantNoiseMatrix) { test::expect_exact_for_matrix_noise<EulerMaruyama>(false); }

// Non-commutative noise has no closed-form path, but Euler-Maruyama's moments follow an exact
// recursion: m' = (I + hA) m, P' = (I + hA) P (I + hA)^T + h sum_j B_j P B_j^T. 2^16 paths, 8 steps.
TEST(Solvers, EulerMaruyamaMapsTheMomentsOfNoncommutativeNoise) {
  const test::NoncommutativeLinearNoise sde;
  const State<2> y0{1.0, 0.5};
  const auto x = test::noncommutative_terminal<EulerMaruyama>(sde, y0, 36);
  const double h = 1.0 / test::noncommutative_steps;
  State<2> m = y0;
  double P[2][2] = {{y0[0] * y0[0], y0[0] * y0[1]}, {y0[1] * y0[0], y0[1] * y0[1]}};
  double step[2][2];  // I + hA
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) step[i][j] = (i == j) + h * sde.A[i][j];
  for (int k = 0; k < test::noncommutative_steps; ++k) {
    const State<2> next{step[0][0] * m[0] + step[0][1] * m[1], step[1][0] * m[0] + step[1][1] * m[1]};
    double Q[2][2] = {};
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j)
        for (int a = 0; a < 2; ++a)
          for (int b = 0; b < 2; ++b) {
            Q[i][j] += step[i][a] * P[a][b] * step[j][b];
            for (int noise = 0; noise < 2; ++noise) Q[i][j] += h * sde.B[noise][i][a] * P[a][b] * sde.B[noise][j][b];
          }
    m = next;
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) P[i][j] = Q[i][j];
  }
  for (std::size_t i = 0; i < 2; ++i) {
    test::expect_sample_mean(x, [&](std::size_t p) { return x(p, 0, i); }, m[i], "mean " + std::to_string(i));
    for (std::size_t j = 0; j < 2; ++j)
      test::expect_sample_mean(x, [&](std::size_t p) { return x(p, 0, i) * x(p, 0, j); }, P[i][j],
                               "second moment " + std::to_string(i) + std::to_string(j));
  }
}

TEST(Solvers, OneStepOfEulerAndMilsteinIsTheFormula) {
  const GeometricBrownianMotion<1> gbm{0.3, 0.5};
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
