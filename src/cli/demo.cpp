// qmcsim demo (the default job): the Keister integral in d = 8 by plain Monte Carlo and by randomized
// lattice, Sobol' (LMS + DS and NUS) and Halton points for n = 2^10 ... 2^20, with R independent
// randomizations each, then by fast Bayesian cubature on a lattice and on a Sobol' net: estimate,
// standard error (posterior standard deviation for Bayes), true error and time per method and n.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "cli/commands.hpp"
#include "cli/plot.hpp"
#include "cli/point_sets.hpp"
#include "qmcsim/cubature/bayesian_cubature.hpp"
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
  const int d = static_cast<int>(args.integer("dim", 8));
  const int m_lo = static_cast<int>(args.integer("min-log2-n", 10)), m_hi = static_cast<int>(args.integer("max-log2-n", 20));
  const std::size_t R = args.integer("replications", 16);
  const std::string prefix = args.text("output-prefix", "qmcsim_demo");
  if (m_lo > m_hi || m_hi > 26) throw UsageError("need --min-log2-n <= --max-log2-n <= 26");
  if (d < 1) throw UsageError("--dim must be at least 1");
  if (R < 2) throw UsageError("--replications must be at least 2 for a standard error");

  const Keister keister{d};
  const double exact = keister.exact();
  std::printf("Keister integral in d = %d: exact value %.15f; %zu independent randomizations per method\n", d, exact, R);
  std::printf("(%s back end, concurrency %d)\n\n", Kokkos::DefaultExecutionSpace::name(),
              Kokkos::DefaultExecutionSpace().concurrency());
  std::printf("%-16s %9s %19s %12s %12s %10s\n", "method", "n", "estimate", "std error", "|error|", "seconds");

  std::ofstream csv(prefix + ".csv");
  csv << "method,n,estimate,standard_error,absolute_error,seconds\n";
  csv.precision(17);
  const std::string setting = "Keister, d = " + std::to_string(d) + ", R = " + std::to_string(R) + " randomizations";
  PlotPanel error_panel{setting + ": true error", "n (points per randomization)", "|estimate - exact|", {}};
  PlotPanel spread_panel{setting + ": standard error", "n (points per randomization)", "standard error of the estimate", {}};
  for (const Method& method : methods) {
    PointSetRequest request;
    request.kind = method.kind;
    request.options.dimension = d;
    request.options.replications = R;
    request.options.randomization = method.randomization;
    request.options.seed = args.integer("seed", 1);
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
        csv << '"' << method.label << "\"," << n << ',' << estimate.mean << ',' << estimate.standard_error << ',' << error
            << ',' << seconds << '\n';
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
  // Bayesian cubature: one doubling run per design, each step refitting the kernel; the "std error"
  // column is the posterior standard deviation (half-width / z).
  for (const char* kind : {"lattice", "sobol"}) {
    const std::string label = std::string("Bayes, ") + (kind == std::string("lattice") ? "lattice" : "Sobol'");
    PointSetRequest request;
    request.kind = kind;
    request.options.dimension = d;
    request.options.randomization = default_randomization(kind);
    request.options.seed = args.integer("seed", 1);
    BayesianCubatureOptions options;
    options.absolute_tolerance = 1e-300;  // run every level for the table
    options.log2_min_points = m_lo;
    options.log2_max_points = m_hi;
    options.smoothness = 1;
    options.periodization = kind == std::string("lattice") ? Periodization::baker : Periodization::none;
    const double z = normal_quantile(0.5 + options.confidence / 2);
    PlotSeries errors{label, {}, {}}, spreads{label, {}, {}};
    visit_point_set(request, [&](const auto& generator) {
      using Generator = std::decay_t<decltype(generator)>;
      if constexpr (std::is_same_v<Generator, Lattice<>> || std::is_same_v<Generator, DigitalNet<>>) {
        for (const auto& step : bayesian_cubature(generator, keister, options).steps) {
          const double error = std::abs(step.estimate - exact);
          std::printf("%-16s %9llu %19.15f %12.3e %12.3e %10.4f\n", label.c_str(), static_cast<unsigned long long>(step.points),
                      step.estimate, step.half_width / z, error, step.seconds);
          csv << '"' << label << "\"," << step.points << ',' << step.estimate << ',' << step.half_width / z << ',' << error
              << ',' << step.seconds << '\n';
          errors.x.push_back(static_cast<double>(step.points));
          errors.y.push_back(std::max(error, 1e-17));
          spreads.x.push_back(static_cast<double>(step.points));
          spreads.y.push_back(step.half_width / z);
        }
      }
    });
    error_panel.series.push_back(errors);
    spread_panel.series.push_back(spreads);
    std::printf("\n");
  }
  const PlotSeries& mc = spread_panel.series.front();
  for (PlotPanel* panel : {&error_panel, &spread_panel}) {
    panel->series.push_back(reference_slope("n^{-1/2}", mc.x, mc.y.front(), -0.5));
    panel->series.push_back(reference_slope("n^{-1}", mc.x, mc.y.front() / 4, -1.0));
  }
  const bool plotted = render_plot({error_panel, spread_panel}, prefix + ".png");
  std::printf("wrote %s.csv%s\n", prefix.c_str(),
              plotted ? (" and " + prefix + ".png").c_str() : " (gnuplot not found: no PNG, script kept)");
  return 0;
}

}  // namespace qmcsim::cli
