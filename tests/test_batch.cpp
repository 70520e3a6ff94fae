// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/sde/batch.hpp: solve_sde_batch against the per-path engine (solve_sde) on the same
// SDEs, trees and steps, bit for bit, for every solver and both kinds of noise; whatever the blocks
// of noise drawn ahead; steps landing on save times; max_steps; and the SDEs and arguments it refuses.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "qmcsim/sde/batch.hpp"
#include "sde_models.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

/// The per-path functor `sde` evaluated row by row: the batch form of the same functions.
template <class Sde>
BatchSde batch_of(const Sde& sde, Calculus calculus) {
  constexpr std::size_t N = Sde::dimension, M = detail::noise_dimension_of<Sde>::value;
  constexpr bool diagonal = std::is_same_v<detail::diffusion_type<Sde, N>, State<N>>;
  const auto row = [](const BatchRows& y, std::size_t p) {
    State<N> out;
    for (std::size_t i = 0; i < N; ++i) out[i] = y(p, i);
    return out;
  };
  BatchSde batch;
  batch.dimension = N;
  batch.noise_dimension = M;
  batch.diagonal_noise = diagonal;
  batch.additive_noise = detail::declares_additive_noise<Sde>::value;
  batch.calculus = calculus;
  batch.drift = [=](double t, const BatchRows& y, const BatchRows& f) {
    for (std::size_t p = 0; p < y.extent(0); ++p) {
      const State<N> value = sde.drift(t, row(y, p));
      for (std::size_t i = 0; i < N; ++i) f(p, i) = value[i];
    }
  };
  batch.diffusion = [=](double t, const BatchRows& y, const BatchRows& g) {
    for (std::size_t p = 0; p < y.extent(0); ++p) {
      const auto value = sde.diffusion(t, row(y, p));
      if constexpr (diagonal) {
        for (std::size_t i = 0; i < N; ++i) g(p, i) = value[i];
      } else {
        for (std::size_t k = 0; k < N * M; ++k) g(p, k) = value.entries[k];
      }
    }
  };
  if constexpr (detail::has_diffusion_derivative<Sde, N>::value) {
    batch.diffusion_derivative = [=](double t, const BatchRows& y, const BatchRows& d) {
      for (std::size_t p = 0; p < y.extent(0); ++p) {
        const State<N> value = sde.diffusion_derivative(t, row(y, p));
        for (std::size_t i = 0; i < N; ++i) d(p, i) = value[i];
      }
    };
  }
  return batch;
}

using States = Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace>;

/// Both engines on paths 5 .. 5 + paths - 1 of `tree`, save times that constant steps of 0.03 do not
/// divide (so every segment ends with a shortened step); the states must be equal bit for bit.
template <class Solver, class Sde, LevyArea Levy, std::size_t N = Sde::dimension>
void expect_engines_agree(const Solver& solver, const Sde& sde, Calculus calculus,
                          const VirtualBrownianTree<Levy, double>& tree, const State<N>& y0) {
  const std::size_t paths = 37, first = 5;
  const std::vector<double> save_times{0.37, 0.5, 1.0};
  SolveOptions options;
  options.paths = paths;
  options.first_path = first;
  const auto per_path = test::to_host(
      solve_sde<Kokkos::DefaultExecutionSpace>(solver, sde, tree, y0, save_times, ConstantSteps(0.03), options).states);
  BatchRows start("y0", paths, N);
  for (std::size_t p = 0; p < paths; ++p)
    for (std::size_t i = 0; i < N; ++i) start(p, i) = y0[i];
  States states("states", paths, save_times.size(), N);
  BatchSolveOptions batch_options;
  batch_options.first_path = first;
  const PathStatistics statistics =
      solve_sde_batch(solver, batch_of(sde, calculus), tree, start, save_times, ConstantSteps(0.03), batch_options, states);
  EXPECT_TRUE(statistics.completed);
  EXPECT_EQ(statistics.accepted, 13 + 5 + 17) << solver.name;  // ceil(0.37/0.03), ceil(0.13/0.03), ceil(0.5/0.03)
  std::size_t differences = 0;
  for (std::size_t p = 0; p < paths; ++p)
    for (std::size_t k = 0; k < save_times.size(); ++k)
      for (std::size_t i = 0; i < N; ++i) {
        ASSERT_TRUE(std::isfinite(states(p, k, i)));
        differences += std::memcmp(&states(p, k, i), &per_path(p, k, i), sizeof(double)) != 0;
      }
  EXPECT_EQ(differences, 0u) << solver.name << ": of " << paths * save_times.size() * N << " states, e.g. "
                             << states(0, 2, 0) << " against " << per_path(0, 2, 0);
}

