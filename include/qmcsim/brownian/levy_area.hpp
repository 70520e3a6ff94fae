// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// APPROXIMATE space-space Lévy area A^{ij}_{s,t} = (1/2) int_s^t (W^i_{s,u} dW^j_u - W^j_{s,u} dW^i_u)
/// for multi-dimensional noise, from the increments and space-time Lévy areas of a virtual Brownian
/// tree (as torchsde offers). Exact sampling of A is not attempted; the approximations are
///   A^{ij} ~ H^i W^j - W^i H^j + lambda^{ij},   lambda^{ij} ~ N(0, sigma^2) given (W, H),
/// where H^i W^j - W^i H^j = E[A^{ij} | W, H] exactly (Foster 2020) and
///   Davie:  sigma^2 = h^2 / 12                                (matches the variance of A, h^2 / 4),
///   Foster: sigma^2 = h^2 / 20 + (h / 5) ((H^i)^2 + (H^j)^2)  (the same total variance, spread
///           according to the size of H as in Foster, "An optimal polynomial approximation of
///           Brownian motion", SIAM J. Numer. Anal. 2020).
/// Both have the exact mean and covariance of A jointly with (W, H) but are not exactly distributed,
/// and, unlike W, H and K, the value over [r, t] is not the Chen combination of those over [r, s] and
/// [s, t]. The normal lambda is a Philox draw keyed by (path, i, j, s, t), so a repeated query
/// returns the same value.

#include <Kokkos_Core.hpp>

#include "qmcsim/brownian/virtual_brownian_tree.hpp"

namespace qmcsim {

/// The conditional variance of the space-space Lévy area's normal part (see the file comment).
enum class LevyAreaApproximation {
  davie,  ///< sigma^2 = h^2 / 12
  foster  ///< sigma^2 = h^2 / 20 + (h / 5) ((H^i)^2 + (H^j)^2)
};

/// The approximate A^{ij}_{s,t} of path `path` (i != j; A^{ji} = -A^{ij}, A^{ii} = 0).
template <LevyArea Levy, class Real>
KOKKOS_INLINE_FUNCTION Real approximate_levy_area(const VirtualBrownianTree<Levy, Real>& tree, std::uint32_t path,
                                                  int i, int j, double s, double t,
                                                  LevyAreaApproximation approximation) {
  static_assert(Levy != LevyArea::none, "the Lévy area approximation needs the space-time Lévy area H");
  if (i == j) return Real(0);
  const bool swapped = i > j;
  if (swapped) {
    const int k = i;
    i = j;
    j = k;
  }
  const BrownianIncrement<Real> a = tree.increment(path, i, s, t), b = tree.increment(path, j, s, t);
  const Real h = static_cast<Real>(t - s);
  const Real variance = approximation == LevyAreaApproximation::davie
                            ? h * h / 12
                            : h * h / 20 + h / 5 * (a.H * a.H + b.H * b.H);
  const std::uint64_t key = derive_key(tree.seed() ^ math::detail::bits_of(s), Stream::brownian,
                                       static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
  const Real lambda = math::sqrt(variance) *
                      normal_pair<Real>(philox(key, math::detail::bits_of(t), path, Stream::brownian)).first;
  const Real area = a.H * b.W - a.W * b.H + lambda;
  return swapped ? -area : area;
}

}  // namespace qmcsim
