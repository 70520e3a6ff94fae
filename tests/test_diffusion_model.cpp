// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Parametrisation conversions and classifier-free guidance against their formulas.

#include <gtest/gtest.h>

#include <tuple>

#include "qmcsim/diffusion/gaussian_mixture.hpp"
#include "qmcsim/diffusion/model.hpp"

namespace qmcsim::diffusion {
namespace {

TEST(DiffusionModel, ConversionsBetweenNoiseDataAndVelocityAreConsistent) {
  for (double sigma_bar : {0.03, 1.0, 14.6}) {
    const double alpha = 1 / std::sqrt(1 + sigma_bar * sigma_bar), sigma = alpha * sigma_bar;
    const NoiseLevel level{sigma_bar, alpha, 0};
    const double x0 = 0.7, eps = -1.3, x_bar = x0 + sigma_bar * eps;  // x = alpha x0 + sigma eps
    const double v = alpha * eps - sigma * x0;
    for (auto [prediction, output] : {std::pair{Prediction::noise, eps}, {Prediction::data, x0}, {Prediction::velocity, v}}) {
      EXPECT_NEAR(noise_from(prediction, output, x_bar, level), eps, 1e-12 * (1 + sigma_bar));
      EXPECT_NEAR(data_from(prediction, output, x_bar, level), x0, 1e-12 * (1 + sigma_bar));
    }
  }
}

// Guided Gaussian: eps_w = A (x_bar - mu), A = sigma_bar ((1 - w)/(s_u^2 + sigma_bar^2) + w/(s_c^2 + sigma_bar^2)).
TEST(DiffusionModel, GuidanceOfGaussiansIsTheLinearGuidedField) {
  const double su = 0.8, sc = 0.3, w = 7.5, mu = 0.2, x_bar = 1.9;
  auto model = classifier_free_guidance<Kokkos::DefaultHostExecutionSpace>(
      make_denoiser<Kokkos::DefaultHostExecutionSpace>(GaussianMixture::gaussian({mu}, {su})),
      make_denoiser<Kokkos::DefaultHostExecutionSpace>(GaussianMixture::gaussian({mu}, {sc})), w, 1, 1);
  Kokkos::View<double**, Kokkos::HostSpace> x("x", 1, 1), out("out", 1, 1);
  x(0, 0) = x_bar;
  for (double s : {0.05, 0.5, 5.0}) {
    const NoiseLevel level{s, 1, s};
    model(x, 0, level, out);
    const double A = s * ((1 - w) / (su * su + s * s) + w / (sc * sc + s * s));
    EXPECT_NEAR(noise_from(Prediction::data, out(0, 0), x_bar, level), A * (x_bar - mu), 1e-12);
  }
  EXPECT_THROW(classifier_free_guidance<Kokkos::DefaultHostExecutionSpace>(model.unconditional, model.conditional, NAN, 1, 1),
               error);
}

// A model whose output is a constant and which counts its calls.
struct CountingModel {
  static constexpr Prediction prediction = Prediction::noise;
  double value;
  Kokkos::View<int, Kokkos::HostSpace> calls;
  template <class In, class Out>
  void operator()(const In&, std::size_t sample, const NoiseLevel&, const Out& out) const {
    ++calls();
    for (std::size_t i = 0; i < out.extent(1); ++i) out(sample, i) = value;
  }
};

TEST(DiffusionModel, GuidanceEvaluatesOnlyTheModelsWithWeight) {
  const CountingModel u{0.1, Kokkos::View<int, Kokkos::HostSpace>("u")}, c{0.7, Kokkos::View<int, Kokkos::HostSpace>("c")};
  Kokkos::View<double**, Kokkos::HostSpace> x("x", 1, 2), out("out", 1, 2);
  for (auto [w, expected, u_calls, c_calls] : {std::tuple{0.0, 0.1, 1, 0}, {1.0, 0.7, 0, 1}, {7.5, 0.1 + 7.5 * (0.7 - 0.1), 1, 1}}) {
    u.calls() = c.calls() = 0;
    classifier_free_guidance<Kokkos::DefaultHostExecutionSpace>(u, c, w, 1, 2)(x, 0, NoiseLevel{1, 1, 1}, out);
    EXPECT_EQ(out(0, 1), expected) << "w = " << w;
    EXPECT_EQ(u.calls(), u_calls) << "w = " << w;
    EXPECT_EQ(c.calls(), c_calls) << "w = " << w;
  }
}

}  // namespace
}  // namespace qmcsim::diffusion
