// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// qmcsim.VirtualBrownianTree's C++ side: one tree of any Lévy-area level and precision, shared by the
// Brownian queries (brownian.cpp) and the SDE solves along its paths (sde.cpp).

#include <optional>
#include <string>
#include <variant>

#include "arrays.hpp"
#include "integers.hpp"
#include "qmcsim/brownian/virtual_brownian_tree.hpp"

namespace qmcsim::python {

template <LevyArea Levy, class Real>
using Tree = VirtualBrownianTree<Levy, Real>;

/// One tree of any Lévy-area level and precision.
using AnyTree = std::variant<Tree<LevyArea::none, double>, Tree<LevyArea::space_time, double>,
                             Tree<LevyArea::space_time_time, double>, Tree<LevyArea::none, float>,
                             Tree<LevyArea::space_time, float>, Tree<LevyArea::space_time_time, float>>;

/// The Python name of a Lévy-area level.
constexpr const char* levy_name(LevyArea levy) {
  return levy == LevyArea::none ? "none" : (levy == LevyArea::space_time ? "space-time" : "space-time-time");
}

struct BrownianTree {
  AnyTree tree;

  template <LevyArea Levy, class Real>
  static AnyTree make(double t0, double t1, int dimension, std::uint64_t seed, const std::optional<double>& tolerance) {
    return tolerance ? Tree<Levy, Real>::with_leaf_tolerance(t0, t1, *tolerance, dimension, seed)
                     : Tree<Levy, Real>(t0, t1, dimension, seed);
  }

  /// dtype: "float64" or "float32" (see float_dtype).
  BrownianTree(double t0, double t1, int dimension, std::uint64_t seed, const std::string& levy, const std::string& dtype,
               const std::optional<double>& tolerance)
      : tree(make<LevyArea::none, double>(t0, t1, dimension, seed, tolerance)) {
    const bool single = dtype == "float32";
    if (levy == "none") tree = single ? make<LevyArea::none, float>(t0, t1, dimension, seed, tolerance) : tree;
    else if (levy == "space-time")
      tree = single ? make<LevyArea::space_time, float>(t0, t1, dimension, seed, tolerance)
                    : make<LevyArea::space_time, double>(t0, t1, dimension, seed, tolerance);
    else if (levy == "space-time-time")
      tree = single ? make<LevyArea::space_time_time, float>(t0, t1, dimension, seed, tolerance)
                    : make<LevyArea::space_time_time, double>(t0, t1, dimension, seed, tolerance);
    else
      throw error("VirtualBrownianTree: levy_area = '" + detail::printable(levy) +
                  "' is unknown: use none, space-time or space-time-time");
  }

  /// The levy_area the tree was made with, from its type.
  std::string levy_area() const {
    return std::visit([](const auto& t) { return std::string(levy_name(std::decay_t<decltype(t)>::levy_area)); }, tree);
  }

  /// (W, H, K) over the intervals (m, 2) for paths [first_path, first_path + paths): arrays
  /// (paths, m, dimension); H and K are None when the tree does not compute them.
  nb::tuple increments(nb::handle intervals, const Integer& paths, const Integer& first_path) const;
};

}  // namespace qmcsim::python
