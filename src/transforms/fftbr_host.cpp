// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// FFTBR/IFFTBR on the host: FFTW computes the small transforms, Kokkos threads run them in parallel.
//
// With n = N1 N2 (N1 = 2^m1, N2 = 2^m2) and x viewed as N2 contiguous blocks of N1 entries,
// index p = c N1 + q sits at position rev_m(p) = rev_m1(q) N2 + rev_m2(c) of the bit-reversed input,
// and for k = k1 + N1 k2
//   y_k = sum_c e^{-2 pi i rev(c) k2 / N2} w^{rev(c) k1} Z[c, k1],  Z[c, k1] = FFT_N1(x[c N1 + rev(.)])[k1]
// with w = e^{-2 pi i / n}. Pass 1 transforms every block (gathered in bit-reversed order, in cache)
// and applies the twiddles w^{rev(c) k1}; pass 2 transforms every column k1, whose entries are read
// in the bit-reversed order of c, and writes y in place. IFFTBR runs the same passes backwards.

#include <fftw3.h>

#include <cmath>
#include <mutex>
#include <vector>

#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/transforms/fftbr.hpp"

namespace qmcsim::detail {
namespace {

using Complex = Kokkos::complex<double>;
using HostSpace = Kokkos::DefaultHostExecutionSpace;

// FFTW's planner is not thread-safe; execution of an existing plan on new arrays is.
std::mutex& planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

constexpr int small_log2 = 11;   // up to 2^11 entries one row is one in-cache transform
constexpr std::size_t tile = 8;  // columns per pass-2 work item: one 128-byte span per row

struct FftwBuffer {
  explicit FftwBuffer(std::size_t count) : data(static_cast<Complex*>(fftw_malloc(sizeof(Complex) * (count ? count : 1)))) {
    require(data != nullptr, "FFTBR: cannot allocate ", count, " complex scratch entries");
  }
  ~FftwBuffer() { fftw_free(data); }
  FftwBuffer(const FftwBuffer&) = delete;
  FftwBuffer& operator=(const FftwBuffer&) = delete;
  Complex* data;
};

fftw_complex* as_fftw(Complex* p) { return reinterpret_cast<fftw_complex*>(p); }

std::vector<std::uint32_t> bit_reversal_table(int bits_count) {
  std::vector<std::uint32_t> table(std::size_t{1} << bits_count);
  for (std::size_t j = 0; j < table.size(); ++j)
    table[j] = bits_count == 0 ? 0 : static_cast<std::uint32_t>(bits::bit_reverse(j) >> (64 - bits_count));
  return table;
}

Complex unit_root(std::size_t t, std::size_t n) {
  const double angle = -2.0 * M_PI * (static_cast<double>(t) / static_cast<double>(n));
  return {std::cos(angle), std::sin(angle)};
}

}  // namespace

struct HostFft::Impl {
  std::size_t n, batch;
  int m, m1, m2;
  std::size_t n1, n2;
  double scale;
  std::vector<std::uint32_t> rev1, rev2;
  std::vector<Complex> twiddle_high, twiddle_low;  // w^{t} = high[t >> m1] * low[t & (n1 - 1)]
  fftw_plan block_forward = nullptr, block_inverse = nullptr;
  fftw_plan column_forward = nullptr, column_inverse = nullptr;
  std::size_t scratch_per_thread;
  std::vector<std::unique_ptr<FftwBuffer>> scratch;  // one per concurrent thread
  Kokkos::Experimental::UniqueToken<HostSpace> tokens;

  Impl(std::size_t n_, std::size_t batch_, PlanningEffort effort)
      : n(n_), batch(batch_), m(bits::floor_log2(n_)), scale(1.0 / std::sqrt(static_cast<double>(n_))) {
    m1 = m <= small_log2 ? m : (m + 1) / 2;
    m2 = m - m1;
    n1 = std::size_t{1} << m1;
    n2 = std::size_t{1} << m2;
    rev1 = bit_reversal_table(m1);
    rev2 = bit_reversal_table(m2);
    for (std::size_t a = 0; a < n2; ++a) twiddle_high.push_back(unit_root(a * n1, n));
    for (std::size_t b = 0; b < n1; ++b) twiddle_low.push_back(unit_root(b, n));
    scratch_per_thread = m2 == 0 ? n1 : std::max(n1, n2 * tile);
    for (int k = 0; k < tokens.size(); ++k) scratch.push_back(std::make_unique<FftwBuffer>(scratch_per_thread));

    std::lock_guard<std::mutex> lock(planner_mutex());
    FftwBuffer planning(scratch_per_thread);
    const int size1 = static_cast<int>(n1), size2 = static_cast<int>(n2), howmany = static_cast<int>(tile);
    const unsigned flags = effort == PlanningEffort::measure ? FFTW_MEASURE : FFTW_ESTIMATE;
    block_forward = fftw_plan_dft_1d(size1, as_fftw(planning.data), as_fftw(planning.data), FFTW_FORWARD, flags);
    block_inverse = fftw_plan_dft_1d(size1, as_fftw(planning.data), as_fftw(planning.data), FFTW_BACKWARD, flags);
    if (m2 > 0) {
      column_forward = fftw_plan_many_dft(1, &size2, howmany, as_fftw(planning.data), nullptr, howmany, 1,
                                          as_fftw(planning.data), nullptr, howmany, 1, FFTW_FORWARD, flags);
      column_inverse = fftw_plan_many_dft(1, &size2, howmany, as_fftw(planning.data), nullptr, howmany, 1,
                                          as_fftw(planning.data), nullptr, howmany, 1, FFTW_BACKWARD, flags);
    }
    require(block_forward && block_inverse && (m2 == 0 || (column_forward && column_inverse)),
            "FFTBR: FFTW could not plan a transform of length ", n);
  }

