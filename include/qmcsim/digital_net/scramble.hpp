// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Base-2 digit operations behind digital-net randomization, on left-aligned 64-bit words
/// (bit 63 = digit of 2^-1, see core/bits.hpp).
///
/// * Linear matrix scrambling (LMS, Matousek 1998): y = L x with L a random lower-triangular binary
///   64 x 64 matrix with unit diagonal; applied to every column of a generating matrix it gives the
///   generating matrix of the scrambled net.
/// * Nested uniform scrambling (NUS, Owen 1995): digit p of y is digit p of x flipped by a random
///   bit attached to the node (x_0 ... x_{p-1}) of the binary tree of digit prefixes. The tree is
///   never stored: the flips of the 127 nodes of a depth-7 subtree are the 127 leading bits of one
///   Philox block keyed by the subtree's root prefix, so NUS of 56 digits costs 8 Philox calls, is
///   exact (every node has its own independent bit) and consistent across any index range.
/// * Digital interlacing of order alpha (Dick 2008): digit q of input l becomes digit q alpha + l.

#include <cstdint>

#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/random.hpp"

namespace qmcsim::scramble {

/// Depth of the nested-scrambling subtree resolved by one 128-bit Philox block.
inline constexpr int nus_block_depth = 7;

/// Digits of one coordinate that reach a double (53) after interlacing of order alpha, rounded up
/// to whole subtree blocks: the depth to which NUS scrambles each base coordinate.
KOKKOS_INLINE_FUNCTION constexpr int nus_depth(int alpha) {
  const int digits = (53 + alpha - 1) / alpha;
  return (digits + nus_block_depth - 1) / nus_block_depth * nus_block_depth;
}

/// y = L x over GF(2), L given by its rows: bit (63 - q) of rows[p] is L[p][q].
KOKKOS_INLINE_FUNCTION std::uint64_t lower_triangular_product(const std::uint64_t* rows, std::uint64_t x) {
  std::uint64_t y = 0;
  for (int p = 0; p < 64; ++p) y |= static_cast<std::uint64_t>(bits::popcount(rows[p] & x) & 1) << (63 - p);
  return y;
}

/// Row p of a random LMS matrix: unit diagonal, uniform random bits left of it, zeros right of it.
KOKKOS_INLINE_FUNCTION std::uint64_t lms_row(std::uint64_t key, int p) {
  const std::uint64_t diagonal = std::uint64_t{1} << (63 - p);
  if (p == 0) return diagonal;
  const std::uint64_t left_of_diagonal = ~std::uint64_t{0} << (64 - p);
  const std::uint64_t random = philox(key, static_cast<std::uint32_t>(p), 0, 0, Stream::linear_scramble).u64(0);
  return (random & left_of_diagonal) | diagonal;
}

/// Owen's nested uniform scrambling of the leading `depth` digits of x (depth a multiple of 7);
/// `key` selects the scrambling tree (one per replication and coordinate).
KOKKOS_INLINE_FUNCTION std::uint64_t nested_uniform(std::uint64_t key, std::uint64_t x, int depth) {
  std::uint64_t flips = 0;
  for (int top = 0; top < depth; top += nus_block_depth) {
    const std::uint64_t root_prefix = top == 0 ? 0 : x >> (64 - top);
    const RandomBlock node_bits = philox(key, root_prefix, static_cast<std::uint32_t>(top), Stream::nested_scramble);
    const std::uint64_t below_root = x << top;
    for (int level = 0; level < nus_block_depth; ++level) {
      // heap numbering of the subtree: level l holds nodes 2^l - 1 ... 2^(l+1) - 2
      const int path = level == 0 ? 0 : static_cast<int>(below_root >> (64 - level));
      const int node = (1 << level) - 1 + path;
      flips |= static_cast<std::uint64_t>(node_bits.bit(node)) << (63 - top - level);
    }
  }
  return x ^ flips;
}

/// Digital interlacing: digit q of words[l] becomes digit q alpha + l of the result (64 digits kept).
KOKKOS_INLINE_FUNCTION std::uint64_t interlace(const std::uint64_t* words, int alpha) {
  std::uint64_t y = 0;
  for (int p = 0; p < 64; ++p) {
    const int q = p / alpha;
    const int l = p - q * alpha;
    y |= ((words[l] >> (63 - q)) & 1) << (63 - p);
  }
  return y;
}

}  // namespace qmcsim::scramble
