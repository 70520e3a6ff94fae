// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// What a diffusion model returns, the conversions between its parametrisations, classifier-free
/// guidance, and the two ways a sampler calls a model.
///
/// In the scale-free coordinates (x_bar = x / alpha, sigma_bar = sigma / alpha) a model output is
///   noise     eps,  with x0 = x_bar - sigma_bar eps;
///   data      x0 (EDM's denoiser D), with eps = (x_bar - x0) / sigma_bar;
///   velocity  v = alpha eps - sigma x0 (VP only), eps = alpha v + alpha^2 sigma_bar x_bar.
/// A device model is a trivially copyable functor, callable inside Kokkos kernels:
///   static constexpr Prediction prediction;
///   template <class In, class Out>
///   KOKKOS_INLINE_FUNCTION void operator()(const In& x_bar, std::size_t sample, const NoiseLevel& level,
///                                          const Out& out) const;   // writes out(sample, i), i < dim
/// where In and Out are rank-2 views (sample, coordinate). A model that works only for some shapes
/// (a fixed dimension, scratch for a fixed number of rows) also provides
///   void check_shape(std::size_t batch, std::size_t dimension) const;   // throws qmcsim::error
/// which the sampler and the reference flow call before the first evaluation, so that a mismatch is
/// an error instead of an access out of bounds. A model may also provide
///   void prepare(const NoiseLevel& level) const;   // tables what depends on the level alone
/// which the sampler calls once per step before evaluating the batch at that level; the model must
/// still be right at a level it was not prepared for.
///
/// A device model whose output couples the coordinates of a sample only through a few per-sample
/// statistics (norms, softmax weights) may offer a coordinate-parallel form beside operator():
///   KOKKOS_INLINE_FUNCTION std::size_t statistics_per_sample(std::size_t dimension) const;
///   template <class In, class Statistics>       // Statistics: a rank-2 double view (sample, statistic)
///   void reduce(const In& x_bar, const NoiseLevel& level, const Statistics& statistics) const;
///   template <class In, class Statistics>
///   KOKKOS_INLINE_FUNCTION void elements(const In& x_bar, const Statistics& statistics, std::size_t sample,
///                                        std::size_t begin, std::size_t end, const NoiseLevel& level,
///                                        double* out) const;
/// reduce launches kernels of its own (in the statistics' execution space) that fill the statistics
/// of every sample; elements(.., sample, begin, end, ..) then writes coordinates [begin, end) of the
/// output to out[0, end - begin), reading x_bar only at (sample, begin..end - 1). The sampler uses this
/// form when a model has it and its statistics are fewer than a row's coordinates, so that a few wide
/// samples (an image batch on a GPU) are spread over every (sample, coordinate) instead of one thread
/// per sample. Sums over coordinates must be fixed in order (a chunked sum, not a team reduction), and
/// operator() should follow the same operations, so that neither the back end nor the choice of form
/// changes the result. Classifier-free guidance has the form when both its models
/// have it.
///
/// Execution-space instances (core/execution.hpp): a model whose prepare or reduce launches kernels
/// may also take the instance first, `prepare(space, level)` and `reduce(space, x_bar, level,
/// statistics)`, and enqueue them there; the sampler then runs a whole step on the caller's instance.
/// For a model without them, a sampler given an instance fences that instance before the model's own
/// kernels and the device after them, so the order of the work stays right at the price of the overlap.
/// A host model is a callback on the whole batch (HostModel
/// below), for networks that live outside Kokkos.

#include <Kokkos_Core.hpp>
#include <functional>
#include <type_traits>
#include <utility>

#include "qmcsim/core/error.hpp"

