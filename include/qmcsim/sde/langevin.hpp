// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Underdamped (kinetic) Langevin dynamics for MCMC,
///   dx = v dt,   dv = -gamma v dt - u grad f(x) dt + sqrt(2 gamma u) dW,
/// whose x-marginal of the stationary law is proportional to exp(-f(x)), integrated by ShOULD, the
/// shifted ODE with Lévy area "underdamped" Langevin scheme of Foster, Lyons and Oberhauser (also
/// diffrax's ShOULD): third order strong convergence, using the increment W, the space-time Lévy area
/// H and the space-time-time Lévy area K of each step, with two gradient evaluations per step (the
/// gradient at the end of a step is reused at the start of the next). With al = gamma h:
///   v1 = v0 + rho (H + 6K),  rho = sqrt(2 gamma u),
///   x1 = x0 + a_half v1 + b_half (-u h f0 + rho (W - 12 K)),
///   x' = x0 + a1 v0 - u h b1 (f0/3 + 2 f1/3) + rho (b1 W + chh H + ckk K),
///   v' = beta1 v0 - u h (beta1 f0/6 + 2 beta_half f1/3 + f'/6) + rho (aa W - gamma (chh H + ckk K)),
/// where f0 = grad f(x0), f1 = grad f(x1), f' = grad f(x'), beta_c = e^{-c al}, a_c = (1 - beta_c)/gamma,
/// b_half = (beta_half + al/2 - 1)/(al gamma), b1 = (beta1 + al - 1)/(al gamma), aa = a1/h, chh = 6 (beta1 (al + 2) + al - 2)/(al^2 gamma),
/// ckk = 60 (beta1 (al (al + 6) + 12) - al (al - 6) - 12)/(al^3 gamma). The coefficients suffer
/// cancellation for small al; they are computed once per step size on the host in long double.
///
/// A potential is a trivially copyable functor type with `static constexpr std::size_t dimension`
/// and `State<N> gradient(const State<N>& x) const` (KOKKOS_INLINE_FUNCTION).

#include <Kokkos_Core.hpp>
#include <cmath>

#include "qmcsim/sde/solvers.hpp"

namespace qmcsim {

/// Position, velocity and the gradient at the position (carried from one step to the next).
template <std::size_t N>
struct LangevinState {
  State<N> x;         ///< position
  State<N> v;         ///< velocity
  State<N> gradient;  ///< grad f(x)
};

/// ShOULD's steps of one size (the file comment); the coefficients are computed by the constructor.
class ShOULD {
 public:
  static constexpr LevyArea levy_area = LevyArea::space_time_time;  ///< reads W, H and K
  static constexpr int gradients_per_step = 2;                       ///< new gradient evaluations per step

  /// Friction gamma > 0, inverse mass u > 0, step h > 0.
  ShOULD(double gamma, double u, double h) : gamma_(gamma), u_(u), h_(h) {
    detail::require(gamma > 0 && std::isfinite(gamma), "ShOULD: gamma = ", gamma, " must be a positive number");
    detail::require(u > 0 && std::isfinite(u), "ShOULD: u = ", u, " must be a positive number");
    detail::require(h > 0 && std::isfinite(h), "ShOULD: h = ", h, " must be a positive number");
    const long double c = gamma, al = c * h, beta_half = std::exp(-al / 2), beta1 = std::exp(-al);
    beta_half_ = static_cast<double>(beta_half);
    beta1_ = static_cast<double>(beta1);
    a_half_ = static_cast<double>((1 - beta_half) / c);
    a1_ = static_cast<double>((1 - beta1) / c);
    b_half_ = static_cast<double>((beta_half + al / 2 - 1) / (al * c));
    b1_ = static_cast<double>((beta1 + al - 1) / (al * c));
    aa_ = static_cast<double>((1 - beta1) / (c * h));
    chh_ = static_cast<double>(6 * (beta1 * (al + 2) + al - 2) / (al * al * c));
    ckk_ = static_cast<double>(60 * (beta1 * (al * (al + 6) + 12) - al * (al - 6) - 12) / (al * al * al * c));
    rho_ = std::sqrt(2 * gamma * u);
  }

  /// h.
  KOKKOS_INLINE_FUNCTION double step_size() const { return h_; }

  /// The state at (x, v), with the gradient at x that the first step reuses.
  template <class Potential, std::size_t N = Potential::dimension>
  KOKKOS_INLINE_FUNCTION LangevinState<N> initial_state(const Potential& potential, const State<N>& x,
                                                        const State<N>& v) const {
    return {x, v, potential.gradient(x)};
  }

