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
};

void print(const Report& report, const std::optional<double>& exact, double confidence, double seconds) {
  std::printf("estimate   %.15g\nhalf-width %.3e (%g%% interval)\npoints     %llu per randomization\n", report.estimate,
              report.half_width, 100 * confidence, static_cast<unsigned long long>(report.points));
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

}  // namespace

int run_cubature(const std::vector<std::string>& words) {
  const Arguments args(words, {"integrand", "dim", "abs-tol", "rel-tol", "method", "replications", "seed", "min-log2-n",
                               "max-log2-n", "smoothness", "periodization", "confidence", "genz-a", "genz-u"},
                       {"mpi"});
  const std::string integrand = args.required_text("integrand");
  const int d = static_cast<int>(args.required_integer("dim"));
  const std::string method = args.text("method", "bayes-lattice");
  const bool bayes = method == "bayes-lattice" || method == "bayes-net";
  if (!bayes && method != "rqmc-lattice" && method != "rqmc-net" && method != "mc")
    throw UsageError("method '" + method + "' is unknown: use bayes-lattice, bayes-net, rqmc-lattice, rqmc-net or mc");
  if (bayes && args.has("replications")) throw UsageError("--replications applies to rqmc-* and mc, not to Bayesian cubature");
  if (!bayes && (args.has("smoothness") || args.has("periodization")))
    throw UsageError("--smoothness and --periodization apply to bayes-lattice and bayes-net only");
  if (d < 1) throw UsageError("--dim must be at least 1");

  PointSetRequest request;
  request.kind = method == "mc" ? "iid" : (method.find("lattice") != std::string::npos ? "lattice" : "sobol");
  request.options.dimension = d;
  request.options.replications = bayes ? 1 : args.integer("replications", 16);
  request.options.randomization = default_randomization(request.kind);
  request.options.seed = args.integer("seed", 0);
  const double confidence = args.real("confidence", 0.99);
  const double absolute = args.real("abs-tol", 1e-3), relative = args.real("rel-tol", 0);
  const int m_lo = static_cast<int>(args.integer("min-log2-n", bayes ? 8 : 10));
  const int m_hi = static_cast<int>(args.integer("max-log2-n", 20));

  const Runner runner(args.flag("mpi"));
  visit_integrand(integrand, d, args, [&](const auto& f, const std::optional<double>& exact) {
    if (runner.prints()) std::printf("integrand  %s, d = %d\nmethod     %s\n", integrand.c_str(), d, method.c_str());
    if (runner.prints() && args.flag("mpi")) std::printf("ranks      %d\n", runner.ranks());
    const auto started = std::chrono::steady_clock::now();
    Report report{};
    visit_point_set(request, [&](const auto& generator) {
      using Generator = std::decay_t<decltype(generator)>;
      if constexpr (std::is_same_v<Generator, IidUniform<>> || std::is_same_v<Generator, Halton<>>) {
        const auto result = runner.rqmc(generator, f, {absolute, relative, m_lo, m_hi, confidence});
        report = {result.estimate.mean, result.half_width, result.estimate.points, result.met_tolerance};
      } else if (bayes) {
        BayesianCubatureOptions options;
        options.absolute_tolerance = absolute;
        options.relative_tolerance = relative;
        options.log2_min_points = m_lo;
        options.log2_max_points = m_hi;
        options.confidence = confidence;
        options.smoothness = static_cast<int>(args.integer("smoothness", 1));
        options.periodization = parse_periodization(args.text("periodization", method == "bayes-lattice" ? "baker" : "none"));
        const auto result = runner.bayes(generator, f, options);
        report = {result.estimate, result.half_width, result.points, result.met_tolerance};
      } else {
        const auto result = runner.rqmc(generator, f, {absolute, relative, m_lo, m_hi, confidence});
        report = {result.estimate.mean, result.half_width, result.estimate.points, result.met_tolerance};
      }
    });
    if (runner.prints())
      print(report, exact, confidence, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  });
  return 0;
}

}  // namespace qmcsim::cli
