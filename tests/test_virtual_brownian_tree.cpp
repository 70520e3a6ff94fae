// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/brownian/virtual_brownian_tree.hpp against the law of Brownian motion: over an
// interval of length h, W ~ N(0, h), H ~ N(0, h/12), K ~ N(0, h/720), all independent, and
// independent across disjoint intervals, components and paths; for every h, from the whole interval
// down to intervals inside the deepest cells of a coarse level, near any t, in double and in float.
// Moment checks use z = 6.2 on every statistic (two-sided p = 5.6e-10), so that with the ~1500
// statistics checked a correct tree fails with probability < 1e-6.

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "qmcsim/brownian/virtual_brownian_tree.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Exec = Kokkos::DefaultExecutionSpace;
constexpr double z_bound = 6.2;

Kokkos::View<double* [2], Kokkos::HostSpace> intervals(const std::vector<std::array<double, 2>>& list) {
  Kokkos::View<double* [2], Kokkos::HostSpace> out("intervals", list.size());
  for (std::size_t i = 0; i < list.size(); ++i) out(i, 0) = list[i][0], out(i, 1) = list[i][1];
  return out;
}

/// Standardised samples (path-major) of every requested quantity over the given intervals and
/// components; their sample covariance must be the identity.
template <LevyArea Levy, class Real>
std::vector<std::vector<double>> standardised(const VirtualBrownianTree<Levy, Real>& tree, std::size_t paths,
                                              const std::vector<std::array<double, 2>>& list) {
  const auto x = brownian_increments<Exec>(tree, paths, intervals(list));
  const auto W = test::to_host(x.W), H = test::to_host(x.H), K = test::to_host(x.K);
  std::vector<std::vector<double>> columns;
  for (std::size_t i = 0; i < list.size(); ++i)
    for (int j = 0; j < tree.dimension(); ++j) {
      const double h = list[i][1] - list[i][0];
      std::vector<double> w(paths), hh(paths), kk(paths);
      for (std::size_t p = 0; p < paths; ++p) {
        w[p] = W(p, i, j) / std::sqrt(h);
        if (Levy != LevyArea::none) hh[p] = H(p, i, j) / std::sqrt(h / 12);
        if (Levy == LevyArea::space_time_time) kk[p] = K(p, i, j) / std::sqrt(h / 720);
      }
      columns.push_back(w);
      if (Levy != LevyArea::none) columns.push_back(hh);
      if (Levy == LevyArea::space_time_time) columns.push_back(kk);
    }
  return columns;
}

/// Means 0 (sd 1/sqrt n), variances 1 (sd sqrt(2/n)), covariances 0 (sd 1/sqrt n).
void expect_standard_normal_vector(const std::vector<std::vector<double>>& columns) {
  const double n = static_cast<double>(columns[0].size());
  for (std::size_t a = 0; a < columns.size(); ++a) {
    double mean = 0;
    for (double v : columns[a]) mean += v;
    EXPECT_LT(std::abs(mean / n), z_bound / std::sqrt(n)) << "mean of column " << a;
    for (std::size_t b = a; b < columns.size(); ++b) {
      double second = 0;
      for (std::size_t p = 0; p < columns[a].size(); ++p) second += columns[a][p] * columns[b][p];
      second /= n;
      if (a == b)
        EXPECT_NEAR(second, 1.0, z_bound * std::sqrt(2 / n)) << "variance of column " << a;
      else
        EXPECT_NEAR(second, 0.0, z_bound / std::sqrt(n)) << "covariance of columns " << a << ", " << b;
    }
  }
}

// Three abutting intervals on [0, 3].
const std::vector<std::array<double, 2>> abutting = {{0.3, 1.1}, {1.1, 1.9}, {1.9, 2.9}};

template <LevyArea Levy>
void check_law() {
  const VirtualBrownianTree<Levy> tree(0.0, 3.0, 2, 2024);
  expect_standard_normal_vector(standardised(tree, 1 << 17, abutting));
}

TEST(VirtualBrownianTree, IncrementLaw) { check_law<LevyArea::none>(); }
TEST(VirtualBrownianTree, SpaceTimeLaw) { check_law<LevyArea::space_time>(); }
TEST(VirtualBrownianTree, SpaceTimeTimeLaw) { check_law<LevyArea::space_time_time>(); }

