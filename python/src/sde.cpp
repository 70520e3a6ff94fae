// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// solve_sde: the built-in SDEs (qmcsim/sde/models.hpp) solved along paths of a VirtualBrownianTree by a
// solver chosen by name, with constant steps or the PID controller: the C++ solve_sde, one path per
// thread. An SDE of Python callables on the whole batch (CallableSde) is solved by solve_sde_batch
// (qmcsim/sde/batch.hpp): all paths step together with constant steps, one call per stage.

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <algorithm>
#include <limits>
#include <optional>
#include <variant>

#include "brownian.hpp"
#include "qmcsim/sde/batch.hpp"
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

/// Calls run(tree) with a float64 tree that has the Lévy areas `solver` reads: `given`, or one drawn
/// from `seed` over [t0 (default 0), the latest save time] with `components` Brownian components.
template <class Solver, class Run>
void with_tree(const Solver& solver, const BrownianTree* given, std::optional<double> t0,
               const std::vector<double>& save_times, std::uint64_t seed, int components, Run&& run) {
  const auto checked = [&](const auto& tree) {
    using Tree = std::decay_t<decltype(tree)>;
    if constexpr (!std::is_same_v<typename Tree::real_type, double>) {
      throw error("solve_sde: the tree must have dtype float64");
    } else if constexpr (static_cast<int>(Tree::levy_area) < static_cast<int>(Solver::levy_area)) {
      throw error(std::string("solve_sde: ") + solver.name + " needs a tree with levy_area '" +
                  levy_name(Solver::levy_area) + "' or more, this one has '" + levy_name(Tree::levy_area) + "'");
    } else {
      run(tree);
    }
  };
  if (given) {
    require_argument(!t0, "solve_sde: t0 is the tree's t0; give one of them");
    std::visit(checked, given->tree);
  } else {
    // Over [t0, the latest save time]: solve_sde itself names save times out of order.
    const double start = t0.value_or(0.0), end = *std::max_element(save_times.begin(), save_times.end());
    require_argument(std::isfinite(start) && end > start, "solve_sde: the last save time ", end, " must exceed t0 = ", start);
    checked(VirtualBrownianTree<Solver::levy_area>(start, end, components, seed));
  }
}

/// The checks both kinds of SDE share.
void require_common(const std::vector<double>& save_times, std::optional<double> rtol, std::optional<double> atol,
                    std::int64_t max_steps) {
  require_argument(max_steps >= 1, "solve_sde: max_steps = ", max_steps, " must be at least 1");
  require_argument(!save_times.empty(), "solve_sde: save_times is empty");
  require_argument(rtol.has_value() == atol.has_value(), "solve_sde: give rtol and atol together (the PID controller)");
}

/// solve_sde's seed and paths first_path .. first_path + paths - 1, from Python's integers.
struct PathArguments {
  std::uint64_t seed;
  std::size_t paths, first_path;

  PathArguments(const Integer& seed_argument, const Integer& paths_argument, const Integer& first_path_argument)
      : seed(unsigned_argument(seed_argument, "solve_sde", "seed")),
        paths(unsigned_argument(paths_argument, "solve_sde", "paths", 1, std::uint64_t{1} << 32)),
        first_path(unsigned_argument(first_path_argument, "solve_sde", "first_path")) {}
};

PythonSdeSolution solve(const PythonSde& model, const std::vector<double>& y0, const std::vector<double>& save_times,
                        const std::string& solver_name, std::optional<double> dt, std::optional<double> rtol,
                        std::optional<double> atol, const BrownianTree* given_tree, std::optional<double> t0,
                        const Integer& seed_argument, const Integer& paths_argument, const Integer& first_path_argument,
                        std::int64_t max_steps) {
  const auto [seed, paths, first_path] = PathArguments(seed_argument, paths_argument, first_path_argument);
  require_argument(y0.size() == 1, "solve_sde: y0 has ", y0.size(), " components, the SDE 1");
  require_common(save_times, rtol, atol, max_steps);
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
            with_tree(solver, given_tree, t0, save_times, seed, 1, [&](const auto& tree) {
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
            });
          }
        },
        model.sde);
  });
  return {nb::cast(states), nb::cast(accepted), nb::cast(rejected), nb::cast(completed)};
}

