// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The quantile of Student's t distribution, for the intervals of replicated RQMC.
///
///   const double t = student_t_quantile(0.995, 15);   // 2.9467..., the 99 % two-sided factor for R = 16

namespace qmcsim {

/// The p-quantile of Student's t distribution with `degrees` > 0 degrees of freedom, p in (0, 1)
/// (host only: Boost.Math's students_t_distribution). Throws qmcsim::error outside those ranges.
double student_t_quantile(double p, double degrees);

}  // namespace qmcsim
