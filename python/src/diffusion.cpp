// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Diffusion samplers (DDIM, PLMS, heavy-ball and Nesterov variants, GHVB, DPM-Solver++) driven by a
// Python model: any callable model(x, sigma_bar, alpha, t) -> array of the batch's shape, e.g. a
// torch module wrapped to take and return NumPy arrays (torch.from_numpy shares the memory).

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <optional>

#include "arrays.hpp"
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
              "' is unknown: use ddim, plms, plms-hb, plms-nt, ghvb, dpmpp-2m, dpmpp-3m or dpmpp-hb");
}

Prediction prediction_of(const std::string& text) {
  if (text == "noise") return Prediction::noise;
  if (text == "data") return Prediction::data;
  if (text == "velocity") return Prediction::velocity;
  throw qmcsim::error("Sampler: prediction '" + qmcsim::detail::printable(text) + "' is unknown: use noise, data or velocity");
}

using Batch = nb::ndarray<const double, nb::ndim<2>, nb::c_contig, nb::device::cpu>;

struct PythonSampler : Counted {
  Sampler<double, Host> sampler;
  Prediction prediction;

  PythonSampler(const std::string& method, std::optional<double> order, std::optional<double> beta, std::size_t steps,
                std::size_t batch, std::size_t dimension, const std::string& predicts, const std::string& schedule)
      : sampler(make(method, order, beta, steps, batch, dimension, schedule)), prediction(prediction_of(predicts)) {}

  static Sampler<double, Host> make(const std::string& method, std::optional<double> order, std::optional<double> beta,
                                    std::size_t steps, std::size_t batch, std::size_t dimension, const std::string& schedule) {
    KernelScope scope;
    require_argument(schedule == "scaled-linear" || schedule == "linear", "Sampler: schedule '",
                     qmcsim::detail::printable(schedule), "' is unknown: use scaled-linear or linear");
    const auto vp = schedule == "linear" ? DiscreteVpSchedule::linear() : DiscreteVpSchedule::scaled_linear();
    return Sampler<double, Host>(SamplerPlan(spec_of(method, order, beta), vp.timestep_grid(steps)), batch, dimension);
  }

  /// Runs every step from x_T (batch, dim): x_bar_0 = x_T / alpha_0 in the sampler's scale-free
  /// coordinates, the model called as model(x, sigma_bar, alpha, t) on x = alpha x_bar; returns x_0.
  nb::object run(const nb::callable& model, const Batch& x_T) {
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
      sampler.reset(x);
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
      const double alpha_end = sampler.plan().grid().alpha(sampler.plan().steps());
      for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t i = 0; i < dim; ++i) out.data()[b * dim + i] = alpha_end * sampler.state()(b, i);
    }
    return nb::cast(out);
  }
};

}  // namespace

void register_diffusion(nb::module_& m) {
  using namespace nb::literals;
  nb::class_<PythonSampler>(m, "Sampler",
      "A diffusion ODE sampler with heavy-ball momentum (Wizadwongsa & Suwajanakorn, ICLR 2024) on the 1000-step\n"
      "discrete VP schedule (diffusers' 'linspace' timesteps): method ddim, plms (order 1-5), plms-hb, plms-nt,\n"
      "ghvb (order = momentum number, 3.8 = order 4 with beta 0.8), dpmpp-2m, dpmpp-3m, dpmpp-hb.")
      .def(nb::init<const std::string&, std::optional<double>, std::optional<double>, std::size_t, std::size_t, std::size_t,
                    const std::string&, const std::string&>(),
           "method"_a = "ghvb", "order"_a = nb::none(), "beta"_a = nb::none(), "steps"_a = 15, "batch"_a = 1,
           "dimension"_a = 1, "prediction"_a = "noise", "schedule"_a = "scaled-linear")
      .def("run", &PythonSampler::run, "model"_a, "x_T"_a,
           "All steps from x_T (batch, dimension); model(x, sigma_bar, alpha, t) returns the prediction for x (noise,\n"
           "data or velocity, as given to the constructor). Returns x at the last node.");
}

}  // namespace qmcsim::python
