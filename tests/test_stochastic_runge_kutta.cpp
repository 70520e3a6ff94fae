// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/sde/stochastic_runge_kutta.hpp: strong orders of every tableau (against exact GBM
// solutions of the tree's path and a fine-step reference), one step of each against its formula
// written out from the papers, exactness for noise linear in time, and the checks of a tableau.

#include <gtest/gtest.h>

#include "sde_orders.hpp"

namespace qmcsim {
namespace {

using Exec = Kokkos::DefaultExecutionSpace;
using test::additive_order;
using test::gbm_order;

// Diagonal noise is commutative: the Stratonovich methods reach order 1 on the Stratonovich GBM.
TEST(StochasticRungeKutta, StratonovichHeunHasStrongOrderOneOnGbm) { EXPECT_NEAR(gbm_order<StratonovichHeun>(), 1.0, 0.1); }
TEST(StochasticRungeKutta, SPaRKHasStrongOrderOneOnGbm) { EXPECT_NEAR(gbm_order<SPaRK>(), 1.0, 0.1); }

TEST(StochasticRungeKutta, ShARKHasStrongOrderThreeHalvesForAdditiveNoise) { EXPECT_NEAR(additive_order<ShARK>(), 1.5, 0.2); }
TEST(StochasticRungeKutta, SRA1HasStrongOrderThreeHalvesForAdditiveNoise) { EXPECT_NEAR(additive_order<SRA1>(), 1.5, 0.2); }
TEST(StochasticRungeKutta, SPaRKHasStrongOrderThreeHalvesForAdditiveNoise) { EXPECT_NEAR(additive_order<SPaRK>(), 1.5, 0.2); }
TEST(StochasticRungeKutta, SEAHasStrongOrderOneForAdditiveNoise) { EXPECT_NEAR(additive_order<SEA>(), 1.0, 0.15); }

// General noise (a noise matrix): one state and two Brownian components is commutative, where the
// Stratonovich methods keep order 1; a 2 x 3 matrix constant or linear in time is integrated exactly.
TEST(StochasticRungeKutta, StratonovichMethodsHaveStrongOrderOneForACommutativeNoiseMatrix) {
  EXPECT_NEAR(test::two_noise_order<StratonovichHeun>(), 1.0, 0.1);
  EXPECT_NEAR(test::two_noise_order<SPaRK>(), 1.0, 0.1);
}

TEST(StochasticRungeKutta, NoiseMatricesConstantOrLinearInTimeAreIntegratedExactly) {
  test::expect_exact_for_matrix_noise<StratonovichHeun>(false);
  test::expect_exact_for_matrix_noise<SPaRK>(false);
  test::expect_exact_for_matrix_noise<SEA>(true);
  test::expect_exact_for_matrix_noise<SRA1>(true);
  test::expect_exact_for_matrix_noise<ShARK>(true);
}

// Non-commutative noise: the mean of Heun's step is exact, E[y'] = (I + hA + h^2 A^2 / 2 + (h/2) sum_j
// B_j^2) E[y] (its second stage's g(z) W contributes B_j B_j y h through E[W_j W_k] = h delta_jk).
TEST(StochasticRungeKutta, HeunMapsTheMeanOfNoncommutativeNoise) {
  const test::NoncommutativeLinearNoise sde;
  const State<2> y0{1.0, 0.5};
  const auto x = test::noncommutative_terminal<StratonovichHeun>(sde, y0, 37);
  const double h = 1.0 / test::noncommutative_steps;
  double M[2][2];
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      double square = 0, noise = 0;
      for (int a = 0; a < 2; ++a) {
        square += sde.A[i][a] * sde.A[a][j];
        for (int k = 0; k < 2; ++k) noise += sde.B[k][i][a] * sde.B[k][a][j];
      }
      M[i][j] = (i == j) + h * sde.A[i][j] + h * h / 2 * square + h / 2 * noise;
    }
  State<2> m = y0;
  for (int k = 0; k < test::noncommutative_steps; ++k) m = {M[0][0] * m[0] + M[0][1] * m[1], M[1][0] * m[0] + M[1][1] * m[1]};
  for (std::size_t i = 0; i < 2; ++i)
    test::expect_sample_mean(x, [&](std::size_t p) { return x(p, 0, i); }, m[i], "component " + std::to_string(i));
}

// dX = (a + b t) dW: an additive method's time correction (g(t + h) - g(t)) (W/2 - H) makes every step
// the exact integral, so any number of steps gives a W + b T (W/2 - H) of the whole interval.
template <class Solver>
void expect_exact_for_noise_linear_in_time() {
  const test::LinearInTimeNoise sde{0.7, -1.9};
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 3.0, 1, 33);
  Kokkos::View<double* [2], Kokkos::HostSpace> whole("whole", 1);
  whole(0, 1) = 3.0;
  const auto increments = brownian_increments<Exec>(tree, 64, whole);
  const auto W = test::to_host(increments.W), H = test::to_host(increments.H);
  SolveOptions options;
  options.paths = 64;
  for (int steps : {1, 7, 64}) {
    const auto x = test::to_host(
        solve_sde<Exec>(Solver(), sde, tree, State<1>{0.0}, {3.0}, ConstantSteps(3.0 / steps), options).states);
    for (std::size_t p = 0; p < 64; ++p)
      ASSERT_NEAR(x(p, 0, 0), sde.exact(3.0, W(p, 0, 0), H(p, 0, 0)), 1e-12)
          << Solver().name << ", " << steps << " steps, path " << p;
  }
}

