// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// qmcsim transform: FFTBR, IFFTBR or FWHT of a file of values (one per line, complex as "re,im").

#include <charconv>
#include <cmath>

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/output.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/transforms/fftbr.hpp"
#include "qmcsim/transforms/fwht.hpp"

namespace qmcsim::cli {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using Rows = ComplexRows<Kokkos::HostSpace>;

/// The values of `path` as one row.
Rows read_row(const std::string& path, bool& complex) {
  const std::vector<std::complex<double>> values = read_values(path, complex);
  Rows rows("values", 1, values.size());
  for (std::size_t k = 0; k < values.size(); ++k) rows(0, k) = Kokkos::complex<double>(values[k].real(), values[k].imag());
  return rows;
}

}  // namespace

int run_transform(const std::vector<std::string>& words) {
  const Arguments args(words, {"kind", "input", "output"});
  const std::string kind = args.choice("kind", "", {"fftbr", "ifftbr", "fwht"});
  const std::string input = args.required_text("input"), output = args.text("output", "");
  args.reject_unused("transform");
  bool complex = false;
  const Rows x = read_row(input, complex);
  const std::size_t n = x.extent(1);
  if (kind == "fwht") FwhtPlan<Host, Kokkos::complex<double>>(n, 1).transform(x);
  else if (kind == "fftbr") FftbrPlan<Host>(n, 1, PlanningEffort::estimate).fftbr(x);
  else FftbrPlan<Host>(n, 1, PlanningEffort::estimate).ifftbr(x);
  complex = complex || kind != "fwht";  // Fourier transforms of real data are complex
  // Both transforms scale by n^{-1/2} only at the end, so their partial sums reach n max |x|: values
  // above DBL_MAX / n can overflow to inf and then NaN. A result is only reported when it is finite.
  for (std::size_t k = 0; k < n; ++k)
    if (!std::isfinite(x(0, k).real()) || !std::isfinite(x(0, k).imag()))
      throw std::runtime_error(kind + " of " + printable(input, 200) + " overflows at entry " + std::to_string(k) +
                               ": keep |values| below 1.7e308 / n = " + std::to_string(1.7e308 / static_cast<double>(n)));

  OutputFile out(output);
  std::string text;
  char buffer[32];
  for (std::size_t k = 0; k < n; ++k) {
    text.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, x(0, k).real(), std::chars_format::general, 17).ptr);
    if (complex) {
      text += ',';
      text.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, x(0, k).imag(), std::chars_format::general, 17).ptr);
    }
    text += '\n';
    if (text.size() > (1 << 20)) out.write(text), text.clear();
  }
  out.write(text);
  out.commit();
  return 0;
}

}  // namespace qmcsim::cli