TEST(SolveSdeBatch, EqualsThePerPathEngineBitForBitWithDiagonalNoise) {
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 1.0, 1, 3);
  const GeometricBrownianMotion<1, Calculus::ito> ito{0.5, 0.8};
  const GeometricBrownianMotion<1, Calculus::stratonovich> stratonovich{0.5, 0.8};
  expect_engines_agree(EulerMaruyama(), ito, Calculus::ito, tree, State<1>{1.0});
  expect_engines_agree(Milstein(), ito, Calculus::ito, tree, State<1>{1.0});
  expect_engines_agree(StratonovichMilstein(), stratonovich, Calculus::stratonovich, tree, State<1>{1.0});
  expect_engines_agree(StratonovichHeun(), stratonovich, Calculus::stratonovich, tree, State<1>{1.0});
  expect_engines_agree(SPaRK(), stratonovich, Calculus::stratonovich, tree, State<1>{1.0});
  // Additive noise with a nonlinear drift, and a diffusion that moves in time (the methods' time correction).
  expect_engines_agree(SRA1(), test::NonlinearOrnsteinUhlenbeck{2.0, 0.7}, Calculus::ito, tree, State<1>{0.3});
  expect_engines_agree(ShARK(), test::LinearInTimeNoise{0.5, 2.0}, Calculus::ito, tree, State<1>{0.0});
  expect_engines_agree(SEA(), test::LinearInTimeNoise{0.5, 2.0}, Calculus::ito, tree, State<1>{0.0});
  expect_engines_agree(SPaRK(), test::LinearInTimeNoise{0.5, 2.0}, Calculus::stratonovich, tree, State<1>{0.0});
}

TEST(SolveSdeBatch, EqualsThePerPathEngineBitForBitWithGeneralNoise) {
  const VirtualBrownianTree<LevyArea::space_time> two(0.0, 1.0, 2, 4), three(0.0, 1.0, 3, 4);
  const test::TwoNoiseGeometricBrownianMotion<Calculus::ito> ito{0.3, 0.6, 0.4};
  const test::TwoNoiseGeometricBrownianMotion<Calculus::stratonovich> stratonovich{0.3, 0.6, 0.4};
  expect_engines_agree(EulerMaruyama(), ito, Calculus::ito, two, State<1>{1.0});
  expect_engines_agree(StratonovichHeun(), stratonovich, Calculus::stratonovich, two, State<1>{1.0});
  expect_engines_agree(SPaRK(), stratonovich, Calculus::stratonovich, two, State<1>{1.0});
  expect_engines_agree(EulerMaruyama(), test::NoncommutativeLinearNoise{}, Calculus::ito, two, State<2>{1.0, -0.5});
  const test::MatrixLinearInTimeNoise matrix{{{1.0, 0.5, -0.2}, {0.0, 0.7, 0.3}}, {{0.4, -1.0, 0.0}, {2.0, 0.1, 0.5}}};
  expect_engines_agree(SRA1(), matrix, Calculus::ito, three, State<2>{0.0, 0.0});
  expect_engines_agree(SEA(), matrix, Calculus::ito, three, State<2>{0.0, 0.0});
}

