// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// SDEs with known solutions for the solver tests, besides the public ones of qmcsim/sde/models.hpp.

#include <cmath>

#include "qmcsim/sde/models.hpp"
#include "qmcsim/sde/solvers.hpp"

namespace qmcsim::test {

/// Additive noise with a nonlinear drift: dX = -theta (X + X^3 / 3) dt + sigma dW (a perturbed
/// Ornstein-Uhlenbeck process; the strong reference is a fine-step solution on the same path).
struct NonlinearOrnsteinUhlenbeck {
  static constexpr std::size_t dimension = 1;
  static constexpr bool additive_noise = true;
  double theta, sigma;
  KOKKOS_INLINE_FUNCTION State<1> drift(double, const State<1>& y) const { return {-theta * (y[0] + y[0] * y[0] * y[0] / 3)}; }
  KOKKOS_INLINE_FUNCTION State<1> diffusion(double, const State<1>&) const { return {sigma}; }
};

/// dX = (a + b t) dW on [0, T] from X_0 = 0: X_T = a W + b T (W/2 - H) with W, H over [0, T] (the
/// integral of t dW is T W - integral of W dt, and the integral of W over [0, T] is T (W/2 + H)).
struct LinearInTimeNoise {
  static constexpr std::size_t dimension = 1;
  static constexpr bool additive_noise = true;
  double a, b;
  KOKKOS_INLINE_FUNCTION State<1> drift(double, const State<1>&) const { return {0.0}; }
  KOKKOS_INLINE_FUNCTION State<1> diffusion(double t, const State<1>&) const { return {a + b * t}; }
  double exact(double T, double W, double H) const { return a * W + b * T * (W / 2 - H); }
};

/// General (N x M) noise, additive and linear in time: dX = (B0 + t B1) dW with N = 2 state
/// components and M = 3 Brownian components, from X_0 = 0: X_T = B0 W + B1 T (W/2 - H) with W, H over
/// [0, T] (the matrix form of LinearInTimeNoise).
struct MatrixLinearInTimeNoise {
  static constexpr std::size_t dimension = 2, noise_dimension = 3;
  static constexpr bool additive_noise = true;
  double B0[2][3], B1[2][3];
  KOKKOS_INLINE_FUNCTION State<2> drift(double, const State<2>&) const { return {0.0, 0.0}; }
  KOKKOS_INLINE_FUNCTION NoiseMatrix<2, 3> diffusion(double t, const State<2>&) const {
    NoiseMatrix<2, 3> g;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j) g(i, j) = B0[i][j] + t * B1[i][j];
    return g;
  }
  double exact(std::size_t i, double T, const double (&W)[3], const double (&H)[3]) const {
    double x = 0;
    for (std::size_t j = 0; j < 3; ++j) x += B0[i][j] * W[j] + B1[i][j] * T * (W[j] / 2 - H[j]);
    return x;
  }
};

/// One state driven by two Brownian components, dX = a X dt + b1 X dW_1 + b2 X dW_2 (N = 1, M = 2: a
/// 1 x 2 noise matrix, commutative): X_T = X_0 exp((a - (b1^2 + b2^2)/2) T + b1 W_1 + b2 W_2) in Itô
/// form, X_0 exp(a T + b1 W_1 + b2 W_2) in Stratonovich form.
template <Calculus Form>
struct TwoNoiseGeometricBrownianMotion {
  static constexpr std::size_t dimension = 1, noise_dimension = 2;
  double a, b1, b2;
  KOKKOS_INLINE_FUNCTION State<1> drift(double, const State<1>& y) const { return {a * y[0]}; }
  KOKKOS_INLINE_FUNCTION NoiseMatrix<1, 2> diffusion(double, const State<1>& y) const { return {{b1 * y[0], b2 * y[0]}}; }
  double exact(double x0, double T, double w1, double w2) const {
    const double rate = Form == Calculus::ito ? a - (b1 * b1 + b2 * b2) / 2 : a;
    return x0 * std::exp(rate * T + b1 * w1 + b2 * w2);
  }
};

/// Non-commutative linear noise: dX = A X dt + B_1 X dW_1 + B_2 X dW_2 in R^2 with B_1 B_2 != B_2 B_1,
/// column j of g being B_j X. No closed-form path, but one step of Euler-Maruyama maps the moments
/// exactly: E[X'] = (I + hA) E[X] and E[X' X'^T] = (I + hA) P (I + hA)^T + h sum_j B_j P B_j^T.
struct NoncommutativeLinearNoise {
  static constexpr std::size_t dimension = 2, noise_dimension = 2;
  double A[2][2] = {{-0.5, 0.3}, {0.1, -0.4}};
  // B[j] multiplies dW_j. Both push mostly the first component, so that g g^T (the noise's covariance)
  // and g^T g (what a transposed g would give) differ by hundreds of standard errors in the tests.
  double B[2][2][2] = {{{0.7, 0.5}, {0.0, 0.0}}, {{0.4, 0.6}, {0.1, 0.0}}};
  KOKKOS_INLINE_FUNCTION State<2> drift(double, const State<2>& y) const {
    return {A[0][0] * y[0] + A[0][1] * y[1], A[1][0] * y[0] + A[1][1] * y[1]};
  }
  KOKKOS_INLINE_FUNCTION NoiseMatrix<2, 2> diffusion(double, const State<2>& y) const {
    NoiseMatrix<2, 2> g;
    for (std::size_t j = 0; j < 2; ++j)
      for (std::size_t i = 0; i < 2; ++i) g(i, j) = B[j][i][0] * y[0] + B[j][i][1] * y[1];
    return g;
  }
};

}  // namespace qmcsim::test
