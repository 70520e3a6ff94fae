// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// The samplers as per-step coefficient plans (FFTW-style: the plan is computed once on the host in
/// double, a Sampler executes it): the deterministic ones below, and stochastic ones whose steps add
/// noise (ancestral_ddim).
///
/// All methods are recurrences on x_bar over a grid sigma_bar_0 > ... > sigma_bar_N, delta_n =
/// sigma_bar_{n+1} - sigma_bar_n < 0, e_n = eps(x_bar_n, sigma_bar_n), D_n = x0(x_bar_n, sigma_bar_n),
/// r_n = sigma_bar_{n+1} / sigma_bar_n, h_n = log(1 / r_n). Wizadwongsa et al., "Diffusion Sampling
/// with Momentum for Mitigating Divergence Artifacts" (ICLR 2024), and docs/diffusion.md:
///   DDIM                 x_{n+1} = x_n + delta_n e_n (Euler in sigma_bar; = PLMS order 1).
///   PLMS_k               x_{n+1} = x_n + delta_n sum_j b^(c)_j e_{n-j}, constant Adams-Bashforth weights,
///                        c = min(k, n + 1) (the lower-order warm-up of the paper's code).
///   PLMS_k + HB(beta)    p_n = the PLMS combination; v_{n+1} = (1 - beta) v_n + beta p_n (v_0 = e_0);
///                        x_{n+1} = x_n + delta_n v_{n+1}. First order for beta < 1 (paper Thm 1).
///   PLMS_k + NT(beta)    as HB, but x_{n+1} = x_n + delta_n ((1 - beta) v_{n+1} + beta p_n) (paper App. E).
///   GHVB_k(beta)         v_{n+1} = (1 - beta) v_n + beta e_n (v_0 = e_0), pushed on a velocity history;
///                        x_{n+1} = x_n + delta_n sum_j w^(c)_j(beta) v_{n+1-j}, with the weights of
///                        ghvb_weights; order k on uniform steps with a consistent start (paper Thm 2).
///   DPM-Solver++(kM)     data prediction, exponential integrator in lambda: x_{n+1} = r x_n + (1 - r) D~_n,
///                        D~ = D_n (k = 1), D_n + (D_n - D_{n-1}) / (2 rho_0) (2M, midpoint), or the 3M
///                        combination (Lu et al. 2022), rho_j = h_{n-1-j} / h_n.
///   DPM-Solver++(2M)+HB  v <- (1 - beta) v + beta D~_n on second-order steps, x_{n+1} = r x_n + (1 - r) v.
/// Every step is one of two shapes, with per-step scalars (StepCoefficients):
///   velocity-first (GHVB):  h_new = keep h_newest + mix m;  p = sum_j w_j h_{n-j};  x = a x + s p
///   combination-first:      h_new = m;  p = sum_j w_j h_{n-j};  v = keep v + mix p;  x = a x + s (cv v + cp p)
/// where m is the model output as eps (noise-form methods) or x0 (DPM-Solver++), h the history ring;
/// a stochastic step then adds noise z (z standard normal), and a step with direct weights u adds
/// sum_j u_j h_{n-j} to x (UniPC + HB: its predictor's part, the corrector's going through v).
/// A method of your own is a CustomSampler: a rule giving those scalars per step (SamplerPlan checks them).

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "qmcsim/diffusion/model.hpp"
#include "qmcsim/diffusion/schedule.hpp"

