#pragma once
/// @file
/// Single-seed virtual Brownian tree with space-time and space-time-time Lévy areas.
///
/// Reference: Jelinčič, Tao, Turner, Cass, Foster, Ni, "Single-seed generation of Brownian paths and
/// integrals for adaptive and high order SDE solvers", arXiv 2405.06464 (2024).
///
/// For a Brownian motion W on [t0, t1] and an interval [s, t] of length h = t - s the tree returns
///   W_{s,t} = W_t - W_s                                              ~ N(0, h),
///   H_{s,t} = (1/h) int_s^t (W_{s,u} - (u-s)/h W_{s,t}) du           ~ N(0, h/12),
///   K_{s,t} = (1/h^2) int_s^t (W_{s,u} - (u-s)/h W_{s,t}) (h/2 - (u-s)) du ~ N(0, h/720),
/// mutually independent for one interval. Time is mapped to [0, 1]; the tree bisects [0, 1] down to
/// the first level whose cells are shorter than the tolerance, drawing the midpoint values of every
/// cell on the way from the exact conditional law of (W, H, K) given the cell's increments (the
/// "Brownian arch" recursion, Theorem 3.3 of the paper), and finally samples the value at the query
/// time from the exact bridge law inside its leaf cell (Foster's thesis Thm 6.1.4 for (W, H), the
/// paper's Theorem 3.7 for (W, H, K)). Nothing is stored: a cell's normals are Philox draws at the
/// counter (heap index of the cell, path, component), so the path is a pure function of the seed,
/// queries can come in any order, and memory is constant. Values at times at least `tolerance` apart
/// lie in different leaves and then have exactly the Brownian joint law.
///
/// Internally the tree tracks, at a time r, the "bar" values w_r = W_{0,r}, hh_r = r H_{0,r} and
/// kk_r = r^2 K_{0,r}; increments over [s, t] follow from Chen's relations (see `chen_difference`),
/// so a query over [r, s] and one over [s, t] combine exactly into the one over [r, t].

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <limits>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/math.hpp"
#include "qmcsim/core/random.hpp"

namespace qmcsim {

/// Which integrals of the path a query returns besides the increment W.
enum class LevyArea { none, space_time, space_time_time };

/// One component of a Brownian query over [s, t]: the increment W_{s,t} and, when the tree computes
/// them, the space-time Lévy area H_{s,t} and the space-time-time Lévy area K_{s,t} (else 0).
template <class Real>
struct BrownianIncrement {
  Real W = 0, H = 0, K = 0;
};

namespace detail {

/// The bar values (w, hh, kk) at a time, or the bar increments over an interval, on the unit-time tree.
template <class Real>
struct BrownianBar {
  Real w = 0, hh = 0, kk = 0;
};

/// The bar values at s + st from those at s and the increments over [s, s + st] (Chen's relations).
template <LevyArea Levy, class Real>
KOKKOS_FORCEINLINE_FUNCTION BrownianBar<Real> chen_advance(const BrownianBar<Real>& at_s, Real s,
                                                           const BrownianBar<Real>& across, Real st) {
  BrownianBar<Real> at_t;
  const Real t = s + st;
  at_t.w = at_s.w + across.w;
  if constexpr (Levy != LevyArea::none) {
    const Real t_bb_s = t * at_s.w - s * at_t.w;
    at_t.hh = at_s.hh + across.hh + Real(0.5) * t_bb_s;
    if constexpr (Levy == LevyArea::space_time_time)
      at_t.kk = at_s.kk + across.kk + (st / 2) * at_s.hh - (s / 2) * across.hh + ((t - 2 * s) / 12) * t_bb_s;
  }
  return at_t;
}

/// The bar increments over [s, t] from the bar values at s and at t: the inverse of `chen_advance`.
template <LevyArea Levy, class Real>
KOKKOS_FORCEINLINE_FUNCTION BrownianBar<Real> chen_difference(const BrownianBar<Real>& at_s, Real s,
                                                              const BrownianBar<Real>& at_t, Real t) {
  BrownianBar<Real> across;
  across.w = at_t.w - at_s.w;
  if constexpr (Levy != LevyArea::none) {
    const Real t_bb_s = t * at_s.w - s * at_t.w;
    across.hh = at_t.hh - at_s.hh - Real(0.5) * t_bb_s;
    if constexpr (Levy == LevyArea::space_time_time)
      across.kk = at_t.kk - at_s.kk - ((t - s) / 2) * at_s.hh + (s / 2) * across.hh - ((t - 2 * s) / 12) * t_bb_s;
  }
  return across;
}

/// A cell [s, s + su] of the tree: its heap index (root 1, children 2i and 2i + 1), the bar values at
/// its left end and the bar increments across it.
template <class Real>
struct BrownianCell {
  std::uint64_t index;
  Real s, su;
  BrownianBar<Real> at_s, across;
};

}  // namespace detail

/// A d-dimensional Brownian motion on [t0, t1] determined by one seed; trivially copyable, so kernels
/// capture it by value and query it on the device. `Levy` fixes which integrals are computed and
/// `Real` (float or double) the arithmetic.
template <LevyArea Levy, class Real = double>
class VirtualBrownianTree {
  static_assert(std::is_same_v<Real, float> || std::is_same_v<Real, double>, "Real must be float or double");

