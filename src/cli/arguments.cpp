// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "cli/arguments.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "qmcsim/core/error.hpp"

namespace qmcsim::cli {
namespace {

std::string option(const std::string& name) { return "--" + name; }

std::string number(long double value) {
  char buffer[64];
  if (std::fabs(value) < 0x1p64L && value == std::floor(value))
    std::snprintf(buffer, sizeof buffer, "%.0Lf", value);
  else
    std::snprintf(buffer, sizeof buffer, "%.6Lg", value);
  return buffer;
}

std::string bytes(long double count) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  while (count >= 1024 && unit < 6) count /= 1024, ++unit;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0Lf %s" : "%.1Lf %s", count, units[unit]);
  return buffer;
}

}  // namespace

Arguments::Arguments(const std::vector<std::string>& words, const std::set<std::string>& options,
                     const std::set<std::string>& flags) {
  for (std::size_t k = 0; k < words.size(); ++k) {
    const std::string& word = words[k];
    if (word.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + printable(word) + "'");
    const std::string name = word.substr(2);
    if (flags.count(name)) {
      if (flags_.count(name)) throw UsageError("option '" + printable(word) + "' given twice");
      flags_.insert(name);
      continue;
    }
    if (!options.count(name)) throw UsageError("unknown option '" + printable(word) + "'");
    if (values_.count(name)) throw UsageError("option '" + printable(word) + "' given twice");
    // A value may start with "-" (a negative number is then reported by the option's range check),
    // but not with "--", which starts the next option.
    if (k + 1 >= words.size() || words[k + 1].rfind("--", 0) == 0)
      throw UsageError("option '" + printable(word) + "' needs a value");
    values_[name] = words[++k];
  }
}

bool Arguments::flag(const std::string& name) const {
  use(name);
  return flags_.count(name) != 0;
}

void Arguments::require(const std::string& name) const {
  if (!has(name)) throw UsageError("option '" + option(name) + "' is required");
}

std::string Arguments::text(const std::string& name, const std::string& fallback) const {
  use(name);
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::string Arguments::required_text(const std::string& name) const {
  require(name);
  return text(name, "");
}

std::string Arguments::choice(const std::string& name, const std::string& fallback,
                              const std::vector<std::string>& allowed) const {
  const std::string value = text(name, fallback);
  std::string list;
  for (const std::string& a : allowed) {
    if (a == value) return value;
    list += (list.empty() ? "" : ", ") + a;
  }
  throw UsageError(option(name) + " '" + printable(value) + "' is unknown: use " + list);
}

long double Arguments::parse_integer(const std::string& name, long double lo, long double hi) const {
  use(name);
  const std::string& text = values_.at(name);
  const std::string range = "[" + number(lo) + ", " + number(hi) + "]";
  const char* first = text.data();
  const char* last = text.data() + text.size();
  long double value = 0;
  std::from_chars_result result{};
  if (!text.empty() && text[0] == '-') {
    long long parsed = 0;
    result = std::from_chars(first, last, parsed);
    value = static_cast<long double>(parsed);
  } else {
    unsigned long long parsed = 0;
    result = std::from_chars(first, last, parsed);
    value = static_cast<long double>(parsed);
  }
  if (result.ec == std::errc::result_out_of_range)
    throw UsageError(option(name) + " " + printable(text) + " is outside " + range);
  if (result.ec != std::errc() || result.ptr != last)
    throw UsageError(option(name) + " needs an integer in " + range + ", got '" + printable(text) + "'");
  if (value < lo || value > hi) throw UsageError(option(name) + " " + number(value) + " is outside " + range);
  return value;
}

double Arguments::real(const std::string& name, double fallback, double lo, double hi, bool above_lo) const {
  use(name);
  if (!has(name)) return fallback;
  const std::string& text = values_.at(name);
  double value = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    throw UsageError(option(name) + " needs a finite number, got '" + printable(text) + "'");
  const bool unbounded = hi == std::numeric_limits<double>::max();
  if (above_lo && lo == 0 && unbounded && !(value > 0))
    throw UsageError(option(name) + " " + printable(text) + " must be positive");
  if (value < lo || value > hi || (above_lo && value == lo))
    throw UsageError(option(name) + " " + printable(text) + " is outside " + (above_lo ? "(" : "[") + number(lo) + ", " +
                     (unbounded ? "inf)" : number(hi) + "]"));
  return value;
}

std::vector<double> Arguments::reals(const std::string& name, double lo, double hi) const {
  use(name);
  std::vector<double> values;
  if (!has(name)) return values;
  const std::string& text = values_.at(name);
  for (std::size_t begin = 0;;) {
    const std::size_t comma = std::min(text.find(',', begin), text.size());
    double value = 0;
    const auto [end, status] = std::from_chars(text.data() + begin, text.data() + comma, value);
    if (status != std::errc() || end != text.data() + comma || !std::isfinite(value))
      throw UsageError(option(name) + " needs comma-separated finite numbers, got '" + printable(text) + "'");
    if (value < lo || value > hi)
      throw UsageError(option(name) + " " + number(value) + " is outside [" + number(lo) + ", " +
                       (hi == std::numeric_limits<double>::max() ? "inf)" : number(hi) + "]"));
    values.push_back(value);
    if (comma == text.size()) return values;
    begin = comma + 1;
  }
}

void Arguments::reject_unused(const std::string& context) const {
  for (const auto& [name, value] : values_)
    if (!used_.count(name)) throw UsageError("option '" + option(name) + "' does not apply to " + context);
  for (const std::string& name : flags_)
    if (!used_.count(name)) throw UsageError("option '" + option(name) + "' does not apply to " + context);
}

std::string to_text(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string trimmed(std::string line) {
  line.erase(0, line.find_first_not_of(" \t\r"));
  line.erase(line.find_last_not_of(" \t\r") + 1);
  return line;
}

double parse_number(const std::string& text, const std::string& path, std::size_t line) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, status] = std::from_chars(text.data(), end, value);
  if (status != std::errc() || ptr != end || !std::isfinite(value))
    throw error(printable(path, 80) + ":" + std::to_string(line) + ": '" + printable(text) + "' is not a finite number");
  return value;
}

std::uint64_t require_memory(const std::string& option, long double count, std::size_t size) {
  const long double needed = count * static_cast<long double>(size);
  const long double available =
      static_cast<long double>(sysconf(_SC_PHYS_PAGES)) * static_cast<long double>(sysconf(_SC_PAGESIZE));
  if (!(needed <= available))
    throw UsageError(option + " needs " + bytes(needed) + " of memory; this machine has " + bytes(available));
  return static_cast<std::uint64_t>(needed);
}

}  // namespace qmcsim::cli
