// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/core/point_set.hpp: option spellings and the shared checks.

#include <gtest/gtest.h>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/point_set.hpp"

namespace qmcsim {
namespace {

TEST(PointSet, SpellingsRoundTrip) {
  for (const char* name : {"natural", "gray", "linear"}) EXPECT_EQ(to_string(parse_point_order(name)), name);
  EXPECT_EQ(parse_point_order("radical-inverse"), PointOrder::natural);
  for (const char* name : {"none", "shift", "ds", "lms", "lms-ds", "nus", "perm", "lms-perm"})
    EXPECT_EQ(to_string(parse_randomization(name)), name);
  EXPECT_THROW(parse_point_order("random"), error);
  EXPECT_THROW(parse_randomization("owen"), error);
}

TEST(PointSet, SharedChecks) {
  PointSetOptions options;
  options.dimension = 3;
  options.replications = 2;
  EXPECT_NO_THROW(detail::check_point_set_options("t", options));
  EXPECT_NO_THROW(detail::check_output_extents("t", options, {5, 9}, 2, 4, 3));
  EXPECT_THROW(detail::check_output_extents("t", options, {5, 9}, 2, 5, 3), error);
  options.replications = 0;
  EXPECT_THROW(detail::check_point_set_options("t", options), error);
  options.replications = 1;
  options.dimension = 0;
  EXPECT_THROW(detail::check_point_set_options("t", options), error);
}

}  // namespace
}  // namespace qmcsim
