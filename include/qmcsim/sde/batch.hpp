// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// An SDE evaluated on a whole batch of paths at once, with its sizes known at run time: a Python
/// callable on an array, a neural network, a system whose dimension the user chooses. solve_sde
/// (integrate.hpp) runs one path per thread with compile-time sizes and each path's own steps, on any
/// execution space; solve_sde_batch steps all paths together on the host, with constant steps or with
/// adaptive steps common to the batch (torchsde's rule), and calls the SDE once per stage for the whole
/// batch, so a callable's cost per call is paid once per stage, not once per path. It runs the same
/// solvers (solvers.hpp, stochastic_runge_kutta.hpp: the tableaux are shared data), row by row in the
/// same order of operations, along the same tree paths: on an SDE both can run, the two engines agree
/// bit for bit.
///
/// Batches are (B, columns) row-major host Views; row p is path first_path + p of the tree.
///   drift(t, y, f):      f(p, i) = f_i(t, y(p, :)),                    f is (B, N)
///   diffusion(t, y, g):  diagonal noise: g(p, i) = g_ii(t, y(p, :)),   g is (B, N), M = N;
///                        general noise: g(p, i M + j) = g_ij(t, y(p, :)), g is (B, N M)
///   diffusion_derivative(t, y, d): d(p, i) = d g_ii / d y_i            (Milstein only; diagonal)
/// The calculus (Itô or Stratonovich) must be the solver's unless the noise is additive.
///
///   BatchSde sde{1, 1, true, false, Calculus::ito, drift, diffusion, derivative};
///   solve_sde_batch(Milstein(), sde, tree, y0, {0.5, 1.0}, ConstantSteps(0.01), {}, states);  // states (B, 2, 1)

#include <Kokkos_Core.hpp>
#include <cmath>
#include <algorithm>
#include <functional>
#include <vector>

#include "qmcsim/sde/integrate.hpp"

