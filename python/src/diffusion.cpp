// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Diffusion samplers (DDIM, PLMS, heavy-ball and Nesterov variants, GHVB, DPM-Solver++) driven by a
// Python model: any callable model(x, sigma_bar, alpha, t) -> array of the batch's shape, e.g. a
// torch module wrapped to take and return NumPy arrays (torch.from_numpy shares the memory), or the
// library's own analytic model, a GaussianMixture, evaluated inside the step kernel.

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <cmath>
#include <optional>

#include "arrays.hpp"
#include "integers.hpp"
#include "qmcsim/diffusion/gaussian_mixture.hpp"
#include "qmcsim/diffusion/sampler.hpp"
#include "runtime.hpp"

namespace qmcsim::python {
namespace {

using namespace qmcsim::diffusion;

SamplerSpec spec_of(const std::string& method, std::optional<double> order, std::optional<double> beta) {
  const auto integer = [&](double fallback) {
    const double k = order.value_or(fallback);
    require_argument(k == std::floor(k) && k >= 1 && k <= max_multistep_order, "Sampler: order = ", k, " must be an integer in [1, ",
                     max_multistep_order, "] for ", method);
    return static_cast<int>(k);
  };
  if (method == "ddim") return SamplerSpec::ddim();
  if (method == "plms") return SamplerSpec::plms(integer(4));
  if (method == "plms-hb") return SamplerSpec::plms_hb(integer(4), beta.value_or(0.8));
  if (method == "plms-nt") return SamplerSpec::plms_nesterov(integer(4), beta.value_or(0.8));
  if (method == "ghvb") return beta ? SamplerSpec::ghvb(integer(4), *beta) : SamplerSpec::ghvb(order.value_or(3.8));
  if (method == "dpmpp-2m") return SamplerSpec::dpm_solver_pp(2);
  if (method == "dpmpp-3m") return SamplerSpec::dpm_solver_pp(3);
  if (method == "dpmpp-hb") return SamplerSpec::dpm_solver_pp_hb(beta.value_or(0.8));
  throw qmcsim::error("Sampler: method '" + qmcsim::detail::printable(method) +
              "' is unknown: use ddim, plms, plms-hb, plms-nt, ghvb, dpmpp-2m, dpmpp-3m, dpmpp-hb, sde-dpmpp-1, "
              "sde-dpmpp-2m, unipc or unipc-bh1");
}

Prediction prediction_of(const std::string& text) {
  if (text == "noise") return Prediction::noise;
  if (text == "data") return Prediction::data;
  if (text == "velocity") return Prediction::velocity;
  throw qmcsim::error("Sampler: prediction '" + qmcsim::detail::printable(text) + "' is unknown: use noise, data or velocity");
}

/// The grid of a discrete VP schedule (1000 training timesteps) as the constructor's keywords choose it.
struct GridChoice {
  std::string schedule, spacing, final_sigma;
  std::size_t steps_offset;
  bool zero_terminal_snr, karras;

  SigmaGrid grid(std::size_t steps) const {
    require_argument(schedule == "scaled-linear" || schedule == "linear" || schedule == "cosine", "Sampler: schedule '",
                     qmcsim::detail::printable(schedule), "' is unknown: use scaled-linear, linear or cosine");
    DiscreteVpSchedule vp = schedule == "linear"   ? DiscreteVpSchedule::linear()
                            : schedule == "cosine" ? DiscreteVpSchedule::cosine()
                                                   : DiscreteVpSchedule::scaled_linear();
    if (zero_terminal_snr) vp = vp.rescaled_to_zero_terminal_snr();
    require_argument(final_sigma == "timestep" || final_sigma == "zero", "Sampler: final_sigma '",
                     qmcsim::detail::printable(final_sigma), "' is unknown: use timestep (end at t = 0) or zero");
    if (karras) {
      require_argument(spacing == "linspace" && steps_offset == 0 && final_sigma == "zero",
                       "Sampler: karras = True spaces sigmas itself and ends at sigma_bar = 0: leave spacing, "
                       "steps_offset and final_sigma at linspace, 0 and zero");
      return vp.karras_grid(steps);
    }
    const TimestepSpacing placed = spacing == "linspace"  ? TimestepSpacing::linspace
                                   : spacing == "leading" ? TimestepSpacing::leading
                                   : spacing == "trailing"
                                       ? TimestepSpacing::trailing
                                       : throw qmcsim::error("Sampler: spacing '" + qmcsim::detail::printable(spacing) +
                                                             "' is unknown: use linspace, leading or trailing");
    return vp.timestep_grid(steps, final_sigma == "zero" ? FinalSigma::zero : FinalSigma::last_timestep, placed, steps_offset);
  }
};

using Batch = RealArray;  // (rows, columns)

/// Gaussian-mixture data with its exact denoiser (a data prediction), held for the sampler's kernels.
struct PythonMixture : Counted {
  GaussianMixture mixture;
  GaussianMixtureDenoiser<Host::memory_space> denoiser;

