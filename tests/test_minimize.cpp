// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/core/minimize.hpp: minima of functions whose minimizers are known.

#include <gtest/gtest.h>

#include <cmath>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/minimize.hpp"

namespace qmcsim {
namespace {

TEST(Minimize, FindsTheRosenbrockMinimum) {
  for (std::size_t n : {2u, 10u}) {
    const auto rosenbrock = [](const std::vector<double>& x, std::vector<double>& g) {
      double f = 0;
      std::fill(g.begin(), g.end(), 0.0);
      for (std::size_t i = 0; i + 1 < x.size(); ++i) {
        const double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
        f += 100 * a * a + b * b;
        g[i] += -400 * a * x[i] - 2 * b;
        g[i + 1] += 200 * a;
      }
      return f;
    };
    MinimizeOptions options;
    options.max_iterations = 2000;
    options.gradient_tolerance = 1e-10;
    const auto result = minimize(rosenbrock, std::vector<double>(n, -1.2), options);
    EXPECT_TRUE(result.converged) << result.status;
    for (double xi : result.x) EXPECT_NEAR(xi, 1.0, 1e-5);
    EXPECT_LT(result.value, 1e-10);
    EXPECT_GT(result.evaluations, 0);
  }
}

TEST(Minimize, QuadraticInOneStepOfItsDirection) {
  const auto quadratic = [](const std::vector<double>& x, std::vector<double>& g) {
    g = {2 * (x[0] - 3), 8 * (x[1] + 1)};
    return (x[0] - 3) * (x[0] - 3) + 4 * (x[1] + 1) * (x[1] + 1);
  };
  const auto result = minimize(quadratic, {0.0, 0.0});
  EXPECT_NEAR(result.x[0], 3, 1e-5);
  EXPECT_NEAR(result.x[1], -1, 1e-5);
  EXPECT_THROW(minimize(quadratic, {}), error);
  EXPECT_THROW(minimize(quadratic, {std::nan(""), 0.0}), error);
}

TEST(Minimize, NegativeObjectivesRunToTheirMinimum) {
  // f = (x - 2)^2 - 1000 is negative near its minimum, where a relative-decrease test would misfire
  const auto shifted = [](const std::vector<double>& x, std::vector<double>& g) {
    g = {2 * (x[0] - 2)};
    return (x[0] - 2) * (x[0] - 2) - 1000;
  };
  const auto result = minimize(shifted, {40.0});
  EXPECT_NEAR(result.x[0], 2, 1e-5);
}

}  // namespace
}  // namespace qmcsim
