// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Tests of qmcsim/digital_net/digital_net.hpp and generating_matrices.hpp against oracles:
// published Joe-Kuo direction numbers and scipy's published first points, Boost.Random's own
// Sobol'/Niederreiter engines, the (t, m, s)-net property by elementary-interval counting, exact
// integrals (unbiasedness), the uniform distribution (KS), and the n^-3 RQMC variance rate;
// per-replication matrices against one plan per set.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include "qmcsim/digital_net/digital_net.hpp"
#include "boost_oracles.hpp"
#include "instance_support.hpp"
#include "support.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using WordsView = Kokkos::View<std::uint64_t***, Kokkos::LayoutRight, Kokkos::HostSpace>;

DigitalNetOptions net_options(std::size_t dimension, Randomization how, std::size_t replications = 1,
                              std::uint64_t seed = 7, int alpha = 1) {
  DigitalNetOptions options;
  options.dimension = dimension;
  options.randomization = how;
  options.replications = replications;
  options.seed = seed;
  options.alpha = alpha;
  return options;
}

template <class ExecSpace = Host>
WordsView words(const GeneratingMatrices& matrices, const DigitalNetOptions& options, IndexRange range) {
  DigitalNet<ExecSpace> net(matrices, options);
  Kokkos::View<std::uint64_t***, Kokkos::LayoutRight, typename ExecSpace::memory_space> out(
      "words", options.replications, range.size(), options.dimension);
  net.generate(range, out);
  return test::to_host(out);
}

const Randomization all_randomizations[] = {Randomization::none, Randomization::digital_shift, Randomization::lms,
                                            Randomization::lms_digital_shift, Randomization::nus};

// ---- the generating matrices ------------------------------------------------------------------

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

// Joe & Kuo (2008), file new-joe-kuo-6.21201: for dimensions 2..10 the degree s, the coefficients a
// of the primitive polynomial and the initial direction numbers m_1..m_s.
struct JoeKuoRow {
  int s;
  unsigned a;
  std::vector<std::uint64_t> m;
};
const JoeKuoRow joe_kuo_rows[] = {
    {1, 0, {1}},          {2, 1, {1, 3}},          {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},    {4, 1, {1, 1, 3, 3}},    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}}, {5, 4, {1, 1, 5, 5, 5}}, {5, 7, {1, 1, 7, 11, 19}},
};
// The same file's lines for dimension 3668 (the first beyond Boost.Random's table) and 21201 (the last).
const JoeKuoRow joe_kuo_3668 = {16, 22, {1, 3, 7, 11, 29, 35, 67, 129, 221, 439, 1159, 3501, 7741, 8885, 11381, 20707}};
const JoeKuoRow joe_kuo_21201 = {
    18, 131059, {1, 1, 7, 11, 15, 7, 37, 239, 337, 245, 1557, 3681, 7357, 9639, 27367, 26869, 114603, 86317}};

// Bratley & Fox (1988), eq. for the direction numbers: m_k = 2 a_1 m_{k-1} ^ ... ^ 2^{s-1} a_{s-1}
// m_{k-s+1} ^ 2^s m_{k-s} ^ m_{k-s}; column b (0-based) is m_{b+1} / 2^{b+1}.
std::vector<std::uint64_t> sobol_columns_from_direction_numbers(const JoeKuoRow& row, int columns) {
  std::vector<std::uint64_t> m = row.m;
  for (int k = row.s; k < columns; ++k) {
    std::uint64_t next = m[k - row.s] ^ (m[k - row.s] << row.s);
    for (int i = 1; i < row.s; ++i)
      if ((row.a >> (row.s - 1 - i)) & 1) next ^= m[k - i] << i;
    m.push_back(next);
  }
  std::vector<std::uint64_t> words(columns);
  for (int b = 0; b < columns; ++b) words[b] = m[b] << (63 - b);
  return words;
}