  explicit PythonMixture(GaussianMixture law) : mixture(std::move(law)), denoiser(make_denoiser<Host>(mixture)) {}

  static std::vector<std::vector<double>> rows(const Batch& array) {
    std::vector<std::vector<double>> out(array.shape(0));
    for (std::size_t k = 0; k < out.size(); ++k)
      out[k].assign(array.data() + k * array.shape(1), array.data() + (k + 1) * array.shape(1));
    return out;
  }

  /// The (K, d) array of entry(k, i): the means or the variances.
  HostArray<double> table(double (GaussianMixture::*entry)(std::size_t, std::size_t) const) const {
    const std::size_t components = mixture.components(), dim = mixture.dimension();
    auto out = new_array<double>({components, dim});
    for (std::size_t k = 0; k < components; ++k)
      for (std::size_t i = 0; i < dim; ++i) out.data()[k * dim + i] = (mixture.*entry)(k, i);
    return out;
  }

  /// x0(x_bar) at sigma_bar for a batch (B, d) of noised points x_bar = x_0 + sigma_bar eps.
  nb::object denoise(nb::handle x_bar_argument, double sigma_bar) const {
    const Batch x_bar = real_array(x_bar_argument, "GaussianMixture.denoise", "x_bar", 2);
    const std::size_t batch = x_bar.shape(0), dim = mixture.dimension();
    require_argument(x_bar.shape(1) == dim, "GaussianMixture.denoise: x_bar has ", x_bar.shape(1),
                     " columns, the mixture ", dim, " coordinates");
    require_argument(std::isfinite(sigma_bar) && sigma_bar >= 0, "GaussianMixture.denoise: sigma_bar = ", sigma_bar,
                     " must be finite and non-negative");
    auto out = new_array<double>({batch, dim});
    {
      KernelScope scope;
      using Matrix = Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
      const Kokkos::View<const double**, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> in(
          x_bar.data(), batch, dim);
      const Matrix result(out.data(), batch, dim);
      const NoiseLevel level{sigma_bar, 1.0 / std::sqrt(1.0 + sigma_bar * sigma_bar), 0.0};
      const auto model = denoiser;
      Kokkos::parallel_for("qmcsim::python::denoise", Kokkos::RangePolicy<Host>(0, batch),
                           [=](std::size_t b) { model(in, b, level, result); });
      Host().fence();
    }
    return nb::cast(out);
  }
};

struct PythonSampler : Counted {
  Sampler<double, Host> sampler;
  Prediction prediction;

  PythonSampler(const std::string& method, std::optional<double> order, std::optional<double> beta, double eta,
                std::size_t steps, std::size_t batch, std::size_t dimension, const std::string& predicts,
                const GridChoice& grid)
      : sampler(make(method, order, beta, eta, steps, batch, dimension, grid)), prediction(prediction_of(predicts)) {}

