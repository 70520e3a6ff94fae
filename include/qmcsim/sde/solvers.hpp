// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// One-step SDE solvers for dy = f(t, y) dt + g(t, y) dW with diagonal noise (g_i depends on the
/// state, W has as many components as y), driven by the increments of a virtual Brownian tree.
///
/// An SDE is a trivially copyable functor type with
///   static constexpr std::size_t dimension;                 // N: state = noise dimension
///   State<N> drift(double t, const State<N>& y) const;      // f
///   State<N> diffusion(double t, const State<N>& y) const;  // the diagonal of g
///   State<N> diffusion_derivative(double t, const State<N>& y) const;  // d g_i / d y_i (Milstein only)
/// all KOKKOS_INLINE_FUNCTION. A solver returns the new state and, when it has one
/// (`has_error_estimate`), an estimate of its local error for the adaptive step-size controller
/// (see step_size.hpp).
///
///   Euler-Maruyama (Itô):  y + f h + g W;  strong order 1/2 (1 for additive noise). No error
///     estimate: with steps chosen from the path the method converges to a wrong answer (its error is
///     correlated with the noise it is given), so adaptive controllers refuse it, as diffrax does.
///   Milstein (Itô, diagonal noise): adds (1/2) g g' (W^2 - h); strong order 1. Error estimate: the
///     Milstein correction (what Euler-Maruyama misses) plus (h/2) (f(y') - f(y)), the drift's
///     trapezoidal correction, so that the estimate does not vanish for additive noise (where the
///     Milstein correction is 0 and a controller would grow the step without bound).
///   ShARK (additive noise: g independent of y and t; Itô = Stratonovich): Foster, Dos Reis, Strange,
///     "High order splitting methods for SDEs satisfying a commutativity condition" (2024) /
///     diffrax's ShARK. With the space-time Lévy area H,
///       Y1 = y + g H,  Y2 = y + (5/6) h f(Y1) + g ((5/6) W + H),
///       y' = y + h (0.4 f(Y1) + 0.6 f(Y2)) + g W,  error = 0.6 h (f(Y2) - f(Y1));
///     strong order 1.5 for additive noise, two drift evaluations per step.

#include <Kokkos_Core.hpp>

#include "qmcsim/brownian/virtual_brownian_tree.hpp"

namespace qmcsim {

template <std::size_t N>
using State = Kokkos::Array<double, N>;

/// The Brownian increment W and Lévy areas H, K of every noise component over one step.
template <std::size_t N>
struct NoiseIncrement {
  State<N> W, H, K;
};

/// The result of one step: the new state and the local error estimate (per component).
template <std::size_t N>
struct StepResult {
  State<N> y, error;
};

/// Queries `tree` for all N components of `path` over [t, t + h].
template <int N, LevyArea Levy>
KOKKOS_INLINE_FUNCTION NoiseIncrement<N> noise_increment(const VirtualBrownianTree<Levy, double>& tree,
                                                         std::uint32_t path, double t, double t_next) {
  NoiseIncrement<N> noise;
  for (std::size_t i = 0; i < N; ++i) {
    const BrownianIncrement<double> x = tree.increment(path, i, t, t_next);
    noise.W[i] = x.W, noise.H[i] = x.H, noise.K[i] = x.K;
  }
  return noise;
}

struct EulerMaruyama {
  static constexpr LevyArea levy_area = LevyArea::none;
  static constexpr double strong_order = 0.5;
  static constexpr bool has_error_estimate = false;
  static constexpr const char* name = "euler-maruyama";

  template <class Sde, std::size_t N = Sde::dimension>
  KOKKOS_INLINE_FUNCTION StepResult<N> step(const Sde& sde, double t, double h, const State<N>& y,
                                            const NoiseIncrement<N>& dw) const {
    const State<N> f = sde.drift(t, y), g = sde.diffusion(t, y);
    StepResult<N> out;
    for (std::size_t i = 0; i < N; ++i) {
      out.y[i] = y[i] + f[i] * h + g[i] * dw.W[i];
      out.error[i] = 0;
    }
    return out;
  }

  /// (1/2) g_i g_i' (W_i^2 - h): the Milstein term, for which Euler-Maruyama's local error is leading.
  template <class Sde, std::size_t N>
  KOKKOS_INLINE_FUNCTION static double milstein_correction(const Sde& sde, double t, double h, const State<N>& y,
                                                           const NoiseIncrement<N>& dw, const State<N>& g, std::size_t i) {
    return 0.5 * g[i] * sde.diffusion_derivative(t, y)[i] * (dw.W[i] * dw.W[i] - h);
  }
};

struct Milstein {
  static constexpr LevyArea levy_area = LevyArea::none;
  static constexpr double strong_order = 1.0;
  static constexpr bool has_error_estimate = true;
  static constexpr const char* name = "milstein";

  template <class Sde, std::size_t N = Sde::dimension>
  KOKKOS_INLINE_FUNCTION StepResult<N> step(const Sde& sde, double t, double h, const State<N>& y,
                                            const NoiseIncrement<N>& dw) const {
    const State<N> f = sde.drift(t, y), g = sde.diffusion(t, y);
    StepResult<N> out;
    for (std::size_t i = 0; i < N; ++i) {
      out.error[i] = EulerMaruyama::milstein_correction(sde, t, h, y, dw, g, i);
      out.y[i] = y[i] + f[i] * h + g[i] * dw.W[i] + out.error[i];
    }
    const State<N> f_next = sde.drift(t + h, out.y);
    for (std::size_t i = 0; i < N; ++i) out.error[i] += 0.5 * h * (f_next[i] - f[i]);
    return out;
  }
};

struct ShARK {
  static constexpr LevyArea levy_area = LevyArea::space_time;
  static constexpr double strong_order = 1.5;
  static constexpr bool has_error_estimate = true;
  static constexpr const char* name = "shark";

  template <class Sde, std::size_t N = Sde::dimension>
  KOKKOS_INLINE_FUNCTION StepResult<N> step(const Sde& sde, double t, double h, const State<N>& y,
                                            const NoiseIncrement<N>& dw) const {
    const State<N> g = sde.diffusion(t, y);
    State<N> stage;
    for (std::size_t i = 0; i < N; ++i) stage[i] = y[i] + g[i] * dw.H[i];
    const State<N> f1 = sde.drift(t, stage);
    for (std::size_t i = 0; i < N; ++i) stage[i] = y[i] + (5.0 / 6.0) * h * f1[i] + g[i] * ((5.0 / 6.0) * dw.W[i] + dw.H[i]);
    const State<N> f2 = sde.drift(t + (5.0 / 6.0) * h, stage);
    StepResult<N> out;
    for (std::size_t i = 0; i < N; ++i) {
      out.y[i] = y[i] + h * (0.4 * f1[i] + 0.6 * f2[i]) + g[i] * dw.W[i];
      out.error[i] = 0.6 * h * (f2[i] - f1[i]);
    }
    return out;
  }
};

}  // namespace qmcsim
