// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "cli/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>

#include "cli/arguments.hpp"

namespace qmcsim::cli {

OutputFile::OutputFile(const std::string& path) : path_(path), name_(path.empty() || path == "-" ? "standard output" : printable(path, 200)) {
  if (path.empty() || path == "-") {
    standard_output_ = true;
    stream_ = stdout;
    return;
  }
  struct stat status;
  if (stat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode)) {
    if (S_ISDIR(status.st_mode)) fail("cannot write", EISDIR);
    stream_ = std::fopen(path.c_str(), "w");  // a device or a pipe: written in place
    if (!stream_) fail("cannot open", errno);
    return;
  }
  temporary_ = path + ".tmp-XXXXXX";
  const int fd = mkstemp(temporary_.data());
  if (fd < 0) {
    const int error_number = errno;
    temporary_.clear();
    fail("cannot create", error_number);
  }
  fchmod(fd, 0666 & ~[] { const mode_t mask = umask(0); umask(mask); return mask; }());
  stream_ = fdopen(fd, "w");
  if (!stream_) {
    const int error_number = errno;
    close(fd);
    fail("cannot open", error_number);
  }
}

OutputFile::~OutputFile() {
  if (committed_ || standard_output_) return;
  if (stream_) std::fclose(stream_);
  if (!temporary_.empty()) std::remove(temporary_.c_str());
}

void OutputFile::fail(const std::string& what, int error_number) {
  throw OutputError(what + " " + name_ + ": " + std::strerror(error_number));
}

void OutputFile::check() {
  if (std::ferror(stream_)) fail("writing", errno ? errno : EIO);
}

void OutputFile::write(const char* data, std::size_t size) {
  if (size != 0 && std::fwrite(data, 1, size, stream_) != size) fail("writing", errno ? errno : EIO);
}

void OutputFile::print(const char* format, ...) {
  va_list arguments;
  va_start(arguments, format);
  const int written = std::vfprintf(stream_, format, arguments);
  va_end(arguments);
  if (written < 0) fail("writing", errno ? errno : EIO);
}

void OutputFile::commit() {
  if (committed_) return;
  errno = 0;
  if (std::fflush(stream_) != 0) fail("writing", errno ? errno : EIO);
  check();
  committed_ = true;
  if (standard_output_) return;
  if (!temporary_.empty() && fsync(fileno(stream_)) != 0) fail("writing", errno);
  std::FILE* stream = stream_;
  stream_ = nullptr;
  if (std::fclose(stream) != 0) {
    committed_ = false;
    fail("closing", errno ? errno : EIO);
  }
  if (!temporary_.empty() && std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    committed_ = false;
    fail("cannot rename the finished file to", errno);
  }
}

void commit_standard_output() {
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout))
    throw OutputError(std::string("writing standard output: ") + std::strerror(errno ? errno : EIO));
}

}  // namespace qmcsim::cli
