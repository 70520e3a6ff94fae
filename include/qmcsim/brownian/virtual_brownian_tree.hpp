// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Single-seed virtual Brownian tree with space-time and space-time-time Lévy areas.
///
/// Reference: Jelinčič, Foster, Kidger, "Single-seed generation of Brownian paths and integrals for
/// adaptive and high order SDE solvers", arXiv 2405.06464 (2024).
///
/// For a Brownian motion W on [t0, t1] and an interval [s, t] of length h = t - s the tree returns
///   W_{s,t} = W_t - W_s                                              ~ N(0, h),
///   H_{s,t} = (1/h) int_s^t (W_{s,u} - (u-s)/h W_{s,t}) du           ~ N(0, h/12),
///   K_{s,t} = (1/h^2) int_s^t (W_{s,u} - (u-s)/h W_{s,t}) (h/2 - (u-s)) du ~ N(0, h/720),
/// mutually independent for one interval. Time is mapped to [0, 1] and bisected: every cell carries
/// its "bar" increments (w, hh = h H, kk = h^2 K), and its two halves are drawn from their exact
/// conditional law given them (the Brownian arch recursion, Theorem 3.3 of the paper). Nothing is
/// stored: a cell's normals are Philox draws at the counter (heap index of the cell, path) under a key
/// of (seed, component), re-derived every 48 levels (BrownianCell), so the path is a pure function of the seed, queries come in any order, and memory is constant.
///
/// Exactness. By default the tree is exact for every query: every time is located down to the
/// deepest level, cells of 2^-max_depth (t1 - t0) (2^-400 in double, 2^-40 in float), where its
/// value is drawn from the exact bridge law given the cell's increments (Foster's thesis Thm 6.1.4 for
/// (W, H), the paper's Theorem 3.7 for (W, H, K)). Values at times in different deepest cells have
/// exactly the Brownian joint law, and, the depth being fixed, a time has the same value in every
/// query, so [r, s] and [s, t] combine into [r, t] exactly (Chen's relations). In double no query
/// reaches that depth: a time's position (t - t0) / (t1 - t0) is a double, a multiple of 2^-(52 - e)
/// for its exponent e, so it is a cell boundary from that level on (level 53 in [1/2, 1), 59 for
/// 0.01) and every interval is a union of whole cells, down to intervals of 1e-100 of the tree and a
/// few units of rounding wide; only times within 2^-347 (t1 - t0) of t0 can share a deepest cell. A
/// float tree's cells end at 2^-40 (t1 - t0), where its bar kk stays a normal number.
/// Boundaries. A time that is a cell boundary needs no deeper cells: the increments up to it are those
/// of whole cells, which their halves only split, so a descent stops at the first level where its time
/// is a boundary. Steps on a dyadic grid k 2^-m (t1 - t0), as fixed-step solvers take them, cost O(m)
/// levels; any other double time costs at most 52 levels more than its exponent. The path is
/// unchanged: the full descent would sum the same cells' halves back up, equal up to rounding.
/// Cursors. `BrownianCursor` queries one path and component in sequence with the same values, keeping
/// the cells of its last two descents, so a solver's consecutive steps draw only the levels below the
/// cell where their end points part; the batched `brownian_increments` and the SDE solvers use one.
/// `with_leaf_tolerance` gives the opt-in approximate mode of diffrax and the paper: cells stop at the
/// first level shorter than the tolerance, and inside one such leaf the path is one bridge draw shared
/// by all times, which has the right law at one time but not jointly (two intervals inside one leaf are
/// correlated); it costs fewer levels.
///
/// Precision. Increments are computed in local coordinates, never as differences of values measured
/// from t0: the descents for s and t part at a cell whose midpoint m lies in (s, t); on the way down
/// to s the increments of the cells passed on the right are joined into the one over [s, m], on the
/// way to t those passed on the left into the one over [m, t], and the two are joined. Joining
/// adjacent intervals (`chen_join`) adds terms of the size of the result, so W, H, K of [s, t] carry a
/// relative error of a few units of rounding for every h, in double and in float; what remains is the
/// representation of s and t themselves (their spacing near t, relative to h). Cell positions are
/// dyadic and held in double also for float trees.
///
///   const VirtualBrownianTree<LevyArea::space_time> tree(0.0, 1.0, 3, seed);  // 3 components
///   BrownianIncrement<double> x = tree.increment(path, component, s, t);      // x.W, x.H

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <limits>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/execution.hpp"
#include "qmcsim/core/math.hpp"
#include "qmcsim/core/random.hpp"

