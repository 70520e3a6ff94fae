// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/cubature/bayesian_cubature.hpp"

namespace qmcsim {

Periodization parse_periodization(const std::string& text) {
  if (text == "automatic") return Periodization::automatic;
  if (text == "none") return Periodization::none;
  if (text == "baker") return Periodization::baker;
  if (text == "c1sin") return Periodization::c1sin;
  throw error("periodization '" + detail::printable(text) + "' is unknown: use automatic, none, baker or c1sin");
}

namespace detail {

BayesianCubatureOptions resolved(BayesianCubatureOptions options, KernelFamily family) {
  const bool lattice = family == KernelFamily::shift_invariant;
  if (options.periodization == Periodization::automatic)
    options.periodization = lattice ? Periodization::c1sin : Periodization::none;
  if (options.smoothness == 0) options.smoothness = lattice && options.periodization == Periodization::c1sin ? 2 : 1;
  return options;
}

void check_bayesian_cubature(const BayesianCubatureOptions& options, KernelFamily family, std::size_t replications,
                             std::uint64_t max_points) {
  const char* where = "bayesian_cubature";
  require_tolerances(where, options.absolute_tolerance, options.relative_tolerance);
  require_in_range(where, "log2_max_points", options.log2_max_points, 1, 62);
  require_in_range(where, "log2_min_points", options.log2_min_points, 1, options.log2_max_points);
  require(max_points >= (std::uint64_t{1} << options.log2_max_points), where, ": 2^log2_max_points = 2^",
          options.log2_max_points, " exceeds the generator's ", max_points, " points");
  require(options.confidence > 0 && options.confidence < 1, where, ": confidence = ", options.confidence,
          " is outside (0, 1)");
  require_in_range(where, "smoothness", options.smoothness, 1, 4);
  require(replications == 1, where, ": the generator must have one replication, it has ", replications);
  require(family == KernelFamily::shift_invariant || options.periodization == Periodization::none, where,
          ": digital nets need no periodization (set it to none)");
  require(options.periodization != Periodization::baker || options.smoothness == 1, where,
          ": the tent (baker) transform leaves the integrand only continuous: use smoothness 1 (or c1sin)");
  require(options.nugget > 0, where, ": nugget = ", options.nugget, " must be positive");
  require(options.min_weight > 0 && options.min_weight < options.max_weight && std::isfinite(options.max_weight), where,
          ": weight bounds [", options.min_weight, ", ", options.max_weight, "] must satisfy 0 < min < max < inf");
}

}  // namespace detail
}  // namespace qmcsim
