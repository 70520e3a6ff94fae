// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/digital_net/digital_net.hpp"

namespace qmcsim::detail {

void check_digital_net_options(const GeneratingMatrices& matrices, const DigitalNetOptions& options) {
  const char* where = "DigitalNet";
  check_point_set_options(where, options);
  require_in_range(where, "alpha", options.alpha, 1, max_alpha);
  require(options.order == PointOrder::natural || options.order == PointOrder::gray, where, ": order '",
          to_string(options.order), "' is not available: digital nets use natural or gray");
  const Randomization how = options.randomization;
  require(how == Randomization::none || how == Randomization::digital_shift || how == Randomization::lms ||
              how == Randomization::lms_digital_shift || how == Randomization::nus,
          where, ": randomization '", to_string(how), "' is not available: digital nets use none, ds, lms, lms-ds or nus");
  const std::size_t base_dims = options.dimension * static_cast<std::size_t>(options.alpha);
  require(base_dims <= matrices.dimension(), where, ": dimension * alpha = ", options.dimension, " * ", options.alpha,
          " = ", base_dims, " exceeds the ", matrices.dimension(), " coordinates of the generating matrices '",
          matrices.name(), "'");
}

}  // namespace qmcsim::detail