 public:
  static constexpr LevyArea levy_area = Levy;
  using real_type = Real;
  /// The deepest level: cells of 2^-max_depth of [t0, t1], a few bits above `Real`'s resolution.
  static constexpr int max_depth = std::numeric_limits<Real>::digits - 3;

  /// Bisects until cells are shorter than `tolerance` (in the units of t). Throws qmcsim::error for
  /// t0 >= t1, non-finite times, tolerance <= 0 or below 2^-max_depth (t1 - t0), dimension 0.
  VirtualBrownianTree(double t0, double t1, double tolerance, int dimension, std::uint64_t seed)
      : t0_(t0), t1_(t1), dimension_(dimension), seed_(seed) {
    detail::require_finite("VirtualBrownianTree", "t0", t0);
    detail::require_finite("VirtualBrownianTree", "t1", t1);
    detail::require(t0 < t1, "VirtualBrownianTree: t0 = ", t0, " must be below t1 = ", t1);
    detail::require(tolerance > 0 && std::isfinite(tolerance), "VirtualBrownianTree: tolerance = ", tolerance,
                    " must be a positive number");
    detail::require(dimension >= 1, "VirtualBrownianTree: dimension = ", dimension, " must be at least 1");
    const double relative = tolerance / (t1 - t0);
    depth_ = 0;
    while (depth_ < max_depth && std::ldexp(1.0, -depth_) >= relative) ++depth_;
    detail::require(std::ldexp(1.0, -depth_) < relative, "VirtualBrownianTree: tolerance = ", tolerance,
                    " is below the finest cell 2^-", max_depth, " (t1 - t0) that ", sizeof(Real) * 8,
                    "-bit arithmetic resolves");
    scale_ = static_cast<Real>(std::sqrt(t1 - t0));
  }

  KOKKOS_INLINE_FUNCTION double t0() const { return t0_; }
  KOKKOS_INLINE_FUNCTION double t1() const { return t1_; }
  KOKKOS_INLINE_FUNCTION int dimension() const { return dimension_; }
  KOKKOS_INLINE_FUNCTION int depth() const { return depth_; }
  KOKKOS_INLINE_FUNCTION std::uint64_t seed() const { return seed_; }

  /// Component `component` of path `path` over [s, t], t0 <= s <= t <= t1 (times outside are clamped;
  /// the batched `brownian_increments` checks them). O(depth) work; the descents for s and t share
  /// the cells above the level where their paths through the tree part.
  KOKKOS_INLINE_FUNCTION BrownianIncrement<Real> increment(std::uint32_t path, int component, double s,
                                                           double t) const {
    const std::uint64_t key = derive_key(seed_, Stream::brownian, static_cast<std::uint32_t>(component), 0);
    const Real rs = unit_time(s), rt = unit_time(t);
    detail::BrownianCell<Real> cell = root(key, path);
    int level = 0;
    for (; level < depth_; ++level) {
      const Real mid = cell.s + cell.su / 2;
      if ((rs > mid) != (rt > mid)) break;
      cell = child(cell, key, path, rs > mid);
    }
    detail::BrownianCell<Real> cell_t = cell;
    const detail::BrownianBar<Real> bar_s = leaf_value(descend(cell, level, key, path, rs), key, path, rs);
    const detail::BrownianBar<Real> bar_t = leaf_value(descend(cell_t, level, key, path, rt), key, path, rt);
    const detail::BrownianBar<Real> across = detail::chen_difference<Levy>(bar_s, rs, bar_t, rt);
    const Real h = rt - rs;
    BrownianIncrement<Real> out;
    out.W = scale_ * across.w;
    if constexpr (Levy != LevyArea::none) out.H = h > 0 ? scale_ * across.hh / h : Real(0);
    if constexpr (Levy == LevyArea::space_time_time) out.K = h > 0 ? scale_ * across.kk / (h * h) : Real(0);
    return out;
  }

