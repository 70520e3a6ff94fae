// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The analytic test bed: Gaussian-mixture data whose noised denoiser is exact, exact samples, the
/// exact flow of Gaussian data (also under guidance), and a high-accuracy reference solution of the
/// probability-flow ODE for any model.
///
/// Data p = sum_k pi_k N(m_k, diag(v_k)). Noised to sigma_bar (x_bar = x_0 + sigma_bar eps) it is
/// p_sigma = sum_k pi_k N(m_k, diag(V_k)), V_k = v_k + sigma_bar^2, and the exact denoiser is
///   x0(x_bar) = sum_k r_k (m_k + (v_k / V_k)(x_bar - m_k)),  r_k ∝ pi_k N(x_bar; m_k, V_k),
/// computed in one pass over the components with a running log-sum-exp (no scratch, any K), or in
/// the coordinate-parallel form of model.hpp with the same arithmetic (the sampler's choice).
/// Gaussian data N(mu, s^2) per coordinate under guidance eps_w = A(sigma_bar)(x_bar - mu),
/// A = sigma_bar ((1 - w)/(s_u^2 + sigma_bar^2) + w/(s_c^2 + sigma_bar^2)), flows exactly as
///   x_bar(sigma_bar) - mu = (x_bar(sigma_bar_0) - mu) Phi(sigma_bar) / Phi(sigma_bar_0),
///   Phi = (s_u^2 + sigma_bar^2)^((1 - w)/2) (s_c^2 + sigma_bar^2)^(w/2)   (w = 0: unguided).

#include <Kokkos_Core.hpp>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "qmcsim/core/random.hpp"
#include "qmcsim/diffusion/model.hpp"

namespace qmcsim::diffusion {

/// A Gaussian mixture with diagonal covariances, held on the host (validated on construction).
class GaussianMixture {
 public:
  /// weights (K, positive, normalised here), means and variances (K rows of d, variances positive).
  GaussianMixture(std::vector<double> weights, std::vector<std::vector<double>> means,
                  std::vector<std::vector<double>> variances)
      : weights_(std::move(weights)), means_(std::move(means)), variances_(std::move(variances)) {
    const std::size_t K = weights_.size();
    qmcsim::detail::require(K >= 1, "GaussianMixture: no components");
    qmcsim::detail::require(means_.size() == K && variances_.size() == K, "GaussianMixture: ", K, " weights but ",
                    means_.size(), " mean rows and ", variances_.size(), " variance rows");
    const std::size_t d = means_[0].size();
    qmcsim::detail::require(d >= 1, "GaussianMixture: dimension 0");
    double total = 0;
    for (std::size_t k = 0; k < K; ++k) {
      qmcsim::detail::require(std::isfinite(weights_[k]) && weights_[k] > 0, "GaussianMixture: weight ", k, " = ",
                      weights_[k], " must be positive");
      qmcsim::detail::require(means_[k].size() == d && variances_[k].size() == d, "GaussianMixture: component ", k,
                      " has ", means_[k].size(), " means and ", variances_[k].size(), " variances, expected ", d);
      for (std::size_t i = 0; i < d; ++i) {
        qmcsim::detail::require_finite("GaussianMixture", "mean", means_[k][i]);
        qmcsim::detail::require(std::isfinite(variances_[k][i]) && variances_[k][i] > 0, "GaussianMixture: variance (", k,
                        ", ", i, ") = ", variances_[k][i], " must be positive");
      }
      total += weights_[k];
    }
    for (double& w : weights_) w /= total;
  }

  /// N(mean, diag(std^2)) as a one-component mixture.
  static GaussianMixture gaussian(const std::vector<double>& mean, const std::vector<double>& standard_deviation) {
    std::vector<double> variance(standard_deviation.size());
    for (std::size_t i = 0; i < variance.size(); ++i) variance[i] = standard_deviation[i] * standard_deviation[i];
    return GaussianMixture({1.0}, {mean}, {variance});
  }

