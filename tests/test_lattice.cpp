// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/lattice/lattice.hpp and generating_vector.hpp: points against the exact formula in
// every order, the rank-1 lattice group structure modulo the shift, unbiasedness and uniformity of
// the shift, the built-in vector (reproduced by the documented CBC run), LDData files, back ends,
// per-replication vectors against one plan per vector, and the law of random generating vectors.

#include <gtest/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <set>

#include "qmcsim/lattice/cbc.hpp"
#include "qmcsim/lattice/lattice.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using Words = Kokkos::View<std::uint64_t***, Kokkos::LayoutRight, Kokkos::HostSpace>;

LatticeOptions lattice_options(std::size_t d, Randomization how, std::size_t R = 1, PointOrder order = PointOrder::natural) {
  LatticeOptions options;
  options.dimension = d;
  options.randomization = how;
  options.replications = R;
  options.order = order;
  options.seed = 13;
  return options;
}

template <class ExecSpace = Host>
Words words(const GeneratingVector& vector, const LatticeOptions& options, IndexRange range) {
  Lattice<ExecSpace> lattice(vector, options);
  Kokkos::View<std::uint64_t***, Kokkos::LayoutRight, typename ExecSpace::memory_space> out(
      "words", options.replications, range.size(), options.dimension);
  lattice.generate(range, out);
  return test::to_host(out);
}

const GeneratingVector small_vector("test", {1, 433461, 315689, 441789, 501101}, 20);

std::uint64_t radical_inverse_numerator(std::uint64_t i, int m) {  // phi_2(i) 2^m for i < 2^m
  std::uint64_t r = 0;
  for (int b = 0; b < m; ++b) r |= ((i >> b) & 1) << (m - 1 - b);
  return r;
}

TEST(Lattice, PointsMatchTheFormulaInEveryOrder) {
  const int m = 20;
  const std::uint64_t n = std::uint64_t{1} << m;
  for (PointOrder order : {PointOrder::natural, PointOrder::gray, PointOrder::linear}) {
    auto options = lattice_options(5, Randomization::none, 1, order);
    if (order == PointOrder::linear) options.linear_size = n;
    Lattice<Host> lattice(small_vector, options);
    const auto x = test::to_host(lattice.generate({n - 5000, n}));
    for (std::uint64_t i = n - 5000; i < n; ++i)
      for (std::size_t j = 0; j < 5; ++j) {
        const std::uint64_t k = order == PointOrder::gray ? (i ^ (i >> 1)) : i;
        const std::uint64_t numerator =
            order == PointOrder::linear ? i * small_vector.component(j) % n
                                        : radical_inverse_numerator(k, m) * small_vector.component(j) % n;
        ASSERT_EQ(x(0, i - (n - 5000), j), static_cast<double>(numerator) / n) << to_string(order) << " " << i;
      }
  }
  // QMCPy's documented example: Lattice(2, randomize=False, order='natural') with z = (1, 182667).
  const GeneratingVector qmcpy("qmcpy", {1, 182667}, 20);
  const double expected[4][2] = {{0, 0}, {0.5, 0.5}, {0.25, 0.75}, {0.75, 0.25}};
  const auto x = test::to_host(Lattice<Host>(qmcpy, lattice_options(2, Randomization::none)).generate({0, 4}));
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 2; ++j) EXPECT_EQ(x(0, i, j), expected[i][j]);
}

TEST(Lattice, EveryPowerOfTwoPrefixIsAShiftedRank1Lattice) {
  for (Randomization how : {Randomization::none, Randomization::shift}) {
    const auto x = words(small_vector, lattice_options(5, how, 3), {0, 4096});
    for (std::size_t r = 0; r < 3; ++r)
      for (int k : {1, 5, 12}) {
        const std::uint64_t nk = std::uint64_t{1} << k;
        // Delta = point 0; x_i - Delta must be exactly the points (i z mod 2^k) / 2^k, each once.
        std::set<std::vector<std::uint64_t>> expected, got;
        for (std::uint64_t i = 0; i < nk; ++i) {
          std::vector<std::uint64_t> e(5), g(5);
          for (std::size_t j = 0; j < 5; ++j) {
            e[j] = (i * small_vector.component(j) % nk) << (64 - k);
            g[j] = x(r, i, j) - x(r, 0, j);
          }
          expected.insert(e);
          got.insert(g);
        }
        EXPECT_EQ(got, expected) << to_string(how) << " 2^" << k;
      }
  }
}

