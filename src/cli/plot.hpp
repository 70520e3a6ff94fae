// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Plots with gnuplot (Debian: gnuplot-nox): panels rendered side by side to PNG, log-log or linear.

#include <string>
#include <vector>

namespace qmcsim::cli {

struct PlotSeries {
  std::string title;
  std::vector<double> x, y;
  bool reference = false;  ///< drawn as a dashed line without points (a slope, a band)
};

struct PlotPanel {
  std::string title, x_label, y_label;
  std::vector<PlotSeries> series;
};

/// A dashed reference slope c n^order through (x.front(), anchor).
PlotSeries reference_slope(const std::string& title, const std::vector<double>& x, double anchor, double order);

enum class Axes { loglog, linear };

/// Renders the panels side by side to `png_path` (pngcairo; log-log axes label x in powers of 2).
/// gnuplot runs without a shell and never sees the path (it writes the PNG to its standard output,
/// which is the file). Returns false, writing the gnuplot script to `png_path`.gnuplot instead, when
/// gnuplot is not installed; throws OutputError when a file cannot be written or gnuplot fails.
bool render_plot(const std::vector<PlotPanel>& panels, const std::string& png_path, Axes axes = Axes::loglog);

}  // namespace qmcsim::cli