  static Sampler<double, Host> make(const std::string& method, std::optional<double> order, std::optional<double> beta,
                                    double eta, std::size_t steps, std::size_t batch, std::size_t dimension,
                                    const GridChoice& grid) {
    require_argument(eta == 0 || method == "ddim", "Sampler: eta = ", eta, " applies to ddim only");
    const SigmaGrid nodes = grid.grid(steps);
    KernelScope scope;
    if (method == "sde-dpmpp-1" || method == "sde-dpmpp-2m") {
      require_argument(!order && !beta, "Sampler: ", method, " takes no order or beta");
      return Sampler<double, Host>(SamplerPlan(sde_dpm_solver_pp(method == "sde-dpmpp-2m" ? 2 : 1), nodes), batch, dimension);
    }
    if (method == "unipc" || method == "unipc-bh1") {
      const double k = order.value_or(2);
      require_argument(k == 1 || k == 2 || k == 3, "Sampler: order = ", k, " must be 1, 2 or 3 for ", method);
      return Sampler<double, Host>(SamplerPlan(unipc(static_cast<int>(k), method == "unipc" ? UniPcVariant::bh2 : UniPcVariant::bh1,
                                                     true, beta.value_or(1.0)),
                                               nodes),
                                   batch, dimension);
    }
    const SamplerSpec spec = spec_of(method, order, beta);
    return Sampler<double, Host>(eta == 0 ? SamplerPlan(spec, nodes) : SamplerPlan(ancestral_ddim(eta), nodes), batch,
                                 dimension);
  }

  /// The standard normals z (batch, dimension) a stochastic step `n` adds for `seed`.
  nb::object noise(const Integer& step, const Integer& seed_argument) const {
    const std::uint64_t n = unsigned_argument(step, "Sampler.noise", "step", 0, sampler.plan().steps() - 1);
    const std::uint64_t seed = unsigned_argument(seed_argument, "Sampler.noise", "seed");
    const std::size_t batch = sampler.batch(), dim = sampler.dimension();
    auto out = new_array<double>({batch, dim});
    const std::uint64_t key = step_noise_key(seed, n);
    for (std::size_t b = 0; b < batch; ++b)
      for (std::size_t i = 0; i < dim; ++i) out.data()[b * dim + i] = step_normal(key, b, i);
    return nb::cast(out);
  }

  /// The grid's sigma_bar or model time of every node (steps + 1).
  nb::object nodes(double (SigmaGrid::*of)(std::size_t) const) const {
    const SigmaGrid& grid = sampler.plan().grid();
    auto out = new_array<double>({grid.steps() + 1});
    for (std::size_t n = 0; n <= grid.steps(); ++n) out.data()[n] = (grid.*of)(n);
    return nb::cast(out);
  }

  /// Runs every step from x_T (batch, dim): x_bar_0 = x_T / alpha_0 in the sampler's scale-free
  /// coordinates; `advance` takes the steps; returns x_0 = alpha_N x_bar_N.
  template <class Advance>
  nb::object run_from(nb::handle x_T_argument, const Integer& seed_argument, Advance&& advance) {
    const Batch x_T = real_array(x_T_argument, "Sampler.run", "x_T", 2);
    const std::uint64_t seed = unsigned_argument(seed_argument, "Sampler.run", "seed");
    const std::size_t batch = sampler.batch(), dim = sampler.dimension();
    require_argument(x_T.shape(0) == batch && x_T.shape(1) == dim, "Sampler.run: x_T has shape (", x_T.shape(0), ", ",
                     x_T.shape(1), "), the sampler holds (", batch, ", ", dim, ")");
    auto out = new_array<double>({batch, dim});
    {
      KernelScope scope;
      const double alpha0 = sampler.plan().grid().alpha(0);
      Sampler<double, Host>::Matrix x("x_bar", batch, dim);
      for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t i = 0; i < dim; ++i) x(b, i) = x_T.data()[b * dim + i] / alpha0;
      sampler.reset(x, seed);
      advance();
      const double alpha_end = sampler.plan().grid().alpha(sampler.plan().steps());
      for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t i = 0; i < dim; ++i) out.data()[b * dim + i] = alpha_end * sampler.state()(b, i);
    }
    return nb::cast(out);
  }

  /// The library's mixture model, evaluated in the step kernel (no Python per step).
  nb::object run_mixture(const PythonMixture& model, nb::handle x_T, const Integer& seed) {
    require_argument(model.mixture.dimension() == sampler.dimension(), "Sampler.run: the mixture has ",
                     model.mixture.dimension(), " coordinates, the sampler ", sampler.dimension());
    return run_from(x_T, seed, [&] { sampler.run(model.denoiser); });
  }

