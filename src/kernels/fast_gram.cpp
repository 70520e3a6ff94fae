// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/kernels/fast_gram.hpp"

namespace qmcsim::detail {
namespace {

void check_size(std::uint64_t n, std::uint64_t max_points, std::size_t replication, std::size_t replications) {
  require(is_power_of_two(n), "FastGram: n = ", n, " is not a power of two (the fast transforms need n = 2^m)");
  require(n <= max_points, "FastGram: n = ", n, " exceeds the ", max_points, " points of the generator");
  require(replication < replications, "FastGram: replication ", replication, " does not exist (the generator has ",
          replications, ")");
}

}  // namespace

void check_fast_gram_lattice(const LatticeOptions& options, std::uint64_t n, std::uint64_t max_points, std::size_t replication) {
  check_size(n, max_points, replication, options.replications);
  require(options.order == PointOrder::natural, "FastGram: lattice points must be in natural (radical-inverse) order, got '",
          to_string(options.order), "'");
}

void check_fast_gram_net(const DigitalNetOptions& options, std::uint64_t n, std::uint64_t max_points, std::size_t replication) {
  check_size(n, max_points, replication, options.replications);
  require(options.randomization != Randomization::nus,
          "FastGram: nested uniform scrambling breaks the digital-shift invariance; use none, ds, lms or lms-ds");
}

void check_fast_gram_kernel(KernelFamily points, const ProductKernel& kernel, std::size_t dimension) {
  kernel.check();
  require(kernel.family == points, "FastGram: a ", to_string(kernel.family), " kernel does not match ",
          points == KernelFamily::shift_invariant ? "lattice" : "digital-net", " points (use a ", to_string(points),
          " kernel)");
  require(kernel.dimension() == dimension, "FastGram: the kernel has ", kernel.dimension(), " coordinates, the points ",
          dimension);
}

}  // namespace qmcsim::detail
