// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Integration of an SDE along paths of a virtual Brownian tree: one path per thread, each with its
/// own step sequence (constant or adaptive with rejections), saving the state at given times.
///
/// The loop of one path: propose h (clipped to land on the next save time), query the tree over
/// [t, t + h], take a solver step, ask the controller; on acceptance advance, else retry with the
/// controller's smaller h. Queries therefore come out of order (a rejected [t, t + h] is followed
/// by [t, t + h'] with h' < h), which the tree answers consistently with constant memory; each path
/// queries through a cursor per component (`PathNoise`), which keeps the cells of its last steps.

#include <Kokkos_Core.hpp>
#include <type_traits>
#include <utility>
#include <vector>

#include "qmcsim/core/execution.hpp"
#include "qmcsim/sde/step_size.hpp"
#include "qmcsim/sde/stochastic_runge_kutta.hpp"

namespace qmcsim {

namespace detail {
template <class Solver, class = void>
struct has_check : std::false_type {};
template <class Solver>
struct has_check<Solver, std::void_t<decltype(std::declval<const Solver&>().check())>> : std::true_type {};

/// Whether Control has the step-size controller contract of step_size.hpp.
template <class Control, std::size_t N, class = void>
struct is_step_size_controller : std::false_type {};
template <class Control, std::size_t N>
struct is_step_size_controller<
    Control, N,
    std::enable_if_t<std::is_same_v<decltype(Control::adaptive), const bool> &&
                     std::is_default_constructible_v<typename Control::Memory> &&
                     std::is_convertible_v<decltype(std::declval<const Control&>().initial_step()), double> &&
                     std::is_same_v<decltype(std::declval<const Control&>().accept(
                                        std::declval<const State<N>&>(), std::declval<const State<N>&>(),
                                        std::declval<const State<N>&>(), 0.0, std::declval<double&>(),
                                        std::declval<typename Control::Memory&>())),
                                    bool>>> : std::true_type {};

/// Checks a solver given as data (a tableau) before it runs; the hand-written solvers have nothing to check.
template <class Solver>
void check_solver(const Solver& solver) {
  if constexpr (has_check<Solver>::value) solver.check();
}

/// The end of a step of size h from t towards t_end: t_end when the step would end within 1e-6 h of
/// it (t accumulated by additions falls short of t_end by roundings: ten steps of 0.1 reach
/// 0.9999999999999999, which would leave a step of 1e-16), else t + h.
KOKKOS_INLINE_FUNCTION double step_end(double t, double h, double t_end) {
  return t + h >= t_end - 1e-6 * h ? t_end : t + h;
}

/// Throws qmcsim::error (naming `where`) unless the save times increase within (t0, t1] and the paths
/// [first_path, first_path + paths) are indices of one seed.
inline void check_save_times_and_paths(const char* where, const std::vector<double>& save_times, double t0, double t1,
                                       std::size_t first_path, std::size_t paths) {
  require(!save_times.empty(), where, ": save_times is empty");
  for (std::size_t k = 0; k < save_times.size(); ++k) {
    const double previous = k == 0 ? t0 : save_times[k - 1];
    require(save_times[k] > previous && save_times[k] <= t1, where, ": save time ", k, " = ", save_times[k],
            " must exceed ", previous, " and not exceed t1 = ", t1);
  }
  require(first_path + paths <= (std::size_t(1) << 32), where, ": paths [", first_path, ", ", first_path + paths,
          ") exceed 2^32");
}
}  // namespace detail

namespace detail {
/// Throws qmcsim::error for a solver without a local error estimate under an adaptive controller.
template <class Solver>
void check_adaptive_solver(const char* where, const Solver& solver) {
  require(solver.has_error_estimate, where, ": ", solver.name,
          " has no local error estimate, and adaptive steps chosen from the path make it converge to a wrong "
          "answer: use Milstein, SPaRK or StratonovichHeun (SRA1 or ShARK for additive noise) with an adaptive "
          "controller, or constant steps");
}
}  // namespace detail

/// Counts of one path's integration; `completed` is false when `max_steps` attempts did not reach the end.
struct PathStatistics {
  std::int64_t accepted = 0;  ///< steps taken
  std::int64_t rejected = 0;  ///< steps the controller refused (and retried shorter)
  bool completed = true;      ///< whether the path reached the last save time
};

/// Advances `y` from t to t_end (one path). `h` holds the controller's proposed step between calls.
template <class Solver, class Sde, class Control, LevyArea Levy, std::size_t N = Sde::dimension,
          std::size_t M = detail::noise_dimension_of<Sde>::value>
KOKKOS_INLINE_FUNCTION void integrate_path(const Solver& solver, const Sde& sde, PathNoise<M, Levy>& noise, State<N>& y,
                                           double t, double t_end, const Control& control, double& h,
                                           typename Control::Memory& memory, std::int64_t max_steps,
                                           PathStatistics& statistics) {
  static_assert(static_cast<int>(Levy) >= static_cast<int>(Solver::levy_area),
                "the tree must compute the Lévy areas the solver uses");
  static_assert(detail::has_drift_and_diffusion<Sde, N, M>::value,
                "an SDE has State<N> drift(double t, const State<N>& y) const and a diffusion(double t, const "
                "State<N>& y) const returning State<N> (the diagonal of g) or, with static constexpr std::size_t "
                "noise_dimension = M, NoiseMatrix<N, M> (general noise); N = its static constexpr std::size_t "
                "dimension");
  static_assert(detail::is_step_size_controller<Control, N>::value,
                "a step-size controller has static constexpr bool adaptive, a default-constructible Memory, double "
                "initial_step() const and bool accept(y, y_next, error, h, double& next_h, Memory&) const");
  while (t < t_end) {
    if (statistics.accepted + statistics.rejected >= max_steps) {
      statistics.completed = false;
      return;
    }
    const double t_next = detail::step_end(t, h, t_end);
    const bool last = t_next == t_end;
    const double step = t_next - t;
    const StepResult<N> result = solver.step(sde, t, step, y, noise.increment(t, t_next));
    double proposal;
    if (control.accept(y, result.y, result.error, step, proposal, memory)) {
      ++statistics.accepted;
      y = result.y;
      t = t_next;
      // A step shortened to land on t_end keeps the controller's larger proposal for later.
      h = last && proposal < h ? h : proposal;
    } else {
      ++statistics.rejected;
      h = proposal;
    }
  }
}

/// States at the save times, indexed (path, save time, component), with per-path statistics.
template <class MemorySpace>
struct SdeSolution {
  Kokkos::View<double***, Kokkos::LayoutRight, MemorySpace> states;  ///< (path, save time, component); NaN if not completed
  Kokkos::View<PathStatistics*, MemorySpace> statistics;            ///< per path
};

/// Which paths solve_sde integrates, and its limit on steps.
struct SolveOptions {
  std::size_t paths = 1;       ///< how many paths
  std::size_t first_path = 0;  ///< the tree's path index of the first
  std::int64_t max_steps = 1 << 24;  ///< attempted steps per path
};

/// Integrates paths [first_path, first_path + paths) of `tree` from y0 at tree.t0() and records the
/// state at each of `save_times` (increasing, in (t0, t1]). Throws qmcsim::error for unsorted or
/// out-of-range save times, a controller that starts with a non-positive step, an adaptive
/// controller with a solver that has no error estimate (Euler-Maruyama, SEA: see solvers.hpp), a tree
/// whose number of components is not the SDE's noise dimension, and an inconsistent tableau. The
/// kernel is enqueued on the instance `space` (see core/execution.hpp).
template <class ExecSpace, class Solver, class Sde, class Control, LevyArea Levy, std::size_t N = Sde::dimension>
SdeSolution<typename ExecSpace::memory_space> solve_sde(const ExecSpace& space, const Solver& solver, const Sde& sde,
                                                        const VirtualBrownianTree<Levy, double>& tree,
                                                        const State<N>& y0, const std::vector<double>& save_times,
                                                        const Control& control, const SolveOptions& options) {
  detail::check_solver(solver);
  if (Control::adaptive) detail::check_adaptive_solver("solve_sde", solver);
  constexpr std::size_t M = detail::noise_dimension_of<Sde>::value;
  detail::require(tree.dimension() == static_cast<int>(M), "solve_sde: the tree has ", tree.dimension(),
                  " components, the SDE's noise ", M,
                  " (one per Brownian component: its noise_dimension, or its dimension for diagonal noise)");
  detail::check_save_times_and_paths("solve_sde", save_times, tree.t0(), tree.t1(), options.first_path, options.paths);
  for (std::size_t i = 0; i < N; ++i) detail::require_finite("solve_sde", "y0 component", y0[i]);
  const double h0 = control.initial_step() > 0 ? control.initial_step() : (tree.t1() - tree.t0()) / 100;
  detail::require(h0 > 0 && std::isfinite(h0), "solve_sde: initial step = ", h0, " must be positive");

  using Memory = typename ExecSpace::memory_space;
  const Kokkos::View<const double*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> host_times(save_times.data(),
                                                                                                          save_times.size());
  const auto times = detail::copy_to_space(space, "qmcsim::solve_sde::save_times", host_times);
  // every entry is written by the kernel: no initialization
  SdeSolution<Memory> out{
      Kokkos::View<double***, Kokkos::LayoutRight, Memory>(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "sde_states"),
                                                           options.paths, save_times.size(), N),
      Kokkos::View<PathStatistics*, Memory>(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "sde_statistics"),
                                            options.paths)};
  const auto states = out.states;
  const auto statistics = out.statistics;
  const std::size_t first_path = options.first_path;
  const std::int64_t max_steps = options.max_steps;
  const double t0 = tree.t0();
  Kokkos::parallel_for(
      "qmcsim::solve_sde", Kokkos::RangePolicy<ExecSpace>(space, 0, options.paths), KOKKOS_LAMBDA(std::size_t p) {
        PathNoise<M, Levy> noise(tree, static_cast<std::uint32_t>(first_path + p));
        State<N> y = y0;
        double t = t0, h = h0;
        typename Control::Memory memory;
        PathStatistics counts;
        for (std::size_t k = 0; k < times.extent(0); ++k) {
          integrate_path(solver, sde, noise, y, t, times(k), control, h, memory, max_steps, counts);
          t = times(k);
          for (std::size_t i = 0; i < N; ++i) states(p, k, i) = counts.completed ? y[i] : NAN;
        }
        statistics(p) = counts;
      });
  return out;
}

/// solve_sde(ExecSpace(), ...): on Kokkos' default instance.
template <class ExecSpace, class Solver, class Sde, class Control, LevyArea Levy, std::size_t N = Sde::dimension>
SdeSolution<typename ExecSpace::memory_space> solve_sde(const Solver& solver, const Sde& sde,
                                                        const VirtualBrownianTree<Levy, double>& tree,
                                                        const State<N>& y0, const std::vector<double>& save_times,
                                                        const Control& control, const SolveOptions& options) {
  return solve_sde(ExecSpace(), solver, sde, tree, y0, save_times, control, options);
}

}  // namespace qmcsim
