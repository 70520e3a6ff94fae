#include "qmcsim/transforms/fftbr.hpp"

#include "qmcsim/core/error.hpp"

namespace qmcsim::detail {

void check_fft_shape(std::size_t n, std::size_t batch) {
  require(is_power_of_two(n), "FFTBR: length n = ", n, " is not a power of two");
  require_in_range("FFTBR", "length n", n, 1, std::size_t{1} << 28);
  require(batch >= 1, "FFTBR: batch must be at least 1");
}

void check_fft_data(std::size_t n, std::size_t batch, std::size_t extent0, std::size_t extent1) {
  require(extent0 == batch && extent1 == n, "FFTBR: data has extents (", extent0, ", ", extent1,
          "), the plan expects (batch, n) = (", batch, ", ", n, ")");
}

}  // namespace qmcsim::detail