TEST(GeneratingMatrices, SobolMatchesPublishedJoeKuoDirectionNumbers) {
  const int columns = 32;
  const auto sobol = GeneratingMatrices::sobol(10, columns);
  for (int b = 0; b < columns; ++b) EXPECT_EQ(sobol.column(0, b), std::uint64_t{1} << (63 - b));
  for (std::size_t j = 1; j < 10; ++j) {
    const auto expected = sobol_columns_from_direction_numbers(joe_kuo_rows[j - 1], columns);
    for (int b = 0; b < columns; ++b) EXPECT_EQ(sobol.column(j, b), expected[b]) << "dimension " << j << " column " << b;
  }
}

TEST(GeneratingMatrices, SobolBeyondBoostsTableMatchesPublishedLines) {
  const int columns = 63;
  const auto sobol = GeneratingMatrices::sobol(21201, columns);
  for (const auto& [j, row] : {std::pair{3667u, joe_kuo_3668}, std::pair{21200u, joe_kuo_21201}}) {
    const auto expected = sobol_columns_from_direction_numbers(row, columns);
    for (int b = 0; b < columns; ++b) EXPECT_EQ(sobol.column(j, b), expected[b]) << "dimension " << j + 1 << " column " << b;
  }
}

TEST(GeneratingMatrices, SobolEqualsBoostInBoostsDimensions) {
  // Boost.Random tables the same direction numbers for 3667 dimensions: every column of every
  // matrix, to the 63 columns a net can have, is bit for bit the one qmcsim had from Boost.
  const auto sobol = GeneratingMatrices::sobol(3667, 63);
  EXPECT_EQ(sobol.words(), test::boost_sobol_columns(3667, 63));
  EXPECT_EQ(GeneratingMatrices::sobol(5, 1).words(), test::boost_sobol_columns(5, 1));
}

TEST(GeneratingMatrices, RejectsDimensionsBeyondTheTables) {
  EXPECT_NO_THROW(GeneratingMatrices::sobol(21201, 1));
  try {
    GeneratingMatrices::sobol(21202);
    FAIL() << "no error";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("21201"), std::string::npos) << e.what();
  }
  EXPECT_THROW(GeneratingMatrices::niederreiter(4721), error);
  EXPECT_THROW(GeneratingMatrices::sobol(0), error);
  EXPECT_THROW(GeneratingMatrices::sobol(2, 64), error);
}

TEST(GeneratingMatrices, ReadsLDDataDnetFiles) {
  const auto sobol = GeneratingMatrices::sobol(3, 10);
  const std::string path = testing::TempDir() + "sobol3.dnet.txt";
  {
    std::ofstream out(path);
    out << "# dnet\n# the first three Sobol' matrices\n2   # base\n3   # s\n10  # k\n10  # r\n";
    for (std::size_t j = 0; j < 3; ++j) {
      for (int b = 0; b < 10; ++b) out << (sobol.column(j, b) >> 54) << ' ';
      out << '\n';
    }
  }
  const auto read = GeneratingMatrices::read(path);
  EXPECT_EQ(read.dimension(), 3u);
  EXPECT_EQ(read.columns(), 10);
  EXPECT_EQ(read.rows(), 10);
  EXPECT_EQ(read.words(), sobol.words());
}

// The layouts LDData publishes, written from qmcsim's Sobol' matrices with k = 10 columns, r = 32 rows.
std::string sobol_file(const std::string& name, const std::string& header, bool row0_least_significant) {
  const auto sobol = GeneratingMatrices::sobol(4, 10);
  const std::string path = testing::TempDir() + name;
  std::ofstream out(path);
  out << header;
  for (std::size_t j = 0; j < 4; ++j) {
    for (int b = 0; b < 10; ++b) {
      const std::uint64_t column = sobol.column(j, b);
      out << (row0_least_significant ? bits::bit_reverse(column) : column >> 32) << (b < 9 ? " " : "\n");
    }
  }
  return path;
}

