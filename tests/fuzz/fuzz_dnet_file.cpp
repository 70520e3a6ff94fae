// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Fuzz target: LDData "dnet" generating-matrix files (GeneratingMatrices::read).
#include "fuzz_support.hpp"
#include "qmcsim/digital_net/generating_matrices.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qmcsim::fuzz::read_as_file(data, size, [](const std::string& path) { qmcsim::GeneratingMatrices::read(path); });
}