// Short intervals far from t0, where values measured from t0 cancel: the law over [0.99, 0.990001]
// on [0, 1] (once 1.37 times K's variance), over 1e-5 at t = 300 of [0, 400] (once 1e8 times K's),
// and adjacent pairs of intervals down to 1e-12, whose independence shows that the tree resolves them
// exactly (once inside one leaf they had W correlations of 0.66).
template <class Real>
void check_short_intervals(double t1, const std::vector<std::array<double, 2>>& list) {
  const VirtualBrownianTree<LevyArea::space_time_time, Real> tree(0.0, t1, 1, 5);
  expect_standard_normal_vector(standardised(tree, 1 << 16, list));
}

TEST(VirtualBrownianTree, ShortIntervalsFarFromTheStartInDouble) {
  check_short_intervals<double>(1.0, {{0.99, 0.990001}, {0.990001, 0.990002}});
  check_short_intervals<double>(400.0, {{300.0, 300.00001}, {300.00001, 300.00002}});
  check_short_intervals<double>(1.0, {{0.7, 0.7 + 1e-9}, {0.7 + 1e-9, 0.7 + 2e-9}});
  check_short_intervals<double>(1.0, {{0.5 - 1e-12, 0.5}, {0.5, 0.5 + 1e-12}});  // across the root's midpoint
  check_short_intervals<double>(1.0, {{0.25 + 1e-12, 0.25 + 2e-12}, {0.25 + 2e-12, 0.25 + 3e-12}});
}

// Intervals shorter than 2^-50 of the tree, where a tree of depth 50 put both ends in one deepest cell
// and drew them from one shared bridge (Var W 0.17x, H 4.3x, K 47x their laws near t0, 0.28x, 7x and
// 100x at 1e-16): a few units of rounding wide near 1, down to 1e-100 of the tree near t0 (and
// across the root of a key block, level 48), and adjacent pairs of them, independent.
TEST(VirtualBrownianTree, IntervalsBelowTheResolutionOfFiftyLevels) {
  const double ulp = std::ldexp(1.0, -53);  // the spacing of doubles in [0.5, 1)
  check_short_intervals<double>(1.0, {{0.75, 0.75 + 2 * ulp}, {0.75 + 2 * ulp, 0.75 + 5 * ulp}});
  check_short_intervals<double>(1.0, {{1e-16, 2e-16}, {2e-16, 3e-16}});
  check_short_intervals<double>(1.0, {{1e-20, 2e-20}, {2e-20, 3e-20}});
  check_short_intervals<double>(1.0, {{1e-100, 2e-100}, {2e-100, 3e-100}});
  const double block = std::ldexp(1.0, -48);  // a cell boundary of level 48, where key blocks start
  check_short_intervals<double>(3.0, {{3 * (block - 1e-18), 3 * block}, {3 * block, 3 * (block + 1e-18)}});
}

TEST(VirtualBrownianTree, ShortIntervalsFarFromTheStartInFloat) {
  // float times are kept in double: intervals down to 1e-9 of the tree near its end keep their law
  check_short_intervals<float>(1.0, {{0.99, 0.991}, {0.991, 0.992}});
  check_short_intervals<float>(1.0, {{0.99, 0.99001}, {0.99001, 0.99002}});
  check_short_intervals<float>(1.0, {{0.7, 0.7 + 1e-9}, {0.7 + 1e-9, 0.7 + 2e-9}});
  check_short_intervals<float>(400.0, {{300.0, 300.001}, {300.001, 300.002}});
}

// The approximate mode keeps what it promises: the law of intervals longer than the tolerance, and a
// depth set by it.
TEST(VirtualBrownianTree, ApproximateModeHasTheLawAboveItsTolerance) {
  using Tree = VirtualBrownianTree<LevyArea::space_time_time>;
  const Tree approximate = Tree::with_leaf_tolerance(0.0, 3.0, 1e-3, 2, 2024);
  EXPECT_EQ(approximate.depth(), 12);  // 3 * 2^-12 = 7.3e-4 < 1e-3 <= 3 * 2^-11
  EXPECT_FALSE(approximate.exact());
  EXPECT_TRUE(Tree(0.0, 3.0, 2, 2024).exact());
  expect_standard_normal_vector(standardised(approximate, 1 << 16, abutting));
}

