// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/cubature/measure.hpp: against(mu, g) evaluates |mu| g(T(x)), and refuses a function
// of another dimension and a measure beyond the buffer's capacity.

#include <gtest/gtest.h>

#include "qmcsim/core/error.hpp"
#include "qmcsim/cubature/measure.hpp"
#include "qmcsim/cubature/measures.hpp"

namespace qmcsim {
namespace {

struct SumOfSquares {
  int dimension;
  KOKKOS_INLINE_FUNCTION double operator()(const double* t) const {
    double sum = 0;
    for (int j = 0; j < dimension; ++j) sum += t[j] * t[j];
    return sum;
  }
};

TEST(Against, EvaluatesTheMassTimesTheFunctionOfTheTransformedPoint) {
  const auto box = BoxMeasure<Kokkos::HostSpace>::lebesgue({-1, 2, 0}, {1, 4, 0.5});  // volume 2
  const auto f = against(box, SumOfSquares{3});
  const double x[3] = {0.25, 0.5, 1};
  EXPECT_DOUBLE_EQ(f(x), 2 * (0.25 + 9 + 0.25));
  EXPECT_EQ(f.dimension(), 3u);
}

TEST(Against, RefusesAnotherDimensionAndMoreThanTheCapacity) {
  const auto box = BoxMeasure<Kokkos::HostSpace>::uniform(std::vector<double>(5, 0), std::vector<double>(5, 1));
  EXPECT_THROW(against(box, SumOfSquares{4}), error);
  EXPECT_THROW(against<4>(box, SumOfSquares{5}), error);
  EXPECT_NO_THROW(against<5>(box, SumOfSquares{5}));
  try {
    against<4>(box, SumOfSquares{5});
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("dimension 5 is outside [1, 4]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace qmcsim
