// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Fuzz target: the time files of `qmcsim brownian` (one time per line, '#' comments).
#include "cli/inputs.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qmcsim::fuzz::read_as_file(data, size, [](const std::string& path) { qmcsim::cli::read_times(path); });
}