namespace qmcsim {

/// Which integrals of the path a query returns besides the increment W.
enum class LevyArea { none, space_time, space_time_time };

/// One component of a Brownian query over [s, t]: the increment W_{s,t} and, when the tree computes
/// them, the space-time Lévy area H_{s,t} and the space-time-time Lévy area K_{s,t} (else 0).
template <class Real>
struct BrownianIncrement {
  Real W = 0;  ///< W_t - W_s
  Real H = 0;  ///< space-time Lévy area: (1/h) int_s^t (W_{s,u} - (u - s)/h W_{s,t}) du, h = t - s
  Real K = 0;  ///< space-time-time Lévy area (docs/brownian.md)
};

namespace detail {

/// The bar increments (w, hh = h H, kk = h^2 K) over an interval of length h, on the unit-time tree.
template <class Real>
struct BrownianBar {
  Real w = 0, hh = 0, kk = 0;
};

/// The bar increments over [r, t] from those over the adjacent [r, s] (length h1) and [s, t] (length
/// h2), Chen's relations:
///   w = w1 + w2,   hh = hh1 + hh2 + (h2 w1 - h1 w2) / 2,
///   kk = kk1 + kk2 + (h2/2) hh1 - (h1/2) hh2 + ((h2 - h1)/12) (h2 w1 - h1 w2).
template <LevyArea Levy, class Real>
KOKKOS_FORCEINLINE_FUNCTION BrownianBar<Real> chen_join(const BrownianBar<Real>& first, Real h1,
                                                        const BrownianBar<Real>& second, Real h2) {
  BrownianBar<Real> joined;
  joined.w = first.w + second.w;
  if constexpr (Levy != LevyArea::none) {
    const Real cross = h2 * first.w - h1 * second.w;
    joined.hh = first.hh + second.hh + Real(0.5) * cross;
    if constexpr (Levy == LevyArea::space_time_time)
      joined.kk = first.kk + second.kk + (h2 / 2) * first.hh - (h1 / 2) * second.hh + ((h2 - h1) / 12) * cross;
  }
  return joined;
}

/// The bar increments over [s, t] from those over [r, t] (length h) and [r, s] (length h1): the
/// inverse of `chen_join`. Used only inside one cell, where all three are of the cell's size.
template <LevyArea Levy, class Real>
KOKKOS_FORCEINLINE_FUNCTION BrownianBar<Real> chen_remainder(const BrownianBar<Real>& whole, Real h,
                                                             const BrownianBar<Real>& first, Real h1) {
  const Real h2 = h - h1;
  BrownianBar<Real> second;
  second.w = whole.w - first.w;
  if constexpr (Levy != LevyArea::none) {
    const Real cross = h2 * first.w - h1 * second.w;
    second.hh = whole.hh - first.hh - Real(0.5) * cross;
    if constexpr (Levy == LevyArea::space_time_time)
      second.kk = whole.kk - first.kk - (h2 / 2) * first.hh + (h1 / 2) * second.hh - ((h2 - h1) / 12) * cross;
  }
  return second;
}

/// Levels per key block. A cell's Philox counter holds its heap index below the root of its block
/// (root 1, children 2i and 2i + 1, at most 48 bits), under its block's key: the tree's key for
/// levels 0 .. 47, and for each cell at level 48 k a key of its own derived from its parent's key and
/// index, for the 48 levels below it. Identities stay within the counter at any depth.
inline constexpr int brownian_block_levels = 48;

/// A cell [start, start + length] of the tree: its identity (key of its block, heap index below the
/// block's root) and the bar increments across it. Positions are dyadic, exact in double.
template <class Real>
struct BrownianCell {
  std::uint64_t key, index;
  double start, length;
  BrownianBar<Real> across;

  /// The left or right half of this cell, at `level` (its position and identity, no bars yet).
  KOKKOS_FORCEINLINE_FUNCTION BrownianCell half(int level, bool right) const {
    const double length_of_half = length / 2;
    const std::uint64_t child = 2 * index + (right ? 1 : 0);
    const double child_start = right ? start + length_of_half : start;
    if ((level + 1) % brownian_block_levels != 0) return {key, child, child_start, length_of_half, {}};
    return {block_key(key, child), 1, child_start, length_of_half, {}};  // the child roots a block of its own
  }

  /// The key of the block rooted at the cell `index` of the block keyed `key`.
  KOKKOS_INLINE_FUNCTION static std::uint64_t block_key(std::uint64_t key, std::uint64_t index) {
    return derive_key(key, Stream::brownian, static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32));
  }
};

/// An interval's bar increments with its length: what the descents accumulate.
template <class Real>
struct BrownianSpan {
  BrownianBar<Real> bar;
  double length = 0;
};

/// Where a descent gets its cells from: every cell's halves and leaf bridges drawn afresh from their
/// Philox counters (key = the cell's block key, from the tree's seed and component; counter = the
/// cell's index, path; see BrownianCell). The tree's own
/// queries use it directly; `BrownianCursor` keeps what it draws.
template <LevyArea Levy, class Real>
struct BrownianCells {
  std::uint64_t key;
  std::uint32_t path;

  /// The Box-Muller parts of the normals at (block key, index): block `draw` of its Philox stream.
  KOKKOS_FORCEINLINE_FUNCTION BoxMullerParts<Real> parts(std::uint64_t block_key, std::uint64_t index,
                                                        std::uint32_t draw) const {
    return box_muller_parts<Real>(
        philox(block_key, index | (static_cast<std::uint64_t>(draw) << 56), path, Stream::brownian));
  }

