// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// FFTBR/IFFTBR throughput against FFTW's own plain in-place FFT of the same length on the same
// threads (the target: FFTBR within 1.1x of the plain FFT at n = 2^20).

#include <fftw3.h>

#include <map>
#include <memory>

#include "qmcsim/transforms/fftbr.hpp"
#include "reference_kernels.hpp"

namespace {

using Host = Kokkos::DefaultHostExecutionSpace;

qmcsim::ComplexRows<Kokkos::HostSpace> test_data(std::size_t n) {
  qmcsim::ComplexRows<Kokkos::HostSpace> x("x", 1, n);
  for (std::size_t k = 0; k < n; ++k) x(0, k) = Kokkos::complex<double>(std::sin(0.1 * k), std::cos(0.3 * k));
  return x;
}

void set_counters(benchmark::State& state, std::size_t n) {
  state.counters["points_per_second"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Fftbr(benchmark::State& state) {
  const std::size_t n = std::size_t{1} << state.range(0);
  auto x = test_data(n);
  qmcsim::FftbrPlan<Host> plan(n, 1);
  for (auto _ : state) plan.fftbr(x);
  set_counters(state, n);
}

void BM_Ifftbr(benchmark::State& state) {
  const std::size_t n = std::size_t{1} << state.range(0);
  auto x = test_data(n);
  qmcsim::FftbrPlan<Host> plan(n, 1);
  for (auto _ : state) plan.ifftbr(x);
  set_counters(state, n);
}

// The reference: FFTW's plain (natural order, unnormalized) in-place FFT, measured plan, all threads,
// on an array of its own. The array is FFTW's, not a Kokkos View: the plans live in a static cache
// that is destroyed after Kokkos::finalize, when freeing a View aborts.
class FftwPlainFft {
 public:
  explicit FftwPlainFft(std::size_t n) : n_(n), data_(fftw_alloc_complex(n)) {
    fftw_init_threads();
    fftw_plan_with_nthreads(Host().concurrency());
    plan_ = fftw_plan_dft_1d(static_cast<int>(n), data_, data_, FFTW_FORWARD, FFTW_MEASURE);
    fill();  // planning overwrites the array
  }
  FftwPlainFft(const FftwPlainFft&) = delete;
  FftwPlainFft& operator=(const FftwPlainFft&) = delete;
  ~FftwPlainFft() {
    fftw_destroy_plan(plan_);
    fftw_free(data_);
  }
  void operator()() const { fftw_execute(plan_); }

 private:
  void fill() {
    for (std::size_t k = 0; k < n_; ++k) data_[k][0] = std::sin(0.1 * k), data_[k][1] = std::cos(0.3 * k);
  }
  std::size_t n_;
  fftw_complex* data_;
  fftw_plan plan_;
};

// FFTW_MEASURE planning takes seconds, and Google Benchmark calls a benchmark several times while it
// picks the iteration count (and once per repetition): plan each size once per process.
const FftwPlainFft& fftw_plain_fft(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<FftwPlainFft>> plans;
  auto& plan = plans[n];
  if (!plan) plan = std::make_unique<FftwPlainFft>(n);
  return *plan;
}

void BM_FftwPlainFft(benchmark::State& state) {
  const std::size_t n = std::size_t{1} << state.range(0);
  const FftwPlainFft& fftw = fftw_plain_fft(n);
  for (auto _ : state) fftw();
  set_counters(state, n);
}

// FFTBR and FFTW's plain FFT timed alternately: time_ratio = FFTBR / FFTW (target <= 1.1 at 2^20).
void BM_FftbrOverFftw(benchmark::State& state) {
  const std::size_t n = std::size_t{1} << state.range(0);
  const FftwPlainFft& fftw = fftw_plain_fft(n);
  auto x = test_data(n);
  const qmcsim::FftbrPlan<Host> plan(n, 1);
  qmcsim::bench::paired_ratio(state, [&] { plan.fftbr(x); }, fftw);
}

}  // namespace

// FFTW first: its plans are made (and measured) before any Kokkos kernel has run. Planned after
// them, FFTW_MEASURE took ten times longer here and picked plans that ran slower, which made FFTBR
// look faster than it is.
BENCHMARK(BM_FftwPlainFft)->DenseRange(16, 22, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FftbrOverFftw)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_Fftbr)->DenseRange(16, 22, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Ifftbr)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime();
