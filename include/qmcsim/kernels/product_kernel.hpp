// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Product kernels matched to lattices and digital nets (QMCPy's KernelShiftInvar and
/// KernelDigShiftInvar, arXiv 2502.14256):
///
///   K(x, z) = S prod_{j=1}^d (1 + gamma_j Ktilde_{alpha_j}(x_j (-) z_j)),
///
/// with scale S > 0, weights gamma_j > 0 and smoothness alpha_j in 1..4, where (-) is
///  * shift invariant (lattices): the difference modulo 1, and
///      Ktilde_alpha(u) = (-1)^{alpha+1} (2 pi)^{2 alpha} / (2 alpha)! B_{2 alpha}(u)
///                      = sum_{h != 0} e^{2 pi i h u} / |h|^{2 alpha}       (B_n: Bernoulli polynomials);
///  * digitally shift invariant (base-2 nets): the digit-wise XOR, and
///      Ktilde_alpha(u) = sum_{k >= 1} r_alpha(k) wal_k(u),  r_1(k) = 2^{1 - 2 mu_1(k)},  r_alpha(k) = 2^{-mu_alpha(k)},
///    mu_alpha(k) the sum of the alpha largest positions of the 1-bits of k (Dick 2008), in the closed
///    forms of Dick (2008, 2009) with beta(u) = -floor(log2 u), t_nu(u) = 2^{-nu beta(u)} (0 at u = 0):
///      Ktilde_1 = 1 - 3 t_1,  Ktilde_2 = -beta u + 5/2 (1 - t_1) - 1,
///      Ktilde_3 = beta u^2 - 5 (1 - t_1) u + 43/18 (1 - t_2) - 1,
///      Ktilde_4 = -2/3 beta u^3 + 5 (1 - t_1) u^2 - 43/9 (1 - t_2) u + 701/294 (1 - t_3)
///                 + beta (1/48 sum_{a >= 0} wal_{2^a}(u) 2^{-3a} - 1/42) - 1.
/// Every Ktilde integrates to 0 over [0,1), so int K(x, z) dz = S. Coordinates are the 64-bit words
/// of core/bits.hpp: differences and XORs are exact.

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "qmcsim/core/bits.hpp"

namespace qmcsim {

/// Which (-) a kernel's coordinates are compared by (see the file comment).
enum class KernelFamily {
  shift_invariant,           ///< x - z modulo 1: lattices
  digitally_shift_invariant  ///< x XOR z: digital nets
};

/// "shift-invariant" or "digitally-shift-invariant".
std::string to_string(KernelFamily family);

/// The kernel K(x, z) = S prod_j (1 + gamma_j Ktilde_{alpha_j}(x_j (-) z_j)) of the file comment.
struct ProductKernel {
  KernelFamily family = KernelFamily::shift_invariant;  ///< the (-) and the Ktilde
  double scale = 1;                                     ///< S
  std::vector<double> weights;  ///< gamma_j, one per coordinate
  std::vector<int> smoothness;  ///< alpha_j in 1..4, one per coordinate

