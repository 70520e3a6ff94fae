// qmcsim points: randomized low-discrepancy points as CSV, one point per line ("%.17g" values),
// replications as consecutive blocks of N lines.

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/point_sets.hpp"

namespace qmcsim::cli {
namespace {

PointSetRequest points_request(const Arguments& args) {
  PointSetRequest request;
  request.kind = args.required_text("kind");
  const bool lattice = request.kind == "lattice";
  const bool net = request.kind == "sobol" || request.kind == "niederreiter" || request.kind == "net";
  request.options.dimension = args.required_integer("dim");
  request.options.order = parse_point_order(args.text("order", "natural"));
  request.options.randomization =
      args.has("randomize") ? parse_randomization(args.text("randomize", "")) : default_randomization(request.kind);
  request.options.replications = args.integer("replications", 1);
  request.options.seed = args.integer("seed", 0);
  request.alpha = static_cast<int>(args.integer("alpha", 1));
  request.vector_file = args.text("generating-vector", "");
  request.matrices_file = args.text("generating-matrices", "");

  if (args.has("alpha") && !net) throw UsageError("--alpha applies to digital nets (sobol, niederreiter, net) only");
  if (args.has("generating-vector") && !lattice) throw UsageError("--generating-vector applies to --kind lattice only");
  if (args.has("generating-matrices") && request.kind != "net")
    throw UsageError("--generating-matrices needs --kind net (sobol and niederreiter use built-in tables)");
  if (request.kind == "net" && !args.has("generating-matrices"))
    throw UsageError("--kind net needs --generating-matrices FILE");
  if (request.options.order == PointOrder::linear) {
    if (!lattice) throw UsageError("--order linear applies to lattices only");
    if (args.integer("start", 0) != 0)
      throw UsageError("--order linear is the fixed lattice of --n points; --start does not apply to it");
    request.linear_size = args.required_integer("n");
  }
  return request;
}

class CsvWriter {
 public:
  explicit CsvWriter(const std::string& path) {
    if (!path.empty()) {
      file_ = std::make_unique<std::ofstream>(path);
      if (!*file_) throw error("cannot open output file '" + path + "'");
    }
    out_ = file_ ? file_.get() : &std::cout;
  }
  void write_row(const double* values, std::size_t count) {
    char buffer[32];
    for (std::size_t j = 0; j < count; ++j) {
      if (j) line_ += ',';
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, values[j], std::chars_format::general, 17);
      line_.append(buffer, result.ptr);
    }
    line_ += '\n';
    if (line_.size() > (1 << 20)) flush();
  }
  void flush() {
    out_->write(line_.data(), static_cast<std::streamsize>(line_.size()));
    line_.clear();
    if (!*out_) throw std::runtime_error("writing the output failed");
  }

 private:
  std::unique_ptr<std::ofstream> file_;
  std::ostream* out_;
  std::string line_;
};

}  // namespace

int run_points(const std::vector<std::string>& words) {
  const Arguments args(words, {"kind", "n", "dim", "order", "randomize", "alpha", "replications", "seed", "start",
                               "generating-vector", "generating-matrices", "output"});
  const PointSetRequest request = points_request(args);
  const std::uint64_t n = args.required_integer("n"), start = args.integer("start", 0);
  CsvWriter csv(args.text("output", ""));
  visit_point_set(request, [&](const auto& generator) {
    const auto points = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), generator.generate({start, start + n}));
    for (std::size_t r = 0; r < points.extent(0); ++r)
      for (std::size_t i = 0; i < points.extent(1); ++i) csv.write_row(&points(r, i, 0), points.extent(2));
  });
  csv.flush();
  return 0;
}

}  // namespace qmcsim::cli
