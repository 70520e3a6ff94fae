// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// OpenMP settings for qmcsim's programs (the driver, the benchmarks).
//
// GNU OpenMP reads OMP_PROC_BIND, OMP_PLACES and OMP_WAIT_POLICY once, when it is loaded, before
// main: setenv in main changes nothing but what Kokkos sees. So where a default is missing it is set
// and the program executes itself again, and the runtime starts with it. Measured with the driver on
// a loaded 2-core machine: 20 small `qmcsim points` calls took 1.6 s with threads spinning, 0.45 s
// with these defaults (the second start included) and 0.29 s with the variables exported.

namespace qmcsim::cli {

/// Sets OMP_PROC_BIND=spread, OMP_PLACES=threads and, with `passive_waiting`, OMP_WAIT_POLICY=passive
/// where the caller has not chosen them, then re-executes `argv` (once: the second run finds them
/// set). Returns when nothing was missing, or when the re-execution is not possible (no
/// /proc/self/exe); Kokkos then at least does not print its OMP_PROC_BIND warning on stdout.
void apply_openmp_defaults(char** argv, bool passive_waiting);

}  // namespace qmcsim::cli
