// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Strong and weak scaling of distributed cubature, measured in one run under mpirun -n P: in every
// iteration the same work is timed on all P ranks and on rank 0 alone (a one-rank communicator, the
// others waiting), so the efficiency ratios pair measurements taken under the same load.
//   strong efficiency = T_1(n) / (P T_P(n)),   weak efficiency = T_1(n) / T_P(P n).
// RQMC (Keister, d = 8, R = 16 Sobol' LMS+DS replications) splits all of its work; fast Bayesian
// cubature (lattice) splits only point generation and integrand evaluation (docs/scaling.md).
// Iteration counts are fixed: every rank must take part in every collective.

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

#include "qmcsim/cubature/integrands.hpp"
#include "qmcsim/digital_net/digital_net.hpp"
#include "qmcsim/lattice/lattice.hpp"
#include "qmcsim/mpi/cubature.hpp"
#include "reference_kernels.hpp"

namespace {

using qmcsim::bench::Exec;
using qmcsim::mpi::Communicator;

/// Seconds `work` takes on `communicator`, from a common start to the last rank's end.
double collective_seconds(const Communicator& communicator, const std::function<void()>& work) {
  MPI_Barrier(communicator.comm);
  const double start = MPI_Wtime();
  work();
  double seconds = MPI_Wtime() - start, slowest = 0;
  MPI_Allreduce(&seconds, &slowest, 1, MPI_DOUBLE, MPI_MAX, communicator.comm);
  return slowest;
}

/// Times work(world, P n) on all ranks and work(rank 0 alone, n) alternately; reports the all-rank
/// time as the iteration time and the efficiency T_1 / (P^strong T_P) with its speedup.
void scaling(benchmark::State& state, bool weak, const std::function<void(const Communicator&, std::uint64_t)>& work) {
  const Communicator world;
  MPI_Comm alone_comm;
  MPI_Comm_split(world.comm, world.root() ? 0 : MPI_UNDEFINED, 0, &alone_comm);
  const std::uint64_t n = std::uint64_t{1} << state.range(0);
  const std::uint64_t n_all = weak ? n * world.size : n;
  std::vector<double> single, distributed;
  for (auto _ : state) {
    distributed.push_back(collective_seconds(world, [&] { work(world, n_all); }));
    state.SetIterationTime(distributed.back());
    MPI_Barrier(world.comm);
    double seconds = 0;
    if (world.root()) seconds = collective_seconds(Communicator(alone_comm), [&] { work(Communicator(alone_comm), n); });
    MPI_Bcast(&seconds, 1, MPI_DOUBLE, 0, world.comm);
    single.push_back(seconds);
  }
  if (alone_comm != MPI_COMM_NULL) MPI_Comm_free(&alone_comm);
  const double ratio = qmcsim::bench::median(single) / qmcsim::bench::median(distributed);  // T_1 / T_P
  state.counters["ranks"] = world.size;
  state.counters["speedup"] = weak ? ratio * world.size : ratio;
  state.counters["efficiency"] = weak ? ratio : ratio / world.size;
}

const qmcsim::Keister keister{8};

qmcsim::DigitalNet<Exec> sobol(std::size_t replications) {
  qmcsim::DigitalNetOptions options;
  options.dimension = 8;
  options.replications = replications;
  options.seed = 1;
  return qmcsim::DigitalNet<Exec>(qmcsim::GeneratingMatrices::sobol(8), options);
}

void rqmc(const Communicator& communicator, std::uint64_t n) {
  benchmark::DoNotOptimize(qmcsim::mpi::replicated_estimate(communicator, sobol(16), n, keister).mean);
}

void bayes(const Communicator& communicator, std::uint64_t n) {
  qmcsim::LatticeOptions lattice;
  lattice.dimension = 8;
  lattice.seed = 1;
  qmcsim::BayesianCubatureOptions options;
  options.absolute_tolerance = 1e-12;  // one step of n points: the fit at the largest size
  options.log2_min_points = options.log2_max_points = static_cast<int>(std::lround(std::log2(static_cast<double>(n))));
  benchmark::DoNotOptimize(
      qmcsim::mpi::bayesian_cubature(communicator, qmcsim::Lattice<Exec>(qmcsim::GeneratingVector::default_vector(), lattice),
                                     keister, options).estimate);
}

void BM_RqmcStrongScaling(benchmark::State& state) { scaling(state, false, rqmc); }
void BM_RqmcWeakScaling(benchmark::State& state) { scaling(state, true, rqmc); }
void BM_BayesStrongScaling(benchmark::State& state) { scaling(state, false, bayes); }

}  // namespace

BENCHMARK(BM_RqmcStrongScaling)->Arg(16)->Arg(18)->Iterations(5)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RqmcWeakScaling)->Arg(17)->Iterations(5)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BayesStrongScaling)->Arg(16)->Iterations(5)->UseManualTime()->Unit(benchmark::kMillisecond);

namespace {

/// Prints nothing: ranks other than 0 run the benchmarks (for the collectives) but do not report.
class SilentReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

}  // namespace

int main(int argc, char** argv) {
  const qmcsim::mpi::Environment environment;
  const Communicator world;
  std::vector<char*> arguments(argv, argv + argc);
  if (!world.root())  // one JSON file, written by rank 0
    arguments.erase(std::remove_if(arguments.begin(), arguments.end(),
                                   [](const char* a) { return std::strncmp(a, "--benchmark_out", 15) == 0; }),
                    arguments.end());
  int count = static_cast<int>(arguments.size());
  Kokkos::ScopeGuard kokkos(count, arguments.data());
  benchmark::Initialize(&count, arguments.data());
  if (benchmark::ReportUnrecognizedArguments(count, arguments.data())) return 1;
  SilentReporter silent;
  if (world.root()) benchmark::RunSpecifiedBenchmarks();
  else benchmark::RunSpecifiedBenchmarks(&silent);
  benchmark::Shutdown();
  return 0;
}
