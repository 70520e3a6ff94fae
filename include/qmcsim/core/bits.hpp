// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Bit operations on 64-bit words, callable from host and device code.
///
/// Conventions used throughout qmcsim: a number u in [0, 1) is held as the 64-bit word
/// floor(u 2^64), most significant bit first (bit 63 is the digit of 2^-1). The radical inverse
/// of an index k in base 2 is then simply bit_reverse(k).

#include <Kokkos_Core.hpp>
#include <cstdint>

namespace qmcsim::bits {

/// Number of trailing zero bits; 64 for x == 0.
KOKKOS_FORCEINLINE_FUNCTION int count_trailing_zeros(std::uint64_t x) {
#if defined(__CUDA_ARCH__)
  return x == 0 ? 64 : __ffsll(static_cast<long long>(x)) - 1;
#else
  return x == 0 ? 64 : __builtin_ctzll(x);
#endif
}

/// Number of leading zero bits; 64 for x == 0.
KOKKOS_FORCEINLINE_FUNCTION int count_leading_zeros(std::uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __clzll(static_cast<long long>(x));
#else
  return x == 0 ? 64 : __builtin_clzll(x);
#endif
}

/// The number of 1 bits of x.
KOKKOS_FORCEINLINE_FUNCTION int popcount(std::uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __popcll(x);
#else
  return __builtin_popcountll(x);
#endif
}

/// Reverses the order of the 64 bits: bit_reverse(k) = 2^64 * (radical inverse of k in base 2).
KOKKOS_FORCEINLINE_FUNCTION std::uint64_t bit_reverse(std::uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __brevll(x);
#else
  x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
  x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
  x = ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((x & 0x0F0F0F0F0F0F0F0FULL) << 4);
  return __builtin_bswap64(x);
#endif
}

/// Gray code of i: consecutive codes differ in exactly one bit, the lowest set bit of i + 1.
KOKKOS_FORCEINLINE_FUNCTION constexpr std::uint64_t gray_code(std::uint64_t i) { return i ^ (i >> 1); }

/// Floor of log2(n) for n >= 1.
KOKKOS_FORCEINLINE_FUNCTION int floor_log2(std::uint64_t n) { return 63 - count_leading_zeros(n); }

/// The 64-bit word of a number in [0, 1) (see the file comment) as a floating-point value.
/// double keeps the leading 53 bits, float the leading 24: the result is exact and lies in [0, 1).
template <class Real>
KOKKOS_FORCEINLINE_FUNCTION Real to_unit_interval(std::uint64_t word) {
  if constexpr (sizeof(Real) == 4) {
    return static_cast<Real>(static_cast<std::uint32_t>(word >> 40)) * Real(0x1p-24);
  } else {
    return static_cast<Real>(word >> 11) * Real(0x1p-53);
  }
}

}  // namespace qmcsim::bits