  /// A Python model, called as model(x, sigma_bar, alpha, t) on x = alpha x_bar.
  nb::object run(const nb::callable& model, nb::handle x_T, const Integer& seed) {
    const std::size_t batch = sampler.batch(), dim = sampler.dimension();
    return run_from(x_T, seed, [&] {
      HostModel<double> host{prediction, [&](const auto& x_bar, const NoiseLevel& level, const auto& result) {
        nb::gil_scoped_acquire gil;
        const std::size_t shape[2] = {batch, dim};
        auto input = new_array<double>({batch, dim});
        for (std::size_t k = 0; k < batch * dim; ++k) input.data()[k] = level.alpha * x_bar.data()[k];
        nb::object y = model(input, level.sigma_bar, level.alpha, level.time);
        nb::module_ numpy = nb::module_::import_("numpy");
        nb::object array = numpy.attr("ascontiguousarray")(y, nb::arg("dtype") = "float64");
        Batch got;
        require_argument(nb::try_cast(array, got, false) && got.shape(0) == shape[0] && got.shape(1) == shape[1],
                         "Sampler.run: the model returned shape ", nb::cast<std::string>(nb::str(numpy.attr("shape")(y))),
                         ", expected (", batch, ", ", dim, ")");
        for (std::size_t k = 0; k < batch * dim; ++k) result.data()[k] = got.data()[k];
      }};
      sampler.run(host);
    });
  }
};

}  // namespace