 private:
  KOKKOS_FORCEINLINE_FUNCTION static Real nonnegative(Real x) { return x > 0 ? x : Real(0); }

  KOKKOS_INLINE_FUNCTION Real unit_time(double t) const {
    const double r = (t - t0_) / (t1_ - t0_);
    return static_cast<Real>(r < 0 ? 0.0 : (r > 1 ? 1.0 : r));
  }

  /// Standard normals of a cell: block `draw` of its Philox stream.
  KOKKOS_INLINE_FUNCTION static NormalPair<Real> normals(std::uint64_t key, std::uint64_t index, std::uint32_t path,
                                                         std::uint32_t draw) {
    return normal_pair<Real>(philox(key, index | (static_cast<std::uint64_t>(draw) << 56), path, Stream::brownian));
  }

  /// The root [0, 1]: W_1 ~ N(0, 1), hh_1 = H_{0,1} ~ N(0, 1/12), kk_1 = K_{0,1} ~ N(0, 1/720).
  KOKKOS_INLINE_FUNCTION static detail::BrownianCell<Real> root(std::uint64_t key, std::uint32_t path) {
    detail::BrownianCell<Real> cell{1, Real(0), Real(1), {}, {}};
    const NormalPair<Real> z = normals(key, 0, path, 0);
    cell.across.w = z.first;
    if constexpr (Levy != LevyArea::none) cell.across.hh = z.second * Real(0.28867513459481288225);  // 1/sqrt 12
    if constexpr (Levy == LevyArea::space_time_time)
      cell.across.kk = normals(key, 0, path, 1).first * Real(0.037267799624996494940);  // 1/sqrt 720
    return cell;
  }

  /// The left (upper = false) or right half of `cell`, its midpoint drawn from the exact conditional law.
  KOKKOS_INLINE_FUNCTION static detail::BrownianCell<Real> child(const detail::BrownianCell<Real>& cell,
                                                                 std::uint64_t key, std::uint32_t path, bool upper) {
    const Real su = cell.su, st = su / 2;
    const detail::BrownianBar<Real>& a = cell.across;
    detail::BrownianBar<Real> mean, spread;  // the halves' increments are mean +- spread
    const NormalPair<Real> z = normals(key, cell.index, path, 0);
    if constexpr (Levy == LevyArea::none) {
      mean.w = a.w / 2;
      spread.w = math::sqrt(su) / 2 * z.first;
    } else if constexpr (Levy == LevyArea::space_time) {
      const Real zw = z.first * math::sqrt(su) / 4;
      mean.w = a.w / 2;
      spread.w = Real(1.5) / su * a.hh + zw;
      mean.hh = a.hh / 8 - su / 4 * zw;
      spread.hh = su / 4 * (z.second * math::sqrt(su / 12));
    } else {
      const NormalPair<Real> z3 = normals(key, cell.index, path, 1);
      const Real zw = z.first * math::sqrt(su / 16);
      const Real x1 = z.second * math::sqrt(su / 768);
      const Real x2 = z3.first * math::sqrt(su / 2880);
      mean.w = a.w / 2;
      spread.w = Real(1.5) / su * a.hh + zw;
      mean.hh = a.hh / 8 - st / 2 * zw;
      spread.hh = Real(15) / (8 * su) * a.kk + st * x1;
      mean.kk = a.kk / 32 - su * su / 8 * x1;
      spread.kk = su * su / 4 * x2;
    }
    const detail::BrownianBar<Real> first{mean.w + spread.w, mean.hh + spread.hh, mean.kk + spread.kk};
    detail::BrownianCell<Real> half{2 * cell.index, cell.s, st, cell.at_s, first};
    if (upper) {
      half.index += 1;
      half.at_s = detail::chen_advance<Levy>(cell.at_s, cell.s, first, st);
      half.s = cell.s + st;
      half.across = {mean.w - spread.w, mean.hh - spread.hh, mean.kk - spread.kk};
    }
    return half;
  }