TEST(GeneratingMatrices, ReadsLDDataPublishedDnetLayout) {
  // LDData's dnet/ files give n = 2^k ("supports 2^32 points") as the third header value.
  const auto read = GeneratingMatrices::read(sobol_file(
      "published.txt",
      "# dnet\n# From the Magic Point Shop\n2 # base\n4 # dimensions \n1024 # supports 2^10 points\n"
      "32 # maximum bits in an integer \n# The columns of gen. matrices C_1, ..., C_s, one matrix per line:\n",
      false));
  EXPECT_EQ(read.dimension(), 4u);
  EXPECT_EQ(read.columns(), 10);
  EXPECT_EQ(read.rows(), 32);
  EXPECT_EQ(read.words(), GeneratingMatrices::sobol(4, 10).words());
  // 2^k that disagrees with the k integers per line
  EXPECT_THROW(GeneratingMatrices::read(sobol_file("wrong_n.txt", "# dnet\n2\n4\n2048\n32\n", false)), error);
}

TEST(GeneratingMatrices, ReadsDnetupWithRowZeroLeastSignificant) {
  // dnetup: "1 2 4 8" is the 4 x 4 identity (formats.md of LDData)
  const std::string identity = testing::TempDir() + "identity.dnetup.txt";
  std::ofstream(identity) << "# dnetup\n2\n1\n16\n4\n1 2 4 8\n";
  const auto read_identity = GeneratingMatrices::read(identity);
  for (int b = 0; b < 4; ++b) EXPECT_EQ(read_identity.column(0, b), std::uint64_t{1} << (63 - b));
  const auto read = GeneratingMatrices::read(sobol_file("sobol.dnetup.txt", "# dnetup\n2\n4\n1024\n64\n", true));
  EXPECT_EQ(read.words(), GeneratingMatrices::sobol(4, 10).words());
  EXPECT_THROW(GeneratingMatrices::read(write_file("deep.dnetup.txt", "# dnetup\n2\n1\n2\n3\n1 8\n")), error);
}

TEST(GeneratingMatrices, ReadsJoeKuoDirectionNumbers) {
  // The first lines of new-joe-kuo-6.21201, in Joe and Kuo's own layout and in LDData's "soboljk"
  const std::string rows = "2 1 0 1\n3 2 1 1 3\n4 3 1 1 3 1\n5 3 2 1 1 1\n6 4 1 1 1 3 3\n";
  for (const std::string& header : {std::string("d       s       a       m_i\n"), std::string("# soboljk\n# comment\n")}) {
    const auto read = GeneratingMatrices::read(write_file("jk.txt", header + rows), 40);
    EXPECT_EQ(read.dimension(), 6u);
    EXPECT_EQ(read.columns(), 40);
    EXPECT_EQ(read.words(), GeneratingMatrices::sobol(6, 40).words());
  }
  EXPECT_THROW(GeneratingMatrices::read(write_file("jk_even.txt", "# soboljk\n2 1 0 2\n")), error);     // m even
  EXPECT_THROW(GeneratingMatrices::read(write_file("jk_big.txt", "# soboljk\n2 2 1 1 5\n")), error);    // m_2 >= 4
  EXPECT_THROW(GeneratingMatrices::read(write_file("jk_a.txt", "# soboljk\n2 2 2 1 3\n")), error);      // a >= 2^(s-1)
  EXPECT_THROW(GeneratingMatrices::read(write_file("jk_count.txt", "# soboljk\n2 2 1 1\n")), error);    // m_2 missing
  EXPECT_THROW(GeneratingMatrices::read(write_file("jk_order.txt", "# soboljk\n3 1 0 1\n")), error);    // j = 3 first
  EXPECT_THROW(GeneratingMatrices::read(write_file("jk_cols.txt", "# soboljk\n2 1 0 1\n"), 64), error);  // 64 columns
}

