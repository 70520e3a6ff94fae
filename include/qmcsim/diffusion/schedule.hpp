// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Noise schedules and the step grids that diffusion samplers walk.
///
/// Forward process x_t = alpha_t x_0 + sigma_t eps. Every sampler of qmcsim works in the scale-free
/// coordinates sigma_bar = sigma / alpha = exp(-lambda) and x_bar = x / alpha (lambda: half log-SNR),
/// where the probability-flow ODE reads dx_bar/dsigma_bar = eps(x_bar, sigma_bar). A schedule only
/// supplies the decreasing grid sigma_bar_0 > ... > sigma_bar_N >= 0 and the model time of each node;
/// variance-preserving (VP) models take x = alpha x_bar with alpha = 1 / sqrt(1 + sigma_bar^2),
/// variance-exploding (VE/EDM) ones take x = x_bar.
///
/// Schedules (design note docs/diffusion.md, section "Schedules"):
///   DiscreteVpSchedule   alphas_cumprod of T training steps: linear betas (DDPM, scaled by 1000/T),
///                        scaled_linear (Stable Diffusion), cosine (Nichol-Dhariwal, beta <= 0.999),
///                        optionally rescaled to zero terminal SNR (Lin et al. 2024);
///                        grids on integer timesteps spaced "linspace", "leading" or "trailing" as
///                        diffusers spaces them (NumPy's rounding and arange reproduced), and Karras
///                        sigmas between the schedule's extremes at interpolated model times.
///   ContinuousVpSchedule log alpha(t) of DPM-Solver: linear (beta_0 = 0.1, beta_1 = 20) or cosine;
///                        grids uniform in t, uniform in lambda (logSNR), quadratic in t.
///   karras_grid          EDM sigmas (sigma_max^(1/rho) + i/(N-1) (sigma_min^(1/rho) - sigma_max^(1/rho)))^rho
///                        followed by sigma = 0 (Karras et al. 2022).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "qmcsim/core/error.hpp"

namespace qmcsim::diffusion {

/// How the model input relates to x_bar.
enum class Scaling {
  variance_preserving,  ///< x = alpha x_bar with alpha = 1 / sqrt(1 + sigma_bar^2) (DDPM, Stable Diffusion)
  variance_exploding    ///< x = x_bar (EDM's sigmas)
};

/// A decreasing grid sigma_bar_0 > ... > sigma_bar_N >= 0 (N steps) with the model time of each node.
class SigmaGrid {
 public:
  /// Throws qmcsim::error unless there are at least two nodes, all finite (the last may be 0), and
  /// strictly decreasing. `time` (same length) defaults to sigma_bar itself (the EDM convention t = sigma).
  SigmaGrid(std::vector<double> sigma_bar, Scaling scaling, std::vector<double> time = {})
      : sigma_bar_(std::move(sigma_bar)), time_(time.empty() ? sigma_bar_ : std::move(time)), scaling_(scaling) {
    qmcsim::detail::require(sigma_bar_.size() >= 2, "SigmaGrid: ", sigma_bar_.size(),
                    " nodes given; a grid needs at least 2 (steps >= 1)");
    qmcsim::detail::require(time_.size() == sigma_bar_.size(), "SigmaGrid: ", time_.size(), " model times for ",
                    sigma_bar_.size(), " nodes");
    for (std::size_t n = 0; n < sigma_bar_.size(); ++n) {
      qmcsim::detail::require_finite("SigmaGrid", "sigma_bar", sigma_bar_[n]);
      qmcsim::detail::require(sigma_bar_[n] >= 0, "SigmaGrid: sigma_bar[", n, "] = ", sigma_bar_[n], " is negative");
      qmcsim::detail::require(n == 0 || sigma_bar_[n] < sigma_bar_[n - 1], "SigmaGrid: sigma_bar[", n, "] = ",
                      sigma_bar_[n], " does not decrease from sigma_bar[", n - 1, "] = ", sigma_bar_[n - 1]);
    }
  }

