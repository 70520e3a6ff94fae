// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/transforms/fftbr.hpp"

#include "qmcsim/core/error.hpp"

namespace qmcsim::detail {

void check_fft_shape(std::size_t n, std::size_t batch) {
  require(is_power_of_two(n), "FFTBR: length n = ", n, " is not a power of two");
  require_in_range("FFTBR", "length n", n, 1, std::size_t{1} << 28);
  require(batch >= 1, "FFTBR: batch must be at least 1");
}

void check_fft_data(std::size_t n, std::size_t batch, std::size_t extent0, std::size_t extent1, std::size_t row_stride) {
  require(extent0 == batch && extent1 == n, "FFTBR: data has extents (", extent0, ", ", extent1,
          "), the plan expects (batch, n) = (", batch, ", ", n, ")");
  require(batch == 1 || row_stride == n, "FFTBR: data rows are ", row_stride, " entries apart, the transforms need ",
          "contiguous rows (", n, " apart): copy a strided subview into a View of its own first");
}

}  // namespace qmcsim::detail
