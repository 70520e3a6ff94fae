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

/// The integrand's parameters: the Genz coefficients a_j = --genz-a and offsets u_j = --genz-u (all
/// j), and the Asian options' --path-construction; each read only for the integrands that have it, so
/// that the options are rejected for the others.
struct IntegrandParameters {
  double genz_a = 1.0, genz_u = 0.3;
  PathConstruction construction = PathConstruction::pca;  // QMCPy's default for Brownian motion

  static IntegrandParameters read(const std::string& name, const Arguments& args) {
    IntegrandParameters p;
    if (name.rfind("genz-", 0) == 0) {
      p.genz_a = args.positive("genz-a", p.genz_a);
      p.genz_u = args.real("genz-u", p.genz_u, 0, 1);
      if (!(p.genz_u < 1)) throw UsageError("--genz-u " + args.text("genz-u", "") + " is outside [0, 1)");
    }
    if (name.find("asian-option") != std::string::npos) {
      p.construction = parse_path_construction(args.choice("path-construction", "pca", {"forward", "bridge", "pca"}));
      const int dates = args.required_integer<int>("dim", 1);
      if (dates > 1024)  // against()'s default Capacity: the path lives in a per-point buffer
        throw UsageError("--dim " + std::to_string(dates) + " is outside [1, 1024] for the Asian options (monitoring dates)");
    }
    return p;
  }
};

/// keister, genz-<family>, asian-option (arithmetic average) or geometric-asian-option (the payoff
/// integrated against Brownian motion built by the chosen construction).
template <class Visitor>
void visit_integrand(const std::string& name, int dimension, const IntegrandParameters& parameters, Visitor&& visit) {
  if (name == "keister") {
    const Keister f{dimension};
    visit(f, std::optional<double>(f.exact()));
  } else if (name.rfind("genz-", 0) == 0) {
    const auto family = parse_genz_family(name.substr(5));
    const std::vector<double> a(dimension, parameters.genz_a), u(dimension, parameters.genz_u);
    const auto f = Genz<>::make(family, a, u);
    visit(f, std::optional<double>(f.exact()));
  } else if (name == "asian-option") {
    visit(ArithmeticAsianCall{dimension}.integrand(parameters.construction), std::optional<double>());
  } else if (name == "geometric-asian-option") {
    const GeometricAsianCall option{dimension};
    visit(option.integrand(parameters.construction), std::optional<double>(option.exact()));
  } else {
    throw UsageError("integrand '" + name + "' is unknown: use keister, genz-oscillatory, genz-product-peak, "
                     "genz-corner-peak, genz-gaussian, genz-continuous, genz-discontinuous, asian-option or "
                     "geometric-asian-option");
  }
}

}  // namespace qmcsim::cli
