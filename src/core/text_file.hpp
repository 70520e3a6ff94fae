// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Reader for the LDData text formats ("lattice", "dnet", "dnetup", "soboljk"): a few header
// integers, then data lines. Every problem is reported as qmcsim::error naming the file, the line
// and what was expected.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "qmcsim/core/error.hpp"

namespace qmcsim::detail {

class TextFile {
 public:
  /// Reads `path`. The format is the LDData keyword its first line declares ("# dnet"), which must
  /// be one of `accepted`; a file that declares none is read as accepted.front(). Joe and Kuo's own
  /// files start with the column titles "d s a m_i" instead, and are read as "soboljk".
  TextFile(const std::string& path, std::initializer_list<const char*> accepted);
  /// The same over lines already in memory (a table compiled into the library); `name` stands for
  /// the path in messages.
  TextFile(std::string name, std::vector<std::string> lines, std::initializer_list<const char*> accepted);

  const std::string& format() const { return format_; }

  /// The first integer of the next non-empty line (text after '#' is a comment).
  std::uint64_t header_integer(const char* what);
  /// The next non-empty line, which must hold exactly `count` integers.
  std::vector<std::uint64_t> data_line(std::size_t count);
  /// Whether only empty or comment lines are left.
  bool at_end() const;
  /// The integers of the next non-empty line, however many.
  std::vector<std::uint64_t> next_line_integers(const char* what);

  template <class... Parts>
  void require(bool condition, const Parts&... parts) const {
    if (!condition) throw error(concat(path_, ":", line_number_, ": ", format_, " file: ", parts...));
  }

 private:
  std::string path_;
  std::string format_;
  std::vector<std::string> lines_;
  std::size_t next_ = 0;
  std::size_t line_number_ = 0;
};

}  // namespace qmcsim::detail
