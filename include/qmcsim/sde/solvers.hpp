// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// One-step SDE solvers for dy = f(t, y) dt + g(t, y) dW, driven by the increments of a virtual
/// Brownian tree. The stochastic Runge-Kutta methods (SEA, SRA1, ShARK, SPaRK, Heun) are tableaux:
/// see stochastic_runge_kutta.hpp.
///
/// An SDE is a trivially copyable functor type with
///   static constexpr std::size_t dimension;                 // N, the state's
///   State<N> drift(double t, const State<N>& y) const;      // f
/// and a diffusion, either diagonal (W has N components, component i of y sees only W_i)
///   State<N> diffusion(double t, const State<N>& y) const;  // the diagonal of g
/// or general (W has M components, any number; g is N x M)
///   static constexpr std::size_t noise_dimension;           // M
///   NoiseMatrix<N, M> diffusion(double t, const State<N>& y) const;
/// and, for the solvers that need them,
///   State<N> diffusion_derivative(double t, const State<N>& y) const;  // d g_i / d y_i (Milstein)
///   static constexpr bool additive_noise = true;            // g independent of y (SEA, SRA1, ShARK)
/// all functions KOKKOS_INLINE_FUNCTION. Every solver but Milstein's takes general noise: Euler-
/// Maruyama, Heun and SPaRK then have strong order 1/2 (1 when the noise commutes, as diagonal noise
/// does: without the space-space Lévy areas no method does better), the additive methods keep theirs.
/// A solver returns the new state and, when it has one
/// (`has_error_estimate`), an estimate of its local error for the adaptive step-size controller
/// (see step_size.hpp). Every solver solves the Itô or the Stratonovich form of the SDE
/// (`calculus`); for additive noise the two coincide. An Itô SDE with drift f has the Stratonovich
/// drift f_i - (1/2) g_i dg_i/dy_i.
///
///   Euler-Maruyama (Itô):  y + f h + g W;  strong order 1/2 (1 for additive noise). No error
///     estimate: with steps chosen from the path the method converges to a wrong answer (its error is
///     correlated with the noise it is given), so adaptive controllers refuse it, as diffrax does.
///   Milstein (Itô, diagonal noise): adds (1/2) g g' (W^2 - h); strong order 1. Error estimate: the
///     Milstein correction (what Euler-Maruyama misses) plus (h/2) (f(y') - f(y)), the drift's
///     trapezoidal correction, so that the estimate does not vanish for additive noise (where the
///     Milstein correction is 0 and a controller would grow the step without bound).
///   StratonovichMilstein: adds (1/2) g g' W^2 instead; strong order 1, the same error estimate.

#include <Kokkos_Core.hpp>
#include <type_traits>
#include <utility>

#include "qmcsim/brownian/virtual_brownian_tree.hpp"

namespace qmcsim {

/// A state of N components (or the diagonal of a diffusion, a drift, a noise vector).
template <std::size_t N>
using State = Kokkos::Array<double, N>;

/// The diffusion of general noise: N x M, row i the coefficients of state component i on the M
/// Brownian components (g(i, j) multiplies dW_j).
template <std::size_t N, std::size_t M>
struct NoiseMatrix {
  Kokkos::Array<double, N * M> entries;  ///< row-major: g(i, j) is entries[i M + j]
  /// g(i, j), the coefficient of dW_j in component i.
  KOKKOS_INLINE_FUNCTION double& operator()(std::size_t i, std::size_t j) { return entries[i * M + j]; }
  /// g(i, j), the coefficient of dW_j in component i.
  KOKKOS_INLINE_FUNCTION const double& operator()(std::size_t i, std::size_t j) const { return entries[i * M + j]; }
};

/// The Brownian increment W and Lévy areas H, K of every noise component over one step.
template <std::size_t N>
struct NoiseIncrement {
  State<N> W;  ///< the increments over the step
  State<N> H;  ///< the space-time Lévy areas (0 when the tree has none)
  State<N> K;  ///< the space-time-time Lévy areas (0 when the tree has none)
};

namespace detail {
/// g v: the product with the diagonal (component by component) or with the matrix of general noise.
template <std::size_t N>
KOKKOS_FORCEINLINE_FUNCTION State<N> apply_noise(const State<N>& g, const State<N>& v) {
  State<N> out;
  for (std::size_t i = 0; i < N; ++i) out[i] = g[i] * v[i];
  return out;
}
template <std::size_t N, std::size_t M>
KOKKOS_FORCEINLINE_FUNCTION State<N> apply_noise(const NoiseMatrix<N, M>& g, const State<M>& v) {
  State<N> out;
  for (std::size_t i = 0; i < N; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < M; ++j) sum += g(i, j) * v[j];
    out[i] = sum;
  }
  return out;
}

/// a - b, entry by entry, for either kind of diffusion.
template <std::size_t N>
KOKKOS_FORCEINLINE_FUNCTION State<N> difference(const State<N>& a, const State<N>& b) {
  State<N> out;
  for (std::size_t i = 0; i < N; ++i) out[i] = a[i] - b[i];
  return out;
}
template <std::size_t N, std::size_t M>
KOKKOS_FORCEINLINE_FUNCTION NoiseMatrix<N, M> difference(const NoiseMatrix<N, M>& a, const NoiseMatrix<N, M>& b) {
  NoiseMatrix<N, M> out;
  for (std::size_t k = 0; k < N * M; ++k) out.entries[k] = a.entries[k] - b.entries[k];
  return out;
}

/// M, the Brownian components an SDE is driven by: its noise_dimension when it declares one (general
/// noise), else its dimension (diagonal noise).
template <class Sde, class = void>
struct noise_dimension_of {
  static constexpr std::size_t value = Sde::dimension;
};
template <class Sde>
struct noise_dimension_of<Sde, std::void_t<decltype(Sde::noise_dimension)>> {
  static constexpr std::size_t value = Sde::noise_dimension;
};
}  // namespace detail