  /// N, the number of steps (nodes - 1).
  std::size_t steps() const { return sigma_bar_.size() - 1; }
  /// sigma_bar at node n.
  double sigma_bar(std::size_t n) const { return sigma_bar_[n]; }
  /// The model time at node n.
  double time(std::size_t n) const { return time_[n]; }
  /// VP or VE.
  Scaling scaling() const { return scaling_; }
  /// The factor of the model input x = alpha x_bar at node n.
  double alpha(std::size_t n) const {
    return scaling_ == Scaling::variance_preserving ? 1 / std::sqrt(1 + sigma_bar_[n] * sigma_bar_[n]) : 1.0;
  }
  /// All nodes.
  const std::vector<double>& sigma_bars() const { return sigma_bar_; }

 private:
  std::vector<double> sigma_bar_, time_;
  Scaling scaling_;
};

namespace detail {

inline void require_steps(const char* where, std::size_t steps) {
  qmcsim::detail::require(steps >= 1, where, ": steps = ", steps, " must be at least 1");
}

/// NumPy's linspace(start, stop, count) element by element (start + i * step, endpoint exact), so
/// that rounding the result reproduces NumPy's timesteps.
inline std::vector<double> numpy_linspace(double start, double stop, std::size_t count) {
  std::vector<double> out(count);
  const double step = (stop - start) / static_cast<double>(count - 1);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<double>(i) * step + start;
  out.back() = stop;
  return out;
}

}  // namespace detail

/// Where a grid on rounded timesteps ends: at the smallest training timestep (t = 0, sigma_bar > 0),
/// or one step further at sigma_bar = 0 (diffusers' final_sigmas_type = "zero").
enum class FinalSigma { last_timestep, zero };

/// Where the model timesteps of a grid lie among T training timesteps (N steps; the names of
/// diffusers and of Lin et al. 2024, Table 2):
///   linspace  the N + 1 nodes round(linspace(0, T - 1, N + 1)), the last one (t = 0) the end node
///             (DPMSolverMultistepScheduler's "linspace");
///   leading   the N timesteps k floor(T / N) + steps_offset, k = N - 1, ..., 0, then the end node
///             (DDIM's, PNDM's and Euler's "leading");
///   trailing  the N timesteps round(T - k T / N) - 1, k = 0, ..., N - 1, as NumPy's arange computes
///             them, then the end node: every scheduler's "trailing", which starts at the last
///             training timestep T - 1 (where zero terminal SNR puts the pure noise).
/// The end node after leading and trailing timesteps is t = 0 (FinalSigma::last_timestep) or
/// sigma_bar = 0 (FinalSigma::zero).
enum class TimestepSpacing { linspace, leading, trailing };

/// alphas_cumprod of a discrete VP schedule with T training timesteps.
class DiscreteVpSchedule {
 public:
  /// DDPM/ADM: beta_i = linspace(1e-4, 0.02, T) scaled by 1000 / T.
  static DiscreteVpSchedule linear(std::size_t timesteps = 1000) {
    const double scale = 1000.0 / static_cast<double>(check(timesteps));
    return from_betas(detail::numpy_linspace(scale * 1e-4, scale * 0.02, timesteps));
  }
  /// Stable Diffusion: beta_i = linspace(sqrt(beta_start), sqrt(beta_end), T)^2.
  static DiscreteVpSchedule scaled_linear(std::size_t timesteps = 1000, double beta_start = 0.00085,
                                          double beta_end = 0.012) {
    std::vector<double> betas = detail::numpy_linspace(std::sqrt(beta_start), std::sqrt(beta_end), check(timesteps));
    for (double& beta : betas) beta *= beta;
    return from_betas(betas);
  }
  /// Nichol-Dhariwal ("squaredcos_cap_v2"): beta_i = min(1 - f((i+1)/T) / f(i/T), 0.999),
  /// f(u) = cos^2((u + s) / (1 + s) pi / 2), s = 0.008.
  static DiscreteVpSchedule cosine(std::size_t timesteps = 1000) {
    const auto f = [](double u) {
      const double c = std::cos((u + 0.008) / 1.008 * M_PI / 2);
      return c * c;
    };
    std::vector<double> betas(check(timesteps));
    const double count = static_cast<double>(timesteps);
    for (std::size_t i = 0; i < timesteps; ++i) betas[i] = std::min(1 - f((i + 1) / count) / f(i / count), 0.999);
    return from_betas(betas);
  }