  /// Standard normals of a cell: block `draw` of its Philox stream.
  KOKKOS_INLINE_FUNCTION NormalPair<Real> normals(const BrownianCell<Real>& cell, std::uint32_t draw) const {
    return normal_pair(parts(cell.key, cell.index, draw));
  }

  /// The root [0, 1]: W_1 ~ N(0, 1), hh_1 = H_{0,1} ~ N(0, 1/12), kk_1 = K_{0,1} ~ N(0, 1/720).
  KOKKOS_INLINE_FUNCTION BrownianCell<Real> root() const {
    BrownianCell<Real> cell{key, 1, 0.0, 1.0, {}};
    const NormalPair<Real> z = normal_pair(parts(key, 0, 0));  // the root's own draws: index 0
    cell.across.w = z.first;
    if constexpr (Levy != LevyArea::none) cell.across.hh = z.second * Real(0.28867513459481288225);  // 1/sqrt 12
    if constexpr (Levy == LevyArea::space_time_time)
      cell.across.kk = normal_pair(parts(key, 0, 1)).first * Real(0.037267799624996494940);  // 1/sqrt 720
    return cell;
  }

  /// The two halves of `cell` (at `level`, of length su = 2^-level), drawn from their exact conditional
  /// law given its increments; the normals come from `ahead` (see NormalsAhead).
  template <class Ahead>
  KOKKOS_FORCEINLINE_FUNCTION void halves(const BrownianCell<Real>& cell, int level, BrownianCell<Real>& left,
                                     BrownianCell<Real>& right, Ahead& ahead) const {
    const Real su = static_cast<Real>(cell.length), st = su / 2;
    const Real inverse = static_cast<Real>(math::detail::power_of_two(level));  // 1 / su, exactly
    const BrownianBar<Real>& a = cell.across;
    BrownianBar<Real> mean, spread;  // the halves' increments are mean +- spread
    const NormalPair<Real>* normals_of_cell = ahead.of(*this, cell, level);
    const NormalPair<Real>& z = normals_of_cell[0];
    if constexpr (Levy == LevyArea::none) {
      mean.w = a.w / 2;
      spread.w = root_of_length(level, 1) / 2 * z.first;
    } else if constexpr (Levy == LevyArea::space_time) {
      const Real zw = z.first * root_of_length(level, 1) / 4;
      mean.w = a.w / 2;
      spread.w = Real(1.5) * inverse * a.hh + zw;
      mean.hh = a.hh / 8 - su / 4 * zw;
      spread.hh = su / 4 * (z.second * root_of_length(level, Real(1) / 12));
    } else {
      const NormalPair<Real>& z3 = normals_of_cell[1];
      const Real zw = z.first * root_of_length(level, Real(1) / 16);
      const Real x1 = z.second * root_of_length(level, Real(1) / 768);
      const Real x2 = z3.first * root_of_length(level, Real(1) / 2880);
      mean.w = a.w / 2;
      spread.w = Real(1.5) * inverse * a.hh + zw;
      mean.hh = a.hh / 8 - st / 2 * zw;
      spread.hh = Real(15) * inverse / 8 * a.kk + st * x1;
      mean.kk = a.kk / 32 - su * su / 8 * x1;
      spread.kk = su * su / 4 * x2;
    }
    left = cell.half(level, false);
    right = cell.half(level, true);
    left.across = {mean.w + spread.w, mean.hh + spread.hh, mean.kk + spread.kk};
    right.across = {mean.w - spread.w, mean.hh - spread.hh, mean.kk - spread.kk};
  }

  /// The increments over [start, start + sr] inside the leaf `cell` from the exact bridge law given
  /// the cell's increments. One draw per leaf, shared by every time in it: the path is continuous.
  KOKKOS_INLINE_FUNCTION BrownianBar<Real> bridge(const BrownianCell<Real>& cell, Real sr) const {
    const Real su = static_cast<Real>(cell.length);
    sr = sr <= 0 ? Real(0) : (sr >= su ? su : sr);
    const Real ru = su - sr;
    const BrownianBar<Real>& a = cell.across;
    const NormalPair<Real> z = normals(cell, 2);
    BrownianBar<Real> part;
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
      part = space_time_time_bridge(a, su, sr, ru, z, normals(cell, 3).first);
    }
    return part;
  }

  /// (W, H, K) over [s, r] given the cell's bar increments (Theorem 3.7): a Gaussian with the means
  /// and 3x3 covariance below, sampled through its Cholesky factor.
  KOKKOS_INLINE_FUNCTION static BrownianBar<Real> space_time_time_bridge(const BrownianBar<Real>& a, Real su, Real sr,
                                                                         Real ru, const NormalPair<Real>& z, Real z3) {
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
    BrownianBar<Real> part;
    part.w = w_mean + l11 * z.first;
    part.hh = sr * (h_mean + l21 * z.first + l22 * z.second);
    part.kk = sr2 * (k_mean + l31 * z.first + l32 * z.second + l33 * z3);
    return part;
  }

  KOKKOS_FORCEINLINE_FUNCTION static Real nonnegative(Real x) { return x > 0 ? x : Real(0); }

