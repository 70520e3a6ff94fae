#pragma once
// Shared by the diffusion suites: the paper's toy ODE as a model and runs of a sampler from host vectors.

#include <cmath>
#include <vector>

#include "qmcsim/diffusion/gaussian_mixture.hpp"
#include "qmcsim/diffusion/sampler.hpp"

namespace qmcsim::test {

using namespace qmcsim::diffusion;

/// x' = M x as a sampler model: sigma_bar = T - t runs forward in t, so eps = dx/dsigma_bar = -M x.
struct LinearOde {
  static constexpr Prediction prediction = Prediction::noise;
  double m00, m01, m10, m11;
  template <class In, class Out>
  KOKKOS_INLINE_FUNCTION void operator()(const In& x, std::size_t b, const NoiseLevel&, const Out& out) const {
    const double x0 = x(b, 0), x1 = x(b, 1);
    out(b, 0) = -(m00 * x0 + m01 * x1);
    out(b, 1) = -(m10 * x0 + m11 * x1);
  }
};

/// The paper's toy ODE (App. C): x' = [[0, 1], [-9, -10]] x on [0, 3], x(0) = (-1, 0), eigenvalues -9, -1.
inline LinearOde toy_ode() { return {0, 1, -9, -10}; }
inline std::vector<double> toy_ode_exact(double t) {
  return {std::exp(-9 * t) / 8 - 9 * std::exp(-t) / 8, -9 * std::exp(-9 * t) / 8 + 9 * std::exp(-t) / 8};
}

/// Runs `spec` on `grid` from the rows of `start` (batch x dim, row-major) and returns the final rows.
template <class ExecSpace = Kokkos::DefaultExecutionSpace, class Real = double, class Model>
std::vector<double> run_sampler(const SamplerSpec& spec, const SigmaGrid& grid, const Model& model,
                                const std::vector<double>& start, std::size_t dim) {
  const std::size_t batch = start.size() / dim;
  Sampler<Real, ExecSpace> sampler(SamplerPlan(spec, grid), batch, dim);
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

}  // namespace qmcsim::test
