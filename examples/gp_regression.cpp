// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Fits a fast Gaussian process to a smooth periodic test function observed on the first n points of
// a shifted lattice (n = 2^6 and 2^16), with kernel hyperparameters chosen by maximum likelihood, and
// writes the posterior along the slice x_2 = 0.37: mean, standard deviation and the true function, one
// row per x_1 (gp_regression.csv; plot it with any tool). Prints the fitted hyperparameters and the
// prediction error on the slice.
//
//   gp_regression [--check] [--output-prefix P]   (--check: exit 1 unless the n = 2^16 fit predicts
//                                                  the slice to 1e-6)

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

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
  std::ofstream csv(prefix + ".csv");
  csv.precision(17);
  csv << "x1,f,mean_n64,sd_n64,mean_n65536,sd_n65536\n";
  for (std::size_t q = 0; q < fine.x.size(); ++q)
    csv << fine.x[q] << ',' << truth(fine.x[q], 0.37) << ',' << coarse.mean[q] << ',' << coarse.sd[q] << ','
        << fine.mean[q] << ',' << fine.sd[q] << '\n';
  csv.close();
  if (!csv) {
    std::fprintf(stderr, "gp_regression: writing %s.csv failed\n", prefix.c_str());
    return 1;
  }
  std::printf("wrote %s.csv\n", prefix.c_str());
  return check && !(fine.worst_error < 1e-6) ? 1 : 0;
}
