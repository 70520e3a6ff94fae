// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The one source of randomness in qmcsim: the counter-based Philox4x32-10 generator of Random123
/// (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011).
///
/// Every random number is a pure function of (key, counter): no generator state is carried from
/// one number to the next. A result therefore does not depend on the execution space, the thread
/// count or the order in which work items run, and one 64-bit seed reproduces everything.
///
/// Counter layout: words 0..2 are chosen by the caller (an index, a replication, a dimension...),
/// word 3 is a `Stream` tag naming the purpose, so that two purposes never share a counter. Keys
/// for sub-streams (one per replication and dimension, say) are derived from the seed with
/// `derive_key`, itself a Philox evaluation.

#include <Kokkos_Core.hpp>
#include <Random123/philox.h>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "qmcsim/core/math.hpp"

namespace qmcsim {

/// The purpose of a random draw; the fourth counter word.
enum class Stream : std::uint32_t {
  key_derivation = 1,
  digital_shift = 2,
  linear_scramble = 3,
  nested_scramble = 4,
  lattice_shift = 5,
  digit_permutation = 6,
  monte_carlo = 7,
  nested_scramble_deep = 8,
  brownian = 9,
  diffusion_noise = 10,
  diffusion_directions = 11,
  random_generating_vector = 12,
  diffusion_step_noise = 13,
};

/// 128 random bits: four 32-bit words.
struct RandomBlock {
  std::uint32_t word[4];  ///< Philox-4x32's output

  /// Word pair (2 half, 2 half + 1) as one 64-bit number, half in {0, 1}.
  KOKKOS_FORCEINLINE_FUNCTION std::uint64_t u64(int half) const {
    return static_cast<std::uint64_t>(word[2 * half]) | (static_cast<std::uint64_t>(word[2 * half + 1]) << 32);
  }
  /// Bit `index` (0..127) of the block.
  KOKKOS_FORCEINLINE_FUNCTION std::uint32_t bit(int index) const { return (word[index >> 5] >> (index & 31)) & 1u; }
};

/// Philox4x32-10 at counter (a, b, c, stream) under a 64-bit key.
KOKKOS_FORCEINLINE_FUNCTION RandomBlock philox(std::uint64_t key, std::uint32_t a, std::uint32_t b, std::uint32_t c,
                                               Stream stream) {
  r123::Philox4x32 generator;
  const r123::Philox4x32::ctr_type counter = {{a, b, c, static_cast<std::uint32_t>(stream)}};
  const r123::Philox4x32::key_type philox_key = {
      {static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)}};
  const auto out = generator(counter, philox_key);
  return RandomBlock{{out[0], out[1], out[2], out[3]}};
}

/// Philox at a counter whose first two words hold a 64-bit index.
KOKKOS_FORCEINLINE_FUNCTION RandomBlock philox(std::uint64_t key, std::uint64_t index, std::uint32_t c, Stream stream) {
  return philox(key, static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32), c, stream);
}

/// A key for the sub-stream (stream, a, b) of `seed`, e.g. one per (replication, dimension).
KOKKOS_FORCEINLINE_FUNCTION std::uint64_t derive_key(std::uint64_t seed, Stream stream, std::uint32_t a,
                                                     std::uint32_t b) {
  return philox(seed, a, b, static_cast<std::uint32_t>(stream), Stream::key_derivation).u64(0);
}

/// A uniform number in the open interval (0, 1): the midpoint of one of 2^52 equal cells, chosen by
/// the leading 52 bits of a random word (exact in double, so never 0 or 1).
KOKKOS_FORCEINLINE_FUNCTION double open_unit_interval(std::uint64_t word) {
  return (static_cast<double>(word >> 12) + 0.5) * 0x1p-52;
}

/// floor(word * bound / 2^64): an integer in [0, bound) whose bias is below bound / 2^64 (Lemire).
KOKKOS_FORCEINLINE_FUNCTION std::uint64_t scale_below(std::uint64_t word, std::uint64_t bound) {
#if defined(__CUDA_ARCH__)
  return __umul64hi(word, bound);
#else
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(word) * bound) >> 64);
#endif
}

/// Two independent standard normals from one block by the Box-Muller transform, computed in `Real`
/// (float or double): u1 in (0, 1) from the first 64-bit half, u2 from the second, each the midpoint
/// of one of 2^(digits - 2) cells, which `Real` represents exactly (never 0 or 1).
template <class Real>
struct NormalPair {
  Real first;   ///< sqrt(-2 log u1) cos(2 pi u2)
  Real second;  ///< sqrt(-2 log u1) sin(2 pi u2)
};

/// A block's Box-Muller transform before its square root: -2 log u1, cos(2 pi u2) and sin(2 pi u2).
/// In double these are plain arithmetic (`math::log_of_positive`, `math::cos_sin_of_turns`), so a
/// host loop that fills many of them vectorizes; the square root, which would stop it (errno), comes
/// after, in `normal_pair`.
template <class Real>
struct BoxMullerParts {
  Real radius_squared;  ///< -2 log u1
  Real cos;             ///< cos(2 pi u2)
  Real sin;             ///< sin(2 pi u2)
};

/// The parts of `block`'s normal pair (see BoxMullerParts).
template <class Real>
KOKKOS_FORCEINLINE_FUNCTION BoxMullerParts<Real> box_muller_parts(const RandomBlock& block) {
  constexpr int bits = std::numeric_limits<Real>::digits - 2;
  constexpr Real cell = Real(1) / static_cast<Real>(std::uint64_t(1) << bits);
  if constexpr (std::is_same_v<Real, double>) {
    const double u1 = (math::detail::small_integer(block.u64(0) >> (64 - bits)) + 0.5) * cell;
    const double u2 = (math::detail::small_integer(block.u64(1) >> (64 - bits)) + 0.5) * cell;
    const math::CosSin angle = math::cos_sin_of_turns(u2);
    return {-2 * math::log_of_positive(u1), angle.cos, angle.sin};
  } else {
    const Real u1 = (static_cast<Real>(block.u64(0) >> (64 - bits)) + Real(0.5)) * cell;
    const Real u2 = (static_cast<Real>(block.u64(1) >> (64 - bits)) + Real(0.5)) * cell;
    const Real angle = Real(6.283185307179586476925) * u2;
    return {Real(-2) * math::log(u1), math::cos(angle), math::sin(angle)};
  }
}

/// The normal pair of `parts`: sqrt(radius_squared) (cos, sin).
template <class Real>
KOKKOS_FORCEINLINE_FUNCTION NormalPair<Real> normal_pair(const BoxMullerParts<Real>& parts) {
  const Real radius = math::sqrt(parts.radius_squared);
  return {radius * parts.cos, radius * parts.sin};
}

/// The two normals of `block` (see NormalPair).
template <class Real>
KOKKOS_FORCEINLINE_FUNCTION NormalPair<Real> normal_pair(const RandomBlock& block) {
  return normal_pair(box_muller_parts<Real>(block));
}

}  // namespace qmcsim
