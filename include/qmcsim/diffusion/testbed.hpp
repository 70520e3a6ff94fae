// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Gaussian data as an exact, random-number-free test bed for whole sampler runs (docs/diffusion.md,
/// "Test bed"). With data N(mu_i, s_i^2) and a class law N(mu_i, c_i^2), guidance scale w gives the
/// linear field eps_w = A_i(sigma_bar)(x_bar - mu_i), so every sampler is an affine map per coordinate,
/// x_N - mu = G_i (x_0 - mu), found from one run of a two-sample batch; the exact gain is
/// Phi_i(sigma_bar_N) / Phi_i(sigma_bar_0) (guided_gaussian_phi). From the gains:
///   expected_error  the RMS error against the exact flow over x_0 ~ N(mu, s^2 + sigma_bar_0^2) (unguided,
///                   started from the exact noised law): sqrt(mean_i (G_i - G_i^exact)^2 (s_i^2 + sigma_bar_0^2)
///                   + (x_N(mu) - mu)^2), the last term the sampler's bias at the mean;
///   divergence      the gain metrics (metrics.hpp) for the practical start x_0 = sigma_bar_0 zeta.
/// G64 (d = 64, s_i = 10^(-1 + i/63), c_i = s_i / 2, mu = 0 or 0.3 sin i) reproduces the divergence and
/// accuracy tables of the specification.
///
/// The paper's toy ODE (App. C): x' = [[0, 1], [-9, -10]] x on [0, 3], x(0) = (-1, 0), eigenvalues -9
/// and -1, x(t) = (1/8)(1, -9) e^(-9t) + (9/8)(-1, 1) e^(-t); as a model on sigma_bar = 3 - t,
/// eps = dx/dsigma_bar = -M x.

#include <vector>

#include "qmcsim/diffusion/gaussian_mixture.hpp"
#include "qmcsim/diffusion/metrics.hpp"
#include "qmcsim/diffusion/sampler.hpp"

namespace qmcsim::diffusion {

/// The paper's toy ODE as a model (see the file comment).
struct ToyOde {
  static constexpr Prediction prediction = Prediction::noise;  ///< eps = dx / dsigma_bar
  /// Throws qmcsim::error unless the samples have 2 coordinates.
  void check_shape(std::size_t, std::size_t dimension) const {
    qmcsim::detail::require(dimension == 2, "ToyOde: the toy ODE has dimension 2, the samples ", dimension);
  }
  /// -M x of sample b.
  template <class In, class Out>
  KOKKOS_INLINE_FUNCTION void operator()(const In& x, std::size_t b, const NoiseLevel&, const Out& out) const {
    const double x0 = x(b, 0), x1 = x(b, 1);
    out(b, 0) = -x1;
    out(b, 1) = 9 * x0 + 10 * x1;
  }
  /// N uniform steps over t in [0, 3].
  static SigmaGrid grid(std::size_t steps) { return uniform_grid(steps, 3, 0, Scaling::variance_exploding); }
  /// x(0).
  static std::vector<double> start() { return {-1, 0}; }
  /// The exact x(t).
  static std::vector<double> solution(double t) {
    return {std::exp(-9 * t) / 8 - 9 * std::exp(-t) / 8, -9 * std::exp(-9 * t) / 8 + 9 * std::exp(-t) / 8};
  }
};

/// Gaussian data N(mu_i, s_i^2) with a class law N(mu_i, c_i^2) (see the file comment).
struct GaussianTestCase {
  std::vector<double> mean;         ///< mu_i
  std::vector<double> scale;        ///< s_i
  std::vector<double> class_scale;  ///< c_i

