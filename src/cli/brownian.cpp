// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// qmcsim brownian: Brownian increments and Lévy areas of a virtual Brownian tree between
// consecutive query times read from a file, as CSV rows "path,interval,component,s,t,W[,H[,K]]".
// Paths are computed and written in blocks, so memory stays bounded for any number of paths.

#include <cstdio>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/output.hpp"
#include "qmcsim/brownian/virtual_brownian_tree.hpp"

namespace qmcsim::cli {
namespace {

template <LevyArea Levy>
void write_increments(const VirtualBrownianTree<Levy>& tree, std::size_t paths, const std::vector<double>& times,
                      OutputFile& out) {
  Kokkos::View<double* [2], Kokkos::HostSpace> intervals("intervals", times.size() - 1);
  for (std::size_t i = 0; i + 1 < times.size(); ++i) intervals(i, 0) = times[i], intervals(i, 1) = times[i + 1];
  const std::size_t per_path = intervals.extent(0) * static_cast<std::size_t>(tree.dimension());
  const std::size_t block = std::max<std::size_t>(1, (std::size_t{1} << 20) / per_path);
  std::string text;
  char row[160];
  for (std::size_t first = 0; first < paths; first += block) {
    const std::size_t count = std::min(block, paths - first);
    const auto x = brownian_increments<Kokkos::DefaultExecutionSpace>(tree, count, intervals, first);
    const auto W = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x.W);
    const auto H = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x.H);
    const auto K = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x.K);
    for (std::size_t p = 0; p < count; ++p)
      for (std::size_t i = 0; i < intervals.extent(0); ++i)
        for (int j = 0; j < tree.dimension(); ++j) {
          int length = std::snprintf(row, sizeof row, "%zu,%zu,%d,%.17g,%.17g,%.17g", first + p, i, j, intervals(i, 0),
                                     intervals(i, 1), W(p, i, j));
          if (Levy != LevyArea::none) length += std::snprintf(row + length, sizeof row - length, ",%.17g", H(p, i, j));
          if (Levy == LevyArea::space_time_time) length += std::snprintf(row + length, sizeof row - length, ",%.17g", K(p, i, j));
          text.append(row, static_cast<std::size_t>(length));
          text += '\n';
        }
    out.write(text);
    text.clear();
  }
}

}  // namespace

int run_brownian(const std::vector<std::string>& words) {
  const Arguments args(words, {"dim", "paths", "seed", "times", "levy", "tolerance", "t0", "t1", "output"});
  const int dim = args.required_integer<int>("dim", 1);
  const std::size_t paths = args.integer<std::size_t>("paths", 1, 1, std::size_t{1} << 32);
  const std::uint64_t seed = args.integer<std::uint64_t>("seed", 0, 0);
  const std::string levy = args.choice("levy", "space-time", {"none", "space-time", "space-time-time"});
  const std::string times_file = args.required_text("times");
  const bool t0_given = args.has("t0"), t1_given = args.has("t1"), tolerance_given = args.has("tolerance");
  const double t0_option = args.real("t0", 0), t1_option = args.real("t1", 0);
  const double tolerance_option = tolerance_given ? args.positive("tolerance", 1) : 0;
  const std::string output = args.text("output", "");
  args.reject_unused("brownian");

  const std::vector<double> times = read_times(times_file);
  const double t0 = t0_given ? t0_option : times.front(), t1 = t1_given ? t1_option : times.back();
  if (t0 > times.front()) throw UsageError("--t0 " + to_text(t0) + " must not exceed the first time " + to_text(times.front()));
  if (t1 < times.back()) throw UsageError("--t1 " + to_text(t1) + " must not be below the last time " + to_text(times.back()));
  if (!(t1 - t0 < INFINITY)) throw UsageError("--t0 and --t1: t1 - t0 overflows");
  if (tolerance_given && !(tolerance_option > std::ldexp(t1 - t0, -VirtualBrownianTree<LevyArea::none>::max_depth)))
    throw UsageError("--tolerance " + printable(args.text("tolerance", "")) + " is below the finest cell 2^-" +
                     std::to_string(VirtualBrownianTree<LevyArea::none>::max_depth) + " (t1 - t0) of the tree");
  require_memory("--times (" + std::to_string(times.size()) + " times) x --dim " + std::to_string(dim),
                 static_cast<long double>(times.size()) * dim, 6 * sizeof(double));

  OutputFile out(output);
  // exact unless --tolerance asks for the approximate mode with leaves of that length
  const auto run = [&](auto levy_area) {
    using Tree = VirtualBrownianTree<decltype(levy_area)::value>;
    write_increments(tolerance_given ? Tree::with_leaf_tolerance(t0, t1, tolerance_option, dim, seed) : Tree(t0, t1, dim, seed),
                     paths, times, out);
  };
  if (levy == "none") run(std::integral_constant<LevyArea, LevyArea::none>());
  if (levy == "space-time") run(std::integral_constant<LevyArea, LevyArea::space_time>());
  if (levy == "space-time-time") run(std::integral_constant<LevyArea, LevyArea::space_time_time>());
  out.commit();
  return 0;
}

}  // namespace qmcsim::cli
