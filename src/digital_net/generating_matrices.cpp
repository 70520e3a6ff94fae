// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/digital_net/generating_matrices.hpp"

#include <boost/random/niederreiter_base2.hpp>
#include <fstream>
#include <sstream>

#include "core/text_file.hpp"
#include "digital_net/joe_kuo_directions.hpp"
#include "qmcsim/core/error.hpp"

namespace qmcsim {
namespace {

// Boost's engines run in Gray-code order starting at index 1: seeding an engine with position
// 2^(b+1) - 2 puts it on the point whose Gray-coded index is 2^b, whose coordinates are exactly
// column b of every generating matrix.
template <class Engine>
std::vector<std::uint64_t> columns_of(std::size_t dimension, int columns) {
  Engine engine(dimension);
  std::vector<std::uint64_t> words(dimension * columns);
  for (int b = 0; b < columns; ++b) {
    engine.seed((std::uint64_t{1} << (b + 1)) - 2);
    for (std::size_t j = 0; j < dimension; ++j) words[j * columns + b] = engine();
  }
  return words;
}

// dnetup's row 0 is the least significant bit: reversed, it lands on the word's most significant bit.
std::uint64_t reverse_rows(std::uint64_t value) {
  std::uint64_t reversed = 0;
  for (int bit = 0; bit < 64; ++bit, value >>= 1) reversed = (reversed << 1) | (value & 1);
  return reversed;
}

void check_columns(const char* where, int columns) {
  detail::require_in_range(where, "columns", columns, 1, GeneratingMatrices::max_columns);
}

GeneratingMatrices sobol_from_directions(detail::TextFile& file, std::string name, int columns) {
  // Dimension 1 is the identity; dimension j >= 2 has a primitive polynomial of degree s with inner
  // coefficients a = (a_1 .. a_{s-1}) and initial direction numbers m_1 .. m_s (m_c odd, < 2^c).
  // With left-aligned columns V_c = m_c 2^(64-c), Bratley and Fox's recurrence for c > s reads
  //   V_c = V_{c-s} ^ (V_{c-s} >> s) ^ XOR_{k=1}^{s-1} a_k V_{c-k},   a_k = bit s-1-k of a.
  std::vector<std::uint64_t> words;
  for (int c = 1; c <= columns; ++c) words.push_back(std::uint64_t{1} << (64 - c));
  for (std::uint64_t j = 2; !file.at_end(); ++j) {
    const std::vector<std::uint64_t> line = file.next_line_integers("the direction numbers");
    file.require(line.size() >= 4 && line[0] == j, "expected the line of dimension ", j, ": j s a m_1 .. m_s");
    const std::uint64_t s = line[1], a = line[2];
    file.require(s >= 1 && s <= 63 && line.size() == 3 + s, "degree s = ", s,
                 " must be in [1, 63] and followed by s direction numbers m_1 .. m_s; the line has ", line.size() - 3);
    file.require(a >> (s - 1) == 0, "a = ", a, " has more than s - 1 = ", s - 1, " inner coefficients");
    std::vector<std::uint64_t> v(columns + 1);
    for (int c = 1; c <= columns; ++c) {
      if (static_cast<std::uint64_t>(c) <= s) {
        const std::uint64_t m = line[2 + c];
        file.require(m % 2 == 1 && m >> c == 0, "m_", c, " = ", m, " must be odd and below 2^", c);
        v[c] = m << (64 - c);
      } else {
        v[c] = v[c - s] ^ (v[c - s] >> s);
        for (std::uint64_t k = 1; k < s; ++k)
          if ((a >> (s - 1 - k)) & 1) v[c] ^= v[c - k];
      }
    }
    words.insert(words.end(), v.begin() + 1, v.end());
  }
  const std::size_t dimension = words.size() / columns;
  // Sobol' matrices are upper triangular: column c has bits in rows 0..c-1 only.
  return {std::move(name), dimension, columns, columns, std::move(words)};
}

}  // namespace

GeneratingMatrices::GeneratingMatrices(std::string name, std::size_t dimension, int columns, int rows,
                                       std::vector<std::uint64_t> words)
    : name_(std::move(name)), dimension_(dimension), columns_(columns), rows_(rows), words_(std::move(words)) {
  detail::require(dimension >= 1, "generating matrices: dimension must be at least 1");
  check_columns("generating matrices", columns);
  detail::require_in_range("generating matrices", "rows", rows, 1, 64);
  detail::require(words_.size() == dimension * static_cast<std::size_t>(columns),
                  "generating matrices: expected dimension * columns = ", dimension * columns, " words, got ",
                  words_.size());
  const std::uint64_t below_rows = rows == 64 ? 0 : ~std::uint64_t{0} >> rows;
  for (std::uint64_t word : words_)
    detail::require((word & below_rows) == 0, "generating matrices: a column has a bit below row ", rows);
}

GeneratingMatrices GeneratingMatrices::sobol(std::size_t dimension, int columns) {
  detail::require_in_range("sobol", "dimension", dimension, 1, sobol_max_dimension,
                           "Joe-Kuo direction numbers new-joe-kuo-6.21201");
  check_columns("sobol", columns);
  static_assert(detail::joe_kuo_direction_line_count + 1 == sobol_max_dimension);
  detail::TextFile table("new-joe-kuo-6.21201",
                         {detail::joe_kuo_direction_lines, detail::joe_kuo_direction_lines + (dimension - 1)}, {"soboljk"});
  return sobol_from_directions(table, "sobol", columns);
}

GeneratingMatrices GeneratingMatrices::niederreiter(std::size_t dimension, int columns) {
  detail::require_in_range("niederreiter", "dimension", dimension, 1, niederreiter_max_dimension,
                           "Niederreiter base-2 table of Boost.Random");
  check_columns("niederreiter", columns);
  return {"niederreiter", dimension, columns, 64,
          columns_of<boost::random::niederreiter_base2>(dimension, columns)};
}

GeneratingMatrices GeneratingMatrices::read(const std::string& path, int sobol_columns) {
  detail::TextFile file(path, {"dnet", "dnetup", "soboljk"});
  if (file.format() == "soboljk") {
    check_columns("sobol", sobol_columns);
    return sobol_from_directions(file, path, sobol_columns);
  }
  const bool row0_least_significant = file.format() == "dnetup";
  const std::uint64_t base = file.header_integer("base b");
  const std::uint64_t dimension = file.header_integer("dimension s");
  const std::uint64_t size = file.header_integer("the number of points 2^k (or of columns k)");
  const std::uint64_t rows = file.header_integer("rows r");
  file.require(base == 2, "base b = ", base, " is not supported: digital nets here are base 2");
  file.require(dimension >= 1, "dimension s must be at least 1");
  file.require(rows >= 1 && rows <= 64, "rows r = ", rows, " is outside [1, 64]");
  std::vector<std::uint64_t> words;  // not reserved from the header: a file may claim 2^64 coordinates
  std::size_t columns = 0;
  for (std::uint64_t j = 0; j < dimension; ++j) {
    // k is the number of integers per line; the third header value is 2^k in LDData's published
    // files ("supports 2^32 points") and k in its format description: both are accepted.
    const std::vector<std::uint64_t> line = j == 0 ? file.next_line_integers("the first generating matrix")
                                                   : file.data_line(columns);
    if (j == 0) {
      columns = line.size();
      file.require(columns <= static_cast<std::size_t>(max_columns), "columns k = ", columns, " (integers per line) is outside [1, ",
                   max_columns, "]");
      file.require(size == columns || size == std::uint64_t{1} << columns, "the header gives ", size,
                   " points (or columns), but the lines hold k = ", columns, " columns: expected 2^k = ",
                   std::uint64_t{1} << columns, " or k");
    }
    for (std::uint64_t value : line) {
      file.require(rows == 64 || value >> rows == 0, "column value ", value, " does not fit in r = ", rows, " rows");
      words.push_back(row0_least_significant ? reverse_rows(value) : rows == 64 ? value : value << (64 - rows));
    }
  }
  return {path, dimension, static_cast<int>(columns), static_cast<int>(rows), std::move(words)};
}

}  // namespace qmcsim
