// qmcsim brownian: Brownian increments and Lévy areas of a virtual Brownian tree between
// consecutive query times read from a file, as CSV rows "path,interval,component,s,t,W[,H[,K]]".

#include <cstdio>
#include <fstream>
#include <memory>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "qmcsim/brownian/virtual_brownian_tree.hpp"

namespace qmcsim::cli {
namespace {

/// One time per line (blank lines and '#' comments skipped), strictly increasing.
std::vector<double> read_times(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw error("cannot open times file '" + path + "'");
  std::vector<double> times;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    line = trimmed(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    times.push_back(parse_number(line, path, number));
    detail::require(times.size() == 1 || times.back() > times[times.size() - 2], path, ":", number, ": time ",
                    times.back(), " does not exceed the previous time ", times.size() > 1 ? times[times.size() - 2] : 0.0);
  }
  detail::require(times.size() >= 2, path, ": needs at least two times (one interval), found ", times.size());
  return times;
}

template <LevyArea Levy>
void write_increments(const VirtualBrownianTree<Levy>& tree, std::size_t paths, const std::vector<double>& times,
                      std::FILE* out) {
  Kokkos::View<double* [2], Kokkos::HostSpace> intervals("intervals", times.size() - 1);
  for (std::size_t i = 0; i + 1 < times.size(); ++i) intervals(i, 0) = times[i], intervals(i, 1) = times[i + 1];
  const auto x = brownian_increments<Kokkos::DefaultExecutionSpace>(tree, paths, intervals);
  const auto W = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x.W);
  const auto H = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x.H);
  const auto K = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x.K);
  for (std::size_t p = 0; p < paths; ++p)
    for (std::size_t i = 0; i < intervals.extent(0); ++i)
      for (int j = 0; j < tree.dimension(); ++j) {
        std::fprintf(out, "%zu,%zu,%d,%.17g,%.17g,%.17g", p, i, j, intervals(i, 0), intervals(i, 1), W(p, i, j));
        if (Levy != LevyArea::none) std::fprintf(out, ",%.17g", H(p, i, j));
        if (Levy == LevyArea::space_time_time) std::fprintf(out, ",%.17g", K(p, i, j));
        std::fputc('\n', out);
      }
}

}  // namespace

int run_brownian(const std::vector<std::string>& words) {
  const Arguments args(words, {"dim", "paths", "seed", "times", "levy", "tolerance", "t0", "t1", "output"});
  const int dim = static_cast<int>(args.required_integer("dim"));
  const std::size_t paths = args.integer("paths", 1);
  const std::uint64_t seed = args.integer("seed", 0);
  const std::string levy = args.text("levy", "space-time");
  if (levy != "none" && levy != "space-time" && levy != "space-time-time")
    throw UsageError("levy '" + levy + "' is unknown: use none, space-time or space-time-time");
  if (dim < 1) throw UsageError("--dim must be at least 1");
  if (paths < 1) throw UsageError("--paths must be at least 1");
  const std::vector<double> times = read_times(args.required_text("times"));
  const double t0 = args.real("t0", times.front()), t1 = args.real("t1", times.back());
  const double tolerance = args.real("tolerance", 1e-6 * (t1 - t0));

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, std::fclose);
  std::FILE* out = stdout;
  if (args.has("output")) {
    file.reset(std::fopen(args.required_text("output").c_str(), "w"));
    if (!file) throw error("cannot write output file '" + args.required_text("output") + "'");
    out = file.get();
  }
  if (levy == "none") write_increments(VirtualBrownianTree<LevyArea::none>(t0, t1, tolerance, dim, seed), paths, times, out);
  if (levy == "space-time")
    write_increments(VirtualBrownianTree<LevyArea::space_time>(t0, t1, tolerance, dim, seed), paths, times, out);
  if (levy == "space-time-time")
    write_increments(VirtualBrownianTree<LevyArea::space_time_time>(t0, t1, tolerance, dim, seed), paths, times, out);
  return 0;
}

}  // namespace qmcsim::cli