namespace qmcsim::diffusion {

/// The most history entries a step combines (PLMS and GHVB of order 5).
constexpr int max_multistep_order = 5;

/// The built-in samplers (see the file comment).
enum class Method {
  adams_bashforth,  ///< DDIM (order 1) and PLMS_k
  heavy_ball,       ///< PLMS_k + HB(beta)
  nesterov,         ///< PLMS_k + NT(beta)
  ghvb,             ///< GHVB_k(beta)
  dpm_solver_pp,    ///< DPM-Solver++ 1, 2M, 3M
  dpm_solver_pp_hb  ///< DPM-Solver++(2M) + HB(beta)
};

/// DPM-Solver++'s "lower_order_final": below the step count, step n has order at most N - n (the
/// last step first order): 10 in DPM-Solver's code, 15 in diffusers. A step to sigma_bar = 0 is
/// always first order (it returns D).
enum class LowerOrderFinal { none, below_10_steps, below_15_steps };

/// Where DPM-Solver++(2M)+HB starts its velocity: at the first second-order step (v := D~, the
/// paper's Stable Diffusion code, so that step is plain 2M) or before the loop (v := D_0, the paper's
/// ADM code, so the first 2M step already mixes (1 - beta) D_0 + beta D~_1).
enum class MomentumStart { first_second_order_step, first_evaluation };

/// Order k and damping beta of a momentum number m: k = ceil(m), beta = m - floor(m), or beta = 1 when m
/// is an integer (3.8 -> (4, 0.8), 4.0 -> (4, 1), 0.5 -> (1, 0.5)). beta is rounded to 1e-9 so that
/// decimal inputs such as 3.9 give exactly 0.9.
struct MomentumNumber {
  int order;    ///< k
  double beta;  ///< the damping, in (0, 1]
};

/// (k, beta) of m; throws qmcsim::error for m outside (0, max_multistep_order].
inline MomentumNumber parse_momentum_number(double m) {
  qmcsim::detail::require(std::isfinite(m) && m > 0 && m <= max_multistep_order, "momentum number m = ", m,
                  " is outside (0, ", max_multistep_order, "]");
  const double whole = std::floor(m);
  const double fraction = std::round((m - whole) * 1e9) / 1e9;
  if (fraction == 0) return {static_cast<int>(whole), 1.0};
  if (fraction == 1) return {static_cast<int>(whole) + 1, 1.0};
  return {static_cast<int>(whole) + 1, fraction};
}

/// A sampler: method, order, damping, and the options of the reference codes.
struct SamplerSpec {
  Method method = Method::adams_bashforth;  ///< the method
  int order = 1;                            ///< k (PLMS, GHVB) or the DPM-Solver++ order
  double beta = 1;                          ///< the momentum's damping; 1: none
  LowerOrderFinal lower_order_final = LowerOrderFinal::below_15_steps;  ///< DPM-Solver++ only
  MomentumStart momentum_start = MomentumStart::first_second_order_step;  ///< DPM-Solver++ + HB only

  /// DDIM.
  static SamplerSpec ddim() { return {Method::adams_bashforth, 1}; }
  /// PLMS of order k = order.
  static SamplerSpec plms(int order) { return {Method::adams_bashforth, order}; }
  /// PLMS_k with heavy-ball momentum.
  static SamplerSpec plms_hb(int order, double beta) { return {Method::heavy_ball, order, beta}; }
  /// PLMS_k with Nesterov momentum.
  static SamplerSpec plms_nesterov(int order, double beta) { return {Method::nesterov, order, beta}; }
  /// GHVB of order k and damping beta.
  static SamplerSpec ghvb(int order, double beta) { return {Method::ghvb, order, beta}; }
  /// GHVB of momentum number m (3.8: order 4, beta 0.8).
  static SamplerSpec ghvb(double momentum_number) {
    const MomentumNumber m = parse_momentum_number(momentum_number);
    return ghvb(m.order, m.beta);
  }
  /// DPM-Solver++ of order 1, 2 (2M) or 3 (3M).
  static SamplerSpec dpm_solver_pp(int order, LowerOrderFinal rule = LowerOrderFinal::below_15_steps) {
    return {Method::dpm_solver_pp, order, 1, rule};
  }
  /// DPM-Solver++(2M) with heavy-ball momentum.
  static SamplerSpec dpm_solver_pp_hb(double beta, MomentumStart start = MomentumStart::first_second_order_step,
                                      LowerOrderFinal rule = LowerOrderFinal::below_15_steps) {
    return {Method::dpm_solver_pp_hb, 2, beta, rule, start};
  }

  /// Whether the history holds x0 predictions (DPM-Solver++) rather than eps.
  bool data_form() const { return method == Method::dpm_solver_pp || method == Method::dpm_solver_pp_hb; }
  /// Whether the sampler keeps a velocity besides the history (HB, NT, DPM-Solver++ + HB).
  bool has_velocity() const {
    return method == Method::heavy_ball || method == Method::nesterov || method == Method::dpm_solver_pp_hb;
  }
  /// The largest order the method takes.
  int max_order() const {
    return method == Method::dpm_solver_pp ? 3 : method == Method::dpm_solver_pp_hb ? 2 : max_multistep_order;
  }
  /// The smallest order the method takes.
  int min_order() const { return method == Method::dpm_solver_pp_hb ? 2 : 1; }

  /// Throws qmcsim::error for an order outside the method's range or beta outside (0, 1].
  void validate() const {
    qmcsim::detail::require(order >= min_order() && order <= max_order(), name(), ": order = ", order, " is outside [",
                    min_order(), ", ", max_order(), "]");
    qmcsim::detail::require(std::isfinite(beta) && beta > 0 && beta <= 1, name(), ": beta = ", beta,
                    " is outside (0, 1] (beta = 1 is no momentum)");
  }