  /// The same schedule with zero terminal SNR (Lin et al. 2024, Algorithm 1): sqrt(alphas_cumprod)
  /// shifted so that its last value is 0 and scaled so that its first is unchanged. The last value is
  /// then set to 2^-24 instead of 0, as diffusers' EulerDiscreteScheduler does, so that sigma_bar at
  /// T - 1 is finite (4096): the samplers work in x_bar = x / alpha. Sample from it with a
  /// v-prediction model (at SNR 0 an eps-prediction model cannot tell x0) and trailing timesteps,
  /// which start at T - 1.
  DiscreteVpSchedule rescaled_to_zero_terminal_snr() const {
    const double first = std::sqrt(alphas_cumprod_.front()), last = std::sqrt(alphas_cumprod_.back());
    std::vector<double> rescaled(alphas_cumprod_.size());
    for (std::size_t t = 0; t < rescaled.size(); ++t) {
      const double root = (std::sqrt(alphas_cumprod_[t]) - last) * (first / (first - last));
      rescaled[t] = root * root;
    }
    rescaled.back() = 0x1p-24;
    return DiscreteVpSchedule(rescaled);
  }

  /// The training timesteps (1000 for Stable Diffusion).
  std::size_t timesteps() const { return alphas_cumprod_.size(); }
  /// alphas_cumprod[t].
  double alpha_cumprod(std::size_t t) const { return alphas_cumprod_.at(t); }
  /// sigma_bar(t) = sqrt((1 - alphas_cumprod[t]) / alphas_cumprod[t]).
  double sigma_bar(std::size_t t) const {
    const double a = alphas_cumprod_.at(t);
    return std::sqrt((1 - a) / a);
  }

  /// N steps on integer timesteps placed by `spacing` (see TimestepSpacing), in decreasing order, the
  /// model time of each node being its timestep, ending at t = 0 or at sigma_bar = 0 (`final_sigma`).
  /// `steps_offset` shifts leading timesteps (diffusers' steps_offset; 0 for the other spacings).
  /// Throws qmcsim::error when the spacing would repeat a timestep or leave [0, T - 1]: linspace takes
  /// N <= T - 1; leading N <= T with its top timestep at most T - 1, and steps_offset >= 1 to end
  /// at t = 0; trailing N <= T, N < T to end at t = 0.
  SigmaGrid timestep_grid(std::size_t steps, FinalSigma final_sigma = FinalSigma::last_timestep,
                          TimestepSpacing spacing = TimestepSpacing::linspace, std::size_t steps_offset = 0) const {
    detail::require_steps("DiscreteVpSchedule::timestep_grid", steps);
    const std::vector<double> nodes = timestep_nodes(steps, final_sigma, spacing, steps_offset);
    std::vector<double> sigma_bar;
    for (double t : nodes) sigma_bar.push_back(this->sigma_bar(static_cast<std::size_t>(t)));
    if (final_sigma == FinalSigma::zero) sigma_bar.back() = 0;
    return SigmaGrid(sigma_bar, Scaling::variance_preserving, nodes);
  }

