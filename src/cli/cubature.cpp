// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// qmcsim cubature: the integral of a test function to a tolerance, by fast Bayesian cubature on a
// lattice or a digital net, by replicated RQMC on the same point sets, or by plain Monte Carlo; with
// --mpi (under mpirun) on all ranks, which split the points and print what one process would.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "cli/commands.hpp"
#include "cli/integrands.hpp"
#include "cli/point_sets.hpp"
#include "qmcsim/config.hpp"
#include "qmcsim/cubature/bayesian_cubature.hpp"
#include "qmcsim/cubature/guaranteed_cubature.hpp"
#include "qmcsim/cubature/rqmc.hpp"
#if QMCSIM_HAS_MPI
#include "qmcsim/mpi/cubature.hpp"
#endif

namespace qmcsim::cli {
namespace {

struct Report {
  double estimate, half_width;
  std::uint64_t points;
  bool met;
  std::string interval;  ///< what the half-width means
};

void print(const Report& report, const std::optional<double>& exact, double seconds) {
  std::printf("estimate   %.15g\nhalf-width %.3e (%s)\npoints     %llu per randomization\n", report.estimate,
              report.half_width, report.interval.c_str(), static_cast<unsigned long long>(report.points));
  std::printf("tolerance  %s\nseconds    %.3f\n", report.met ? "met" : "NOT met (reached --max-log2-n)", seconds);
  if (exact) std::printf("exact      %.15g\nerror      %.3e\n", *exact, std::abs(report.estimate - *exact));
}

/// Runs the cubature on this process alone, or, with --mpi, on all ranks of MPI_COMM_WORLD.
class Runner {
 public:
  explicit Runner(bool distributed) {
    if (!distributed) return;
#if QMCSIM_HAS_MPI
    environment_.emplace();
    communicator_.emplace();
    rank_ = communicator_->rank;
    ranks_ = communicator_->size;
#else
    throw UsageError("--mpi: this qmcsim was built without MPI (configure with -DQMCSIM_ENABLE_MPI=ON)");
#endif
  }

  bool prints() const { return rank_ == 0; }
  int ranks() const { return ranks_; }

  template <class Generator, class Integrand>
  RqmcCubatureResult rqmc(const Generator& generator, const Integrand& f, const RqmcCubatureOptions& options) const {
#if QMCSIM_HAS_MPI
    if (communicator_) return mpi::rqmc_cubature(*communicator_, generator, f, options);
#endif
    return rqmc_cubature(generator, f, options);
  }

  template <class Generator, class Integrand>
  BayesianCubatureResult bayes(const Generator& generator, const Integrand& f, const BayesianCubatureOptions& options) const {
#if QMCSIM_HAS_MPI
    if (communicator_) return mpi::bayesian_cubature(*communicator_, generator, f, options);
#endif
    return bayesian_cubature(generator, f, options);
  }