  KOKKOS_INLINE_FUNCTION detail::BrownianCell<Real> descend(detail::BrownianCell<Real> cell, int level,
                                                            std::uint64_t key, std::uint32_t path, Real r) const {
    for (; level < depth_; ++level) cell = child(cell, key, path, r > cell.s + cell.su / 2);
    return cell;
  }

  /// The bar values at r inside the leaf `cell`, from the exact bridge law given the cell's increments.
  /// One draw per leaf, shared by every r in it: the path is continuous inside a leaf.
  KOKKOS_INLINE_FUNCTION static detail::BrownianBar<Real> leaf_value(const detail::BrownianCell<Real>& cell,
                                                                     std::uint64_t key, std::uint32_t path, Real r) {
    const Real su = cell.su, sr = r <= cell.s ? Real(0) : (r - cell.s >= su ? su : r - cell.s), ru = su - sr;
    const detail::BrownianBar<Real>& a = cell.across;
    const NormalPair<Real> z = normals(key, cell.index, path, 2);
    detail::BrownianBar<Real> part;  // increments over [s, r]
    if constexpr (Levy == LevyArea::none) {
      part.w = sr / su * a.w + math::sqrt(sr * ru / su) * z.first;
    } else if constexpr (Levy == LevyArea::space_time) {
      const Real sr3 = sr * sr * sr, ru3 = ru * ru * ru, root_sr_ru = math::sqrt(sr * ru);
      const Real d = math::sqrt(sr3 + ru3), d_prime = 1 / (2 * su * d);
      const Real alpha = d_prime * sr3 * root_sr_ru, beta = d_prime * ru3 * root_sr_ru;
      const Real c = math::sqrt(3 * sr3 * ru3) / (6 * d);
      part.w = sr / su * a.w + 6 * sr * ru / (su * su * su) * a.hh + 2 * (alpha + beta) / su * z.first;
      part.hh = sr3 / (su * su * su) * a.hh - alpha * z.first + c * z.second;
    } else {
      part = space_time_time_bridge(a, su, sr, ru, z, normals(key, cell.index, path, 3).first);
    }
    return detail::chen_advance<Levy>(cell.at_s, cell.s, part, sr);
  }

  /// (W, H, K) over [s, r] given the cell's bar increments (Theorem 3.7): a Gaussian with the means
  /// and 3x3 covariance below, sampled through its Cholesky factor.
  KOKKOS_INLINE_FUNCTION static detail::BrownianBar<Real> space_time_time_bridge(const detail::BrownianBar<Real>& a,
                                                                                 Real su, Real sr, Real ru,
                                                                                 const NormalPair<Real>& z, Real z3) {
    const Real p = sr / su, q = ru / su, p2 = p * p, p3 = p2 * p, p5 = p3 * p2;
    const Real sr2 = sr * sr, ru2 = ru * ru, su2 = su * su;
    const Real bb_mean = 6 * p * q / su * a.hh + 120 * p * q * (Real(0.5) - p) / su2 * a.kk;
    const Real w_mean = p * a.w + bb_mean;
    const Real h_mean = p2 / su * (a.hh + 30 * q / su * a.kk);
    const Real k_mean = p3 / su2 * a.kk;
    const Real diff = sr - ru;
    const Real ww = p * q * (diff * diff * diff * diff + 4 * sr2 * ru2) / (su2 * su);
    const Real wh = -p3 * q * (sr2 - 3 * sr * ru + 6 * ru2) / (2 * su);
    const Real wk = p2 * p2 * q * diff / 12;
    const Real hh = sr / 12 * (1 - p3 * (sr2 + 2 * sr * ru + 16 * ru2) / su2);
    const Real hk = -ru / 24 * p5;
    const Real kk = sr / 720 * (1 - p5);
    // Cholesky with pivots clipped at zero: the covariance is singular at r = s and r = u.
    const Real l11 = math::sqrt(nonnegative(ww));
    const Real l21 = l11 > 0 ? wh / l11 : Real(0), l31 = l11 > 0 ? wk / l11 : Real(0);
    const Real l22 = math::sqrt(nonnegative(hh - l21 * l21));
    const Real l32 = l22 > 0 ? (hk - l31 * l21) / l22 : Real(0);
    const Real l33 = math::sqrt(nonnegative(kk - l31 * l31 - l32 * l32));
    detail::BrownianBar<Real> part;
    part.w = w_mean + l11 * z.first;
    part.hh = sr * (h_mean + l21 * z.first + l22 * z.second);
    part.kk = sr2 * (k_mean + l31 * z.first + l32 * z.second + l33 * z3);
    return part;
  }

