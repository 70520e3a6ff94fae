// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Batched fast Fourier transforms in bit-reversed order (FFTBR, IFFTBR) of length n = 2^m, as a plan.
///
/// Conventions (QMCPy's, arXiv 2502.14256), orthonormal so that both transforms are unitary:
///   FFTBR:   y_k = n^{-1/2} sum_j x_{rev(j)} e^{-2 pi i jk/n}    (input in bit-reversed order)
///   IFFTBR:  the inverse of FFTBR: x_{rev(j)} = n^{-1/2} sum_k y_k e^{+2 pi i jk/n}
/// where rev reverses the m bits of an index. Lattice points in radical-inverse order are the
/// bit-reversal of the lattice in linear order, so FFTBR diagonalizes the Gram matrix of a
/// shift-invariant kernel on them. An ordinary FFT of x is FFTBR of x stored in bit-reversed order.
///
/// Plan/execute split as in FFTW: the constructor plans once (FFTW plans on the host, measured or
/// estimated, see PlanningEffort; cuFFT plans on CUDA), `fftbr`/`ifftbr` run in place on a (batch, n)
/// view any number of times, on Kokkos' default instance or on one the caller passes (its stream, for
/// cuFFT). Rows must be contiguous (a row stride of n); a strided subview is rejected.
/// On the host the bit reversal costs no separate pass: n = N1 N2 is split so that the first pass
/// transforms each contiguous block of N1 entries (gathered in bit-reversed order inside the cache),
/// applies the twiddle factors and the second pass transforms the N1 strided columns. On CUDA the
/// reversal is fused with the scaling into one permutation kernel around cuFFT.

#include <Kokkos_Complex.hpp>
#include <Kokkos_Core.hpp>
#include <memory>

namespace qmcsim {

/// Complex data in rows: (batch, n), each row one transform.
template <class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
using ComplexRows = Kokkos::View<Kokkos::complex<double>**, Kokkos::LayoutRight, MemorySpace>;

/// How hard the host back end searches for a fast FFTW plan. `measure` times candidate algorithms
/// (tens of milliseconds to seconds per size, the fastest plan, and its choice can depend on the
/// machine's load); `estimate` picks one by FFTW's heuristics (microseconds, the same plan on every
/// run: use it where a plan serves a few transforms, or where results must not depend on timing).
/// cuFFT has no such choice.
enum class PlanningEffort { estimate, measure };

namespace detail {

/// FFTW-backed transforms on host memory, run by the threads of the instance (and waited for).
class HostFft {
 public:
  HostFft(std::size_t n, std::size_t batch, PlanningEffort effort);
  ~HostFft();
  HostFft(const HostFft&) = delete;
  HostFft& operator=(const HostFft&) = delete;
  void forward(const Kokkos::DefaultHostExecutionSpace& space, Kokkos::complex<double>* data) const;
  void inverse(const Kokkos::DefaultHostExecutionSpace& space, Kokkos::complex<double>* data) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

#if defined(KOKKOS_ENABLE_CUDA)
/// cuFFT-backed transforms on CUDA device memory, enqueued on the instance's stream.
class CudaFft {
 public:
  CudaFft(std::size_t n, std::size_t batch, PlanningEffort effort);
  ~CudaFft();
  CudaFft(const CudaFft&) = delete;
  CudaFft& operator=(const CudaFft&) = delete;
  void forward(const Kokkos::Cuda& space, Kokkos::complex<double>* data) const;
  void inverse(const Kokkos::Cuda& space, Kokkos::complex<double>* data) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};
#endif

template <class ExecSpace>
struct FftBackend {
  static_assert(std::is_same_v<ExecSpace, Kokkos::DefaultHostExecutionSpace>,
                "qmcsim: no FFT back end for this execution space (the host back end runs on Kokkos' default host space)");
  using type = HostFft;
};
#if defined(KOKKOS_ENABLE_CUDA)
template <>
struct FftBackend<Kokkos::Cuda> {
  using type = CudaFft;
};
#endif

void check_fft_shape(std::size_t n, std::size_t batch);
void check_fft_data(std::size_t n, std::size_t batch, std::size_t extent0, std::size_t extent1, std::size_t row_stride);

}  // namespace detail

/// A plan for `batch` FFTBR / IFFTBR transforms of length n (FFTW on the host, cuFFT on a GPU), made
/// once and executed on any data of its shape (see the file comment for the conventions).
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class FftbrPlan {
 public:
  using execution_space = ExecSpace;                             ///< where the transforms run
  using memory_space = typename ExecSpace::memory_space;         ///< where the data must live
  using Backend = typename detail::FftBackend<ExecSpace>::type;  ///< FFTW's or cuFFT's plan

  /// Plans `batch` transforms of length n (a power of two, at most 2^28).
  FftbrPlan(std::size_t n, std::size_t batch, PlanningEffort effort = PlanningEffort::measure)
      : n_(n), batch_(batch), backend_((detail::check_fft_shape(n, batch), std::make_shared<Backend>(n, batch, effort))) {}

  /// n, the length of a transform.
  std::size_t size() const { return n_; }
  /// The number of rows transformed per call.
  std::size_t batch() const { return batch_; }

  /// In place: FFTBR of every row of `data` (batch, n), enqueued on the instance `space` (on CUDA it
  /// returns without waiting; on the host when done). One plan serves one instance at a time.
  void fftbr(const ExecSpace& space, const ComplexRows<memory_space>& data) const {
    detail::check_fft_data(n_, batch_, data.extent(0), data.extent(1), data.stride(0));
    backend_->forward(space, data.data());
  }
  /// In place: IFFTBR of every row of `data` (batch, n), enqueued on `space` (as fftbr).
  void ifftbr(const ExecSpace& space, const ComplexRows<memory_space>& data) const {
    detail::check_fft_data(n_, batch_, data.extent(0), data.extent(1), data.stride(0));
    backend_->inverse(space, data.data());
  }
  /// fftbr(ExecSpace(), data), returning when it is done.
  void fftbr(const ComplexRows<memory_space>& data) const {
    const ExecSpace space;
    fftbr(space, data);
    space.fence();
  }
  /// ifftbr(ExecSpace(), data), returning when it is done.
  void ifftbr(const ComplexRows<memory_space>& data) const {
    const ExecSpace space;
    ifftbr(space, data);
    space.fence();
  }

 private:
  std::size_t n_, batch_;
  std::shared_ptr<Backend> backend_;
};

}  // namespace qmcsim
