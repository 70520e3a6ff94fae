// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "runtime.hpp"

#include <pthread.h>

#include <cstdlib>
#include <stdexcept>

namespace qmcsim::python {

std::mutex& kernel_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::atomic<long>& live_objects() {
  static std::atomic<long> count{0};
  return count;
}

namespace {
bool forked_child = false;
void mark_child() { forked_child = forked_child || Kokkos::is_initialized(); }
}  // namespace

bool forked_from_running_parent() { return forked_child; }

void initialize(int num_threads, int device_id) {
  if (Kokkos::is_initialized()) return;
  static const bool registered = pthread_atfork(nullptr, nullptr, mark_child) == 0;
  (void)registered;
  // The OpenMP environment (binding, passive waiting) is set by qmcsim/__init__.py, before the
  // runtime is loaded with this module.
  Kokkos::InitArguments arguments;
  if (num_threads > 0) arguments.num_threads = num_threads;
  if (device_id >= 0) arguments.device_id = device_id;
  Kokkos::initialize(arguments);
}

void finalize() {
  if (Kokkos::is_initialized() && live_objects() == 0 && !forked_child) Kokkos::finalize();
}

KernelScope::KernelScope() : lock_(kernel_mutex()) {
  if (forked_child)
    throw std::runtime_error(
        "qmcsim cannot run in a process forked from one where it had started (GNU OpenMP's threads do not survive "
        "fork): start worker processes with multiprocessing's 'spawn' or 'forkserver' method, or use qmcsim only in "
        "the workers");
  if (!Kokkos::is_initialized()) initialize(-1, -1);
}

}  // namespace qmcsim::python
