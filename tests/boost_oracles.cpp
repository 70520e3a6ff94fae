// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "boost_oracles.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/random/niederreiter_base2.hpp>
#include <boost/random/sobol.hpp>

namespace qmcsim::test {
namespace {

template <class Engine>
std::vector<std::uint64_t> first_words(std::size_t dimension, std::size_t count) {
  Engine engine(dimension);
  std::vector<std::uint64_t> words(dimension * count);
  for (auto& word : words) word = engine();
  return words;
}

}  // namespace

std::vector<std::uint64_t> boost_sobol_words(std::size_t dimension, std::size_t count) {
  return first_words<boost::random::sobol>(dimension, count);
}

std::vector<std::uint64_t> boost_niederreiter_words(std::size_t dimension, std::size_t count) {
  return first_words<boost::random::niederreiter_base2>(dimension, count);
}

std::vector<std::uint64_t> boost_sobol_columns(std::size_t dimension, int columns) {
  boost::random::sobol engine(dimension);
  std::vector<std::uint64_t> words(dimension * columns);
  for (int b = 0; b < columns; ++b) {
    engine.seed((std::uint64_t{1} << (b + 1)) - 2);
    for (std::size_t j = 0; j < dimension; ++j) words[j * columns + b] = engine();
  }
  return words;
}

double boost_normal_quantile(double p) { return boost::math::quantile(boost::math::normal(), p); }

}  // namespace qmcsim::test