  double t0_, t1_;
  int dimension_;
  std::uint64_t seed_;
  int depth_ = 0;
  Real scale_ = 1;
};

/// The queries of a batch: W, H, K as Views indexed (path, interval, component); H and K have
/// extent 0 when the tree does not compute them.
template <class Real, class MemorySpace>
struct BrownianIncrements {
  using view_type = Kokkos::View<Real***, Kokkos::LayoutRight, MemorySpace>;
  view_type W, H, K;
};

namespace detail {
/// One (path, interval, component) query per work item, flat index = (p * intervals + i) * dim + j.
/// A named functor: nvcc rejects lambdas that first capture a View inside `if constexpr`.
template <LevyArea Levy, class Real, class MemorySpace, class Intervals>
struct BrownianIncrementsKernel {
  VirtualBrownianTree<Levy, Real> tree;
  Intervals intervals;
  typename BrownianIncrements<Real, MemorySpace>::view_type W, H, K;
  std::size_t first_path;

  KOKKOS_INLINE_FUNCTION void operator()(std::int64_t flat) const {
    const int dim = tree.dimension();
    const auto count = static_cast<std::int64_t>(intervals.extent(0));
    const int j = static_cast<int>(flat % dim);
    const auto i = static_cast<std::size_t>((flat / dim) % count);
    const auto p = static_cast<std::size_t>(flat / (dim * count));
    const BrownianIncrement<Real> x =
        tree.increment(static_cast<std::uint32_t>(first_path + p), j, intervals(i, 0), intervals(i, 1));
    W(p, i, j) = x.W;
    if constexpr (Levy != LevyArea::none) H(p, i, j) = x.H;
    if constexpr (Levy == LevyArea::space_time_time) K(p, i, j) = x.K;
  }
};
}  // namespace detail

/// Queries paths [first_path, first_path + paths) of `tree` over every interval (s_i, t_i) of
/// `intervals` (extent n x 2, on the host), all components, in one kernel. Throws qmcsim::error for
/// an interval outside [t0, t1], s > t, NaN, or a path index beyond 2^32.
template <class ExecSpace, LevyArea Levy, class Real>
BrownianIncrements<Real, typename ExecSpace::memory_space> brownian_increments(
    const VirtualBrownianTree<Levy, Real>& tree, std::size_t paths,
    const Kokkos::View<const double* [2], Kokkos::HostSpace>& intervals, std::size_t first_path = 0) {
  const std::size_t count = intervals.extent(0);
  for (std::size_t i = 0; i < count; ++i) {
    const double s = intervals(i, 0), t = intervals(i, 1);
    detail::require(std::isfinite(s) && std::isfinite(t), "brownian_increments: interval ", i, " = [", s, ", ", t,
                    "] is not finite");
    detail::require(tree.t0() <= s && s <= t && t <= tree.t1(), "brownian_increments: interval ", i, " = [", s, ", ",
                    t, "] must satisfy t0 = ", tree.t0(), " <= s <= t <= t1 = ", tree.t1());
  }
  detail::require(first_path + paths <= (std::size_t(1) << 32), "brownian_increments: path indices [", first_path,
                  ", ", first_path + paths, ") exceed the 2^32 paths of one seed");
  using Memory = typename ExecSpace::memory_space;
  auto device_intervals = Kokkos::create_mirror_view_and_copy(Memory(), intervals);
  const int dim = tree.dimension();
  const std::size_t levy_extent = Levy == LevyArea::none ? 0 : paths;
  BrownianIncrements<Real, Memory> out{
      typename BrownianIncrements<Real, Memory>::view_type("W", paths, count, dim),
      typename BrownianIncrements<Real, Memory>::view_type("H", levy_extent, count, dim),
      typename BrownianIncrements<Real, Memory>::view_type(
          "K", Levy == LevyArea::space_time_time ? paths : 0, count, dim)};
  const auto total = static_cast<std::int64_t>(paths * count * dim);
  Kokkos::parallel_for("qmcsim::brownian_increments",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(0, total),
                       detail::BrownianIncrementsKernel<Levy, Real, Memory, decltype(device_intervals)>{
                           tree, device_intervals, out.W, out.H, out.K, first_path});
  return out;
}

}  // namespace qmcsim
