// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// solve_sde: the built-in SDEs (qmcsim/sde/models.hpp) solved along paths of a VirtualBrownianTree by a
// solver chosen by name, with constant steps or the PID controller: the C++ solve_sde, one path per
// thread.

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <algorithm>
#include <optional>
#include <variant>

#include "brownian.hpp"
#include "qmcsim/sde/integrate.hpp"
#include "qmcsim/sde/models.hpp"
#include "runtime.hpp"

namespace qmcsim::python {
namespace {

using ItoGbm = GeometricBrownianMotion<1, Calculus::ito>;
using StratonovichGbm = GeometricBrownianMotion<1, Calculus::stratonovich>;

/// The base of the Python SDE classes: one built-in model.
struct PythonSde {
  std::variant<ItoGbm, StratonovichGbm, OrnsteinUhlenbeck, CoxIngersollRoss> sde;
};

struct PythonGbm : PythonSde {};
struct PythonOrnsteinUhlenbeck : PythonSde {};
struct PythonCoxIngersollRoss : PythonSde {};

/// What solve_sde returns: the states at the save times and each path's step counts.
struct PythonSdeSolution {
  nb::object states, accepted, rejected, completed;
};

/// Calls `f` with the solver called `name` (the solvers' own names).
template <class F>
void with_solver(const std::string& name, F&& f) {
  if (name == "euler-maruyama") f(EulerMaruyama());
  else if (name == "milstein") f(Milstein());
  else if (name == "stratonovich-milstein") f(StratonovichMilstein());
  else if (name == "stratonovich-heun") f(StratonovichHeun());
  else if (name == "spark") f(SPaRK());
  else if (name == "sra1") f(SRA1());
  else if (name == "shark") f(ShARK());
  else if (name == "sea") f(SEA());
  else
    throw error("solve_sde: solver = '" + detail::printable(name) +
                "' is unknown: use euler-maruyama, milstein, stratonovich-milstein, stratonovich-heun, spark, sra1, "
                "shark or sea");
}

template <class Sde>
constexpr bool has_calculus_v = !detail::declares_additive_noise<Sde>::value;

/// Whether a solver is one of the SRKs for additive noise.
template <int Stages, LevyArea Levy>
std::true_type additive_noise_method(const AdditiveNoiseRungeKutta<Stages, Levy>*);
std::false_type additive_noise_method(...);
template <class Solver>
constexpr bool for_additive_noise_v = decltype(additive_noise_method(std::declval<const Solver*>()))::value;

/// Throws unless `solver` reads `sde` in the calculus it is written in (additive noise reads the same
/// in both).
template <class Solver, class Sde>
void require_compatible(const Solver& solver, const Sde&) {
  if constexpr (has_calculus_v<Sde>) {
    require_argument(Solver::calculus == Sde::calculus, "solve_sde: ", solver.name, " solves ",
                     Solver::calculus == Calculus::ito ? "Itô" : "Stratonovich", " SDEs and this one is written in ",
                     Sde::calculus == Calculus::ito ? "Itô" : "Stratonovich",
                     " form: use a solver of its calculus (Itô: euler-maruyama, milstein; Stratonovich: "
                     "stratonovich-milstein, stratonovich-heun, spark)");
  }
}

PythonSdeSolution solve(const PythonSde& model, const std::vector<double>& y0, const std::vector<double>& save_times,
                        const std::string& solver_name, std::optional<double> dt, std::optional<double> rtol,
                        std::optional<double> atol, const BrownianTree* given_tree, std::optional<double> t0, std::uint64_t seed,
                        std::size_t paths, std::size_t first_path, std::int64_t max_steps) {
  require_argument(y0.size() == 1, "solve_sde: y0 has ", y0.size(), " components, the SDE 1");
  require_argument(paths >= 1, "solve_sde: paths = 0");
  require_argument(max_steps >= 1, "solve_sde: max_steps = ", max_steps, " must be at least 1");
  require_argument(!save_times.empty(), "solve_sde: save_times is empty");
  require_argument(rtol.has_value() == atol.has_value(), "solve_sde: give rtol and atol together (the PID controller)");
  require_argument(rtol || dt, "solve_sde: give dt (constant steps) or rtol and atol (adaptive steps)");
  SolveOptions options;
  options.paths = paths;
  options.first_path = first_path;
  options.max_steps = max_steps;
  const std::size_t count = save_times.size();
  auto states = new_array<double>({paths, count, 1});
  auto accepted = new_array<std::int64_t>({paths});
  auto rejected = new_array<std::int64_t>({paths});
  auto completed = new_array<bool>({paths});
  with_solver(solver_name, [&](const auto& solver) {
    using Solver = std::decay_t<decltype(solver)>;
    std::visit(
        [&](const auto& sde) {
          using Sde = std::decay_t<decltype(sde)>;
          if constexpr (for_additive_noise_v<Solver> && !detail::declares_additive_noise<Sde>::value) {
            throw error(std::string("solve_sde: ") + solver.name +
                        " is for additive noise (OrnsteinUhlenbeck); this SDE's noise depends on the state");
          } else {
            require_compatible(solver, sde);
            auto run = [&](const auto& tree) {
              using Tree = std::decay_t<decltype(tree)>;
              if constexpr (!std::is_same_v<typename Tree::real_type, double>) {
                throw error("solve_sde: the tree must have dtype float64");
              } else if constexpr (static_cast<int>(Tree::levy_area) < static_cast<int>(Solver::levy_area)) {
                throw error(std::string("solve_sde: ") + solver.name + " needs a tree with levy_area '" +
                            levy_name(Solver::levy_area) + "' or more, this one has '" + levy_name(Tree::levy_area) +
                            "'");
              } else {
                const auto write = [&](const auto& solution) {
                  Kokkos::deep_copy(Unmanaged3<double>(states.data(), paths, count, 1), solution.states);
                  const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), solution.statistics);
                  for (std::size_t p = 0; p < paths; ++p)
                    accepted.data()[p] = host(p).accepted, rejected.data()[p] = host(p).rejected,
                    completed.data()[p] = host(p).completed;
                };
                KernelScope scope;
                if (rtol) {
                  PidController pid(*rtol, *atol, solver.strong_order + 0.5);
                  if (dt) pid.dt0 = *dt;
                  write(solve_sde<Kokkos::DefaultExecutionSpace>(solver, sde, tree, State<1>{y0[0]}, save_times, pid,
                                                                 options));
                } else {
                  write(solve_sde<Kokkos::DefaultExecutionSpace>(solver, sde, tree, State<1>{y0[0]}, save_times,
                                                                 ConstantSteps(*dt), options));
                }
              }
            };
            if (given_tree) {
              require_argument(!t0, "solve_sde: t0 is the tree's t0; give one of them");
              std::visit(run, given_tree->tree);
            } else {
              // Over [t0, the latest save time]: solve_sde itself names save times out of order.
              const double start = t0.value_or(0.0), end = *std::max_element(save_times.begin(), save_times.end());
              require_argument(std::isfinite(start) && end > start, "solve_sde: the last save time ", end,
                               " must exceed t0 = ", start);
              run(VirtualBrownianTree<Solver::levy_area>(start, end, 1, seed));
            }
          }
        },
        model.sde);
  });
  return {nb::cast(states), nb::cast(accepted), nb::cast(rejected), nb::cast(completed)};
}

}  // namespace