TEST(VirtualBrownianTree, PathsAreIndependent) {
  const VirtualBrownianTree<LevyArea::space_time_time> tree(0.0, 1.0, 1, 7);
  const std::size_t n = 1 << 16;
  const auto x = test::to_host(brownian_increments<Exec>(tree, 2 * n, intervals({{0.1, 0.7}})).W);
  std::vector<std::vector<double>> pairs(2, std::vector<double>(n));
  for (std::size_t p = 0; p < n; ++p) pairs[0][p] = x(2 * p, 0, 0) / std::sqrt(0.6), pairs[1][p] = x(2 * p + 1, 0, 0) / std::sqrt(0.6);
  expect_standard_normal_vector(pairs);
}

/// Chen's relation in bar form: the bar increments over [r, s] and [s, t] give those over [r, t]. The
/// times are random, or on the dyadic grid of the tree (where descents stop at a cell boundary), or a
/// mix of both, so the stopped descents are checked against full ones.
template <LevyArea Levy>
void check_chen() {
  const VirtualBrownianTree<Levy> tree(-1.0, 2.0, 3, 11);
  std::mt19937_64 engine(5);
  std::uniform_real_distribution<double> time(-1.0, 2.0);
  std::uniform_int_distribution<int> level(0, 12);
  auto dyadic = [&] {  // -1 + 3 k 2^-m
    const int m = level(engine);
    const auto k = std::uniform_int_distribution<std::int64_t>(0, std::int64_t(1) << m)(engine);
    return -1.0 + 3.0 * std::ldexp(static_cast<double>(k), -m);
  };
  std::vector<std::array<double, 2>> list;
  for (int k = 0; k < 200; ++k) {
    std::array<double, 3> t;
    for (int i = 0; i < 3; ++i) t[i] = (k >> i) & 1 ? dyadic() : time(engine);
    std::sort(t.begin(), t.end());
    list.push_back({t[0], t[1]}), list.push_back({t[1], t[2]}), list.push_back({t[0], t[2]});
  }
  list.push_back({-1.0, 0.5}), list.push_back({0.5, 2.0}), list.push_back({-1.0, 2.0});  // the root's halves
  const std::size_t paths = 64;
  const auto x = brownian_increments<Exec>(tree, paths, intervals(list));
  const auto W = test::to_host(x.W), H = test::to_host(x.H), K = test::to_host(x.K);
  auto bar = [&](std::size_t p, std::size_t i, int j) {
    const double h = list[i][1] - list[i][0];
    detail::BrownianBar<double> b{W(p, i, j), 0, 0};
    if (Levy != LevyArea::none) b.hh = h * H(p, i, j);
    if (Levy == LevyArea::space_time_time) b.kk = h * h * K(p, i, j);
    return b;
  };
  for (std::size_t p = 0; p < paths; ++p)
    for (std::size_t k = 0; k < list.size(); k += 3)
      for (int j = 0; j < 3; ++j) {
        const double h_rs = list[k][1] - list[k][0], h_st = list[k + 1][1] - list[k + 1][0];
        const auto joined = detail::chen_join<Levy>(bar(p, k, j), h_rs, bar(p, k + 1, j), h_st);
        const auto direct = bar(p, k + 2, j);
        ASSERT_NEAR(joined.w, direct.w, 1e-12);
        ASSERT_NEAR(joined.hh, direct.hh, 1e-12);
        ASSERT_NEAR(joined.kk, direct.kk, 1e-12);
      }
}

TEST(VirtualBrownianTree, ChenRelationIncrement) { check_chen<LevyArea::none>(); }
TEST(VirtualBrownianTree, ChenRelationSpaceTime) { check_chen<LevyArea::space_time>(); }
TEST(VirtualBrownianTree, ChenRelationSpaceTimeTime) { check_chen<LevyArea::space_time_time>(); }