  /// math::sqrt(c 2^-level) bit for bit, without a square root per level: c 2^-level is c scaled
  /// exactly, and rounding commutes with exact scaling, so the root is that of c (of c / 2 for an odd
  /// level: a constant, folded) times 2^-(level / 2).
  KOKKOS_FORCEINLINE_FUNCTION static Real root_of_length(int level, Real c) {
    const Real root = level % 2 == 0 ? math::sqrt(c) : math::sqrt(c / 2);
    return root * static_cast<Real>(math::detail::power_of_two(-(level / 2)));
  }
};

/// The most levels whose cells a descent draws together, or a cursor keeps: 64, beyond the 53 to 60
/// levels where double times of a unit tree are cell boundaries (deeper descents draw the rest in turn).
inline constexpr int brownian_kept_levels = 64;

/// How many levels a descent draws at once: up to brownian_kept_levels on the host, one on a GPU,
/// whose threads are already its vector lanes (and where a per-thread array would live in local memory).
KOKKOS_FORCEINLINE_FUNCTION constexpr int levels_drawn_at_once(int max_depth) {
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__) || defined(__SYCL_DEVICE_ONLY__)
  (void)max_depth;
  return 1;
#else
  return max_depth < brownian_kept_levels ? max_depth : brownian_kept_levels;
#endif
}

/// The normals of the cells that a descent toward the time r is about to split. When a descent asks
/// for a cell not drawn yet, the cells below it on the way to r (down to the level where r is a cell
/// boundary, the depth, or `Capacity` levels) are drawn with it in one loop: their identities follow
/// from r alone, and Philox with the Box-Muller parts vectorizes across the levels, which one cell at
/// a time it cannot (a step of 0.01 draws some 47 levels). A query's common descent is
/// followed toward both of its times: down to the cell where they part (or that is the query), where
/// r = s may well be a boundary already, then on toward s. The cells drawn only decide the speed: a
/// cell is taken from here when its identity matches, so the values are always those of
/// `BrownianCells::normals`, bit for bit (the same operations in the same order).
template <LevyArea Levy, class Real, int Capacity>
class NormalsAhead {
 public:
  /// Normal blocks per cell: (W, H) halves take one pair, (W, H, K) halves two.
  static constexpr int blocks = Levy == LevyArea::space_time_time ? 2 : 1;

  /// Normals for a descent toward r on a tree of depth `depth`.
  KOKKOS_INLINE_FUNCTION NormalsAhead(double r, int depth) : r_(r), partner_(r), depth_(depth) {}

  /// Normals for the common descent of a query [r, partner] (r < partner), then on toward r.
  KOKKOS_INLINE_FUNCTION NormalsAhead(double r, double partner, int depth) : r_(r), partner_(partner), depth_(depth) {}

  /// The `blocks` normal pairs of `cell` (at `level`, on the way to r), drawing them and the next
  /// cells toward r unless they are drawn already.
  KOKKOS_INLINE_FUNCTION const NormalPair<Real>* of(const BrownianCells<Levy, Real>& cells, const BrownianCell<Real>& cell,
                                                    int level) {
    const int k = level - first_level_;
    if (k >= 0 && k < count_ && index_[k] == cell.index && key_[k] == cell.key) return pairs_[k];
    draw_from(cells, cell, level);
    return pairs_[0];
  }

 private:
  KOKKOS_INLINE_FUNCTION void draw_from(const BrownianCells<Levy, Real>& cells, const BrownianCell<Real>& cell, int level) {
    // The cells toward r: the one asked for, then each child containing r until the descent stops:
    // above the parting cell, where the query is the cell; below it, where r is a boundary.
    BrownianCell<Real> next = cell;  // positions and identities only
    bool common = partner_ != r_ && partner_ <= next.start + next.length;  // the cell holds both: above the parting
    int count = 0;
    while (count < Capacity && level + count < depth_) {
      const double start = next.start, end = next.start + next.length, middle = next.start + next.length / 2;
      if (count > 0 && (common ? r_ == start && partner_ == end : r_ == start || r_ == end)) break;
      index_[count] = next.index;
      key_[count] = next.key;
      if (common && r_ < middle && partner_ > middle) common = false;  // the parting cell
      next = next.half(level + count, r_ >= middle);
      ++count;
    }
    BoxMullerParts<Real> parts[Capacity][blocks];
    for (int k = 0; k < count; ++k)  // Philox and Box-Muller without the square root: vectorizes
      for (int b = 0; b < blocks; ++b) parts[k][b] = cells.parts(key_[k], index_[k], static_cast<std::uint32_t>(b));
    for (int k = 0; k < count; ++k)
      for (int b = 0; b < blocks; ++b) pairs_[k][b] = normal_pair(parts[k][b]);
    first_level_ = level;
    count_ = count;
  }

  double r_, partner_;
  int depth_;
  int first_level_ = 0, count_ = 0;
  std::uint64_t index_[Capacity], key_[Capacity];
  NormalPair<Real> pairs_[Capacity][blocks];
};

}  // namespace detail

