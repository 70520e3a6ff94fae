// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/transforms/fftbr.hpp: FFTBR against FFTW on explicitly bit-reversed input and
// against the dense DFT matrix, IFFTBR as its inverse, unitarity, and rejected shapes.

#include <fftw3.h>
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>

#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/transforms/fftbr.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using Rows = ComplexRows<Kokkos::HostSpace>;

Rows random_rows(std::size_t batch, std::size_t n, unsigned seed) {
  Rows x("x", batch, n);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  for (std::size_t k = 0; k < x.size(); ++k) x.data()[k] = Kokkos::complex<double>(u(rng), u(rng));
  return x;
}

std::size_t reversed(std::size_t j, int bits_count) {
  return bits_count == 0 ? 0 : bits::bit_reverse(j) >> (64 - bits_count);
}

// The oracle named by the issue: FFTW's plain FFT of the bit-reversed input, scaled by n^-1/2.
Rows fftw_of_bit_reversed(const Rows& x) {
  const std::size_t batch = x.extent(0), n = x.extent(1);
  const int m = bits::floor_log2(n);
  Rows y("y", batch, n);
  std::vector<std::complex<double>> in(n), out(n);
  fftw_plan plan = fftw_plan_dft_1d(static_cast<int>(n), reinterpret_cast<fftw_complex*>(in.data()),
                                    reinterpret_cast<fftw_complex*>(out.data()), FFTW_FORWARD, FFTW_ESTIMATE);
  for (std::size_t r = 0; r < batch; ++r) {
    for (std::size_t j = 0; j < n; ++j) in[j] = {x(r, reversed(j, m)).real(), x(r, reversed(j, m)).imag()};
    fftw_execute(plan);
    for (std::size_t k = 0; k < n; ++k) y(r, k) = Kokkos::complex<double>(out[k].real() / std::sqrt(n), out[k].imag() / std::sqrt(n));
  }
  fftw_destroy_plan(plan);
  return y;
}

double max_difference(const Rows& a, const Rows& b) {
  double worst = 0;
  for (std::size_t k = 0; k < a.size(); ++k) worst = std::max(worst, Kokkos::abs(a.data()[k] - b.data()[k]));
  return worst;
}

TEST(Fftbr, MatchesFftwOfBitReversedInput) {
  for (int m = 0; m <= 20; ++m) {
    const std::size_t n = std::size_t{1} << m, batch = m < 14 ? 3 : 1;
    const Rows x = random_rows(batch, n, 100 + m);
    const Rows expected = fftw_of_bit_reversed(x);
    Rows y("y", batch, n);
    Kokkos::deep_copy(y, x);
    FftbrPlan<Host>(n, batch).fftbr(y);
    EXPECT_LT(max_difference(y, expected), 1e-13 * (m + 1)) << "n = 2^" << m;
  }
}

TEST(Fftbr, MatchesTheDenseDftMatrix) {
  for (int m : {3, 6, 12}) {
    const std::size_t n = std::size_t{1} << m;
    const Rows x = random_rows(1, n, 7);
    Rows y("y", 1, n);
    Kokkos::deep_copy(y, x);
    FftbrPlan<Host>(n, 1).fftbr(y);
    for (std::size_t k = 0; k < n; k += (n > 64 ? 37 : 1)) {
      std::complex<long double> sum = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const long double angle = -2.0L * M_PIl * static_cast<long double>((j * k) % n) / n;
        sum += std::complex<long double>(x(0, reversed(j, m)).real(), x(0, reversed(j, m)).imag()) *
               std::complex<long double>(std::cos(angle), std::sin(angle));
      }
      sum /= std::sqrt(static_cast<long double>(n));
      EXPECT_NEAR(y(0, k).real(), static_cast<double>(sum.real()), 1e-13);
      EXPECT_NEAR(y(0, k).imag(), static_cast<double>(sum.imag()), 1e-13);
    }
  }
}