  /// "ddim", "plms4", "plms4+hb0.8", "plms4+nt0.8", "ghvb3.8", "dpm++2m", "dpm++2m+hb0.8".
  std::string name() const {
    const std::string k = std::to_string(order);
    switch (method) {
      case Method::adams_bashforth: return order == 1 ? "ddim" : "plms" + k;
      case Method::heavy_ball: return "plms" + k + "+hb" + beta_text();
      case Method::nesterov: return "plms" + k + "+nt" + beta_text();
      case Method::ghvb: return "ghvb" + (beta == 1 ? k + ".0" : std::to_string(order - 1) + beta_text().substr(1));
      case Method::dpm_solver_pp: return "dpm++" + k + (order == 1 ? "" : "m");
      case Method::dpm_solver_pp_hb: return "dpm++2m+hb" + beta_text();
    }
    return "";
  }

 private:
  std::string beta_text() const {
    std::string text = std::to_string(beta);
    while (text.size() > 3 && text.back() == '0') text.pop_back();
    return text;
  }
};

/// Gregory coefficients gamma_j of the backward-difference Adams-Bashforth series, j = 0..5.
constexpr double adams_gamma[max_multistep_order + 1] = {1.0, 0.5, 5.0 / 12, 3.0 / 8, 251.0 / 720, 95.0 / 288};

/// GHVB weights w^(c)(beta), newest first: u = (1/beta) sum_{j<c} c_j nabla^j v with c_0 = beta,
/// c_j = beta gamma_j + (1 - beta) gamma_{j-1} (paper eq. 16-19), expanded on v_{n+1}, ..., v_{n+2-c}.
/// Each row sums to 1; beta = 1 gives the Adams-Bashforth weights of order c.
inline std::vector<double> ghvb_weights(int count, double beta) {
  qmcsim::detail::require(count >= 1 && count <= max_multistep_order, "ghvb_weights: count = ", count, " is outside [1, ",
                  max_multistep_order, "]");
  std::vector<double> weights(count, 0.0);
  for (int j = 0; j < count; ++j) {
    const double c = j == 0 ? beta : beta * adams_gamma[j] + (1 - beta) * adams_gamma[j - 1];
    double binomial = 1;  // C(j, i) (-1)^i
    for (int i = 0; i <= j; ++i) {
      weights[i] += c * binomial / beta;
      binomial *= -static_cast<double>(j - i) / static_cast<double>(i + 1);
    }
  }
  return weights;
}

/// Adams-Bashforth weights of order c, newest first: (1), (3, -1)/2, (23, -16, 5)/12, ...
inline std::vector<double> adams_bashforth_weights(int count) { return ghvb_weights(count, 1.0); }

/// The scalars of one step (see the file comment); weights apply to the history newest first.
struct StepCoefficients {
  Kokkos::Array<double, max_multistep_order> weights;  ///< w_j of p = sum_j w_j h_{n-j}
  int count;                                           ///< the w_j used
  bool velocity_first;   ///< GHVB: the history holds velocities
  bool update_velocity;  ///< combination-first with momentum
  double keep;                ///< the velocity's factor on its old value
  double mix;                 ///< the velocity's factor on the new input
  double position_scale;      ///< a in x = a x + s (...)
  double step;                ///< s in x = a x + s (...)
  double velocity_weight;     ///< cv, the weight of v in the direction
  double combination_weight;  ///< cp, the weight of p in the direction
  double noise;  ///< stochastic samplers: x += noise z, z standard normal per (step, sample, coordinate); else 0
  /// x += sum_j direct_weights_j h_{n-j}: a second combination of the history added to x besides the
  /// step's direction (UniPC with momentum: its predictor's part, while its corrector's goes through
  /// the velocity). direct_count = 0 (none) for every other method.
  Kokkos::Array<double, max_multistep_order> direct_weights;
  int direct_count;  ///< the direct weights used
};

/// A combination-first step without momentum: p = sum_j weights_j h_{n-j}, x = position_scale x + step p.
inline StepCoefficients combination_step(const std::vector<double>& weights, double position_scale, double step) {
  qmcsim::detail::require(!weights.empty() && weights.size() <= static_cast<std::size_t>(max_multistep_order),
                          "combination_step: ", weights.size(), " weights, expected 1 to ", max_multistep_order);
  StepCoefficients c{};
  for (std::size_t j = 0; j < weights.size(); ++j) c.weights[j] = weights[j];
  c.count = static_cast<int>(weights.size());
  c.keep = 1, c.mix = 0, c.position_scale = position_scale, c.step = step, c.velocity_weight = 0,
  c.combination_weight = 1, c.noise = 0, c.direct_count = 0;
  return c;
}

/// A sampler of your own: `rule(n, grid)` gives the coefficients of step n in one of the two step
/// shapes of the file comment, so a new method is a function, not a new Method. `form` is what the
/// history holds (eps for Prediction::noise, x0 for Prediction::data), `history` its number of slots
/// (at least every step's count), `velocity` whether a step updates a separate velocity
/// (update_velocity). SamplerPlan checks every step (counts, finite scalars, weights summing to 1).
///
///   CustomSampler ab2{"variable-step ab2", Prediction::noise, 2, false, [](std::size_t n, const SigmaGrid& g) {...}};
///   Sampler<double> sampler(SamplerPlan(ab2, grid), batch, dim);
struct CustomSampler {
  std::string name;                     ///< for messages and benchmarks
  Prediction form = Prediction::noise;  ///< what the history holds
  int history = 1;                      ///< its slots
  bool velocity = false;                ///< whether steps update a velocity
  std::function<StepCoefficients(std::size_t n, const SigmaGrid& grid)> rule;  ///< step n's coefficients
};

/// DDIM with stochasticity eta in [0, 1] (Song et al. 2021, eq. 16), in x_bar: with r = sigma_bar_{n+1} /
/// sigma_bar_n, the noise s = eta sigma_bar_{n+1} sqrt(1 - r^2) is added and the deterministic step
/// shortened to keep the variance: x_bar_{n+1} = x_bar_n + (sigma_bar_{n+1} sqrt(1 - eta^2 (1 - r^2))
/// - sigma_bar_n) e_n + s z. eta = 0 is DDIM; eta = 1 is the ancestral sampler, diffusers'
/// DDIMScheduler(eta = 1) and EulerAncestralDiscreteScheduler (sigma_up = s, sigma_down the rest).
/// z is a Philox normal keyed by (the Sampler's seed, step, sample, coordinate): the same Philox bits on
/// every back end.
inline CustomSampler ancestral_ddim(double eta) {
  qmcsim::detail::require(eta >= 0 && eta <= 1, "ancestral_ddim: eta = ", eta, " must be in [0, 1]");
  return {"ancestral-ddim", Prediction::noise, 1, false, [eta](std::size_t n, const SigmaGrid& grid) {
            const double from = grid.sigma_bar(n), to = grid.sigma_bar(n + 1), r = to / from;
            const double kept = 1 - r * r;  // the share of sigma_bar_{n+1}^2 that noise may take, scaled by eta^2
            StepCoefficients c = combination_step({1.0}, 1, to * std::sqrt(1 - eta * eta * kept) - from);
            c.noise = eta * to * std::sqrt(kept);
            return c;
          }};
}

namespace detail {
/// The coefficients of the built-in methods (SamplerSpec) on a grid.
struct BuiltInSteps {
  const SamplerSpec& spec;
  const SigmaGrid& grid;

