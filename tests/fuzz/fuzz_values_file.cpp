// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Fuzz target: the value files of `qmcsim transform` (one value or "re,im" per line).
#include "cli/inputs.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qmcsim::fuzz::read_as_file(data, size, [](const std::string& path) {
    bool complex = false;
    qmcsim::cli::read_values(path, complex);
  });
}
