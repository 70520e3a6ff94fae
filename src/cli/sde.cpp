// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// qmcsim sde: the two experiments of Jelinčič et al., "Single-seed generation of Brownian paths and
// integrals for adaptive and high order SDE solvers" (arXiv 2405.06464), on virtual Brownian trees.
//
//   cir       The CIR model dX = a (b - X) dt + sigma sqrt(X+) dW with high volatility (Feller's
//             condition 2ab >= sigma^2 fails, so paths touch zero), solved by Milstein with constant
//             steps and with the PID controller (rejections re-query the same tree). Strong RMS error
//             at T against a fine-step solution on the same paths, against the cost (attempted steps),
//             and the fitted orders error ~ cost^-order.
//   langevin  Underdamped Langevin MCMC on the tilted double well f(x) = sum_i x_i^4/4 - x_i^2/2 + x_i/5
//             (d = 2): ShOULD (uses W, H, K) against ShARK and Euler-Maruyama on the (x, v) system,
//             effective sample size of the mean of x_1 per gradient evaluation, and the bias of E[x_1^2]
//             against the exact value by quadrature.

#include <chrono>
#include <cmath>
#include <cstdio>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/plot.hpp"
#include "qmcsim/sde/integrate.hpp"
#include "qmcsim/sde/langevin.hpp"
#include "qmcsim/sde/models.hpp"

namespace qmcsim::cli {
namespace {

using Exec = Kokkos::DefaultExecutionSpace;

template <class View>
auto on_host(const View& view) {
  return Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
}

double fitted_slope(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0, sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i] / x.size(), my += y[i] / y.size();
  for (std::size_t i = 0; i < x.size(); ++i) sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx);
  return sxy / sxx;
}

// ---------------------------------------------------------------------------------------------- CIR

struct CostAndError {
  double cost, error;
};

template <class Control>
CostAndError cir_run(const CoxIngersollRoss& cir, const VirtualBrownianTree<LevyArea::none>& tree, const Control& control,
                     std::size_t paths, const Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace>& reference) {
  SolveOptions options;
  options.paths = paths;
  const auto solution = solve_sde<Exec>(Milstein(), cir, tree, State<1>{1.0}, {tree.t1()}, control, options);
  const auto x = on_host(solution.states);
  const auto statistics = on_host(solution.statistics);
  double sum = 0, cost = 0;
  for (std::size_t p = 0; p < paths; ++p) {
    detail::require(statistics(p).completed, "cir: path ", p, " exceeded the step limit");
    sum += (x(p, 0, 0) - reference(p, 0, 0)) * (x(p, 0, 0) - reference(p, 0, 0));
    cost += static_cast<double>(statistics(p).accepted + statistics(p).rejected);
  }
  return {cost / paths, std::sqrt(sum / paths)};
}

/// The options of both experiments, read (and checked) before any work starts.
struct Settings {
  bool quick = false, check = false;
  std::size_t paths = 0;
  std::uint64_t seed = 0;
  std::string prefix;
  CoxIngersollRoss cir{};
  double gamma = 0, time = 0;
};