TEST(Lattice, RandomShiftIsUniformAndUnbiased) {
  const std::size_t R = 4000, n = 64, d = 3;
  Lattice<Host> lattice(GeneratingVector::default_vector(), lattice_options(d, Randomization::shift, R));
  const auto x = test::to_host(lattice.generate({0, n}));
  for (std::size_t j = 0; j < d; ++j) {
    std::vector<double> first_point(R);
    for (std::size_t r = 0; r < R; ++r) first_point[r] = x(r, 17, j);
    EXPECT_LT(test::ks_distance_to_uniform(first_point), test::ks_critical_distance(R, 1e-6));
  }
  std::vector<double> estimates(R);
  for (std::size_t r = 0; r < R; ++r) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double f = 1;
      for (std::size_t j = 0; j < d; ++j) f *= 3 * x(r, i, j) * x(r, i, j);
      sum += f;
    }
    estimates[r] = sum / n;
  }
  const auto stats = test::sample_stats(estimates);
  EXPECT_LT(std::abs(stats.mean - 1.0), 6 * stats.standard_error());
}

TEST(Lattice, DefaultVectorIsReproducedByItsDocumentedCbcRun) {
  const GeneratingVector& z = GeneratingVector::default_vector();
  EXPECT_EQ(z.dimension(), 1000u);
  EXPECT_EQ(z.log2_points(), 20);
  for (std::uint64_t zj : z.components()) EXPECT_EQ(zj % 2, 1u);
  // CBC is greedy, so the first components are those of the same run with fewer dimensions:
  // qmcsim cbc --n 1048576 --min-n 1024 --dim 1000 --weights power:2
  const std::size_t d = 6;
  const CbcResult rerun = fast_cbc({20, 10, product_weights("power:2", d)});
  for (std::size_t j = 0; j < d; ++j) EXPECT_EQ(rerun.generating_vector[j], z.component(j)) << j;
}

TEST(Lattice, GeneratingVectorFilesRoundTrip) {
  const std::string path = testing::TempDir() + "vector.txt";
  {
    std::ofstream out(path);
    small_vector.write(out, {"a test vector"});
  }
  const GeneratingVector read = GeneratingVector::read(path);
  EXPECT_EQ(read.components(), small_vector.components());
  EXPECT_EQ(read.log2_points(), 20);
  const auto write = [](const std::string& name, const std::string& text) {
    const std::string file = testing::TempDir() + name;
    std::ofstream(file) << text;
    return file;
  };
  EXPECT_THROW(GeneratingVector::read(write("huge_n.txt", "# lattice\n2\n4294967297\n1\n7\n")), error);
  EXPECT_THROW(GeneratingVector::read(write("big_z.txt", "# lattice\n2\n1024\n1\n1025\n")), error);
  EXPECT_THROW(GeneratingVector::read(write("missing.txt", "# lattice\n3\n1024\n1\n5\n")), error);
  EXPECT_THROW(GeneratingVector::read(write("dnet.txt", "# dnet\n2\n1024\n1\n5\n")), error);
  EXPECT_THROW(GeneratingVector::read(testing::TempDir() + "absent.txt"), error);
}