TEST(SolveSdeBatch, BlocksOfNoiseDoNotChangeTheStates) {
  // Blocks of one step (each query from a fresh cursor), of 37 steps, and the whole solve in one block.
  const VirtualBrownianTree<LevyArea::space_time> tree(-2.0, 3.0, 1, 8);
  const BatchSde sde = batch_of(GeometricBrownianMotion<1, Calculus::stratonovich>{0.2, 0.5}, Calculus::stratonovich);
  BatchRows y0("y0", 50, 1);
  Kokkos::deep_copy(y0, 2.0);
  const auto solve = [&](std::size_t noise_memory) {
    States states("states", 50, 2, 1);
    BatchSolveOptions options;
    options.noise_memory = noise_memory;
    EXPECT_EQ(solve_sde_batch(SPaRK(), sde, tree, y0, {0.0, 3.0}, ConstantSteps(0.007), options, states).accepted, 715);
    return states;
  };
  const States whole = solve(BatchSolveOptions().noise_memory), single = solve(1), blocks = solve(37 * 50 * 2 * 8);
  for (std::size_t p = 0; p < 50; ++p)
    for (std::size_t k = 0; k < 2; ++k) {
      ASSERT_EQ(whole(p, k, 0), single(p, k, 0)) << p << ", " << k;
      ASSERT_EQ(whole(p, k, 0), blocks(p, k, 0)) << p << ", " << k;
    }
}

TEST(SolveSdeBatch, StepsLandOnSaveTimesAndStopAtMaxSteps) {
  const VirtualBrownianTree<LevyArea::none> tree(0.0, 1.0, 1, 2);
  const BatchSde sde = batch_of(GeometricBrownianMotion<1>{0.5, 1.0}, Calculus::ito);
  BatchRows y0("y0", 4, 1);
  Kokkos::deep_copy(y0, 1.0);
  States states("states", 4, 2, 1);
  // Ten steps of 0.1 accumulate to 0.9999999999999999: the tenth lands on 1, no eleventh of 1e-16.
  EXPECT_EQ(solve_sde_batch(Milstein(), sde, tree, y0, {0.3, 1.0}, ConstantSteps(0.1), {}, states).accepted, 10);
  const double at_03 = states(2, 0, 0);
  BatchSolveOptions options;
  options.max_steps = 5;
  const PathStatistics stopped = solve_sde_batch(Milstein(), sde, tree, y0, {0.3, 1.0}, ConstantSteps(0.1), options, states);
  EXPECT_FALSE(stopped.completed);
  EXPECT_EQ(stopped.accepted, 5);
  EXPECT_EQ(states(2, 0, 0), at_03);
  EXPECT_TRUE(std::isnan(states(2, 1, 0)));
}

