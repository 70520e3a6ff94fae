// qmcsim transform: FFTBR, IFFTBR or FWHT of a file of values (one per line, complex as "re,im").

#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/transforms/fftbr.hpp"
#include "qmcsim/transforms/fwht.hpp"

namespace qmcsim::cli {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using Rows = ComplexRows<Kokkos::HostSpace>;

Rows read_values(const std::string& path, bool& complex) {
  std::ifstream in(path);
  if (!in) throw error("cannot open input file '" + path + "'");
  std::vector<Kokkos::complex<double>> values;
  complex = false;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    line = trimmed(line);
    if (line.empty()) continue;
    const auto comma = line.find(',');
    if (comma == std::string::npos) {
      values.emplace_back(parse_number(line, path, number), 0.0);
    } else {
      complex = true;
      values.emplace_back(parse_number(line.substr(0, comma), path, number), parse_number(line.substr(comma + 1), path, number));
    }
  }
  detail::require(!values.empty(), path, ": no values");
  detail::require(detail::is_power_of_two(values.size()), path, ": ", values.size(), " values; the transforms need a power of two");
  Rows rows("values", 1, values.size());
  for (std::size_t k = 0; k < values.size(); ++k) rows(0, k) = values[k];
  return rows;
}

}  // namespace

int run_transform(const std::vector<std::string>& words) {
  const Arguments args(words, {"kind", "input", "output"});
  const std::string kind = args.required_text("kind");
  if (kind != "fftbr" && kind != "ifftbr" && kind != "fwht") throw UsageError("kind '" + kind + "' is unknown: use fftbr, ifftbr or fwht");
  bool complex = false;
  const Rows x = read_values(args.required_text("input"), complex);
  const std::size_t n = x.extent(1);
  if (kind == "fwht") FwhtPlan<Host, Kokkos::complex<double>>(n, 1).transform(x);
  else if (kind == "fftbr") FftbrPlan<Host>(n, 1).fftbr(x);
  else FftbrPlan<Host>(n, 1).ifftbr(x);
  complex = complex || kind != "fwht";  // Fourier transforms of real data are complex

  std::ofstream file;
  if (args.has("output")) {
    file.open(args.text("output", ""));
    if (!file) throw error("cannot open output file '" + args.text("output", "") + "'");
  }
  std::ostream& out = args.has("output") ? file : std::cout;
  char buffer[64];
  for (std::size_t k = 0; k < n; ++k) {
    out.write(buffer, std::to_chars(buffer, buffer + 32, x(0, k).real(), std::chars_format::general, 17).ptr - buffer);
    if (complex) {
      out << ',';
      out.write(buffer, std::to_chars(buffer, buffer + 32, x(0, k).imag(), std::chars_format::general, 17).ptr - buffer);
    }
    out << '\n';
  }
  return 0;
}

}  // namespace qmcsim::cli
