// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "cli/inputs.hpp"

#include <fstream>

#include "cli/arguments.hpp"
#include "qmcsim/core/error.hpp"

namespace qmcsim::cli {

std::vector<std::complex<double>> read_values(const std::string& path, bool& complex) {
  const std::string name = printable(path, 200);
  std::ifstream in(path);
  if (!in) throw error("--input: cannot open input file '" + name + "'");
  std::vector<std::complex<double>> values;
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
    detail::require(values.size() <= (std::size_t{1} << 28), "--input ", name, ": more than 2^28 values");
  }
  detail::require(!in.bad(), "--input: reading '", name, "' failed");
  detail::require(!values.empty(), "--input ", name, ": no values");
  detail::require(detail::is_power_of_two(values.size()), "--input ", name, ": ", values.size(),
                  " values; the transforms need a power of two");
  return values;
}

std::vector<double> read_times(const std::string& path) {
  const std::string name = printable(path, 200);
  std::ifstream in(path);
  if (!in) throw error("--times: cannot open '" + name + "'");
  std::vector<double> times;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    line = trimmed(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    times.push_back(parse_number(line, path, number));
    detail::require(times.size() == 1 || times.back() > times[times.size() - 2], "--times ", name, ":", number, ": time ",
                    times.back(), " does not exceed the previous time ", times.size() > 1 ? times[times.size() - 2] : 0.0);
  }
  detail::require(!in.bad(), "--times: reading '", name, "' failed");
  detail::require(times.size() >= 2, "--times ", name, ": needs at least two times (one interval), found ", times.size());
  return times;
}

}  // namespace qmcsim::cli
