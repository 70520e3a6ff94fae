#pragma once
/// @file
/// Unconstrained minimization by L-BFGS, delegated to libLBFGS (Okazaki; Debian: liblbfgs-dev):
/// used to fit kernel hyperparameters, which are optimized on a log scale.

#include <functional>
#include <string>
#include <vector>

namespace qmcsim {

struct MinimizeOptions {
  int max_iterations = 200;
  double gradient_tolerance = 1e-6;  ///< stop when ||g|| < tolerance * max(1, ||x||)
  double relative_decrease = 1e-9;   ///< or when f fell by less than this over 5 iterations
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

}  // namespace qmcsim
