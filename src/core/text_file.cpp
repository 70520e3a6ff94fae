// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "core/text_file.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <sstream>

namespace qmcsim::detail {
namespace {

const char* const known_formats[] = {"lattice", "dnet", "dnetup", "plattice", "sobol", "soboljk"};

std::string strip_comment(const std::string& line) { return line.substr(0, line.find('#')); }

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  return {std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
}

std::vector<std::string> read_lines(const std::string& path, const char* format) {
  std::ifstream in(path);
  if (!in) throw error(concat(printable(path, 200), ": cannot open ", format, " file"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TextFile::TextFile(const std::string& path, std::initializer_list<const char*> accepted)
    : TextFile(path, read_lines(path, *accepted.begin()), accepted) {}

TextFile::TextFile(std::string name, std::vector<std::string> lines, std::initializer_list<const char*> accepted)
    : path_(printable(name, 200)), format_(*accepted.begin()), lines_(std::move(lines)) {
  if (lines_.empty()) return;
  const auto accepts = [&](const std::string& keyword) {
    return std::any_of(accepted.begin(), accepted.end(), [&](const char* a) { return keyword == a; });
  };
  if (words_of(lines_[0]) == std::vector<std::string>{"d", "s", "a", "m_i"} && accepts("soboljk")) {
    format_ = "soboljk";  // Joe and Kuo's new-joe-kuo-6.21201 as published: one title line
    next_ = line_number_ = 1;
    return;
  }
  if (lines_[0].rfind('#', 0) != 0) return;
  const std::vector<std::string> first = words_of(lines_[0].substr(1));
  if (first.empty()) return;
  const std::string& keyword = first.front();
  if (accepts(keyword)) {
    format_ = keyword;
    return;
  }
  std::string allowed;
  for (const char* a : accepted) allowed += (allowed.empty() ? "" : ", ") + std::string(a);
  line_number_ = 1;
  for (const char* known : known_formats)
    require(keyword != known, "the file declares format '", printable(keyword), "'; expected ", allowed);
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
              "' is not a non-negative integer below 2^64 (reading ", what, ")");
      values.push_back(value);
    }
    if (!values.empty()) return values;
  }
  line_number_ = lines_.size();
  require(false, "ended before ", what);
  return {};
}

bool TextFile::at_end() const {
  for (std::size_t i = next_; i < lines_.size(); ++i)
    if (strip_comment(lines_[i]).find_first_not_of(" \t\r") != std::string::npos) return false;
  return true;
}

std::uint64_t TextFile::header_integer(const char* what) { return next_line_integers(what).front(); }

std::vector<std::uint64_t> TextFile::data_line(std::size_t count) {
  std::vector<std::uint64_t> values = next_line_integers("a data line");
  require(values.size() == count, "expected ", count, " integers on the line, found ", values.size());
  return values;
}

}  // namespace qmcsim::detail
