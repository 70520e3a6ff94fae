// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// qmcsim: the example driver. Without arguments it runs the demo; `qmcsim --help` lists the commands,
// `qmcsim COMMAND --help` describes one.
//
// Exit status: 0 on success, 2 for a usage error (a bad, missing, out-of-range or contradictory option,
// an unreadable or malformed input file), 1 when the work itself fails (an output that cannot be
// written, a computation that does not give a finite result, a failed --check).

#include <Kokkos_Core.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/openmp_environment.hpp"
#include "cli/output.hpp"
#include "qmcsim/config.hpp"
#include "qmcsim/core/error.hpp"

namespace {

struct Command {
  const char* name;
  const char* help;
  int (*run)(const std::vector<std::string>&);
};

const Command commands[] = {
    {"demo", R"(demo (default)  integrate the Keister function in d = 8 with MC, lattice, Sobol' (LMS+DS, NUS), Halton
                and Bayesian cubature (lattice, Sobol') for n = 2^10 .. 2^20; print a table, write
                qmcsim_demo.csv and qmcsim_demo.png
                [--dim D] [--min-log2-n M] [--max-log2-n M] [--replications R] [--seed S] [--output-prefix P]
)",
     qmcsim::cli::run_demo},
    {"points", R"(points          write randomized low-discrepancy points (CSV, NumPy .npy or raw binary)
                --kind lattice|sobol|niederreiter|net|halton|iid --n N --dim D
                [--order natural|radical-inverse|gray|linear] [--randomize none|shift|ds|lms|lms-ds|nus|perm|lms-perm]
                [--alpha A] [--replications R] [--seed S] [--start K]
                [--generating-vector FILE|random:M (one random vector of 2^M points per replication)]
                [--generating-matrices FILE (LDData dnet, dnetup or soboljk)] [--format csv|npy|raw]
                [--dtype float64|float32|uint64] [--output FILE]
                (iid points take no --order and no --randomize; points are written in blocks, so any n fits;
                 npy has shape (N, D), or (R, N, D) with R > 1; uint64 gives the 64-bit words of base-2 points)
)",
     qmcsim::cli::run_points},
    {"cbc", R"(cbc             build an embedded lattice generating vector by fast CBC (LDData lattice format)
                --n N --dim D [--min-n M] [--weights power:a|geometric:r|constant:c] [--output FILE]
)",
     qmcsim::cli::run_cbc},
    {"transform", R"(transform       FFTBR, IFFTBR or FWHT of a file of values (one per line, complex as re,im)
                --kind fftbr|ifftbr|fwht --input FILE [--output FILE]
)",
     qmcsim::cli::run_transform},
    {"cubature", R"(cubature        an integral to a tolerance
                --integrand keister|genz-<family>|asian-option|geometric-asian-option --dim D
                [--abs-tol E] [--rel-tol R] [--method bayes-lattice|bayes-net|rqmc-lattice|rqmc-net|mc]
                [--replications R] [--seed S] [--min-log2-n M] [--max-log2-n M] [--confidence C]
                [--smoothness A] [--periodization none|baker|c1sin] [--genz-a A] [--genz-u U]
                [--path-construction forward|bridge|pca]  (Asian options: how the Brownian path is built)
                [--control-variate geometric-asian-option]  (asian-option, guaranteed methods)
                [--strikes K1,K2,...]  (asian-option, rqmc and mc: every strike from the same paths)
                [--mpi]  (under mpirun: the ranks split the points; the output is the one-process output)
                (Genz families: oscillatory, product-peak, corner-peak, gaussian, continuous, discontinuous)
)",
     qmcsim::cli::run_cubature},
    {"brownian", R"(brownian        increments W and Lévy areas H, K of a virtual Brownian tree between consecutive times
                --dim D --times FILE (one time per line, increasing) [--paths P] [--seed S]
                [--levy none|space-time|space-time-time] [--t0 T] [--t1 T] [--output FILE]
                [--tolerance E]  (approximate mode: leaves of length < E, one bridge draw per leaf;
                                  without it the tree is exact for every interval)
                CSV rows: path,interval,component,s,t,W[,H[,K]]
)",
     qmcsim::cli::run_brownian},
    {"sde", R"(sde             the experiments of arXiv 2405.06464 (table + PNG)
                --experiment cir       high-volatility CIR, Milstein, adaptive (PID) vs constant steps:
                                       strong error vs cost, fitted orders [--a A] [--b B] [--sigma S]
                --experiment langevin  underdamped Langevin MCMC: ShOULD vs ShARK vs Euler-Maruyama,
                                       ESS per gradient evaluation and bias [--gamma G] [--time T]
                [--paths P] [--seed S] [--output-prefix P] [--quick] [--check]
)",
     qmcsim::cli::run_sde},
    {"diffusion", R"(diffusion       diffusion ODE samplers with heavy-ball momentum on the analytic test bed (ICLR 2024)
                [--sampler ddim|plms|plms-hb|plms-nt|ghvb|dpmpp-2m|dpmpp-3m|dpmpp-hb|unipc|unipc-bh1] [--order Q] [--beta B]
                [--steps N] [--guidance G] [--dim D] [--samples S] [--seed S] [--reference-steps R]
                metrics table for N, 2N, 4N steps: RMSE to the RK4 reference flow, fitted order,
                diverged fractions, sliced Wasserstein-2, samples/s (ghvb --order 3.8 = order 4, beta 0.8)
                --experiment stability   real stability intervals and boundary loci of PLMS/HB/GHVB (PNG)
                --experiment order       toy-ODE convergence: HB first order, GHVB/PLMS order 2 (PNG)
                --experiment tradeoff    GHVB accuracy vs divergence across momentum numbers (PNG)
                --experiment divergence  diverged fraction vs steps at high guidance (PNG)
                [--output-prefix P] [--quick] [--check]
)",
     qmcsim::cli::run_diffusion},
};