  ~Impl() {
    std::lock_guard<std::mutex> lock(planner_mutex());
    for (fftw_plan plan : {block_forward, block_inverse, column_forward, column_inverse})
      if (plan) fftw_destroy_plan(plan);
  }

  Complex twiddle(std::size_t t) const { return twiddle_high[t >> m1] * twiddle_low[t & (n1 - 1)]; }

  // Runs body(scratch, item) for item in [0, items) on the threads of `space`, each with its own
  // scratch, and waits for them: the bodies refer to their caller's locals.
  template <class Body>
  void parallel(const HostSpace& space, std::size_t items, const Body& body) const {
    const auto* self = this;
    Kokkos::parallel_for(
        "qmcsim::FftbrPlan", Kokkos::RangePolicy<HostSpace, Kokkos::IndexType<std::int64_t>>(space, 0, static_cast<std::int64_t>(items)),
        [=](std::int64_t item) {
          const int id = self->tokens.acquire();
          body(self->scratch[id]->data, static_cast<std::size_t>(item));
          self->tokens.release(id);
        });
    space.fence();
  }

  // Pass 1 (forward): FFT of block c gathered in bit-reversed order, then twiddles (or, when the
  // whole row is one block, the final scaling).
  void blocks_forward(const HostSpace& space, Complex* data) const {
    parallel(space, batch * n2, [&](Complex* s, std::size_t item) {
      Complex* block = data + item * n1;
      const std::size_t r = rev2[item % n2];
      for (std::size_t j = 0; j < n1; ++j) s[j] = block[rev1[j]];
      fftw_execute_dft(block_forward, as_fftw(s), as_fftw(s));
      if (m2 == 0)
        for (std::size_t k = 0; k < n1; ++k) block[k] = s[k] * scale;
      else
        for (std::size_t k = 0; k < n1; ++k) block[k] = s[k] * twiddle(r * k);
    });
  }

  // Pass 2 (forward): FFT over c of `tile` columns, read in bit-reversed order of c, scaled.
  void columns_forward(const HostSpace& space, Complex* data) const {
    const std::size_t tiles_per_row = n1 / tile;
    parallel(space, batch * tiles_per_row, [&](Complex* s, std::size_t item) {
      Complex* row = data + (item / tiles_per_row) * n;
      const std::size_t k1 = (item % tiles_per_row) * tile;
      // rows are read in memory order (prefetch-friendly) and placed bit-reversed inside the scratch
      for (std::size_t c = 0; c < n2; ++c)
        for (std::size_t t = 0; t < tile; ++t) s[rev2[c] * tile + t] = row[c * n1 + k1 + t];
      fftw_execute_dft(column_forward, as_fftw(s), as_fftw(s));
      for (std::size_t k2 = 0; k2 < n2; ++k2)
        for (std::size_t t = 0; t < tile; ++t) row[k2 * n1 + k1 + t] = s[k2 * tile + t] * scale;
    });
  }

  void columns_inverse(const HostSpace& space, Complex* data) const {
    const std::size_t tiles_per_row = n1 / tile;
    parallel(space, batch * tiles_per_row, [&](Complex* s, std::size_t item) {
      Complex* row = data + (item / tiles_per_row) * n;
      const std::size_t k1 = (item % tiles_per_row) * tile;
      for (std::size_t k2 = 0; k2 < n2; ++k2)
        for (std::size_t t = 0; t < tile; ++t) s[k2 * tile + t] = row[k2 * n1 + k1 + t];
      fftw_execute_dft(column_inverse, as_fftw(s), as_fftw(s));
      for (std::size_t c = 0; c < n2; ++c)
        for (std::size_t t = 0; t < tile; ++t) row[c * n1 + k1 + t] = s[rev2[c] * tile + t];
    });
  }

  void blocks_inverse(const HostSpace& space, Complex* data) const {
    parallel(space, batch * n2, [&](Complex* s, std::size_t item) {
      Complex* block = data + item * n1;
      const std::size_t r = rev2[item % n2];
      if (m2 == 0)
        for (std::size_t k = 0; k < n1; ++k) s[k] = block[k];
      else
        for (std::size_t k = 0; k < n1; ++k) s[k] = block[k] * Kokkos::conj(twiddle(r * k));
      fftw_execute_dft(block_inverse, as_fftw(s), as_fftw(s));
      for (std::size_t j = 0; j < n1; ++j) block[rev1[j]] = s[j] * scale;
    });
  }
};

HostFft::HostFft(std::size_t n, std::size_t batch, PlanningEffort effort) : impl_(std::make_unique<Impl>(n, batch, effort)) {}
HostFft::~HostFft() = default;

void HostFft::forward(const Kokkos::DefaultHostExecutionSpace& space, Kokkos::complex<double>* data) const {
  impl_->blocks_forward(space, data);
  if (impl_->m2 > 0) impl_->columns_forward(space, data);
}

void HostFft::inverse(const Kokkos::DefaultHostExecutionSpace& space, Kokkos::complex<double>* data) const {
  if (impl_->m2 > 0) impl_->columns_inverse(space, data);
  impl_->blocks_inverse(space, data);
}

}  // namespace qmcsim::detail