TEST(Fftbr, InverseUndoesForwardAndBothAreUnitary) {
  for (int m : {0, 1, 5, 11, 12, 15, 18}) {
    const std::size_t n = std::size_t{1} << m;
    const Rows x = random_rows(2, n, 40 + m);
    Rows y("y", 2, n);
    Kokkos::deep_copy(y, x);
    FftbrPlan<Host> plan(n, 2);
    plan.fftbr(y);
    double norm_x = 0, norm_y = 0;
    for (std::size_t k = 0; k < x.size(); ++k) {
      norm_x += Kokkos::abs(x.data()[k]) * Kokkos::abs(x.data()[k]);
      norm_y += Kokkos::abs(y.data()[k]) * Kokkos::abs(y.data()[k]);
    }
    EXPECT_NEAR(norm_y, norm_x, 1e-12 * norm_x) << "n = 2^" << m;
    plan.ifftbr(y);
    EXPECT_LT(max_difference(y, x), 1e-14 * (m + 1)) << "n = 2^" << m;
  }
}

TEST(Fftbr, InverseOfAPlainFftComesOutBitReversed) {
  const std::size_t n = 1 << 13;
  const int m = 13;
  const Rows x = random_rows(1, n, 5);
  Rows y("y", 1, n);  // y = plain FFT of x (as FFTBR of x stored bit-reversed)
  for (std::size_t j = 0; j < n; ++j) y(0, j) = x(0, reversed(j, m));
  FftbrPlan<Host> plan(n, 1);
  plan.fftbr(y);
  plan.ifftbr(y);  // IFFTBR returns x in bit-reversed order
  for (std::size_t j = 0; j < n; ++j) EXPECT_LT(Kokkos::abs(y(0, j) - x(0, reversed(j, m))), 1e-13);
}

TEST(Fftbr, TransformsOnACallersInstance) {
  // one block and two passes on the host; on CUDA the reversal kernel and cuFFT on the caller's stream
  for (std::size_t n : {std::size_t{32}, std::size_t{1} << 16}) {
    const FftbrPlan<> plan(n, 2, PlanningEffort::estimate);
    const Rows x = random_rows(2, n, 11);
    EXPECT_TRUE(test::transforms_on_caller_instance(x, [&](const Kokkos::DefaultExecutionSpace* space, const auto& rows) {
      space ? plan.fftbr(*space, rows) : plan.fftbr(rows);
    }));
    EXPECT_TRUE(test::transforms_on_caller_instance(x, [&](const Kokkos::DefaultExecutionSpace* space, const auto& rows) {
      space ? plan.ifftbr(*space, rows) : plan.ifftbr(rows);
    }));
  }
}

TEST(Fftbr, RejectsBadShapes) {
  EXPECT_THROW(FftbrPlan<Host>(12, 1), error);
  EXPECT_THROW(FftbrPlan<Host>(0, 1), error);
  EXPECT_THROW(FftbrPlan<Host>(std::size_t{1} << 29, 1), error);
  EXPECT_THROW(FftbrPlan<Host>(16, 0), error);
  FftbrPlan<Host> plan(16, 2);
  Rows wrong("wrong", 2, 8);
  EXPECT_THROW(plan.fftbr(wrong), error);
  EXPECT_THROW(plan.ifftbr(wrong), error);
  // a LayoutRight subview whose rows are 32 apart: transforming it in place would run over the gaps
  Rows wide("wide", 2, 32);
  const Rows strided = Kokkos::subview(wide, Kokkos::ALL(), std::make_pair(0, 16));
  ASSERT_EQ(strided.stride(0), 32u);
  EXPECT_THROW(plan.fftbr(strided), error);
  EXPECT_THROW(plan.ifftbr(strided), error);
  for (std::size_t k = 0; k < wide.size(); ++k) EXPECT_EQ(wide.data()[k], Kokkos::complex<double>(0)) << k;
}

}  // namespace
}  // namespace qmcsim
