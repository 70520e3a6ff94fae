// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Stochastic Runge-Kutta (SRK) methods given as tableaux: a new method is data, not code. The
/// form is diffrax's (`StochasticButcherTableau`); the increments W and the space-time Lévy areas
/// H over the step [t, t + h] come from a virtual Brownian tree (see solvers.hpp for the SDE).
///
/// g is the diagonal of the noise or its N x M matrix (general noise, see solvers.hpp); g v below is
/// the product with it. Additive noise (g independent of y; Itô = Stratonovich), stages j = 0..s-1:
///   z_j = y + h sum_{k<j} a_jk f_k + g(t) (a^W_j W + a^H_j H),   f_j = f(t + c_j h, z_j),
///   y'  = y + h sum_j b_j f_j + g(t) (b^W W + b^H H) + (g(t + h) - g(t)) (W/2 - H),
/// where the last term is exact for a g linear in t (it is the integral of (g(u) - g(t)) dW_u over
/// the step when g is linear; with no H in the method it is (g(t + h) - g(t)) W/2).
/// General noise, diagonal or not (Stratonovich), with g_j = g(t + c_j h, z_j):
///   z_j = y + sum_{k<j} (h a_jk f_k + (a^W_jk W + a^H_jk H) g_k),
///   y'  = y + sum_j (h b_j f_j + (b^W_j W + b^H_j H) g_j).
/// A method with an error estimate has weights b^err (b^W,err, b^H,err) that give the local error
/// e = sum_j (h b^err_j f_j + ...) directly; they sum to 0 (the difference of two solutions).
///
/// The methods here (tableaux as in diffrax):
///   SEA     additive, W and H, 1 stage (the shifted Euler method); strong order 1, no error estimate.
///           Foster, Dos Reis, Strange, "High order splitting methods for SDEs satisfying a
///           commutativity condition" (arXiv 2210.17543), eq. (5.8).
///   SRA1    additive, W and H, 2 stages; strong order 3/2, embedded error.
///           Rößler, "Runge-Kutta methods for the strong approximation of solutions of SDEs", SIAM
///           J. Numer. Anal. 48 (2010).
///   ShARK   additive, W and H, 2 stages; strong order 3/2, embedded error (the same paper).
///   SPaRK   general noise (Stratonovich), W and H, 3 stages; strong order 1/2 for general noise, 1
///           for commutative (e.g. diagonal) noise, 3/2 for additive noise; embedded error made for
///           adaptive steps. Foster, "On the convergence of adaptive approximations of SDEs" (2023),
///           Definition 1.6.
///   StratonovichHeun  general noise (Stratonovich), W, 2 stages; strong order 1/2 for general noise, 1
///           for commutative noise; error estimate: the difference to Euler's step.
///
///   solve_sde<Exec>(SRA1(), sde, tree, y0, times, PidController(1e-3, 1e-3, SRA1().strong_order + 0.5), options);
///
/// Your own method: an AdditiveNoiseRungeKutta<stages, LevyArea> or StratonovichRungeKutta<...>
/// filled with its name, strong order and tableau; solve_sde checks its consistency conditions.

#include <Kokkos_Core.hpp>
#include <cmath>

#include "qmcsim/core/error.hpp"
#include "qmcsim/sde/solvers.hpp"