template <LevyArea Levy, class Real>
class BrownianCursor;

/// A d-dimensional Brownian motion on [t0, t1] determined by one seed; trivially copyable, so kernels
/// capture it by value and query it on the device. `Levy` fixes which integrals are computed and
/// `Real` (float or double) the arithmetic.
template <LevyArea Levy, class Real = double>
class VirtualBrownianTree {
  static_assert(std::is_same_v<Real, float> || std::is_same_v<Real, double>, "Real must be float or double");

 public:
  static constexpr LevyArea levy_area = Levy;  ///< the integrals every query returns
  using real_type = Real;                        ///< float or double: the arithmetic and the results
  /// The deepest level: cells of 2^-max_depth (t1 - t0), as deep as the bar kk of a deepest cell
  /// (~ 2^-2.5 max_depth) stays a normal number: 400 in double, where every time t with
  /// t - t0 >= 2^-347 (t1 - t0) is a cell boundary by then (see "Exactness"), 40 in float.
  static constexpr int max_depth = std::is_same_v<Real, double> ? 400 : 40;

  /// The exact tree (see the file comment). Throws qmcsim::error for t0 >= t1, non-finite times or
  /// dimension 0.
  VirtualBrownianTree(double t0, double t1, int dimension, std::uint64_t seed)
      : VirtualBrownianTree(t0, t1, dimension, seed, max_depth) {}

  /// The approximate mode: leaves are the cells of the first level shorter than `tolerance` (in the
  /// units of t), and values inside one leaf share one bridge draw (see the file comment). Throws
  /// qmcsim::error for a tolerance that is not positive or is below the deepest level.
  static VirtualBrownianTree with_leaf_tolerance(double t0, double t1, double tolerance, int dimension, std::uint64_t seed) {
    check_times(t0, t1);
    detail::require(tolerance > 0 && std::isfinite(tolerance), "VirtualBrownianTree: tolerance = ", tolerance,
                    " must be a positive number");
    const double relative = tolerance / (t1 - t0);
    int depth = 0;
    while (depth < max_depth && std::ldexp(1.0, -depth) >= relative) ++depth;
    detail::require(std::ldexp(1.0, -depth) < relative, "VirtualBrownianTree: tolerance = ", tolerance,
                    " is below the deepest cell 2^-", max_depth, " (t1 - t0)");
    return VirtualBrownianTree(t0, t1, dimension, seed, depth);
  }

  /// The start of the time interval.
  KOKKOS_INLINE_FUNCTION double t0() const { return t0_; }
  /// The end of the time interval.
  KOKKOS_INLINE_FUNCTION double t1() const { return t1_; }
  /// Independent Brownian components per path.
  KOKKOS_INLINE_FUNCTION int dimension() const { return dimension_; }
  /// The level of the leaves: max_depth for the exact tree.
  KOKKOS_INLINE_FUNCTION int depth() const { return depth_; }
  /// Whether every query is exactly distributed (not the leaf-tolerance mode).
  KOKKOS_INLINE_FUNCTION bool exact() const { return depth_ == max_depth; }
  /// The seed the whole path is a function of.
  KOKKOS_INLINE_FUNCTION std::uint64_t seed() const { return seed_; }

  /// Component `component` of path `path` over [s, t], t0 <= s <= t <= t1 (times outside are clamped;
  /// the batched `brownian_increments` checks them). No memory; O(depth) work, or O(m) levels when s
  /// and t sit on the dyadic grid 2^-m (t1 - t0) (see "Boundaries" in the file comment).
  KOKKOS_INLINE_FUNCTION BrownianIncrement<Real> increment(std::uint32_t path, int component, double s,
                                                           double t) const {
    detail::BrownianCells<Levy, Real> cells = cells_of(path, component);
    return increment_from(cells, s, t);
  }

 private:
  VirtualBrownianTree(double t0, double t1, int dimension, std::uint64_t seed, int depth)
      : t0_(t0), t1_(t1), dimension_(dimension), seed_(seed), depth_(depth) {
    check_times(t0, t1);
    detail::require(dimension >= 1, "VirtualBrownianTree: dimension = ", dimension, " must be at least 1");
    scale_ = static_cast<Real>(std::sqrt(t1 - t0));
  }

  friend class BrownianCursor<Levy, Real>;

  /// The cells of one path and component, drawn afresh.
  KOKKOS_INLINE_FUNCTION detail::BrownianCells<Levy, Real> cells_of(std::uint32_t path, int component) const {
    return {derive_key(seed_, Stream::brownian, static_cast<std::uint32_t>(component), 0), path};
  }

