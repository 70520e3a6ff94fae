#pragma once
// Command-line options of the qmcsim driver: "--name value" pairs and "--flag" switches. Anything
// unknown, repeated, missing its value or of the wrong type is a UsageError (exit code 2).

#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace qmcsim::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Arguments {
 public:
  /// Parses `words` (the words after the subcommand) against the options and flags a command knows.
  Arguments(const std::vector<std::string>& words, const std::set<std::string>& options,
            const std::set<std::string>& flags = {});

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  bool flag(const std::string& name) const { return flags_.count(name) != 0; }
  std::string text(const std::string& name, const std::string& fallback) const;
  std::string required_text(const std::string& name) const;
  std::uint64_t integer(const std::string& name, std::uint64_t fallback) const;
  std::uint64_t required_integer(const std::string& name) const;
  double real(const std::string& name, double fallback) const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

/// `line` without leading and trailing blanks (spaces, tabs, carriage returns).
std::string trimmed(std::string line);

/// `text` as a finite number; otherwise qmcsim::error naming the file and line ("path:line: ...").
double parse_number(const std::string& text, const std::string& path, std::size_t line);

/// Fails with a UsageError naming both options when they are given together.
void reject_together(const Arguments& arguments, const std::string& a, const std::string& b, const std::string& why);

}  // namespace qmcsim::cli
