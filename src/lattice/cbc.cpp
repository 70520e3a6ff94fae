// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/lattice/cbc.hpp"

#include <cmath>
#include <limits>
#include <memory>

#include "qmcsim/core/bits.hpp"
#include "qmcsim/core/error.hpp"
#include "qmcsim/transforms/fftbr.hpp"

namespace qmcsim {
namespace {

using Host = Kokkos::DefaultHostExecutionSpace;
using Policy = Kokkos::RangePolicy<Host, Kokkos::IndexType<std::int64_t>>;
using Rows = ComplexRows<Kokkos::HostSpace>;

double omega(double x) { return 2 * M_PI * M_PI * (x * x - x + 1.0 / 6.0); }

std::uint64_t power_of_five(std::uint64_t exponent, std::uint64_t modulus) {
  std::uint64_t result = 1 % modulus, base = 5 % modulus;
  for (; exponent != 0; exponent >>= 1, base = base * base % modulus)
    if (exponent & 1) result = result * base % modulus;
  return result;
}

std::size_t reversed(std::size_t j, std::size_t length) {
  const int bits_count = bits::floor_log2(length);
  return bits_count == 0 ? 0 : bits::bit_reverse(j) >> (64 - bits_count);
}

// The indices k = 2^level u, u odd below M = 2^(m - level): u runs over the unit group mod M, which
// is {+-5^a : a < L} with L = M / 4 (M >= 8), {1, 3} (M = 4) or {1} (M = 2). Both signs give the
// same omega, so the level reduces to a cyclic correlation of length L over the exponent a.
struct Level {
  int level;
  std::uint64_t modulus;
  std::size_t length;
  bool both_signs;
  std::vector<std::uint64_t> orbit;  // 5^a mod M
  FftbrPlan<Host> plan;
  Rows kernel_hat;  // FFTBR of omega(5^a / M), stored bit-reversed: the plain FFT of the kernel
  Rows work;
  std::vector<double> correlation;  // T[b] = sum_a omega(5^(a+b) / M) p[a]
  double total = 0;                 // sum of P over the level

  Level(int m, int level_)
      : level(level_),
        modulus(std::uint64_t{1} << (m - level_)),
        length(modulus >= 8 ? modulus / 4 : 1),
        both_signs(modulus >= 4),
        plan(length, 1, PlanningEffort::estimate),
        kernel_hat("qmcsim::cbc::kernel_hat", 1, length),
        work("qmcsim::cbc::work", 1, length),
        correlation(length) {
    for (std::size_t a = 0; a < length; ++a) orbit.push_back(power_of_five(a, modulus));
    for (std::size_t a = 0; a < length; ++a)
      kernel_hat(0, reversed(a, length)) = omega(static_cast<double>(orbit[a]) / static_cast<double>(modulus));
    plan.fftbr(kernel_hat);
  }

