// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Command-line options of the qmcsim driver: "--name value" pairs and "--flag" switches.
//
// Every value is checked where it is read: an integer into the type and range it is used with, a real
// finite and within its range, a text against its choices. Anything unknown, repeated, missing its
// value, of the wrong type or out of range is a UsageError (exit code 2) with a one-line message that
// names the option. A command reads every option it will use before it starts working and then calls
// `reject_unused`, so an option that does not apply to the chosen command, kind or method is an error
// instead of being silently ignored.

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "qmcsim/core/error.hpp"

namespace qmcsim::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using detail::printable;

class Arguments {
 public:
  /// Parses `words` (the words after the subcommand) against the options and flags a command knows.
  Arguments(const std::vector<std::string>& words, const std::set<std::string>& options,
            const std::set<std::string>& flags = {});

  /// Whether the option was given (does not count as using it).
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  bool flag(const std::string& name) const;
  std::string text(const std::string& name, const std::string& fallback) const;
  std::string required_text(const std::string& name) const;
  /// A text that must be one of `allowed`.
  std::string choice(const std::string& name, const std::string& fallback, const std::vector<std::string>& allowed) const;

  /// An integer in [lo, hi], converted to the type it is used as.
  template <class Int>
  Int integer(const std::string& name, Int fallback, Int lo, Int hi = std::numeric_limits<Int>::max()) const {
    if (!has(name)) return use(name), fallback;
    return static_cast<Int>(parse_integer(name, static_cast<long double>(lo), static_cast<long double>(hi)));
  }
  template <class Int>
  Int required_integer(const std::string& name, Int lo, Int hi = std::numeric_limits<Int>::max()) const {
    require(name);
    return integer<Int>(name, lo, lo, hi);
  }
  /// A finite number in [lo, hi], or in (lo, hi] when `above_lo`.
  double real(const std::string& name, double fallback, double lo = -std::numeric_limits<double>::max(),
              double hi = std::numeric_limits<double>::max(), bool above_lo = false) const;
  /// A comma-separated list of finite numbers, each in [lo, hi] (empty when the option is absent).
  std::vector<double> reals(const std::string& name, double lo, double hi = std::numeric_limits<double>::max()) const;
  /// A finite number in (0, hi].
  double positive(const std::string& name, double fallback, double hi = std::numeric_limits<double>::max()) const {
    return real(name, fallback, 0, hi, true);
  }

  /// Throws a UsageError for the first option or flag that was given but never read, naming
  /// `context` (what the command was asked to do, e.g. "--integrand keister").
  void reject_unused(const std::string& context) const;

 private:
  void use(const std::string& name) const { used_.insert(name); }
  void require(const std::string& name) const;
  long double parse_integer(const std::string& name, long double lo, long double hi) const;

  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  mutable std::set<std::string> used_;
};

/// A number as the shortest text that reads back to it ("%.17g").
std::string to_text(double value);

/// `line` without leading and trailing blanks (spaces, tabs, carriage returns).
std::string trimmed(std::string line);

/// `text` as a finite number; otherwise qmcsim::error naming the file and line ("path:line: ...").
double parse_number(const std::string& text, const std::string& path, std::size_t line);

/// The bytes `count` values of `size` bytes each take, or a UsageError naming `option` when they
/// exceed the memory of this machine (or do not even fit in 64 bits).
std::uint64_t require_memory(const std::string& option, long double count, std::size_t size);

}  // namespace qmcsim::cli