namespace qmcsim::diffusion {

/// What a model predicts (see the file comment).
enum class Prediction {
  noise,    ///< eps
  data,     ///< x0
  velocity  ///< v (v-prediction)
};

/// The noise level at which a model is evaluated. alpha = 1 / sqrt(1 + sigma_bar^2) for VP grids
/// and 1 for VE ones; time is the schedule's model time (a timestep, t, or sigma).
struct NoiseLevel {
  double sigma_bar;  ///< the noise-to-signal ratio sigma / alpha
  double alpha;      ///< the signal scale
  double time;       ///< the model's time input
};

/// A conversion between parametrisations at one noise level, affine in (output, x_bar):
/// converted = output_weight * output + state_weight * x_bar.
struct Conversion {
  double output_weight;  ///< the weight of the model output
  double state_weight;   ///< the weight of x_bar
  /// The converted value.
  KOKKOS_INLINE_FUNCTION double operator()(double output, double x_bar) const {
    return output_weight * output + state_weight * x_bar;
  }
};

/// The conversion of a `from` output into eps (to = noise) or x0 (to = data).
KOKKOS_INLINE_FUNCTION Conversion conversion(Prediction from, Prediction to, const NoiseLevel& level) {
  const double s = level.sigma_bar, a = level.alpha;
  if (from == to) return {1, 0};
  if (from == Prediction::velocity)  // eps = alpha v + alpha^2 sigma_bar x_bar, x0 = x_bar - sigma_bar eps
    return to == Prediction::noise ? Conversion{a, a * a * s} : Conversion{-s * a, 1 - a * a * s * s};
  if (to == Prediction::noise) return {-1 / s, 1 / s};  // eps = (x_bar - x0) / sigma_bar
  return {-s, 1};                                        // x0 = x_bar - sigma_bar eps
}

/// eps from one coordinate of a model output.
KOKKOS_INLINE_FUNCTION double noise_from(Prediction prediction, double output, double x_bar, const NoiseLevel& level) {
  return conversion(prediction, Prediction::noise, level)(output, x_bar);
}

/// x0 from one coordinate of a model output.
KOKKOS_INLINE_FUNCTION double data_from(Prediction prediction, double output, double x_bar, const NoiseLevel& level) {
  return conversion(prediction, Prediction::data, level)(output, x_bar);
}

namespace detail {
template <class Model, class = void>
struct has_check_shape : std::false_type {};
template <class Model>
struct has_check_shape<Model, std::void_t<decltype(std::declval<const Model&>().check_shape(std::size_t{}, std::size_t{}))>>
    : std::true_type {};

/// Calls model.check_shape(batch, dimension) when the model has one.
template <class Model>
void check_model_shape(const Model& model, std::size_t batch, std::size_t dimension) {
  if constexpr (has_check_shape<Model>::value) model.check_shape(batch, dimension);
}

template <class Model, class = void>
struct has_prepare : std::false_type {};
template <class Model>
struct has_prepare<Model, std::void_t<decltype(std::declval<const Model&>().prepare(std::declval<const NoiseLevel&>()))>>
    : std::true_type {};

template <class Model, class = void>
struct has_coordinate_form : std::false_type {};
template <class Model>
struct has_coordinate_form<
    Model, std::void_t<decltype(std::declval<const Model&>().statistics_per_sample(std::size_t{}))>>
    : std::true_type {};

template <class Model, class Space, class = void>
struct has_prepare_on : std::false_type {};
template <class Model, class Space>
struct has_prepare_on<Model, Space,
                      std::void_t<decltype(std::declval<const Model&>().prepare(std::declval<const Space&>(),
                                                                                 std::declval<const NoiseLevel&>()))>>
    : std::true_type {};

/// Calls model.prepare(level) when the model has one.
template <class Model>
void prepare_model(const Model& model, const NoiseLevel& level) {
  if constexpr (has_prepare<Model>::value) model.prepare(level);
}

/// Where a sampler runs a model's own kernels (prepare, reduce): `space`, and whether the caller
/// passed it (else it is the default instance, where a model's instance-free kernels run anyway).
template <class Space>
struct ModelLaunch {
  Space space;        ///< the instance of the step
  bool caller_given;  ///< false: Kokkos' default instance, nothing to order
};

/// Runs `work` (kernels on the default instance) in the order of the work on launch.space (see the
/// file comment): fenced on both sides where the caller gave an instance of its own.
template <class Space, class Work>
void in_order_on(const ModelLaunch<Space>& launch, const Work& work) {
  if (launch.caller_given) launch.space.fence();
  work();
  if (launch.caller_given) Kokkos::fence();
}

/// model.prepare on launch.space where the model takes an instance, else in order (in_order_on).
template <class Space, class Model>
void prepare_model(const ModelLaunch<Space>& launch, const Model& model, const NoiseLevel& level) {
  if constexpr (has_prepare_on<Model, Space>::value) model.prepare(launch.space, level);
  else if constexpr (has_prepare<Model>::value) in_order_on(launch, [&] { model.prepare(level); });
}

template <class Model, class Space, class In, class Statistics, class = void>
struct has_reduce_on : std::false_type {};
template <class Model, class Space, class In, class Statistics>
struct has_reduce_on<Model, Space, In, Statistics,
                     std::void_t<decltype(std::declval<const Model&>().reduce(
                         std::declval<const Space&>(), std::declval<const In&>(), std::declval<const NoiseLevel&>(),
                         std::declval<const Statistics&>()))>> : std::true_type {};

/// model.reduce on launch.space where the model takes an instance, else in order (in_order_on).
template <class Space, class Model, class In, class Statistics>
void reduce_model(const ModelLaunch<Space>& launch, const Model& model, const In& x_bar, const NoiseLevel& level,
                  const Statistics& statistics) {
  if constexpr (has_reduce_on<Model, Space, In, Statistics>::value) model.reduce(launch.space, x_bar, level, statistics);
  else in_order_on(launch, [&] { model.reduce(x_bar, level, statistics); });
}
}  // namespace detail

/// Classifier-free guidance: out = u + w (c - u) of an unconditional model u and a conditional model c
/// of the same parametrisation (the combination is affine with weights summing to 1, so it is the same
/// in eps, x0 or v). w = 1 is conditional sampling. `scratch` holds the conditional output, one row
/// per sample, so it needs at least as many rows as the batch. At w = 0 only u and at w = 1 only c
/// is evaluated: the other model's output has weight 0, and would cost a second model evaluation.
template <class Unconditional, class Conditional, class Scratch>
struct ClassifierFreeGuidance {
  static_assert(Unconditional::prediction == Conditional::prediction,
                "classifier-free guidance combines two models of the same parametrisation");
  static constexpr Prediction prediction = Unconditional::prediction;  ///< both models'

