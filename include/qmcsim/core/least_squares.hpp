// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Linear least squares on the host: beta minimizing |y - X beta|_2 for a tall X (rows x columns,
/// row-major), by Eigen's column-pivoting Householder QR, so that a rank-deficient X (two equal
/// control variates, a constant one) still gets a solution: the minimal one among its columns' span.
/// Used where a few coefficients are fitted (control variates); free of Kokkos.
///
///   const auto beta = qmcsim::least_squares(x, 2, y);   // x holds y.size() rows of 2

#include <cstddef>
#include <vector>

namespace qmcsim {

/// Throws qmcsim::error when x does not hold y.size() rows of `columns` values, or is not finite.
std::vector<double> least_squares(const std::vector<double>& x, std::size_t columns, const std::vector<double>& y);

}  // namespace qmcsim