int run_cir(const Settings& settings) {
  const CoxIngersollRoss cir = settings.cir;
  const std::size_t paths = settings.paths;
  const std::uint64_t seed = settings.seed;
  const std::string& prefix = settings.prefix;
  const int max_log2_steps = settings.quick ? 9 : 12;
  const double tightest = settings.quick ? 1e-3 : 1e-4;
  const VirtualBrownianTree<LevyArea::none> tree(0.0, 1.0, 1, seed);
  SolveOptions options;
  options.paths = paths;
  // The reference: adaptive steps at a tolerance 100 times below the tightest tested, which the finest
  // constant-step run is compared with below (constant steps converge too slowly to serve).
  PidController reference_pid(tightest / 100, tightest / 100, Milstein::strong_order + 0.5);
  reference_pid.dt0 = 1e-3;
  const auto reference =
      on_host(solve_sde<Exec>(Milstein(), cir, tree, State<1>{1.0}, {1.0}, reference_pid, options).states);
  std::printf("CIR dX = %g (%g - X) dt + %g sqrt(X) dW, X0 = 1, T = 1, 2ab/sigma^2 = %.2f (Feller fails below 1)\n",
              cir.kappa, cir.theta, cir.sigma, 2 * cir.kappa * cir.theta / (cir.sigma * cir.sigma));
  std::printf("Milstein, %zu paths; reference: adaptive at tol = %.0e on the same paths\n\n", paths, tightest / 100);
  std::printf("%-10s %-12s %14s %14s\n", "stepping", "parameter", "mean steps", "RMS error");
  PlotSeries constant{"constant steps", {}, {}}, adaptive{"adaptive (PID, rejections)", {}, {}};
  for (int m = 2; m <= max_log2_steps; ++m) {
    const CostAndError r = cir_run(cir, tree, ConstantSteps(std::ldexp(1.0, -m)), paths, reference);
    std::printf("%-10s h = 2^-%-5d %14.1f %14.4e\n", "constant", m, r.cost, r.error);
    constant.x.push_back(r.cost), constant.y.push_back(r.error);
  }
  for (double tol = 0.3; tol > tightest / 2; tol /= 3) {
    PidController pid(tol, tol, Milstein::strong_order + 0.5);
    pid.dt0 = 0.01;
    const CostAndError r = cir_run(cir, tree, pid, paths, reference);
    std::printf("%-10s tol = %-6.1e %14.1f %14.4e\n", "adaptive", tol, r.cost, r.error);
    adaptive.x.push_back(r.cost), adaptive.y.push_back(r.error);
  }
  // Orders are fitted where the runs take at least 30 steps: the pre-asymptotic coarse runs are left out.
  auto order = [](const PlotSeries& s) {
    std::vector<double> lx, ly;
    for (std::size_t i = 0; i < s.x.size(); ++i)
      if (s.x[i] >= 30) lx.push_back(std::log(s.x[i])), ly.push_back(std::log(s.y[i]));
    return -fitted_slope(lx, ly);
  };
  const double constant_order = order(constant), adaptive_order = order(adaptive);
  std::printf("\nfitted order (error ~ cost^-order, runs of >= 30 steps): constant %.2f, adaptive %.2f (ratio %.2f)\n",
              constant_order, adaptive_order, adaptive_order / constant_order);
  const bool plotted = render_plot({{"CIR, Milstein: strong error vs cost", "mean steps per path (incl. rejected)",
                                     "RMS error at T", {constant, adaptive}}},
                                   prefix + ".png");
  std::printf("%s\n", plotted ? ("wrote " + prefix + ".png").c_str() : "gnuplot not found: no PNG (script kept)");
  if (settings.check && !(adaptive_order > 1.25 * constant_order)) {
    std::fprintf(stderr, "check failed: the adaptive order is not clearly above the constant-step order\n");
    return 1;
  }
  return 0;
}

// ----------------------------------------------------------------------------------------- Langevin

/// f(x) = sum_i x_i^4/4 - x_i^2/2 + x_i/5.
struct TiltedDoubleWell {
  static constexpr std::size_t dimension = 2;
  KOKKOS_INLINE_FUNCTION static double gradient_1d(double x) { return x * x * x - x + 0.2; }
  KOKKOS_INLINE_FUNCTION State<2> gradient(const State<2>& x) const { return {gradient_1d(x[0]), gradient_1d(x[1])}; }
  /// E[x^k] of one coordinate under exp(-f) by the trapezoidal rule on [-6, 6] (spectrally accurate).
  static double moment(int k) {
    double num = 0, den = 0;
    for (int i = -60000; i <= 60000; ++i) {
      const double x = i * 1e-4, w = std::exp(-(x * x * x * x / 4 - x * x / 2 + x / 5));
      num += std::pow(x, k) * w, den += w;
    }
    return num / den;
  }
};

