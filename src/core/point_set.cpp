// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/core/point_set.hpp"

#include <limits>

#include "qmcsim/core/error.hpp"

namespace qmcsim {

PointOrder parse_point_order(const std::string& text) {
  if (text == "natural" || text == "radical-inverse") return PointOrder::natural;
  if (text == "gray") return PointOrder::gray;
  if (text == "linear") return PointOrder::linear;
  throw error("order '" + text + "' is unknown: use natural (or radical-inverse), gray or linear");
}

Randomization parse_randomization(const std::string& text) {
  if (text == "none") return Randomization::none;
  if (text == "shift") return Randomization::shift;
  if (text == "ds") return Randomization::digital_shift;
  if (text == "lms") return Randomization::lms;
  if (text == "lms-ds") return Randomization::lms_digital_shift;
  if (text == "nus") return Randomization::nus;
  if (text == "perm") return Randomization::permutation;
  if (text == "lms-perm") return Randomization::lms_permutation;
  throw error("randomization '" + text + "' is unknown: use none, shift, ds, lms, lms-ds, nus, perm or lms-perm");
}

std::string to_string(PointOrder order) {
  switch (order) {
    case PointOrder::natural: return "natural";
    case PointOrder::gray: return "gray";
    case PointOrder::linear: return "linear";
  }
  return "?";
}

std::string to_string(Randomization randomization) {
  switch (randomization) {
    case Randomization::none: return "none";
    case Randomization::shift: return "shift";
    case Randomization::digital_shift: return "ds";
    case Randomization::lms: return "lms";
    case Randomization::lms_digital_shift: return "lms-ds";
    case Randomization::nus: return "nus";
    case Randomization::permutation: return "perm";
    case Randomization::lms_permutation: return "lms-perm";
  }
  return "?";
}

namespace detail {

void check_point_set_options(const char* where, const PointSetOptions& options) {
  constexpr std::size_t counter_limit = std::numeric_limits<std::uint32_t>::max();
  require_in_range(where, "dimension", options.dimension, 1, counter_limit);
  require_in_range(where, "replications", options.replications, 1, counter_limit);
}

void check_output_extents(const char* where, const PointSetOptions& options, const IndexRange& range,
                          std::size_t extent0, std::size_t extent1, std::size_t extent2) {
  require(extent0 == options.replications && extent1 == range.size() && extent2 == options.dimension, where,
          ": output view has extents (", extent0, ", ", extent1, ", ", extent2,
          "), expected (replications, points, dimension) = (", options.replications, ", ", range.size(), ", ",
          options.dimension, ")");
}

}  // namespace detail
}  // namespace qmcsim
