// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// The true measures of the Python package (Uniform, Lebesgue, Gaussian, BrownianMotion), shared with
// the cubature bindings, which integrate f against them.

#include <variant>

#include "arrays.hpp"
#include "qmcsim/cubature/measures.hpp"
#include "runtime.hpp"

namespace qmcsim::python {

/// A measure of cubature/measures.hpp in host memory, behind the Python classes.
struct PythonMeasure : Counted {
  std::variant<BoxMeasure<Kokkos::HostSpace>, Gaussian<Kokkos::HostSpace>, BrownianMotion<Kokkos::HostSpace>> measure;

  template <class Measure>
  explicit PythonMeasure(Measure m) : measure(std::move(m)) {}

  std::size_t dimension() const {
    return std::visit([](const auto& m) { return m.dimension(); }, measure);
  }
  double mass() const {
    return std::visit([](const auto& m) { return m.mass; }, measure);
  }
  /// t = T(x) for `count` rows of d coordinates (host memory).
  void transform_rows(const double* x, double* t, std::size_t count) const;
};

}  // namespace qmcsim::python
