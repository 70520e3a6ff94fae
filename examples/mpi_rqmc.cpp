// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Replicated RQMC of the Keister integral in d = 8 on all MPI ranks: each rank generates and
// evaluates its own share of the Sobol' points, and every rank gets the single-process result bit
// for bit. Run with: mpirun -n 2 mpi_rqmc
#include <Kokkos_Core.hpp>
#include <cstdio>
#include <qmcsim/cubature/integrands.hpp>
#include <qmcsim/digital_net/digital_net.hpp>
#include <qmcsim/mpi/cubature.hpp>

int main(int argc, char** argv) {
  const qmcsim::mpi::Environment mpi;            // MPI_Init_thread .. MPI_Finalize (if not done already)
  Kokkos::ScopeGuard kokkos(argc, argv);
  const qmcsim::mpi::Communicator world;         // MPI_COMM_WORLD, or any communicator you pass
  qmcsim::DigitalNetOptions net;
  net.dimension = 8;
  net.replications = 16;
  const qmcsim::DigitalNet<> sobol(qmcsim::GeneratingMatrices::sobol(8), net);
  const qmcsim::Keister integrand{8};
  qmcsim::RqmcCubatureOptions options;
  options.absolute_tolerance = 1e-3;
  const auto result = qmcsim::mpi::rqmc_cubature(world, sobol, integrand, options);  // same on every rank
  const auto alone = qmcsim::rqmc_cubature(sobol, integrand, options);                // one process
  if (world.rank == 0)
    std::printf("%d ranks: %.15f +- %.2e (%llu points per randomization); one process: %.15f\n", world.size,
                result.estimate.mean, result.half_width, static_cast<unsigned long long>(result.estimate.points),
                alone.estimate.mean);
  return result.estimate.mean == alone.estimate.mean && result.met_tolerance ? 0 : 1;
}