namespace qmcsim {

/// B rows of states, drifts or diffusions (row-major host memory).
using BatchRows = Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace>;
/// fills out (B, columns) from the time and the states y (B, N).
using BatchFunction = std::function<void(double t, const BatchRows& y, const BatchRows& out)>;

/// The SDE dy = f(t, y) dt + g(t, y) dW on B paths at once (see the file comment for the layouts).
struct BatchSde {
  std::size_t dimension = 0;        ///< N
  std::size_t noise_dimension = 0;  ///< M, the Brownian components (= N for diagonal noise)
  bool diagonal_noise = true;       ///< g is diagonal (diffusion writes N columns) or N x M (N M columns)
  bool additive_noise = false;      ///< g does not depend on y (SEA, SRA1 and ShARK need it)
  Calculus calculus = Calculus::ito;  ///< how dW is read (irrelevant for additive noise)
  BatchFunction drift;                ///< f: (B, N) from (t, y)
  BatchFunction diffusion;            ///< g: (B, N) diagonal or (B, N M) general, from (t, y)
  BatchFunction diffusion_derivative;  ///< for Milstein's methods; may be empty otherwise
};

/// Which paths solve_sde_batch integrates, its limit on steps and the memory of its noise blocks.
struct BatchSolveOptions {
  std::size_t first_path = 0;  ///< the tree's path index of row 0
  std::int64_t max_steps = 1 << 24;  ///< steps of the whole batch
  /// The memory for the Brownian increments of a block of steps, drawn ahead for all paths in one
  /// kernel (brownian_increments: one cursor per path and component walking the block's steps, in
  /// cache, where cursors kept across steps for every path would stream megabytes per step). Larger
  /// blocks start fewer descents from the root; the values are the tree's whatever the block.
  std::size_t noise_memory = std::size_t(64) << 20;
};

namespace detail {

/// Runs body(p) for every row p of a batch of `rows`.
template <class Body>
void for_each_row(std::size_t rows, const char* label, const Body& body) {
  Kokkos::parallel_for(label, Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, rows), body);
}

/// (g v)_i of row p: g diagonal (N columns) or N x M (N M columns), v = a_w W + a_h H (a_w W without H),
/// in the order of detail::apply_noise and detail::noise_combination.
template <bool UsesH>
double noise_term(const BatchSde& sde, const BatchRows& g, std::size_t p, std::size_t i, double a_w, double a_h,
                  const BatchRows& W, const BatchRows& H) {
  const auto v = [&](std::size_t j) {
    if constexpr (UsesH) return a_w * W(p, j) + a_h * H(p, j);
    else return a_w * W(p, j);
  };
  if (sde.diagonal_noise) return g(p, i) * v(i);
  const std::size_t M = sde.noise_dimension;
  double sum = 0;
  for (std::size_t j = 0; j < M; ++j) sum += g(p, i * M + j) * v(j);
  return sum;
}

/// The buffers of one step: stage drifts and diffusions, a stage input.
struct BatchStageBuffers {
  std::vector<BatchRows> f, g;
  BatchRows z, g_end;
  BatchStageBuffers(std::size_t stages, std::size_t rows, std::size_t dimension, std::size_t diffusion_columns)
      : z("batch_z", rows, dimension), g_end("batch_g_end", rows, diffusion_columns) {
    for (std::size_t j = 0; j < stages; ++j) {
      f.emplace_back("batch_f", rows, dimension);
      g.emplace_back("batch_g", rows, diffusion_columns);
    }
  }
};

// One step from y (B, N) at t of size h into y_next, and, where `error` has rows, the solver's local
// error estimate into it, for each kind of solver; the formulas are the per-path solvers', applied row
// by row.

inline void batch_step(const EulerMaruyama&, const BatchSde& sde, BatchStageBuffers& b, double t, double h,
                       const BatchRows& y, const BatchRows& W, const BatchRows& H, const BatchRows& y_next,
                       const BatchRows&) {
  sde.drift(t, y, b.f[0]);
  sde.diffusion(t, y, b.g[0]);
  for_each_row(y.extent(0), "qmcsim::solve_sde_batch::euler_maruyama", [&](std::size_t p) {
    for (std::size_t i = 0; i < sde.dimension; ++i)
      y_next(p, i) = y(p, i) + b.f[0](p, i) * h + noise_term<false>(sde, b.g[0], p, i, 1.0, 0.0, W, H);
  });
}

template <Calculus Form>
void batch_step(const MilsteinMethod<Form>&, const BatchSde& sde, BatchStageBuffers& b, double t, double h,
                const BatchRows& y, const BatchRows& W, const BatchRows&, const BatchRows& y_next,
                const BatchRows& error) {
  sde.drift(t, y, b.f[0]);
  sde.diffusion(t, y, b.g[0]);
  sde.diffusion_derivative(t, y, b.z);
  const bool estimate = error.extent(0) > 0;
  for_each_row(y.extent(0), "qmcsim::solve_sde_batch::milstein", [&](std::size_t p) {
    for (std::size_t i = 0; i < sde.dimension; ++i) {
      const double w = W(p, i), g = b.g[0](p, i);
      const double square = Form == Calculus::ito ? w * w - h : w * w;
      const double correction = 0.5 * g * b.z(p, i) * square;
      y_next(p, i) = y(p, i) + b.f[0](p, i) * h + g * w + correction;
      if (estimate) error(p, i) = correction;
    }
  });
  if (!estimate) return;
  sde.drift(t + h, y_next, b.z);  // the trapezoidal correction's f(t + h, y_next)
  for_each_row(y.extent(0), "qmcsim::solve_sde_batch::milstein_error", [&](std::size_t p) {
    for (std::size_t i = 0; i < sde.dimension; ++i) error(p, i) += 0.5 * h * (b.z(p, i) - b.f[0](p, i));
  });
}

template <int Stages, LevyArea Levy>
void batch_step(const AdditiveNoiseRungeKutta<Stages, Levy>& method, const BatchSde& sde, BatchStageBuffers& b,
                double t, double h, const BatchRows& y, const BatchRows& W, const BatchRows& H,
                const BatchRows& y_next, const BatchRows& error) {
  const bool estimate = error.extent(0) > 0;
  constexpr bool uses_h = Levy != LevyArea::none;
  const std::size_t rows = y.extent(0), N = sde.dimension;
  sde.diffusion(t, y, b.g[0]);
  sde.diffusion(t + h, y, b.g_end);
  for (int j = 0; j < Stages; ++j) {
    for_each_row(rows, "qmcsim::solve_sde_batch::stage", [&](std::size_t p) {
      for (std::size_t i = 0; i < N; ++i) {
        double z = y(p, i);
        for (int k = 0; k < j; ++k) z += h * method.drift.a[j][k] * b.f[k](p, i);
        b.z(p, i) = z + noise_term<uses_h>(sde, b.g[0], p, i, method.w.a[j], method.hh.a[j], W, H);
      }
    });
    sde.drift(t + method.drift.c[j] * h, b.z, b.f[j]);
  }
  for_each_row(rows, "qmcsim::solve_sde_batch::solution", [&](std::size_t p) {
    // g(t + h) - g(t), entry by entry first, as the per-path step's difference
    for (std::size_t k = 0; k < b.g_end.extent(1); ++k) b.g_end(p, k) -= b.g[0](p, k);
    for (std::size_t i = 0; i < N; ++i) {
      double drift_sum = 0, error_sum = 0;
      for (int j = 0; j < Stages; ++j)
        drift_sum += method.drift.b[j] * b.f[j](p, i), error_sum += method.drift.b_error[j] * b.f[j](p, i);
      // (g(t + h) - g(t)) (W/2 - H), or (W/2); g_end holds g(t + h) - g(t) (below)
      y_next(p, i) = y(p, i) + h * drift_sum + noise_term<uses_h>(sde, b.g[0], p, i, method.w.b, method.hh.b, W, H) +
                     noise_term<uses_h>(sde, b.g_end, p, i, 0.5, -1, W, H);
      if (estimate) error(p, i) = h * error_sum;
    }
  });
}

template <int Stages, LevyArea Levy>
void batch_step(const StratonovichRungeKutta<Stages, Levy>& method, const BatchSde& sde, BatchStageBuffers& b,
                double t, double h, const BatchRows& y, const BatchRows& W, const BatchRows& H,
                const BatchRows& y_next, const BatchRows& error) {
  const bool estimate = error.extent(0) > 0;
  constexpr bool uses_h = Levy != LevyArea::none;
  const std::size_t rows = y.extent(0), N = sde.dimension;
  for (int j = 0; j < Stages; ++j) {
    for_each_row(rows, "qmcsim::solve_sde_batch::stage", [&](std::size_t p) {
      for (std::size_t i = 0; i < N; ++i) {
        double noise = 0;
        for (int k = 0; k < j; ++k)
          noise += noise_term<uses_h>(sde, b.g[k], p, i, method.w.a[j][k], method.hh.a[j][k], W, H);
        double z = y(p, i);
        for (int k = 0; k < j; ++k) z += h * method.drift.a[j][k] * b.f[k](p, i);
        b.z(p, i) = z + noise;
      }
    });
    const double stage_time = t + method.drift.c[j] * h;
    sde.drift(stage_time, b.z, b.f[j]);
    sde.diffusion(stage_time, b.z, b.g[j]);
  }
  for_each_row(rows, "qmcsim::solve_sde_batch::solution", [&](std::size_t p) {
    for (std::size_t i = 0; i < N; ++i) {
      double sum = 0, error_sum = 0;
      for (int j = 0; j < Stages; ++j) {
        sum += h * method.drift.b[j] * b.f[j](p, i) +
               noise_term<uses_h>(sde, b.g[j], p, i, method.w.b[j], method.hh.b[j], W, H);
        if (estimate)
          error_sum += h * method.drift.b_error[j] * b.f[j](p, i) +
                       noise_term<uses_h>(sde, b.g[j], p, i, method.w.b_error[j], method.hh.b_error[j], W, H);
      }
      y_next(p, i) = sum + y(p, i);
      if (estimate) error(p, i) = error_sum;
    }
  });
}

/// How many stages (f and g buffers) a solver needs.
inline int batch_stages(const EulerMaruyama&) { return 1; }
template <Calculus Form>
int batch_stages(const MilsteinMethod<Form>&) { return 1; }
template <int Stages, LevyArea Levy>
int batch_stages(const AdditiveNoiseRungeKutta<Stages, Levy>&) { return Stages; }
template <int Stages, LevyArea Levy>
int batch_stages(const StratonovichRungeKutta<Stages, Levy>&) { return Stages; }

template <int Stages, LevyArea Levy>
std::true_type is_additive_noise_method(const AdditiveNoiseRungeKutta<Stages, Levy>*);
std::false_type is_additive_noise_method(...);

/// Throws unless `sde` is complete and consistent and `solver` can solve it.
template <class Solver>
void check_batch_sde(const Solver& solver, const BatchSde& sde) {
  const std::string where = std::string("solve_sde_batch (") + solver.name + ")";
  require(sde.dimension >= 1, where, ": the SDE's dimension is 0");
  require(sde.noise_dimension >= 1, where, ": the SDE's noise_dimension is 0");
  require(!sde.diagonal_noise || sde.noise_dimension == sde.dimension, where, ": diagonal noise has noise_dimension ",
          sde.noise_dimension, " != dimension ", sde.dimension);
  require(sde.drift && sde.diffusion, where, ": the SDE needs a drift and a diffusion");
  constexpr bool additive_method = decltype(is_additive_noise_method(std::declval<const Solver*>()))::value;
  if constexpr (additive_method) {
    require(sde.additive_noise, where, " is for additive noise: the SDE must declare additive_noise (g independent of y)");
  } else {
    require(sde.additive_noise || Solver::calculus == sde.calculus, where, " solves ",
            Solver::calculus == Calculus::ito ? "Itô" : "Stratonovich", " SDEs and this one is written in ",
            sde.calculus == Calculus::ito ? "Itô" : "Stratonovich", " form");
  }
  if constexpr (std::is_same_v<Solver, MilsteinMethod<Calculus::ito>> ||
                std::is_same_v<Solver, MilsteinMethod<Calculus::stratonovich>>) {
    require(sde.diagonal_noise, where,
            " is for diagonal noise; general noise needs the space-space Lévy areas: use euler-maruyama, "
            "stratonovich-heun or spark");
    require(static_cast<bool>(sde.diffusion_derivative), where, " needs the SDE's diffusion_derivative (d g_i / d y_i)");
  }
}

}  // namespace detail

