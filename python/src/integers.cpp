// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "integers.hpp"

#include "qmcsim/core/error.hpp"

namespace qmcsim::python {

std::uint64_t unsigned_argument(const Integer& x, const char* where, const char* name, std::uint64_t low,
                                std::uint64_t high) {
  const bool fits = x.in_range && low <= x.magnitude && x.magnitude <= high;
  if (!fits) {
    const std::string value = x.in_range ? std::to_string(x.magnitude) : x.text;
    if (low == 0 && high == std::numeric_limits<std::uint64_t>::max())
      detail::require(false, where, ": ", name, " = ", value, " must be a non-negative integer below 2^64");
    detail::require(false, where, ": ", name, " = ", value, " is outside [", low, ", ", high, "]");
  }
  return x.magnitude;
}

}  // namespace qmcsim::python