namespace qmcsim {

/// The drift's tableau: a (strictly lower triangular, row j = stage j), nodes c, weights b and error
/// weights b_error (all 0 when the method has no error estimate).
template <int Stages>
struct DriftTableau {
  double a[Stages][Stages];  ///< a[j][k]: the weight of f_k in stage j (k < j)
  double c[Stages];          ///< stage times t + c_j h
  double b[Stages];          ///< the solution's weights
  double b_error[Stages];    ///< the local error's weights
};

/// The coefficients of W (or of H) in an additive-noise method: a_j in stage j, b in the solution.
template <int Stages>
struct AdditiveNoiseCoefficients {
  double a[Stages];  ///< in stage j
  double b;          ///< in the solution
};

/// The coefficients of W (or of H) in a general-noise method: a_jk multiplies g_k in stage j (k < j),
/// b_j and b_error_j multiply g_j in the solution and in the error estimate.
template <int Stages>
struct GeneralNoiseCoefficients {
  double a[Stages][Stages];  ///< a[j][k]: the weight of g_k in stage j (k < j)
  double b[Stages];          ///< the solution's weights of g_j
  double b_error[Stages];    ///< the local error's weights of g_j
};

namespace detail {
template <int Stages>
double sum(const double (&v)[Stages]) {
  double s = 0;
  for (int j = 0; j < Stages; ++j) s += v[j];
  return s;
}

/// The conditions every consistent SRK meets (sum b = 1, c_j = sum_k a_jk, a strictly lower
/// triangular, error weights summing to 0); a tableau that fails them converges to a wrong answer.
template <int Stages>
void check_drift_tableau(const char* name, const DriftTableau<Stages>& t, bool has_error_estimate) {
  require(std::fabs(sum(t.b) - 1) < 1e-12, name, ": the drift weights b sum to ", sum(t.b), ", not 1");
  for (int j = 0; j < Stages; ++j) {
    double row = 0;
    for (int k = 0; k < Stages; ++k) {
      require(k < j || t.a[j][k] == 0, name, ": a[", j, "][", k, "] = ", t.a[j][k],
              " above the diagonal (an explicit method uses earlier stages only)");
      row += t.a[j][k];
    }
    require(std::fabs(row - t.c[j]) < 1e-12, name, ": c[", j, "] = ", t.c[j], " is not the row sum ", row, " of a");
  }
  require(!has_error_estimate || std::fabs(sum(t.b_error)) < 1e-12, name, ": the drift error weights sum to ",
          sum(t.b_error), ", not 0");
}

/// a_w W + a_h H, or a_w W for a method without H (whose a_h are 0 and whose tree may have no H).
template <bool UsesH, std::size_t M>
KOKKOS_FORCEINLINE_FUNCTION State<M> noise_combination(double a_w, double a_h, const NoiseIncrement<M>& dw) {
  State<M> out;
  for (std::size_t j = 0; j < M; ++j) {
    if constexpr (UsesH) out[j] = a_w * dw.W[j] + a_h * dw.H[j];
    else out[j] = a_w * dw.W[j];
  }
  return out;
}

/// An embedded error estimate is declared exactly when some error weight is not 0: a declared estimate
/// that is identically 0 would let an adaptive controller grow the step without bound.
inline void check_error_declaration(const char* name, bool has_error_estimate, bool any_error_weight) {
  require(has_error_estimate == any_error_weight, name, has_error_estimate
                                                            ? ": declares an error estimate but all its error weights are 0"
                                                            : ": has error weights but declares no error estimate");
}

/// z_i = y_i + h sum_{k<j} a_jk f_k[i] (the drift part of stage j).
template <int Stages, class StageValues>
KOKKOS_INLINE_FUNCTION double drift_stage(const DriftTableau<Stages>& t, int j, double h, const StageValues& f, double y,
                                          std::size_t i) {
  double z = y;
  for (int k = 0; k < j; ++k) z += h * t.a[j][k] * f[k][i];
  return z;
}
}  // namespace detail

/// An explicit SRK for additive noise (SDEs declaring `static constexpr bool additive_noise = true`).
/// Levy is the most the method uses: LevyArea::space_time when it reads H.
template <int Stages, LevyArea Levy>
struct AdditiveNoiseRungeKutta {
  static_assert(Stages >= 1, "a Runge-Kutta method has at least one stage");
  static constexpr LevyArea levy_area = Levy;          ///< the integrals of the path it reads
  static constexpr Calculus calculus = Calculus::ito;  ///< = Stratonovich for additive noise

  const char* name;                      ///< for messages and the Python package
  double strong_order;                   ///< the method's order of convergence
  bool has_error_estimate;               ///< whether b_error gives an embedded error estimate
  DriftTableau<Stages> drift;            ///< the drift's tableau
  AdditiveNoiseCoefficients<Stages> w;   ///< the coefficients of W
  AdditiveNoiseCoefficients<Stages> hh;  ///< the coefficients of H (all 0 without H)

  /// Throws qmcsim::error when the tableau is not consistent (solve_sde calls it).
  void check() const {
    detail::check_drift_tableau(name, drift, has_error_estimate);
    detail::require(w.b == 1, name, ": the solution's W weight is ", w.b, ", not 1");
    bool any_error_weight = false, any_h = hh.b != 0;
    for (int j = 0; j < Stages; ++j) any_error_weight |= drift.b_error[j] != 0, any_h |= hh.a[j] != 0;
    detail::check_error_declaration(name, has_error_estimate, any_error_weight);
    detail::require(Levy != LevyArea::none || !any_h, name, ": H appears in a method declared without Lévy area");
  }

