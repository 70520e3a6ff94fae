#pragma once
// Convergence plots with gnuplot (Debian: gnuplot-nox): log-log panels rendered side by side to PNG.

#include <string>
#include <vector>

namespace qmcsim::cli {

struct PlotSeries {
  std::string title;
  std::vector<double> x, y;
  bool reference = false;  ///< drawn as a dashed line without points (e.g. an n^-1/2 slope)
};

struct LogLogPanel {
  std::string title, x_label, y_label;
  std::vector<PlotSeries> series;
};

/// A dashed reference slope c n^order through (x.front(), anchor).
PlotSeries reference_slope(const std::string& title, const std::vector<double>& x, double anchor, double order);

/// Renders the panels side by side to `png_path` (pngcairo, x axis in powers of 2). Returns false,
/// leaving the gnuplot script beside the PNG's path, when gnuplot is missing or fails.
bool render_loglog(const std::vector<LogLogPanel>& panels, const std::string& png_path);

}  // namespace qmcsim::cli
