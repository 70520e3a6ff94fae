// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/kernels/gaussian_process.hpp"

namespace qmcsim::detail {

void check_gaussian_process(const ProductKernel& kernel, double nugget, std::size_t values, std::uint64_t n) {
  kernel.check();
  require_finite("FastGaussianProcess", "nugget", nugget);
  require(nugget > 0, "FastGaussianProcess: nugget = ", nugget, " must be positive");
  require(values == n, "FastGaussianProcess: ", values, " values for a design of n = ", n, " points");
}

}  // namespace qmcsim::detail