TEST(StochasticRungeKutta, AdditiveMethodsAreExactForNoiseLinearInTime) {
  expect_exact_for_noise_linear_in_time<SEA>();
  expect_exact_for_noise_linear_in_time<SRA1>();
  expect_exact_for_noise_linear_in_time<ShARK>();
}

/// dX = sin(X) dt + (1 + t) dW, for single steps written out by hand.
struct SineDrift {
  static constexpr std::size_t dimension = 1;
  static constexpr bool additive_noise = true;
  KOKKOS_INLINE_FUNCTION State<1> drift(double, const State<1>& y) const { return {std::sin(y[0])}; }
  KOKKOS_INLINE_FUNCTION State<1> diffusion(double t, const State<1>&) const { return {1 + t}; }
};

/// dX = cos(t) X dt + (X + X^2 / 4) o dW, for single steps written out by hand.
struct QuadraticNoise {
  static constexpr std::size_t dimension = 1;
  KOKKOS_INLINE_FUNCTION State<1> drift(double t, const State<1>& y) const { return {std::cos(t) * y[0]}; }
  KOKKOS_INLINE_FUNCTION State<1> diffusion(double, const State<1>& y) const { return {y[0] + y[0] * y[0] / 4}; }
};

TEST(StochasticRungeKutta, OneStepOfEachTableauIsItsFormula) {
  const double t = 0.3, h = 0.2, y = 0.9, W = 0.35, H = -0.08;
  NoiseIncrement<1> dw;
  dw.W[0] = W, dw.H[0] = H;
  const auto f = [](double, double x) { return std::sin(x); };
  const double g0 = 1 + t, g1 = 1 + t + h, correction = (g1 - g0) * (W / 2 - H);

  // SRA1 (Rößler 2010): z1 = y + (3/4) h f0 + g ((3/4) W + (3/2) H); y' = y + h (f0 + 2 f1)/3 + g W.
  const double sra_f0 = f(t, y), sra_f1 = f(t + 0.75 * h, y + 0.75 * h * sra_f0 + g0 * (0.75 * W + 1.5 * H));
  const auto sra1 = SRA1().step(SineDrift(), t, h, State<1>{y}, dw);
  EXPECT_NEAR(sra1.y[0], y + h * (sra_f0 + 2 * sra_f1) / 3 + g0 * W + correction, 1e-15);
  EXPECT_NEAR(sra1.error[0], h * (2.0 / 3) * (sra_f1 - sra_f0), 1e-15);

  // SEA: y' = y + h f(y + g (W/2 + H)) + g W.
  const auto sea = SEA().step(SineDrift(), t, h, State<1>{y}, dw);
  EXPECT_NEAR(sea.y[0], y + h * f(t, y + g0 * (W / 2 + H)) + g0 * W + correction, 1e-15);

  // ShARK: z0 = y + g H, z1 = y + (5/6) h f0 + g ((5/6) W + H); y' = y + h (0.4 f0 + 0.6 f1) + g W.
  const double shark_f0 = f(t, y + g0 * H), shark_f1 = f(t, y + (5.0 / 6) * h * shark_f0 + g0 * ((5.0 / 6) * W + H));
  const auto shark = ShARK().step(SineDrift(), t, h, State<1>{y}, dw);
  EXPECT_NEAR(shark.y[0], y + h * (0.4 * shark_f0 + 0.6 * shark_f1) + g0 * W + correction, 1e-15);
  EXPECT_NEAR(shark.error[0], 0.6 * h * (shark_f1 - shark_f0), 1e-15);

  // Stratonovich Heun: z1 = y + h f0 + g0 W; y' = y + h (f0 + f1)/2 + (g0 + g1) W/2.
  const QuadraticNoise q;
  const auto qf = [&](double s, double x) { return q.drift(s, State<1>{x})[0]; };
  const auto qg = [&](double s, double x) { return q.diffusion(s, State<1>{x})[0]; };
  const double z1 = y + h * qf(t, y) + qg(t, y) * W;
  const auto heun = StratonovichHeun().step(q, t, h, State<1>{y}, dw);
  EXPECT_NEAR(heun.y[0], y + h * (qf(t, y) + qf(t + h, z1)) / 2 + (qg(t, y) + qg(t + h, z1)) * W / 2, 1e-15);
  EXPECT_NEAR(heun.error[0], h * (qf(t, y) - qf(t + h, z1)) / 2 + (qg(t, y) - qg(t + h, z1)) * W / 2, 1e-15);

  // SPaRK (Foster 2023, Definition 1.6), x1 = (3 - sqrt 3)/6, x2 = 1/sqrt 3:
  // z1 = y + h f0/2 + g0 (W/2 + sqrt(3) H), z2 = y + h f1 + g1 W,
  // y' = y + h (x1 f0 + x2 f1 + x1 f2) + W (x1 g0 + x2 g1 + x1 g2) + H (g0 - g2).
  const double x1 = (3 - std::sqrt(3.0)) / 6, x2 = 1 / std::sqrt(3.0);
  const double s0 = y, s1 = y + h * qf(t, s0) / 2 + qg(t, s0) * (W / 2 + std::sqrt(3.0) * H);
  const double s2 = y + h * qf(t + h / 2, s1) + qg(t + h / 2, s1) * W;
  const double F[3] = {qf(t, s0), qf(t + h / 2, s1), qf(t + h, s2)}, G[3] = {qg(t, s0), qg(t + h / 2, s1), qg(t + h, s2)};
  const auto spark = SPaRK().step(q, t, h, State<1>{y}, dw);
  EXPECT_NEAR(spark.y[0], y + h * (x1 * F[0] + x2 * F[1] + x1 * F[2]) + W * (x1 * G[0] + x2 * G[1] + x1 * G[2]) + H * (G[0] - G[2]), 1e-14);
  EXPECT_NEAR(spark.error[0], spark.y[0] - y - h * (F[0] + F[2]) / 2 - W * (G[0] + G[2]) / 2, 1e-14);
}

