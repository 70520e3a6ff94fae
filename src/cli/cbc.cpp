// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// qmcsim cbc: an embedded rank-1 lattice generating vector by fast CBC, in LDData "lattice" format.

#include <chrono>
#include <cmath>
#include <iostream>
#include <sstream>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/lattice/cbc.hpp"
#include "qmcsim/lattice/generating_vector.hpp"

namespace qmcsim::cli {

int run_cbc(const std::vector<std::string>& words) {
  const Arguments args(words, {"n", "dim", "min-n", "weights", "output"});
  constexpr std::uint64_t largest = std::uint64_t{1} << 28;
  const std::uint64_t n = args.required_integer<std::uint64_t>("n", 2, largest);
  const std::uint64_t min_n = args.integer<std::uint64_t>("min-n", n, 2, largest);
  const std::size_t dimension = args.required_integer<std::size_t>("dim", 1, 100000);
  const std::string weights_spec = args.text("weights", "power:2");
  const std::string output = args.text("output", "");
  args.reject_unused("cbc");
  if (!detail::is_power_of_two(n)) throw UsageError("--n " + std::to_string(n) + " must be a power of two");
  if (!detail::is_power_of_two(min_n)) throw UsageError("--min-n " + std::to_string(min_n) + " must be a power of two");
  if (min_n > n) throw UsageError("--min-n " + std::to_string(min_n) + " must not exceed --n " + std::to_string(n));
  // the product over n points and, per level, kernel, work and correlation rows of complex doubles
  require_memory("--n " + std::to_string(n), static_cast<long double>(n), 8 + 3 * 16);

  CbcOptions options;
  options.log2_max_points = bits::floor_log2(n);
  options.log2_min_points = bits::floor_log2(min_n);
  options.weights = product_weights(weights_spec, dimension);
  const auto started = std::chrono::steady_clock::now();
  const CbcResult result = fast_cbc(options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::string command_line = "qmcsim cbc";
  for (const std::string& word : words) command_line += " " + word;
  std::vector<std::string> comment = {
      "embedded rank-1 lattice rule by qmcsim's fast CBC (Nuyens-Cools; Cools-Kuo-Nuyens embedding)",
      "criterion: worst-case error in the weighted Korobov space of smoothness 2, product weights " + weights_spec,
      "good for n = 2^" + std::to_string(options.log2_min_points) + " ... 2^" + std::to_string(options.log2_max_points) +
          " points in radical-inverse order",
      "reproduce with: " + printable(command_line, 1000)};
  for (int k = options.log2_min_points; k <= options.log2_max_points; ++k) {
    std::ostringstream line;
    line.precision(6);
    line << "e^2(n = 2^" << k << ", d = " << dimension << ") = " << result.squared_error[k - options.log2_min_points].back();
    comment.push_back(line.str());
  }
  const GeneratingVector vector("cbc", result.generating_vector, options.log2_max_points);
  std::ostringstream text;
  vector.write(text, comment);
  OutputFile out(output);
  out.write(text.str());
  out.commit();
  std::cerr << "qmcsim cbc: " << dimension << " components for n = 2^" << options.log2_max_points << " in " << seconds
            << " s\n";
  return 0;
}

}  // namespace qmcsim::cli
