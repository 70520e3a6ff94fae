// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// SDEs with known solutions or laws, ready for `solve_sde` (and the Python package's built-in models):
/// geometric Brownian motion, the Ornstein–Uhlenbeck process and the Cox–Ingersoll–Ross process. Each
/// follows the SDE contract of solvers.hpp (drift, diagonal diffusion and d g / d y for Milstein) and
/// carries its exact solution or moments, which the tests use as oracles.
///
///   const GeometricBrownianMotion<1> gbm{0.05, 0.2};  // dX = 0.05 X dt + 0.2 X dW
///   const auto solution = solve_sde<Exec>(Milstein(), gbm, tree, State<1>{1.0}, {1.0}, pid, options);

#include <cmath>

#include "qmcsim/sde/solvers.hpp"

namespace qmcsim {

/// dX = mu X dt + sigma X dW, N independent copies. `Form` says how dW is read: in Itô form
/// X_t = X_0 exp((mu - sigma^2/2) t + sigma W_t), in Stratonovich form (dX = mu X dt + sigma X o dW)
/// X_t = X_0 exp(mu t + sigma W_t). Solve it with a solver of the same calculus.
template <std::size_t N = 1, Calculus Form = Calculus::ito>
struct GeometricBrownianMotion {
  static constexpr std::size_t dimension = N;  ///< independent copies
  static constexpr Calculus calculus = Form;   ///< how dW is read
  double mu;     ///< growth rate
  double sigma;  ///< volatility

  /// mu y.
  KOKKOS_INLINE_FUNCTION State<N> drift(double, const State<N>& y) const {
    State<N> f;
    for (std::size_t i = 0; i < N; ++i) f[i] = mu * y[i];
    return f;
  }
  /// sigma y (diagonal).
  KOKKOS_INLINE_FUNCTION State<N> diffusion(double, const State<N>& y) const {
    State<N> g;
    for (std::size_t i = 0; i < N; ++i) g[i] = sigma * y[i];
    return g;
  }
  /// sigma.
  KOKKOS_INLINE_FUNCTION State<N> diffusion_derivative(double, const State<N>&) const {
    State<N> d;
    for (std::size_t i = 0; i < N; ++i) d[i] = sigma;
    return d;
  }
  /// X_t from X_0 = x0 and the Brownian increment w = W_t - W_0 (t measured from the start).
  double exact(double x0, double t, double w) const {
    const double rate = Form == Calculus::ito ? mu - sigma * sigma / 2 : mu;
    return x0 * std::exp(rate * t + sigma * w);
  }
};

/// dX = theta (mean - X) dt + sigma dW (additive noise: Itô and Stratonovich forms agree). Gaussian:
/// X_t ~ N(mean + (x0 - mean) e^{-theta t}, sigma^2 (1 - e^{-2 theta t}) / (2 theta)) for theta > 0.
struct OrnsteinUhlenbeck {
  static constexpr std::size_t dimension = 1;   ///< one component
  static constexpr bool additive_noise = true;  ///< g = sigma does not depend on X
  double theta;  ///< rate of mean reversion
  double mean;   ///< the level X reverts to
  double sigma;  ///< volatility

  /// theta (mean - y).
  KOKKOS_INLINE_FUNCTION State<1> drift(double, const State<1>& y) const { return {theta * (mean - y[0])}; }
  /// sigma.
  KOKKOS_INLINE_FUNCTION State<1> diffusion(double, const State<1>&) const { return {sigma}; }
  /// 0.
  KOKKOS_INLINE_FUNCTION State<1> diffusion_derivative(double, const State<1>&) const { return {0.0}; }
  /// E[X_t] from X_0 = x0.
  double mean_at(double x0, double t) const { return mean + (x0 - mean) * std::exp(-theta * t); }
  /// Var[X_t] (whatever X_0).
  double variance_at(double t) const { return sigma * sigma * -std::expm1(-2 * theta * t) / (2 * theta); }
};

/// dX = kappa (theta - X) dt + sigma sqrt(X) dW in Itô form, X >= 0 (the diffusion is taken as 0 where
/// a discrete step left X below 0). E[X_t] = theta + (x0 - theta) e^{-kappa t}; X stays positive when
/// 2 kappa theta >= sigma^2 (Feller).
struct CoxIngersollRoss {
  static constexpr std::size_t dimension = 1;          ///< one component
  static constexpr Calculus calculus = Calculus::ito;  ///< how dW is read
  double kappa;  ///< rate of mean reversion
  double theta;  ///< the level X reverts to
  double sigma;  ///< volatility

  /// kappa (theta - x).
  KOKKOS_INLINE_FUNCTION State<1> drift(double, const State<1>& x) const { return {kappa * (theta - x[0])}; }
  /// sigma sqrt(x), 0 for x <= 0.
  KOKKOS_INLINE_FUNCTION State<1> diffusion(double, const State<1>& x) const {
    return {x[0] > 0 ? sigma * ::sqrt(x[0]) : 0.0};
  }
  /// sigma / (2 sqrt(x)), 0 for x <= 0. g g' = sigma^2 / 2 for x > 0: the Milstein term stays bounded as x -> 0.
  KOKKOS_INLINE_FUNCTION State<1> diffusion_derivative(double, const State<1>& x) const {
    return {x[0] > 0 ? sigma / (2 * ::sqrt(x[0])) : 0.0};
  }
  /// E[X_t] from X_0 = x0.
  double mean_at(double x0, double t) const { return theta + (x0 - theta) * std::exp(-kappa * t); }
};

}  // namespace qmcsim