void register_diffusion(nb::module_& m) {
  using namespace nb::literals;
  nb::class_<PythonSampler>(m, "Sampler",
      "A diffusion ODE sampler with heavy-ball momentum (Wizadwongsa & Suwajanakorn, ICLR 2024) on a 1000-step\n"
      "discrete VP schedule: method ddim, plms (order 1-5), plms-hb, plms-nt, ghvb (order = momentum number,\n"
      "3.8 = order 4 with beta 0.8), dpmpp-2m, dpmpp-3m, dpmpp-hb, and the stochastic sde-dpmpp-1 and sde-dpmpp-2m\n"
      "(diffusers' algorithm_type='sde-dpmsolver++'), and unipc (order 1-3, B(h) = bh2; unipc-bh1 for bh1; beta < 1\n"
      "adds the paper's heavy-ball momentum to the corrector).\n"
      "The grid, as diffusers' schedulers place it:\n"
      "schedule scaled-linear, linear or cosine betas, optionally rescaled to zero terminal SNR (alphas_cumprod at\n"
      "T - 1 set to 2^-24, as EulerDiscreteScheduler; use a velocity model and trailing timesteps); timesteps\n"
      "spaced linspace (round(linspace(0, 999, steps + 1)), ending at t = 0), leading (k floor(1000 / steps) +\n"
      "steps_offset) or trailing (round(1000 - k 1000 / steps) - 1), the last two followed by an end node at t = 0\n"
      "(final_sigma='timestep') or sigma_bar = 0 (final_sigma='zero'); or karras=True: Karras sigmas (rho 7) from\n"
      "the schedule's largest to its smallest sigma_bar, then 0, at interpolated model times.\n"
      "eta > 0 (ddim only) makes DDIM stochastic (Song et al.'s eta; 1 = the ancestral sampler, diffusers'\n"
      "EulerAncestralDiscreteScheduler). Stochastic steps add noise s z with z standard normals keyed by (seed,\n"
      "step, sample, coordinate); noise(step, seed) returns them.")
      .def("__init__",
           [](PythonSampler* self, const std::string& method, std::optional<double> order, std::optional<double> beta,
              double eta, const Integer& steps, const Integer& batch, const Integer& dimension, const std::string& prediction,
              const std::string& schedule, const std::string& spacing, const Integer& steps_offset,
              const std::string& final_sigma, bool zero_terminal_snr, bool karras) {
             const char* where = "Sampler";
             new (self) PythonSampler(method, order, beta, eta, unsigned_argument(steps, where, "steps"),
                                      unsigned_argument(batch, where, "batch"), unsigned_argument(dimension, where, "dimension"),
                                      prediction,
                                      GridChoice{schedule, spacing, final_sigma, unsigned_argument(steps_offset, where, "steps_offset"),
                                                 zero_terminal_snr, karras});
           },
           "method"_a = "ghvb", "order"_a = nb::none(), "beta"_a = nb::none(), "eta"_a = 0.0, "steps"_a = 15, "batch"_a = 1,
           "dimension"_a = 1, "prediction"_a = "noise", "schedule"_a = "scaled-linear", "spacing"_a = "linspace",
           "steps_offset"_a = 0, "final_sigma"_a = "timestep", "zero_terminal_snr"_a = false, "karras"_a = false)
      .def_prop_ro("sigma_bar", [](const PythonSampler& s) { return s.nodes(&SigmaGrid::sigma_bar); },
                   "sigma_bar = sigma / alpha at every node of the grid (steps + 1), decreasing.")
      .def_prop_ro("times", [](const PythonSampler& s) { return s.nodes(&SigmaGrid::time); },
                   "The model time of every node (steps + 1): its timestep, fractional on a Karras grid.")
      .def("noise", &PythonSampler::noise, "step"_a, "seed"_a = 0,
           "The standard normals (batch, dimension) that step `step` of a stochastic sampler adds for `seed`.")
      .def("run", &PythonSampler::run_mixture, "model"_a, "x_T"_a, "seed"_a = 0,
           "All steps from x_T (batch, dimension) with the library's GaussianMixture model (its exact denoiser,\n"
           "evaluated inside each step's kernel). Returns x at the last node.")
      .def("run", &PythonSampler::run, "model"_a, "x_T"_a, "seed"_a = 0,
           "All steps from x_T (batch, dimension); model(x, sigma_bar, alpha, t) returns the prediction for x (noise,\n"
           "data or velocity, as given to the constructor). Returns x at the last node.");

  nb::class_<PythonMixture>(m, "GaussianMixture",
      "Gaussian-mixture data sum_k w_k N(m_k, diag(v_k)) and its exact denoiser: noised to sigma_bar\n"
      "(x_bar = x_0 + sigma_bar eps, the sampler's scale-free coordinates; x = alpha x_bar) the data\n"
      "prediction is x0(x_bar) = sum_k r_k (m_k + (v_k / V_k)(x_bar - m_k)), V_k = v_k + sigma_bar^2,\n"
      "r_k proportional to w_k N(x_bar; m_k, V_k). As a Sampler's model it runs inside the step kernels.")
      .def("__init__",
           [](PythonMixture* self, const std::vector<double>& weights, nb::handle means, nb::handle variances) {
             std::vector<std::vector<double>> m = PythonMixture::rows(real_array(means, "GaussianMixture", "means", 2));
             std::vector<std::vector<double>> v = PythonMixture::rows(real_array(variances, "GaussianMixture", "variances", 2));
             GaussianMixture law(weights, std::move(m), std::move(v));  // validates: shapes, positive weights and variances
             KernelScope scope;
             new (self) PythonMixture(std::move(law));
           },
           "weights"_a, "means"_a, "variances"_a, "weights (K,), means and variances (K, d) as float64 arrays")
      .def_static("ring", [](const Integer& dimension) {
             GaussianMixture law = GaussianMixture::ring(unsigned_argument(dimension, "GaussianMixture.ring", "dimension"));
             KernelScope scope;
             return PythonMixture(std::move(law));
           }, "dimension"_a,
           "The test bed's 8-component ring mixture (docs/diffusion.md): variance 0.1^2, means (cos 2 pi k/8,\n"
           "sin 2 pi k/8) in coordinates 0-1 and 0.3 sin(k (j + 1)) in coordinate 2 + j.")
      .def_prop_ro("weights", [](const PythonMixture& g) {
             std::vector<double> w(g.mixture.components());
             for (std::size_t k = 0; k < w.size(); ++k) w[k] = g.mixture.weight(k);
             return w;
           }, "the normalised weights")
      .def_prop_ro("means", [](const PythonMixture& g) { return g.table(&GaussianMixture::mean); })
      .def_prop_ro("variances", [](const PythonMixture& g) { return g.table(&GaussianMixture::variance); })
      .def_prop_ro("dimension", [](const PythonMixture& g) { return g.mixture.dimension(); })
      .def("denoise", &PythonMixture::denoise, "x_bar"_a, "sigma_bar"_a,
           "x0(x_bar) at sigma_bar for a batch (B, d) of noised points");
}

}  // namespace qmcsim::python
