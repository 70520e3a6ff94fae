// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "core/text_file.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace qmcsim::detail {
namespace {

const char* const known_formats[] = {"lattice", "dnet", "dnetup", "plattice", "sobol", "soboljk"};

std::string strip_comment(const std::string& line) { return line.substr(0, line.find('#')); }

}  // namespace

TextFile::TextFile(const std::string& path, std::string format) : path_(printable(path, 200)), format_(std::move(format)) {
  std::ifstream in(path);
  if (!in) throw error(concat(printable(path, 200), ": cannot open ", format_, " file"));
  for (std::string line; std::getline(in, line);) lines_.push_back(line);
  if (!lines_.empty() && lines_[0].rfind('#', 0) == 0) {
    std::istringstream first(lines_[0].substr(1));
    std::string keyword;
    first >> keyword;
    for (const char* known : known_formats) {
      line_number_ = 1;
      require(keyword != known || keyword == format_, "the file declares format '", printable(keyword), "'");
    }
  }
}

std::vector<std::uint64_t> TextFile::next_line_integers(const char* what) {
  while (next_ < lines_.size()) {
    line_number_ = ++next_;
    std::istringstream fields(strip_comment(lines_[next_ - 1]));
    std::vector<std::uint64_t> values;
    for (std::string token; fields >> token;) {
      std::uint64_t value = 0;
      const auto [end, status] = std::from_chars(token.data(), token.data() + token.size(), value);
      require(status == std::errc() && end == token.data() + token.size(), "'", printable(token),
              "' is not a non-negative integer (reading ", what, ")");
      values.push_back(value);
    }
    if (!values.empty()) return values;
  }
  line_number_ = lines_.size();
  require(false, "ended before ", what);
  return {};
}

std::uint64_t TextFile::header_integer(const char* what) { return next_line_integers(what).front(); }

std::vector<std::uint64_t> TextFile::data_line(std::size_t count) {
  std::vector<std::uint64_t> values = next_line_integers("a data line");
  require(values.size() == count, "expected ", count, " integers on the line, found ", values.size());
  return values;
}

}  // namespace qmcsim::detail