  /// One step of size h; `dw` holds W, H, K of the step for each of the N noise components.
  template <class Potential, std::size_t N = Potential::dimension>
  KOKKOS_INLINE_FUNCTION LangevinState<N> step(const Potential& potential, const LangevinState<N>& s,
                                               const NoiseIncrement<N>& dw) const {
    const double uh = u_ * h_;
    State<N> x1;
    for (std::size_t i = 0; i < N; ++i) {
      const double v1 = s.v[i] + rho_ * (dw.H[i] + 6 * dw.K[i]);
      x1[i] = s.x[i] + a_half_ * v1 + b_half_ * (-uh * s.gradient[i] + rho_ * (dw.W[i] - 12 * dw.K[i]));
    }
    const State<N> f1 = potential.gradient(x1);
    LangevinState<N> out;
    for (std::size_t i = 0; i < N; ++i) {
      const double chh_hh_ckk_kk = chh_ * dw.H[i] + ckk_ * dw.K[i];
      out.x[i] = s.x[i] + a1_ * s.v[i] - uh * b1_ * (s.gradient[i] / 3 + 2 * f1[i] / 3) +
                 rho_ * (b1_ * dw.W[i] + chh_hh_ckk_kk);
    }
    out.gradient = potential.gradient(out.x);
    for (std::size_t i = 0; i < N; ++i) {
      const double chh_hh_ckk_kk = chh_ * dw.H[i] + ckk_ * dw.K[i];
      out.v[i] = beta1_ * s.v[i] -
                 uh * (beta1_ * s.gradient[i] / 6 + 2 * beta_half_ * f1[i] / 3 + out.gradient[i] / 6) +
                 rho_ * (aa_ * dw.W[i] - gamma_ * chh_hh_ckk_kk);
    }
    return out;
  }

 private:
  double gamma_, u_, h_;
  double beta_half_, beta1_, a_half_, a1_, b_half_, b1_, aa_, chh_, ckk_, rho_;
};

/// Runs `steps` ShOULD steps of size h from (x0, v0) on paths [0, paths) of `tree` (which must cover
/// [0, steps h] and compute K), recording x every `thin` steps: a View (path, record, component)
/// with steps / thin records, computed by one kernel enqueued on the instance `space` (see
/// core/execution.hpp).
template <class ExecSpace, class Potential, std::size_t N = Potential::dimension>
Kokkos::View<double***, Kokkos::LayoutRight, typename ExecSpace::memory_space> sample_langevin(
    const ExecSpace& space, const ShOULD& integrator, const Potential& potential,
    const VirtualBrownianTree<LevyArea::space_time_time, double>& tree, const State<N>& x0, const State<N>& v0,
    std::size_t steps, std::size_t thin, std::size_t paths) {
  detail::require(thin >= 1 && steps >= thin, "sample_langevin: thin = ", thin, " must be in [1, steps = ", steps, "]");
  const double h = integrator.step_size();
  detail::require(tree.t0() <= 0 && static_cast<double>(steps) * h <= tree.t1() * (1 + 1e-12),
                  "sample_langevin: the tree's [", tree.t0(), ", ", tree.t1(), "] does not cover [0, steps h = ",
                  static_cast<double>(steps) * h, "]");
  detail::require(paths <= (std::size_t(1) << 32), "sample_langevin: paths = ", paths, " exceeds 2^32");
  // every entry is written by the kernel: no initialization
  Kokkos::View<double***, Kokkos::LayoutRight, typename ExecSpace::memory_space> samples(
      Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "langevin_samples"), paths, steps / thin, N);
  Kokkos::parallel_for(
      "qmcsim::sample_langevin", Kokkos::RangePolicy<ExecSpace>(space, 0, paths), KOKKOS_LAMBDA(std::size_t p) {
        LangevinState<N> state = integrator.initial_state(potential, x0, v0);
        PathNoise<N, LevyArea::space_time_time> noise(tree, static_cast<std::uint32_t>(p));
        for (std::size_t k = 0; k < steps; ++k) {
          const double t = static_cast<double>(k) * h;
          const double t_next = t + h < tree.t1() ? t + h : tree.t1();
          state = integrator.step(potential, state, noise.increment(t, t_next));
          if ((k + 1) % thin == 0)
            for (std::size_t i = 0; i < N; ++i) samples(p, (k + 1) / thin - 1, i) = state.x[i];
        }
      });
  return samples;
}

/// sample_langevin(ExecSpace(), ...): on Kokkos' default instance.
template <class ExecSpace, class Potential, std::size_t N = Potential::dimension>
Kokkos::View<double***, Kokkos::LayoutRight, typename ExecSpace::memory_space> sample_langevin(
    const ShOULD& integrator, const Potential& potential,
    const VirtualBrownianTree<LevyArea::space_time_time, double>& tree, const State<N>& x0, const State<N>& v0,
    std::size_t steps, std::size_t thin, std::size_t paths) {
  return sample_langevin(ExecSpace(), integrator, potential, tree, x0, v0, steps, thin, paths);
}

}  // namespace qmcsim