  StepCoefficients step(std::size_t n) const { return spec.data_form() ? data_step(n) : noise_step(n); }

  StepCoefficients noise_step(std::size_t n) const {
    const int count = std::min<int>(spec.order, static_cast<int>(n) + 1);
    const double beta = spec.beta;
    StepCoefficients c = combination_step(spec.method == Method::ghvb ? ghvb_weights(count, beta)
                                                                      : adams_bashforth_weights(count),
                                          1, grid.sigma_bar(n + 1) - grid.sigma_bar(n));
    if (spec.method == Method::adams_bashforth) return c;
    // v_0 = e_0: the first step sets the velocity to its input.
    c.keep = n == 0 ? 0 : 1 - beta, c.mix = n == 0 ? 1 : beta;
    c.velocity_first = spec.method == Method::ghvb;
    c.update_velocity = !c.velocity_first;
    if (spec.method == Method::heavy_ball) c.velocity_weight = 1, c.combination_weight = 0;
    if (spec.method == Method::nesterov) c.velocity_weight = 1 - beta, c.combination_weight = beta;
    return c;
  }

  int data_order(std::size_t n) const {
    const std::size_t total = grid.steps();
    int order = std::min<int>(spec.order, static_cast<int>(n) + 1);
    const std::size_t threshold = spec.lower_order_final == LowerOrderFinal::below_10_steps   ? 10
                                  : spec.lower_order_final == LowerOrderFinal::below_15_steps ? 15
                                                                                              : 0;
    if (total < threshold) order = std::min<int>(order, static_cast<int>(total - n));
    return grid.sigma_bar(n + 1) == 0 ? 1 : order;
  }

  double log_step(std::size_t n) const { return std::log(grid.sigma_bar(n) / grid.sigma_bar(n + 1)); }