  /// The ring mixture of docs/diffusion.md: K = 8 equal components with variance 0.1^2, means
  /// (cos 2 pi k/8, sin 2 pi k/8) in coordinates 0-1 and 0.3 sin(k (j + 1)) in coordinate 2 + j
  /// (d = 2 is the test bed's R2, d = 8 its M8).
  static GaussianMixture ring(std::size_t dimension) {
    qmcsim::detail::require(dimension >= 2, "GaussianMixture::ring: dimension = ", dimension, " must be at least 2");
    std::vector<std::vector<double>> means(8, std::vector<double>(dimension));
    for (std::size_t k = 0; k < 8; ++k)
      for (std::size_t i = 0; i < dimension; ++i)
        means[k][i] = i == 0   ? std::cos(2 * M_PI * k / 8.0)
                      : i == 1 ? std::sin(2 * M_PI * k / 8.0)
                               : 0.3 * std::sin(static_cast<double>(k * (i - 1)));
    return GaussianMixture(std::vector<double>(8, 1.0), means,
                           std::vector<std::vector<double>>(8, std::vector<double>(dimension, 0.01)));
  }
  /// The class-conditional law of `ring`: its component 0, sharper off the ring plane (variance 0.04^2
  /// in coordinates 2, 3, ...), so that guidance towards it is stiff.
  static GaussianMixture ring_class(std::size_t dimension) {
    const GaussianMixture ring = GaussianMixture::ring(dimension);
    std::vector<double> variance(dimension, 0.01);
    for (std::size_t i = 2; i < dimension; ++i) variance[i] = 0.04 * 0.04;
    return GaussianMixture({1.0}, {ring.means_[0]}, {variance});
  }

  /// K, the number of components.
  std::size_t components() const { return weights_.size(); }
  /// d, the number of coordinates.
  std::size_t dimension() const { return means_[0].size(); }
  /// w_k.
  double weight(std::size_t k) const { return weights_[k]; }
  /// Coordinate i of component k's mean.
  double mean(std::size_t k, std::size_t i) const { return means_[k][i]; }
  /// Coordinate i of component k's (diagonal) variance.
  double variance(std::size_t k, std::size_t i) const { return variances_[k][i]; }

  /// Per-coordinate mean and variance of the data law.
  std::vector<double> data_mean() const {
    std::vector<double> out(dimension(), 0.0);
    for (std::size_t k = 0; k < components(); ++k)
      for (std::size_t i = 0; i < dimension(); ++i) out[i] += weights_[k] * means_[k][i];
    return out;
  }
  /// Per-coordinate variance of the data law (within and between components).
  std::vector<double> data_variance() const {
    const std::vector<double> mu = data_mean();
    std::vector<double> out(dimension(), 0.0);
    for (std::size_t k = 0; k < components(); ++k)
      for (std::size_t i = 0; i < dimension(); ++i)
        out[i] += weights_[k] * (variances_[k][i] + (means_[k][i] - mu[i]) * (means_[k][i] - mu[i]));
    return out;
  }

  /// log p_sigma(x) of the noised law at sigma_bar.
  double log_density(const std::vector<double>& x, double sigma_bar) const {
    double max = -std::numeric_limits<double>::infinity(), sum = 0;
    std::vector<double> terms(components());
    for (std::size_t k = 0; k < components(); ++k) {
      double l = std::log(weights_[k]);
      for (std::size_t i = 0; i < dimension(); ++i) {
        const double V = variances_[k][i] + sigma_bar * sigma_bar, u = x[i] - means_[k][i];
        l -= 0.5 * (u * u / V + std::log(2 * M_PI * V));
      }
      terms[k] = l, max = std::max(max, l);
    }
    for (double l : terms) sum += std::exp(l - max);
    return max + std::log(sum);
  }