void print_usage(std::ostream& out) {
  out << "usage: qmcsim [COMMAND] [OPTIONS]\n       qmcsim COMMAND --help\n       qmcsim --version\n\ncommands:\n";
  for (const Command& command : commands) out << "  " << command.help;
  out << "  help            show this text\n\n"
         "Exit status: 0 on success, 2 for a bad, missing or contradictory option or input file, 1 when the\n"
         "work fails (an output that cannot be written, a result that is not finite, a failed --check).\n";
}

/// One line of at most 400 characters without control characters, for any exception text.
std::string one_line(const std::string& message) {
  std::string out;
  for (char c : message) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return qmcsim::cli::printable(out, 400);
}

int report(const std::string& command, const char* message, int status) {
  std::cerr << "qmcsim " << command << ": " << one_line(message) << "\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  std::string command = "demo";
  if (!words.empty() && words[0].rfind("-", 0) != 0) {
    command = words[0];
    words.erase(words.begin());
  }
  const Command* chosen = nullptr;
  for (const Command& c : commands)
    if (command == c.name) chosen = &c;
  const bool help = !words.empty() && (words[0] == "--help" || words[0] == "-h");
  if (command == "help" || (help && command == "demo" && argc == 2)) {
    print_usage(std::cout);
    return 0;
  }
  if (!words.empty() && words[0] == "--version" && argc == 2) {
    std::cout << "qmcsim " << QMCSIM_VERSION_STRING << " (Kokkos " << KOKKOS_VERSION / 10000 << "."
              << KOKKOS_VERSION / 100 % 100 << "." << KOKKOS_VERSION % 100 << ", "
              << Kokkos::DefaultExecutionSpace::name() << (QMCSIM_HAS_MPI ? ", MPI" : "") << ")\n";
    return 0;
  }
  if (!chosen) return report(command, ("unknown command '" + qmcsim::cli::printable(command) + "' (try: qmcsim --help)").c_str(), 2);
  if (help) {
    std::cout << "usage: qmcsim " << chosen->help;
    return 0;
  }
  // Bind OpenMP threads unless the user chose otherwise (Kokkos warns on stdout, into our CSV, without),
  // and let idle threads sleep: short runs on a loaded machine otherwise spin.
  qmcsim::cli::apply_openmp_defaults(argv, true);
  // A file-size limit (ulimit -f) makes writes fail with EFBIG, reported like any write error, instead
  // of killing the process midway through an output file.
  std::signal(SIGXFSZ, SIG_IGN);
  int kokkos_argc = 1;  // Kokkos reads none of our arguments
  Kokkos::ScopeGuard kokkos(kokkos_argc, argv);
  try {
    const int status = chosen->run(words);
    qmcsim::cli::commit_standard_output();
    return status;
  } catch (const qmcsim::cli::UsageError& e) {
    return report(command, e.what(), 2);
  } catch (const qmcsim::error& e) {
    return report(command, e.what(), 2);
  } catch (const std::bad_alloc&) {
    return report(command, "failed: out of memory", 1);
  } catch (const std::exception& e) {
    return report(command, (std::string("failed: ") + e.what()).c_str(), 1);
  }
}