  // T = F^-1(F(kernel) conj(F(p))): with orthonormal transforms, IFFTBR returns T / sqrt(L), reversed.
  void correlate(const std::vector<double>& product) {
    const std::uint64_t stride = std::uint64_t{1} << level;
    const Policy all(0, static_cast<std::int64_t>(length));
    Kokkos::parallel_for("qmcsim::cbc::gather", all, [&](std::int64_t a) {
      double p = product[stride * orbit[a]];
      if (both_signs) p += product[stride * (modulus - orbit[a])];
      work(0, reversed(a, length)) = p;
    });
    Host().fence();
    total = 0;
    for (std::size_t a = 0; a < length; ++a) total += work(0, a).real();
    plan.fftbr(work);
    Kokkos::parallel_for("qmcsim::cbc::multiply", all, [&](std::int64_t k) { work(0, k) = kernel_hat(0, k) * Kokkos::conj(work(0, k)); });
    Host().fence();
    plan.ifftbr(work);
    const double scale = std::sqrt(static_cast<double>(length));
    Kokkos::parallel_for("qmcsim::cbc::scatter", all, [&](std::int64_t b) {
      correlation[b] = scale * work(0, reversed(b, length)).real();
    });
    Host().fence();
  }
};

// The largest factor 1 + gamma omega(x) can take: |omega| <= omega(0) = pi^2 / 3.
double factor_bound(double gamma) { return 1 + gamma * omega(0); }

// The candidate CBC picks: the smallest worst ratio (the score), ties broken by the smallest mean
// ratio over the sizes (the rule is then best on average as well as in the worst case), remaining ties
// by the smallest generating-vector component min(z, n - z). Scores within `noise` (rounding) count as
// equal. Exact ties are common: z and its inverse modulo n give the same two-dimensional rule up to a
// swap of coordinates, and an embedded rule's worst ratio is often set by a small size on which several
// candidates agree. Resolving them by the last bits of an FFT made the vector depend on the FFT plan.
std::uint64_t pick_candidate(const std::vector<double>& score, const std::vector<double>& mean, double noise,
                             std::uint64_t n) {
  const auto tied = [noise](const std::vector<double>& value, double best) {
    return [&value, limit = best + noise + 1e-12 * std::abs(best)](std::uint64_t B) { return value[B] <= limit; };
  };
  std::uint64_t best = 0;
  for (std::uint64_t B = 1; B < score.size(); ++B)
    if (score[B] < score[best]) best = B;
  const auto among_best = tied(score, score[best]);
  for (std::uint64_t B = 0; B < score.size(); ++B)
    if (among_best(B) && mean[B] < mean[best]) best = B;
  const auto among_best_mean = tied(mean, mean[best]);
  const auto component = [n](std::uint64_t B) {
    const std::uint64_t z = power_of_five(B, n);
    return std::min(z, n - z);
  };
  std::uint64_t chosen = best;
  for (std::uint64_t B = 0; B < score.size(); ++B)
    if (among_best(B) && among_best_mean(B) && component(B) < component(chosen)) chosen = B;
  return chosen;
}

// One CBC run for 2^m points, scoring the sizes 2^k, m_lo <= k <= m. Without `reference` the score is
// e_{2^m}^2 (then m_lo == m); with it, max_k e_{2^k}^2 / reference[k - m_lo][s].
//
// The running products P_k = prod_{j < s} (1 + gamma_j omega(k z_j / n)) are kept divided by their
// bound C_s = prod_{j < s} (1 + gamma_j pi^2 / 3), so they stay in [-1, 1] for any weights and
// dimension; e^2 = -1 + C_s (mean of the scaled products), with C_s below 1e300 (checked by fast_cbc).
CbcResult cbc_run(int m, int m_lo, const std::vector<double>& weights,
                  const std::vector<std::vector<double>>* reference) {
  const std::uint64_t n = std::uint64_t{1} << m;
  const std::size_t sizes = static_cast<std::size_t>(m - m_lo + 1);
  std::vector<Level> levels;
  levels.reserve(m);
  for (int level = 0; level < m; ++level) levels.emplace_back(m, level);
  const std::uint64_t candidates = levels[0].length;  // z = 5^B mod n, B < n/4 (up to sign)

  CbcResult result;
  result.squared_error.assign(sizes, {});
  std::vector<double> product(n, 1.0), score(candidates), mean_score(candidates);
  double bound = 1;  // C_s
  for (std::size_t s = 0; s < weights.size(); ++s) {
    const double gamma = weights[s];
    for (Level& level : levels) level.correlate(product);
    // sum of P over the 2^k-point sub-lattice: k = 0 and the levels >= m - k
    std::vector<double> sublattice_sum(sizes);
    double running = product[0];
    for (int k = 1; k <= m; ++k) {
      running += levels[m - k].total;
      if (k >= m_lo) sublattice_sum[k - m_lo] = running;
    }

    const double at_zero = omega(0) * product[0];
    const auto squared_errors = [&](std::uint64_t B, double* out) {
      double sum = at_zero;
      for (int level = m - 1; level >= 0; --level) {
        const Level& L = levels[level];
        sum += L.correlation[B % L.length];
        const int k = m - level;
        if (k >= m_lo)
          out[k - m_lo] = -1 + bound * ((sublattice_sum[k - m_lo] + gamma * sum) / static_cast<double>(std::uint64_t{1} << k));
      }
    };
    Kokkos::parallel_for(
        "qmcsim::cbc::score", Policy(0, static_cast<std::int64_t>(candidates)), [&](std::int64_t B) {
          double errors[64];
          squared_errors(static_cast<std::uint64_t>(B), errors);
          double worst = -INFINITY, total = 0;
          for (std::size_t k = 0; k < sizes; ++k) {
            const double ratio = reference ? errors[k] / (*reference)[k][s] : errors[k];
            worst = std::max(worst, ratio);
            total += ratio;
          }
          score[B] = worst;
          mean_score[B] = total / static_cast<double>(sizes);
        });
    Host().fence();
    // Rounding in the FFTs is a few units of 2^-52 in each of the m level sums of magnitude <= C_{s+1}.
    double noise = 64 * m * std::numeric_limits<double>::epsilon() * bound * factor_bound(gamma);
    if (reference) {
      double smallest = INFINITY;
      for (std::size_t k = 0; k < sizes; ++k) smallest = std::min(smallest, (*reference)[k][s]);
      noise /= smallest;
    }
    const std::uint64_t best = pick_candidate(score, mean_score, noise, n);

    const std::uint64_t z = power_of_five(best, n);
    result.generating_vector.push_back(std::min(z, n - z));  // z and -z give the same rules
    double errors[64];
    squared_errors(best, errors);
    for (std::size_t k = 0; k < sizes; ++k) result.squared_error[k].push_back(errors[k]);

    const std::uint64_t chosen = result.generating_vector.back();
    const double scale = 1 / factor_bound(gamma);
    Kokkos::parallel_for(
        "qmcsim::cbc::update", Policy(0, static_cast<std::int64_t>(n)), [&](std::int64_t k) {
          const std::uint64_t residue = (static_cast<std::uint64_t>(k) * chosen) & (n - 1);
          product[k] *= (1 + gamma * omega(static_cast<double>(residue) / static_cast<double>(n))) * scale;
        });
    bound *= factor_bound(gamma);
    Host().fence();
  }
  return result;
}

// Also bounds prod_j (1 + gamma_j pi^2 / 3), the largest value of the kernel sum and so of e^2 + 1:
// beyond 1e300 the criterion is not representable in double.
void check_weights(const char* where, const std::vector<double>& weights) {
  detail::require(!weights.empty(), where, ": at least one weight (dimension >= 1) is needed");
  double log10_bound = 0;
  for (std::size_t j = 0; j < weights.size(); ++j) {
    detail::require_finite(where, "weight", weights[j]);
    detail::require(weights[j] > 0, where, ": weight gamma_", j + 1, " = ", weights[j], " must be positive");
    log10_bound += std::log10(factor_bound(weights[j]));
  }
  detail::require(log10_bound <= 300, where, ": the weights are too heavy for double precision: prod_j (1 + gamma_j pi^2/3) = 10^",
                  std::round(log10_bound), " must stay below 10^300 (use smaller weights or fewer dimensions)");
}

}  // namespace

CbcResult fast_cbc(const CbcOptions& options) {
  detail::require_in_range("fast_cbc", "log2_max_points", options.log2_max_points, 1, 28);
  detail::require_in_range("fast_cbc", "log2_min_points", options.log2_min_points, 1, options.log2_max_points);
  check_weights("fast_cbc", options.weights);
  if (options.log2_min_points == options.log2_max_points)
    return cbc_run(options.log2_max_points, options.log2_max_points, options.weights, nullptr);
  std::vector<std::vector<double>> reference;
  for (int k = options.log2_min_points; k <= options.log2_max_points; ++k)
    reference.push_back(cbc_run(k, k, options.weights, nullptr).squared_error[0]);
  return cbc_run(options.log2_max_points, options.log2_min_points, options.weights, &reference);
}

double lattice_squared_error(const std::vector<std::uint64_t>& generating_vector, const std::vector<double>& weights,
                             std::uint64_t n) {
  detail::require(generating_vector.size() == weights.size(), "lattice_squared_error: ", generating_vector.size(),
                  " components but ", weights.size(), " weights");
  double sum = 0;
  Kokkos::parallel_reduce(
      "qmcsim::cbc::direct_error", Policy(0, static_cast<std::int64_t>(n)),
      [&](std::int64_t k, double& partial) {
        double term = 1;
        for (std::size_t j = 0; j < weights.size(); ++j) {
          const std::uint64_t residue = (static_cast<std::uint64_t>(k) * generating_vector[j]) % n;
          term *= 1 + weights[j] * omega(static_cast<double>(residue) / static_cast<double>(n));
        }
        partial += term;
      },
      sum);
  return sum / static_cast<double>(n) - 1;
}

std::vector<double> product_weights(const std::string& specification, std::size_t dimension) {
  const auto colon = specification.find(':');
  detail::require(colon != std::string::npos, "weights '", specification,
                  "' must read power:a, geometric:r or constant:c");
  const std::string kind = specification.substr(0, colon);
  double parameter = 0;
  try {
    std::size_t used = 0;
    parameter = std::stod(specification.substr(colon + 1), &used);
    detail::require(used == specification.size() - colon - 1, "");
  } catch (const std::exception&) {
    throw error("weights '" + specification + "': '" + specification.substr(colon + 1) + "' is not a number");
  }
  detail::require_finite("weights", kind.c_str(), parameter);
  std::vector<double> weights(dimension);
  for (std::size_t j = 0; j < dimension; ++j) {
    const double index = static_cast<double>(j + 1);
    if (kind == "power") weights[j] = std::pow(index, -parameter);
    else if (kind == "geometric") weights[j] = std::pow(parameter, index);
    else if (kind == "constant") weights[j] = parameter;
    else throw error("weights '" + specification + "': kind '" + kind + "' is unknown (power, geometric, constant)");
  }
  check_weights("weights", weights);
  return weights;
}

}  // namespace qmcsim
