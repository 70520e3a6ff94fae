// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Gram matrices of matched kernels and point sets in O(n log n) (QMCPy's fast kernel methods,
/// arXiv 2502.14256; Jagadeeswaran & Hickernell 2019):
///
///  * lattice points in natural (radical-inverse) order with a shift-invariant kernel: the Gram matrix
///    is a circulant in bit-reversed order, K = IFFTBR diag(lambda) FFTBR;
///  * digital-net points in natural or Gray order (randomized by none, ds, lms or lms-ds) with a
///    digitally-shift-invariant kernel: K is a dyadic convolution, K = FWHT diag(lambda) FWHT;
///
/// with lambda = sqrt(n) T(k_0), k_0 = (K(x_i, x_0))_i the first column and T the orthonormal
/// transform. So K v, (K + eta I)^{-1} v and log det(K + eta I) = sum_k log(lambda_k + eta) cost one or
/// two transforms. The constant S of a kernel only adds S n to lambda_0 (T maps constants to
/// component 0), so the spectrum is computed from k_0 - S, which has no constant to cancel:
/// `centered_eigenvalues` returns it as it is (lambda_0 - S n exact to rounding, however small; the
/// squared worst-case error of the rule is (lambda_0 - S n) / (S n)), `eigenvalues` with S n added.
/// Computed eigenvalues carry round-off of order 1e-16 max_k |lambda_k - S n delta_k0|, so the
/// operations use max(lambda_k, 0) + eta. Other pairings (a shift-invariant kernel on net points, NUS, Gray-ordered
/// lattices, n not a power of two) are rejected with a qmcsim::error.

#include <Kokkos_Core.hpp>
#include <cmath>
#include <map>
#include <memory>

#include "qmcsim/core/error.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "qmcsim/kernels/product_kernel.hpp"
#include "qmcsim/lattice/lattice.hpp"
#include "qmcsim/transforms/fftbr.hpp"
#include "qmcsim/transforms/fwht.hpp"

