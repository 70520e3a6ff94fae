// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Reference values from Boost (Random's Sobol'/Niederreiter engines, Math's normal quantile), in a
// host-only translation unit: nvcc rejects some Boost headers, and the oracles need no device.

#include <cstdint>
#include <vector>

namespace qmcsim::test {

/// The first `count` points of boost::random::sobol (64-bit) in `dimension` dimensions, point-major.
std::vector<std::uint64_t> boost_sobol_words(std::size_t dimension, std::size_t count);
/// Column b = 0 .. columns-1 of each of Boost's Sobol' generating matrices, left-aligned, dimension-major:
/// the point of Gray-coded index 2^b (seeding the engine at position 2^(b+1) - 2 puts it there).
std::vector<std::uint64_t> boost_sobol_columns(std::size_t dimension, int columns);
/// The same for boost::random::niederreiter_base2.
std::vector<std::uint64_t> boost_niederreiter_words(std::size_t dimension, std::size_t count);
/// boost::math::quantile of the standard normal distribution.
double boost_normal_quantile(double p);

}  // namespace qmcsim::test
