// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/lattice/lattice.hpp"

namespace qmcsim {

namespace detail {

void check_lattice_options(const GeneratingVector& vector, const LatticeOptions& options) {
  const char* where = "Lattice";
  check_point_set_options(where, options);
  require(options.dimension <= vector.dimension(), where, ": dimension = ", options.dimension, " exceeds the ",
          vector.dimension(), " components of the generating vector '", vector.name(), "'");
  require(options.randomization == Randomization::none || options.randomization == Randomization::shift, where,
          ": randomization '", to_string(options.randomization), "' is not available: lattices use none or shift");
  if (!vector.extensible()) {
    require(options.order == PointOrder::linear && options.linear_size == vector.modulus(), where,
            ": the ordinary lattice '", vector.name(), "' has n = ", vector.modulus(),
            " points (not a power of two): it needs linear order with linear_size = ", vector.modulus(), ", got order '",
            to_string(options.order), "' and linear_size = ", options.linear_size);
  } else if (options.order == PointOrder::linear) {
    require(is_power_of_two(options.linear_size) && options.linear_size <= vector.modulus(), where,
            ": linear order needs linear_size = a power of two up to 2^", vector.log2_points(), ", got ",
            options.linear_size);
  } else {
    require(options.linear_size == 0, where, ": linear_size is only meaningful in linear order");
  }
}

}  // namespace detail
}  // namespace qmcsim
