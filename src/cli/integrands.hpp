#pragma once
// Builds the integrand a command names and hands it to a visitor with its exact value (when known).

#include <optional>
#include <string>

#include "cli/arguments.hpp"
#include "qmcsim/cubature/integrands.hpp"

namespace qmcsim::cli {

/// keister, genz-<family>, asian-option (arithmetic average) or geometric-asian-option.
template <class Visitor>
void visit_integrand(const std::string& name, int dimension, const Arguments& args, Visitor&& visit) {
  if (name == "keister") {
    const Keister f{dimension};
    visit(f, std::optional<double>(f.exact()));
  } else if (name.rfind("genz-", 0) == 0) {
    const auto family = parse_genz_family(name.substr(5));
    const std::vector<double> a(dimension, args.real("genz-a", 1.0)), u(dimension, args.real("genz-u", 0.3));
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