 private:
  std::vector<double> weights_;
  std::vector<std::vector<double>> means_, variances_;
};

/// The exact denoiser of a GaussianMixture as a device model (data prediction). With V = v + sigma_bar^2
/// per component k and coordinate i, the posterior weight of k is w_k N(x_bar; m_k, V) and its mean
/// m_k + (v / V)(x_bar - m_k). What depends on sigma_bar alone (1 / V, v / V, log w_k - sum_i log(V) / 2)
/// is tabled once per noise level by prepare(level), which the sampler calls before each step; an
/// evaluation at another level (the RK4 reference, a caller that never prepares) computes it in place.
/// The tables save a logarithm and two divisions per (sample, component, coordinate).
template <class Memory>
struct GaussianMixtureDenoiser {
  static constexpr Prediction prediction = Prediction::data;  ///< it returns x0
  Kokkos::View<const double*, Memory> log_weights;             ///< log w_k
  Kokkos::View<const double**, Kokkos::LayoutRight, Memory> means;      ///< m_k, (component, coordinate)
  Kokkos::View<const double**, Kokkos::LayoutRight, Memory> variances;  ///< v_k, (component, coordinate)
  /// The tables of prepare(): 1 / V and v / V per (component, coordinate), the log normalizer per
  /// component, and the sigma_bar they were made for (NaN before the first prepare).
  Kokkos::View<double**, Kokkos::LayoutRight, Memory> inverse_variance;
  Kokkos::View<double**, Kokkos::LayoutRight, Memory> gain;  ///< v / V, see inverse_variance
  Kokkos::View<double*, Memory> log_normalizer;              ///< see inverse_variance
  Kokkos::View<double, Memory> prepared_sigma_bar;           ///< see inverse_variance

  /// Throws qmcsim::error unless the samples have the mixture's dimension.
  void check_shape(std::size_t, std::size_t dimension) const {
    qmcsim::detail::require(dimension == means.extent(1), "GaussianMixtureDenoiser: the mixture has dimension ",
                            means.extent(1), ", the samples ", dimension);
  }

  /// The sigma_bar-dependent factors computed in place: log w_k - sum_i log(V) / 2, 1 / V and v / V.
  struct FactorsInPlace {
    const GaussianMixtureDenoiser& model;  ///< the mixture
    double s2;  ///< sigma_bar^2
    /// log w_k - sum_i log(V_ki) / 2.
    KOKKOS_INLINE_FUNCTION double log_normalizer(std::size_t k) const {
      double l = model.log_weights(k);
      for (std::size_t i = 0; i < model.means.extent(1); ++i) l -= 0.5 * ::log(model.variances(k, i) + s2);
      return l;
    }
    /// 1 / V_ki.
    KOKKOS_INLINE_FUNCTION double inverse_variance(std::size_t k, std::size_t i) const {
      return 1 / (model.variances(k, i) + s2);
    }
    /// v_ki / V_ki.
    KOKKOS_INLINE_FUNCTION double gain(std::size_t k, std::size_t i) const {
      return model.variances(k, i) / (model.variances(k, i) + s2);
    }
  };
  /// The same factors read from prepare()'s tables.
  struct FactorsTabled {
    const GaussianMixtureDenoiser& model;  ///< the mixture with its tables
    /// log w_k - sum_i log(V_ki) / 2.
    KOKKOS_INLINE_FUNCTION double log_normalizer(std::size_t k) const { return model.log_normalizer(k); }
    /// 1 / V_ki.
    KOKKOS_INLINE_FUNCTION double inverse_variance(std::size_t k, std::size_t i) const {
      return model.inverse_variance(k, i);
    }
    /// v_ki / V_ki.
    KOKKOS_INLINE_FUNCTION double gain(std::size_t k, std::size_t i) const { return model.gain(k, i); }
  };