/// The same dynamics as an SDE on (x, v) with additive noise on v, for the generic solvers.
struct LangevinSystem {
  static constexpr std::size_t dimension = 4;
  static constexpr bool additive_noise = true;
  double gamma, u;
  KOKKOS_INLINE_FUNCTION State<4> drift(double, const State<4>& y) const {
    const State<2> g = TiltedDoubleWell().gradient({y[0], y[1]});
    return {y[2], y[3], -gamma * y[2] - u * g[0], -gamma * y[3] - u * g[1]};
  }
  KOKKOS_INLINE_FUNCTION State<4> diffusion(double, const State<4>&) const {
    const double rho = ::sqrt(2 * gamma * u);
    return {0.0, 0.0, rho, rho};
  }
};

/// Effective sample size of the mean of chains (chain, time): M L / tau with the integrated
/// autocorrelation time tau = 1 + 2 sum_k rho_k, summed over Geyer's initial positive sequence.
double effective_sample_size(const std::vector<std::vector<double>>& chains) {
  const std::size_t M = chains.size(), L = chains[0].size();
  double mean = 0;
  for (const auto& c : chains)
    for (double v : c) mean += v / (M * L);
  auto autocovariance = [&](std::size_t lag) {
    double sum = 0;
    for (const auto& c : chains)
      for (std::size_t t = 0; t + lag < L; ++t) sum += (c[t] - mean) * (c[t + lag] - mean);
    return sum / (M * L);
  };
  const double c0 = autocovariance(0);
  double tau = 1;
  for (std::size_t lag = 1; lag + 1 < L; lag += 2) {
    const double pair = (autocovariance(lag) + autocovariance(lag + 1)) / c0;
    if (pair <= 0) break;
    tau += 2 * pair;
  }
  return M * L / tau;
}

struct ChainReport {
  double ess_per_gradient, bias, bias_standard_error;
};

ChainReport summarise(const Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace>& x, std::size_t burn_in,
                      double gradients, double exact_second_moment) {
  std::vector<std::vector<double>> chains(x.extent(0)), squares(x.extent(0));
  double second = 0, fourth = 0;
  const double count = static_cast<double>(x.extent(0) * (x.extent(1) - burn_in));
  for (std::size_t p = 0; p < x.extent(0); ++p)
    for (std::size_t k = burn_in; k < x.extent(1); ++k) {
      const double v = x(p, k, 0);
      chains[p].push_back(v), squares[p].push_back(v * v);
      second += v * v / count, fourth += v * v * v * v / count;
    }
  const double standard_error = std::sqrt((fourth - second * second) / effective_sample_size(squares));
  return {effective_sample_size(chains) / gradients, std::abs(second - exact_second_moment), standard_error};
}