namespace qmcsim {

namespace detail {
/// Throws unless the first n points of a generator with these options have a fast Gram structure.
void check_fast_gram_lattice(const LatticeOptions& options, std::uint64_t n, std::uint64_t max_points, std::size_t replication);
void check_fast_gram_net(const DigitalNetOptions& options, std::uint64_t n, std::uint64_t max_points, std::size_t replication);
void check_fast_gram_kernel(KernelFamily points, const ProductKernel& kernel, std::size_t dimension);

/// The kernel family whose Gram matrices are fast on a generator's points.
template <class ExecSpace>
constexpr KernelFamily kernel_family_of(const Lattice<ExecSpace>&) {
  return KernelFamily::shift_invariant;
}
template <class ExecSpace>
constexpr KernelFamily kernel_family_of(const DigitalNet<ExecSpace>&) {
  return KernelFamily::digitally_shift_invariant;
}

/// Throws unless the first n points of replication 0 have the structure of the fast transforms.
template <class ExecSpace>
void check_fast_structure(const Lattice<ExecSpace>& lattice, std::uint64_t n) {
  check_fast_gram_lattice(lattice.options(), n, lattice.max_points(), 0);
}
template <class ExecSpace>
void check_fast_structure(const DigitalNet<ExecSpace>& net, std::uint64_t n) {
  check_fast_gram_net(net.options(), n, net.max_points(), 0);
}

/// An eigenvalue of a positive semi-definite Gram matrix with its round-off below zero removed.
KOKKOS_INLINE_FUNCTION double clipped(double lambda) { return lambda > 0 ? lambda : 0; }

template <class ExecSpace>
using FastGramPolicy = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>;

/// factor * Re(rows), element by element.
template <class ExecSpace>
Kokkos::View<double**, Kokkos::LayoutRight, typename ExecSpace::memory_space> scaled_real_parts(
    const ExecSpace& space, const ComplexRows<typename ExecSpace::memory_space>& rows, double factor) {
  Kokkos::View<double**, Kokkos::LayoutRight, typename ExecSpace::memory_space> out(
      Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::FastGram::real_parts"), rows.extent(0), rows.extent(1));
  Kokkos::parallel_for("qmcsim::FastGram::real_parts", FastGramPolicy<ExecSpace>(space, 0, static_cast<std::int64_t>(out.size())),
                       KOKKOS_LAMBDA(std::int64_t k) { out.data()[k] = factor * rows.data()[k].real(); });
  return out;
}

/// rows(m, k) *= lambda_k + eta, or /= it.
template <class ExecSpace, class Spectrum>
void scale_by_spectrum(const ExecSpace& space, const ComplexRows<typename ExecSpace::memory_space>& rows,
                       const Spectrum& eigenvalues, double nugget, bool invert) {
  const std::size_t n = rows.extent(1);
  Kokkos::parallel_for("qmcsim::FastGram::scale", FastGramPolicy<ExecSpace>(space, 0, static_cast<std::int64_t>(rows.size())),
                       KOKKOS_LAMBDA(std::int64_t flat) {
                         const double lambda = detail::clipped(eigenvalues(flat % n)) + nugget;
                         rows.data()[flat] *= invert ? 1 / lambda : lambda;
                       });
}

template <class ExecSpace, class Values>
double smallest_entry(const ExecSpace& space, const Values& values) {
  double smallest = 0;
  Kokkos::parallel_reduce("qmcsim::FastGram::smallest", FastGramPolicy<ExecSpace>(space, 0, static_cast<std::int64_t>(values.extent(0))),
                          KOKKOS_LAMBDA(std::int64_t k, double& m) { m = values(k) < m ? values(k) : m; },
                          Kokkos::Min<double>(smallest));
  return smallest;
}
}  // namespace detail

/// The fast Gram matrix of a product kernel on the first n points of a lattice (shift-invariant
/// kernels) or a digital net (digitally-shift-invariant kernels): see the file comment.
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
class FastGram {
 public:
  using execution_space = ExecSpace;                      ///< where the transforms run
  using memory_space = typename ExecSpace::memory_space;  ///< where points and rows live
  using Words = Kokkos::View<std::uint64_t**, Kokkos::LayoutRight, memory_space>;  ///< (points, coordinates)
  using Spectrum = Kokkos::View<double*, Kokkos::LayoutRight, memory_space>;       ///< (n)
  using RealRows = Kokkos::View<double**, Kokkos::LayoutRight, memory_space>;      ///< (rows, n)
  using Rows = ComplexRows<memory_space>;  ///< (rows, n) complex, what the transforms act on

  /// The first n points of replication `replication` of a shifted lattice (natural order). FFT plans
  /// are made on first use for each batch size with `planning` effort: FFTW's estimate by default,
  /// since a FastGram serves tens of transforms, where measuring costs more than it saves.
  FastGram(const Lattice<ExecSpace>& lattice, std::uint64_t n, std::size_t replication = 0,
           PlanningEffort planning = PlanningEffort::estimate)
      : family_(KernelFamily::shift_invariant), planning_(planning) {
    detail::check_fast_gram_lattice(lattice.options(), n, lattice.max_points(), replication);
    points_ = first_points(lattice, n, replication);
  }
  /// The first n points of replication `replication` of a digital net (none, ds, lms or lms-ds).
  FastGram(const DigitalNet<ExecSpace>& net, std::uint64_t n, std::size_t replication = 0,
           PlanningEffort planning = PlanningEffort::estimate)
      : family_(KernelFamily::digitally_shift_invariant), planning_(planning) {
    detail::check_fast_gram_net(net.options(), n, net.max_points(), replication);
    points_ = first_points(net, n, replication);
  }