/// An SDE of Python callables on the whole batch: drift(t, y) and diffusion(t, y) of a read-only
/// (paths, N) float64 array, returning (paths, N), or (paths, N, M) for general noise.
struct PythonCallableSde {
  nb::object drift, diffusion, diffusion_derivative;
  std::string noise;  ///< "diagonal" or "general"
  std::optional<std::size_t> noise_dimension;
  bool additive = false;
  Calculus calculus = Calculus::ito;
};

// A CallableSde holds Python callables, which may hold it in turn (a module-level lambda sees the module
// that holds the SDE): the garbage collector must see those references to free such cycles.
int callable_sde_traverse(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));
  if (!nb::inst_ready(self)) return 0;
  const auto* sde = nb::inst_ptr<PythonCallableSde>(self);
  Py_VISIT(sde->drift.ptr());
  Py_VISIT(sde->diffusion.ptr());
  Py_VISIT(sde->diffusion_derivative.ptr());
  return 0;
}

int callable_sde_clear(PyObject* self) {
  auto* sde = nb::inst_ptr<PythonCallableSde>(self);
  sde->drift.reset();
  sde->diffusion.reset();
  sde->diffusion_derivative.reset();
  return 0;
}

PyType_Slot callable_sde_slots[] = {{Py_tp_traverse, reinterpret_cast<void*>(callable_sde_traverse)},
                                    {Py_tp_clear, reinterpret_cast<void*>(callable_sde_clear)},
                                    {0, nullptr}};

/// `function` of a Python callable: calls it with (t, a read-only array over y) and copies its result,
/// which must convert to a float64 array of `shape`, into `out`. Takes the GIL (the solve runs without).
BatchFunction batch_function(nb::handle callable, const char* name, std::vector<std::size_t> shape) {
  return [callable, name, shape](double t, const BatchRows& y, const BatchRows& out) {
    nb::gil_scoped_acquire gil;
    const std::size_t extents[2] = {y.extent(0), y.extent(1)};
    const nb::ndarray<nb::numpy, const double> states(y.data(), 2, extents, nb::handle());
    nb::object result = callable(t, states);
    nb::module_ numpy = nb::module_::import_("numpy");
    nb::object array = numpy.attr("ascontiguousarray")(result, nb::arg("dtype") = "float64");
    std::vector<std::size_t> got;
    for (nb::handle extent : array.attr("shape")) got.push_back(nb::cast<std::size_t>(extent));
    std::vector<std::size_t> expected = shape;
    expected.insert(expected.begin(), y.extent(0));
    if (got != expected) {
      const auto text = [](const std::vector<std::size_t>& extents) {
        std::string out = "(";
        for (std::size_t k = 0; k < extents.size(); ++k) out += (k ? ", " : "") + std::to_string(extents[k]);
        return out + (extents.size() == 1 ? ",)" : ")");
      };
      throw error(std::string("solve_sde: the SDE's ") + name + " returned shape " + text(got) + " for " +
                  std::to_string(y.extent(0)) + " states; it must return " + text(expected));
    }
    const auto values = nb::cast<nb::ndarray<const double, nb::c_contig, nb::device::cpu>>(array);
    std::copy(values.data(), values.data() + out.size(), out.data());
  };
}

