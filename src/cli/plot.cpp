#include "cli/plot.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace qmcsim::cli {
namespace {

// A gnuplot string literal in double quotes, so that titles may contain apostrophes (Sobol').
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

}  // namespace

PlotSeries reference_slope(const std::string& title, const std::vector<double>& x, double anchor, double order) {
  PlotSeries line{title, x, {}, true};
  for (double xi : x) line.y.push_back(anchor * std::pow(xi / x.front(), order));
  return line;
}

bool render_plot(const std::vector<PlotPanel>& panels, const std::string& png_path, Axes axes) {
  const std::string script_path = png_path + ".gnuplot";
  std::ofstream script(script_path);
  script.precision(17);
  script << "set terminal pngcairo size " << 700 * panels.size() << ",600 enhanced font 'Sans,10'\n"
         << "set output " << quoted(png_path) << "\n"
         << "set multiplot layout 1," << panels.size() << "\n" << "set grid\nset key bottom left\n";
  if (axes == Axes::loglog) script << "set logscale x 2\nset logscale y 10\nset format x '2^{%L}'\nset format y '10^{%L}'\n";
  for (const PlotPanel& panel : panels) {
    script << "set title " << quoted(panel.title) << "\nset xlabel " << quoted(panel.x_label) << "\nset ylabel "
           << quoted(panel.y_label) << "\nplot ";
    for (std::size_t s = 0; s < panel.series.size(); ++s)
      script << (s ? ", " : "") << "'-' using 1:2 with " << (panel.series[s].reference ? "lines dt 2 lc rgb 'gray40'" : (axes == Axes::loglog ? "linespoints lw 2" : "lines lw 2"))
             << " title " << quoted(panel.series[s].title);
    script << "\n";
    for (const PlotSeries& series : panel.series) {
      for (std::size_t k = 0; k < series.x.size(); ++k) script << series.x[k] << ' ' << series.y[k] << '\n';
      script << "e\n";
    }
  }
  script << "unset multiplot\n";
  script.close();
  const std::string command = "gnuplot " + quoted(script_path) + " 2>/dev/null";
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0 || std::system(command.c_str()) != 0) return false;
  std::remove(script_path.c_str());
  return true;
}

}  // namespace qmcsim::cli