  /// The query over [s, t] with the cells from `cells` (drawn or kept: the same values).
  template <class Cells>
  KOKKOS_INLINE_FUNCTION BrownianIncrement<Real> increment_from(Cells& cells, double s, double t) const {
    const double rs = unit_time(s), rt = unit_time(t);
    BrownianIncrement<Real> out;
    if (!(rt > rs)) return out;
    detail::BrownianCell<Real> cell = cells.root();
    detail::BrownianSpan<Real> span;  // over [rs, rt]
    Ahead toward_s(rs, rt, depth_);    // down the common part of the descents, then on to s
    int level = 0;
    for (; level < depth_; ++level) {
      if (rs == cell.start && rt == cell.start + cell.length) {  // [s, t] is this cell
        span = {cell.across, cell.length};
        break;
      }
      detail::BrownianCell<Real> left, right;
      cells.halves(cell, level, left, right, toward_s);
      if (rs < right.start && rt > right.start) {  // the descents part at right.start
        const detail::BrownianSpan<Real> before = to_end(cells, left, level + 1, rs, toward_s);
        Ahead toward_t(rt, depth_);
        const detail::BrownianSpan<Real> after = from_start(cells, right, level + 1, rt, toward_t);
        span = join(before, after);
        break;
      }
      cell = rs >= right.start ? right : left;
    }
    if (level == depth_) {  // both in one leaf: [start, t] = [start, s] + [s, t]
      const Real a = static_cast<Real>(rs - cell.start), b = static_cast<Real>(rt - cell.start);
      span.bar = detail::chen_remainder<Levy>(cells.bridge(cell, b), b, cells.bridge(cell, a), a);
      span.length = rt - rs;
    }
    const Real h = static_cast<Real>(span.length);
    out.W = scale_ * span.bar.w;
    if constexpr (Levy != LevyArea::none) out.H = scale_ * span.bar.hh / h;
    if constexpr (Levy == LevyArea::space_time_time) out.K = scale_ * span.bar.kk / (h * h);
    return out;
  }

  static void check_times(double t0, double t1) {
    detail::require_finite("VirtualBrownianTree", "t0", t0);
    detail::require_finite("VirtualBrownianTree", "t1", t1);
    detail::require(t0 < t1 && std::isfinite(t1 - t0), "VirtualBrownianTree: t0 = ", t0, " must be below t1 = ", t1,
                    " (and t1 - t0 finite)");
  }

  KOKKOS_INLINE_FUNCTION double unit_time(double t) const {
    const double r = (t - t0_) / (t1_ - t0_);
    return r < 0 ? 0.0 : (r > 1 ? 1.0 : r);
  }

  KOKKOS_FORCEINLINE_FUNCTION static detail::BrownianSpan<Real> join(const detail::BrownianSpan<Real>& first,
                                                                     const detail::BrownianSpan<Real>& second) {
    return {detail::chen_join<Levy>(first.bar, static_cast<Real>(first.length), second.bar, static_cast<Real>(second.length)),
            first.length + second.length};
  }

  /// The normals of one descent's cells (see detail::NormalsAhead).
  using Ahead = detail::NormalsAhead<Levy, Real, detail::levels_drawn_at_once(max_depth)>;

  /// The increments over [r, end of `cell`] (`cell` at `level`, containing r): right halves passed on
  /// the way down are joined in front of what follows them.
  template <class Cells>
  KOKKOS_INLINE_FUNCTION detail::BrownianSpan<Real> to_end(Cells& cells, detail::BrownianCell<Real> cell, int level,
                                                           double r, Ahead& ahead) const {
    detail::BrownianSpan<Real> suffix;
    for (; level < depth_; ++level) {
      if (r == cell.start) return join({cell.across, cell.length}, suffix);  // r is a cell boundary
      detail::BrownianCell<Real> left, right;
      cells.halves(cell, level, left, right, ahead);
      if (r >= right.start) {
        cell = right;
      } else {
        suffix = join({right.across, right.length}, suffix);
        cell = left;
      }
    }
    const Real a = static_cast<Real>(r - cell.start), length = static_cast<Real>(cell.length);
    const detail::BrownianBar<Real> rest = detail::chen_remainder<Levy>(cell.across, length, cells.bridge(cell, a), a);
    return join({rest, cell.length - (r - cell.start)}, suffix);
  }

  /// The increments over [start of `cell`, r] (`cell` at `level`, containing r): left halves passed on
  /// the way down are joined behind what precedes them.
  template <class Cells>
  KOKKOS_INLINE_FUNCTION detail::BrownianSpan<Real> from_start(Cells& cells, detail::BrownianCell<Real> cell, int level,
                                                               double r, Ahead& ahead) const {
    detail::BrownianSpan<Real> prefix;
    for (; level < depth_; ++level) {
      if (r == cell.start + cell.length) return join(prefix, {cell.across, cell.length});  // a cell boundary
      detail::BrownianCell<Real> left, right;
      cells.halves(cell, level, left, right, ahead);
      if (r > right.start) {
        prefix = join(prefix, {left.across, left.length});
        cell = right;
      } else {
        cell = left;
      }
    }
    const Real a = static_cast<Real>(r - cell.start);
    return join(prefix, {cells.bridge(cell, a), r - cell.start});
  }