  /// Tables the sigma_bar-dependent factors for evaluations at `level`.
  void prepare(const NoiseLevel& level) const { prepare(typename Memory::execution_space(), level); }
  /// The same on the instance `space`.
  template <class Space>
  void prepare(const Space& space, const NoiseLevel& level) const {
    const auto copy = *this;
    const double s2 = level.sigma_bar * level.sigma_bar, sigma_bar = level.sigma_bar;
    Kokkos::parallel_for(
        "qmcsim::GaussianMixtureDenoiser::prepare", Kokkos::RangePolicy<Space>(space, 0, means.extent(0)),
        KOKKOS_LAMBDA(std::size_t k) {
          const FactorsInPlace factors{copy, s2};
          for (std::size_t i = 0; i < copy.means.extent(1); ++i) {
            copy.inverse_variance(k, i) = factors.inverse_variance(k, i);
            copy.gain(k, i) = factors.gain(k, i);
          }
          copy.log_normalizer(k) = factors.log_normalizer(k);
          if (k == 0) copy.prepared_sigma_bar() = sigma_bar;
        });
  }

  /// The posterior mean E[x0 | x_bar] of sample b, into row b of out.
  template <class In, class Out>
  KOKKOS_INLINE_FUNCTION void operator()(const In& x_bar, std::size_t b, const NoiseLevel& level, const Out& out) const {
    if (prepared_sigma_bar() == level.sigma_bar)
      posterior_mean(x_bar, b, FactorsTabled{*this}, out);
    else
      posterior_mean(x_bar, b, FactorsInPlace{*this, level.sigma_bar * level.sigma_bar}, out);
  }

  /// The coordinate-parallel form (model.hpp), with the same arithmetic as operator(). Per sample it
  /// keeps, from column 0: the partial sums of the log-likelihoods, K rows of chunks(d); then the
  /// weight and the rescaling factor of each component in the running log-sum-exp; then their sum.
  static constexpr std::size_t chunk = 256;  ///< coordinates per partial sum of a log-likelihood
  /// Chunks of `chunk` coordinates per log-likelihood.
  KOKKOS_INLINE_FUNCTION std::size_t chunks() const { return (means.extent(1) + chunk - 1) / chunk; }
  /// K (chunks + 2) + 1 (see above).
  KOKKOS_INLINE_FUNCTION std::size_t statistics_per_sample(std::size_t) const { return means.extent(0) * (chunks() + 2) + 1; }

  /// The statistics of every sample (see above).
  template <class In, class Statistics>
  void reduce(const In& x_bar, const NoiseLevel& level, const Statistics& statistics) const {
    reduce(typename Statistics::execution_space(), x_bar, level, statistics);
  }
  /// The same on the instance `space`.
  template <class Space, class In, class Statistics>
  void reduce(const Space& space, const In& x_bar, const NoiseLevel& level, const Statistics& statistics) const {
    const auto copy = *this;
    const std::size_t batch = x_bar.extent(0), K = means.extent(0), C = chunks();
    // Partial sums, one per (sample, component, chunk), the first starting from the log normalizer; the
    // sample index fastest where the views put it fastest (a GPU's LayoutLeft), so loads coalesce.
    const bool sample_fastest = std::is_same_v<typename In::array_layout, Kokkos::LayoutLeft>;
    Kokkos::parallel_for(
        "qmcsim::GaussianMixtureDenoiser::partial_log_likelihoods", Kokkos::RangePolicy<Space>(space, 0, batch * K * C),
        KOKKOS_LAMBDA(std::size_t t) {
          const std::size_t b = sample_fastest ? t % batch : t / (K * C), rest = sample_fastest ? t / batch : t % (K * C);
          const std::size_t k = rest / C, c = rest % C;
          statistics(b, k * C + c) = copy.prepared_sigma_bar() == level.sigma_bar
                                         ? copy.partial_log_likelihood(x_bar, b, k, c, FactorsTabled{copy})
                                         : copy.partial_log_likelihood(x_bar, b, k, c, FactorsInPlace{copy, level.sigma_bar * level.sigma_bar});
        });
    Kokkos::parallel_for(
        "qmcsim::GaussianMixtureDenoiser::weights", Kokkos::RangePolicy<Space>(space, 0, batch), KOKKOS_LAMBDA(std::size_t b) {
          RunningWeights running;
          for (std::size_t k = 0; k < K; ++k) {
            double l = statistics(b, k * C);
            for (std::size_t c = 1; c < C; ++c) l += statistics(b, k * C + c);
            const auto step = running.add(l);
            statistics(b, K * C + k) = step.weight;
            statistics(b, K * C + K + k) = step.scale;
          }
          statistics(b, K * C + 2 * K) = running.sum;
        });
  }