// Disjoint steps on the dyadic grid of the tree, where every descent stops at a cell boundary: a
// whole cell [0, 1/4], a step of two cells, steps of 1/64 across the level-1 boundary and a level-6
// one, a step of 2^-30, and the whole tree; in double and in float.
template <class Real>
void check_dyadic_steps() {
  const VirtualBrownianTree<LevyArea::space_time_time, Real> tree(0.0, 1.0, 1, 17);
  expect_standard_normal_vector(standardised(tree, 1 << 16, {{0.0, 0.25}, {0.25, 31.0 / 64}, {31.0 / 64, 33.0 / 64},
                                                             {33.0 / 64, 34.0 / 64}, {0.75, 0.75 + 0x1p-30}}));
  expect_standard_normal_vector(standardised(tree, 1 << 16, {{0.0, 1.0}}));
}

TEST(VirtualBrownianTree, DyadicStepsFollowTheLawInDouble) { check_dyadic_steps<double>(); }
TEST(VirtualBrownianTree, DyadicStepsFollowTheLawInFloat) { check_dyadic_steps<float>(); }

TEST(VirtualBrownianTree, QueriesDependOnlyOnTheirInterval) {
  const VirtualBrownianTree<LevyArea::space_time_time> tree(0.0, 1.0, 2, 3);
  const std::vector<std::array<double, 2>> forward = {{0.0, 0.2}, {0.2, 0.61}, {0.61, 1.0}};
  const std::vector<std::array<double, 2>> backward = {{0.61, 1.0}, {0.0, 0.2}, {0.2, 0.61}, {0.0, 0.2}};
  const auto a = brownian_increments<Exec>(tree, 8, intervals(forward));
  const auto b = brownian_increments<Exec>(tree, 5, intervals(backward), 3);
  const auto aW = test::to_host(a.W), aH = test::to_host(a.H), aK = test::to_host(a.K);
  const auto bW = test::to_host(b.W), bH = test::to_host(b.H), bK = test::to_host(b.K);
  const int match[4] = {2, 0, 1, 0};
  for (std::size_t p = 0; p < 5; ++p)
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 2; ++j) {
        EXPECT_EQ(bW(p, i, j), aW(p + 3, match[i], j));
        EXPECT_EQ(bH(p, i, j), aH(p + 3, match[i], j));
        EXPECT_EQ(bK(p, i, j), aK(p + 3, match[i], j));
      }
}

TEST(VirtualBrownianTree, SeedDeterminesThePathAndSerialEqualsParallel) {
  const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 5.0, 3, 42), other(0.0, 5.0, 3, 43);
  const auto list = intervals({{0.5, 1.7}, {2.0, 4.9}});
  const auto parallel = test::to_host(brownian_increments<Exec>(tree, 100, list).H);
  const auto serial = test::to_host(brownian_increments<Kokkos::Serial>(tree, 100, list).H);
  const auto reseeded = test::to_host(brownian_increments<Exec>(other, 100, list).H);
  for (std::size_t p = 0; p < 100; ++p)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j) {
        EXPECT_TRUE(test::agrees_across_back_ends(parallel(p, i, j), serial(p, i, j), 1e-12));
        EXPECT_NE(parallel(p, i, j), reseeded(p, i, j));
      }
}

/// Query sequences a cursor meets: a solver's steps off the dyadic grid, steps on it, an adaptive
/// solver's steps with rejections (a retry from the same start), random intervals in random order,
/// repeats, empty intervals, intervals inside one deepest cell and at the ends of the tree.
std::vector<std::array<double, 2>> cursor_queries(double t0, double t1) {
  const double length = t1 - t0;
  auto at = [&](double u) { return t0 + length * u; };
  std::vector<std::array<double, 2>> list;
  for (int k = 0; k < 30; ++k) list.push_back({at(k / 30.0), at((k + 1) / 30.0)});
  for (int k = 0; k < 16; ++k) list.push_back({at(k / 16.0), at((k + 1) / 16.0)});
  std::mt19937_64 engine(3);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  double t = 0, h = 0.02;
  while (t < 1) {
    const double end = std::min(t + h, 1.0);
    list.push_back({at(t), at(end)});
    if (end < 1 && unit(engine) < 0.3) {  // rejected: retried from t at half the size
      h = std::max(h / 2, 0.005);
    } else {
      t = end, h = std::min(std::max(h * (0.7 + 0.9 * unit(engine)), 0.005), 0.1);
    }
  }
  for (int k = 0; k < 30; ++k) {
    double a = unit(engine), b = unit(engine);
    list.push_back({at(std::min(a, b)), at(std::max(a, b))});
  }
  list.push_back(list[3]), list.push_back(list[3]), list.push_back(list[40]);
  list.push_back({at(0.3), at(0.3)});
  const double tiny = std::ldexp(length, -52);  // inside one deepest cell of a double tree
  list.push_back({at(0.61), at(0.61) + 3 * tiny}), list.push_back({at(0.61) + 3 * tiny, at(0.61) + 7 * tiny});
  list.push_back({t0, t1}), list.push_back({t0, at(1e-9)}), list.push_back({at(1 - 1e-9), t1});
  return list;
}

