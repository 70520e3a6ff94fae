// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/kernels/product_kernel.hpp"

#include "qmcsim/core/error.hpp"

namespace qmcsim {

std::string to_string(KernelFamily family) {
  return family == KernelFamily::shift_invariant ? "shift-invariant" : "digitally-shift-invariant";
}

void ProductKernel::check() const {
  const char* where = "ProductKernel";
  detail::require(!weights.empty(), where, ": at least one coordinate (weight) is needed");
  detail::require(smoothness.size() == weights.size(), where, ": ", weights.size(), " weights but ", smoothness.size(),
                  " smoothness orders");
  detail::require_finite(where, "scale", scale);
  detail::require(scale > 0, where, ": scale = ", scale, " must be positive");
  for (std::size_t j = 0; j < weights.size(); ++j) {
    detail::require_finite(where, "weight", weights[j]);
    detail::require(weights[j] > 0, where, ": weight gamma_", j + 1, " = ", weights[j], " must be positive");
    detail::require_in_range(where, "smoothness alpha", smoothness[j], 1, 4);
  }
}

}  // namespace qmcsim
