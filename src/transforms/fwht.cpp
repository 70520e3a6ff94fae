// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/transforms/fwht.hpp"

namespace qmcsim::detail {

void check_fwht_shape(std::size_t n, std::size_t batch) {
  require(is_power_of_two(n), "FWHT: length n = ", n, " is not a power of two");
  require_in_range("FWHT", "length n", n, 1, std::size_t{1} << 30);
  require(batch >= 1, "FWHT: batch must be at least 1");
}

void check_fwht_data(std::size_t n, std::size_t batch, std::size_t extent0, std::size_t extent1) {
  require(extent0 == batch && extent1 == n, "FWHT: data has extents (", extent0, ", ", extent1,
          "), the plan expects (batch, n) = (", batch, ", ", n, ")");
}

}  // namespace qmcsim::detail