  Unconditional unconditional;  ///< u
  Conditional conditional;      ///< c
  double scale;                 ///< w
  Scratch scratch;              ///< the conditional output, (batch, dimension)

  /// The scratch must hold `batch` rows of `dimension` coordinates; both models are checked too.
  void check_shape(std::size_t batch, std::size_t dimension) const {
    qmcsim::detail::require(scratch.extent(0) >= batch && scratch.extent(1) == dimension,
                            "classifier-free guidance: built for ", scratch.extent(0), " samples of dimension ",
                            scratch.extent(1), ", used on ", batch, " samples of dimension ", dimension);
    detail::check_model_shape(unconditional, batch, dimension);
    detail::check_model_shape(conditional, batch, dimension);
  }

  /// Prepares the models that will be evaluated at `level`.
  void prepare(const NoiseLevel& level) const {
    if (scale != 1) detail::prepare_model(unconditional, level);
    if (scale != 0) detail::prepare_model(conditional, level);
  }
  /// The same on the instance `space`.
  template <class Space>
  void prepare(const Space& space, const NoiseLevel& level) const {
    if (scale != 1) detail::prepare_model(detail::ModelLaunch<Space>{space, true}, unconditional, level);
    if (scale != 0) detail::prepare_model(detail::ModelLaunch<Space>{space, true}, conditional, level);
  }

  /// u + w (c - u) for one sample (its row of out).
  template <class In, class Out>
  KOKKOS_INLINE_FUNCTION void operator()(const In& x_bar, std::size_t sample, const NoiseLevel& level,
                                         const Out& out) const {
    if (scale == 1) return conditional(x_bar, sample, level, out);
    unconditional(x_bar, sample, level, out);
    if (scale == 0) return;
    conditional(x_bar, sample, level, scratch);
    for (std::size_t i = 0; i < out.extent(1); ++i)
      out(sample, i) += scale * (scratch(sample, i) - out(sample, i));
  }

  /// The coordinate-parallel form, where both models have one: the statistics of u, then those of c.
  template <class U = Unconditional, class C = Conditional,
            std::enable_if_t<detail::has_coordinate_form<U>::value && detail::has_coordinate_form<C>::value, int> = 0>
  KOKKOS_INLINE_FUNCTION std::size_t statistics_per_sample(std::size_t dimension) const {
    return unconditional.statistics_per_sample(dimension) + conditional.statistics_per_sample(dimension);
  }

  /// The statistics of the models that will be evaluated (model.hpp's coordinate-parallel form).
  template <class In, class Statistics>
  void reduce(const In& x_bar, const NoiseLevel& level, const Statistics& statistics) const {
    reduce_with(detail::ModelLaunch<typename Statistics::execution_space>{{}, false}, x_bar, level, statistics);
  }
  /// The same on the instance `space`.
  template <class Space, class In, class Statistics>
  void reduce(const Space& space, const In& x_bar, const NoiseLevel& level, const Statistics& statistics) const {
    reduce_with(detail::ModelLaunch<Space>{space, true}, x_bar, level, statistics);
  }

