// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// SDEs with known solutions for the solver tests.

#include <cmath>

#include "qmcsim/sde/solvers.hpp"

namespace qmcsim::test {

/// dX = mu X dt + sigma X dW, N independent copies. In Itô form X_t = X_0 exp((mu - sigma^2/2) t +
/// sigma W_t), in Stratonovich form (dX = mu X dt + sigma X o dW) X_t = X_0 exp(mu t + sigma W_t).
template <std::size_t N, Calculus Form = Calculus::ito>
struct GeometricBrownianMotion {
  static constexpr std::size_t dimension = N;
  double mu, sigma;
  KOKKOS_INLINE_FUNCTION State<N> drift(double, const State<N>& y) const {
    State<N> f;
    for (std::size_t i = 0; i < N; ++i) f[i] = mu * y[i];
    return f;
  }
  KOKKOS_INLINE_FUNCTION State<N> diffusion(double, const State<N>& y) const {
    State<N> g;
    for (std::size_t i = 0; i < N; ++i) g[i] = sigma * y[i];
    return g;
  }
  KOKKOS_INLINE_FUNCTION State<N> diffusion_derivative(double, const State<N>&) const {
    State<N> d;
    for (std::size_t i = 0; i < N; ++i) d[i] = sigma;
    return d;
  }
  double exact(double x0, double t, double w) const {
    const double rate = Form == Calculus::ito ? mu - sigma * sigma / 2 : mu;
    return x0 * std::exp(rate * t + sigma * w);
  }
};

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

}  // namespace qmcsim::test
