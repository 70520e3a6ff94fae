// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Runs GoogleTest inside a Kokkos scope, so that every test can launch kernels. Listing the tests
// (ctest's discovery) needs no Kokkos, hence no GPU.
#include <Kokkos_Core.hpp>
#include <gtest/gtest.h>

#include <memory>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::unique_ptr<Kokkos::ScopeGuard> kokkos;
  if (!::testing::GTEST_FLAG(list_tests)) kokkos = std::make_unique<Kokkos::ScopeGuard>(argc, argv);
  return RUN_ALL_TESTS();
}
