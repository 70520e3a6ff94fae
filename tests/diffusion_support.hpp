// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Shared by the diffusion suites: runs of a sampler from host vectors, and their comparison across back
// ends.

#include <cmath>
#include <vector>

#include "qmcsim/diffusion/gaussian_mixture.hpp"
#include "qmcsim/diffusion/sampler.hpp"
#include "support.hpp"

namespace qmcsim::test {

using namespace qmcsim::diffusion;

/// Runs `plan` from the rows of `start` (batch x dim, row-major) and returns the final rows.
template <class ExecSpace = Kokkos::DefaultExecutionSpace, class Real = double, class Model>
std::vector<double> run_sampler(const SamplerPlan& plan, const Model& model, const std::vector<double>& start,
                                std::size_t dim) {
  const std::size_t batch = start.size() / dim;
  Sampler<Real, ExecSpace> sampler(plan, batch, dim);
  typename Sampler<Real, ExecSpace>::Matrix x("x", batch, dim);
  const auto host = Kokkos::create_mirror_view(x);
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t i = 0; i < dim; ++i) host(b, i) = static_cast<Real>(start[b * dim + i]);
  Kokkos::deep_copy(x, host);
  sampler.reset(x);
  sampler.run(model);
  Kokkos::deep_copy(host, sampler.state());
  std::vector<double> out(batch * dim);
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t i = 0; i < dim; ++i) out[b * dim + i] = host(b, i);
  return out;
}

/// Runs `spec` on `grid` (see above).
template <class ExecSpace = Kokkos::DefaultExecutionSpace, class Real = double, class Model>
std::vector<double> run_sampler(const SamplerSpec& spec, const SigmaGrid& grid, const Model& model,
                                const std::vector<double>& start, std::size_t dim) {
  return run_sampler<ExecSpace, Real>(SamplerPlan(spec, grid), model, start, dim);
}

/// Rows from the default execution space against rows from a host back end: bitwise on the host, within
/// 1e-11 relative on a GPU (CUDA's exp and log, and contracted multiply-adds, round differently).
inline void expect_agree_across_back_ends(const std::vector<double>& rows, const std::vector<double>& host_rows) {
  ASSERT_EQ(rows.size(), host_rows.size());
  for (std::size_t j = 0; j < rows.size(); ++j)
    EXPECT_TRUE(agrees_across_back_ends(rows[j], host_rows[j], 1e-11 * std::max(1.0, std::abs(host_rows[j])))) << "entry " << j;
}

}  // namespace qmcsim::test