  /// Coordinates [begin, end) of sample b's posterior mean from its statistics, into out[0, end - begin).
  template <class In, class Statistics>
  KOKKOS_INLINE_FUNCTION void elements(const In& x_bar, const Statistics& statistics, std::size_t b, std::size_t begin,
                                       std::size_t end, const NoiseLevel& level, double* out) const {
    if (prepared_sigma_bar() == level.sigma_bar)
      posterior_mean_range(x_bar, statistics, b, begin, end, FactorsTabled{*this}, out);
    else
      posterior_mean_range(x_bar, statistics, b, begin, end, FactorsInPlace{*this, level.sigma_bar * level.sigma_bar}, out);
  }

 private:
  /// The running log-sum-exp over the components: add(l) returns the weight exp(l - max) of the new
  /// component and the factor (1 where none) by which what was accumulated is rescaled to a new maximum.
  struct RunningWeights {
    double max = 0, sum = 0;
    /// What add returns.
    struct Step {
      double weight;  ///< exp(l - max)
      double scale;   ///< the factor on what was accumulated
    };
    KOKKOS_INLINE_FUNCTION Step add(double l) {
      double scale = 1;
      if (sum == 0 || l > max) {
        scale = sum == 0 ? 0.0 : ::exp(max - l);
        sum *= scale;
        max = l;
      }
      const double weight = ::exp(l - max);
      sum += weight;
      return {weight, scale};
    }
  };

  /// Chunk c's share of component k's log-likelihood: -1/2 sum over its coordinates of (x_bar - m_k)^2 /
  /// V_k, accumulated from the log normalizer in chunk 0 (so that with one chunk, d <= 256, the sum is
  /// one chain from it) and from 0 in the others, which are then added in chunk order.
  template <class In, class Factors>
  KOKKOS_INLINE_FUNCTION double partial_log_likelihood(const In& x_bar, std::size_t b, std::size_t k, std::size_t c,
                                                       const Factors& factors) const {
    const std::size_t end = (c + 1) * chunk < means.extent(1) ? (c + 1) * chunk : means.extent(1);
    double l = c == 0 ? factors.log_normalizer(k) : 0.0;
    for (std::size_t i = c * chunk; i < end; ++i) {
      const double u = x_bar(b, i) - means(k, i);
      l -= 0.5 * u * u * factors.inverse_variance(k, i);
    }
    return l;
  }

  /// Coordinates [begin, end) of the posterior mean from reduce()'s weights, in the order of operations
  /// of posterior_mean below.
  template <class In, class Statistics, class Factors>
  KOKKOS_INLINE_FUNCTION void posterior_mean_range(const In& x_bar, const Statistics& statistics, std::size_t b,
                                                   std::size_t begin, std::size_t end, const Factors& factors,
                                                   double* out) const {
    const std::size_t K = means.extent(0), first = K * chunks(), n = end - begin;
    for (std::size_t j = 0; j < n; ++j) out[j] = 0;
    for (std::size_t k = 0; k < K; ++k) {
      const double weight = statistics(b, first + k), scale = statistics(b, first + K + k);
      if (scale != 1)
        for (std::size_t j = 0; j < n; ++j) out[j] *= scale;
      for (std::size_t j = 0; j < n; ++j) {
        const std::size_t i = begin + j;
        out[j] += weight * (means(k, i) + factors.gain(k, i) * (x_bar(b, i) - means(k, i)));
      }
    }
    const double sum = statistics(b, first + 2 * K);
    for (std::size_t j = 0; j < n; ++j) out[j] /= sum;
  }

