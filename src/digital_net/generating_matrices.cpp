// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/digital_net/generating_matrices.hpp"

#include <boost/random/niederreiter_base2.hpp>
#include <boost/random/sobol.hpp>
#include <fstream>
#include <sstream>

#include "qmcsim/core/error.hpp"
#include "core/text_file.hpp"

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

void check_columns(const char* where, int columns) {
  detail::require_in_range(where, "columns", columns, 1, GeneratingMatrices::max_columns);
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
                           "Joe-Kuo direction numbers tabled by Boost.Random");
  check_columns("sobol", columns);
  // Sobol' matrices are upper triangular: column b has bits in rows 0..b only.
  return {"sobol", dimension, columns, columns, columns_of<boost::random::sobol>(dimension, columns)};
}

GeneratingMatrices GeneratingMatrices::niederreiter(std::size_t dimension, int columns) {
  detail::require_in_range("niederreiter", "dimension", dimension, 1, niederreiter_max_dimension,
                           "Niederreiter base-2 table of Boost.Random");
  check_columns("niederreiter", columns);
  return {"niederreiter", dimension, columns, 64,
          columns_of<boost::random::niederreiter_base2>(dimension, columns)};
}

GeneratingMatrices GeneratingMatrices::read(const std::string& path) {
  detail::TextFile file(path, "dnet");
  const std::uint64_t base = file.header_integer("base b");
  const std::uint64_t dimension = file.header_integer("dimension s");
  const std::uint64_t columns = file.header_integer("columns k");
  const std::uint64_t rows = file.header_integer("rows r");
  file.require(base == 2, "base b = ", base, " is not supported: digital nets here are base 2");
  file.require(dimension >= 1, "dimension s must be at least 1");
  file.require(columns >= 1 && columns <= static_cast<std::uint64_t>(max_columns), "columns k = ", columns,
               " is outside [1, ", max_columns, "]");
  file.require(rows >= 1 && rows <= 64, "rows r = ", rows, " is outside [1, 64]");
  std::vector<std::uint64_t> words;  // not reserved from the header: a file may claim 2^64 coordinates
  for (std::uint64_t j = 0; j < dimension; ++j) {
    const std::vector<std::uint64_t> line = file.data_line(columns);
    for (std::uint64_t value : line) {
      file.require(rows == 64 || value >> rows == 0, "column value ", value, " does not fit in r = ", rows, " rows");
      words.push_back(rows == 64 ? value : value << (64 - rows));
    }
  }
  return {path, dimension, static_cast<int>(columns), static_cast<int>(rows), std::move(words)};
}

}  // namespace qmcsim