// An ordinary rule: the Fibonacci lattice with n = F_16 = 987 points and z = (1, F_15 = 610), and a
// rule with n = 2^32 - 5 (the largest prime below 2^32) to put k r / n at its 64-bit limit.
TEST(Lattice, OrdinaryRulesMatchTheDenseFormula) {
  for (const auto& vector : {GeneratingVector::with_modulus("fibonacci", {1, 610}, 987),
                             GeneratingVector::with_modulus("p32", {1, 1234567891, 4294967290}, 4294967291)}) {
    const std::uint64_t n = vector.modulus();
    EXPECT_FALSE(vector.extensible());
    auto options = lattice_options(vector.dimension(), Randomization::shift, 3, PointOrder::linear);
    options.linear_size = n;
    const std::uint64_t count = std::min<std::uint64_t>(n, 2000), begin = n - count;
    const auto w = words(vector, options, {begin, n});
    const auto shifts = words(vector, options, {0, 1});  // point 0 is the shift itself
    for (std::size_t r = 0; r < 3; ++r)
      for (std::uint64_t i = begin; i < n; ++i)
        for (std::size_t j = 0; j < vector.dimension(); ++j) {
          const unsigned __int128 k = static_cast<unsigned __int128>(i) * vector.component(j) % n;
          const auto fraction = static_cast<std::uint64_t>((k << 64) / n);  // floor(k 2^64 / n)
          ASSERT_EQ(w(r, i - begin, j), fraction + shifts(r, 0, j)) << vector.name() << " i=" << i << " j=" << j;
        }
    // unshifted doubles: (i z mod n) / n to the last bit
    options.randomization = Randomization::none;
    Lattice<Host> lattice(vector, options);
    const auto x = test::to_host(lattice.generate({begin, n}));
    for (std::uint64_t i = begin; i < n; ++i)
      for (std::size_t j = 0; j < vector.dimension(); ++j)
        ASSERT_NEAR(x(0, i - begin, j), static_cast<double>(i * vector.component(j) % n) / n, 0x1p-53);
  }
  // The Fibonacci lattice integrates the trigonometric polynomial cos(2 pi (x1 + 2 x2)) exactly
  // (h = (1, 2) is not in the dual lattice): the equal-weight rule gives 0 to rounding.
  auto options = lattice_options(2, Randomization::shift, 1, PointOrder::linear);
  options.linear_size = 987;
  Lattice<Host> fibonacci(GeneratingVector::with_modulus("fibonacci", {1, 610}, 987), options);
  const auto y = test::to_host(fibonacci.generate({0, 987}));
  double sum = 0;
  for (std::size_t i = 0; i < 987; ++i) sum += std::cos(2 * M_PI * (y(0, i, 0) + 2 * y(0, i, 1)));
  EXPECT_NEAR(sum / 987, 0.0, 1e-12);
}

TEST(Lattice, OrdinaryRulesReadFromFilesAndRejectOtherOrders) {
  const std::string path = testing::TempDir() + "fibonacci.txt";
  std::ofstream(path) << "# lattice\n# Fibonacci lattice\n2   # dimensions\n987 # n, not a power of two\n1\n610\n";
  const GeneratingVector read = GeneratingVector::read(path);
  EXPECT_EQ(read.modulus(), 987u);
  EXPECT_EQ(read.log2_points(), -1);
  EXPECT_EQ(read.components(), (std::vector<std::uint64_t>{1, 610}));
  std::ostringstream written;
  read.write(written, {});
  EXPECT_NE(written.str().find("987"), std::string::npos);
  EXPECT_THROW(Lattice<Host>(read, lattice_options(2, Randomization::shift)), error);                   // natural
  EXPECT_THROW(Lattice<Host>(read, lattice_options(2, Randomization::shift, 1, PointOrder::gray)), error);
  auto linear = lattice_options(2, Randomization::shift, 1, PointOrder::linear);
  linear.linear_size = 512;
  EXPECT_THROW(Lattice<Host>(read, linear), error);  // a part of the rule is not a lattice
  EXPECT_THROW(GeneratingVector::with_modulus("big", {1}, (std::uint64_t{1} << 32) + 1), error);
  EXPECT_THROW(GeneratingVector::with_modulus("zero", {1}, 0), error);
  EXPECT_THROW(GeneratingVector::with_modulus("z", {1, 987}, 987), error);
  EXPECT_EQ(GeneratingVector::with_modulus("pow2", {1, 3}, 1024).log2_points(), 10);
}