/// (B, save times, N) states of solve_sde_batch (row-major host memory).
using BatchStates = Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace>;

namespace detail {
/// The checks both solve_sde_batch overloads start with.
template <class Solver, LevyArea Levy>
void check_batch_solve(const Solver& solver, const BatchSde& sde, const VirtualBrownianTree<Levy, double>& tree,
                       const BatchRows& y0, const std::vector<double>& save_times, const BatchSolveOptions& options,
                       const BatchStates& states) {
  static_assert(static_cast<int>(Levy) >= static_cast<int>(Solver::levy_area),
                "the tree must compute the Lévy areas the solver uses");
  check_solver(solver);
  check_batch_sde(solver, sde);
  const std::size_t rows = y0.extent(0), N = sde.dimension, M = sde.noise_dimension;
  require(rows >= 1 && y0.extent(1) == N, "solve_sde_batch: y0 is (", y0.extent(0), ", ", y0.extent(1),
          "); it must be (paths >= 1, dimension ", N, ")");
  require(tree.dimension() == static_cast<int>(M), "solve_sde_batch: the tree has ", tree.dimension(),
          " components, the SDE's noise ", M);
  check_save_times_and_paths("solve_sde_batch", save_times, tree.t0(), tree.t1(), options.first_path, rows);
  require(states.extent(0) == rows && states.extent(1) == save_times.size() && states.extent(2) == N,
          "solve_sde_batch: states is (", states.extent(0), ", ", states.extent(1), ", ", states.extent(2),
          "); it must be (", rows, ", ", save_times.size(), ", ", N, ")");
  require(options.max_steps >= 1, "solve_sde_batch: max_steps = ", options.max_steps, " must be at least 1");
  for (std::size_t p = 0; p < rows; ++p)
    for (std::size_t i = 0; i < N; ++i) require_finite("solve_sde_batch", "y0 entry", y0(p, i));
}
}  // namespace detail

