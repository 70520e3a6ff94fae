// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Host-only (Boost.Math): the Student-t quantile of the replicated-RQMC intervals.
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

#include "qmcsim/core/error.hpp"
#include "qmcsim/core/student_t.hpp"

namespace qmcsim {

double student_t_quantile(double p, double degrees) {
  detail::require(p > 0 && p < 1, "student_t_quantile: p = ", p, " is outside (0, 1)");
  detail::require(degrees > 0 && std::isfinite(degrees), "student_t_quantile: degrees of freedom = ", degrees,
                  " must be positive");
  return boost::math::quantile(boost::math::students_t_distribution<double>(degrees), p);
}

}  // namespace qmcsim