  /// N steps on Karras sigmas (Karras et al. 2022, rho = 7) from the schedule's largest sigma_bar
  /// (t = T - 1) to its smallest (t = 0), then sigma_bar = 0; each node's model time is its sigma_bar
  /// located in the table by linear interpolation of log sigma_bar between timesteps (diffusers'
  /// `use_karras_sigmas` with final_sigmas_type "zero"; `time_of_sigma_bar`).
  SigmaGrid karras_grid(std::size_t steps, double rho = 7) const {
    detail::require_steps("DiscreteVpSchedule::karras_grid", steps);
    qmcsim::detail::require(rho > 0 && std::isfinite(rho), "DiscreteVpSchedule::karras_grid: rho = ", rho,
                            " must be positive");
    qmcsim::detail::require(steps == 1 || sigma_bar(timesteps() - 1) > sigma_bar(0),
                            "DiscreteVpSchedule::karras_grid: sigma_bar does not grow from t = 0 to t = T - 1");
    const double top = std::pow(sigma_bar(timesteps() - 1), 1 / rho), bottom = std::pow(sigma_bar(0), 1 / rho);
    const std::vector<double> ramp = detail::numpy_linspace(0, 1, steps);
    std::vector<double> sigma(steps + 1, 0.0), time(steps + 1, 0.0);
    for (std::size_t i = 0; i < steps; ++i) {
      sigma[i] = std::pow(top + (steps == 1 ? 0.0 : ramp[i]) * (bottom - top), rho);
      time[i] = time_of_sigma_bar(sigma[i]);
    }
    return SigmaGrid(sigma, Scaling::variance_preserving, time);
  }

  /// The fractional timestep of sigma_bar: with l_t = log sigma_bar(t) (increasing in t), the k in
  /// [0, T - 2] with l_k <= log sigma_bar < l_{k+1} (clamped at the ends), then k + w with
  /// w = (log sigma_bar - l_k) / (l_{k+1} - l_k) clipped to [0, 1] (diffusers' _sigma_to_t).
  double time_of_sigma_bar(double sigma_bar) const {
    const double target = std::log(std::max(sigma_bar, 1e-10));
    const std::size_t last = timesteps() - 1;
    std::size_t k = 0;
    while (k + 1 < last && std::log(this->sigma_bar(k + 1)) <= target) ++k;
    const double low = std::log(this->sigma_bar(k)), high = std::log(this->sigma_bar(k + 1));
    const double w = std::clamp((low - target) / (low - high), 0.0, 1.0);
    return (1 - w) * static_cast<double>(k) + w * static_cast<double>(k + 1);
  }

 private:
  /// The model times of timestep_grid's nodes, decreasing, the end node included (t = 0 stands for
  /// sigma_bar = 0 with FinalSigma::zero).
  std::vector<double> timestep_nodes(std::size_t steps, FinalSigma final_sigma, TimestepSpacing spacing,
                                     std::size_t steps_offset) const {
    const std::size_t count = timesteps();
    const char* where = "DiscreteVpSchedule::timestep_grid";
    qmcsim::detail::require(spacing == TimestepSpacing::leading || steps_offset == 0, where, ": steps_offset = ",
                            steps_offset, " applies to leading timesteps only");
    std::vector<double> nodes;
    switch (spacing) {
      case TimestepSpacing::linspace: {
        qmcsim::detail::require(steps < count, where, ": steps = ", steps, " exceeds the ", count - 1,
                                " distinct linspace steps between its ", count, " timesteps");
        const std::vector<double> grid = detail::numpy_linspace(0, static_cast<double>(count - 1), steps + 1);
        for (std::size_t j = steps + 1; j-- > 0;) nodes.push_back(std::nearbyint(grid[j]));  // half to even
        return nodes;
      }
      case TimestepSpacing::leading: {
        qmcsim::detail::require(steps <= count, where, ": steps = ", steps, " exceeds the ", count,
                                " training timesteps (leading spacing)");
        const std::size_t ratio = count / steps;
        qmcsim::detail::require((steps - 1) * ratio + steps_offset < count, where, ": steps_offset = ", steps_offset,
                                " puts the top leading timestep at ", (steps - 1) * ratio + steps_offset,
                                ", beyond T - 1 = ", count - 1);
        for (std::size_t k = steps; k-- > 0;) nodes.push_back(static_cast<double>(k * ratio + steps_offset));
        break;
      }
      case TimestepSpacing::trailing: {
        qmcsim::detail::require(steps <= count, where, ": steps = ", steps, " exceeds the ", count,
                                " training timesteps (trailing spacing)");
        // np.arange(T, 0, -T / N): start + k * delta with delta = (start + step) - start, as NumPy fills it
        const double start = static_cast<double>(count), delta = (start - start / static_cast<double>(steps)) - start;
        for (std::size_t k = 0; k < steps; ++k) nodes.push_back(std::nearbyint(start + static_cast<double>(k) * delta) - 1);
        break;
      }
    }
    qmcsim::detail::require(final_sigma == FinalSigma::zero || nodes.back() > 0, where, ": the last ",
                            spacing == TimestepSpacing::leading ? "leading" : "trailing",
                            " timestep is already t = 0, so the grid cannot end at t = 0 again: use FinalSigma::zero",
                            spacing == TimestepSpacing::leading ? " or steps_offset >= 1" : " or fewer steps");
    nodes.push_back(0);
    return nodes;
  }

