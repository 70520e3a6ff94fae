// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Generating matrices of base-2 digital nets and sequences.
///
/// A base-2 digital sequence in dimension s is given by s binary matrices C_j with r rows and m
/// columns. Writing the index k = sum_b k_b 2^b in binary, coordinate j of point k is
///   x_j(k) = sum_{p=0}^{r-1} y_p 2^{-p-1},   (y_0, ..., y_{r-1})^T = C_j (k_0, ..., k_{m-1})^T mod 2,
/// so the first 2^m points form a digital (t, m, s)-net. Each column is stored as one 64-bit word,
/// most significant bit = row 0 (the "dnet" convention of LDData, left-aligned in 64 bits), so that
/// x_j(k) = XOR of the columns b with k_b = 1 (see core/bits.hpp for the word convention).
///
/// Sources: Sobol' with Joe and Kuo's direction numbers new-joe-kuo-6.21201 (21201 dimensions,
/// data/sobol/, compiled in), Niederreiter base 2 (Bratley-Fox-Niederreiter, Boost.Random: 4720
/// dimensions), or a user file in one of LDData's formats "dnet", "dnetup" or "soboljk".
///
/// Usage: `auto C = GeneratingMatrices::read("mps.nxs10m32.txt"); DigitalNet<> net(C, options);`

#include <cstdint>
#include <string>
#include <vector>

namespace qmcsim {

/// The base-2 generating matrices of a digital net: per dimension j, `columns` column words of
/// `rows` significant bits (row 0 the most significant), left-aligned in 64 bits.
class GeneratingMatrices {
 public:
  static constexpr std::size_t sobol_max_dimension = 21201;       ///< Joe and Kuo's new-joe-kuo-6.21201
  static constexpr std::size_t niederreiter_max_dimension = 4720;  ///< the built-in Niederreiter table
  static constexpr int max_columns = 63;                           ///< at most 2^63 points

  /// Sobol' (Joe & Kuo 2008) in the first `dimension` coordinates, with `columns` columns
  /// (2^columns points); the first coordinate is the van der Corput sequence.
  static GeneratingMatrices sobol(std::size_t dimension, int columns = 32);
  /// Niederreiter's base-2 sequence (Bratley, Fox & Niederreiter 1992).
  static GeneratingMatrices niederreiter(std::size_t dimension, int columns = 32);
  /// Reads an LDData file, by the keyword on its first line ('#' starts a comment):
  ///   dnet     header lines b (= 2), s, n = 2^k (LDData's published files; k itself is accepted
  ///            too), r; then s lines of k column integers < 2^r, row 0 the most significant bit;
  ///   dnetup   the same with row 0 the least significant bit (the Magic Point Shop's layout);
  ///   soboljk  Joe and Kuo's direction numbers, one line "j s a m_1 .. m_s" per dimension j >= 2
  ///            (their own files' title line "d s a m_i" is recognized); the matrices get
  ///            `sobol_columns` columns.
  /// A file without a keyword is read as "dnet".
  static GeneratingMatrices read(const std::string& path, int sobol_columns = 32);

  /// `words` holds dimension * columns left-aligned column words, dimension-major.
  GeneratingMatrices(std::string name, std::size_t dimension, int columns, int rows, std::vector<std::uint64_t> words);

  /// "sobol", "niederreiter" or the file read.
  const std::string& name() const { return name_; }
  /// Number of coordinates.
  std::size_t dimension() const { return dimension_; }
  /// m: the net has 2^m points.
  int columns() const { return columns_; }
  /// Number of rows that can be non-zero: the precision of the unrandomized points is 2^-rows.
  int rows() const { return rows_; }
  /// Column b of dimension j's matrix, left-aligned.
  std::uint64_t column(std::size_t j, int b) const { return words_[j * columns_ + b]; }
  /// All columns, dimension-major.
  const std::vector<std::uint64_t>& words() const { return words_; }

 private:
  std::string name_;
  std::size_t dimension_;
  int columns_;
  int rows_;
  std::vector<std::uint64_t> words_;
};

}  // namespace qmcsim
