// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// What every binding shares: Kokkos started on first use and stopped at interpreter exit, one lock
// around every call that runs kernels (Kokkos' host back ends take one caller at a time), and the
// host execution space the bindings use.

#include <Kokkos_Core.hpp>
#include <atomic>
#include <mutex>
#include <nanobind/nanobind.h>

namespace qmcsim::python {

using Host = Kokkos::DefaultHostExecutionSpace;

/// Starts Kokkos unless it runs (num_threads < 0: OMP_NUM_THREADS or all cores).
void initialize(int num_threads, int device_id);
/// Stops Kokkos when no binding object holds Kokkos memory any more (else leaves it to the process).
void finalize();

/// Held by every call that runs kernels. Taken with the GIL released, so that a Python callback
/// inside the call (which takes the GIL back) cannot deadlock with a second thread.
std::mutex& kernel_mutex();

/// Counts the binding objects that own Kokkos memory, so that finalize() knows whether it may stop it.
std::atomic<long>& live_objects();

/// Whether this process is a fork of one whose Kokkos (and so GNU OpenMP's thread pool) was running:
/// OpenMP cannot run in such a child (it waits for the parent's threads), so calls fail with a
/// RuntimeError that says so instead of hanging.
bool forked_from_running_parent();

/// A lock on the kernels for the scope of a call, with Kokkos started and the GIL released.
class KernelScope {
 public:
  KernelScope();

 private:
  nanobind::gil_scoped_release release_;
  std::lock_guard<std::mutex> lock_;
};

/// Base of binding classes that own Kokkos memory.
struct Counted {
  Counted() { ++live_objects(); }
  Counted(const Counted&) { ++live_objects(); }
  ~Counted() { --live_objects(); }
};

}  // namespace qmcsim::python