  explicit DiscreteVpSchedule(std::vector<double> alphas_cumprod) : alphas_cumprod_(std::move(alphas_cumprod)) {}
  static std::size_t check(std::size_t timesteps) {
    qmcsim::detail::require(timesteps >= 2, "DiscreteVpSchedule: timesteps = ", timesteps, " must be at least 2");
    return timesteps;
  }
  static DiscreteVpSchedule from_betas(const std::vector<double>& betas) {
    std::vector<double> cumulative(betas.size());
    double product = 1;
    for (std::size_t i = 0; i < betas.size(); ++i) cumulative[i] = product *= 1 - betas[i];
    return DiscreteVpSchedule(cumulative);
  }
  std::vector<double> alphas_cumprod_;
};

/// How a ContinuousVpSchedule places the N + 1 nodes between t = T and t = epsilon.
enum class Spacing { time_uniform, log_snr, time_quadratic };

/// DPM-Solver's continuous VP schedules, log alpha(t) for t in [epsilon, T]:
///   linear: log alpha = -(beta_1 - beta_0) t^2 / 4 - beta_0 t / 2 (beta_0 = 0.1, beta_1 = 20, T = 1);
///   cosine: log alpha = log cos((t + s)/(1 + s) pi/2) - log cos(s/(1 + s) pi/2) (s = 0.008, T = 0.9946).
class ContinuousVpSchedule {
 public:
  /// The linear schedule; throws qmcsim::error unless 0 < beta_0 < beta_1.
  static ContinuousVpSchedule linear(double beta_0 = 0.1, double beta_1 = 20) {
    qmcsim::detail::require(beta_0 > 0 && beta_1 > beta_0, "ContinuousVpSchedule::linear: need 0 < beta_0 = ",
                            beta_0, " < beta_1 = ", beta_1);
    return ContinuousVpSchedule(Kind::linear, beta_0, beta_1, 1.0);
  }
  /// The cosine schedule.
  static ContinuousVpSchedule cosine() { return ContinuousVpSchedule(Kind::cosine, 0, 0, 0.9946); }

  /// T.
  double final_time() const { return final_time_; }
  /// log alpha(t).
  double log_alpha(double t) const {
    if (kind_ == Kind::linear) return -0.25 * t * t * (beta_1_ - beta_0_) - 0.5 * t * beta_0_;
    return std::log(std::cos((t + s_) / (1 + s_) * M_PI / 2)) - std::log(std::cos(s_ / (1 + s_) * M_PI / 2));
  }
  /// sigma_bar = sqrt(exp(-2 log alpha) - 1), in the expm1 form that keeps small t accurate.
  double sigma_bar(double t) const { return std::sqrt(std::expm1(-2 * log_alpha(t))); }
  /// lambda(t) = -log sigma_bar(t), the half log-SNR.
  double lambda(double t) const { return -std::log(sigma_bar(t)); }
  /// The inverse of lambda(t), in closed form for both kinds.
  double time_of_lambda(double lambda) const {
    const double log_alpha = -0.5 * std::log1p(std::exp(-2 * lambda));  // -logaddexp(-2 lambda, 0) / 2
    if (kind_ == Kind::linear) {
      const double L = -2 * log_alpha, d = beta_1_ - beta_0_;
      return 2 * L / (std::sqrt(beta_0_ * beta_0_ + 2 * d * L) + beta_0_);
    }
    return 2 * (1 + s_) / M_PI * std::acos(std::exp(log_alpha + std::log(std::cos(s_ / (1 + s_) * M_PI / 2)))) - s_;
  }

