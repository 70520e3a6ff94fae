// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Linear stability of the multistep samplers on the test equation u' = lambda u with constant step
/// delta, z = delta lambda (paper section 3.2 and appendices A, D). In x-only form every method reads
///   (x_{n+1} - x_n) - (1 - beta)(x_n - x_{n-1}) = delta sum_j c_j f_{n-j}
/// with c = b (Adams-Bashforth, beta = 1), beta b (heavy ball), beta w(beta) (GHVB), or
/// beta ((2 - beta), -(1 - beta)) * b (Nesterov; * is convolution). The characteristic polynomial is
///   P_z(r) = r^D - (2 - beta) r^(D-1) + (1 - beta) r^(D-2) - z sum_j c_j r^(D-1-j),  D = max(len c, 2),
/// and the method is stable at z when every root has |r| <= 1. The boundary locus is z(theta) =
/// rho(e^(i theta)) / sigma(e^(i theta)). Closed forms of the real intervals [-L, 0], which the tests
/// check against the root scan: AB_1..4: 2, 1, 6/11, 3/10; HB: L(AB_k) (2 - beta)/beta; GHVB_2: 2 - beta,
/// GHVB_3: 6(2 - beta)/(12 - beta), GHVB_4: 3(2 - beta)/(11 - beta); NT: L(AB_k)(2 - beta)/(beta (3 - 2 beta)).

#include <complex>
#include <vector>

#include "qmcsim/diffusion/method.hpp"

namespace qmcsim::diffusion {

/// P_z(r) = rho(r) - z sigma(r) of a multistep sampler (see the file comment).
class CharacteristicPolynomial {
 public:
  /// The polynomial of a multistep sampler (Adams-Bashforth/PLMS, HB, NT, GHVB) at its full order.
  explicit CharacteristicPolynomial(const SamplerSpec& spec) {
    spec.validate();
    qmcsim::detail::require(!spec.data_form(), spec.name(), ": the stability analysis covers the linear multistep samplers "
                                                    "(DDIM, PLMS, HB, NT, GHVB), not DPM-Solver++");
    const double beta = spec.beta;
    std::vector<double> c = spec.method == Method::ghvb ? ghvb_weights(spec.order, beta)
                                                        : adams_bashforth_weights(spec.order);
    if (spec.method == Method::nesterov) {
      std::vector<double> convolved(c.size() + 1, 0.0);
      for (std::size_t j = 0; j < c.size(); ++j) convolved[j] += (2 - beta) * c[j], convolved[j + 1] -= (1 - beta) * c[j];
      c = convolved;
    }
    for (double& value : c) value *= spec.method == Method::adams_bashforth ? 1.0 : beta;
    const std::size_t degree = std::max<std::size_t>(c.size(), 2);
    rho_.assign(degree + 1, 0.0);
    sigma_.assign(degree + 1, 0.0);
    const double damping = spec.method == Method::adams_bashforth ? 1.0 : beta;
    rho_[0] = 1, rho_[1] = -(2 - damping), rho_[2] = 1 - damping;
    for (std::size_t j = 0; j < c.size(); ++j) sigma_[j + 1] = c[j];
  }

  /// Coefficients of rho and sigma by descending power of r (rho is monic of degree D).
  const std::vector<double>& rho() const { return rho_; }
  /// Coefficients of sigma by descending power of r (sigma_0 = 0).
  const std::vector<double>& sigma() const { return sigma_; }

  /// The roots of P_z by the Weierstrass (Durand-Kerner) iteration.
  std::vector<std::complex<double>> roots(std::complex<double> z) const {
    const std::size_t degree = rho_.size() - 1;
    std::vector<std::complex<double>> p(degree + 1), r(degree);
    for (std::size_t j = 0; j <= degree; ++j) p[j] = rho_[j] - z * sigma_[j];
    for (std::size_t j = 0; j < degree; ++j) r[j] = std::pow(std::complex<double>(0.4, 0.9), static_cast<double>(j));
    for (int iteration = 0; iteration < 2000; ++iteration) {
      double change = 0;
      for (std::size_t j = 0; j < degree; ++j) {
        std::complex<double> value = p[0], denominator = 1;
        for (std::size_t m = 1; m <= degree; ++m) value = value * r[j] + p[m];
        for (std::size_t m = 0; m < degree; ++m)
          if (m != j) denominator *= r[j] - r[m];
        const std::complex<double> correction = value / denominator;
        r[j] -= correction;
        change = std::max(change, std::abs(correction));
      }
      if (change < 1e-16) break;
    }
    return r;
  }

  /// Whether every root of P_z lies in the closed unit disc (up to `tolerance`).
  bool stable(std::complex<double> z, double tolerance = 1e-12) const {
    for (const auto& root : roots(z))
      if (std::abs(root) > 1 + tolerance) return false;
    return true;
  }

  /// z(theta) = rho(e^(i theta)) / sigma(e^(i theta)) at `points` angles in [0, 2 pi).
  std::vector<std::complex<double>> boundary_locus(std::size_t points) const {
    std::vector<std::complex<double>> out(points);
    for (std::size_t k = 0; k < points; ++k) {
      const std::complex<double> e = std::polar(1.0, 2 * M_PI * static_cast<double>(k) / static_cast<double>(points));
      std::complex<double> numerator = 0, denominator = 0;
      for (std::size_t j = 0; j < rho_.size(); ++j) numerator = numerator * e + rho_[j], denominator = denominator * e + sigma_[j];
      out[k] = numerator / denominator;
    }
    return out;
  }

  /// L such that [-L, 0) is stable: a scan in steps of 1/100 up to `limit`, refined by bisection to 1e-13.
  double real_stability_interval(double limit = 100) const {
    double stable_at = 0, unstable_at = 0;
    for (double z = 0.01; z <= limit; z += 0.01) {
      if (!stable(-z)) {
        unstable_at = z;
        break;
      }
      stable_at = z;
    }
    qmcsim::detail::require(unstable_at > 0, "real_stability_interval: stable up to z = -", limit);
    while (unstable_at - stable_at > 1e-13) {
      const double middle = (stable_at + unstable_at) / 2;
      (stable(-middle) ? stable_at : unstable_at) = middle;
    }
    return stable_at;
  }

 private:
  std::vector<double> rho_, sigma_;
};

}  // namespace qmcsim::diffusion