int run_langevin(const Settings& settings) {
  const double gamma = settings.gamma, u = 1.0, T = settings.time;
  const std::size_t paths = settings.paths;
  const std::uint64_t seed = settings.seed;
  const std::string& prefix = settings.prefix;
  const double exact = TiltedDoubleWell::moment(2);
  std::printf("underdamped Langevin, target exp(-sum x_i^4/4 - x_i^2/2 + x_i/5) in d = 2, gamma = %g, u = 1\n", gamma);
  std::printf("%zu chains on [0, %g], burn-in 10%%; exact E[x_1^2] = %.6f (quadrature)\n\n", paths, T, exact);
  std::printf("%-16s %8s %18s %14s %14s\n", "method", "h", "ESS/gradient eval", "|bias E x^2|", "(MC std err)");
  PlotSeries ess[3] = {{"ShOULD (W, H, K)", {}, {}}, {"ShARK (W, H)", {}, {}}, {"Euler-Maruyama", {}, {}}};
  PlotSeries bias[3] = {{"ShOULD (W, H, K)", {}, {}}, {"ShARK (W, H)", {}, {}}, {"Euler-Maruyama", {}, {}}};
  bool should_unbiased = true;
  for (double h : {0.05, 0.1, 0.2, 0.4, 0.8}) {
    const auto steps = static_cast<std::size_t>(std::llround(T / h));
    const std::size_t burn_in = steps / 10;
    const VirtualBrownianTree<LevyArea::space_time_time> tree2(0.0, T, 2, seed);
    const auto should = on_host(sample_langevin<Exec>(ShOULD(gamma, u, h), TiltedDoubleWell(), tree2, State<2>{},
                                                      State<2>{}, steps, 1, paths));
    std::vector<double> times(steps);
    for (std::size_t k = 0; k < steps; ++k) times[k] = std::min(T, (k + 1) * h);
    const VirtualBrownianTree<LevyArea::space_time> tree4(0.0, T, 4, seed);
    SolveOptions options;
    options.paths = paths;
    const LangevinSystem system{gamma, u};
    const auto shark = on_host(solve_sde<Exec>(ShARK(), system, tree4, State<4>{}, times, ConstantSteps(h), options).states);
    const auto euler =
        on_host(solve_sde<Exec>(EulerMaruyama(), system, tree4, State<4>{}, times, ConstantSteps(h), options).states);
    const ChainReport reports[3] = {summarise(should, burn_in, 2.0 * steps * paths, exact),
                                    summarise(shark, burn_in, 2.0 * steps * paths, exact),
                                    summarise(euler, burn_in, 1.0 * steps * paths, exact)};
    should_unbiased = should_unbiased && reports[0].bias <= 5 * reports[0].bias_standard_error;
    for (int m = 0; m < 3; ++m) {
      const bool finite = std::isfinite(reports[m].bias);
      std::printf("%-16s %8.2f %18.4e %14.4e %14.4e%s\n", ess[m].title.c_str(), h,
                  finite ? reports[m].ess_per_gradient : 0.0, reports[m].bias, reports[m].bias_standard_error,
                  finite ? "" : "  (diverged)");
      if (!finite) continue;
      ess[m].x.push_back(h), ess[m].y.push_back(reports[m].ess_per_gradient);
      bias[m].x.push_back(h), bias[m].y.push_back(std::max(reports[m].bias, 1e-6));
    }
  }
  const bool plotted = render_plot({{"ESS of mean(x_1) per gradient evaluation", "step size h", "ESS / gradient",
                                     {ess[0], ess[1], ess[2]}},
                                    {"bias of E[x_1^2]", "step size h", "|bias|", {bias[0], bias[1], bias[2]}}},
                                   prefix + ".png");
  std::printf("%s\n", plotted ? ("wrote " + prefix + ".png").c_str() : "gnuplot not found: no PNG (script kept)");
  if (settings.check && !should_unbiased) {
    std::fprintf(stderr, "check failed: ShOULD's E[x_1^2] is more than 5 standard errors from the exact value\n");
    return 1;
  }
  return 0;
}

}  // namespace

int run_sde(const std::vector<std::string>& words) {
  const Arguments args(words, {"experiment", "paths", "seed", "output-prefix", "a", "b", "sigma", "gamma", "time"},
                       {"quick", "check"});
  const std::string experiment = args.choice("experiment", "", {"cir", "langevin"});
  Settings settings;
  settings.quick = args.flag("quick");
  settings.check = args.flag("check");
  settings.seed = args.integer<std::uint64_t>("seed", 0, 0);
  settings.prefix = args.text("output-prefix", "qmcsim_sde_" + experiment);
  if (experiment == "cir") {
    settings.paths = args.integer<std::size_t>("paths", settings.quick ? 200 : 1000, 1, std::size_t{1} << 24);
    settings.cir = {args.positive("a", 1.0, 1e6), args.positive("b", 1.0, 1e6), args.positive("sigma", 2.0, 1e6)};
  } else {
    settings.paths = args.integer<std::size_t>("paths", settings.quick ? 64 : 256, 1, std::size_t{1} << 24);
    settings.gamma = args.positive("gamma", 2.0, 1e3);
    settings.time = args.positive("time", settings.quick ? 100.0 : 400.0, 1e6);
    if (!(settings.time >= 1)) throw UsageError("--time " + args.text("time", "") + " is below 1 (the chains need several steps of h = 0.8)");
    // the chains keep (x, v) at every step of the finest h = 0.05
    require_memory("--paths " + std::to_string(settings.paths) + " x --time " + args.text("time", ""),
                   settings.paths * (settings.time / 0.05 + 1), 3 * 4 * sizeof(double));
  }
  args.reject_unused("sde --experiment " + experiment);
  return experiment == "cir" ? run_cir(settings) : run_langevin(settings);
}

}  // namespace qmcsim::cli
