// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Fuzz target: LDData "lattice" generating-vector files (GeneratingVector::read).
#include "fuzz_support.hpp"
#include "qmcsim/lattice/generating_vector.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qmcsim::fuzz::read_as_file(data, size, [](const std::string& path) { qmcsim::GeneratingVector::read(path); });
}
