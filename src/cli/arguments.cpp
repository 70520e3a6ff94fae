#include "cli/arguments.hpp"

#include <charconv>
#include <cmath>

#include "qmcsim/core/error.hpp"

namespace qmcsim::cli {

Arguments::Arguments(const std::vector<std::string>& words, const std::set<std::string>& options,
                     const std::set<std::string>& flags) {
  for (std::size_t k = 0; k < words.size(); ++k) {
    const std::string& word = words[k];
    if (word.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + word + "'");
    const std::string name = word.substr(2);
    if (flags.count(name)) {
      flags_.insert(name);
      continue;
    }
    if (!options.count(name)) throw UsageError("unknown option '" + word + "'");
    if (values_.count(name)) throw UsageError("option '" + word + "' given twice");
    if (k + 1 >= words.size() || words[k + 1].rfind("--", 0) == 0) throw UsageError("option '" + word + "' needs a value");
    values_[name] = words[++k];
  }
}

std::string Arguments::text(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::string Arguments::required_text(const std::string& name) const {
  if (!has(name)) throw UsageError("option '--" + name + "' is required");
  return values_.at(name);
}

std::uint64_t Arguments::integer(const std::string& name, std::uint64_t fallback) const {
  if (!has(name)) return fallback;
  const std::string& text = values_.at(name);
  std::uint64_t value = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc() || end != text.data() + text.size())
    throw UsageError("option '--" + name + "' needs a non-negative integer, got '" + text + "'");
  return value;
}

std::uint64_t Arguments::required_integer(const std::string& name) const {
  if (!has(name)) throw UsageError("option '--" + name + "' is required");
  return integer(name, 0);
}

double Arguments::real(const std::string& name, double fallback) const {
  if (!has(name)) return fallback;
  const std::string& text = values_.at(name);
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !std::isfinite(value))
    throw UsageError("option '--" + name + "' needs a finite number, got '" + text + "'");
  return value;
}

void reject_together(const Arguments& arguments, const std::string& a, const std::string& b, const std::string& why) {
  if ((arguments.has(a) || arguments.flag(a)) && (arguments.has(b) || arguments.flag(b)))
    throw UsageError("options '--" + a + "' and '--" + b + "' contradict each other: " + why);
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
    throw error(path + ":" + std::to_string(line) + ": '" + text + "' is not a finite number");
  return value;
}

}  // namespace qmcsim::cli
