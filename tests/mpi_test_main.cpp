// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Runs GoogleTest on every rank of MPI_COMM_WORLD inside MPI and Kokkos scopes (start it with
// mpirun -n P). Every rank runs every test; the exit code is non-zero on all ranks when a test
// failed on any of them.
#include <Kokkos_Core.hpp>
#include <gtest/gtest.h>

#include "qmcsim/mpi/communicator.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const qmcsim::mpi::Environment environment;
  int failed = 0;
  {
    Kokkos::ScopeGuard kokkos(argc, argv);
    failed = RUN_ALL_TESTS() != 0;
  }
  int failed_anywhere = 0;
  MPI_Allreduce(&failed, &failed_anywhere, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return failed_anywhere;
}
