// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Output files of the qmcsim driver. Every write, flush and close is checked; a failure throws
// OutputError (exit code 1) with the file name and the system's reason. A regular file is written
// under a temporary name in its directory and renamed over the path only when complete, so a failed
// or interrupted run never leaves a truncated file that looks complete. Standard output ("" or "-")
// and existing non-regular files (/dev/null, pipes) are written directly.

#include <cstdio>
#include <stdexcept>
#include <string>

namespace qmcsim::cli {

struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  ~OutputFile();  ///< without commit(): the temporary file is removed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::FILE* stream() const { return stream_; }
  /// The path as the user gave it ("standard output" for stdout).
  const std::string& name() const { return name_; }
  void write(const char* data, std::size_t size);
  void write(const std::string& text) { write(text.data(), text.size()); }
  /// printf into the file.
  void print(const char* format, ...) __attribute__((format(printf, 2, 3)));
  /// Flushes, closes and renames the file into place; throws OutputError on any failure.
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what, int error_number);
  void check();

  std::string path_, temporary_, name_;
  std::FILE* stream_ = nullptr;
  bool standard_output_ = false, committed_ = false;
};

/// Checks that everything written to standard output reached it (a full disk, a closed pipe).
void commit_standard_output();

}  // namespace qmcsim::cli