void register_sde(nb::module_& m) {
  using namespace nb::literals;
  nb::class_<PythonSde>(m, "Sde", "A built-in SDE for solve_sde (one state component, one Brownian component).");
  nb::class_<PythonGbm, PythonSde>(m, "GeometricBrownianMotion",
      "dX = mu X dt + sigma X dW. calculus='ito': X_t = X_0 exp((mu - sigma^2/2) t + sigma W_t); 'stratonovich'\n"
      "(dX = mu X dt + sigma X o dW): X_t = X_0 exp(mu t + sigma W_t). Solve it with a solver of its calculus.")
      .def("__init__",
           [](PythonGbm* self, double mu, double sigma, const std::string& calculus) {
             require_argument(std::isfinite(mu) && std::isfinite(sigma), "GeometricBrownianMotion: mu = ", mu,
                              " and sigma = ", sigma, " must be finite");
             require_argument(calculus == "ito" || calculus == "stratonovich", "GeometricBrownianMotion: calculus = '",
                              detail::printable(calculus), "' is not ito or stratonovich");
             new (self) PythonGbm();
             if (calculus == "ito")
               self->sde = ItoGbm{mu, sigma};
             else
               self->sde = StratonovichGbm{mu, sigma};
           },
           "mu"_a, "sigma"_a, "calculus"_a = "ito");
  nb::class_<PythonOrnsteinUhlenbeck, PythonSde>(m, "OrnsteinUhlenbeck",
      "dX = theta (mean - X) dt + sigma dW (additive noise: the same in both calculi). X_t is Gaussian with mean\n"
      "mean + (x0 - mean) e^{-theta t} and variance sigma^2 (1 - e^{-2 theta t}) / (2 theta).")
      .def("__init__",
           [](PythonOrnsteinUhlenbeck* self, double theta, double mean, double sigma) {
             require_argument(std::isfinite(theta) && std::isfinite(mean) && std::isfinite(sigma),
                              "OrnsteinUhlenbeck: theta = ", theta, ", mean = ", mean, " and sigma = ", sigma,
                              " must be finite");
             new (self) PythonOrnsteinUhlenbeck();
             self->sde = OrnsteinUhlenbeck{theta, mean, sigma};
           },
           "theta"_a, "mean"_a, "sigma"_a);
  nb::class_<PythonCoxIngersollRoss, PythonSde>(m, "CoxIngersollRoss",
      "dX = kappa (theta - X) dt + sigma sqrt(X) dW in Itô form (the diffusion is 0 where a step left X below 0).\n"
      "E[X_t] = theta + (x0 - theta) e^{-kappa t}.")
      .def("__init__",
           [](PythonCoxIngersollRoss* self, double kappa, double theta, double sigma) {
             require_argument(kappa > 0 && std::isfinite(kappa), "CoxIngersollRoss: kappa = ", kappa,
                              " must be positive and finite");
             require_argument(theta >= 0 && std::isfinite(theta), "CoxIngersollRoss: theta = ", theta,
                              " must be non-negative and finite");
             require_argument(sigma >= 0 && std::isfinite(sigma), "CoxIngersollRoss: sigma = ", sigma,
                              " must be non-negative and finite");
             new (self) PythonCoxIngersollRoss();
             self->sde = CoxIngersollRoss{kappa, theta, sigma};
           },
           "kappa"_a, "theta"_a, "sigma"_a);
  nb::class_<PythonSdeSolution>(m, "SdeSolution", "The result of solve_sde.")
      .def_ro("states", &PythonSdeSolution::states, "The states (paths, save times, 1); NaN where a path did not complete.")
      .def_ro("accepted", &PythonSdeSolution::accepted, "Accepted steps per path (int64).")
      .def_ro("rejected", &PythonSdeSolution::rejected, "Rejected steps per path (int64).")
      .def_ro("completed", &PythonSdeSolution::completed, "Whether each path reached the last save time within max_steps.");
  m.def("solve_sde", &solve, "sde"_a, "y0"_a, "save_times"_a, "solver"_a = "milstein", "dt"_a = nb::none(),
        "rtol"_a = nb::none(), "atol"_a = nb::none(), "tree"_a = nb::none(), "t0"_a = nb::none(), "seed"_a = 0, "paths"_a = 1,
        "first_path"_a = 0, "max_steps"_a = std::int64_t(1) << 24,
        "Solves `sde` from y0 (a list of one value) at t0 (default 0) along paths first_path .. first_path + paths - 1 of a\n"
        "virtual Brownian tree, recording the state at save_times (increasing, after t0). The tree is `tree` (a\n"
        "float64 VirtualBrownianTree of dimension 1 whose levy_area the solver needs; t0 is then tree.t0) or one\n"
        "drawn from `seed` over [t0, save_times[-1]] with the solver's levy_area. Steps: dt for constant steps, or\n"
        "rtol and atol for diffrax's PID controller (dt, if given, is then the first step). Solvers: euler-maruyama,\n"
        "milstein (Itô); stratonovich-milstein, stratonovich-heun, spark (Stratonovich); sra1, shark, sea (additive\n"
        "noise). Every path runs in its own thread, with its own steps.");
}

}  // namespace qmcsim::python
