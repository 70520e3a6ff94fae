// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Integrating against a true measure (QMCPy's TrueMeasure): the variable transform that turns
/// int g dmu into an integral over the unit cube, which every cubature routine of qmcsim computes.
///
/// A measure mu on R^d of total mass |mu| is given by a transform T: [0,1)^d -> R^d such that
/// T(U) ~ mu / |mu| when U ~ Uniform[0,1)^d; then
///   int g dmu = |mu| int_{[0,1)^d} g(T(x)) dx.
/// |mu| is 1 for probability measures (Gaussian, Brownian motion, uniform on a box) and the volume
/// for Lebesgue measure on a box. The measure contract (cubature/measures.hpp has qmcsim's):
///   std::size_t dimension() const;
///   double mass;                                      // |mu|
///   KOKKOS_INLINE_FUNCTION void transform(const double* x, double* t, double* scratch) const;
/// where transform writes T(x) into t[0..d) and may use scratch[0..d); both are the caller's.
///
///   const auto path = BrownianMotion<>::make(times, PathConstruction::pca);
///   rqmc_cubature(sobol, against(path, ArithmeticAsianCall{d}));   // E g(B) for the payoff g of the path B

#include <Kokkos_Core.hpp>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "qmcsim/core/error.hpp"
#include "qmcsim/cubature/integrand.hpp"

namespace qmcsim {
namespace detail {
template <class Function, class = void>
struct has_outputs : std::false_type {};
template <class Function>
struct has_outputs<Function, std::void_t<decltype(std::declval<const Function&>().outputs())>> : std::true_type {};

/// g.outputs() for a vector-valued g, 1 for a scalar one.
template <class Function>
std::size_t output_count(const Function& g) {
  if constexpr (has_outputs<Function>::value) return g.outputs();
  return 1;
}
}  // namespace detail

/// The integrand x -> |mu| g(T(x)) on [0,1)^d: g is a function of a point t of R^d (the integrand
/// contract, on t instead of x), scalar or vector-valued (outputs() and g(t, y) writing y[0..outputs),
/// cubature/rqmc.hpp). T(x) lives in a per-call buffer of `Capacity` doubles (twice that with the
/// scratch), so d <= Capacity; on a GPU the buffer is thread-local memory.
template <class Measure, class Function, int Capacity = 1024>
struct MeasureIntegrand {
  static_assert(Capacity >= 1, "MeasureIntegrand: Capacity must be positive");
  Measure measure;  ///< mu, with its transform T and mass |mu|
  Function g;       ///< the function of t in R^d
  /// g.outputs() for a vector-valued g, read on the host by `against` (the vector integrand contract
  /// has outputs() on the host only), 1 otherwise.
  std::size_t output_count = 1;

  /// d, the measure's dimension.
  std::size_t dimension() const { return measure.dimension(); }
  /// For a vector-valued g only.
  KOKKOS_INLINE_FUNCTION std::size_t outputs() const { return output_count; }

  /// |mu| g(T(x)) for a scalar g.
  KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {
    double t[Capacity], scratch[Capacity];
    measure.transform(x, t, scratch);
    return measure.mass * g(t);
  }

  /// For a vector-valued g only.
  KOKKOS_INLINE_FUNCTION void operator()(const double* x, double* y) const {
    double t[Capacity], scratch[Capacity];
    measure.transform(x, t, scratch);
    g(t, y);
    for (std::size_t j = 0; j < output_count; ++j) y[j] *= measure.mass;
  }
};

/// The integrand on [0,1)^d whose integral is int g dmu. Throws qmcsim::error when g declares a
/// dimension other than mu's, or when mu's dimension exceeds Capacity.
template <int Capacity = 1024, class Measure, class Function>
MeasureIntegrand<Measure, Function, Capacity> against(const Measure& measure, const Function& g) {
  const std::size_t d = measure.dimension();
  detail::require(d >= 1 && d <= static_cast<std::size_t>(Capacity), "against: the measure's dimension ", d,
                  " is outside [1, ", Capacity, "] (raise the Capacity template argument)");
  detail::check_integrand_dimension("against", g, d);
  return {measure, g, detail::output_count(g)};
}

}  // namespace qmcsim
