// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// The point-set classes of the Python package, shared by the modules that take them as arguments.

#include "arrays.hpp"
#include "integers.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "qmcsim/halton/halton.hpp"
#include "qmcsim/iid/iid_uniform.hpp"
#include "qmcsim/lattice/lattice.hpp"
#include "runtime.hpp"

namespace qmcsim::python {

/// A generator behind a Python class: options in, arrays out.
template <class Generator>
struct PointSet : Counted {
  Generator generator;
  explicit PointSet(Generator g) : generator(std::move(g)) {}
  /// Points start .. start + n - 1 into a new array, or into `out` (then returned) when given.
  nb::object gen(const Integer& n, const Integer& start, nb::handle dtype, nb::handle out) const;
};

using LatticeSet = PointSet<Lattice<>>;
using NetSet = PointSet<DigitalNet<>>;
using HaltonSet = PointSet<Halton<>>;
using IidSet = PointSet<IidUniform<>>;

/// Calls visit(generator) with the C++ generator behind a Python point set; ValueError for anything else.
template <class Visitor>
auto visit_points(nb::handle points, const char* where, const Visitor& visit) {
  if (nb::isinstance<LatticeSet>(points)) return visit(nb::cast<const LatticeSet&>(points).generator);
  if (nb::isinstance<NetSet>(points)) return visit(nb::cast<const NetSet&>(points).generator);
  if (nb::isinstance<HaltonSet>(points)) return visit(nb::cast<const HaltonSet&>(points).generator);
  if (nb::isinstance<IidSet>(points)) return visit(nb::cast<const IidSet&>(points).generator);
  throw error(std::string(where) + ": points must be a qmcsim Lattice, DigitalNet, Halton or IID");
}

}  // namespace qmcsim::python
