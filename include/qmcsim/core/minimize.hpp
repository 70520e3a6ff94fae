// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Unconstrained minimization by L-BFGS, delegated to libLBFGS (Okazaki; Debian: liblbfgs-dev):
/// used to fit kernel hyperparameters, which are optimized on a log scale.

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace qmcsim {

struct MinimizeOptions {
  int max_iterations = 200;
  double gradient_tolerance = 1e-6;  ///< stop when ||g|| < tolerance * max(1, ||x||)
};

struct MinimizeResult {
  std::vector<double> x;
  double value = 0;
  int iterations = 0;
  int evaluations = 0;
  bool converged = false;  ///< a convergence criterion was met (not an error or the iteration limit)
  std::string status;      ///< libLBFGS' verdict in words
};

/// f(x, gradient) returns f(x) and writes its gradient.
using Objective = std::function<double(const std::vector<double>& x, std::vector<double>& gradient)>;

MinimizeResult minimize(const Objective& objective, const std::vector<double>& start, const MinimizeOptions& options = {});

/// A positive hyperparameter from its logarithm, kept within [e^-40, e^40] so that an optimizer
/// wandering off cannot produce 0 or infinity (the derivative is 0 beyond the bounds).
struct LogParameter {
  static constexpr double bound = 40;
  static double value(double log_value) { return std::exp(std::max(-bound, std::min(bound, log_value))); }
  static double derivative_factor(double log_value) { return std::abs(log_value) > bound ? 0.0 : 1.0; }
};

}  // namespace qmcsim
