// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/digital_net/digital_net.hpp"

namespace qmcsim::detail {

void check_digital_net_options(const std::vector<GeneratingMatrices>& matrices, const DigitalNetOptions& options) {
  const char* where = "DigitalNet";
  check_point_set_options(where, options);
  require_in_range(where, "alpha", options.alpha, 1, max_alpha);
  require(options.order == PointOrder::natural || options.order == PointOrder::gray, where, ": order '",
          to_string(options.order), "' is not available: digital nets use natural or gray");
  const Randomization how = options.randomization;
  require(how == Randomization::none || how == Randomization::digital_shift || how == Randomization::lms ||
              how == Randomization::lms_digital_shift || how == Randomization::nus,
          where, ": randomization '", to_string(how), "' is not available: digital nets use none, ds, lms, lms-ds or nus");
  require(matrices.size() == 1 || matrices.size() == options.replications, where, ": ", matrices.size(),
          " sets of generating matrices for ", options.replications, " replications: give one, or one per replication");
  const std::size_t base_dims = options.dimension * static_cast<std::size_t>(options.alpha);
  for (const GeneratingMatrices& set : matrices) {
    require(base_dims <= set.dimension(), where, ": dimension * alpha = ", options.dimension, " * ", options.alpha,
            " = ", base_dims, " exceeds the ", set.dimension(), " coordinates of the generating matrices '", set.name(),
            "'");
    require(set.columns() == matrices.front().columns(), where, ": the generating matrices '", matrices.front().name(),
            "' and '", set.name(), "' have different numbers of columns (", matrices.front().columns(), " and ",
            set.columns(), "); one net plan needs one m");
  }
}

}  // namespace qmcsim::detail
