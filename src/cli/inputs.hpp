// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// The driver's input files: values for `transform` and times for `brownian`. Every problem is a
// qmcsim::error naming the option, the file and the line; the text echoed is made printable.

#include <complex>
#include <string>
#include <vector>

namespace qmcsim::cli {

/// One value per line, a complex one as "re,im"; blank lines are skipped. A power of two of them,
/// at most 2^28. `complex` tells whether any line had an imaginary part.
std::vector<std::complex<double>> read_values(const std::string& path, bool& complex);

/// One time per line (blank lines and '#' comments skipped), finite and strictly increasing, at
/// least two of them.
std::vector<double> read_times(const std::string& path);

}  // namespace qmcsim::cli