PythonSdeSolution solve_callable(const PythonCallableSde& model, nb::handle initial,
                                 const std::vector<double>& save_times, const std::string& solver_name,
                                 std::optional<double> dt, std::optional<double> rtol, std::optional<double> atol,
                                 const BrownianTree* given_tree, std::optional<double> t0, const Integer& seed_argument,
                                 const Integer& paths_argument, const Integer& first_path_argument, std::int64_t max_steps) {
  const PathArguments given(seed_argument, paths_argument, first_path_argument);
  const std::uint64_t seed = given.seed;
  const std::size_t first_path = given.first_path;
  std::size_t paths = given.paths;  // or y0's rows
  require_common(save_times, rtol, atol, max_steps);
  nb::ndarray<const double, nb::c_contig, nb::device::cpu> y0;
  require_argument(nb::try_cast(nb::module_::import_("numpy").attr("ascontiguousarray")(initial, nb::arg("dtype") = "float64"),
                                y0, false),
                   "solve_sde: y0 must be an array of numbers");
  require_argument(rtol || dt, "solve_sde: give dt (constant steps) or rtol and atol (adaptive steps)");
  require_argument(y0.ndim() == 1 || y0.ndim() == 2, "solve_sde: y0 is ", y0.ndim(),
                   "-dimensional; it must be (N,) (every path starts there) or (paths, N)");
  const std::size_t N = y0.shape(y0.ndim() - 1);
  require_argument(N >= 1, "solve_sde: y0 has no components");
  if (y0.ndim() == 2) {
    require_argument(paths == 1 || paths == y0.shape(0), "solve_sde: paths = ", paths, " but y0 has ", y0.shape(0),
                     " rows (one per path)");
    paths = y0.shape(0);
    require_argument(paths >= 1, "solve_sde: y0 has 0 rows (one per path)");
  }
  const bool general = model.noise == "general";
  const std::size_t M = general ? *model.noise_dimension : N;
  BatchSde sde;
  sde.dimension = N;
  sde.noise_dimension = M;
  sde.diagonal_noise = !general;
  sde.additive_noise = model.additive;
  sde.calculus = model.calculus;
  sde.drift = batch_function(model.drift, "drift", {N});
  sde.diffusion = batch_function(model.diffusion, "diffusion", general ? std::vector<std::size_t>{N, M} : std::vector<std::size_t>{N});
  if (model.diffusion_derivative.is_valid() && !model.diffusion_derivative.is_none())
    sde.diffusion_derivative = batch_function(model.diffusion_derivative, "diffusion_derivative", {N});
  BatchSolveOptions options;
  options.first_path = first_path;
  options.max_steps = max_steps;
  const std::size_t count = save_times.size();
  auto states = new_array<double>({paths, count, N});
  auto accepted = new_array<std::int64_t>({paths});
  auto rejected = new_array<std::int64_t>({paths});
  auto completed = new_array<bool>({paths});
  with_solver(solver_name, [&](const auto& solver) {
    with_tree(solver, given_tree, t0, save_times, seed, static_cast<int>(M), [&](const auto& tree) {
      PathStatistics statistics;
      {
        KernelScope scope;
        BatchRows start("y0", paths, N);
        for (std::size_t p = 0; p < paths; ++p)
          for (std::size_t i = 0; i < N; ++i) start(p, i) = y0.data()[(y0.ndim() == 2 ? p * N : 0) + i];
        const Unmanaged3<double> out(states.data(), paths, count, N);
        if (rtol) {
          PidController pid(*rtol, *atol, solver.strong_order + 0.5);
          if (dt) pid.dt0 = *dt;
          statistics = solve_sde_batch(solver, sde, tree, start, save_times, pid, options, out);
        } else {
          statistics = solve_sde_batch(solver, sde, tree, start, save_times, ConstantSteps(*dt), options, out);
        }
      }
      std::fill(accepted.data(), accepted.data() + paths, statistics.accepted);
      std::fill(rejected.data(), rejected.data() + paths, statistics.rejected);
      std::fill(completed.data(), completed.data() + paths, statistics.completed);
    });
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
      .def_ro("states", &PythonSdeSolution::states, "The states (paths, save times, N); NaN where a path did not complete.")
      .def_ro("accepted", &PythonSdeSolution::accepted, "Accepted steps per path (int64).")
      .def_ro("rejected", &PythonSdeSolution::rejected, "Rejected steps per path (int64).")
      .def_ro("completed", &PythonSdeSolution::completed, "Whether each path reached the last save time within max_steps.");
  nb::class_<PythonCallableSde>(m, "CallableSde", nb::type_slots(callable_sde_slots),
      "dy = f(t, y) dt + g(t, y) dW with f, g vectorized Python callables on the whole batch of paths, for\n"
      "solve_sde: drift(t, y) and diffusion(t, y) receive t (a float) and y, a read-only float64 array (paths, N)\n"
      "valid during the call, and return array-likes (NumPy, torch CPU, JAX) of float64 values: drift (paths, N);\n"
      "diffusion (paths, N), the diagonal of g (noise='diagonal': W has N components, component i of y sees W_i),\n"
      "or (paths, N, M), g itself (noise='general', noise_dimension=M: g[p, i, j] multiplies dW_j).\n"
      "diffusion_derivative(t, y) -> (paths, N), d g_i / d y_i, is needed by milstein and stratonovich-milstein\n"
      "only (diagonal noise). additive=True declares g independent of y (sea, sra1, shark need it); calculus\n"
      "('ito' or 'stratonovich') is how dW is read, and must be the solver's unless the noise is additive.")
      .def("__init__",
           [](PythonCallableSde* self, nb::callable drift, nb::callable diffusion, const std::string& noise,
              const std::optional<Integer>& noise_dimension_argument, bool additive, const std::string& calculus,
              nb::object diffusion_derivative) {
             std::optional<std::size_t> noise_dimension;
             if (noise_dimension_argument)
               noise_dimension = unsigned_argument(*noise_dimension_argument, "CallableSde", "noise_dimension", 1,
                                                   std::numeric_limits<int>::max());
             require_argument(noise == "diagonal" || noise == "general", "CallableSde: noise = '",
                              detail::printable(noise), "' is not diagonal or general");
             require_argument(noise == "general" ? noise_dimension.has_value() && *noise_dimension >= 1
                                                 : !noise_dimension.has_value(),
                              "CallableSde: noise_dimension (the Brownian components, at least 1) is given with "
                              "noise='general' and only then (diagonal noise has one per state component)");
             require_argument(calculus == "ito" || calculus == "stratonovich", "CallableSde: calculus = '",
                              detail::printable(calculus), "' is not ito or stratonovich");
             require_argument(diffusion_derivative.is_none() || PyCallable_Check(diffusion_derivative.ptr()),
                              "CallableSde: diffusion_derivative must be callable or None");
             new (self) PythonCallableSde{std::move(drift), std::move(diffusion), std::move(diffusion_derivative), noise,
                                          noise_dimension, additive,
                                          calculus == "ito" ? Calculus::ito : Calculus::stratonovich};
           },
           "drift"_a, "diffusion"_a, "noise"_a = "diagonal", "noise_dimension"_a = nb::none(), "additive"_a = false,
           "calculus"_a = "ito", "diffusion_derivative"_a = nb::none())
      .def_ro("noise", &PythonCallableSde::noise)
      .def_ro("noise_dimension", &PythonCallableSde::noise_dimension)
      .def_ro("additive", &PythonCallableSde::additive)
      .def_prop_ro("calculus", [](const PythonCallableSde& self) {
        return self.calculus == Calculus::ito ? "ito" : "stratonovich";
      });
  // Both overloads take the same arguments.
  const auto define_solve_sde = [&](auto function, const char* doc) {
    m.def("solve_sde", function, "sde"_a, "y0"_a, "save_times"_a, "solver"_a = "milstein", "dt"_a = nb::none(),
          "rtol"_a = nb::none(), "atol"_a = nb::none(), "tree"_a = nb::none(), "t0"_a = nb::none(), "seed"_a = 0,
          "paths"_a = 1, "first_path"_a = 0, "max_steps"_a = std::int64_t(1) << 24, doc);
  };
  define_solve_sde(&solve_callable,
        "Solves a CallableSde from y0, an (N,) array every path starts from or a (paths, N) array of starts, at t0\n"
        "along paths first_path .. first_path + paths - 1 of a virtual Brownian tree (`tree`, float64, with one\n"
        "component per Brownian component of the SDE, or one drawn from `seed`), with constant steps dt taken by\n"
        "all paths together: each stage of a step calls drift (and diffusion) once on the whole batch; or with\n"
        "rtol and atol, adaptive steps that all paths share, judged by the RMS error over the whole batch (as\n"
        "torchsde's; dt, if given, is the first step). States (paths, save times, N); the same numbers as a\n"
        "built-in SDE of the same functions (with adaptive steps: for one path).");
  define_solve_sde(&solve,
        "Solves `sde` from y0 (a list of one value) at t0 (default 0) along paths first_path .. first_path + paths - 1 of a\n"
        "virtual Brownian tree, recording the state at save_times (increasing, after t0). The tree is `tree` (a\n"
        "float64 VirtualBrownianTree of dimension 1 whose levy_area the solver needs; t0 is then tree.t0) or one\n"
        "drawn from `seed` over [t0, save_times[-1]] with the solver's levy_area. Steps: dt for constant steps, or\n"
        "rtol and atol for diffrax's PID controller (dt, if given, is then the first step). Solvers: euler-maruyama,\n"
        "milstein (Itô); stratonovich-milstein, stratonovich-heun, spark (Stratonovich); sra1, shark, sea (additive\n"
        "noise). Every path runs in its own thread, with its own steps.");
}

}  // namespace qmcsim::python
