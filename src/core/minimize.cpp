// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/core/minimize.hpp"

#include <lbfgs.h>

#include "qmcsim/core/error.hpp"

namespace qmcsim {
namespace {

struct Problem {
  const Objective* objective;
  std::vector<double> x, gradient;
  int evaluations = 0;
  int iterations = 0;
};

lbfgsfloatval_t evaluate(void* instance, const lbfgsfloatval_t* x, lbfgsfloatval_t* g, const int n, const lbfgsfloatval_t) {
  auto& problem = *static_cast<Problem*>(instance);
  problem.x.assign(x, x + n);
  const double value = (*problem.objective)(problem.x, problem.gradient);
  for (int k = 0; k < n; ++k) g[k] = problem.gradient[k];
  ++problem.evaluations;
  return value;
}

int progress(void* instance, const lbfgsfloatval_t*, const lbfgsfloatval_t*, const lbfgsfloatval_t, const lbfgsfloatval_t,
             const lbfgsfloatval_t, const lbfgsfloatval_t, int, int iteration, int) {
  static_cast<Problem*>(instance)->iterations = iteration;
  return 0;
}

std::string describe(int status) {
  switch (status) {
    case LBFGS_SUCCESS: return "converged (gradient)";
    case LBFGS_ALREADY_MINIMIZED: return "already at a minimum";
    case LBFGSERR_MAXIMUMITERATION: return "iteration limit reached";
    case LBFGSERR_ROUNDING_ERROR:
    case LBFGSERR_MINIMUMSTEP:
    case LBFGSERR_MAXIMUMLINESEARCH: return "converged (no further progress at the precision of f)";
    default: return "stopped: libLBFGS status " + std::to_string(status);
  }
}

}  // namespace

MinimizeResult minimize(const Objective& objective, const std::vector<double>& start, const MinimizeOptions& options) {
  detail::require(!start.empty(), "minimize: no variables");
  for (double v : start) detail::require_finite("minimize", "start value", v);
  const int n = static_cast<int>(start.size());
  Problem problem{&objective, start, std::vector<double>(start.size())};
  lbfgsfloatval_t* x = lbfgs_malloc(n);
  detail::require(x != nullptr, "minimize: cannot allocate ", n, " variables");
  for (int k = 0; k < n; ++k) x[k] = start[k];
  lbfgs_parameter_t parameters;
  lbfgs_parameter_init(&parameters);
  parameters.max_iterations = options.max_iterations;
  parameters.epsilon = options.gradient_tolerance;
  parameters.past = 0;  // libLBFGS' decrease test divides by f and misfires for negative objectives
  parameters.linesearch = LBFGS_LINESEARCH_BACKTRACKING_WOLFE;
  lbfgsfloatval_t value = 0;
  const int status = lbfgs(n, x, &value, evaluate, progress, &problem, &parameters);
  MinimizeResult result;
  result.x.assign(x, x + n);
  lbfgs_free(x);
  result.value = value;
  result.evaluations = problem.evaluations;
  result.iterations = problem.iterations;
  // a line search that cannot improve f any further (flat to rounding) ends a fit, it does not fail it
  result.converged = status == LBFGS_SUCCESS || status == LBFGS_ALREADY_MINIMIZED || status == LBFGSERR_ROUNDING_ERROR ||
                     status == LBFGSERR_MINIMUMSTEP || status == LBFGSERR_MAXIMUMLINESEARCH;
  result.status = describe(status);
  return result;
}

}  // namespace qmcsim