/// Solves `sde` from the rows of y0 (B, N) at tree.t0() along paths first_path .. first_path + B - 1 of
/// `tree` with constant steps, writing the state at each of `save_times` (increasing, in (t0, t1])
/// into states (B, save times, N): the numbers solve_sde gives for the same SDE, solver, tree and
/// steps. Returns the steps taken (one count for every path); a batch that reaches max_steps before
/// the last save time leaves NaN from there and completed = false. Throws qmcsim::error for the
/// cases solve_sde refuses, an SDE the solver cannot solve (wrong calculus, non-additive noise for
/// SEA/SRA1/ShARK, general noise or no diffusion_derivative for Milstein) and views of the wrong shape.
template <class Solver, LevyArea Levy>
PathStatistics solve_sde_batch(const Solver& solver, const BatchSde& sde, const VirtualBrownianTree<Levy, double>& tree,
                               const BatchRows& y0, const std::vector<double>& save_times, const ConstantSteps& steps,
                               const BatchSolveOptions& options, const BatchStates& states) {
  detail::check_batch_solve(solver, sde, tree, y0, save_times, options, states);
  const std::size_t rows = y0.extent(0), N = sde.dimension, M = sde.noise_dimension;

  // The steps of integrate_path's loop with constant steps: the same for every path, known ahead.
  std::vector<double> step_starts, step_ends;
  std::vector<std::size_t> saved_after(save_times.size(), 0);  // steps taken when save time k is reached (0: never)
  PathStatistics statistics;
  double t = tree.t0();
  const double h = steps.dt;
  for (std::size_t k = 0; k < save_times.size() && statistics.completed; ++k) {
    const double t_end = save_times[k];
    while (t < t_end) {
      if (static_cast<std::int64_t>(step_starts.size()) >= options.max_steps) {
        statistics.completed = false;
        break;
      }
      const double t_next = detail::step_end(t, h, t_end);
      step_starts.push_back(t), step_ends.push_back(t_next);
      t = t_next;
    }
    if (statistics.completed) saved_after[k] = step_starts.size();
  }
  statistics.accepted = static_cast<std::int64_t>(step_starts.size());
  const std::size_t count = step_starts.size();
  const std::size_t per_step = rows * M * (Levy == LevyArea::none ? 1 : Levy == LevyArea::space_time ? 2 : 3) * sizeof(double);
  const std::size_t block = std::max<std::size_t>(1, std::min(count, options.noise_memory / per_step));

  detail::BatchStageBuffers buffers(static_cast<std::size_t>(detail::batch_stages(solver)), rows, N,
                                    sde.diagonal_noise ? N : N * M);
  BatchRows y("batch_y", rows, N), y_next("batch_y_next", rows, N), W("batch_W", rows, M), H("batch_H", rows, M);
  const BatchRows no_error;  // constant steps need no error estimate
  Kokkos::deep_copy(y, y0);
  Kokkos::View<double* [2], Kokkos::HostSpace> intervals("batch_step_intervals", block);
  std::size_t saved = 0;  // save times written
  for (std::size_t first = 0; first < count; first += block) {
    const std::size_t size = std::min(block, count - first);
    for (std::size_t i = 0; i < size; ++i) intervals(i, 0) = step_starts[first + i], intervals(i, 1) = step_ends[first + i];
    const auto noise = brownian_increments<Kokkos::DefaultHostExecutionSpace>(
        tree, rows, Kokkos::subview(intervals, std::make_pair(std::size_t(0), size), Kokkos::ALL), options.first_path);
    for (std::size_t i = 0; i < size; ++i) {
      Kokkos::deep_copy(W, Kokkos::subview(noise.W, Kokkos::ALL, i, Kokkos::ALL));
      if constexpr (Levy != LevyArea::none) Kokkos::deep_copy(H, Kokkos::subview(noise.H, Kokkos::ALL, i, Kokkos::ALL));
      detail::batch_step(solver, sde, buffers, step_starts[first + i], step_ends[first + i] - step_starts[first + i], y,
                         W, H, y_next, no_error);
      std::swap(y, y_next);
      for (; saved < save_times.size() && saved_after[saved] == first + i + 1; ++saved)
        Kokkos::deep_copy(Kokkos::subview(states, Kokkos::ALL, saved, Kokkos::ALL), y);
    }
  }
  for (; saved < save_times.size(); ++saved) Kokkos::deep_copy(Kokkos::subview(states, Kokkos::ALL, saved, Kokkos::ALL), NAN);
  return statistics;
}

