#pragma once
// Shared by the diffusion suites: the paper's toy ODE as a model, runs of a sampler from host
// vectors, and the guided-Gaussian configuration G64 of docs/diffusion.md.

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

/// G64: d = 64 Gaussian coordinates with s_u,i = 10^(-1 + i/63), class scales s_c = 0.5 s_u.
inline std::vector<double> g64_scales(double factor = 1) {
  std::vector<double> s(64);
  for (int i = 0; i < 64; ++i) s[i] = factor * std::pow(10.0, -1 + i / 63.0);
  return s;
}

/// The guided Gaussian model of G64 with guidance scale w (batch rows of scratch).
inline auto g64_model(double w, std::size_t batch = 1, const std::vector<double>& mean = std::vector<double>(64, 0.0)) {
  return classifier_free_guidance<Kokkos::DefaultExecutionSpace>(
      make_denoiser(GaussianMixture::gaussian(mean, g64_scales())),
      make_denoiser(GaussianMixture::gaussian(mean, g64_scales(0.5))), w, batch, 64);
}

/// The sampler's per-coordinate gain on G64 (mean 0: the run from x_bar = 1 is the gain).
inline std::vector<double> g64_gains(const SamplerSpec& spec, const SigmaGrid& grid, double w) {
  return run_sampler(spec, grid, g64_model(w), std::vector<double>(64, 1.0), 64);
}

}  // namespace qmcsim::test
