// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The one exception type of qmcsim, and the checks that raise it.
///
/// Every check on user input raises `qmcsim::error` with a message that names the parameter, the
/// value given and what is allowed, e.g. "sobol: dimension = 30000 is outside [1, 21201] (Joe-Kuo
/// direction numbers new-joe-kuo-6.21201)". Nothing in qmcsim returns a silently wrong result for bad input.

#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <string>

namespace qmcsim {

/// Bad input: a wrong size, a dimension beyond a table, a non-power-of-two where one is needed,
/// NaN, an unreadable or malformed file.
class error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

namespace detail {

template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  out.precision(17);
  (out << ... << parts);
  return out.str();
}

/// Throws qmcsim::error with the concatenation of `parts` unless `condition` holds.
template <class... Parts>
void require(bool condition, const Parts&... parts) {
  if (!condition) throw error(concat(parts...));
}

/// Requires lo <= value <= hi; the message reads "<where>: <name> = <value> is outside [lo, hi]".
template <class T, class U, class V>
void require_in_range(const char* where, const char* name, const T& value, const U& lo, const V& hi,
                      const std::string& note = "") {
  if (!(value >= lo && value <= hi))
    throw error(concat(where, ": ", name, " = ", value, " is outside [", lo, ", ", hi, "]",
                       note.empty() ? "" : " (", note, note.empty() ? "" : ")"));
}

/// Requires a finite number (not NaN, not infinite).
inline void require_finite(const char* where, const char* name, double value) {
  if (!std::isfinite(value)) throw error(concat(where, ": ", name, " = ", value, " is not a finite number"));
}

/// Requires finite, non-negative absolute and relative tolerances that are not both zero.
inline void require_tolerances(const char* where, double absolute, double relative) {
  require_finite(where, "absolute tolerance", absolute);
  require_finite(where, "relative tolerance", relative);
  require(absolute >= 0 && relative >= 0 && absolute + relative > 0, where, ": tolerances (absolute ", absolute,
          ", relative ", relative, ") must be non-negative and not both zero");
}

inline bool is_power_of_two(unsigned long long n) { return n != 0 && (n & (n - 1)) == 0; }

/// `text` (from a file or a user) fit to be quoted in a message: at most `limit` characters (longer
/// text ends in "..."), control characters and bytes outside printable ASCII written as \xNN.
inline std::string printable(const std::string& text, std::size_t limit = 40) {
  std::string out;
  for (const char c : text) {
    if (out.size() >= limit) return out + "...";
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  return out;
}

}  // namespace detail
}  // namespace qmcsim
