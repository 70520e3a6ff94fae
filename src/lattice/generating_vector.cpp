// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/lattice/generating_vector.hpp"

#include <ostream>

#include "core/text_file.hpp"
#include "lattice/default_generating_vector.hpp"
#include "qmcsim/core/error.hpp"

namespace qmcsim {
namespace {

std::uint64_t extensible_points(int log2_points) {
  detail::require_in_range("generating vector", "log2 of the number of points", log2_points, 0, 62);
  return std::uint64_t{1} << log2_points;
}

}  // namespace

GeneratingVector::GeneratingVector(std::string name, std::vector<std::uint64_t> components, std::uint64_t modulus,
                                   int log2_points)
    : name_(std::move(name)), components_(std::move(components)), modulus_(modulus), log2_points_(log2_points) {
  detail::require(!components_.empty(), "generating vector '", name_, "': no components");
  for (std::size_t j = 0; j < components_.size(); ++j)
    detail::require(components_[j] < modulus_, "generating vector '", name_, "': component ", j + 1, " = ",
                    components_[j], " is not below n = ", modulus_);
}

GeneratingVector::GeneratingVector(std::string name, std::vector<std::uint64_t> components, int log2_points)
    : GeneratingVector(std::move(name), std::move(components),
                       extensible_points(log2_points), log2_points) {}

GeneratingVector GeneratingVector::with_modulus(std::string name, std::vector<std::uint64_t> components, std::uint64_t n) {
  if (detail::is_power_of_two(n)) return {std::move(name), std::move(components), 63 - __builtin_clzll(n)};
  detail::require_in_range("generating vector", "number of points n", n, 1, max_ordinary_modulus,
                           "an ordinary lattice's i z_j mod n must fit in 64 bits");
  return {std::move(name), std::move(components), n, -1};
}

const GeneratingVector& GeneratingVector::default_vector() {
  static const GeneratingVector vector(
      detail::default_generating_vector_name,
      {std::begin(detail::default_generating_vector_components), std::end(detail::default_generating_vector_components)},
      detail::default_generating_vector_log2_points);
  return vector;
}

GeneratingVector GeneratingVector::read(const std::string& path) {
  detail::TextFile file(path, {"lattice"});
  const std::uint64_t dimension = file.header_integer("dimension s");
  const std::uint64_t n = file.header_integer("number of points n");
  file.require(dimension >= 1, "dimension s must be at least 1");
  file.require(detail::is_power_of_two(n) || (n >= 1 && n <= max_ordinary_modulus), "n = ", n,
               " is neither a power of two (an extensible lattice) nor in [1, 2^32 - 1] (an ordinary one)");
  std::vector<std::uint64_t> components;
  for (std::uint64_t j = 0; j < dimension; ++j) {
    const std::uint64_t z = file.data_line(1)[0];
    file.require(z < n, "component ", z, " is not below n = ", n);
    components.push_back(z);
  }
  return with_modulus(path, std::move(components), n);
}

void GeneratingVector::write(std::ostream& out, const std::vector<std::string>& comment) const {
  out << "# lattice\n";
  for (const std::string& line : comment) out << "# " << line << '\n';
  out << dimension() << "  # dimension s\n" << modulus_ << "  # number of points n\n";
  for (std::uint64_t z : components_) out << z << '\n';
}

}  // namespace qmcsim