  /// sum_k p(k | x_bar) (m_k + gain_k (x_bar - m_k)), the posterior weights by a running log-sum-exp;
  /// the log-likelihoods are summed by chunks as in reduce().
  template <class In, class Factors, class Out>
  KOKKOS_INLINE_FUNCTION void posterior_mean(const In& x_bar, std::size_t b, const Factors& factors, const Out& out) const {
    const std::size_t d = means.extent(1), C = chunks();
    RunningWeights running;
    for (std::size_t i = 0; i < d; ++i) out(b, i) = 0;
    for (std::size_t k = 0; k < means.extent(0); ++k) {
      double l = partial_log_likelihood(x_bar, b, k, 0, factors);
      for (std::size_t c = 1; c < C; ++c) l += partial_log_likelihood(x_bar, b, k, c, factors);
      const auto step = running.add(l);
      if (step.scale != 1)
        for (std::size_t i = 0; i < d; ++i) out(b, i) *= step.scale;
      const double weight = step.weight;
      for (std::size_t i = 0; i < d; ++i)
        out(b, i) += weight * (means(k, i) + factors.gain(k, i) * (x_bar(b, i) - means(k, i)));
    }
    for (std::size_t i = 0; i < d; ++i) out(b, i) /= running.sum;
  }
};

/// The denoiser of `mixture` in ExecSpace's memory (its tables unprepared).
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
GaussianMixtureDenoiser<typename ExecSpace::memory_space> make_denoiser(const GaussianMixture& mixture) {
  using Memory = typename ExecSpace::memory_space;
  const std::size_t K = mixture.components(), d = mixture.dimension();
  Kokkos::View<double*, Kokkos::HostSpace> log_weights("log_weights", K);
  Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace> means("means", K, d), variances("variances", K, d);
  for (std::size_t k = 0; k < K; ++k) {
    log_weights(k) = std::log(mixture.weight(k));
    for (std::size_t i = 0; i < d; ++i) means(k, i) = mixture.mean(k, i), variances(k, i) = mixture.variance(k, i);
  }
  Kokkos::View<double, Memory> prepared_sigma_bar("qmcsim::denoiser_prepared_sigma_bar");
  Kokkos::deep_copy(prepared_sigma_bar, std::numeric_limits<double>::quiet_NaN());
  return {Kokkos::create_mirror_view_and_copy(Memory(), log_weights),
          Kokkos::create_mirror_view_and_copy(Memory(), means),
          Kokkos::create_mirror_view_and_copy(Memory(), variances),
          Kokkos::View<double**, Kokkos::LayoutRight, Memory>("qmcsim::denoiser_inverse_variance", K, d),
          Kokkos::View<double**, Kokkos::LayoutRight, Memory>("qmcsim::denoiser_gain", K, d),
          Kokkos::View<double*, Memory>("qmcsim::denoiser_log_normalizer", K),
          prepared_sigma_bar};
}

namespace detail {

template <class Matrix>
struct StandardNormalFill {
  Matrix out;
  std::uint64_t key;
  double scale;
  KOKKOS_INLINE_FUNCTION void operator()(std::size_t row) const {
    for (std::size_t i = 0; i < out.extent(1); i += 2) {
      const auto z = normal_pair<double>(philox(key, static_cast<std::uint64_t>(row), static_cast<std::uint32_t>(i / 2),
                                                Stream::diffusion_noise));
      out(row, i) = scale * z.first;
      if (i + 1 < out.extent(1)) out(row, i + 1) = scale * z.second;
    }
  }
};

template <class Matrix, class Memory>
struct MixtureSampleFill {
  Matrix out;  ///< holds standard normals on entry
  Kokkos::View<const double*, Memory> cumulative_weights;
  Kokkos::View<const double**, Kokkos::LayoutRight, Memory> means, variances;
  std::uint64_t key;
  double sigma_bar;
  KOKKOS_INLINE_FUNCTION void operator()(std::size_t row) const {
    const double u = open_unit_interval(philox(key, static_cast<std::uint64_t>(row), 0u, Stream::diffusion_noise).u64(0));
    std::size_t k = 0;
    while (k + 1 < cumulative_weights.extent(0) && u > cumulative_weights(k)) ++k;
    for (std::size_t i = 0; i < out.extent(1); ++i)
      out(row, i) = means(k, i) + ::sqrt(variances(k, i) + sigma_bar * sigma_bar) * out(row, i);
  }
};

}  // namespace detail

/// A rows x cols matrix of independent N(0, scale^2) numbers, a pure function of (seed, row, column):
/// with scale = sigma_bar_0 the usual start x_T of a sampler. Made on the instance `space` (see
/// core/execution.hpp).
template <class Real = double, class ExecSpace>
Kokkos::View<Real**, typename ExecSpace::memory_space> standard_normal(const ExecSpace& space, std::size_t rows,
                                                                        std::size_t cols, std::uint64_t seed,
                                                                        double scale = 1) {
  static_assert(Kokkos::is_execution_space<ExecSpace>::value, "standard_normal: space must be a Kokkos execution space");
  Kokkos::View<Real**, typename ExecSpace::memory_space> out(
      Kokkos::view_alloc(space, Kokkos::WithoutInitializing, "qmcsim::standard_normal"), rows, cols);
  Kokkos::parallel_for("qmcsim::standard_normal", Kokkos::RangePolicy<ExecSpace>(space, 0, rows),
                       detail::StandardNormalFill<decltype(out)>{out, derive_key(seed, Stream::diffusion_noise, 0, 0), scale});
  return out;
}

/// standard_normal(ExecSpace(), rows, cols, seed, scale).
template <class ExecSpace = Kokkos::DefaultExecutionSpace, class Real = double>
Kokkos::View<Real**, typename ExecSpace::memory_space> standard_normal(std::size_t rows, std::size_t cols,
                                                                        std::uint64_t seed, double scale = 1) {
  return standard_normal<Real>(ExecSpace(), rows, cols, seed, scale);
}

/// `count` exact samples of the noised law p * N(0, sigma_bar^2 I) (sigma_bar = 0: the data law).
template <class ExecSpace = Kokkos::DefaultExecutionSpace>
Kokkos::View<double**, typename ExecSpace::memory_space> exact_samples(const GaussianMixture& mixture,
                                                                        double sigma_bar, std::size_t count,
                                                                        std::uint64_t seed) {
  qmcsim::detail::require(std::isfinite(sigma_bar) && sigma_bar >= 0, "exact_samples: sigma_bar = ", sigma_bar,
                  " must be finite and non-negative");
  using Memory = typename ExecSpace::memory_space;
  auto out = standard_normal<ExecSpace>(count, mixture.dimension(), seed);
  Kokkos::View<double*, Kokkos::HostSpace> cumulative("cumulative_weights", mixture.components());
  double total = 0;
  for (std::size_t k = 0; k < mixture.components(); ++k) cumulative(k) = total += mixture.weight(k);
  const auto denoiser = make_denoiser<ExecSpace>(mixture);
  Kokkos::parallel_for("qmcsim::exact_samples", Kokkos::RangePolicy<ExecSpace>(0, count),
                       detail::MixtureSampleFill<decltype(out), Memory>{
                           out, Kokkos::create_mirror_view_and_copy(Memory(), cumulative), denoiser.means,
                           denoiser.variances, derive_key(seed, Stream::diffusion_noise, 1, 0), sigma_bar});
  return out;
}

/// Phi(sigma_bar) of guided Gaussian data (file comment): the exact gain from a to b is Phi(b) / Phi(a).
inline double guided_gaussian_phi(double s_unconditional, double s_conditional, double scale, double sigma_bar) {
  const double s2 = sigma_bar * sigma_bar;
  return std::pow(s_unconditional * s_unconditional + s2, (1 - scale) / 2) *
         std::pow(s_conditional * s_conditional + s2, scale / 2);
}

namespace detail {

/// Classical RK4 in u = log sigma_bar on dx_bar/du = x_bar - x0(x_bar, sigma_bar), one sample per thread.
template <class Model, class Matrix>
struct ReferenceFlow {
  Model model;
  Matrix x, stage, k1, k2, k3, k4;
  double u_start, du;
  std::size_t steps;