  /// The statistics of u into the first columns, those of c into the rest.
  template <class Space, class In, class Statistics>
  void reduce_with(const detail::ModelLaunch<Space>& launch, const In& x_bar, const NoiseLevel& level,
                   const Statistics& statistics) const {
    const std::size_t split = unconditional.statistics_per_sample(x_bar.extent(1));
    if (scale != 1)
      detail::reduce_model(launch, unconditional, x_bar, level,
                           Kokkos::subview(statistics, Kokkos::ALL, Kokkos::make_pair(std::size_t{0}, split)));
    if (scale != 0)
      detail::reduce_model(launch, conditional, x_bar, level,
                           Kokkos::subview(statistics, Kokkos::ALL, Kokkos::make_pair(split, statistics.extent(1))));
  }

  /// u + w (c - u) on [begin, end), in runs of 8 coordinates (two small buffers, registers on a GPU).
  template <class In, class Statistics>
  KOKKOS_INLINE_FUNCTION void elements(const In& x_bar, const Statistics& statistics, std::size_t sample, std::size_t begin,
                                       std::size_t end, const NoiseLevel& level, double* out) const {
    const std::size_t split = unconditional.statistics_per_sample(x_bar.extent(1));
    const auto of_u = Kokkos::subview(statistics, Kokkos::ALL, Kokkos::make_pair(std::size_t{0}, split));
    const auto of_c = Kokkos::subview(statistics, Kokkos::ALL, Kokkos::make_pair(split, statistics.extent(1)));
    if (scale == 1) return conditional.elements(x_bar, of_c, sample, begin, end, level, out);
    unconditional.elements(x_bar, of_u, sample, begin, end, level, out);
    if (scale == 0) return;
    for (std::size_t run = begin; run < end; run += 8) {
      const std::size_t stop = run + 8 < end ? run + 8 : end;
      double c[8];
      conditional.elements(x_bar, of_c, sample, run, stop, level, c);
      for (std::size_t i = run; i < stop; ++i) out[i - begin] += scale * (c[i - run] - out[i - begin]);
    }
  }
};

/// Guidance with scale w over a batch of `batch` samples in `dimension` coordinates, its scratch in
/// the memory space of `ExecSpace`.
template <class ExecSpace, class Real = double, class Unconditional, class Conditional>
auto classifier_free_guidance(const Unconditional& unconditional, const Conditional& conditional, double scale,
                              std::size_t batch, std::size_t dimension) {
  qmcsim::detail::require_finite("classifier_free_guidance", "scale", scale);
  using Scratch = Kokkos::View<Real**, typename ExecSpace::memory_space>;
  return ClassifierFreeGuidance<Unconditional, Conditional, Scratch>{
      unconditional, conditional, scale, Scratch("qmcsim::guidance_scratch", batch, dimension)};
}

/// A device model seen through operator() alone (its coordinate-parallel form hidden), so that the
/// sampler steps it with one thread per sample: to compare the two forms, or to keep the per-sample
/// path for a model whose form does not pay on some machine.
template <class Model>
struct PerSampleModel {
  static constexpr Prediction prediction = Model::prediction;  ///< the model's
  Model model;                                                 ///< the model hidden
  /// The model's check.
  void check_shape(std::size_t batch, std::size_t dimension) const { detail::check_model_shape(model, batch, dimension); }
  /// The model's preparation.
  void prepare(const NoiseLevel& level) const { detail::prepare_model(model, level); }
  /// The model's preparation on the instance `space`.
  template <class Space>
  void prepare(const Space& space, const NoiseLevel& level) const {
    detail::prepare_model(detail::ModelLaunch<Space>{space, true}, model, level);
  }
  /// The model's output for one sample.
  template <class In, class Out>
  KOKKOS_INLINE_FUNCTION void operator()(const In& x_bar, std::size_t sample, const NoiseLevel& level,
                                         const Out& out) const {
    model(x_bar, sample, level, out);
  }
};

/// A model evaluated on the host for the whole batch: evaluate(x_bar, level, out) fills out(sample, i).
template <class Real>
struct HostModel {
  using In = Kokkos::View<const Real**, Kokkos::LayoutRight, Kokkos::HostSpace>;  ///< (batch, dimension)
  using Out = Kokkos::View<Real**, Kokkos::LayoutRight, Kokkos::HostSpace>;       ///< (batch, dimension)
  Prediction prediction;  ///< what evaluate predicts
  std::function<void(const In& x_bar, const NoiseLevel& level, const Out& out)> evaluate;  ///< the model
};

}  // namespace qmcsim::diffusion