TEST(GeneratingMatrices, RejectsMalformedFiles) {
  const auto write = write_file;
  EXPECT_THROW(GeneratingMatrices::read(testing::TempDir() + "no-such-file.txt"), error);
  EXPECT_THROW(GeneratingMatrices::read(write("b3.txt", "# dnet\n3\n1\n2\n2\n1 2\n")), error);         // base 3
  EXPECT_THROW(GeneratingMatrices::read(write("short.txt", "# dnet\n2\n2\n2\n2\n2 1\n")), error);      // one line missing
  EXPECT_THROW(GeneratingMatrices::read(write("wide.txt", "# dnet\n2\n1\n2\n2\n2 4\n")), error);       // 4 needs 3 rows
  EXPECT_THROW(GeneratingMatrices::read(write("text.txt", "# dnet\n2\n1\n2\n2\n2 x\n")), error);       // not a number
  EXPECT_THROW(GeneratingMatrices::read(write("lattice.txt", "# lattice\n2\n1\n2\n2\n2 1\n")), error);  // other format
  try {
    GeneratingMatrices::read(write("count.txt", "# dnet\n2\n1\n3\n3\n4 2\n"));
    FAIL() << "no error";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("count.txt:6"), std::string::npos) << e.what();
  }
}

// ---- unrandomized points ------------------------------------------------------------------------

TEST(DigitalNet, GeneratesOnACallersInstance) {
  // both kernels, every randomization that changes the tables, and higher order
  for (KernelStrategy kernel : {KernelStrategy::recurrence, KernelStrategy::direct})
    for (Randomization how : {Randomization::none, Randomization::lms_digital_shift, Randomization::nus}) {
      auto options = net_options(6, how, 3);
      options.kernel = kernel;
      EXPECT_TRUE(test::generates_on_caller_instance(DigitalNet<>(GeneratingMatrices::sobol(6), options), {300, 5000}));
    }
  EXPECT_TRUE(test::generates_on_caller_instance(
      DigitalNet<>(GeneratingMatrices::sobol(8), net_options(4, Randomization::lms_digital_shift, 2, 7, 2)), {0, 1024}));
}

TEST(DigitalNet, SobolFirstPointsMatchPublishedValues) {
  // scipy.stats.qmc.Sobol(d=2, scramble=False).random(8): Joe-Kuo directions, Gray-code order.
  const double expected[8][2] = {{0, 0},         {0.5, 0.5},     {0.75, 0.25},   {0.25, 0.75},
                                 {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}};
  auto options = net_options(2, Randomization::none);
  options.order = PointOrder::gray;
  DigitalNet<Host> net(GeneratingMatrices::sobol(2), options);
  const auto points = test::to_host(net.generate({0, 8}));
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 2; ++j) EXPECT_EQ(points(0, i, j), expected[i][j]) << i << "," << j;
  // natural order swaps points 2 and 3 (QMCPy's documented example)
  options.order = PointOrder::natural;
  const auto natural = test::to_host(DigitalNet<Host>(GeneratingMatrices::sobol(2), options).generate({2, 4}));
  EXPECT_EQ(natural(0, 0, 0), 0.25);
  EXPECT_EQ(natural(0, 0, 1), 0.75);
  EXPECT_EQ(natural(0, 1, 0), 0.75);
  EXPECT_EQ(natural(0, 1, 1), 0.25);
}

// Boost's engines run in Gray-code order starting from index 1 (they skip the origin).
void expect_gray_order_matches_boost(const GeneratingMatrices& matrices, std::size_t count,
                                     const std::vector<std::uint64_t>& boost_words) {
  auto options = net_options(matrices.dimension(), Randomization::none);
  options.order = PointOrder::gray;
  const auto ours = words(matrices, options, {1, count + 1});
  const std::size_t d = matrices.dimension();
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t j = 0; j < d; ++j)
      ASSERT_EQ(ours(0, i, j), boost_words[i * d + j]) << matrices.name() << " point " << i + 1 << " coordinate " << j;
}

TEST(DigitalNet, SobolMatchesBoostInAllDimensions) {
  expect_gray_order_matches_boost(GeneratingMatrices::sobol(3667), 40, test::boost_sobol_words(3667, 40));
  expect_gray_order_matches_boost(GeneratingMatrices::sobol(16), 5000, test::boost_sobol_words(16, 5000));
}

