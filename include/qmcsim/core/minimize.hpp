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

/// When minimize stops.
struct MinimizeOptions {
  int max_iterations = 200;  ///< L-BFGS iterations at most
  double gradient_tolerance = 1e-6;  ///< stop when ||g|| < tolerance * max(1, ||x||)
};

/// Where minimize stopped and why.
struct MinimizeResult {
  std::vector<double> x;  ///< the last iterate
  double value = 0;       ///< f(x)
  int iterations = 0;     ///< L-BFGS iterations taken
  int evaluations = 0;    ///< calls of the objective
  bool converged = false;  ///< a convergence criterion was met (not an error or the iteration limit)
  std::string status;      ///< libLBFGS' verdict in words
};

/// f(x, gradient) returns f(x) and writes its gradient.
using Objective = std::function<double(const std::vector<double>& x, std::vector<double>& gradient)>;

/// Minimizes `objective` from `start` by libLBFGS's L-BFGS with a backtracking line search (Wolfe conditions).
MinimizeResult minimize(const Objective& objective, const std::vector<double>& start, const MinimizeOptions& options = {});

/// A positive hyperparameter from its logarithm, kept within [e^-40, e^40] so that an optimizer
/// wandering off cannot produce 0 or infinity (the derivative is 0 beyond the bounds).
struct LogParameter {
  static constexpr double bound = 40;  ///< |log value| at most
  /// exp(log_value), the log clamped to [-bound, bound].
  static double value(double log_value) { return std::exp(std::max(-bound, std::min(bound, log_value))); }
  /// d value / d log_value divided by value: 1 within the bounds, 0 beyond.
  static double derivative_factor(double log_value) { return std::abs(log_value) > bound ? 0.0 : 1.0; }
};

}  // namespace qmcsim