/// The result of one step: the new state and the local error estimate (per component).
template <std::size_t N>
struct StepResult {
  State<N> y;      ///< the state at the end of the step
  State<N> error;  ///< the local error estimate (0 for a solver without one)
};

/// The M components of one path of a tree, each queried through its `BrownianCursor`: the tree's own
/// values, with the cells of the last steps kept, so that consecutive and retried steps draw only the
/// levels they do not share. One per path and thread (8.5 KB per component).
template <std::size_t M, LevyArea Levy>
class PathNoise {
 public:
  /// Cursors on components 0 .. M - 1 of path `path` of `tree`.
  KOKKOS_INLINE_FUNCTION PathNoise(const VirtualBrownianTree<Levy, double>& tree, std::uint32_t path)
      : PathNoise(tree, path, std::make_index_sequence<M>()) {}

  /// W (and H, K) of every component over [t, t_next].
  KOKKOS_INLINE_FUNCTION NoiseIncrement<M> increment(double t, double t_next) {
    NoiseIncrement<M> noise;
    for (std::size_t i = 0; i < M; ++i) {
      const BrownianIncrement<double> x = components_[i].increment(t, t_next);
      noise.W[i] = x.W, noise.H[i] = x.H, noise.K[i] = x.K;
    }
    return noise;
  }

 private:
  template <std::size_t... I>
  KOKKOS_INLINE_FUNCTION PathNoise(const VirtualBrownianTree<Levy, double>& tree, std::uint32_t path,
                                   std::index_sequence<I...>)
      : components_{BrownianCursor<Levy, double>(tree, path, static_cast<int>(I))...} {}

  BrownianCursor<Levy, double> components_[M];
};

/// Which stochastic integral a solver's SDE is written in.
enum class Calculus { ito, stratonovich };

namespace detail {
template <class Sde, class = void>
struct declares_additive_noise : std::false_type {};
template <class Sde>
struct declares_additive_noise<Sde, std::enable_if_t<Sde::additive_noise>> : std::true_type {};

/// The type of Sde's diffusion(t, y).
template <class Sde, std::size_t N>
using diffusion_type = decltype(std::declval<const Sde&>().diffusion(0.0, std::declval<const State<N>&>()));

/// Whether Sde has drift(t, y) returning State<N> and diffusion(t, y) returning State<N> (diagonal
/// noise, M = N) or NoiseMatrix<N, M> (general noise): the SDE contract above.
template <class Sde, std::size_t N, std::size_t M, class = void>
struct has_drift_and_diffusion : std::false_type {};
template <class Sde, std::size_t N, std::size_t M>
struct has_drift_and_diffusion<
    Sde, N, M,
    std::enable_if_t<
        std::is_same_v<decltype(std::declval<const Sde&>().drift(0.0, std::declval<const State<N>&>())), State<N>> &&
        ((M == N && std::is_same_v<diffusion_type<Sde, N>, State<N>>) ||
         std::is_same_v<diffusion_type<Sde, N>, NoiseMatrix<N, M>>)>> : std::true_type {};

template <class Sde, std::size_t N, class = void>
struct has_diffusion_derivative : std::false_type {};
template <class Sde, std::size_t N>
struct has_diffusion_derivative<Sde, N,
                                std::enable_if_t<std::is_same_v<decltype(std::declval<const Sde&>().diffusion_derivative(
                                                                    0.0, std::declval<const State<N>&>())),
                                                                State<N>>>> : std::true_type {};
}  // namespace detail