  double t0_, t1_;
  int dimension_;
  std::uint64_t seed_;
  int depth_;
  Real scale_ = 1;
};
/// One path and component of a tree, queried in sequence: `increment(s, t)` equals the tree's
/// `increment(path, component, s, t)` bit for bit, but keeps the cells of its last queries and draws
/// only the ones it has not seen. The cells of the descents towards the last two distinct times are
/// kept (two per level, the older replaced), so a solver's steps [t_k, t_k+1] draw only the levels
/// below the cell where t_k and t_k+1 part (about 53 - log2((t1 - t0) / h) instead of twice 53 or more
/// off the dyadic grid), and a rejected step retried from t_k reuses both descents. Memory: the halves
/// of 2 x 64 cells (deeper levels, reached only by times very close to t0, are drawn each time), 8.5 KB
/// in double, whatever the number of queries; the path stays a pure function of the seed. Copyable;
/// one cursor per thread.
///
///   BrownianCursor<LevyArea::space_time> cursor(tree, path, component);
///   for (int k = 0; k < steps; ++k) x = cursor.increment(k * h, (k + 1) * h);
template <LevyArea Levy, class Real = double>
class BrownianCursor {
 public:
  using tree_type = VirtualBrownianTree<Levy, Real>;  ///< the tree it queries

  /// A cursor on component `component` of path `path` of `tree`, with no cells kept yet.
  KOKKOS_INLINE_FUNCTION BrownianCursor(const tree_type& tree, std::uint32_t path, int component)
      : tree_(tree), cells_(tree.cells_of(path, component)) {}

  /// W, H, K of the path over [s, t]: see `VirtualBrownianTree::increment`.
  KOKKOS_INLINE_FUNCTION BrownianIncrement<Real> increment(double s, double t) {
    return tree_.increment_from(cells_, s, t);
  }

 private:
  /// The tree's cells with the last ones kept: `halves` and `bridge` return what the drawn cells
  /// would, from memory when the cell was seen.
  class KeptCells {
   public:
    KOKKOS_INLINE_FUNCTION explicit KeptCells(const detail::BrownianCells<Levy, Real>& drawn)
        : drawn_(drawn), root_(drawn.root()) {
      for (int level = 0; level < kept_levels; ++level) halves_[level][0].cell.index = halves_[level][1].cell.index = 0;
      for (auto& kept : bridges_) kept.cell.index = 0;  // indices start at 1
    }

    KOKKOS_INLINE_FUNCTION detail::BrownianCell<Real> root() const { return root_; }

    template <class Ahead>
    KOKKOS_FORCEINLINE_FUNCTION void halves(const detail::BrownianCell<Real>& cell, int level, detail::BrownianCell<Real>& left,
                                       detail::BrownianCell<Real>& right, Ahead& ahead) {
      if (level >= kept_levels) return drawn_.halves(cell, level, left, right, ahead);  // rare: not kept
      Halves* slot = halves_[level];
      int which = slot[0].cell.is(cell) ? 0 : (slot[1].cell.is(cell) ? 1 : -1);
      if (which < 0) {
        which = 1 - last_[level];
        drawn_.halves(cell, level, left, right, ahead);
        slot[which] = {{cell.key, cell.index}, left.across, right.across};
      } else {
        left = cell.half(level, false);
        right = cell.half(level, true);
        left.across = slot[which].left;
        right.across = slot[which].right;
      }
      last_[level] = static_cast<unsigned char>(which);
    }

    KOKKOS_INLINE_FUNCTION detail::BrownianBar<Real> bridge(const detail::BrownianCell<Real>& cell, Real at) {
      for (const auto& kept : bridges_)
        if (kept.cell.is(cell) && kept.at == at) return kept.part;
      const detail::BrownianBar<Real> part = drawn_.bridge(cell, at);
      last_bridge_ = 1 - last_bridge_;
      bridges_[last_bridge_] = {{cell.key, cell.index}, at, part};
      return part;
    }

   private:
    /// Levels whose halves are kept (deeper ones, beyond every double time of a unit tree but the
    /// smallest, are drawn each time).
    static constexpr int kept_levels = tree_type::max_depth < detail::brownian_kept_levels ? tree_type::max_depth
                                                                                            : detail::brownian_kept_levels;
    /// A cell's identity (BrownianCell's key and index; index 0: empty).
    struct Identity {
      std::uint64_t key, index;
      KOKKOS_INLINE_FUNCTION bool is(const detail::BrownianCell<Real>& cell) const {
        return index == cell.index && key == cell.key;
      }
    };
    /// A cell's halves.
    struct Halves {
      Identity cell;
      detail::BrownianBar<Real> left, right;
    };
    /// A leaf's bridge part over [start, start + at].
    struct Bridge {
      Identity cell;
      Real at;
      detail::BrownianBar<Real> part;
    };
    detail::BrownianCells<Levy, Real> drawn_;
    detail::BrownianCell<Real> root_;
    Halves halves_[kept_levels][2];
    unsigned char last_[kept_levels] = {};  // the slot used last at each level
    Bridge bridges_[2];
    int last_bridge_ = 0;
  };

  tree_type tree_;
  KeptCells cells_;
};

