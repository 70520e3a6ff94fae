// qmcsim: the example driver. Without arguments it runs the demo; `qmcsim help` lists commands.

#include <Kokkos_Core.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "qmcsim/core/error.hpp"

namespace {

const char* const usage = R"(usage: qmcsim [COMMAND] [OPTIONS]

commands:
  demo (default)  integrate the Keister function in d = 8 with MC, lattice, Sobol' (LMS+DS, NUS), Halton
                  and Bayesian cubature (lattice, Sobol') for n = 2^10 .. 2^20; print a table, write
                  qmcsim_demo.csv and qmcsim_demo.png
                  [--dim D] [--max-log2-n M] [--replications R] [--seed S] [--output-prefix P]
  points          write randomized low-discrepancy points as CSV
                  --kind lattice|sobol|niederreiter|net|halton|iid --n N --dim D
                  [--order natural|radical-inverse|gray|linear] [--randomize none|shift|ds|lms|lms-ds|nus|perm]
                  [--alpha A] [--replications R] [--seed S] [--start K] [--generating-vector FILE]
                  [--generating-matrices FILE] [--output FILE]
  cbc             build an embedded lattice generating vector by fast CBC (LDData lattice format)
                  --n N --dim D [--min-n M] [--weights power:a|geometric:r|constant:c] [--output FILE]
  transform       FFTBR, IFFTBR or FWHT of a file of values (one per line, complex as re,im)
                  --kind fftbr|ifftbr|fwht --input FILE [--output FILE]
  cubature        an integral to a tolerance
                  --integrand keister|genz-<family>|asian-option|geometric-asian-option --dim D
                  [--abs-tol E] [--rel-tol R] [--method bayes-lattice|bayes-net|rqmc-lattice|rqmc-net|mc]
                  [--replications R] [--seed S] [--min-log2-n M] [--max-log2-n M] [--confidence C]
                  [--smoothness A] [--periodization none|baker|c1sin] [--genz-a A] [--genz-u U]
                  [--mpi]  (under mpirun: the ranks split the points; the output is the one-process output)
                  (Genz families: oscillatory, product-peak, corner-peak, gaussian, continuous, discontinuous)
  brownian        increments W and Lévy areas H, K of a virtual Brownian tree between consecutive times
                  --dim D --times FILE (one time per line, increasing) [--paths P] [--seed S]
                  [--levy none|space-time|space-time-time] [--tolerance E] [--t0 T] [--t1 T] [--output FILE]
                  CSV rows: path,interval,component,s,t,W[,H[,K]]
  sde             the experiments of arXiv 2405.06464 (table + PNG)
                  --experiment cir       high-volatility CIR, Milstein, adaptive (PID) vs constant steps:
                                         strong error vs cost, fitted orders [--a A] [--b B] [--sigma S]
                  --experiment langevin  underdamped Langevin MCMC: ShOULD vs ShARK vs Euler-Maruyama,
                                         ESS per gradient evaluation and bias [--gamma G] [--time T]
                  [--paths P] [--seed S] [--output-prefix P] [--quick] [--check]
  diffusion       diffusion ODE samplers with heavy-ball momentum on the analytic test bed (ICLR 2024)
                  [--sampler ddim|plms|plms-hb|plms-nt|ghvb|dpmpp-2m|dpmpp-3m|dpmpp-hb] [--order Q] [--beta B]
                  [--steps N] [--guidance G] [--dim D] [--samples S] [--seed S] [--reference-steps R]
                  metrics table for N, 2N, 4N steps: RMSE to the RK4 reference flow, fitted order,
                  diverged fractions, sliced Wasserstein-2, samples/s (ghvb --order 3.8 = order 4, beta 0.8)
                  --experiment stability   real stability intervals and boundary loci of PLMS/HB/GHVB (PNG)
                  --experiment order       toy-ODE convergence: HB first order, GHVB/PLMS order 2 (PNG)
                  --experiment tradeoff    GHVB accuracy vs divergence across momentum numbers (PNG)
                  --experiment divergence  diverged fraction vs steps at high guidance (PNG)
                  [--output-prefix P] [--quick] [--check]
  help            show this text

Bad or contradictory options are reported on stderr with exit code 2.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  std::string command = "demo";
  if (!words.empty() && words[0].rfind("--", 0) != 0) {
    command = words[0];
    words.erase(words.begin());
  }
  std::string command_line = "qmcsim";
  for (int k = 1; k < argc; ++k) command_line += std::string(" ") + argv[k];
  if (command == "help" || command == "--help") {
    std::cout << usage;
    return 0;
  }
  // Bind OpenMP threads unless the user chose otherwise (Kokkos warns on stdout, into our CSV, without).
  setenv("OMP_PROC_BIND", "spread", 0);
  setenv("OMP_PLACES", "threads", 0);
  int kokkos_argc = 1;  // Kokkos reads none of our arguments
  Kokkos::ScopeGuard kokkos(kokkos_argc, argv);
  try {
    if (command == "demo") return qmcsim::cli::run_demo(words);
    if (command == "points") return qmcsim::cli::run_points(words);
    if (command == "cbc") return qmcsim::cli::run_cbc(words, command_line);
    if (command == "transform") return qmcsim::cli::run_transform(words);
    if (command == "cubature") return qmcsim::cli::run_cubature(words);
    if (command == "brownian") return qmcsim::cli::run_brownian(words);
    if (command == "sde") return qmcsim::cli::run_sde(words);
    if (command == "diffusion") return qmcsim::cli::run_diffusion(words);
    throw qmcsim::cli::UsageError("unknown command '" + command + "' (try: qmcsim help)");
  } catch (const qmcsim::cli::UsageError& e) {
    std::cerr << "qmcsim " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const qmcsim::error& e) {
    std::cerr << "qmcsim " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "qmcsim " << command << ": failed: " << e.what() << "\n";
    return 1;
  }
}