TEST(DigitalNet, NiederreiterMatchesBoost) {
  expect_gray_order_matches_boost(GeneratingMatrices::niederreiter(4720), 20, test::boost_niederreiter_words(4720, 20));
  expect_gray_order_matches_boost(GeneratingMatrices::niederreiter(12), 5000, test::boost_niederreiter_words(12, 5000));
}

TEST(DigitalNet, HigherOrderInterlacesBaseCoordinates) {
  // QMCPy's documented order-2 Sobol' net: DigitalNetB2(3, randomize=False, alpha=2)(4).
  const double expected[4][3] = {{0, 0, 0}, {0.75, 0.75, 0.75}, {0.4375, 0.9375, 0.1875}, {0.6875, 0.1875, 0.9375}};
  DigitalNet<Host> net(GeneratingMatrices::sobol(6), net_options(3, Randomization::none, 1, 0, 2));
  const auto points = test::to_host(net.generate({0, 4}));
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_DOUBLE_EQ(points(0, i, j), expected[i][j]) << i << "," << j;
}

// ---- properties of every randomization ------------------------------------------------------

// t-values of the Sobol' sequence in its first s coordinates: t = sum over the polynomials of
// (degree - 1) for the coordinates 2..s (degrees 1, 2, 3, 3: t = 0, 1, 3, 5).
TEST(DigitalNet, EveryBlockIsATmsNetUnderEveryRandomization) {
  const int t_of_s[] = {0, 0, 0, 1, 3, 5};
  for (Randomization how : all_randomizations) {
    for (PointOrder order : {PointOrder::natural, PointOrder::gray}) {
      auto options = net_options(5, how, 2, 11);
      options.order = order;
      const auto points = words(GeneratingMatrices::sobol(5), options, {0, 4096});
      for (int m : {6, 9, 10})
        for (std::uint64_t block : {0, 1, 3}) {
          if ((block + 1) << m > 4096) continue;
          for (std::size_t r = 0; r < 2; ++r)
            for (int s = 2; s <= 5; ++s) {
              std::vector<std::vector<std::uint64_t>> net;
              for (std::uint64_t i = block << m; i < (block + 1) << m; ++i) {
                std::vector<std::uint64_t> point(s);
                for (int j = 0; j < s; ++j) point[j] = points(r, i, j);
                net.push_back(point);
              }
              EXPECT_TRUE(test::is_tms_net(net, t_of_s[s], m, s))
                  << to_string(how) << " " << to_string(order) << " m=" << m << " block=" << block << " s=" << s;
            }
        }
    }
  }
}

TEST(DigitalNet, RangesAreSlicesOfTheSameSequence) {
  for (Randomization how : all_randomizations)
    for (int alpha : {1, 3, 5}) {
      const auto options = net_options(4, how, 3, 5, alpha);
      const auto full = words(GeneratingMatrices::sobol(20), options, {0, 1024});
      const auto part = words(GeneratingMatrices::sobol(20), options, {300, 701});
      for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t i = 0; i < 401; ++i)
          for (std::size_t j = 0; j < 4; ++j)
            ASSERT_EQ(part(r, i, j), full(r, i + 300, j)) << to_string(how) << " alpha " << alpha;
    }
}

TEST(DigitalNet, NestedScramblingPreservesCommonDigitPrefixes) {
  // NUS is a bijection acting on the tree of digit prefixes: two points sharing exactly p leading
  // digits still share exactly p leading digits after scrambling.
  const auto plain = words(GeneratingMatrices::sobol(3), net_options(3, Randomization::none), {0, 256});
  const auto nus = words(GeneratingMatrices::sobol(3), net_options(3, Randomization::nus, 2), {0, 256});
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t a = 0; a < 256; ++a)
      for (std::size_t b = a + 1; b < 256; ++b)
        for (std::size_t j = 0; j < 3; ++j) {
          const int before = bits::count_leading_zeros(plain(0, a, j) ^ plain(0, b, j));
          const int after = bits::count_leading_zeros(nus(r, a, j) ^ nus(r, b, j));
          ASSERT_EQ(after, before) << a << " " << b << " " << j;
        }
}