/// The Euler-Maruyama method (Itô): y + f h + g W (see the file comment).
struct EulerMaruyama {
  static constexpr LevyArea levy_area = LevyArea::none;  ///< the integrals of the path it reads: W only
  static constexpr Calculus calculus = Calculus::ito;    ///< the form of the SDE it solves
  static constexpr double strong_order = 0.5;            ///< for general noise; 1 for additive noise
  static constexpr bool has_error_estimate = false;      ///< so adaptive controllers refuse it
  static constexpr const char* name = "euler-maruyama";  ///< for messages and the Python package

  /// One step of size h from y at t with the noise `dw` of [t, t + h].
  template <class Sde, std::size_t N = Sde::dimension, std::size_t M>
  KOKKOS_INLINE_FUNCTION StepResult<N> step(const Sde& sde, double t, double h, const State<N>& y,
                                            const NoiseIncrement<M>& dw) const {
    const State<N> f = sde.drift(t, y), gw = detail::apply_noise(sde.diffusion(t, y), dw.W);
    StepResult<N> out;
    for (std::size_t i = 0; i < N; ++i) {
      out.y[i] = y[i] + f[i] * h + gw[i];
      out.error[i] = 0;
    }
    return out;
  }
};

/// Milstein's method for the Itô (`Calculus::ito`) or the Stratonovich form of the SDE.
template <Calculus Form>
struct MilsteinMethod {
  static constexpr LevyArea levy_area = LevyArea::none;  ///< the integrals of the path it reads: W only
  static constexpr Calculus calculus = Form;             ///< the form of the SDE it solves
  static constexpr double strong_order = 1.0;            ///< for diagonal noise
  static constexpr bool has_error_estimate = true;       ///< the Milstein and trapezoidal corrections
  static constexpr const char* name = Form == Calculus::ito ? "milstein" : "stratonovich-milstein";  ///< for messages

  /// One step of size h from y at t with the noise `dw` of [t, t + h].
  template <class Sde, std::size_t N = Sde::dimension, std::size_t M>
  KOKKOS_INLINE_FUNCTION StepResult<N> step(const Sde& sde, double t, double h, const State<N>& y,
                                            const NoiseIncrement<M>& dw) const {
    static_assert(M == N && std::is_same_v<detail::diffusion_type<Sde, N>, State<N>>,
                  "Milstein's method here is for diagonal noise (diffusion returning State<N>); general noise needs "
                  "the space-space Lévy areas: use EulerMaruyama, StratonovichHeun or SPaRK");
    static_assert(detail::has_diffusion_derivative<Sde, N>::value,
                  "Milstein needs the SDE's State<N> diffusion_derivative(double t, const State<N>& y) const: "
                  "d g_i / d y_i");
    const State<N> f = sde.drift(t, y), g = sde.diffusion(t, y), dg = sde.diffusion_derivative(t, y);
    StepResult<N> out;
    for (std::size_t i = 0; i < N; ++i) {
      // (1/2) g g' (W^2 - h) in Itô form, (1/2) g g' W^2 in Stratonovich form
      const double square = Form == Calculus::ito ? dw.W[i] * dw.W[i] - h : dw.W[i] * dw.W[i];
      out.error[i] = 0.5 * g[i] * dg[i] * square;
      out.y[i] = y[i] + f[i] * h + g[i] * dw.W[i] + out.error[i];
    }
    const State<N> f_next = sde.drift(t + h, out.y);
    for (std::size_t i = 0; i < N; ++i) out.error[i] += 0.5 * h * (f_next[i] - f[i]);
    return out;
  }
};

/// Milstein's method for Itô SDEs.
using Milstein = MilsteinMethod<Calculus::ito>;
/// Milstein's method for Stratonovich SDEs.
using StratonovichMilstein = MilsteinMethod<Calculus::stratonovich>;

}  // namespace qmcsim
