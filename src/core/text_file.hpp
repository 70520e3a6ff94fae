// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Reader for the LDData text formats ("lattice", "dnet"): a few header integers, then data lines.
// Every problem is reported as qmcsim::error naming the file, the line and what was expected.

#include <cstdint>
#include <string>
#include <vector>

#include "qmcsim/core/error.hpp"

namespace qmcsim::detail {

class TextFile {
 public:
  /// Reads `path`; `format` is the LDData keyword the file should declare on its first line.
  TextFile(const std::string& path, std::string format);

  /// The first integer of the next non-empty line (text after '#' is a comment).
  std::uint64_t header_integer(const char* what);
  /// The next non-empty line, which must hold exactly `count` integers.
  std::vector<std::uint64_t> data_line(std::size_t count);

  template <class... Parts>
  void require(bool condition, const Parts&... parts) const {
    if (!condition) throw error(concat(path_, ":", line_number_, ": ", format_, " file: ", parts...));
  }

 private:
  std::vector<std::uint64_t> next_line_integers(const char* what);

  std::string path_;
  std::string format_;
  std::vector<std::string> lines_;
  std::size_t next_ = 0;
  std::size_t line_number_ = 0;
};

}  // namespace qmcsim::detail