  /// One step of size h from y at t with the noise `dw` of [t, t + h].
  template <class Sde, std::size_t N = Sde::dimension, std::size_t M>
  KOKKOS_INLINE_FUNCTION StepResult<N> step(const Sde& sde, double t, double h, const State<N>& y,
                                            const NoiseIncrement<M>& dw) const {
    static_assert(detail::declares_additive_noise<Sde>::value,
                  "this solver is for additive noise: the SDE must declare static constexpr bool additive_noise = "
                  "true (its diffusion independent of y); use Milstein or SPaRK otherwise");
    constexpr bool uses_h = Levy != LevyArea::none;
    const auto g = sde.diffusion(t, y), g_end = sde.diffusion(t + h, y);
    Kokkos::Array<State<N>, Stages> f;
    for (int j = 0; j < Stages; ++j) {
      const State<N> noise = detail::apply_noise(g, detail::noise_combination<uses_h>(w.a[j], hh.a[j], dw));
      State<N> z;
      for (std::size_t i = 0; i < N; ++i) z[i] = detail::drift_stage(drift, j, h, f, y[i], i) + noise[i];
      f[j] = sde.drift(t + drift.c[j] * h, z);
    }
    const State<N> noise = detail::apply_noise(g, detail::noise_combination<uses_h>(w.b, hh.b, dw));
    const State<N> time_correction =  // (g(t + h) - g(t)) (W/2 - H), or (W/2)
        detail::apply_noise(detail::difference(g_end, g), detail::noise_combination<uses_h>(0.5, -1, dw));
    StepResult<N> out;
    for (std::size_t i = 0; i < N; ++i) {
      double drift_sum = 0, error = 0;
      for (int j = 0; j < Stages; ++j) drift_sum += drift.b[j] * f[j][i], error += drift.b_error[j] * f[j][i];
      out.y[i] = y[i] + h * drift_sum + noise[i] + time_correction[i];
      out.error[i] = h * error;
    }
    return out;
  }
};

/// An explicit SRK for general noise (diagonal or a matrix), solving the Stratonovich SDE.
template <int Stages, LevyArea Levy>
struct StratonovichRungeKutta {
  static_assert(Stages >= 1, "a Runge-Kutta method has at least one stage");
  static constexpr LevyArea levy_area = Levy;                   ///< the integrals of the path it reads
  static constexpr Calculus calculus = Calculus::stratonovich;  ///< the form of the SDE it solves

  const char* name;                     ///< for messages and the Python package
  double strong_order;                  ///< for diagonal (commutative) noise
  bool has_error_estimate;              ///< whether the b_error weights give an embedded error estimate
  DriftTableau<Stages> drift;           ///< the drift's tableau
  GeneralNoiseCoefficients<Stages> w;   ///< the coefficients of W
  GeneralNoiseCoefficients<Stages> hh;  ///< the coefficients of H (all 0 without H)

  /// Throws qmcsim::error when the tableau is not consistent (solve_sde calls it).
  void check() const {
    detail::check_drift_tableau(name, drift, has_error_estimate);
    detail::require(std::fabs(detail::sum(w.b) - 1) < 1e-12, name, ": the W weights sum to ", detail::sum(w.b),
                    ", not 1");
    bool any_error_weight = false, any_h = false;
    for (int j = 0; j < Stages; ++j) {
      any_error_weight |= drift.b_error[j] != 0 || w.b_error[j] != 0 || hh.b_error[j] != 0;
      any_h |= hh.b[j] != 0 || hh.b_error[j] != 0;
      for (int k = 0; k < Stages; ++k) {
        detail::require((k < j || (w.a[j][k] == 0 && hh.a[j][k] == 0)), name, ": noise coefficient (", j, ", ", k,
                        ") above the diagonal");
        any_h |= hh.a[j][k] != 0;
      }
    }
    detail::check_error_declaration(name, has_error_estimate, any_error_weight);
    detail::require(Levy != LevyArea::none || !any_h, name, ": H appears in a method declared without Lévy area");
    if (has_error_estimate) {
      detail::require(std::fabs(detail::sum(w.b_error)) < 1e-12, name, ": the W error weights sum to ",
                      detail::sum(w.b_error), ", not 0");
      detail::require(std::fabs(detail::sum(hh.b_error)) < 1e-12, name, ": the H error weights sum to ",
                      detail::sum(hh.b_error), ", not 0");
    }
  }