  StepCoefficients data_step(std::size_t n) const {
    const int order = data_order(n);
    std::vector<double> weights{1.0};
    if (order == 2) {
      const double rho = log_step(n - 1) / log_step(n);
      weights = {1 + 1 / (2 * rho), -1 / (2 * rho)};
    } else if (order == 3) {
      weights = third_order_weights(n);
    }
    const double r = grid.sigma_bar(n + 1) / grid.sigma_bar(n);
    StepCoefficients c = combination_step(weights, r, 1 - r);
    if (spec.method != Method::dpm_solver_pp_hb) return c;
    const bool first_second_order = order == 2 && (n == 0 || data_order(n - 1) == 1);
    if (order == 2) {
      const bool start = first_second_order && spec.momentum_start == MomentumStart::first_second_order_step;
      c.update_velocity = true, c.keep = start ? 0 : 1 - spec.beta, c.mix = start ? 1 : spec.beta;
      c.velocity_weight = 1, c.combination_weight = 0;
    } else if (n == 0 && spec.momentum_start == MomentumStart::first_evaluation) {
      c.update_velocity = true, c.keep = 0, c.mix = 1;  // v := D_0; the step itself stays first order
    }
    return c;
  }

  /// x_{n+1} = r x_n - phi_1 D_n + phi_2 D1 - phi_3 D2 (DPM-Solver++ 3M) as (1 - r) sum_j w_j D_{n-j}.
  std::vector<double> third_order_weights(std::size_t n) const {
    const double h = log_step(n), rho_0 = log_step(n - 1) / h, rho_1 = log_step(n - 2) / h;
    const double phi_1 = std::expm1(-h), phi_2 = phi_1 / h + 1, phi_3 = phi_2 / h - 0.5;
    // d_0 = (D_n - D_{n-1}) / rho_0 and d_1 = (D_{n-1} - D_{n-2}) / rho_1 as weights on (D_n, D_{n-1}, D_{n-2}).
    const double d0[3] = {1 / rho_0, -1 / rho_0, 0}, d1[3] = {0, 1 / rho_1, -1 / rho_1};
    const double ratio = rho_0 / (rho_0 + rho_1);
    std::vector<double> weights(3);
    for (int j = 0; j < 3; ++j) {
      const double first = d0[j] + ratio * (d0[j] - d1[j]), second = (d0[j] - d1[j]) / (rho_0 + rho_1);
      weights[j] = ((j == 0 ? -phi_1 : 0.0) + phi_2 * first - phi_3 * second) / -phi_1;
    }
    return weights;
  }
};

/// Throws qmcsim::error naming step n of `name` when its coefficients cannot be run or are inconsistent.
inline void check_step(const std::string& name, std::size_t n, const StepCoefficients& c, int history, bool velocity) {
  qmcsim::detail::require(c.count >= 1 && c.count <= history, name, ": step ", n, " combines ", c.count, " history entries, the plan has ",
          history, " slots");
  qmcsim::detail::require(!(c.velocity_first && c.update_velocity), name, ": step ", n,
          " is both velocity-first and updates a velocity (one step shape at a time)");
  qmcsim::detail::require(velocity || !c.update_velocity, name, ": step ", n, " updates a velocity the sampler was not declared with");
  double sum = 0;
  for (int j = 0; j < c.count; ++j) {
    qmcsim::detail::require(std::isfinite(c.weights[j]), name, ": step ", n, " weight ", j, " = ", c.weights[j]);
    sum += c.weights[j];
  }
  qmcsim::detail::require(std::fabs(sum - 1) < 1e-9, name, ": the weights of step ", n, " sum to ", sum,
          ", not 1 (an inconsistent method converges to a wrong answer)");
  for (double v : {c.keep, c.mix, c.position_scale, c.step, c.velocity_weight, c.combination_weight})
    qmcsim::detail::require(std::isfinite(v), name, ": step ", n, " has a non-finite scalar ", v);
  qmcsim::detail::require(std::isfinite(c.noise) && c.noise >= 0, name, ": step ", n, " has noise = ", c.noise,
                          "; it must be finite and >= 0");
  qmcsim::detail::require(c.direct_count >= 0 && c.direct_count <= history, name, ": step ", n, " adds ", c.direct_count,
                          " history entries directly, the plan has ", history, " slots");
  qmcsim::detail::require(c.direct_count == 0 || !c.velocity_first, name, ": step ", n,
                          " adds history entries directly to x, which a velocity-first step's history (velocities) "
                          "cannot give");
  for (int j = 0; j < c.direct_count; ++j)
    qmcsim::detail::require(std::isfinite(c.direct_weights[j]), name, ": step ", n, " direct weight ", j, " = ",
                            c.direct_weights[j]);
}
}  // namespace detail

/// SDE-DPM-Solver++ (Lu et al. 2022, the stochastic solver of DPM-Solver++; diffusers'
/// DPMSolverMultistepScheduler(algorithm_type = "sde-dpmsolver++")), first order or 2M. In x_bar with
/// r = sigma_bar_{n+1} / sigma_bar_n = e^-h,
///   x_bar_{n+1} = r^2 x_bar_n + (1 - r^2) D~_n + sigma_bar_{n+1} sqrt(1 - r^2) z,
/// where D~_n is DPM-Solver++(2M)'s combination of the last two x0 predictions (the same orders, its
/// lower-order final steps included) and z the Sampler's Philox normals. A step to sigma_bar = 0 is
/// x_bar = D~ (r = 0).
inline CustomSampler sde_dpm_solver_pp(int order = 2, LowerOrderFinal rule = LowerOrderFinal::below_15_steps) {
  qmcsim::detail::require(order == 1 || order == 2, "sde_dpm_solver_pp: order = ", order, " must be 1 or 2");
  const SamplerSpec spec = SamplerSpec::dpm_solver_pp(order, rule);
  return {"sde-" + spec.name(), Prediction::data, order, false, [spec](std::size_t n, const SigmaGrid& grid) {
            StepCoefficients c = detail::BuiltInSteps{spec, grid}.data_step(n);
            const double r = grid.sigma_bar(n + 1) / grid.sigma_bar(n), kept = 1 - r * r;
            c.position_scale = r * r, c.step = kept, c.noise = grid.sigma_bar(n + 1) * std::sqrt(kept);
            return c;
          }};
}

/// UniPC's B(h) (Zhao et al. 2023): bh1 = h, bh2 = e^h - 1 (in their sign convention; diffusers'
/// solver_type). bh2 is diffusers' default and the paper's choice for guided sampling.
enum class UniPcVariant { bh1, bh2 };

namespace detail {
/// UniPC in data prediction on a grid: the increments of its predictor UniP and corrector UniC as
/// coefficients on the history (m_n, m_{n-1}, ...) of step n.
struct UniPcSteps {
  const SigmaGrid& grid;
  int order;
  UniPcVariant variant;
  bool lower_order_final;
  double beta;  ///< the corrector's heavy-ball damping; 1: none

