// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Step-size control for SDE solvers: constant steps, and an adaptive PID controller with rejection.
/// A controller (checked by solve_sde) is a trivially copyable type with
///   static constexpr bool adaptive;        // whether it needs the solver's error estimate
///   struct Memory;                         // per-path state, default-constructible
///   double initial_step() const;           // 0: (t1 - t0) / 100
///   bool accept(const State<N>& y, const State<N>& y_next, const State<N>& error, double h,
///               double& next_h, Memory& memory) const;   // decides on a step, proposes the next
/// with initial_step and accept KOKKOS_INLINE_FUNCTION.
///
/// The PID controller (Söderlind, "Digital filters in adaptive time-stepping", ACM TOMS 2003; the
/// parametrisation of diffrax's PIDController) measures the error ratio
///   r = sqrt(mean_i (e_i / (atol + rtol max(|y_i|, |y'_i|)))^2)
/// of a step's local error estimate e, accepts the step when r <= 1, and scales the step by
///   safety * r_n^(-b1/q) * r_{n-1}^(-b2/q) * r_{n-2}^(-b3/q),  clipped to [factor_min, factor_max],
/// with b1 = i + p + d, b2 = -(p + 2d), b3 = d and q the solver's strong order + 1/2 (the order of the
/// local error estimate). A rejected step is retried with a smaller one over the *same* Brownian path:
/// the virtual Brownian tree answers the shorter query consistently, so rejection introduces no bias.

#include <Kokkos_Core.hpp>

#include "qmcsim/core/error.hpp"
#include "qmcsim/sde/solvers.hpp"

namespace qmcsim {

/// Steps of a fixed size dt (the last one shortened to land on the end time).
struct ConstantSteps {
  static constexpr bool adaptive = false;  ///< needs no error estimate
  double dt;                               ///< the step size

  /// Steps of size dt; throws qmcsim::error unless dt is positive and finite.
  explicit ConstantSteps(double dt_) : dt(dt_) {
    detail::require(dt > 0 && std::isfinite(dt), "ConstantSteps: dt = ", dt, " must be a positive number");
  }

  /// Nothing to remember between steps.
  struct Memory {};
  /// dt.
  KOKKOS_INLINE_FUNCTION double initial_step() const { return dt; }
  /// Accepts every step and proposes dt again.
  template <std::size_t N>
  KOKKOS_INLINE_FUNCTION bool accept(const State<N>&, const State<N>&, const State<N>&, double, double& next,
                                     Memory&) const {
    next = dt;
    return true;
  }
};

/// The PID step-size controller of the file comment.
struct PidController {
  static constexpr bool adaptive = true;  ///< needs the solver's error estimate
  double rtol;         ///< relative tolerance
  double atol;         ///< absolute tolerance
  double error_order;  ///< q: the solver's strong order + 1/2
  double pcoeff = 0.1;  ///< proportional gain p (the PI gains diffrax recommends for SDEs)
  double icoeff = 0.3;  ///< integral gain i
  double dcoeff = 0;    ///< derivative gain d
  double dt0 = 0;      ///< first step; 0 means (t1 - t0) / 100
  double dtmin = 0;    ///< steps this short are accepted whatever their error
  double dtmax = INFINITY;  ///< the longest step proposed
  double safety = 0.9;      ///< the factor on the step the error ratio asks for
  double factor_min = 0.2;  ///< the most a step shrinks at once
  double factor_max = 10;   ///< the most a step grows at once

  /// Throws qmcsim::error for tolerances that are negative, not finite or both 0, or error_order <= 0.
  PidController(double rtol_, double atol_, double error_order_) : rtol(rtol_), atol(atol_), error_order(error_order_) {
    detail::require_tolerances("PidController", atol, rtol);
    detail::require(error_order > 0, "PidController: error_order = ", error_order, " must be positive");
  }

  /// Error ratios of the last two accepted steps (1 before there are any).
  struct Memory {
    double previous = 1;         ///< r_{n-1}
    double before_previous = 1;  ///< r_{n-2}
  };

  /// dt0 (0: solve_sde takes (t1 - t0) / 100).
  KOKKOS_INLINE_FUNCTION double initial_step() const { return dt0; }

  /// (e_i / (atol + rtol max(|y_i|, |y'_i|)))^2, the term of one component in the error ratio.
  KOKKOS_INLINE_FUNCTION double squared_scaled_error(double y, double y_next, double error) const {
    const double size = ::fabs(y) > ::fabs(y_next) ? ::fabs(y) : ::fabs(y_next);
    const double scale = atol + rtol * size;
    return (error / scale) * (error / scale);
  }

  /// Decides on a step from y to y_next of size h with error estimate `error`; sets the next step size.
  template <std::size_t N>
  KOKKOS_INLINE_FUNCTION bool accept(const State<N>& y, const State<N>& y_next, const State<N>& error, double h,
                                     double& next, Memory& memory) const {
    double sum = 0;
    for (std::size_t i = 0; i < N; ++i) sum += squared_scaled_error(y[i], y_next[i], error[i]);
    return decide(::sqrt(sum / N), h, next, memory);
  }

  /// Decides on a step of size h with error ratio `ratio` (NaN: rejected); sets the next step size.
  /// accept's ratio is the RMS over a path's components; a batch stepped together (solve_sde_batch)
  /// passes the RMS over every component of every path.
  KOKKOS_INLINE_FUNCTION bool decide(double ratio, double h, double& next, Memory& memory) const {
    const bool accepted = ratio <= 1 || (h <= dtmin && ratio == ratio);  // NaN errors are rejected
    const double b1 = icoeff + pcoeff + dcoeff, b2 = -(pcoeff + 2 * dcoeff), b3 = dcoeff;
    const double r = ratio > 1e-10 ? ratio : 1e-10;
    double factor = ratio == ratio ? safety * ::pow(r, -b1 / error_order) *
                                         ::pow(memory.previous, -b2 / error_order) *
                                         ::pow(memory.before_previous, -b3 / error_order)
                                   : factor_min;
    factor = factor < factor_min ? factor_min : (factor > factor_max ? factor_max : factor);
    if (!accepted && factor > 1) factor = 1;
    if (accepted) memory.before_previous = memory.previous, memory.previous = r;
    next = h * factor;
    if (next > dtmax) next = dtmax;
    if (next < dtmin) next = dtmin;
    return accepted;
  }
};

}  // namespace qmcsim