// Every randomized point is uniform on [0, 1): one point's coordinate across replications passes
// a Kolmogorov-Smirnov test at level 1e-6.
TEST(DigitalNet, RandomizedPointsAreUniform) {
  const std::size_t R = 4000;
  for (Randomization how : {Randomization::digital_shift, Randomization::lms_digital_shift, Randomization::nus})
    for (int alpha : {1, 2}) {
      DigitalNet<Host> net(GeneratingMatrices::sobol(4), net_options(2, how, R, 3, alpha));
      const auto points = test::to_host(net.generate({0, 8}));
      for (std::size_t i : {0, 5})
        for (std::size_t j = 0; j < 2; ++j) {
          std::vector<double> values(R);
          for (std::size_t r = 0; r < R; ++r) values[r] = points(r, i, j);
          EXPECT_LT(test::ks_distance_to_uniform(values), test::ks_critical_distance(R, 1e-6))
              << to_string(how) << " alpha " << alpha << " point " << i << " coordinate " << j;
        }
    }
}

double product_of_sines(const Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace>& x, std::size_t r,
                        std::size_t i) {
  double f = 1;
  for (std::size_t j = 0; j < x.extent(2); ++j) f *= M_PI / 2 * std::sin(M_PI * x(r, i, j));
  return f;
}

// Mean of R independent estimates of a known integral (= 1) within 6 standard errors: a correct
// randomization fails with probability about 2e-9. (LMS alone is not one: it keeps the origin.)
TEST(DigitalNet, EveryRandomizationIsUnbiased) {
  const std::size_t R = 2000, n = 32, d = 3;
  for (Randomization how : {Randomization::digital_shift, Randomization::lms_digital_shift, Randomization::nus})
    for (int alpha : {1, 2}) {
      DigitalNet<Host> net(GeneratingMatrices::sobol(d * alpha), net_options(d, how, R, 17, alpha));
      const auto points = test::to_host(net.generate({0, n}));
      std::vector<double> estimates(R);
      for (std::size_t r = 0; r < R; ++r) {
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i) sum += product_of_sines(points, r, i);
        estimates[r] = sum / n;
      }
      const auto stats = test::sample_stats(estimates);
      EXPECT_LT(std::abs(stats.mean - 1.0), 6 * stats.standard_error() + 1e-15)
          << to_string(how) << " alpha " << alpha << " mean " << stats.mean;
    }
}

// RQMC variance for a smooth integrand decays like n^-3 (log n)^(s-1) under NUS and LMS + DS
// (Owen 1997), and like n^-(2 alpha + 1) for order-alpha nets in one dimension (Dick 2011).
double fitted_variance_order(Randomization how, std::size_t d, int alpha, int m_lo, int m_hi) {
  const std::size_t R = 128;
  DigitalNet<Host> net(GeneratingMatrices::sobol(d * alpha), net_options(d, how, R, 23, alpha));
  const auto points = test::to_host(net.generate({0, std::uint64_t{1} << m_hi}));
  std::vector<double> log_n, log_variance;
  for (int m = m_lo; m <= m_hi; ++m) {
    const std::size_t n = std::size_t{1} << m;
    std::vector<double> estimates(R);
    for (std::size_t r = 0; r < R; ++r) {
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) {
        double f = 1;
        for (std::size_t j = 0; j < d; ++j) f *= std::exp(points(r, i, j));
        sum += f;
      }
      estimates[r] = sum / n;
    }
    log_n.push_back(m);
    log_variance.push_back(std::log2(test::sample_stats(estimates).variance));
  }
  return test::fitted_slope(log_n, log_variance);
}

TEST(DigitalNet, ScrambledNetVarianceDecaysAtTheTheoreticalRate) {
  EXPECT_NEAR(fitted_variance_order(Randomization::nus, 1, 1, 4, 14), -3.0, 0.25);
  EXPECT_NEAR(fitted_variance_order(Randomization::nus, 2, 1, 6, 14), -3.0, 0.35);
  EXPECT_NEAR(fitted_variance_order(Randomization::lms_digital_shift, 2, 1, 6, 14), -3.0, 0.35);
  // In one dimension the within-stratum offsets of LMS + DS are balanced, not independent as
  // under NUS, and the variance falls at least as fast.
  EXPECT_LT(fitted_variance_order(Randomization::lms_digital_shift, 1, 1, 4, 14), -2.75);
  EXPECT_NEAR(fitted_variance_order(Randomization::nus, 1, 2, 3, 11), -5.0, 0.5) << "order-2 NUS";
}