/// solve_sde_batch with adaptive steps common to the batch, as torchsde takes them: the PID
/// controller judges a step by the RMS of the scaled errors over every component of every path, so
/// all paths share each step, and a rejected step is retried shorter over the same Brownian paths.
/// With one path the steps and states are solve_sde's with the same controller, bit for bit. Needs a
/// solver with an error estimate (Milstein, SPaRK, StratonovichHeun, SRA1, ShARK); max_steps counts
/// attempted steps. Returns the counts of the batch's steps.
template <class Solver, LevyArea Levy>
PathStatistics solve_sde_batch(const Solver& solver, const BatchSde& sde, const VirtualBrownianTree<Levy, double>& tree,
                               const BatchRows& y0, const std::vector<double>& save_times, const PidController& control,
                               const BatchSolveOptions& options, const BatchStates& states) {
  detail::check_batch_solve(solver, sde, tree, y0, save_times, options, states);
  detail::check_adaptive_solver("solve_sde_batch", solver);
  const std::size_t rows = y0.extent(0), N = sde.dimension, M = sde.noise_dimension;
  const double h0 = control.initial_step() > 0 ? control.initial_step() : (tree.t1() - tree.t0()) / 100;
  detail::BatchStageBuffers buffers(static_cast<std::size_t>(detail::batch_stages(solver)), rows, N,
                                    sde.diagonal_noise ? N : N * M);
  BatchRows y("batch_y", rows, N), y_next("batch_y_next", rows, N), error("batch_error", rows, N);
  BatchRows W("batch_W", rows, M), H("batch_H", rows, M);
  Kokkos::deep_copy(y, y0);
  Kokkos::View<double* [2], Kokkos::HostSpace> interval("batch_step_interval", 1);
  PidController::Memory memory;
  PathStatistics statistics;
  double t = tree.t0(), h = h0;
  std::size_t saved = 0;
  for (; saved < save_times.size(); ++saved) {
    const double t_end = save_times[saved];
    while (t < t_end && statistics.completed) {  // integrate_path's loop, the batch as one state
      if (statistics.accepted + statistics.rejected >= options.max_steps) {
        statistics.completed = false;
        break;
      }
      const double t_next = detail::step_end(t, h, t_end);
      const bool last = t_next == t_end;
      const double step = t_next - t;
      interval(0, 0) = t, interval(0, 1) = t_next;
      const auto noise = brownian_increments<Kokkos::DefaultHostExecutionSpace>(tree, rows, interval, options.first_path);
      Kokkos::deep_copy(W, Kokkos::subview(noise.W, Kokkos::ALL, 0, Kokkos::ALL));
      if constexpr (Levy != LevyArea::none) Kokkos::deep_copy(H, Kokkos::subview(noise.H, Kokkos::ALL, 0, Kokkos::ALL));
      detail::batch_step(solver, sde, buffers, t, step, y, W, H, y_next, error);
      double sum = 0;
      for (std::size_t p = 0; p < rows; ++p)
        for (std::size_t i = 0; i < N; ++i) sum += control.squared_scaled_error(y(p, i), y_next(p, i), error(p, i));
      double proposal;
      if (control.decide(std::sqrt(sum / static_cast<double>(rows * N)), step, proposal, memory)) {
        ++statistics.accepted;
        std::swap(y, y_next);
        t = t_next;
        h = last && proposal < h ? h : proposal;  // as integrate_path: a shortened last step keeps the longer proposal
      } else {
        ++statistics.rejected;
        h = proposal;
      }
    }
    if (!statistics.completed) break;
    Kokkos::deep_copy(Kokkos::subview(states, Kokkos::ALL, saved, Kokkos::ALL), y);
  }
  for (; saved < save_times.size(); ++saved) Kokkos::deep_copy(Kokkos::subview(states, Kokkos::ALL, saved, Kokkos::ALL), NAN);
  return statistics;
}

}  // namespace qmcsim
