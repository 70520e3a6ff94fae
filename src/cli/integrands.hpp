// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Builds the integrand a command names and hands it to a visitor with its exact value (when known).

#include <optional>
#include <vector>
#include <string>

#include "cli/arguments.hpp"
#include "qmcsim/cubature/integrands.hpp"

namespace qmcsim::cli {

/// The names `visit_integrand` knows.
inline const std::vector<std::string> integrand_names = {
    "keister",        "genz-oscillatory", "genz-product-peak", "genz-corner-peak", "genz-gaussian",
    "genz-continuous", "genz-discontinuous", "asian-option",    "geometric-asian-option"};

/// The Genz coefficients a_j = --genz-a and offsets u_j = --genz-u (all j); read only for a Genz
/// integrand, so that the options are rejected for the others.
struct GenzParameters {
  double a = 1.0, u = 0.3;
  static GenzParameters read(const std::string& name, const Arguments& args) {
    GenzParameters p;
    if (name.rfind("genz-", 0) != 0) return p;
    p.a = args.positive("genz-a", p.a);
    p.u = args.real("genz-u", p.u, 0, 1);
    if (!(p.u < 1)) throw UsageError("--genz-u " + args.text("genz-u", "") + " is outside [0, 1)");
    return p;
  }
};

/// keister, genz-<family>, asian-option (arithmetic average) or geometric-asian-option.
template <class Visitor>
void visit_integrand(const std::string& name, int dimension, const GenzParameters& genz, Visitor&& visit) {
  if (name == "keister") {
    const Keister f{dimension};
    visit(f, std::optional<double>(f.exact()));
  } else if (name.rfind("genz-", 0) == 0) {
    const auto family = parse_genz_family(name.substr(5));
    const std::vector<double> a(dimension, genz.a), u(dimension, genz.u);
    const auto f = Genz<>::make(family, a, u);
    visit(f, std::optional<double>(f.exact()));
  } else if (name == "asian-option") {
    visit(ArithmeticAsianCall{dimension}, std::optional<double>());
  } else if (name == "geometric-asian-option") {
    const GeometricAsianCall f{dimension};
    visit(f, std::optional<double>(f.exact()));
  } else {
    throw UsageError("integrand '" + name + "' is unknown: use keister, genz-oscillatory, genz-product-peak, "
                     "genz-corner-peak, genz-gaussian, genz-continuous, genz-discontinuous, asian-option or "
                     "geometric-asian-option");
  }
}

}  // namespace qmcsim::cli