  /// One step of size h from y at t with the noise `dw` of [t, t + h].
  template <class Sde, std::size_t N = Sde::dimension, std::size_t M>
  KOKKOS_INLINE_FUNCTION StepResult<N> step(const Sde& sde, double t, double h, const State<N>& y,
                                            const NoiseIncrement<M>& dw) const {
    constexpr bool uses_h = Levy != LevyArea::none;
    Kokkos::Array<State<N>, Stages> f;
    Kokkos::Array<detail::diffusion_type<Sde, N>, Stages> g;
    for (int j = 0; j < Stages; ++j) {
      State<N> noise;
      for (std::size_t i = 0; i < N; ++i) noise[i] = 0;
      for (int k = 0; k < j; ++k) {
        const State<N> part = detail::apply_noise(g[k], detail::noise_combination<uses_h>(w.a[j][k], hh.a[j][k], dw));
        for (std::size_t i = 0; i < N; ++i) noise[i] += part[i];
      }
      State<N> z;
      for (std::size_t i = 0; i < N; ++i) z[i] = detail::drift_stage(drift, j, h, f, y[i], i) + noise[i];
      const double stage_time = t + drift.c[j] * h;
      f[j] = sde.drift(stage_time, z);
      g[j] = sde.diffusion(stage_time, z);
    }
    StepResult<N> out;
    for (std::size_t i = 0; i < N; ++i) out.y[i] = 0, out.error[i] = 0;
    for (int j = 0; j < Stages; ++j) {
      const State<N> noise = detail::apply_noise(g[j], detail::noise_combination<uses_h>(w.b[j], hh.b[j], dw));
      const State<N> noise_error =
          detail::apply_noise(g[j], detail::noise_combination<uses_h>(w.b_error[j], hh.b_error[j], dw));
      for (std::size_t i = 0; i < N; ++i) {
        out.y[i] += h * drift.b[j] * f[j][i] + noise[i];
        out.error[i] += h * drift.b_error[j] * f[j][i] + noise_error[i];
      }
    }
    for (std::size_t i = 0; i < N; ++i) out.y[i] += y[i];
    return out;
  }
};

/// The shifted Euler method for additive noise (see the file comment).
struct SEA : AdditiveNoiseRungeKutta<1, LevyArea::space_time> {
  KOKKOS_INLINE_FUNCTION SEA()
      : AdditiveNoiseRungeKutta{"sea", 1.0, false, {{{0}}, {0}, {1}, {0}}, {{0.5}, 1}, {{1}, 0}} {}
};

/// Rößler's SRA1 for additive noise (see the file comment).
struct SRA1 : AdditiveNoiseRungeKutta<2, LevyArea::space_time> {
  KOKKOS_INLINE_FUNCTION SRA1()
      : AdditiveNoiseRungeKutta{"sra1",
                                1.5,
                                true,
                                {{{0, 0}, {0.75, 0}}, {0, 0.75}, {1.0 / 3, 2.0 / 3}, {-2.0 / 3, 2.0 / 3}},
                                {{0, 0.75}, 1},
                                {{0, 1.5}, 0}} {}
};

/// ShARK for additive noise (see the file comment).
struct ShARK : AdditiveNoiseRungeKutta<2, LevyArea::space_time> {
  KOKKOS_INLINE_FUNCTION ShARK()
      : AdditiveNoiseRungeKutta{"shark",
                                1.5,
                                true,
                                {{{0, 0}, {5.0 / 6, 0}}, {0, 5.0 / 6}, {0.4, 0.6}, {-0.6, 0.6}},
                                {{0, 5.0 / 6}, 1},
                                {{1, 1}, 0}} {}
};

namespace detail {
constexpr double sqrt3 = 1.7320508075688772935;
constexpr double spark_outer = (3 - sqrt3) / 6, spark_middle = sqrt3 / 3;  ///< SPaRK's weights x1, x2
}  // namespace detail

/// Foster's SPaRK for general noise, made for adaptive steps (see the file comment).
struct SPaRK : StratonovichRungeKutta<3, LevyArea::space_time> {
  KOKKOS_INLINE_FUNCTION SPaRK()
      : StratonovichRungeKutta{
            "spark",
            1.0,
            true,
            {{{0, 0, 0}, {0.5, 0, 0}, {0, 1, 0}},
             {0, 0.5, 1},
             {detail::spark_outer, detail::spark_middle, detail::spark_outer},
             {detail::spark_outer - 0.5, detail::spark_middle, detail::spark_outer - 0.5}},
            {{{0, 0, 0}, {0.5, 0, 0}, {0, 1, 0}},
             {detail::spark_outer, detail::spark_middle, detail::spark_outer},
             {detail::spark_outer - 0.5, detail::spark_middle, detail::spark_outer - 0.5}},
            {{{0, 0, 0}, {detail::sqrt3, 0, 0}, {0, 0, 0}}, {1, 0, -1}, {1, 0, -1}}} {}
};

/// Heun's method for Stratonovich SDEs, general noise (see the file comment).
struct StratonovichHeun : StratonovichRungeKutta<2, LevyArea::none> {
  KOKKOS_INLINE_FUNCTION StratonovichHeun()
      : StratonovichRungeKutta{"stratonovich-heun",
                               1.0,
                               true,
                               {{{0, 0}, {1, 0}}, {0, 1}, {0.5, 0.5}, {0.5, -0.5}},
                               {{{0, 0}, {1, 0}}, {0.5, 0.5}, {0.5, -0.5}},
                               {{{0, 0}, {0, 0}}, {0, 0}, {0, 0}}} {}
};

}  // namespace qmcsim
