// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/lattice/lattice.hpp"

namespace qmcsim {

namespace detail {

void check_lattice_options(const std::vector<GeneratingVector>& vectors, const LatticeOptions& options) {
  const char* where = "Lattice";
  check_point_set_options(where, options);
  require(vectors.size() == 1 || vectors.size() == options.replications, where, ": ", vectors.size(),
          " generating vectors for ", options.replications, " replications: give one, or one per replication");
  const GeneratingVector& vector = vectors.front();
  for (const GeneratingVector& other : vectors) {
    require(options.dimension <= other.dimension(), where, ": dimension = ", options.dimension, " exceeds the ",
            other.dimension(), " components of the generating vector '", other.name(), "'");
    require(other.modulus() == vector.modulus(), where, ": the generating vectors '", vector.name(), "' and '",
            other.name(), "' have different numbers of points (", vector.modulus(), " and ", other.modulus(),
            "); one lattice plan needs one n");
  }
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
