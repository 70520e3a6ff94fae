// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/core/error.hpp: the messages name the parameter, the value and the allowed range.

#include <gtest/gtest.h>

#include <cmath>

#include "qmcsim/core/error.hpp"

namespace qmcsim {
namespace {

std::string message_of(void (*f)()) {
  try {
    f();
  } catch (const error& e) {
    return e.what();
  }
  return "";
}

TEST(Error, RangeMessagesNameParameterValueAndBounds) {
  const std::string message = message_of([] { detail::require_in_range("sobol", "dimension", 4000, 1, 3667, "table"); });
  EXPECT_EQ(message, "sobol: dimension = 4000 is outside [1, 3667] (table)");
  EXPECT_EQ(message_of([] { detail::require_in_range("f", "x", 2.5, 0, 1); }), "f: x = 2.5 is outside [0, 1]");
  EXPECT_EQ(message_of([] { detail::require_in_range("f", "x", 0.5, 0, 1); }), "");
}

TEST(Error, NonFiniteNumbersAreRejected) {
  EXPECT_THROW(detail::require_finite("f", "beta", std::nan("")), error);
  EXPECT_THROW(detail::require_finite("f", "beta", INFINITY), error);
  EXPECT_NO_THROW(detail::require_finite("f", "beta", 0.3));
  EXPECT_THROW(detail::require_in_range("f", "beta", std::nan(""), 0.0, 1.0), error);
}

TEST(Error, IsAnInvalidArgument) {
  EXPECT_THROW(detail::require(false, "x"), std::invalid_argument);
  EXPECT_TRUE(detail::is_power_of_two(1024));
  EXPECT_FALSE(detail::is_power_of_two(0));
  EXPECT_FALSE(detail::is_power_of_two(1000));
}

}  // namespace
}  // namespace qmcsim