/// The queries of a batch: W, H, K as Views indexed (path, interval, component); H and K have
/// extent 0 when the tree does not compute them.
template <class Real, class MemorySpace>
struct BrownianIncrements {
  using view_type = Kokkos::View<Real***, Kokkos::LayoutRight, MemorySpace>;  ///< (path, interval, component)
  view_type W;  ///< the increments
  view_type H;  ///< the space-time Lévy areas (extent 0 without them)
  view_type K;  ///< the space-time-time Lévy areas (extent 0 without them)
};

namespace detail {
/// One (path, component, run of consecutive intervals) per work item, the run queried in order through
/// one cursor; flat index = (p * runs + r) * dim + j. Runs change the speed, never the values.
/// A named functor: nvcc rejects lambdas that first capture a View inside `if constexpr`.
template <LevyArea Levy, class Real, class MemorySpace, class Intervals>
struct BrownianIncrementsKernel {
  VirtualBrownianTree<Levy, Real> tree;
  Intervals intervals;
  typename BrownianIncrements<Real, MemorySpace>::view_type W, H, K;
  std::size_t first_path, run_length, runs;

  KOKKOS_INLINE_FUNCTION void operator()(std::int64_t flat) const {
    const int dim = tree.dimension();
    const int j = static_cast<int>(flat % dim);
    const auto r = static_cast<std::size_t>(flat / dim) % runs;
    const auto p = static_cast<std::size_t>(flat / dim) / runs;
    const std::size_t end = (r + 1) * run_length < intervals.extent(0) ? (r + 1) * run_length : intervals.extent(0);
    BrownianCursor<Levy, Real> cursor(tree, static_cast<std::uint32_t>(first_path + p), j);
    for (std::size_t i = r * run_length; i < end; ++i) {
      const BrownianIncrement<Real> x = cursor.increment(intervals(i, 0), intervals(i, 1));
      W(p, i, j) = x.W;
      if constexpr (Levy != LevyArea::none) H(p, i, j) = x.H;
      if constexpr (Levy == LevyArea::space_time_time) K(p, i, j) = x.K;
    }
  }
};
}  // namespace detail

/// Queries paths [first_path, first_path + paths) of `tree` over every interval (s_i, t_i) of
/// `intervals` (extent n x 2, on the host), all components, in one kernel enqueued on the instance
/// `space` (see core/execution.hpp; the caller may reuse `intervals` when it returns). Throws
/// qmcsim::error for an interval outside [t0, t1], s > t, NaN, or a path index beyond 2^32.
template <class ExecSpace, LevyArea Levy, class Real>
BrownianIncrements<Real, typename ExecSpace::memory_space> brownian_increments(
    const ExecSpace& space, const VirtualBrownianTree<Levy, Real>& tree, std::size_t paths,
    const Kokkos::View<const double* [2], Kokkos::HostSpace>& intervals, std::size_t first_path = 0) {
  static_assert(Kokkos::is_execution_space<ExecSpace>::value, "brownian_increments: space must be a Kokkos execution space");
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
  using Increments = typename BrownianIncrements<Real, Memory>::view_type;
  const int dim = tree.dimension();
  const std::size_t levy_extent = Levy == LevyArea::none ? 0 : paths;
  // every entry is written by the kernel: no initialization
  const auto allocate = [&](const char* label, std::size_t extent) {
    return Increments(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, std::string(label)), extent, count, dim);
  };
  BrownianIncrements<Real, Memory> out{allocate("W", paths), allocate("H", levy_extent),
                                       allocate("K", Levy == LevyArea::space_time_time ? paths : 0)};
  if (paths == 0 || count == 0) return out;
  const auto device_intervals = detail::copy_to_space(space, "qmcsim::brownian_increments::intervals", intervals);
  // Each path's intervals in as few runs as keep every thread busy (8 work items per thread): longer
  // runs reuse more of the cursor's cells.
  const auto busy = 8 * static_cast<std::size_t>(space.concurrency());
  const std::size_t items = paths * static_cast<std::size_t>(dim);
  const std::size_t wanted_runs = items >= busy ? 1 : (busy + items - 1) / items;
  const std::size_t runs = wanted_runs < count ? wanted_runs : count;
  const std::size_t run_length = (count + runs - 1) / runs;
  const auto total = static_cast<std::int64_t>(items * runs);
  Kokkos::parallel_for("qmcsim::brownian_increments",
                       Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>(space, 0, total),
                       detail::BrownianIncrementsKernel<Levy, Real, Memory, decltype(device_intervals)>{
                           tree, device_intervals, out.W, out.H, out.K, first_path, run_length, runs});
  return out;
}

/// brownian_increments(ExecSpace(), tree, paths, intervals, first_path): on Kokkos' default instance.
template <class ExecSpace, LevyArea Levy, class Real>
BrownianIncrements<Real, typename ExecSpace::memory_space> brownian_increments(
    const VirtualBrownianTree<Levy, Real>& tree, std::size_t paths,
    const Kokkos::View<const double* [2], Kokkos::HostSpace>& intervals, std::size_t first_path = 0) {
  return brownian_increments(ExecSpace(), tree, paths, intervals, first_path);
}

}  // namespace qmcsim
