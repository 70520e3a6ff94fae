// Fits a fast Gaussian process to a smooth periodic test function observed on the first n points of
// a shifted lattice (n = 2^6 and 2^16), with kernel hyperparameters chosen by maximum likelihood, and
// plots the posterior along the slice x_2 = 0.37: mean, +-2 standard deviations, the true function
// (gp_regression.png). Prints the fitted hyperparameters and the prediction error on the slice.
//
//   gp_regression [--check] [--output-prefix P]   (--check: exit 1 unless the n = 2^16 fit predicts
//                                                  the slice to 1e-6)

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/plot.hpp"
#include "qmcsim/kernels/gaussian_process.hpp"

namespace {

using Exec = Kokkos::DefaultExecutionSpace;
using GP = qmcsim::FastGaussianProcess<Exec>;

double truth(double x1, double x2) {
  return std::exp(0.8 * std::sin(2 * M_PI * x1)) * (1 + 0.4 * std::cos(2 * M_PI * x2)) + 0.3 * std::sin(6 * M_PI * x1);
}

struct SliceFit {
  std::vector<double> x, mean, sd;
  double worst_error = 0, worst_z = 0;
};

SliceFit fit_and_predict(const qmcsim::Lattice<Exec>& lattice, std::uint64_t n) {
  const auto points = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), lattice.generate({0, n}));
  auto y_host = Kokkos::create_mirror_view(GP::Vector("y", n));
  for (std::uint64_t i = 0; i < n; ++i) y_host(i) = truth(points(0, i, 0), points(0, i, 1));
  GP::Vector y("y", n);
  Kokkos::deep_copy(y, y_host);
  GP gp(qmcsim::FastGram<Exec>(lattice, n), y, {qmcsim::KernelFamily::shift_invariant, 1.0, {1.0, 1.0}, {2, 2}}, 1e-6);
  const auto fit = gp.fit();
  std::printf("n = %6llu: scale %.4g, weights (%.4g, %.4g), nugget %.3g, -log likelihood %.6g (%d iterations, %s)\n",
              static_cast<unsigned long long>(n), gp.kernel().scale, gp.kernel().weights[0], gp.kernel().weights[1],
              gp.nugget(), fit.value, fit.iterations, fit.status.c_str());

  const std::size_t p = 400;
  GP::Matrix slice("slice", p, 2);
  auto slice_host = Kokkos::create_mirror_view(slice);
  SliceFit out;
  for (std::size_t q = 0; q < p; ++q) {
    out.x.push_back((q + 0.5) / p);
    slice_host(q, 0) = out.x.back();
    slice_host(q, 1) = 0.37;
  }
  Kokkos::deep_copy(slice, slice_host);
  const auto posterior = gp.posterior(slice);
  const auto mean = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), posterior.mean);
  const auto variance = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), posterior.variance);
  for (std::size_t q = 0; q < p; ++q) {
    out.mean.push_back(mean(q));
    out.sd.push_back(std::sqrt(variance(q)));
    const double error = std::abs(mean(q) - truth(out.x[q], 0.37));
    out.worst_error = std::max(out.worst_error, error);
    if (out.sd.back() > 1e-9 * std::abs(mean(q))) out.worst_z = std::max(out.worst_z, error / out.sd.back());
  }
  std::printf("          worst error on the slice %.3e, largest |error| / sd %.2f (where sd is above rounding)\n",
              out.worst_error, out.worst_z);
  return out;
}

qmcsim::cli::PlotPanel panel_of(const SliceFit& fit, std::uint64_t n) {
  qmcsim::cli::PlotSeries mean{"posterior mean", fit.x, fit.mean}, lower{"mean - 2 sd", fit.x, {}, true},
      upper{"mean + 2 sd", fit.x, {}, true}, exact{"f", fit.x, {}};
  for (std::size_t q = 0; q < fit.x.size(); ++q) {
    lower.y.push_back(fit.mean[q] - 2 * fit.sd[q]);
    upper.y.push_back(fit.mean[q] + 2 * fit.sd[q]);
    exact.y.push_back(truth(fit.x[q], 0.37));
  }
  return {"GP posterior on the slice x_2 = 0.37, n = " + std::to_string(n) + " lattice points", "x_1", "f(x_1, 0.37)",
          {exact, mean, lower, upper}};
}

}  // namespace

int main(int argc, char** argv) {
  bool check = false;
  std::string prefix = "gp_regression";
  for (int k = 1; k < argc; ++k) {
    if (std::strcmp(argv[k], "--check") == 0) check = true;
    else if (std::strcmp(argv[k], "--output-prefix") == 0 && k + 1 < argc) prefix = argv[++k];
  }
  Kokkos::ScopeGuard kokkos(argc, argv);
  qmcsim::LatticeOptions options;
  options.dimension = 2;
  options.seed = 11;
  const qmcsim::Lattice<Exec> lattice(qmcsim::GeneratingVector::default_vector(), options);
  const SliceFit coarse = fit_and_predict(lattice, 1 << 6);
  const SliceFit fine = fit_and_predict(lattice, 1 << 16);
  const bool plotted = qmcsim::cli::render_plot({panel_of(coarse, 1 << 6), panel_of(fine, 1 << 16)}, prefix + ".png",
                                                qmcsim::cli::Axes::linear);
  std::printf("%s\n", plotted ? ("wrote " + prefix + ".png").c_str() : "gnuplot not found: no PNG (script kept)");
  return check && !(fine.worst_error < 1e-6) ? 1 : 0;
}
