// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Generating vectors of extensible (embedded) rank-1 lattice rules with 2^m points.
///
/// The default vector is qmcsim's own: built by the fast embedded CBC of lattice/cbc.hpp for
/// 2^10 ... 2^20 points, product weights gamma_j = j^-2, 1000 coordinates. It is stored in
/// data/lattice/ in LDData's "lattice" format and compiled into the library; docs/point-sets.md
/// gives the command that rebuilds it bit for bit.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace qmcsim {

class GeneratingVector {
 public:
  /// `components` z_1 .. z_d of a lattice with 2^log2_points points (each < 2^log2_points).
  GeneratingVector(std::string name, std::vector<std::uint64_t> components, int log2_points);

  /// The built-in vector (see the file comment).
  static const GeneratingVector& default_vector();
  /// Reads an LDData "lattice" file: header lines s (dimension) and n (a power of two), then the
  /// s components, one per line. '#' starts a comment.
  static GeneratingVector read(const std::string& path);
  /// Writes the LDData "lattice" format; `comment` lines are written as '#' comments.
  void write(std::ostream& out, const std::vector<std::string>& comment) const;

  const std::string& name() const { return name_; }
  std::size_t dimension() const { return components_.size(); }
  int log2_points() const { return log2_points_; }
  std::uint64_t component(std::size_t j) const { return components_[j]; }
  const std::vector<std::uint64_t>& components() const { return components_; }

 private:
  std::string name_;
  std::vector<std::uint64_t> components_;
  int log2_points_;
};

}  // namespace qmcsim