TEST(StochasticRungeKutta, AnInconsistentTableauOrAMismatchedTreeIsRefused) {
  const test::NonlinearOrnsteinUhlenbeck sde{1.0, 1.0};
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 1.0, 1, 34);
  SolveOptions options;
  options.paths = 2;
  const auto message = [&](const auto& solver, const auto& noise) -> std::string {
    try {
      solve_sde<Exec>(solver, sde, noise, State<1>{0.0}, {1.0}, ConstantSteps(0.5), options);
    } catch (const error& e) {
      return e.what();
    }
    return "accepted";
  };
  SRA1 weights_not_one;
  weights_not_one.drift.b[1] = 0.6;
  EXPECT_NE(message(weights_not_one, tree).find("sra1: the drift weights b sum to"), std::string::npos);
  ShARK node_off_row_sum;
  node_off_row_sum.drift.c[1] = 0.5;
  EXPECT_NE(message(node_off_row_sum, tree).find("c[1] = 0.5 is not the row sum"), std::string::npos);
  SPaRK error_not_a_difference;
  error_not_a_difference.w.b_error[0] = 0;
  EXPECT_NE(message(error_not_a_difference, tree).find("spark: the W error weights sum to"), std::string::npos);
  SRA1 estimate_identically_zero;  // a declared estimate that is always 0 would grow the step without bound
  estimate_identically_zero.drift.b_error[0] = estimate_identically_zero.drift.b_error[1] = 0;
  EXPECT_NE(message(estimate_identically_zero, tree).find("sra1: declares an error estimate but all its error weights are 0"),
            std::string::npos);
  SEA undeclared_estimate;
  undeclared_estimate.drift.b_error[0] = 0.5;
  EXPECT_NE(message(undeclared_estimate, tree).find("sea: has error weights but declares no error estimate"),
            std::string::npos);
  const VirtualBrownianTree<LevyArea::space_time> two_components(0.0, 1.0, 2, 34);
  EXPECT_NE(message(ShARK(), two_components).find("the tree has 2 components, the SDE's noise 1"), std::string::npos);
  const test::MatrixLinearInTimeNoise matrix_noise{};  // three Brownian components
  try {
    solve_sde<Exec>(ShARK(), matrix_noise, two_components, State<2>{0.0, 0.0}, {1.0}, ConstantSteps(0.5), options);
    ADD_FAILURE() << "a 2-component tree for 3 noise components was accepted";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("the tree has 2 components, the SDE's noise 3 (one per Brownian component"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(message(ShARK(), tree), "accepted");
}

}  // namespace
}  // namespace qmcsim