template <LevyArea Levy, class Real>
void expect_cursor_equals_tree(const VirtualBrownianTree<Levy, Real>& tree) {
  const auto list = cursor_queries(tree.t0(), tree.t1());
  for (std::uint32_t path : {0u, 77u})
    for (int j = 0; j < tree.dimension(); ++j) {
      BrownianCursor<Levy, Real> cursor(tree, path, j);
      for (std::size_t i = 0; i < list.size(); ++i) {
        const auto kept = cursor.increment(list[i][0], list[i][1]);
        const auto drawn = tree.increment(path, j, list[i][0], list[i][1]);
        ASSERT_EQ(kept.W, drawn.W) << "query " << i;
        ASSERT_EQ(kept.H, drawn.H) << "query " << i;
        ASSERT_EQ(kept.K, drawn.K) << "query " << i;
      }
    }
}

// A cursor answers every query as the tree does, bit for bit, in double and float, exact and
// approximate, for every Lévy area.
TEST(BrownianCursor, EqualsTheTreeBitForBit) {
  expect_cursor_equals_tree(VirtualBrownianTree<LevyArea::none>(0.0, 1.0, 2, 8));
  expect_cursor_equals_tree(VirtualBrownianTree<LevyArea::space_time>(-2.0, 5.0, 2, 8));
  expect_cursor_equals_tree(VirtualBrownianTree<LevyArea::space_time_time>(0.99, 400.0, 1, 8));
  expect_cursor_equals_tree(VirtualBrownianTree<LevyArea::space_time, float>(0.0, 1.0, 2, 8));
  expect_cursor_equals_tree(VirtualBrownianTree<LevyArea::space_time_time, float>(3.0, 4.0, 1, 8));
  expect_cursor_equals_tree(VirtualBrownianTree<LevyArea::space_time_time>::with_leaf_tolerance(0.0, 1.0, 1e-3, 1, 8));
}


// Walks the cells a descent splits, from `start_level` on, and compares what `ahead` gives for each
// with the cell's single draws. [s, t] is a query (its common descent, then on toward s: `t` may be a
// boundary long before the two part), or s == t a descent toward one time.
template <LevyArea Levy, class Real, int Capacity>
void expect_drawn_together_equals_single_draws(double s, double t, int start_level) {
  const detail::BrownianCells<Levy, Real> cells{derive_key(5, Stream::brownian, 1, 0), 9};
  constexpr int depth = VirtualBrownianTree<Levy, Real>::max_depth;
  detail::NormalsAhead<Levy, Real, Capacity> ahead(s, t, depth);
  detail::BrownianCell<Real> cell = cells.root();
  bool parted = s == t;
  for (int level = 0; level < depth; ++level) {
    if (parted ? s == cell.start && level > 0 : s == cell.start && t == cell.start + cell.length) break;  // it stops
    if (level >= start_level) {
      const NormalPair<Real>* drawn = ahead.of(cells, cell, level);
      for (int b = 0; b < detail::NormalsAhead<Levy, Real, Capacity>::blocks; ++b) {
        const NormalPair<Real> single = cells.normals(cell, static_cast<std::uint32_t>(b));
        ASSERT_EQ(drawn[b].first, single.first) << s << " " << t << " level " << level << " block " << b;
        ASSERT_EQ(drawn[b].second, single.second) << s << " " << t << " level " << level << " block " << b;
      }
    }
    parted = parted || (s < cell.start + cell.length / 2 && t > cell.start + cell.length / 2);
    cell = cell.half(level, s >= cell.start + cell.length / 2);  // the half that holds s
  }
}