 private:
#if QMCSIM_HAS_MPI
  std::optional<mpi::Environment> environment_;
  std::optional<mpi::Communicator> communicator_;
#endif
  int rank_ = 0, ranks_ = 1;
};

/// The arithmetic Asian call at every strike, estimated together from the same points (each strike
/// with the same tolerance), one line per strike.
int run_strikes(const PointSetRequest& request, int d, PathConstruction construction, const std::vector<double>& strikes,
                const RqmcCubatureOptions& options) {
  const auto payoffs = AsianCallStrikes<>::make(ArithmeticAsianCall{d}, strikes).integrand(construction);
  const auto started = std::chrono::steady_clock::now();
  RqmcVectorCubatureResult result;
  visit_point_set(request, [&](const auto& generator) {
    if ((std::uint64_t{1} << options.log2_max_points) > generator.max_points())
      throw UsageError("--max-log2-n " + std::to_string(options.log2_max_points) + " exceeds the " +
                       std::to_string(generator.max_points()) + " points of the point set (" + generator.range_limit() + ")");
    result = rqmc_vector_cubature(generator, payoffs, options);
  });
  std::printf("integrand  asian-option, d = %d, %zu strikes from the same paths\n", d, strikes.size());
  std::printf("strike,estimate,half_width,met\n");
  for (std::size_t j = 0; j < strikes.size(); ++j)
    std::printf("%.10g,%.15g,%.3e,%s\n", strikes[j], result.estimates[j].mean, result.half_widths[j], result.met[j] ? "yes" : "no");
  std::printf("points     %llu per randomization\ntolerance  %s\nseconds    %.3f\n",
              static_cast<unsigned long long>(result.points),
              result.met_tolerance ? "met at every strike" : "NOT met (reached --max-log2-n)",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return 0;
}

}  // namespace

int run_cubature(const std::vector<std::string>& words) {
  const Arguments args(words, {"integrand", "dim", "abs-tol", "rel-tol", "method", "replications", "seed", "min-log2-n",
                               "max-log2-n", "smoothness", "periodization", "confidence", "genz-a", "genz-u", "path-construction", "control-variate", "strikes"},
                       {"mpi"});
  const std::string integrand = args.choice("integrand", "", integrand_names);
  const int d = args.required_integer<int>("dim", 1);
  const std::string method = args.choice(
      "method", "bayes-lattice", {"bayes-lattice", "bayes-net", "guaranteed-lattice", "guaranteed-net", "rqmc-lattice", "rqmc-net", "mc"});
  const bool bayes = method == "bayes-lattice" || method == "bayes-net";
  const bool guaranteed = method == "guaranteed-lattice" || method == "guaranteed-net";
  const bool single = bayes || guaranteed;  // one randomization
  const IntegrandParameters parameters = IntegrandParameters::read(integrand, args);

  PointSetRequest request;
  request.kind = method == "mc" ? "iid" : (method.find("lattice") != std::string::npos ? "lattice" : "sobol");
  request.options.dimension = static_cast<std::size_t>(d);
  request.options.replications = single ? 1 : args.integer<std::size_t>("replications", 16, 2, counter_limit);
  request.options.randomization = default_randomization(request.kind);
  request.options.seed = args.integer<std::uint64_t>("seed", 0, 0);
  // the guaranteed bound is deterministic for integrands in the cone: no confidence level
  const double confidence = guaranteed ? 1.0 : args.real("confidence", 0.99, 0, std::nextafter(1.0, 0.0), true);
  const double absolute = args.real("abs-tol", 1e-3, 0), relative = args.real("rel-tol", 0, 0);
  if (absolute == 0 && relative == 0) throw UsageError("--abs-tol and --rel-tol are both 0: no tolerance can be met");
  const int m_lo = args.integer<int>("min-log2-n", bayes ? 8 : 10, bayes ? 1 : (guaranteed ? 8 : 0), 62);
  const int m_hi = args.integer<int>("max-log2-n", 20, 1, 62);
  if (m_lo > m_hi)
    throw UsageError("--min-log2-n " + std::to_string(m_lo) + " exceeds --max-log2-n " + std::to_string(m_hi));
  BayesianCubatureOptions bayes_options;
  if (bayes) {
    bayes_options.absolute_tolerance = absolute;
    bayes_options.relative_tolerance = relative;
    bayes_options.log2_min_points = m_lo;
    bayes_options.log2_max_points = m_hi;
    bayes_options.confidence = confidence;
    bayes_options.smoothness = args.integer<int>("smoothness", 0, 1, 4);  // 0: the kernel family's default
    if (method == "bayes-lattice")
      bayes_options.periodization = parse_periodization(args.choice("periodization", "automatic", {"automatic", "none", "baker", "c1sin"}));
  }
  GuaranteedCubatureOptions guaranteed_options;
  if (guaranteed) {
    guaranteed_options.absolute_tolerance = absolute;
    guaranteed_options.relative_tolerance = relative;
    guaranteed_options.log2_min_points = m_lo;
    guaranteed_options.log2_max_points = m_hi;
    if (method == "guaranteed-lattice")
      guaranteed_options.periodization = parse_periodization(args.choice("periodization", "automatic", {"automatic", "none", "baker", "c1sin"}));
  }
  // the geometric Asian call (exact price known) as the control variate of the arithmetic one
  const std::string variate = guaranteed && integrand == "asian-option" ? args.text("control-variate", "") : "";
  if (!variate.empty() && variate != "geometric-asian-option")
    throw UsageError("--control-variate '" + variate + "' is unknown: use geometric-asian-option");
  const bool control_variate = !variate.empty();
  // several strikes of the arithmetic Asian call from the same paths: a vector-valued integrand (RQMC)
  const std::vector<double> strikes =
      integrand == "asian-option" && !single ? args.reals("strikes", 0) : std::vector<double>();
  if (strikes.size() > max_integrand_outputs)
    throw UsageError("--strikes: " + std::to_string(strikes.size()) + " strikes, at most " +
                     std::to_string(max_integrand_outputs));
  const bool distributed = !guaranteed && strikes.empty() && args.flag("mpi");
  args.reject_unused("cubature --integrand " + integrand + " --method " + method +
                     (strikes.empty() ? "" : " --strikes"));
  // Bayesian cubature keeps all n values, the design's words and d + 1 transformed rows; RQMC a
  // block of at least 1024 points per replication.
  const long double n_max = std::ldexp(1.0L, m_hi);
  if (single) require_memory("--max-log2-n " + std::to_string(m_hi) + " with --dim " + std::to_string(d), n_max, 64 + 40 * d);
  else require_memory("--replications x --dim", static_cast<long double>(request.options.replications) * d * 1024, 3 * 8);

  if (!strikes.empty()) return run_strikes(request, d, parameters.construction, strikes, {absolute, relative, m_lo, m_hi, confidence});
  const Runner runner(distributed);
  visit_integrand(integrand, d, parameters, [&](const auto& f, const std::optional<double>& exact) {
    if (runner.prints()) std::printf("integrand  %s, d = %d\nmethod     %s\n", integrand.c_str(), d, method.c_str());
    if (runner.prints() && distributed) std::printf("ranks      %d\n", runner.ranks());
    const auto started = std::chrono::steady_clock::now();
    Report report{};
    visit_point_set(request, [&](const auto& generator) {
      using Generator = std::decay_t<decltype(generator)>;
      if ((std::uint64_t{1} << m_hi) > generator.max_points())
        throw UsageError("--max-log2-n " + std::to_string(m_hi) + " exceeds the " + std::to_string(generator.max_points()) +
                         " points of the " + method + " point set (" + generator.range_limit() + ")");
      const std::string credible = to_text(100 * confidence) + "% credible interval";
      const std::string student = to_text(100 * confidence) + "% Student-t interval over the randomizations";
      if constexpr (std::is_same_v<Generator, IidUniform<>> || std::is_same_v<Generator, Halton<>>) {
        const auto result = runner.rqmc(generator, f, {absolute, relative, m_lo, m_hi, confidence});
        report = {result.estimate.mean, result.half_width, result.estimate.points, result.met_tolerance, student};
      } else if (bayes) {
        const auto result = runner.bayes(generator, f, bayes_options);
        report = {result.estimate, result.half_width, result.points, result.met_tolerance, credible};
      } else if (guaranteed) {
        const GeometricAsianCall geometric{d};
        const auto result =
            control_variate ? guaranteed_cubature(generator, f, guaranteed_options,
                                                  ControlVariate<decltype(geometric.integrand(parameters.construction))>{
                                                      geometric.integrand(parameters.construction), geometric.exact()})
                            : guaranteed_cubature(generator, f, guaranteed_options);
        if (control_variate && runner.prints())
          std::printf("control variate geometric-asian-option, beta = %.6f\n", result.control_variate_coefficients[0]);
        report = {result.estimate, result.half_width, result.points, result.met_tolerance,
                  result.cone_violated ? "bound NOT guaranteed: the integrand violates the cone conditions"
                                       : "error bound, guaranteed for integrands in the cone"};
      } else {
        const auto result = runner.rqmc(generator, f, {absolute, relative, m_lo, m_hi, confidence});
        report = {result.estimate.mean, result.half_width, result.estimate.points, result.met_tolerance, student};
      }
    });
    if (!std::isfinite(report.estimate) || !std::isfinite(report.half_width))
      throw std::runtime_error("the estimate (" + to_text(report.estimate) + ") or its half-width (" +
                               to_text(report.half_width) + ") is not finite: the integrand overflows or is not integrable at these points");
    if (runner.prints())
      print(report, exact, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  });
  return 0;
}

}  // namespace qmcsim::cli