  /// The kernel family the points are matched to.
  KernelFamily family() const { return family_; }
  /// n, the number of points.
  std::uint64_t size() const { return points_.extent(0); }
  /// d, the number of coordinates.
  std::size_t dimension() const { return points_.extent(1); }
  /// The design points as 64-bit words (see core/bits.hpp).
  const Words& points() const { return points_; }

  /// In place on every row of `rows` (m, n): the orthonormal transform T (FFTBR or FWHT) that
  /// diagonalizes the Gram matrix, and its inverse. Like every method below taking `space`, it
  /// enqueues its kernels on that instance and returns without waiting, except where it returns a
  /// host value (log_determinant; the singularity check of solve and log_determinant), which waits
  /// on `space` only. A FastGram serves one instance at a time (its work array and plans are shared).
  void forward(const ExecSpace& space, const Rows& rows) const {
    if (family_ == KernelFamily::shift_invariant) fftbr_plan(rows.extent(0)).fftbr(space, rows);
    else FwhtPlan<ExecSpace, Kokkos::complex<double>>(size(), rows.extent(0)).transform(space, rows);
  }
  /// In place on every row: T's inverse (IFFTBR, or the FWHT, which is its own inverse).
  void inverse(const ExecSpace& space, const Rows& rows) const {
    if (family_ == KernelFamily::shift_invariant) fftbr_plan(rows.extent(0)).ifftbr(space, rows);
    else FwhtPlan<ExecSpace, Kokkos::complex<double>>(size(), rows.extent(0)).transform(space, rows);
  }

  /// T applied to real rows (m, n), returned as complex rows. The rows may be a strided subview.
  Rows transform(const ExecSpace& space, const RealRows& values) const {
    Rows rows(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::FastGram::rows"), values.extent(0),
              values.extent(1));
    const std::size_t n = values.extent(1);
    Kokkos::parallel_for("qmcsim::FastGram::to_complex", policy(space, values.size()), KOKKOS_LAMBDA(std::int64_t k) {
      rows(k / n, k % n) = values(k / n, k % n);
    });
    forward(space, rows);
    return rows;
  }

  /// The eigenvalues of K - S J (J: all ones): lambda_k for k >= 1 and lambda_0 - S n.
  Spectrum centered_eigenvalues(const ExecSpace& space, const ProductKernel& kernel) const {
    detail::check_fast_gram_kernel(family_, kernel, dimension());
    const auto k = device_kernel<memory_space>(kernel);
    const auto x = points_;
    const Rows column = workspace(space, 1);
    Kokkos::parallel_for("qmcsim::FastGram::first_column", policy(space, size()), KOKKOS_LAMBDA(std::int64_t i) {
      column(0, i) = k.scale * k.product_minus_one(&x(i, 0), &x(0, 0));
    });
    const RealRows spectra = spectra_of(space, column);
    return Kokkos::subview(spectra, 0, Kokkos::ALL());
  }

  /// The eigenvalues lambda_k of (K(x_i, x_l))_{i,l}.
  Spectrum eigenvalues(const ExecSpace& space, const ProductKernel& kernel) const {
    const Spectrum lambda = centered_eigenvalues(space, kernel);
    const double constant = kernel.scale * static_cast<double>(size());
    Kokkos::parallel_for("qmcsim::FastGram::add_constant", policy(space, 1), KOKKOS_LAMBDA(std::int64_t) { lambda(0) += constant; });
    return lambda;
  }

