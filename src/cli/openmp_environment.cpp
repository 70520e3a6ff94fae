// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "cli/openmp_environment.hpp"

#include <unistd.h>

#include <cstdlib>

namespace qmcsim::cli {

void apply_openmp_defaults(char** argv, bool passive_waiting) {
  bool missing = false;
  const auto set_default = [&](const char* name, const char* value) {
    if (std::getenv(name)) return;
    setenv(name, value, 1);
    missing = true;
  };
  set_default("OMP_PROC_BIND", "spread");
  set_default("OMP_PLACES", "threads");
  if (passive_waiting) set_default("OMP_WAIT_POLICY", "passive");
  if (missing) execv("/proc/self/exe", argv);  // returns only on failure: carry on as we are
}

}  // namespace qmcsim::cli
