// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Stability intervals by root scanning against the closed forms of docs/diffusion.md section 3.3.

#include <gtest/gtest.h>

#include "qmcsim/diffusion/stability.hpp"

namespace qmcsim::diffusion {
namespace {

double interval(const SamplerSpec& spec) { return CharacteristicPolynomial(spec).real_stability_interval(); }

TEST(DiffusionStability, RealIntervalsMatchTheClosedForms) {
  const double ab[5] = {0, 2, 1, 6 / 11.0, 3 / 10.0};
  for (int k = 1; k <= 4; ++k) {
    EXPECT_NEAR(interval(SamplerSpec::plms(k)), ab[k], 1e-9) << k;
    for (double b : {0.5, 0.8, 0.9}) {
      EXPECT_NEAR(interval(SamplerSpec::plms_hb(k, b)), (k == 1 ? 2 : ab[k]) * (2 - b) / b, 1e-9) << k << " " << b;
      if (k >= 2)
        EXPECT_NEAR(interval(SamplerSpec::plms_nesterov(k, b)), ab[k] * (2 - b) / (b * (3 - 2 * b)), 1e-9) << k;
    }
  }
  for (double b : {0.1, 0.5, 0.8, 0.9}) {
    EXPECT_NEAR(interval(SamplerSpec::ghvb(1, b)), 2 * (2 - b) / b, 1e-9);
    EXPECT_NEAR(interval(SamplerSpec::ghvb(2, b)), 2 - b, 1e-9);
    EXPECT_NEAR(interval(SamplerSpec::ghvb(3, b)), 6 * (2 - b) / (12 - b), 1e-9);
    EXPECT_NEAR(interval(SamplerSpec::ghvb(4, b)), 3 * (2 - b) / (11 - b), 1e-9);
  }
  // The numerical table of section 3.3.
  const double hb_ab4[5] = {0.367, 0.451, 0.558, 0.701, 0.901};
  for (int j = 0; j < 5; ++j) EXPECT_NEAR(interval(SamplerSpec::plms_hb(4, 0.9 - 0.1 * j)), hb_ab4[j], 1e-3);
  EXPECT_NEAR(interval(SamplerSpec::ghvb(3.8)), 0.353, 1e-3);
  EXPECT_NEAR(interval(SamplerSpec::ghvb(3.5)), 0.429, 1e-3);
}

TEST(DiffusionStability, BoundaryLocusCrossesTheRealAxisAtMinusL) {
  for (const SamplerSpec& spec : {SamplerSpec::plms(2), SamplerSpec::plms_hb(4, 0.8), SamplerSpec::ghvb(3.5)}) {
    const CharacteristicPolynomial polynomial(spec);
    const auto locus = polynomial.boundary_locus(4);  // angles 0, pi/2, pi, 3 pi/2
    EXPECT_NEAR(std::abs(locus[0]), 0, 1e-12);
    EXPECT_NEAR(locus[2].real(), -polynomial.real_stability_interval(), 1e-9) << spec.name();
    EXPECT_NEAR(locus[2].imag(), 0, 1e-12);
  }
  EXPECT_TRUE(CharacteristicPolynomial(SamplerSpec::ddim()).stable({-1.0, 0.5}));
  EXPECT_FALSE(CharacteristicPolynomial(SamplerSpec::ddim()).stable({-1.0, 1.1}));
  EXPECT_THROW(CharacteristicPolynomial(SamplerSpec::dpm_solver_pp(2)), error);
}

}  // namespace
}  // namespace qmcsim::diffusion