  /// d, the number of coordinates.
  std::size_t dimension() const { return weights.size(); }
  /// Throws qmcsim::error unless sizes agree, scale and weights are positive and finite, alpha in 1..4.
  void check() const;
};

namespace kernels {

/// Ktilde_alpha of the shift-invariant family at the difference word (x - z mod 2^64).
KOKKOS_INLINE_FUNCTION double shift_invariant(int alpha, std::uint64_t difference) {
  const double u = static_cast<double>(difference) * 0x1p-64;
  const double u2 = u * u;
  constexpr double pi2 = M_PI * M_PI;
  switch (alpha) {
    case 1: return 2 * pi2 * (u2 - u + 1.0 / 6);
    case 2: return -2 * pi2 * pi2 / 3 * (u2 * (u2 - 2 * u + 1) - 1.0 / 30);
    case 3: return 4 * pi2 * pi2 * pi2 / 45 * (u2 * (u2 * (u2 - 3 * u + 2.5) - 0.5) + 1.0 / 42);
    default: return -2 * pi2 * pi2 * pi2 * pi2 / 315 *
                    (u2 * (u2 * (u2 * (u2 - 4 * u + 14.0 / 3) - 7.0 / 3) + 2.0 / 3) - 1.0 / 30);
  }
}

/// Ktilde_alpha of the digitally-shift-invariant family at the XOR word x ^ z.
KOKKOS_INLINE_FUNCTION double digitally_shift_invariant(int alpha, std::uint64_t xor_word) {
  // beta = -floor(log2 u) = position of the leading 1 digit; beta = t = 0 at u = 0
  const int beta = xor_word == 0 ? 0 : bits::count_leading_zeros(xor_word) + 1;
  const double u = static_cast<double>(xor_word) * 0x1p-64;
  const double t1 = xor_word == 0 ? 0 : ::ldexp(1.0, -beta);
  if (alpha == 1) return 1 - 3 * t1;
  const double t2 = t1 * t1;
  if (alpha == 2) return -beta * u + 2.5 * (1 - t1) - 1;
  if (alpha == 3) return beta * u * u - 5 * (1 - t1) * u + 43.0 / 18 * (1 - t2) - 1;
  double walsh_sum = 0;  // sum_a wal_{2^a}(u) 2^{-3a}, wal_{2^a}(u) = (-1)^{digit a+1 of u}
  for (int a = 21; a >= 0; --a) walsh_sum = walsh_sum * 0.125 + (((xor_word >> (63 - a)) & 1) ? -1.0 : 1.0);
  return -2.0 / 3 * beta * u * u * u + 5 * (1 - t1) * u * u - 43.0 / 9 * (1 - t2) * u + 701.0 / 294 * (1 - t2 * t1) +
         beta * (walsh_sum / 48 - 1.0 / 42) - 1;
}

/// Ktilde_alpha(x (-) z) of `family` for the coordinate words x and z.
KOKKOS_INLINE_FUNCTION double factor(KernelFamily family, int alpha, std::uint64_t x, std::uint64_t z) {
  return family == KernelFamily::shift_invariant ? shift_invariant(alpha, x - z) : digitally_shift_invariant(alpha, x ^ z);
}

}  // namespace kernels

/// A ProductKernel's parameters on a device, evaluable inside kernels.
template <class MemorySpace>
struct DeviceKernel {
  KernelFamily family;                               ///< the (-) and the Ktilde
  double scale;                                      ///< S
  Kokkos::View<const double*, MemorySpace> weights;  ///< gamma_j
  Kokkos::View<const int*, MemorySpace> smoothness;  ///< alpha_j

  /// K(x, z) for coordinate words x[0..d), z[0..d) (stride 1).
  KOKKOS_INLINE_FUNCTION double operator()(const std::uint64_t* x, const std::uint64_t* z) const {
    return scale * (1 + product_minus_one(x, z));
  }

  /// K(x, z) / S - 1 = prod_j (1 + a_j) - 1 without forming 1 + (something small): accumulated as
  /// m_j = m_{j-1} + a_j (1 + m_{j-1}), so it keeps its relative accuracy when the weights are small
  /// (where 1 + m would round m away).
  KOKKOS_INLINE_FUNCTION double product_minus_one(const std::uint64_t* x, const std::uint64_t* z) const {
    double m = 0;
    for (std::size_t j = 0; j < weights.extent(0); ++j)
      m += weights(j) * kernels::factor(family, smoothness(j), x[j], z[j]) * (1 + m);
    return m;
  }
};

/// `kernel`'s parameters copied to MemorySpace; throws qmcsim::error when kernel.check() fails.
template <class MemorySpace>
DeviceKernel<MemorySpace> device_kernel(const ProductKernel& kernel) {
  kernel.check();
  Kokkos::View<double*, MemorySpace> weights("qmcsim::kernel::weights", kernel.dimension());
  Kokkos::View<int*, MemorySpace> smoothness("qmcsim::kernel::smoothness", kernel.dimension());
  auto w = Kokkos::create_mirror_view(weights);
  auto a = Kokkos::create_mirror_view(smoothness);
  for (std::size_t j = 0; j < kernel.dimension(); ++j) {
    w(j) = kernel.weights[j];
    a(j) = kernel.smoothness[j];
  }
  Kokkos::deep_copy(weights, w);
  Kokkos::deep_copy(smoothness, a);
  return {kernel.family, kernel.scale, weights, smoothness};
}

}  // namespace qmcsim
