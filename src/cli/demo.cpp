// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// qmcsim demo (the default job): the Keister integral in d = 8 by plain Monte Carlo and by randomized
// lattice, Sobol' (LMS + DS and NUS) and Halton points for n = 2^10 ... 2^20, with R independent
// randomizations each, then by fast Bayesian and by guaranteed cubature on a lattice and on a Sobol'
// net: estimate, standard error (posterior standard deviation for Bayes, the error bound for the
// guaranteed method), true error and time per method and n.

#include <chrono>
#include <cmath>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/plot.hpp"
#include "cli/point_sets.hpp"
#include "qmcsim/cubature/bayesian_cubature.hpp"
#include "qmcsim/cubature/guaranteed_cubature.hpp"
#include "qmcsim/cubature/integrands.hpp"
#include "qmcsim/cubature/rqmc.hpp"

namespace qmcsim::cli {
namespace {

struct Method {
  const char* label;
  const char* kind;
  Randomization randomization;
};

const Method methods[] = {
    {"MC (iid)", "iid", Randomization::none},
    {"lattice, shift", "lattice", Randomization::shift},
    {"Sobol', LMS+DS", "sobol", Randomization::lms_digital_shift},
    {"Sobol', NUS", "sobol", Randomization::nus},
    {"Halton, LMS+DS", "halton", Randomization::lms_digital_shift},
};

}  // namespace

int run_demo(const std::vector<std::string>& words) {
  const Arguments args(words, {"dim", "min-log2-n", "max-log2-n", "replications", "seed", "output-prefix"});
  const int d = args.integer<int>("dim", 8, 1, static_cast<int>(GeneratingMatrices::sobol_max_dimension));
  // Bayesian cubature on the built-in lattice needs the first 2^20 points at most.
  const int m_lo = args.integer<int>("min-log2-n", 10, 1, 20), m_hi = args.integer<int>("max-log2-n", 20, 1, 20);
  if (m_lo > m_hi) throw UsageError("--min-log2-n " + std::to_string(m_lo) + " exceeds --max-log2-n " + std::to_string(m_hi));
  const std::size_t R = args.integer<std::size_t>("replications", 16, 2, 4096);
  const std::uint64_t seed = args.integer<std::uint64_t>("seed", 1, 0);
  const std::string prefix = args.text("output-prefix", "qmcsim_demo");
  args.reject_unused("demo");
  require_memory("--max-log2-n " + std::to_string(m_hi) + " with --dim " + std::to_string(d),
                 std::ldexp(1.0L, m_hi), 64 + 40 * d);
  require_memory("--replications " + std::to_string(R) + " x --dim " + std::to_string(d), static_cast<long double>(R) * d,
                 64 * 8 + 3 * 8 * 1024);

  const Keister keister{d};
  const double exact = keister.exact();
  std::printf("Keister integral in d = %d: exact value %.15f; %zu independent randomizations per RQMC method,\n"
              "one for Bayesian cubature (\"std error\": the posterior standard deviation) and guaranteed cubature\n"
              "(\"std error\": its error bound)\n", d, exact, R);
  std::printf("(%s back end, concurrency %d)\n\n", Kokkos::DefaultExecutionSpace::name(),
              Kokkos::DefaultExecutionSpace().concurrency());
  std::printf("%-16s %9s %19s %12s %12s %10s\n", "method", "n", "estimate", "std error", "|error|", "seconds");

  OutputFile csv(prefix + ".csv");
  csv.write("method,n,estimate,standard_error,absolute_error,seconds\n");
  const auto csv_row = [&csv](const std::string& label, std::uint64_t n, double estimate, double spread, double error,
                              double seconds) {
    csv.print("\"%s\",%llu,%.17g,%.17g,%.17g,%.17g\n", label.c_str(), static_cast<unsigned long long>(n), estimate,
              spread, error, seconds);
  };
  const std::string setting = "Keister, d = " + std::to_string(d) + " (R = " + std::to_string(R) + " randomizations; Bayes: one)";
  PlotPanel error_panel{setting + ": true error", "n (points per randomization)", "|estimate - exact|", {}};
  PlotPanel spread_panel{setting + ": standard error", "n (points per randomization)", "standard error of the estimate", {}};
  for (const Method& method : methods) {
    PointSetRequest request;
    request.kind = method.kind;
    request.options.dimension = d;
    request.options.replications = R;
    request.options.randomization = method.randomization;
    request.options.seed = seed;
    PlotSeries errors{method.label, {}, {}}, spreads{method.label, {}, {}};
    visit_point_set(request, [&](const auto& generator) {
      for (int m = m_lo; m <= m_hi; ++m) {
        const std::uint64_t n = std::uint64_t{1} << m;
        const auto started = std::chrono::steady_clock::now();
        const ReplicatedEstimate estimate = replicated_estimate(generator, n, keister);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const double error = std::abs(estimate.mean - exact);
        std::printf("%-16s %9llu %19.15f %12.3e %12.3e %10.4f\n", method.label, static_cast<unsigned long long>(n),
                    estimate.mean, estimate.standard_error, error, seconds);
        std::fflush(stdout);
        csv_row(method.label, n, estimate.mean, estimate.standard_error, error, seconds);
        errors.x.push_back(static_cast<double>(n));
        errors.y.push_back(std::max(error, 1e-17));
        spreads.x.push_back(static_cast<double>(n));
        spreads.y.push_back(estimate.standard_error);
      }
    });
    error_panel.series.push_back(errors);
    spread_panel.series.push_back(spreads);
    std::printf("\n");
  }
  // One randomization, n doubling, on a lattice and a Sobol' net: fast Bayesian cubature (each step
  // refits the kernel; the "std error" column is the posterior standard deviation, half-width / z) and
  // guaranteed cubature (the column is its error bound).
  const auto single_randomization = [&](const std::string& method, const char* kind, const auto& run) {
    const std::string label = method + (kind == std::string("lattice") ? "lattice" : "Sobol'");
    PointSetRequest request;
    request.kind = kind;
    request.options.dimension = d;
    request.options.randomization = default_randomization(kind);
    request.options.seed = seed;
    PlotSeries errors{label, {}, {}}, spreads{label, {}, {}};
    visit_point_set(request, [&](const auto& generator) {
      using Generator = std::decay_t<decltype(generator)>;
      if constexpr (std::is_same_v<Generator, Lattice<>> || std::is_same_v<Generator, DigitalNet<>>) {
        for (const auto& [points, estimate, spread, seconds] : run(generator)) {
          const double error = std::abs(estimate - exact);
          std::printf("%-16s %9llu %19.15f %12.3e %12.3e %10.4f\n", label.c_str(), static_cast<unsigned long long>(points),
                      estimate, spread, error, seconds);
          csv_row(label, points, estimate, spread, error, seconds);
          errors.x.push_back(static_cast<double>(points));
          errors.y.push_back(std::max(error, 1e-17));
          spreads.x.push_back(static_cast<double>(points));
          spreads.y.push_back(spread);
        }
      }
    });
    error_panel.series.push_back(errors);
    spread_panel.series.push_back(spreads);
    std::printf("\n");
  };
  struct Row {
    std::uint64_t points;
    double estimate, spread, seconds;
  };
  for (const char* kind : {"lattice", "sobol"})
    single_randomization("Bayes, ", kind, [&](const auto& generator) {
      BayesianCubatureOptions options;  // the defaults: c1sin with smoothness 2 on the lattice, smoothness 1 on the net
      options.absolute_tolerance = 1e-300;  // run every level for the table
      options.log2_min_points = m_lo;
      options.log2_max_points = m_hi;
      const double z = normal_quantile(0.5 + options.confidence / 2);
      std::vector<Row> rows;
      for (const auto& step : bayesian_cubature(generator, keister, options).steps)
        rows.push_back({step.points, step.estimate, step.half_width / z, step.seconds});
      return rows;
    });
  for (const char* kind : {"lattice", "sobol"})
    single_randomization("Guaranteed, ", kind, [&](const auto& generator) {
      GuaranteedCubatureOptions options;  // baker on the lattice
      options.absolute_tolerance = 1e-300;
      options.log2_min_points = std::max(m_lo, options.lag + 4);
      options.log2_max_points = std::max(m_hi, options.log2_min_points);
      std::vector<Row> rows;
      for (const auto& step : guaranteed_cubature(generator, keister, options).steps)
        rows.push_back({step.points, step.estimate, step.half_width, step.seconds});
      return rows;
    });
  const PlotSeries& mc = spread_panel.series.front();
  for (PlotPanel* panel : {&error_panel, &spread_panel}) {
    panel->series.push_back(reference_slope("n^{-1/2}", mc.x, mc.y.front(), -0.5));
    panel->series.push_back(reference_slope("n^{-1}", mc.x, mc.y.front() / 4, -1.0));
  }
  csv.commit();
  const bool plotted = render_plot({error_panel, spread_panel}, prefix + ".png");
  std::printf("wrote %s.csv%s\n", prefix.c_str(),
              plotted ? (" and " + prefix + ".png").c_str() : " (gnuplot not found: no PNG, script kept)");
  return 0;
}

}  // namespace qmcsim::cli
