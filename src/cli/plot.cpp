// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "cli/plot.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <sstream>

#include "cli/output.hpp"

extern char** environ;

namespace qmcsim::cli {
namespace {

// A gnuplot string literal in single quotes, where nothing is substituted (no backquote commands, no
// macros, no escapes): a quote is written twice. Titles may contain apostrophes (Sobol').
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// The gnuplot script of the panels; it writes the PNG to standard output, so that no file name of
/// the user's ever reaches gnuplot (whose `set output '|...'` would run a command).
std::string plot_script(const std::vector<PlotPanel>& panels, Axes axes) {
  std::ostringstream script;
  script.precision(17);
  script << "# render with: gnuplot < this-script > plot.png\n"
         << "set terminal pngcairo size " << 700 * panels.size() << ",600 enhanced font 'Sans,10'\n"
         << "set output\n"
         << "set multiplot layout 1," << panels.size() << "\n" << "set grid\nset key bottom left\n";
  if (axes == Axes::loglog) script << "set logscale x 2\nset logscale y 10\nset format x '2^{%L}'\nset format y '10^{%L}'\n";
  for (const PlotPanel& panel : panels) {
    script << "set title " << quoted(panel.title) << "\nset xlabel " << quoted(panel.x_label) << "\nset ylabel "
           << quoted(panel.y_label) << "\nplot ";
    for (std::size_t s = 0; s < panel.series.size(); ++s)
      script << (s ? ", " : "") << "'-' using 1:2 with "
             << (panel.series[s].reference ? "lines dt 2 lc rgb 'gray40'" : (axes == Axes::loglog ? "linespoints lw 2" : "lines lw 2"))
             << " title " << quoted(panel.series[s].title);
    script << "\n";
    for (const PlotSeries& series : panel.series) {
      for (std::size_t k = 0; k < series.x.size(); ++k) script << series.x[k] << ' ' << series.y[k] << '\n';
      script << "e\n";
    }
  }
  script << "unset multiplot\n";
  return script.str();
}

/// Runs gnuplot (found on PATH, no shell) reading `script` on its standard input and writing to
/// `output_fd`. Returns false when gnuplot is not installed; throws OutputError when it fails.
bool run_gnuplot(const std::string& script, int output_fd, const std::string& png_name) {
  int input[2];
  if (pipe(input) != 0) throw OutputError("plotting " + png_name + ": cannot make a pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&actions, input[1]);
  char program[] = "gnuplot";
  char* arguments[] = {program, nullptr};
  pid_t child = 0;
  const int spawned = posix_spawnp(&child, program, &actions, nullptr, arguments, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(input[0]);
  if (spawned != 0) {
    close(input[1]);
    if (spawned == ENOENT) return false;
    throw OutputError("plotting " + png_name + ": cannot start gnuplot");
  }
  // A gnuplot that stops reading early must not kill us with SIGPIPE: its exit status tells.
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);
  for (std::size_t done = 0; done < script.size();) {
    const ssize_t written = ::write(input[1], script.data() + done, script.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) break;
    done += static_cast<std::size_t>(written);
  }
  close(input[1]);
  sigaction(SIGPIPE, &previous, nullptr);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw OutputError("gnuplot failed to render " + png_name);
  return true;
}

}  // namespace

PlotSeries reference_slope(const std::string& title, const std::vector<double>& x, double anchor, double order) {
  PlotSeries line{title, x, {}, true};
  for (double xi : x) line.y.push_back(anchor * std::pow(xi / x.front(), order));
  return line;
}

bool render_plot(const std::vector<PlotPanel>& panels, const std::string& png_path, Axes axes) {
  const std::string script = plot_script(panels, axes);
  OutputFile png(png_path);
  std::fflush(png.stream());
  if (run_gnuplot(script, fileno(png.stream()), png.name())) {
    png.commit();
    return true;
  }
  OutputFile kept(png_path + ".gnuplot");
  kept.write(script);
  kept.commit();
  return false;
}

}  // namespace qmcsim::cli