  /// The predictor's order at step n: the warm-up (n + 1), diffusers' lower_order_final (N - n), and
  /// first order for a step to sigma_bar = 0.
  int predictor_order(std::size_t n) const {
    int p = std::min<int>(order, static_cast<int>(n) + 1);
    if (lower_order_final) p = std::min<int>(p, static_cast<int>(grid.steps() - n));
    return grid.sigma_bar(n + 1) == 0 ? 1 : p;
  }

  /// The step from node `from` to `from + 1` of order q is x_bar_{from+1} = r x_bar_from + increment,
  ///   increment = (1 - r) m_from - B(h) sum_k rho_k D_k,  D_k = (m_{from-k} - m_from) / r_k,
  /// r_k = (lambda_{from-k} - lambda_from) / h, lambda = -log sigma_bar, h = lambda_{from+1} - lambda_from;
  /// the corrector adds D_q = m_{from+1} - m_from (r_q = 1), the model output at the new node, and
  /// solves for all q rho's, the predictor for q - 1 (the paper's order conditions; rho = 1/2 at q = 2
  /// for UniP and q = 1 for UniC, as the reference code). Adds `scale` times the increment to c, whose
  /// entry j is the coefficient of m_{n-j}.
  void add_increment(std::vector<double>& c, std::size_t n, std::size_t from, int q, bool corrector, double scale) const {
    const double r = grid.sigma_bar(from + 1) / grid.sigma_bar(from);
    const std::size_t first = n - from;  // m_from is m_{n - first}
    c[first] += scale * (1 - r);
    const int terms = corrector ? q : q - 1;
    if (terms == 0) return;
    const auto lambda = [&](std::size_t k) { return -std::log(grid.sigma_bar(k)); };
    const double h = lambda(from + 1) - lambda(from), hh = -h;
    const double B = variant == UniPcVariant::bh1 ? hh : std::expm1(hh);
    std::vector<double> rk(q), b(q);
    for (int k = 1; k < q; ++k) rk[k - 1] = (lambda(from - k) - lambda(from)) / h;
    rk[q - 1] = 1;
    double phi = std::expm1(hh) / hh - 1, factorial = 1;
    for (int i = 1; i <= q; ++i) {
      b[i - 1] = phi * factorial / B;
      factorial *= i + 1;
      phi = phi / hh - 1 / factorial;
    }
    std::vector<double> rho;
    if (corrector && q == 1) rho = {0.5};
    else if (!corrector && q == 2) rho = {0.5};
    else rho = solve_vandermonde(rk, b, terms);
    // - B sum_k rho_k (m_{from-k} - m_from) / r_k, and for the corrector - B rho_q (m_{from+1} - m_from)
    for (int k = 1; k <= terms; ++k) {
      const double w = -B * rho[k - 1] / rk[k - 1];
      const bool newest = corrector && k == q;
      c[newest ? first - 1 : first + k] += scale * w;
      c[first] -= scale * w;
    }
  }

