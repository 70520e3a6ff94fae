// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/iid/iid_uniform.hpp: uniform and uncorrelated coordinates, independent
// replications, slices of one stream, identical numbers on every back end.

#include <gtest/gtest.h>

#include "qmcsim/iid/iid_uniform.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;

PointSetOptions iid_options(std::size_t d, std::size_t R) { return {d, PointOrder::natural, Randomization::none, R, 99}; }

TEST(IidUniform, GeneratesOnACallersInstance) {
  EXPECT_TRUE(test::generates_on_caller_instance(IidUniform<>(iid_options(4, 3)), {12345, 20000}));
}

TEST(IidUniform, CoordinatesAreUniformAndUncorrelated) {
  const auto x = test::to_host(IidUniform<Host>(iid_options(3, 2)).generate({0, 100000}));
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t j = 0; j < 3; ++j) {
      std::vector<double> values(100000);
      for (std::size_t i = 0; i < values.size(); ++i) values[i] = x(r, i, j);
      EXPECT_LT(test::ks_distance_to_uniform(values), test::ks_critical_distance(values.size(), 1e-6));
    }
  // correlation of coordinates 0 and 1, and of replication 0 and 1: |rho| < 6 / sqrt(n)
  for (auto pair : {std::array<std::size_t, 4>{0, 0, 0, 1}, std::array<std::size_t, 4>{0, 0, 1, 0}}) {
    double sum = 0;
    for (std::size_t i = 0; i < 100000; ++i) sum += (x(pair[0], i, pair[1]) - 0.5) * (x(pair[2], i, pair[3]) - 0.5);
    EXPECT_LT(std::abs(sum / 100000 * 12), 6 / std::sqrt(100000.0));
  }
}

TEST(IidUniform, RangesAreSlicesOfOneStream) {
  IidUniform<Host> iid(iid_options(5, 2));
  const auto whole = test::to_host(iid.generate({0, 1000}));
  const auto part = test::to_host(iid.generate({250, 600}));
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t i = 0; i < 350; ++i)
      for (std::size_t j = 0; j < 5; ++j) ASSERT_EQ(part(r, i, j), whole(r, i + 250, j));
}

#if defined(KOKKOS_ENABLE_SERIAL) && defined(KOKKOS_ENABLE_OPENMP)
TEST(IidUniform, SerialAndOpenMPAgreeBitwise) {
  const auto serial = test::to_host(IidUniform<Kokkos::Serial>(iid_options(7, 3)).generate({10, 2000}));
  const auto openmp = test::to_host(IidUniform<Kokkos::OpenMP>(iid_options(7, 3)).generate({10, 2000}));
  for (std::size_t k = 0; k < serial.size(); ++k) ASSERT_EQ(serial.data()[k], openmp.data()[k]);
}
#endif

TEST(IidUniform, RejectsBadInput) {
  EXPECT_THROW(IidUniform<Host>(iid_options(0, 1)), error);
  // iid points have no randomization and no order: asking for one is a mistake, not ignored
  for (Randomization how : {Randomization::nus, Randomization::shift, Randomization::lms_digital_shift}) {
    PointSetOptions options = iid_options(2, 1);
    options.randomization = how;
    EXPECT_THROW(IidUniform<Host>{options}, error) << to_string(how);
  }
  PointSetOptions gray = iid_options(2, 1);
  gray.order = PointOrder::gray;
  EXPECT_THROW(IidUniform<Host>{gray}, error);
  IidUniform<Host> iid(iid_options(2, 1));
  EXPECT_THROW(iid.generate({5, 4}), error);
}

}  // namespace
}  // namespace qmcsim
