// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// What every fuzz target shares: the input is written to a file (the readers take paths) and read;
// a qmcsim::error is the expected answer to bad input, and its message must be one printable line.
// Any other exception, a crash, a sanitizer report or a hang is a defect that libFuzzer (or the
// corpus replay under ctest) reports.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "qmcsim/core/error.hpp"

namespace qmcsim::fuzz {

template <class Reader>
int read_as_file(const std::uint8_t* data, std::size_t size, const Reader& read) {
  static const std::string path = [] {
    const char* directory = std::getenv("TMPDIR");
    return std::string(directory && *directory ? directory : "/tmp") + "/qmcsim-fuzz-input-" + std::to_string(getpid());
  }();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file || std::fwrite(data, 1, size, file) != size || std::fclose(file) != 0) std::abort();
  try {
    read(path);
  } catch (const error& e) {
    for (const char* c = e.what(); *c; ++c)
      if (static_cast<unsigned char>(*c) < 0x20 || static_cast<unsigned char>(*c) == 0x7f) {
        std::fprintf(stderr, "qmcsim::error message with a control character: %s\n", detail::printable(e.what(), 400).c_str());
        std::abort();
      }
  }
  std::remove(path.c_str());
  return 0;
}

}  // namespace qmcsim::fuzz