  /// rho solving sum_k rk_k^(i-1) rho_k = b_i, i = 1..terms (Gaussian elimination with partial
  /// pivoting; terms <= 4).
  static std::vector<double> solve_vandermonde(const std::vector<double>& rk, const std::vector<double>& b, int terms) {
    std::vector<std::vector<double>> a(terms, std::vector<double>(terms + 1));
    for (int i = 0; i < terms; ++i) {
      for (int k = 0; k < terms; ++k) a[i][k] = std::pow(rk[k], i);
      a[i][terms] = b[i];
    }
    for (int col = 0; col < terms; ++col) {
      int pivot = col;
      for (int i = col + 1; i < terms; ++i)
        if (std::fabs(a[i][col]) > std::fabs(a[pivot][col])) pivot = i;
      std::swap(a[col], a[pivot]);
      for (int i = col + 1; i < terms; ++i) {
        const double f = a[i][col] / a[col][col];
        for (int k = col; k <= terms; ++k) a[i][k] -= f * a[col][k];
      }
    }
    std::vector<double> x(terms);
    for (int i = terms - 1; i >= 0; --i) {
      double v = a[i][terms];
      for (int k = i + 1; k < terms; ++k) v -= a[i][k] * x[k];
      x[i] = v / a[i][i];
    }
    return x;
  }

  /// Step n as the sampler runs it: x holds UniP's x_n, which the corrector turns into
  /// x_n^c = x_n - increment_P(n - 1) + increment_C(n) (both from x_{n-1}^c); then UniP:
  ///   x_{n+1} = r_n x_n^c + increment_P(n) = r_n x_n + r_n (increment_C(n) - increment_P(n - 1)) + increment_P(n).
  ///
  /// With momentum (beta < 1, the paper's UniPC + HB) the corrector moves along a velocity instead:
  /// x_n^c = r_{n-1} x_{n-1}^c + (1 - r_{n-1}) sigma_n v_n, v_n = (1 - beta) v_{n-1} + beta C_n / sigma_n
  /// (v_1 = C_1 / sigma_1), where inc_C(n) = (1 - r_{n-1}) C_n and sigma = sigma_bar / sqrt(1 + sigma_bar^2)
  /// is the VP noise level (the reference code averages C / sigma_t); the predictor keeps no momentum
  /// (the reference code overwrites its average). The step is then
  ///   x_{n+1} = r_n x_n + [inc_P(n) - r_n inc_P(n - 1)] + r_n (1 - r_{n-1}) sigma_n v_n,
  /// with C_n through the velocity and the bracket as direct weights; beta = 1 gives the step above.
  StepCoefficients step(std::size_t n) const {
    const double r = grid.sigma_bar(n + 1) / grid.sigma_bar(n);
    std::vector<double> c(order + 1, 0.0);
    add_increment(c, n, n, predictor_order(n), false, 1);
    if (n == 0) return combination_step(trimmed(c, 1 - r), r, 1 - r);
    const int q = predictor_order(n - 1);
    if (beta == 1) {
      add_increment(c, n, n - 1, q, true, r);
      add_increment(c, n, n - 1, q, false, -r);
      return combination_step(trimmed(c, 1 - r), r, 1 - r);
    }
    add_increment(c, n, n - 1, q, false, -r);
    const double r_previous = grid.sigma_bar(n) / grid.sigma_bar(n - 1);
    std::vector<double> corrector(order + 1, 0.0);
    add_increment(corrector, n, n - 1, q, true, 1);
    const double sigma = grid.sigma_bar(n) / std::sqrt(1 + grid.sigma_bar(n) * grid.sigma_bar(n));
    StepCoefficients step = combination_step(trimmed(corrector, 1 - r_previous), r, r * (1 - r_previous) * sigma);
    step.update_velocity = true;
    step.keep = n == 1 ? 0 : 1 - beta;
    step.mix = (n == 1 ? 1 : beta) / sigma;
    step.velocity_weight = 1, step.combination_weight = 0;
    const std::vector<double> direct = trimmed(c, 1);
    for (std::size_t j = 0; j < direct.size(); ++j) step.direct_weights[j] = direct[j];
    step.direct_count = static_cast<int>(direct.size());
    return step;
  }

