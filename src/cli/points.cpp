// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// qmcsim points: randomized low-discrepancy points, replication after replication, point after point,
// as CSV (one point per line, 17 or, for float32, 9 significant digits), NumPy .npy (shape (N, D), or (R, N, D)
// with R > 1 replications) or raw little-endian values, in float64, float32 or uint64 (the 64-bit
// fixed-point words of base-2 point sets, QMCPy's return_binary). Points are generated and written in
// blocks of about 2^20 values, so memory stays bounded for any n; with several replications the
// blocks go through a spool file first and are copied out replication by replication.

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/point_sets.hpp"

namespace qmcsim::cli {
namespace {

constexpr std::uint64_t block_values = std::uint64_t{1} << 20;

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "npy and raw output write the host's bytes as little-endian");

enum class Format { csv, npy, raw };

struct Encoding {
  Format format = Format::csv;
  std::string dtype = "float64";  ///< float64, float32 or uint64
};

Encoding parse_encoding(const Arguments& args, const std::string& kind) {
  Encoding encoding;
  const std::string format = args.choice("format", "csv", {"csv", "npy", "raw"});
  encoding.format = format == "csv" ? Format::csv : format == "npy" ? Format::npy : Format::raw;
  encoding.dtype = args.choice("dtype", "float64", {"float64", "float32", "uint64"});
  if (encoding.dtype == "uint64" && (kind == "halton" || kind == "iid"))
    throw UsageError("--dtype uint64 (the 64-bit words of base-2 points) applies to lattice, sobol, niederreiter and net, "
                     "not to " + kind);
  return encoding;
}

/// The .npy (version 1.0) header of an array of `shape`, 64-byte aligned as NumPy writes it.
std::string npy_header(const char* descr, const std::vector<std::uint64_t>& shape) {
  std::string dims;
  for (std::uint64_t extent : shape) dims += (dims.empty() ? "" : ", ") + std::to_string(extent);
  std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
  dict += '\n';
  std::string header = "\x93NUMPY";
  header += '\x01';
  header += '\x00';
  header += static_cast<char>(dict.size() & 0xff);
  header += static_cast<char>(dict.size() >> 8);
  return header + dict;
}

template <class Value>
constexpr const char* npy_descr() {
  if constexpr (std::is_same_v<Value, double>) return "<f8";
  else if constexpr (std::is_same_v<Value, float>) return "<f4";
  else return "<u8";
}

PointSetRequest points_request(const Arguments& args) {
  PointSetRequest request;
  request.kind = args.choice("kind", "", {"lattice", "sobol", "niederreiter", "net", "halton", "iid"});
  const bool lattice = request.kind == "lattice";
  const bool net = request.kind == "sobol" || request.kind == "niederreiter" || request.kind == "net";
  request.options.dimension = args.required_integer<std::size_t>("dim", 1, counter_limit);
  request.options.replications = args.integer<std::size_t>("replications", 1, 1, counter_limit);
  request.options.seed = args.integer<std::uint64_t>("seed", 0, 0);
  if (request.kind != "iid") {  // iid points have no order and no randomization: either option is an error
    request.options.order = parse_point_order(args.choice("order", "natural", {"natural", "radical-inverse", "gray", "linear"}));
    request.options.randomization = args.has("randomize")
                                        ? parse_randomization(args.choice("randomize", "", {"none", "shift", "ds", "lms", "lms-ds", "nus", "perm", "lms-perm"}))
                                        : default_randomization(request.kind);
  }
  if (net) request.alpha = args.integer<int>("alpha", 1, 1, max_alpha);
  if (lattice) {
    request.vector_file = args.text("generating-vector", "");
    const std::string random = "random:";
    if (request.vector_file.rfind(random, 0) == 0) {
      const std::string M = request.vector_file.substr(random.size());
      const bool digits = !M.empty() && M.size() <= 2 && M.find_first_not_of("0123456789") == std::string::npos;
      request.random_vector_log2 = digits ? std::stoi(M) : 0;
      if (request.random_vector_log2 < 2 || request.random_vector_log2 > 62)
        throw UsageError("--generating-vector random:M draws random vectors of 2^M points: M must be an integer in [2, 62], got '" +
                         M + "'");
      request.vector_file.clear();
    }
  }
  if (request.kind == "net") request.matrices_file = args.required_text("generating-matrices");
  if (request.options.order == PointOrder::linear) {
    if (!lattice) throw UsageError("--order linear applies to lattices only");
    if (args.has("start")) throw UsageError("--order linear is the fixed lattice of --n points; --start does not apply to it");
    request.linear_size = args.required_integer<std::uint64_t>("n", 1);
  }
  return request;
}

/// Appends `count` values as one CSV line (17 significant digits for float64, 9 for float32: each
/// reads back to the same value), or as their bytes.
template <class Value>
void append_row(std::string& text, Format format, const Value* values, std::size_t count) {
  if (format != Format::csv) {
    text.append(reinterpret_cast<const char*>(values), count * sizeof(Value));
    return;
  }
  char buffer[32];
  for (std::size_t j = 0; j < count; ++j) {
    if (j) text += ',';
    std::to_chars_result result;
    if constexpr (std::is_integral_v<Value>) result = std::to_chars(buffer, buffer + sizeof buffer, values[j]);
    else
      result = std::to_chars(buffer, buffer + sizeof buffer, values[j], std::chars_format::general,
                             std::is_same_v<Value, float> ? 9 : 17);
    text.append(buffer, result.ptr);
  }
  text += '\n';
}

/// A temporary file holding blocks in the order they were made, copied out in another order.
class Spool {
 public:
  Spool() : file_(std::tmpfile()) {
    if (!file_) throw OutputError("cannot create a spool file for the replications (TMPDIR)");
  }
  ~Spool() { std::fclose(file_); }
  /// Appends a block; returns its offset.
  std::uint64_t append(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) throw OutputError("writing the spool file failed");
    const std::uint64_t offset = size_;
    size_ += text.size();
    return offset;
  }
  void copy(std::uint64_t offset, std::uint64_t length, OutputFile& out) {
    if (std::fflush(file_) != 0) throw OutputError("writing the spool file failed");
    std::string buffer;
    while (length > 0) {
      buffer.resize(std::min<std::uint64_t>(length, 1 << 22));
      const ssize_t got = pread(fileno(file_), buffer.data(), buffer.size(), static_cast<off_t>(offset));
      if (got <= 0) throw OutputError("reading the spool file failed");
      out.write(buffer.data(), static_cast<std::size_t>(got));
      offset += static_cast<std::uint64_t>(got), length -= static_cast<std::uint64_t>(got);
    }
  }