// A descent draws the cells toward its time together (detail::NormalsAhead: one loop over the
// levels, vectorized on the host); each cell's normals are its own single draw's, bit for bit, from
// any level on, along one time or a query's common descent, for every capacity (1 is what a GPU
// thread uses), both block counts, double and float.
template <LevyArea Levy, class Real, int Capacity>
void expect_ahead_equals_single_draws() {
  constexpr int depth = VirtualBrownianTree<Levy, Real>::max_depth;
  for (const double r : {0.3, 0.7071067811865476, 1.0 / 3.0, 0.5 + 0x1p-40, 1 - 0x1p-50, 0x1p-50})
    for (const int start_level : {0, 7, depth - 1}) expect_drawn_together_equals_single_draws<Levy, Real, Capacity>(r, r, start_level);
  const double queries[][2] = {{0.0, 0.3}, {0.5, 0.5 + 0x1p-30}, {0.25, 0.75}, {0.3, 0.30000001}, {0.0, 1.0}, {0.125, 0.25}};
  for (const auto& query : queries) expect_drawn_together_equals_single_draws<Levy, Real, Capacity>(query[0], query[1], 0);
}

TEST(VirtualBrownianTree, CellsDrawnTogetherEqualSingleDraws) {
  expect_ahead_equals_single_draws<LevyArea::space_time, double, 50>();
  expect_ahead_equals_single_draws<LevyArea::space_time, double, 1>();
  expect_ahead_equals_single_draws<LevyArea::space_time, double, 7>();
  expect_ahead_equals_single_draws<LevyArea::space_time_time, double, 50>();
  expect_ahead_equals_single_draws<LevyArea::space_time, float, 40>();
  expect_ahead_equals_single_draws<LevyArea::space_time_time, float, 1>();
}

// A cell's halves take their per-level factors from the level's power of two (no square root or
// division per level); they must be the square roots and quotients of the cell's length su = 2^-level
// bit for bit, at every level, in double and in float.
template <class Real>
void expect_level_factors_exact(int depth) {
  using Cells = detail::BrownianCells<LevyArea::space_time_time, Real>;
  for (int level = 0; level <= depth; ++level) {
    const Real su = static_cast<Real>(std::ldexp(1.0, -level));
    EXPECT_EQ(Cells::root_of_length(level, 1), math::sqrt(su)) << level;
    EXPECT_EQ(Cells::root_of_length(level, Real(1) / 12), math::sqrt(su / 12)) << level;
    EXPECT_EQ(Cells::root_of_length(level, Real(1) / 16), math::sqrt(su / 16)) << level;
    EXPECT_EQ(Cells::root_of_length(level, Real(1) / 768), math::sqrt(su / 768)) << level;
    EXPECT_EQ(Cells::root_of_length(level, Real(1) / 2880), math::sqrt(su / 2880)) << level;
    const Real inverse = static_cast<Real>(math::detail::power_of_two(level));
    EXPECT_EQ(Real(1.5) * inverse, Real(1.5) / su) << level;
    EXPECT_EQ(Real(15) * inverse / 8, Real(15) / (8 * su)) << level;
  }
}

TEST(VirtualBrownianTree, LevelFactorsAreTheLengthsRootsBitForBit) {
  expect_level_factors_exact<double>(VirtualBrownianTree<LevyArea::space_time_time, double>::max_depth);
  expect_level_factors_exact<float>(VirtualBrownianTree<LevyArea::space_time_time, float>::max_depth);
}

