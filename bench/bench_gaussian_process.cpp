// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Fast GP: one marginal-likelihood evaluation with its analytic gradient (the unit of work of a
// hyperparameter fit) for n = 2^20 lattice or net points in d = 4. Target: under 1 s on the CPU.
// The *OverFft variants time it alternately with one FFTBR of n complex values on the same back end
// (FFTW on the host, cuFFT on CUDA): time_ratio = the evaluation's cost in FFTs of its size.

#include "qmcsim/kernels/gaussian_process.hpp"
#include "qmcsim/transforms/fftbr.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;
using GP = qmcsim::FastGaussianProcess<Exec>;

/// A GP on the first n points of `generator` with a smooth periodic response, and its kernel.
template <class Generator>
std::pair<GP, qmcsim::ProductKernel> gp_on(const Generator& generator, std::uint64_t n, qmcsim::KernelFamily family) {
  const std::size_t d = generator.dimension();
  const auto x = generator.generate({0, n});
  GP::Vector y("y", n);
  Kokkos::parallel_for(
      "bench::y", Kokkos::RangePolicy<Exec, Kokkos::IndexType<std::int64_t>>(0, static_cast<std::int64_t>(n)),
      KOKKOS_LAMBDA(std::int64_t i) {
        double f = 1;
        for (std::size_t j = 0; j < d; ++j) f *= 1 + 0.5 * ::sin(2 * M_PI * x(0, i, j));
        y(i) = f;
      });
  const qmcsim::ProductKernel kernel{family, 1.0, std::vector<double>(d, 0.5), std::vector<int>(d, 2)};
  return {GP(qmcsim::FastGram<Exec>(generator, n), y, kernel, 1e-6), kernel};
}

template <class Generator>
void likelihood_with_gradient(benchmark::State& state, const Generator& generator, qmcsim::KernelFamily family) {
  const std::uint64_t n = std::uint64_t{1} << state.range(0);
  const auto [gp, kernel] = gp_on(generator, n, family);
  std::vector<double> gradient;
  for (auto _ : state) benchmark::DoNotOptimize(gp.negative_log_likelihood(kernel, 1e-6, &gradient));
  state.counters["points"] = static_cast<double>(n);
}

template <class Generator>
void likelihood_over_fft(benchmark::State& state, const Generator& generator, qmcsim::KernelFamily family) {
  const std::uint64_t n = std::uint64_t{1} << state.range(0);
  const auto [gp, kernel] = gp_on(generator, n, family);
  const qmcsim::FftbrPlan<Exec> fft(n, 1);
  qmcsim::ComplexRows<Exec::memory_space> z("z", 1, n);
  Kokkos::deep_copy(z, Kokkos::complex<double>(1, 0));
  std::vector<double> gradient;
  qmcsim::bench::paired_ratio(
      state, [&] { benchmark::DoNotOptimize(gp.negative_log_likelihood(kernel, 1e-6, &gradient)); },
      [&] {
        fft.fftbr(z);
        Exec().fence();
      });
}

qmcsim::Lattice<Exec> lattice() {
  qmcsim::LatticeOptions options;
  options.dimension = 4;
  return qmcsim::Lattice<Exec>(qmcsim::GeneratingVector::default_vector(), options);
}

qmcsim::DigitalNet<Exec> net() {
  qmcsim::DigitalNetOptions options;
  options.dimension = 4;
  return qmcsim::DigitalNet<Exec>(qmcsim::GeneratingMatrices::sobol(4), options);
}

void BM_GpLikelihoodLattice(benchmark::State& state) {
  likelihood_with_gradient(state, lattice(), qmcsim::KernelFamily::shift_invariant);
}
void BM_GpLikelihoodNet(benchmark::State& state) {
  likelihood_with_gradient(state, net(), qmcsim::KernelFamily::digitally_shift_invariant);
}
void BM_GpLikelihoodLatticeOverFft(benchmark::State& state) {
  likelihood_over_fft(state, lattice(), qmcsim::KernelFamily::shift_invariant);
}
void BM_GpLikelihoodNetOverFft(benchmark::State& state) {
  likelihood_over_fft(state, net(), qmcsim::KernelFamily::digitally_shift_invariant);
}

}  // namespace

BENCHMARK(BM_GpLikelihoodLattice)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GpLikelihoodNet)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GpLikelihoodLatticeOverFft)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GpLikelihoodNetOverFft)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime();