  KOKKOS_INLINE_FUNCTION void slope(std::size_t b, const Matrix& at, double u, const Matrix& out) const {
    const double sigma_bar = ::exp(u);
    const NoiseLevel level{sigma_bar, 1 / ::sqrt(1 + sigma_bar * sigma_bar), sigma_bar};
    model(at, b, level, out);
    const Conversion to_data = conversion(Model::prediction, Prediction::data, level);
    for (std::size_t i = 0; i < x.extent(1); ++i) out(b, i) = at(b, i) - to_data(out(b, i), at(b, i));
  }
  KOKKOS_INLINE_FUNCTION void set_stage(std::size_t b, const Matrix& k, double factor) const {
    for (std::size_t i = 0; i < x.extent(1); ++i) stage(b, i) = x(b, i) + factor * k(b, i);
  }
  KOKKOS_INLINE_FUNCTION void operator()(std::size_t b) const {
    for (std::size_t n = 0; n < steps; ++n) {
      const double u = u_start + static_cast<double>(n) * du;
      slope(b, x, u, k1);
      set_stage(b, k1, du / 2);
      slope(b, stage, u + du / 2, k2);
      set_stage(b, k2, du / 2);
      slope(b, stage, u + du / 2, k3);
      set_stage(b, k3, du);
      slope(b, stage, u + du, k4);
      for (std::size_t i = 0; i < x.extent(1); ++i)
        x(b, i) += du / 6 * (k1(b, i) + 2 * k2(b, i) + 2 * k3(b, i) + k4(b, i));
    }
  }
};

}  // namespace detail

/// The probability-flow ODE solution from x_bar at sigma_start to sigma_end (both positive) by RK4
/// in log sigma_bar with `steps` steps, for any device model (evaluated with time = sigma_bar and the
/// VP alpha). 2000 steps reach ~1e-12 on the configurations of docs/diffusion.md.
template <class ExecSpace = Kokkos::DefaultExecutionSpace, class Model>
Kokkos::View<double**, typename ExecSpace::memory_space> reference_flow(
    const Model& model, const Kokkos::View<const double**, typename ExecSpace::memory_space>& x_start,
    double sigma_start, double sigma_end, std::size_t steps = 2000) {
  qmcsim::detail::require(sigma_start > 0 && sigma_end > 0 && std::isfinite(sigma_start) && std::isfinite(sigma_end),
                  "reference_flow: sigma_start = ", sigma_start, " and sigma_end = ", sigma_end,
                  " must be positive and finite (sigma_bar = 0 is log sigma_bar = -infinity)");
  qmcsim::detail::require(steps >= 1, "reference_flow: steps = 0");
  using Matrix = Kokkos::View<double**, typename ExecSpace::memory_space>;
  const std::size_t rows = x_start.extent(0), cols = x_start.extent(1);
  detail::check_model_shape(model, rows, cols);
  Matrix x("qmcsim::reference_flow", rows, cols);
  Kokkos::deep_copy(x, x_start);
  const double u_start = std::log(sigma_start);
  detail::ReferenceFlow<Model, Matrix> flow{model, x, Matrix("stage", rows, cols), Matrix("k1", rows, cols),
                                            Matrix("k2", rows, cols), Matrix("k3", rows, cols),
                                            Matrix("k4", rows, cols), u_start,
                                            (std::log(sigma_end) - u_start) / static_cast<double>(steps), steps};
  Kokkos::parallel_for("qmcsim::reference_flow", Kokkos::RangePolicy<ExecSpace>(0, rows), flow);
  return x;
}

}  // namespace qmcsim::diffusion