// The batched queries walk each path's intervals with a cursor, in runs that depend on the number of
// paths and threads: whatever the runs, every value is the tree's own query.
TEST(BrownianCursor, BatchedQueriesAreTheTreesWhateverTheRuns) {
  const VirtualBrownianTree<LevyArea::space_time_time> tree(0.0, 2.0, 2, 19);
  const auto list = cursor_queries(0.0, 2.0);
  for (std::size_t paths : {std::size_t(1), std::size_t(3), std::size_t(5000)}) {
    const auto x = brownian_increments<Exec>(tree, paths, intervals(list), 11);
    const auto W = test::to_host(x.W), H = test::to_host(x.H), K = test::to_host(x.K);
    for (std::size_t p = 0; p < paths; p += paths > 100 ? 997 : 1)
      for (std::size_t i = 0; i < list.size(); ++i)
        for (int j = 0; j < 2; ++j) {
          const auto drawn = tree.increment(static_cast<std::uint32_t>(11 + p), j, list[i][0], list[i][1]);
          ASSERT_TRUE(test::agrees_across_back_ends(W(p, i, j), drawn.W, 1e-9)) << p << " " << i << " " << j;
          ASSERT_TRUE(test::agrees_across_back_ends(H(p, i, j), drawn.H, 1e-9)) << p << " " << i << " " << j;
          ASSERT_TRUE(test::agrees_across_back_ends(K(p, i, j), drawn.K, 1e-9)) << p << " " << i << " " << j;
        }
  }
}

// On a caller's instance: the default instance's values bit for bit, in double and float, with the
// host intervals overwritten as soon as the call returns (they were copied before it returned).
template <class Real>
void check_increments_on_caller_instance() {
  const VirtualBrownianTree<LevyArea::space_time_time, Real> tree(0.0, 2.0, 2, 23);
  const auto list = cursor_queries(0.0, 2.0);
  const auto expected = brownian_increments<Exec>(tree, 100, intervals(list), 5);
  const test::UserInstance user;
  const auto reused = intervals(list);
  const auto x = brownian_increments(user.space(), tree, 100, reused, 5);
  Kokkos::deep_copy(reused, 1.0);
  user.space().fence();
  using Increments = typename decltype(x)::view_type;
  const std::pair<Increments, Increments> compared[] = {{x.W, expected.W}, {x.H, expected.H}, {x.K, expected.K}};
  for (const auto& pair : compared) {
    const auto a = test::to_host(pair.first), b = test::to_host(pair.second);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) ASSERT_EQ(a.data()[k], b.data()[k]) << k;
  }
}

TEST(VirtualBrownianTree, IncrementsOnACallersInstance) {
  check_increments_on_caller_instance<double>();
  check_increments_on_caller_instance<float>();
}

TEST(VirtualBrownianTree, SinglePrecisionFollowsTheLaw) {
  const VirtualBrownianTree<LevyArea::space_time, float> tree(0.0, 1.0, 1, 9);
  const std::size_t n = 1 << 16;
  const auto x = brownian_increments<Exec>(tree, n, intervals({{0.12, 0.55}}));
  const auto W = test::to_host(x.W), H = test::to_host(x.H);
  std::vector<std::vector<double>> columns(2, std::vector<double>(n));
  for (std::size_t p = 0; p < n; ++p)
    columns[0][p] = W(p, 0, 0) / std::sqrt(0.43), columns[1][p] = H(p, 0, 0) / std::sqrt(0.43 / 12);
  expect_standard_normal_vector(columns);
}

TEST(VirtualBrownianTree, BadInputIsRejected) {
  using Tree = VirtualBrownianTree<LevyArea::space_time>;
  EXPECT_THROW(Tree(1.0, 1.0, 1, 0), error);
  EXPECT_THROW(Tree(0.0, NAN, 1, 0), error);
  EXPECT_THROW(Tree(-1e308, 1e308, 1, 0), error);  // t1 - t0 overflows
  EXPECT_THROW(Tree::with_leaf_tolerance(0.0, 1.0, 0.0, 1, 0), error);
  EXPECT_THROW(Tree::with_leaf_tolerance(0.0, 1.0, 1e-300, 1, 0), error);
  EXPECT_THROW(Tree(0.0, 1.0, 0, 0), error);
  const Tree tree(0.0, 1.0, 1, 0);
  EXPECT_THROW(brownian_increments<Exec>(tree, 1, intervals({{0.5, 0.4}})), error);
  EXPECT_THROW(brownian_increments<Exec>(tree, 1, intervals({{-0.1, 0.4}})), error);
  EXPECT_THROW(brownian_increments<Exec>(tree, 1, intervals({{0.1, 1.5}})), error);
  EXPECT_THROW(brownian_increments<Exec>(tree, 1, intervals({{NAN, 0.5}})), error);
  try {
    brownian_increments<Exec>(tree, 1, intervals({{0.5, 0.4}}));
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("s <= t"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace qmcsim