  /// G64; with `shifted_mean` mu_i = 0.3 sin i (for error tables), else mu = 0.
  static GaussianTestCase g64(bool shifted_mean = false) {
    GaussianTestCase out;
    for (int i = 0; i < 64; ++i) {
      out.mean.push_back(shifted_mean ? 0.3 * std::sin(static_cast<double>(i)) : 0.0);
      out.scale.push_back(std::pow(10.0, -1 + i / 63.0));
      out.class_scale.push_back(out.scale.back() / 2);
    }
    return out;
  }

  /// d.
  std::size_t dimension() const { return mean.size(); }

  /// A sampler's map x_N - mu = G_i (x_0 - mu) + (x_N(mu) - mu), per coordinate.
  struct AffineMap {
    std::vector<double> gain;         ///< G_i
    std::vector<double> end_of_mean;  ///< x_N started from mu
  };

  /// Runs the sampler on the batch {mu, mu + 1} under guidance w (0: unguided).
  template <class ExecSpace = Kokkos::DefaultExecutionSpace>
  AffineMap sampler_map(const SamplerPlan& plan, double w) const {
    const std::size_t d = dimension();
    const auto model = classifier_free_guidance<ExecSpace>(
        make_denoiser<ExecSpace>(GaussianMixture::gaussian(mean, scale)),
        make_denoiser<ExecSpace>(GaussianMixture::gaussian(mean, class_scale)), w, 2, d);
    Sampler<double, ExecSpace> sampler(plan, 2, d);
    typename Sampler<double, ExecSpace>::Matrix start("start", 2, d);
    const auto host = Kokkos::create_mirror_view(start);
    for (std::size_t i = 0; i < d; ++i) host(0, i) = mean[i], host(1, i) = mean[i] + 1;
    Kokkos::deep_copy(start, host);
    sampler.reset(start);
    sampler.run(model);
    Kokkos::deep_copy(host, sampler.state());
    AffineMap map;
    for (std::size_t i = 0; i < d; ++i) map.gain.push_back(host(1, i) - host(0, i)), map.end_of_mean.push_back(host(0, i));
    return map;
  }

  /// The exact flow's G_i from the grid's first node to its last, under guidance w.
  double exact_gain(std::size_t i, const SigmaGrid& grid, double w) const {
    return guided_gaussian_phi(scale[i], class_scale[i], w, grid.sigma_bar(grid.steps())) /
           guided_gaussian_phi(scale[i], class_scale[i], w, grid.sigma_bar(0));
  }

  /// expected_error of the built-in sampler `spec` on `grid`.
  template <class ExecSpace = Kokkos::DefaultExecutionSpace>
  double expected_error(const SamplerSpec& spec, const SigmaGrid& grid) const {
    return expected_error<ExecSpace>(SamplerPlan(spec, grid));
  }

  /// The RMS error against the exact flow of the plan's sampler, expected over x_bar_0 = mu + s0 zeta.
  template <class ExecSpace = Kokkos::DefaultExecutionSpace>
  double expected_error(const SamplerPlan& plan) const {
    const SigmaGrid& grid = plan.grid();
    const AffineMap map = sampler_map<ExecSpace>(plan, 0);
    const double s0 = grid.sigma_bar(0);
    double sum = 0;
    for (std::size_t i = 0; i < dimension(); ++i) {
      const double gain_error = map.gain[i] - exact_gain(i, grid, 0), bias = map.end_of_mean[i] - mean[i];
      sum += gain_error * gain_error * (scale[i] * scale[i] + s0 * s0) + bias * bias;
    }
    return std::sqrt(sum / static_cast<double>(dimension()));
  }

  /// The gain metrics of `spec` on `grid` under guidance w, from x_0 = sigma_bar_0 zeta.
  template <class ExecSpace = Kokkos::DefaultExecutionSpace>
  GainMetrics divergence(const SamplerSpec& spec, const SigmaGrid& grid, double w) const {
    return gaussian_gain_metrics(sampler_map<ExecSpace>(SamplerPlan(spec, grid), w).gain, grid.sigma_bar(0), scale);
  }
};

}  // namespace qmcsim::diffusion