/// Expects qmcsim::error whose message contains `part`.
template <class F>
void expect_refused(const F& call, const std::string& part) {
  try {
    call();
    ADD_FAILURE() << "no error; expected one containing '" << part << "'";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

/// Adaptive steps on one path: the per-path engine's steps, rejections and states, bit for bit, on
/// several paths of the tree (the batch-wide error ratio of one row is the path's own).
template <class Solver, class Sde, LevyArea Levy, std::size_t N = Sde::dimension>
void expect_adaptive_engines_agree(const Sde& sde, Calculus calculus, const VirtualBrownianTree<Levy, double>& tree,
                                   const State<N>& y0, double tolerance) {
  const Solver solver;
  const PidController pid(tolerance, tolerance, solver.strong_order + 0.5);
  const std::vector<double> save_times{0.37, 0.5, 1.0};
  std::int64_t rejected = 0;
  for (std::size_t path : {std::size_t(0), std::size_t(7), std::size_t(123)}) {
    SolveOptions options;
    options.first_path = path;
    const auto per_path = solve_sde<Kokkos::DefaultExecutionSpace>(solver, sde, tree, y0, save_times, pid, options);
    const auto expected = test::to_host(per_path.states);
    const auto counts = test::to_host(per_path.statistics);
    BatchRows start("y0", 1, N);
    for (std::size_t i = 0; i < N; ++i) start(0, i) = y0[i];
    States states("states", 1, save_times.size(), N);
    BatchSolveOptions batch_options;
    batch_options.first_path = path;
    const PathStatistics statistics = solve_sde_batch(solver, batch_of(sde, calculus), tree, start, save_times, pid, batch_options, states);
    EXPECT_TRUE(statistics.completed);
    EXPECT_EQ(statistics.accepted, counts(0).accepted) << solver.name << " path " << path;
    EXPECT_EQ(statistics.rejected, counts(0).rejected) << solver.name << " path " << path;
    for (std::size_t k = 0; k < save_times.size(); ++k)
      for (std::size_t i = 0; i < N; ++i)
        EXPECT_EQ(std::memcmp(&states(0, k, i), &expected(0, k, i), sizeof(double)), 0)
            << solver.name << " path " << path << ": " << states(0, k, i) << " against " << expected(0, k, i);
    rejected += statistics.rejected;
  }
  EXPECT_GT(rejected, 0) << solver.name << ": no rejection at tolerance " << tolerance;
}

TEST(SolveSdeBatch, AdaptiveStepsOfOnePathAreThePerPathEngines) {
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 1.0, 1, 3), two(0.0, 1.0, 2, 4);
  const GeometricBrownianMotion<1, Calculus::ito> ito{0.5, 0.8};
  const GeometricBrownianMotion<1, Calculus::stratonovich> stratonovich{0.5, 0.8};
  expect_adaptive_engines_agree<Milstein>(ito, Calculus::ito, tree, State<1>{1.0}, 1e-3);
  expect_adaptive_engines_agree<StratonovichHeun>(stratonovich, Calculus::stratonovich, tree, State<1>{1.0}, 1e-3);
  expect_adaptive_engines_agree<SPaRK>(stratonovich, Calculus::stratonovich, tree, State<1>{1.0}, 1e-5);
  expect_adaptive_engines_agree<SRA1>(test::NonlinearOrnsteinUhlenbeck{2.0, 0.7}, Calculus::ito, tree, State<1>{0.3}, 1e-4);
  expect_adaptive_engines_agree<ShARK>(test::NonlinearOrnsteinUhlenbeck{2.0, 0.7}, Calculus::ito, tree, State<1>{0.3}, 1e-4);
  expect_adaptive_engines_agree<SPaRK>(test::TwoNoiseGeometricBrownianMotion<Calculus::stratonovich>{0.3, 0.6, 0.4},
                                       Calculus::stratonovich, two, State<1>{1.0}, 1e-5);
}

// A batch stepped together (torchsde's batch-wide error norm) converges to the exact GBM solution on
// the tree's paths, y(1) = exp((mu - s^2/2) + s W(1)), as the tolerance falls, every path through the
// same steps; and stops at max_steps counting rejected steps.
TEST(SolveSdeBatch, AdaptiveBatchConvergesToTheExactSolution) {
  const double mu = 0.5, s = 0.8;
  const std::size_t paths = 50;
  const VirtualBrownianTree<LevyArea::none> tree(0.0, 1.0, 1, 12);
  const BatchSde sde = batch_of(GeometricBrownianMotion<1, Calculus::ito>{mu, s}, Calculus::ito);
  BatchRows y0("y0", paths, 1);
  Kokkos::deep_copy(y0, 1.0);
  double previous_error = INFINITY;
  std::int64_t previous_steps = 0;
  for (double tolerance : {1e-2, 1e-3}) {
    States states("states", paths, 1, 1);
    const PathStatistics statistics =
        solve_sde_batch(Milstein(), sde, tree, y0, {1.0}, PidController(tolerance, tolerance, 1.5), {}, states);
    ASSERT_TRUE(statistics.completed);
    double sum = 0;
    for (std::size_t p = 0; p < paths; ++p) {
      const double exact = std::exp(mu - s * s / 2 + s * tree.increment(static_cast<std::uint32_t>(p), 0, 0.0, 1.0).W);
      sum += (states(p, 0, 0) - exact) * (states(p, 0, 0) - exact) / (exact * exact);
    }
    const double error = std::sqrt(sum / paths);
    std::printf("tolerance %g: RMS relative error %.3e, %lld steps, %lld rejected\n", tolerance, error,
                static_cast<long long>(statistics.accepted), static_cast<long long>(statistics.rejected));
    EXPECT_LT(error, previous_error / 4) << "tolerance " << tolerance;
    EXPECT_GT(statistics.accepted, previous_steps) << "tolerance " << tolerance;
    previous_error = error, previous_steps = statistics.accepted;
  }
  EXPECT_LT(previous_error, 4e-3);
  States states("states", paths, 2, 1);
  BatchSolveOptions options;
  options.max_steps = 30;
  const PathStatistics stopped = solve_sde_batch(Milstein(), sde, tree, y0, {0.001, 1.0}, PidController(1e-4, 1e-4, 1.5), options, states);
  EXPECT_FALSE(stopped.completed);
  EXPECT_EQ(stopped.accepted + stopped.rejected, 30);
  EXPECT_TRUE(std::isfinite(states(0, 0, 0))) << stopped.accepted << " accepted, " << stopped.rejected << " rejected";
  EXPECT_TRUE(std::isnan(states(0, 1, 0)));
  States one("one", paths, 1, 1);
  expect_refused([&] { solve_sde_batch(EulerMaruyama(), sde, tree, y0, {1.0}, PidController(1e-3, 1e-3, 1.0), {}, one); },
                 "has no local error estimate");
}

TEST(SolveSdeBatch, RefusesWhatItCannotSolve) {
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 1.0, 1, 2), two(0.0, 1.0, 2, 2);
  const BatchSde gbm = batch_of(GeometricBrownianMotion<1>{0.5, 1.0}, Calculus::ito);
  BatchRows y0("y0", 3, 1), wide("wide", 3, 2);
  Kokkos::deep_copy(y0, 1.0);
  States states("states", 3, 1, 1);
  const ConstantSteps steps(0.1);
  const auto solve = [&](const auto& solver, const BatchSde& sde, const auto& tree_used, const BatchRows& start,
                         const std::vector<double>& times, const States& out) {
    return [&, solver, sde, times, start, out] { solve_sde_batch(solver, sde, tree_used, start, times, steps, {}, out); };
  };
  BatchSde no_derivative = gbm;
  no_derivative.diffusion_derivative = nullptr;
  expect_refused(solve(Milstein(), no_derivative, tree, y0, {1.0}, states), "needs the SDE's diffusion_derivative");
  expect_refused(solve(SRA1(), gbm, tree, y0, {1.0}, states), "is for additive noise");
  expect_refused(solve(StratonovichHeun(), gbm, tree, y0, {1.0}, states), "written in Itô form");
  BatchSde general = batch_of(test::TwoNoiseGeometricBrownianMotion<Calculus::ito>{0.3, 0.6, 0.4}, Calculus::ito);
  general.diffusion_derivative = gbm.diffusion_derivative;
  expect_refused(solve(Milstein(), general, two, y0, {1.0}, states), "is for diagonal noise");
  expect_refused(solve(EulerMaruyama(), general, tree, y0, {1.0}, states), "the tree has 1 components, the SDE's noise 2");
  expect_refused(solve(EulerMaruyama(), gbm, tree, wide, {1.0}, states), "y0 is (3, 2)");
  expect_refused(solve(EulerMaruyama(), gbm, tree, y0, {0.5, 1.0}, states), "states is (3, 1, 1)");
  expect_refused(solve(EulerMaruyama(), gbm, tree, y0, {}, states), "save_times is empty");
  expect_refused(solve(EulerMaruyama(), gbm, tree, y0, {1.5}, states), "not exceed t1 = 1");
  BatchSde diagonal_mismatch = gbm;
  diagonal_mismatch.noise_dimension = 2;
  expect_refused(solve(EulerMaruyama(), diagonal_mismatch, two, y0, {1.0}, states), "diagonal noise has noise_dimension 2");
  BatchSde no_drift = gbm;
  no_drift.drift = nullptr;
  expect_refused(solve(EulerMaruyama(), no_drift, tree, y0, {1.0}, states), "needs a drift and a diffusion");
  y0(1, 0) = NAN;
  expect_refused(solve(EulerMaruyama(), gbm, tree, y0, {1.0}, states), "y0 entry = nan is not a finite number");
}

}  // namespace
}  // namespace qmcsim
