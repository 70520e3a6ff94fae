// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The integrand contract of qmcsim's cubature: a trivially copyable functor
///   KOKKOS_INLINE_FUNCTION double operator()(const double* x) const;
/// that reads the d coordinates x[0] .. x[d-1] of one point of [0,1)^d (a contiguous row) and is
/// callable inside Kokkos kernels. An integrand that declares its dimension, as a data member
/// `dimension` or a member function `dimension()` (all of qmcsim's integrands do), is checked
/// against the point set's before anything is evaluated: a larger one would read past the row, a
/// smaller one would silently integrate fewer coordinates.
///
///   struct Product { int dimension; KOKKOS_INLINE_FUNCTION double operator()(const double* x) const {...} };
///   rqmc_cubature(sobol, Product{8});   // throws qmcsim::error unless sobol has 8 coordinates

#include <cstddef>
#include <type_traits>
#include <utility>

#include "qmcsim/core/error.hpp"

namespace qmcsim {
namespace detail {

template <class F, class = void>
struct has_dimension_function : std::false_type {};
template <class F>
struct has_dimension_function<F, std::void_t<decltype(std::declval<const F&>().dimension())>> : std::true_type {};

template <class F, class = void>
struct has_dimension_member : std::false_type {};
template <class F>
struct has_dimension_member<F, std::enable_if_t<std::is_member_object_pointer_v<decltype(&F::dimension)>>>
    : std::true_type {};

}  // namespace detail

/// Whether `Integrand` declares its dimension (so that it can be checked).
template <class Integrand>
inline constexpr bool declares_dimension_v =
    detail::has_dimension_function<Integrand>::value || detail::has_dimension_member<Integrand>::value;

namespace detail {

/// Throws qmcsim::error when `f` declares a dimension other than `points_dimension`.
template <class Integrand>
void check_integrand_dimension(const char* where, const Integrand& f, std::size_t points_dimension) {
  if constexpr (has_dimension_function<Integrand>::value || has_dimension_member<Integrand>::value) {
    long long declared = 0;
    if constexpr (has_dimension_function<Integrand>::value) declared = static_cast<long long>(f.dimension());
    else declared = static_cast<long long>(f.dimension);
    require(declared >= 0 && static_cast<std::size_t>(declared) == points_dimension, where, ": the integrand has dimension ",
            declared, ", the point set ", points_dimension, " (they must be equal)");
  }
}

}  // namespace detail
}  // namespace qmcsim
