// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Host-only (Eigen): compiled by the host compiler alone, also in the CUDA configuration.

#include "qmcsim/core/least_squares.hpp"

#include <Eigen/QR>

#include "qmcsim/core/error.hpp"

namespace qmcsim {

std::vector<double> least_squares(const std::vector<double>& x, std::size_t columns, const std::vector<double>& y) {
  const std::size_t rows = y.size();
  detail::require(columns >= 1 && x.size() == rows * columns, "least_squares: x has ", x.size(), " entries; ", rows,
                  " rows of ", columns, " need ", rows * columns);
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const Matrix> a(x.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns));
  const Eigen::Map<const Eigen::VectorXd> b(y.data(), static_cast<Eigen::Index>(rows));
  detail::require(a.allFinite() && b.allFinite(), "least_squares: the data are not all finite numbers");
  const Eigen::VectorXd beta = a.colPivHouseholderQr().solve(b);
  return {beta.data(), beta.data() + beta.size()};
}

}  // namespace qmcsim
