// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Builds the point-set generator a command asks for and hands it to a visitor, so that commands are
// written once for every kind (lattice, digital nets, Halton, iid Monte Carlo).

#include <limits>
#include <string>

#include "cli/arguments.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "qmcsim/halton/halton.hpp"
#include "qmcsim/iid/iid_uniform.hpp"
#include "qmcsim/lattice/lattice.hpp"

namespace qmcsim::cli {

struct PointSetRequest {
  std::string kind;             ///< lattice, sobol, niederreiter, net, halton or iid
  PointSetOptions options;      ///< dimension, order, randomization, replications, seed
  int alpha = 1;                ///< digital nets: interlacing factor
  std::string vector_file;      ///< lattice: LDData generating vector (default: built in)
  int random_vector_log2 = 0;   ///< lattice: M > 0 draws one random vector of 2^M points per replication
  std::string matrices_file;    ///< net: LDData generating matrices
  std::uint64_t linear_size = 0;  ///< lattice in linear order: the lattice size
};

/// Largest dimension and replication count: both index Philox counter words.
inline constexpr std::size_t counter_limit = std::numeric_limits<std::uint32_t>::max();
/// Largest interlacing factor of higher-order nets.
inline constexpr int max_alpha = detail::max_alpha;

/// Randomization used when a command does not name one.
inline Randomization default_randomization(const std::string& kind) {
  if (kind == "lattice") return Randomization::shift;
  if (kind == "iid") return Randomization::none;
  return Randomization::lms_digital_shift;
}

/// Bytes of the randomization tables the generator of `request` allocates (an upper bound, to reject
/// a request that cannot fit before allocating it).
inline long double table_bytes(const PointSetRequest& request) {
  const long double R = static_cast<long double>(request.options.replications);
  const long double d = static_cast<long double>(request.options.dimension);
  const Randomization how = request.options.randomization;
  if (request.kind == "iid") return 0;
  if (request.kind == "lattice") return R * d * 8 * (request.random_vector_log2 > 0 ? 2 : 1);
  if (request.kind == "halton") {
    if (request.options.dimension > 100000) return 0;  // rejected by Halton itself
    HaltonOptions options;
    static_cast<PointSetOptions&>(options) = request.options;
    return R * static_cast<long double>(detail::halton_layout(options).table_bytes_per_replication(how));
  }
  const long double per_coordinate = how == Randomization::lms || how == Randomization::lms_digital_shift ? 64 * 8 : 8;
  return R * d * request.alpha * per_coordinate;
}

template <class Visitor>
void visit_point_set(const PointSetRequest& request, Visitor&& visit) {
  using Exec = Kokkos::DefaultExecutionSpace;
  const std::string& kind = request.kind;
  if (kind == "lattice") {
    LatticeOptions options;
    static_cast<PointSetOptions&>(options) = request.options;
    options.linear_size = request.linear_size;
    const std::vector<GeneratingVector> vectors =
        request.random_vector_log2 > 0
            ? GeneratingVector::random(options.dimension, request.random_vector_log2, options.replications, options.seed)
            : std::vector<GeneratingVector>{request.vector_file.empty() ? GeneratingVector::default_vector()
                                                                        : GeneratingVector::read(request.vector_file)};
    visit(Lattice<Exec>(vectors, options));
  } else if (kind == "sobol" || kind == "niederreiter" || kind == "net") {
    DigitalNetOptions options;
    static_cast<PointSetOptions&>(options) = request.options;
    options.alpha = request.alpha;
    const std::size_t base_dims = request.options.dimension * static_cast<std::size_t>(request.alpha);
    const GeneratingMatrices matrices = kind == "sobol"          ? GeneratingMatrices::sobol(base_dims)
                                        : kind == "niederreiter" ? GeneratingMatrices::niederreiter(base_dims)
                                                                 : GeneratingMatrices::read(request.matrices_file);
    visit(DigitalNet<Exec>(matrices, options));
  } else if (kind == "halton") {
    HaltonOptions options;
    static_cast<PointSetOptions&>(options) = request.options;
    visit(Halton<Exec>(options));
  } else if (kind == "iid") {
    visit(IidUniform<Exec>(request.options));
  } else {
    throw UsageError("kind '" + kind + "' is unknown: use lattice, sobol, niederreiter, net, halton or iid");
  }
}

}  // namespace qmcsim::cli
