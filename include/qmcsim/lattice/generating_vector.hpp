// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Generating vectors of rank-1 lattice rules: extensible (embedded) ones with n = 2^m points, and
/// ordinary ones with any n < 2^32 points (in linear order only: x_i = frac(i z / n), i < n).
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

/// The generating vector z_1 .. z_d of a rank-1 lattice rule with n points: extensible (n = 2^m,
/// natural and Gray order) or ordinary (any n < 2^32, linear order).
class GeneratingVector {
 public:
  /// `components` z_1 .. z_d of a lattice with 2^log2_points points (each < 2^log2_points).
  GeneratingVector(std::string name, std::vector<std::uint64_t> components, int log2_points);
  /// An ordinary lattice rule with n points, 1 <= n < 2^32 (z_j < n); a power of two n gives the
  /// extensible vector above.
  static GeneratingVector with_modulus(std::string name, std::vector<std::uint64_t> components, std::uint64_t n);
  static constexpr std::uint64_t max_ordinary_modulus = (std::uint64_t{1} << 32) - 1;  ///< n of an ordinary rule

  /// The built-in vector (see the file comment).
  static const GeneratingVector& default_vector();
  /// `count` independent random extensible vectors (QMCPy's generating_vector = M), typically one per
  /// replication: z_1 = 1 and z_2 .. z_dimension independent and uniform on the odd numbers
  /// {3, 5, ..., 2^M - 1}, M = log2_points in [2, 62]. Odd components make every one-dimensional
  /// projection the full grid {0, 1/n, ..., 1 - 1/n}. Vector v is a pure function of (seed, v): Philox
  /// on its own stream, so the same seed may also drive the shifts.
  static std::vector<GeneratingVector> random(std::size_t dimension, int log2_points, std::size_t count,
                                              std::uint64_t seed);
  /// Reads an LDData "lattice" file: header lines s (dimension) and n (the number of points), then
  /// the s components, one per line. '#' starts a comment.
  static GeneratingVector read(const std::string& path);
  /// Writes the LDData "lattice" format; `comment` lines are written as '#' comments.
  void write(std::ostream& out, const std::vector<std::string>& comment) const;

  /// The name given (or the file read).
  const std::string& name() const { return name_; }
  /// d, the number of components.
  std::size_t dimension() const { return components_.size(); }
  /// The number of points n of the rule.
  std::uint64_t modulus() const { return modulus_; }
  /// Whether n is a power of two, so that the rule is extensible (natural and Gray order).
  bool extensible() const { return log2_points_ >= 0; }
  /// log2(n) of an extensible rule; -1 for an ordinary one.
  int log2_points() const { return log2_points_; }
  /// z_{j+1}.
  std::uint64_t component(std::size_t j) const { return components_[j]; }
  /// z_1 .. z_d.
  const std::vector<std::uint64_t>& components() const { return components_; }

 private:
  GeneratingVector(std::string name, std::vector<std::uint64_t> components, std::uint64_t modulus, int log2_points);

  std::string name_;
  std::vector<std::uint64_t> components_;
  std::uint64_t modulus_;
  int log2_points_;
};

}  // namespace qmcsim