  /// d lambda_k / d log gamma_j for every coordinate j: (d, n). The derivative of a factor is
  /// gamma_j Ktilde_j times the product of the other factors: per point, a forward pass stores the
  /// products of the factors before j and a backward pass multiplies in those after j (O(n d) work,
  /// no division, so a factor that vanishes does no harm).
  RealRows weight_derivatives(const ExecSpace& space, const ProductKernel& kernel) const {
    detail::check_fast_gram_kernel(family_, kernel, dimension());
    const auto k = device_kernel<memory_space>(kernel);
    const auto x = points_;
    const std::size_t d = dimension(), n = size();
    const Rows columns = workspace(space, d);
    Kokkos::parallel_for("qmcsim::FastGram::derivative_columns", policy(space, n), KOKKOS_LAMBDA(std::int64_t i) {
      double before = k.scale;
      for (std::size_t j = 0; j < d; ++j) {
        columns(j, i) = before;
        before *= 1 + k.weights(j) * kernels::factor(k.family, k.smoothness(j), x(i, j), x(0, j));
      }
      double after = 1;
      for (std::size_t j = d; j-- > 0;) {
        const double g = k.weights(j) * kernels::factor(k.family, k.smoothness(j), x(i, j), x(0, j));
        columns(j, i) *= g * after;
        after *= 1 + g;
      }
    });
    return spectra_of(space, columns);
  }

  /// rows_m -> (K + eta I) rows_m, K given by its eigenvalues.
  RealRows multiply(const ExecSpace& space, const Spectrum& eigenvalues, double nugget, const RealRows& values) const {
    return apply(space, values, eigenvalues, nugget, false);
  }
  /// rows_m -> (K + eta I)^{-1} rows_m.
  RealRows solve(const ExecSpace& space, const Spectrum& eigenvalues, double nugget, const RealRows& values) const {
    check_positive(space, eigenvalues, nugget);
    return apply(space, values, eigenvalues, nugget, true);
  }
  /// log det(K + eta I) = sum_k log(lambda_k + eta).
  double log_determinant(const ExecSpace& space, const Spectrum& eigenvalues, double nugget) const {
    check_positive(space, eigenvalues, nugget);
    double sum = 0;
    Kokkos::parallel_reduce("qmcsim::FastGram::log_determinant", policy(space, size()),
                            KOKKOS_LAMBDA(std::int64_t k, double& partial) { partial += ::log(detail::clipped(eigenvalues(k)) + nugget); }, sum);
    return sum;
  }

