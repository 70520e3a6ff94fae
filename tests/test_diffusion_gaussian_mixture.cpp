// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The analytic test bed: the exact denoiser against Tweedie's formula on the log-density, exact
// samples against the law's moments, and the reference flow against the closed-form Gaussian flow.

#include <gtest/gtest.h>

#include "qmcsim/diffusion/gaussian_mixture.hpp"
#include "support.hpp"

namespace qmcsim::diffusion {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using HostMatrix = Kokkos::View<double**, Kokkos::HostSpace>;

// Tweedie: x0 = x_bar + sigma_bar^2 grad log p_sigma(x_bar), the gradient by central differences.
// Tweedie: D(x_bar) = x_bar + sigma_bar^2 grad log p_sigma(x_bar), the gradient by central differences
// of the host log density. Checked unprepared, prepared for the level (tables), and prepared for
// another level (stale tables, which the denoiser must not use).
TEST(DiffusionGaussianMixture, DenoiserIsTweediesFormula) {
  const GaussianMixture mixture = GaussianMixture::ring(5);
  const auto denoiser = make_denoiser<Host>(mixture);
  HostMatrix x("x", 1, 5), out("out", 1, 5), tabled("tabled", 1, 5);
  for (double sigma_bar : {0.05, 0.3, 2.0}) {
    const NoiseLevel level{sigma_bar, 1, sigma_bar};
    std::vector<double> point{0.6, -0.4, 0.2, 0.1, -0.3};
    for (int i = 0; i < 5; ++i) x(0, i) = point[i];
    denoiser.prepare(NoiseLevel{sigma_bar * 1.5, 1, 0});
    Kokkos::fence();
    denoiser(x, 0, level, out);
    denoiser.prepare(level);
    Kokkos::fence();
    denoiser(x, 0, level, tabled);
    for (int i = 0; i < 5; ++i) {
      const double h = 1e-5 * sigma_bar;
      std::vector<double> up = point, down = point;
      up[i] += h, down[i] -= h;
      const double gradient = (mixture.log_density(up, sigma_bar) - mixture.log_density(down, sigma_bar)) / (2 * h);
      EXPECT_NEAR(out(0, i), point[i] + sigma_bar * sigma_bar * gradient, 1e-6) << sigma_bar << " " << i;
      EXPECT_NEAR(tabled(0, i), out(0, i), 1e-14) << sigma_bar << " " << i;
    }
  }
}

// Far from every component the responsibilities underflow in a naive softmax; the running maximum keeps it exact.
TEST(DiffusionGaussianMixture, DenoiserStaysFiniteFarAway) {
  const GaussianMixture mixture({1, 1}, {{0.0}, {1.0}}, {{1e-4}, {1e-4}});
  const auto denoiser = make_denoiser<Host>(mixture);
  HostMatrix x("x", 1, 1), out("out", 1, 1);
  x(0, 0) = 50;
  denoiser(x, 0, NoiseLevel{1e-3, 1, 0}, out);
  EXPECT_NEAR(out(0, 0), 1 + 1e-4 / (1e-4 + 1e-6) * 49, 1e-9);  // all weight on the component at 1
}

// The coordinate-parallel form (reduce, then elements of a range) against operator(), which sums
// the log-likelihoods in the same chunks: d below, at and across the chunk of 256, one sample far from
// every component (the running maximum rescales), levels tabled and not.
TEST(DiffusionGaussianMixture, CoordinateParallelFormIsTheDenoiser) {
  for (std::size_t d : {2, 255, 256, 257, 700}) {
    std::vector<std::vector<double>> means(3, std::vector<double>(d)), variances(3, std::vector<double>(d));
    for (std::size_t k = 0; k < 3; ++k)
      for (std::size_t i = 0; i < d; ++i)
        means[k][i] = std::sin(1.3 * k + 0.7 * i), variances[k][i] = 0.02 + 0.01 * ((k + i) % 5);
    const auto denoiser = make_denoiser<Host>(GaussianMixture({1, 2, 3}, means, variances));
    const std::size_t batch = 4;
    HostMatrix x("x", batch, d), out("out", batch, d);
    for (std::size_t b = 0; b < batch; ++b)
      for (std::size_t i = 0; i < d; ++i) x(b, i) = b == 3 ? 40.0 : std::cos(0.9 * b + 0.31 * i);
    HostMatrix statistics("statistics", batch, denoiser.statistics_per_sample(d));
    for (bool tabled : {true, false}) {
      const NoiseLevel level{0.2, 1, 0.2};
      denoiser.prepare(tabled ? level : NoiseLevel{0.7, 1, 0.7});
      denoiser.reduce(x, level, statistics);
      Kokkos::fence();
      for (std::size_t b = 0; b < batch; ++b) {
        denoiser(x, b, level, out);
        for (std::size_t begin = 0; begin < d; begin += 100) {  // ranges that do not follow the chunks
          const std::size_t end = std::min(begin + 100, d);
          double range[100];
          denoiser.elements(x, statistics, b, begin, end, level, range);
          for (std::size_t i = begin; i < end; ++i) {
            ASSERT_TRUE(std::isfinite(out(b, i))) << d << " " << b << " " << i;
            EXPECT_NEAR(range[i - begin], out(b, i), 1e-15 * (1 + std::abs(out(b, i))))
                << "d " << d << " sample " << b << " coordinate " << i << (tabled ? " tabled" : " in place");
          }
        }
      }
    }
  }
}

TEST(DiffusionGaussianMixture, ExactSamplesHaveTheNoisedMoments) {
  const GaussianMixture mixture = GaussianMixture::ring(3);
  const double sigma_bar = 0.5;
  const std::size_t n = 200000;
  const auto samples = test::to_host(exact_samples(mixture, sigma_bar, n, 7));
  const std::vector<double> mean = mixture.data_mean(), variance = mixture.data_variance();
  for (int i = 0; i < 3; ++i) {
    std::vector<double> column(n);
    for (std::size_t r = 0; r < n; ++r) column[r] = samples(r, i);
    const auto stats = test::sample_stats(column);
    const double var = variance[i] + sigma_bar * sigma_bar;
    EXPECT_NEAR(stats.mean, mean[i], 5 * std::sqrt(var / n)) << i;
    EXPECT_NEAR(stats.variance, var, 5 * var * std::sqrt(3.0 / n)) << i;  // kurtosis of the ring is below 3
  }
}

TEST(DiffusionGaussianMixture, ReferenceFlowIsTheExactGaussianFlow) {
  const std::vector<double> mean{0.2, -0.1}, scale{0.1, 0.9};
  const auto model = make_denoiser<Host>(GaussianMixture::gaussian(mean, scale));
  HostMatrix start("start", 2, 2);
  start(0, 0) = 3, start(0, 1) = -8, start(1, 0) = 0.5, start(1, 1) = 1;
  const double from = 14.6, to = 0.03;
  const auto end = reference_flow<Host>(model, start, from, to, 2000);
  for (int b = 0; b < 2; ++b)
    for (int i = 0; i < 2; ++i) {
      const double s2 = scale[i] * scale[i];
      const double exact = mean[i] + (start(b, i) - mean[i]) * std::sqrt((s2 + to * to) / (s2 + from * from));
      EXPECT_NEAR(end(b, i), exact, 1e-11);
    }
}

TEST(DiffusionGaussianMixture, GuidedReferenceFlowFollowsPhi) {
  const double su = 0.5, sc = 0.2, w = 4;
  const auto model = classifier_free_guidance<Host>(make_denoiser<Host>(GaussianMixture::gaussian({0.0}, {su})),
                                                    make_denoiser<Host>(GaussianMixture::gaussian({0.0}, {sc})), w, 1, 1);
  HostMatrix start("start", 1, 1);
  start(0, 0) = 1;
  const auto end = reference_flow<Host>(model, start, 10, 0.05, 3000);
  EXPECT_NEAR(end(0, 0), guided_gaussian_phi(su, sc, w, 0.05) / guided_gaussian_phi(su, sc, w, 10), 1e-10);
}

TEST(DiffusionGaussianMixture, ReferenceFlowConvergesOnTheMixture) {
  const auto model = make_denoiser<Host>(GaussianMixture::ring(8));
  HostMatrix start("start", 4, 8);
  for (int b = 0; b < 4; ++b)
    for (int i = 0; i < 8; ++i) start(b, i) = 14.6 * std::sin(1.3 * b + 0.7 * i);
  const auto coarse = reference_flow<Host>(model, start, 14.6, 0.03, 1500);
  const auto fine = reference_flow<Host>(model, start, 14.6, 0.03, 3000);
  for (int b = 0; b < 4; ++b)
    for (int i = 0; i < 8; ++i) EXPECT_NEAR(coarse(b, i), fine(b, i), 1e-9);
}

TEST(DiffusionGaussianMixture, RejectsBadMixtures) {
  EXPECT_THROW(GaussianMixture({}, {}, {}), error);
  EXPECT_THROW(GaussianMixture({1}, {{0.0, 1.0}}, {{1.0}}), error);
  EXPECT_THROW(GaussianMixture({-1}, {{0.0}}, {{1.0}}), error);
  EXPECT_THROW(GaussianMixture({1}, {{0.0}}, {{0.0}}), error);
  EXPECT_THROW(GaussianMixture({1}, {{NAN}}, {{1.0}}), error);
  EXPECT_THROW(GaussianMixture::ring(1), error);
  EXPECT_THROW(exact_samples<Host>(GaussianMixture::ring(2), -1, 4, 0), error);
  HostMatrix start("start", 1, 2);
  EXPECT_THROW(reference_flow<Host>(make_denoiser<Host>(GaussianMixture::ring(2)), start, 1.0, 0.0), error);
}

}  // namespace
}  // namespace qmcsim::diffusion