TEST(DigitalNet, LinearScramblingAloneKeepsTheOrigin) {
  const auto points = words(GeneratingMatrices::sobol(4), net_options(4, Randomization::lms, 5), {0, 2});
  for (std::size_t r = 0; r < 5; ++r)
    for (std::size_t j = 0; j < 4; ++j) {
      EXPECT_EQ(points(r, 0, j), 0u);
      EXPECT_EQ(points(r, 1, j) >> 63, 1u);  // L has a unit diagonal: the first digit is kept
    }
}

TEST(DigitalNet, PerReplicationMatricesActLikeOnePlanPerSet) {
  // replication r of a plan with sets C_0 .. C_{R-1} is replication r of the plan with C_r alone, under
  // every randomization, interlacing factor, order and kernel
  const std::vector<GeneratingMatrices> sets = {GeneratingMatrices::sobol(12), GeneratingMatrices::niederreiter(12),
                                                GeneratingMatrices::sobol(12)};
  for (Randomization how : all_randomizations)
    for (int alpha : {1, 2})
      for (PointOrder order : {PointOrder::natural, PointOrder::gray})
        for (KernelStrategy kernel : {KernelStrategy::recurrence, KernelStrategy::direct}) {
          auto options = net_options(6, how, 3, 41, alpha);
          options.order = order;
          options.kernel = kernel;
          DigitalNet<Host> net(sets, options);
          WordsView got("got", 3, 700, 6);
          net.generate({300, 1000}, got);
          for (std::size_t r = 0; r < 3; ++r) {
            const auto alone = words(sets[r], options, {300, 1000});
            for (std::size_t i = 0; i < 700; ++i)
              for (std::size_t j = 0; j < 6; ++j)
                ASSERT_EQ(got(r, i, j), alone(r, i, j)) << to_string(how) << " alpha " << alpha << " r " << r;
          }
        }
}

// ---- back ends, kernels, errors -------------------------------------------------------------

template <class ExecSpace>
void expect_same_points_as_host(KernelStrategy kernel) {
  for (Randomization how : all_randomizations)
    for (int alpha : {1, 2}) {
      for (PointOrder order : {PointOrder::natural, PointOrder::gray}) {
        auto options = net_options(70, how, 3, 99, alpha);
        options.order = order;
        auto reference_options = options;
        reference_options.kernel = KernelStrategy::direct;
        options.kernel = kernel;
        const auto matrices = GeneratingMatrices::sobol(140);
        const auto expected = words<Host>(matrices, reference_options, {1000, 1777});
        const auto got = words<ExecSpace>(matrices, options, {1000, 1777});
        for (std::size_t k = 0; k < expected.size(); ++k)
          ASSERT_EQ(got.data()[k], expected.data()[k]) << to_string(how) << " alpha " << alpha << " " << to_string(order);
      }
    }
}

TEST(DigitalNet, RecurrenceAndDirectKernelsAgreeBitwise) {
  expect_same_points_as_host<Host>(KernelStrategy::recurrence);
}

#if defined(KOKKOS_ENABLE_SERIAL) && defined(KOKKOS_ENABLE_OPENMP)
TEST(DigitalNet, SerialAndOpenMPAgreeBitwise) {
  expect_same_points_as_host<Kokkos::Serial>(KernelStrategy::automatic);
  expect_same_points_as_host<Kokkos::OpenMP>(KernelStrategy::automatic);
}
#endif