  /// K(z_p, x_i) for new points z given as words (p, d): (p, n).
  RealRows cross_kernel(const ExecSpace& space, const ProductKernel& kernel, const Words& new_points) const {
    detail::check_fast_gram_kernel(family_, kernel, dimension());
    detail::require(new_points.extent(1) == dimension(), "FastGram::cross_kernel: new points have ", new_points.extent(1),
                    " coordinates, the design has ", dimension());
    const auto k = device_kernel<memory_space>(kernel);
    const auto x = points_;
    const std::size_t n = size();
    RealRows out(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::FastGram::cross_kernel"), new_points.extent(0), n);
    Kokkos::parallel_for("qmcsim::FastGram::cross_kernel", policy(space, out.size()), KOKKOS_LAMBDA(std::int64_t flat) {
      out(flat / n, flat % n) = k(&new_points(flat / n, 0), &x(flat % n, 0));
    });
    return out;
  }

  /// The methods above on Kokkos' default instance ExecSpace().
  void forward(const Rows& rows) const { forward(ExecSpace(), rows); }
  /// inverse on ExecSpace().
  void inverse(const Rows& rows) const { inverse(ExecSpace(), rows); }
  /// transform on ExecSpace().
  Rows transform(const RealRows& values) const { return transform(ExecSpace(), values); }
  /// centered_eigenvalues on ExecSpace().
  Spectrum centered_eigenvalues(const ProductKernel& kernel) const { return centered_eigenvalues(ExecSpace(), kernel); }
  /// eigenvalues on ExecSpace().
  Spectrum eigenvalues(const ProductKernel& kernel) const { return eigenvalues(ExecSpace(), kernel); }
  /// weight_derivatives on ExecSpace().
  RealRows weight_derivatives(const ProductKernel& kernel) const { return weight_derivatives(ExecSpace(), kernel); }
  /// multiply on ExecSpace().
  RealRows multiply(const Spectrum& eigenvalues, double nugget, const RealRows& values) const {
    return multiply(ExecSpace(), eigenvalues, nugget, values);
  }
  /// solve on ExecSpace().
  RealRows solve(const Spectrum& eigenvalues, double nugget, const RealRows& values) const {
    return solve(ExecSpace(), eigenvalues, nugget, values);
  }
  /// log_determinant on ExecSpace().
  double log_determinant(const Spectrum& eigenvalues, double nugget) const {
    return log_determinant(ExecSpace(), eigenvalues, nugget);
  }
  /// cross_kernel on ExecSpace().
  RealRows cross_kernel(const ProductKernel& kernel, const Words& new_points) const {
    return cross_kernel(ExecSpace(), kernel, new_points);
  }

 private:
  using Policy = Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<std::int64_t>>;
  static Policy policy(const ExecSpace& space, std::size_t count) { return Policy(space, 0, static_cast<std::int64_t>(count)); }

  template <class Generator>
  static Words first_points(const Generator& generator, std::uint64_t n, std::size_t replication) {
    Kokkos::View<std::uint64_t***, Kokkos::LayoutRight, memory_space> all("qmcsim::FastGram::all_points",
                                                                         generator.replications(), n, generator.dimension());
    generator.generate({0, n}, all);
    Words points("qmcsim::FastGram::points", n, generator.dimension());
    Kokkos::deep_copy(points, Kokkos::subview(all, replication, Kokkos::ALL(), Kokkos::ALL()));
    return points;
  }

  FftbrPlan<ExecSpace>& fftbr_plan(std::size_t batch) const {
    auto& plan = fftbr_plans_[batch];
    if (!plan) plan = std::make_shared<FftbrPlan<ExecSpace>>(size(), batch, planning_);
    return *plan;
  }

  /// sqrt(n) Re T(columns) for columns (m, n) of first Gram columns, transformed in place.
  RealRows spectra_of(const ExecSpace& space, const Rows& columns) const {
    forward(space, columns);
    return detail::scaled_real_parts(space, columns, std::sqrt(static_cast<double>(size())));
  }

  /// The first `rows` rows of a complex work array kept between calls: repeated likelihood
  /// evaluations then touch no fresh memory.
  Rows workspace(const ExecSpace& space, std::size_t rows) const {
    if (workspace_.extent(0) < rows)
      workspace_ = Rows(Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::FastGram::workspace"), rows, size());
    return Kokkos::subview(workspace_, std::make_pair(std::size_t{0}, rows), Kokkos::ALL());
  }

  RealRows apply(const ExecSpace& space, const RealRows& values, const Spectrum& eigenvalues, double nugget, bool invert) const {
    detail::require(values.extent(1) == size() && eigenvalues.extent(0) == size(), "FastGram: rows of length ",
                    values.extent(1), " and ", eigenvalues.extent(0), " eigenvalues, the design has n = ", size());
    const Rows rows = transform(space, values);
    detail::scale_by_spectrum(space, rows, eigenvalues, nugget, invert);
    inverse(space, rows);
    return detail::scaled_real_parts(space, rows, 1.0);
  }

  void check_positive(const ExecSpace& space, const Spectrum& eigenvalues, double nugget) const {
    detail::require_finite("FastGram", "nugget", nugget);
    const double smallest = detail::clipped(detail::smallest_entry(space, eigenvalues));
    detail::require(smallest + nugget > 0, "FastGram: K + eta I is singular: smallest eigenvalue ", smallest,
                    " with nugget eta = ", nugget, " (use a positive nugget)");
  }

  KernelFamily family_;
  PlanningEffort planning_;
  Words points_;
  mutable std::map<std::size_t, std::shared_ptr<FftbrPlan<ExecSpace>>> fftbr_plans_;
  mutable Rows workspace_;
};

}  // namespace qmcsim