TEST(Lattice, PerReplicationVectorsActLikeOnePlanPerVector) {
  // replication r of a plan with vectors v_0 .. v_{R-1} is replication r of the plan with v_r alone
  const auto random = GeneratingVector::random(5, 20, 2, 99);
  const std::vector<GeneratingVector> vectors = {random[0], small_vector, random[1]};
  const std::vector<GeneratingVector> ordinary = {GeneratingVector::with_modulus("a", {1, 364, 129}, 1009),
                                                  GeneratingVector::with_modulus("b", {1, 41, 877}, 1009),
                                                  GeneratingVector::with_modulus("c", {1, 500, 3}, 1009)};
  for (Randomization how : {Randomization::none, Randomization::shift})
    for (PointOrder order : {PointOrder::natural, PointOrder::gray, PointOrder::linear})
      for (const auto* set : {&vectors, &ordinary}) {
        if (set == &ordinary && order != PointOrder::linear) continue;
        auto options = lattice_options(3, how, 3, order);
        if (order == PointOrder::linear) options.linear_size = set == &ordinary ? 1009 : 1024;
        const IndexRange range = order == PointOrder::linear ? IndexRange{0, options.linear_size} : IndexRange{3000, 7000};
        Lattice<Host> lattice(*set, options);
        Words got("got", 3, range.size(), 3);
        lattice.generate(range, got);
        for (std::size_t r = 0; r < 3; ++r) {
          const auto alone = words((*set)[r], options, range);
          for (std::size_t i = 0; i < range.size(); ++i)
            for (std::size_t j = 0; j < 3; ++j)
              ASSERT_EQ(got(r, i, j), alone(r, i, j)) << to_string(how) << " " << to_string(order) << " r " << r;
        }
      }
}

TEST(Lattice, RandomVectorsAreUniformOnTheOddComponents) {
  // z_1 = 1; z_j uniform on {3, 5, ..., 2^M - 1}, independent across j and across vectors
  const int M = 5;
  const std::size_t count = 30000, choices = 15;
  const auto vectors = GeneratingVector::random(3, M, count, 2024);
  std::vector<double> single(2 * choices, 0.0), pairs(choices * choices, 0.0);
  for (const auto& z : vectors) {
    ASSERT_EQ(z.component(0), 1u);
    ASSERT_EQ(z.log2_points(), M);
    for (std::size_t j = 1; j < 3; ++j) {
      ASSERT_TRUE(z.component(j) % 2 == 1 && z.component(j) >= 3 && z.component(j) < 32) << z.component(j);
      single[(j - 1) * choices + (z.component(j) - 3) / 2] += 1;
    }
    pairs[(z.component(1) - 3) / 2 * choices + (z.component(2) - 3) / 2] += 1;
  }
  const auto chi2 = [](const std::vector<double>& counts, double expected) {
    double sum = 0;
    for (double c : counts) sum += (c - expected) * (c - expected) / expected;
    return sum;
  };
  const auto critical = [](double dof) { return boost::math::quantile(boost::math::chi_squared(dof), 1 - 1e-6); };
  EXPECT_LT(chi2(single, count / double(choices)), critical(2 * (choices - 1)));
  EXPECT_LT(chi2(pairs, count / double(choices * choices)), critical(choices * choices - 1));
  // consecutive vectors are independent too: component 1 of vector v against vector v + 1
  std::vector<double> successive(choices * choices, 0.0);
  for (std::size_t v = 0; v + 1 < count; v += 2)
    successive[(vectors[v].component(1) - 3) / 2 * choices + (vectors[v + 1].component(1) - 3) / 2] += 1;
  EXPECT_LT(chi2(successive, count / 2 / double(choices * choices)), critical(choices * choices - 1));
}

TEST(Lattice, RandomVectorsArePureFunctionsOfSeedAndIndexAtEveryM) {
  const auto ten = GeneratingVector::random(50, 30, 10, 5);
  const auto three = GeneratingVector::random(50, 30, 3, 5);
  for (std::size_t v = 0; v < 3; ++v) EXPECT_EQ(three[v].components(), ten[v].components());
  EXPECT_NE(ten[0].components(), ten[1].components());
  EXPECT_NE(GeneratingVector::random(50, 30, 1, 6)[0].components(), ten[0].components());
  for (const auto& z : GeneratingVector::random(1000, 2, 2, 1))  // M = 2: the only odd choice is 3
    for (std::size_t j = 1; j < 1000; ++j) ASSERT_EQ(z.component(j), 3u);
  std::uint64_t largest = 0;  // M = 62: the whole range is reached, nothing beyond it
  for (const auto& z : GeneratingVector::random(1000, 62, 2, 1))
    for (std::size_t j = 1; j < 1000; ++j) {
      ASSERT_TRUE(z.component(j) % 2 == 1 && z.component(j) < (std::uint64_t{1} << 62));
      largest = std::max(largest, z.component(j));
    }
  EXPECT_GT(largest, std::uint64_t{1} << 61);
  const auto one = GeneratingVector::random(1, 10, 1, 1);  // d = 1: just z_1 = 1
  EXPECT_EQ(one[0].components(), std::vector<std::uint64_t>{1});
}