TEST(DigitalNet, FloatOutputIsTheLeading24Digits) {
  DigitalNet<Host> net(GeneratingMatrices::sobol(3), net_options(3, Randomization::nus, 2));
  Kokkos::View<float***, Kokkos::LayoutRight, Kokkos::HostSpace> single("single", 2, 100, 3);
  net.generate({0, 100}, single);
  const auto exact = words(GeneratingMatrices::sobol(3), net_options(3, Randomization::nus, 2), {0, 100});
  for (std::size_t k = 0; k < single.size(); ++k)
    EXPECT_EQ(single.data()[k], static_cast<float>(exact.data()[k] >> 40) * 0x1p-24f);
}

TEST(DigitalNet, SaysHowManyPointsOneCallCanWrite) {
  DigitalNet<Host> net(GeneratingMatrices::sobol(1, 40), net_options(1, Randomization::none));
  if (max_points_per_call == std::numeric_limits<std::uint64_t>::max()) GTEST_SKIP() << "Kokkos 4: 64-bit extents";
  try {
    net.generate({0, max_points_per_call + 1});  // checked before anything is allocated
    FAIL() << "no error";
  } catch (const error& e) {
    EXPECT_NE(std::string(e.what()).find("at most 4294967295"), std::string::npos) << e.what();
  }
  // the last allowed range reaches the checks of the output view, not a truncated extent
  Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace> small("small", 1, 1, 1);
  EXPECT_THROW(net.generate({0, max_points_per_call}, small), error);
  EXPECT_NO_THROW(net.generate({max_points_per_call - 1, max_points_per_call}, small));
}

TEST(DigitalNet, RejectsBadInput) {
  const auto sobol = GeneratingMatrices::sobol(8);
  EXPECT_THROW(DigitalNet<Host>(sobol, net_options(9, Randomization::nus)), error);
  EXPECT_THROW(DigitalNet<Host>(sobol, net_options(5, Randomization::nus, 1, 0, 2)), error);
  EXPECT_THROW(DigitalNet<Host>(sobol, net_options(1, Randomization::nus, 1, 0, 6)), error);
  EXPECT_THROW(DigitalNet<Host>(sobol, net_options(2, Randomization::nus, 0)), error);
  EXPECT_THROW(DigitalNet<Host>(sobol, net_options(2, Randomization::shift)), error);
  EXPECT_THROW(DigitalNet<Host>(sobol, net_options(2, Randomization::permutation)), error);
  EXPECT_THROW(DigitalNet<Host>(sobol, net_options(2, Randomization::lms_permutation)), error);
  EXPECT_THROW(DigitalNet<Host>(sobol, net_options(0, Randomization::nus)), error);
  auto linear = net_options(2, Randomization::nus);
  linear.order = PointOrder::linear;
  EXPECT_THROW(DigitalNet<Host>(sobol, linear), error);

  DigitalNet<Host> net(GeneratingMatrices::sobol(2, 10), net_options(2, Randomization::lms_digital_shift));
  EXPECT_THROW(net.generate({0, 1025}), error);
  EXPECT_THROW(net.generate({5, 4}), error);
  PointsView<double, Kokkos::HostSpace> wrong("wrong", 1, 10, 3);
  EXPECT_THROW(net.generate({0, 10}, wrong), error);
  EXPECT_NO_THROW(net.generate({1000, 1024}));
  // per-replication matrices: one set or R of them, all with the same number of columns
  const std::vector<GeneratingMatrices> two = {sobol, GeneratingMatrices::niederreiter(8)};
  EXPECT_THROW(DigitalNet<Host>(two, net_options(2, Randomization::nus, 3)), error);
  EXPECT_THROW(DigitalNet<Host>(std::vector<GeneratingMatrices>{}, net_options(2, Randomization::nus, 1)), error);
  EXPECT_THROW(DigitalNet<Host>(std::vector<GeneratingMatrices>{sobol, GeneratingMatrices::sobol(8, 20)},
                                net_options(2, Randomization::nus, 2)),
               error);
  EXPECT_THROW(DigitalNet<Host>(std::vector<GeneratingMatrices>{sobol, GeneratingMatrices::sobol(3)},
                                net_options(4, Randomization::nus, 2)),
               error);
}

}  // namespace
}  // namespace qmcsim