  /// The coefficients without their trailing zeros, divided by `scale`.
  static std::vector<double> trimmed(const std::vector<double>& c, double scale) {
    std::size_t count = c.size();
    while (count > 1 && c[count - 1] == 0) --count;
    std::vector<double> weights(c.begin(), c.begin() + static_cast<long>(count));
    for (double& w : weights) w /= scale;
    return weights;
  }
};
}  // namespace detail

/// UniPC (Zhao et al. 2023, "UniPC: a unified predictor-corrector framework"), data prediction, order
/// 1-3, as diffusers' UniPCMultistepScheduler (predict_x0, corrector at every step): the corrector
/// UniC re-solves the last step with the model output at its end, which the next predictor UniP
/// reuses, so it costs no model evaluation. The sampler holds UniP's point; each step applies UniC
/// and UniP together as one linear step on (x, m_n, ..., m_{n-order}) (history order + 1). beta < 1 is
/// the paper's UniPC with heavy-ball momentum on the corrector (its reference code's
/// MomentumUniPCMultistepScheduler; detail::UniPcSteps::step has the recurrence); beta = 1 is plain UniPC.
inline CustomSampler unipc(int order = 2, UniPcVariant variant = UniPcVariant::bh2, bool lower_order_final = true,
                           double beta = 1) {
  qmcsim::detail::require(order >= 1 && order <= 3, "unipc: order = ", order, " must be 1, 2 or 3");
  qmcsim::detail::require(std::isfinite(beta) && beta > 0 && beta <= 1, "unipc: beta = ", beta,
                          " is outside (0, 1] (beta = 1 is no momentum)");
  std::string name = "unipc" + std::to_string(order) + (variant == UniPcVariant::bh1 ? "-bh1" : "-bh2");
  if (beta < 1) {
    std::string text = std::to_string(beta);
    while (text.size() > 3 && text.back() == '0') text.pop_back();
    name += "+hb" + text;
  }
  return {name, Prediction::data, order + 1, beta < 1, [=](std::size_t n, const SigmaGrid& grid) {
            return detail::UniPcSteps{grid, order, variant, lower_order_final, beta}.step(n);
          }};
}

/// The coefficients of every step of a sampler on `grid`, computed once in double.
class SamplerPlan {
 public:
  /// The plan of a built-in method; throws qmcsim::error for an order or beta it does not take.
  SamplerPlan(const SamplerSpec& spec, const SigmaGrid& grid)
      : name_(spec.name()),
        form_(spec.data_form() ? Prediction::data : Prediction::noise),
        history_(spec.order),
        velocity_(spec.has_velocity()),
        grid_(grid) {
    spec.validate();
    const detail::BuiltInSteps built_in{spec, grid_};
    for (std::size_t n = 0; n < grid_.steps(); ++n) steps_.push_back(built_in.step(n));
  }

  /// A plan of your own method; throws qmcsim::error for a step that cannot be run or whose weights
  /// do not sum to 1.
  SamplerPlan(const CustomSampler& sampler, const SigmaGrid& grid)
      : name_(sampler.name), form_(sampler.form), history_(sampler.history), velocity_(sampler.velocity), grid_(grid) {
    qmcsim::detail::require(sampler.form != Prediction::velocity, name_,
                            ": the history holds eps (Prediction::noise) or x0 (Prediction::data), not v");
    qmcsim::detail::require(history_ >= 1 && history_ <= max_multistep_order, name_, ": history = ", history_,
                            " is outside [1, ", max_multistep_order, "]");
    qmcsim::detail::require(static_cast<bool>(sampler.rule), name_, ": no rule");
    for (std::size_t n = 0; n < grid_.steps(); ++n) {
      steps_.push_back(sampler.rule(n, grid_));
      detail::check_step(name_, n, steps_.back(), history_, velocity_);
    }
  }

  /// The method's name ("ghvb3.8", "unipc2-bh2", ...).
  const std::string& name() const { return name_; }
  /// The grid the plan was made for.
  const SigmaGrid& grid() const { return grid_; }
  /// N, the number of steps.
  std::size_t steps() const { return steps_.size(); }
  /// The coefficients of step n (from node n to n + 1).
  const StepCoefficients& step(std::size_t n) const { return steps_.at(n); }
  /// What the history stores: eps for the noise-form methods, x0 for DPM-Solver++.
  Prediction form() const { return form_; }
  /// Slots of the history ring.
  int history() const { return history_; }
  /// Whether the sampler keeps a velocity besides the history (HB, NT, DPM-Solver++ + HB).
  bool has_velocity() const { return velocity_; }

 private:
  std::string name_;
  Prediction form_;
  int history_;
  bool velocity_;
  SigmaGrid grid_;
  std::vector<StepCoefficients> steps_;
};

}  // namespace qmcsim::diffusion