 private:
  std::FILE* file_;
  std::uint64_t size_ = 0;
};

template <class Value, class Generator>
void write_points(const Generator& generator, std::uint64_t start, std::uint64_t n, Format format, OutputFile& out) {
  using Memory = typename Generator::memory_space;
  const std::size_t R = generator.replications(), d = generator.dimension();
  if (format == Format::npy)
    out.write(npy_header(npy_descr<Value>(), R == 1 ? std::vector<std::uint64_t>{n, d} : std::vector<std::uint64_t>{R, n, d}));
  const std::uint64_t chunk = std::min<std::uint64_t>(n, std::max<std::uint64_t>(1, block_values / (R * d)));
  using Unmanaged = Kokkos::MemoryTraits<Kokkos::Unmanaged>;
  Kokkos::View<Value*, Memory> buffer("qmcsim::points::block", R * chunk * d);
  auto host_buffer = Kokkos::create_mirror_view(buffer);
  std::unique_ptr<Spool> spool = R > 1 && chunk < n ? std::make_unique<Spool>() : nullptr;
  std::vector<std::uint64_t> offsets;  // spool offset of block (chunk c, replication r) at c R + r, then the end
  std::string text;
  for (std::uint64_t begin = 0; begin < n; begin += chunk) {
    const std::uint64_t count = std::min(chunk, n - begin);
    const Kokkos::View<Value***, Kokkos::LayoutRight, Memory, Unmanaged> points(buffer.data(), R, count, d);
    const Kokkos::View<Value***, Kokkos::LayoutRight, Kokkos::HostSpace, Unmanaged> host(host_buffer.data(), R, count, d);
    generator.generate({start + begin, start + begin + count}, points);
    Kokkos::deep_copy(host, points);
    for (std::size_t r = 0; r < R; ++r) {
      text.clear();
      for (std::uint64_t i = 0; i < count; ++i) append_row(text, format, &host(r, i, 0), d);
      if (spool) offsets.push_back(spool->append(text));
      else out.write(text);
    }
  }
  if (!spool) return;
  offsets.push_back(spool->append(""));
  const std::size_t blocks = (offsets.size() - 1) / R;
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t c = 0; c < blocks; ++c) spool->copy(offsets[c * R + r], offsets[c * R + r + 1] - offsets[c * R + r], out);
}

}  // namespace

int run_points(const std::vector<std::string>& words) {
  const Arguments args(words, {"kind", "n", "dim", "order", "randomize", "alpha", "replications", "seed", "start",
                               "generating-vector", "generating-matrices", "format", "dtype", "output"});
  const PointSetRequest request = points_request(args);
  const Encoding encoding = parse_encoding(args, request.kind);
  const std::uint64_t n = args.required_integer<std::uint64_t>("n", 1);
  const std::uint64_t start = args.integer<std::uint64_t>("start", 0, 0);
  const std::string output = args.text("output", "");
  args.reject_unused("points --kind " + request.kind);
  require_memory("--replications " + std::to_string(request.options.replications) + " x --dim " +
                     std::to_string(request.options.dimension),
                 table_bytes(request) + static_cast<long double>(request.options.replications) * request.options.dimension * 16, 1);
  OutputFile out(output);
  visit_point_set(request, [&](const auto& generator) {
    if (start > generator.max_points() || n > generator.max_points() - start)
      throw UsageError("--start " + std::to_string(start) + " + --n " + std::to_string(n) + " exceeds the " +
                       std::to_string(generator.max_points()) + " points of this point set (" + generator.range_limit() + ")");
    using Generator = std::decay_t<decltype(generator)>;
    if (encoding.dtype == "float32") write_points<float>(generator, start, n, encoding.format, out);
    else if (encoding.dtype == "float64") write_points<double>(generator, start, n, encoding.format, out);
    else if constexpr (Generator::writes_words) write_points<std::uint64_t>(generator, start, n, encoding.format, out);
  });
  out.commit();
  return 0;
}

}  // namespace qmcsim::cli