#if defined(KOKKOS_ENABLE_SERIAL) && defined(KOKKOS_ENABLE_OPENMP)
TEST(Lattice, SerialAndOpenMPAgreeBitwise) {
  for (PointOrder order : {PointOrder::natural, PointOrder::gray}) {
    const auto options = lattice_options(100, Randomization::shift, 3, order);
    const auto serial = words<Kokkos::Serial>(GeneratingVector::default_vector(), options, {1000, 3000});
    const auto openmp = words<Kokkos::OpenMP>(GeneratingVector::default_vector(), options, {1000, 3000});
    for (std::size_t k = 0; k < serial.size(); ++k) ASSERT_EQ(serial.data()[k], openmp.data()[k]);
  }
}
#endif

TEST(Lattice, GeneratesOnACallersInstance) {
  // extensible in natural and Gray order, and an ordinary rule in linear order, with an offset range
  for (PointOrder order : {PointOrder::natural, PointOrder::gray}) {
    const Lattice<> lattice(GeneratingVector::default_vector(), lattice_options(5, Randomization::shift, 3, order));
    EXPECT_TRUE(test::generates_on_caller_instance(lattice, {100, 4196}));
  }
  auto linear = lattice_options(3, Randomization::shift, 2, PointOrder::linear);
  linear.linear_size = 1009;
  const Lattice<> ordinary(GeneratingVector::with_modulus("a", {1, 364, 129}, 1009), linear);
  EXPECT_TRUE(test::generates_on_caller_instance(ordinary, {7, 1009}));
}

TEST(Lattice, RejectsBadInput) {
  const auto& z = GeneratingVector::default_vector();
  EXPECT_THROW(Lattice<Host>(z, lattice_options(1001, Randomization::shift)), error);
  EXPECT_THROW(Lattice<Host>(z, lattice_options(3, Randomization::nus)), error);
  EXPECT_THROW(Lattice<Host>(z, lattice_options(3, Randomization::digital_shift)), error);
  auto linear = lattice_options(3, Randomization::shift, 1, PointOrder::linear);
  linear.linear_size = 1000;
  EXPECT_THROW(Lattice<Host>(z, linear), error);
  linear.linear_size = std::uint64_t{1} << 21;
  EXPECT_THROW(Lattice<Host>(z, linear), error);
  auto natural = lattice_options(3, Randomization::shift);
  natural.linear_size = 64;
  EXPECT_THROW(Lattice<Host>(z, natural), error);
  Lattice<Host> lattice(z, lattice_options(3, Randomization::shift));
  EXPECT_THROW(lattice.generate({0, (std::uint64_t{1} << 20) + 1}), error);
  PointsView<double, Kokkos::HostSpace> wrong("wrong", 1, 5, 4);
  EXPECT_THROW(lattice.generate({0, 5}, wrong), error);
  EXPECT_THROW(GeneratingVector("bad", {1, 8}, 3), error);
  // per-replication vectors: one or R of them, all with the same n
  const auto two = GeneratingVector::random(3, 20, 2, 1);
  EXPECT_THROW(Lattice<Host>(two, lattice_options(3, Randomization::shift, 3)), error);
  EXPECT_THROW(Lattice<Host>(std::vector<GeneratingVector>{}, lattice_options(3, Randomization::shift, 1)), error);
  EXPECT_THROW(Lattice<Host>(std::vector<GeneratingVector>{two[0], GeneratingVector::random(3, 19, 1, 1)[0]},
                             lattice_options(3, Randomization::shift, 2)),
               error);
  EXPECT_NO_THROW(Lattice<Host>(std::vector<GeneratingVector>{two[0]}, lattice_options(3, Randomization::shift, 4)));
  EXPECT_THROW(GeneratingVector::random(3, 1, 1, 0), error);
  EXPECT_THROW(GeneratingVector::random(3, 63, 1, 0), error);
  EXPECT_THROW(GeneratingVector::random(0, 10, 1, 0), error);
  EXPECT_THROW(GeneratingVector::random(3, 10, 0, 0), error);
}

}  // namespace
}  // namespace qmcsim
