// qmcsim cbc: an embedded rank-1 lattice generating vector by fast CBC, in LDData "lattice" format.

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/lattice/cbc.hpp"
#include "qmcsim/lattice/generating_vector.hpp"

namespace qmcsim::cli {

int run_cbc(const std::vector<std::string>& words, const std::string& command_line) {
  const Arguments args(words, {"n", "dim", "min-n", "weights", "output"});
  const std::uint64_t n = args.required_integer("n");
  const std::uint64_t min_n = args.integer("min-n", n);
  const std::size_t dimension = args.required_integer("dim");
  const std::string weights_spec = args.text("weights", "power:2");
  if (!detail::is_power_of_two(n) || !detail::is_power_of_two(min_n))
    throw UsageError("--n and --min-n must be powers of two");
  if (min_n > n) throw UsageError("--min-n must not exceed --n");

  CbcOptions options;
  options.log2_max_points = bits::floor_log2(n);
  options.log2_min_points = bits::floor_log2(min_n);
  options.weights = product_weights(weights_spec, dimension);
  const auto started = std::chrono::steady_clock::now();
  const CbcResult result = fast_cbc(options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::vector<std::string> comment = {
      "embedded rank-1 lattice rule by qmcsim's fast CBC (Nuyens-Cools; Cools-Kuo-Nuyens embedding)",
      "criterion: worst-case error in the weighted Korobov space of smoothness 2, product weights " + weights_spec,
      "good for n = 2^" + std::to_string(options.log2_min_points) + " ... 2^" + std::to_string(options.log2_max_points) +
          " points in radical-inverse order",
      "reproduce with: " + command_line};
  for (int k = options.log2_min_points; k <= options.log2_max_points; ++k) {
    std::ostringstream line;
    line.precision(6);
    line << "e^2(n = 2^" << k << ", d = " << dimension << ") = " << result.squared_error[k - options.log2_min_points].back();
    comment.push_back(line.str());
  }
  const GeneratingVector vector("cbc", result.generating_vector, options.log2_max_points);
  if (args.has("output")) {
    std::ofstream out(args.text("output", ""));
    if (!out) throw error("cannot open output file '" + args.text("output", "") + "'");
    vector.write(out, comment);
  } else {
    vector.write(std::cout, comment);
  }
  std::cerr << "qmcsim cbc: " << dimension << " components for n = 2^" << options.log2_max_points << " in " << seconds
            << " s\n";
  return 0;
}

}  // namespace qmcsim::cli
