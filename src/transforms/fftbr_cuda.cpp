// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// FFTBR/IFFTBR on CUDA: one Kokkos kernel swaps every pair (j, rev(j)) of a row and applies the
// 1/sqrt(n) scaling; cuFFT, on the stream of the instance the caller passes, computes the batched
// transforms in place.

#include <cufft.h>

#include <cmath>

#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/transforms/fftbr.hpp"

namespace qmcsim::detail {
namespace {

void check_cufft(cufftResult status, const char* what) {
  require(status == CUFFT_SUCCESS, "FFTBR: cuFFT failed in ", what, " (cufftResult ", static_cast<int>(status), ")");
}

}  // namespace

// Swaps entries j and rev(j) of every row and scales them (an extended lambda needs a named,
// accessible enclosing function).
void reverse_and_scale_rows(const Kokkos::Cuda& space, Kokkos::complex<double>* data, std::size_t n, std::size_t batch,
                            double factor) {
  const int bits_count = bits::floor_log2(n);
  Kokkos::parallel_for(
      "qmcsim::FftbrPlan::reverse", Kokkos::RangePolicy<Kokkos::Cuda, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(n * batch)),
      KOKKOS_LAMBDA(std::int64_t flat) {
        const std::size_t row = flat / n, j = flat % n;
        const std::size_t partner = bits_count == 0 ? 0 : bits::bit_reverse(j) >> (64 - bits_count);
        if (partner < j) return;
        Kokkos::complex<double>* x = data + row * n;
        const Kokkos::complex<double> a = x[j] * factor;
        x[j] = x[partner] * factor;
        x[partner] = a;
      });
}

struct CudaFft::Impl {
  std::size_t n, batch;
  double scale;
  cufftHandle plan{};

  Impl(std::size_t n_, std::size_t batch_)
      : n(n_), batch(batch_), scale(1.0 / std::sqrt(static_cast<double>(n_))) {
    int length = static_cast<int>(n);
    check_cufft(cufftPlanMany(&plan, 1, &length, nullptr, 1, length, nullptr, 1, length, CUFFT_Z2Z, static_cast<int>(batch)),
                "cufftPlanMany");
  }
  ~Impl() { cufftDestroy(plan); }

  void transform(const Kokkos::Cuda& space, Kokkos::complex<double>* data, int direction) const {
    auto* z = reinterpret_cast<cufftDoubleComplex*>(data);
    check_cufft(cufftSetStream(plan, space.cuda_stream()), "cufftSetStream");
    check_cufft(cufftExecZ2Z(plan, z, z, direction), "cufftExecZ2Z");
  }
};

CudaFft::CudaFft(std::size_t n, std::size_t batch, PlanningEffort) : impl_(std::make_unique<Impl>(n, batch)) {}
CudaFft::~CudaFft() = default;

void CudaFft::forward(const Kokkos::Cuda& space, Kokkos::complex<double>* data) const {
  reverse_and_scale_rows(space, data, impl_->n, impl_->batch, impl_->scale);
  impl_->transform(space, data, CUFFT_FORWARD);
}

void CudaFft::inverse(const Kokkos::Cuda& space, Kokkos::complex<double>* data) const {
  impl_->transform(space, data, CUFFT_INVERSE);
  reverse_and_scale_rows(space, data, impl_->n, impl_->batch, impl_->scale);
}

}  // namespace qmcsim::detail