  /// N steps from t = T to t = epsilon (model time = t); throws for epsilon outside (0, T).
  SigmaGrid grid(std::size_t steps, Spacing spacing, double epsilon = 1e-3) const {
    detail::require_steps("ContinuousVpSchedule::grid", steps);
    qmcsim::detail::require(epsilon > 0 && epsilon < final_time_, "ContinuousVpSchedule::grid: epsilon = ", epsilon,
                            " is outside (0, ", final_time_, ")");
    std::vector<double> sigma_bar(steps + 1), time(steps + 1);
    const double lambda_start = lambda(final_time_), lambda_end = lambda(epsilon);
    for (std::size_t i = 0; i <= steps; ++i) {
      const double u = static_cast<double>(i) / static_cast<double>(steps);
      switch (spacing) {
        case Spacing::time_uniform: time[i] = final_time_ + u * (epsilon - final_time_); break;
        case Spacing::log_snr: time[i] = time_of_lambda(lambda_start + u * (lambda_end - lambda_start)); break;
        case Spacing::time_quadratic: {
          const double root = std::sqrt(final_time_) + u * (std::sqrt(epsilon) - std::sqrt(final_time_));
          time[i] = root * root;
          break;
        }
      }
      sigma_bar[i] = spacing == Spacing::log_snr ? std::exp(-(lambda_start + u * (lambda_end - lambda_start)))
                                                 : this->sigma_bar(time[i]);
    }
    return SigmaGrid(sigma_bar, Scaling::variance_preserving, time);
  }

 private:
  enum class Kind { linear, cosine };
  ContinuousVpSchedule(Kind kind, double beta_0, double beta_1, double final_time)
      : kind_(kind), beta_0_(beta_0), beta_1_(beta_1), final_time_(final_time) {}
  Kind kind_;
  double beta_0_, beta_1_, final_time_;
  double s_ = 0.008;
};

/// Karras et al. (2022) sigmas: N - 1 intervals uniform in sigma^(1/rho) from sigma_max to sigma_min,
/// then a last step to sigma = 0 (N steps in all; variance-exploding scaling, time = sigma).
inline SigmaGrid karras_grid(std::size_t steps, double sigma_min = 0.002, double sigma_max = 80, double rho = 7) {
  detail::require_steps("karras_grid", steps);
  qmcsim::detail::require(sigma_min > 0 && sigma_max > sigma_min && rho > 0, "karras_grid: need 0 < sigma_min = ",
                          sigma_min, " < sigma_max = ", sigma_max, " and rho = ", rho, " > 0");
  std::vector<double> sigma(steps + 1, 0.0);
  const double top = std::pow(sigma_max, 1 / rho), bottom = std::pow(sigma_min, 1 / rho);
  for (std::size_t i = 0; i < steps; ++i) {
    const double u = steps == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(steps - 1);
    sigma[i] = std::pow(top + u * (bottom - top), rho);
  }
  return SigmaGrid(sigma, Scaling::variance_exploding);
}

/// N steps with sigma_bar uniform between `start` and `end` (>= 0): the grid on which constant-coefficient
/// multistep methods reach their classical order.
inline SigmaGrid uniform_grid(std::size_t steps, double start, double end, Scaling scaling) {
  detail::require_steps("uniform_grid", steps);
  std::vector<double> sigma(steps + 1);
  for (std::size_t i = 0; i <= steps; ++i)
    sigma[i] = start + static_cast<double>(i) / static_cast<double>(steps) * (end - start);
  sigma.back() = end;
  return SigmaGrid(sigma, scaling);
}

}  // namespace qmcsim::diffusion
