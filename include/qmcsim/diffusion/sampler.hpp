// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
/// @file
/// Executes a SamplerPlan on a batch of samples in any Kokkos execution space, in float or double.
///
/// State per sample: x_bar, a ring of `order` history vectors (eps, x0 or velocities; slot n mod
/// order holds step n), and a velocity for HB, NT and DPM-Solver++ + HB: (order + 2) vectors in all.
/// The update is elementwise, so a step runs over (sample, coordinate) tiles (CoordinateTiles): two
/// coordinates per thread with the sample index fastest on GPUs (coalesced in their LayoutLeft), runs
/// of 512 coordinates of a row on the host; a batch of 4 samples of 65 536 coordinates fills a GPU as
/// well as 2^14 samples of 64. With an output given by the caller (or a HostModel) the step is that
/// update; with a device model that has the coordinate-parallel form (model.hpp) and whose per-sample
/// statistics are fewer than a row's coordinates it is the model's reduce and then, per tile, the
/// model's elements() and the update, fused; otherwise one thread per sample evaluates the model and
/// updates its row (the output row is still in cache). The choice depends on the shape alone, and both
/// forms of a model follow the same operations, so it does not change the results across back ends.
/// Arithmetic is in double and stored in Real; every element follows the same operations whatever
/// the tiling, so Serial and OpenMP agree bitwise.
///
/// Stochastic samplers (a step with noise != 0) add noise z, z = step_normal(step_noise_key(seed,
/// n), sample, coordinate): a Philox normal keyed by (the seed given to reset, step, sample,
/// coordinate), so a run is the same on every host back end and thread count (on a GPU to the
/// rounding of CUDA's log and sincos), and a caller can rebuild z.
///
///   Sampler<double> sampler(SamplerPlan(SamplerSpec::ghvb(3.8), grid), batch, dim);
///   sampler.reset(x_T);          // x_bar at sigma_bar_0 (reset(x_T, seed) for stochastic samplers)
///   sampler.run(model);          // N steps
///   sampler.state();             // x_bar at sigma_bar_N

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <type_traits>

#include "qmcsim/core/random.hpp"
#include "qmcsim/diffusion/method.hpp"

namespace qmcsim::diffusion {

/// The Philox key of step n's noise for `seed`.
inline std::uint64_t step_noise_key(std::uint64_t seed, std::size_t n) {
  return derive_key(seed, Stream::diffusion_step_noise, static_cast<std::uint32_t>(n), 0);
}

/// The standard normals of coordinates 2 pair and 2 pair + 1 of one sample in the step with this key
/// (one Philox block, Box-Muller in double).
KOKKOS_INLINE_FUNCTION NormalPair<double> step_normal_pair(std::uint64_t key, std::size_t sample, std::size_t pair) {
  return normal_pair<double>(
      philox(key, static_cast<std::uint64_t>(sample), static_cast<std::uint32_t>(pair), Stream::diffusion_step_noise));
}

/// The standard normal z of one (sample, coordinate) in the step with this key.
KOKKOS_INLINE_FUNCTION double step_normal(std::uint64_t key, std::size_t sample, std::size_t coordinate) {
  const NormalPair<double> z = step_normal_pair(key, sample, coordinate / 2);
  return coordinate % 2 == 0 ? z.first : z.second;
}

namespace detail {

/// The scalars of one step: the plan's coefficients, the conversion of the model output to the
/// history's form, the history slots and the key of the step's noise.
struct StepScalars {
  StepCoefficients c;
  Conversion convert;
  Kokkos::Array<int, max_multistep_order> slot;  ///< history slot of step n - j
  std::uint64_t noise_key;
};

/// The update of one step (see method.hpp for the two step shapes).
template <class Matrix, class History>
struct StepUpdate {
  StepScalars scalars;
  NoiseLevel level;
  Matrix x, velocity;
  History history;

  /// One coordinate; `s` is a copy held by the caller, so that the compiler knows the stores below
  /// cannot change it (and keeps it in registers across a row). `Stochastic` is decided once per row,
  /// so the deterministic samplers' loop has no noise branch.
  template <bool Stochastic>
  KOKKOS_INLINE_FUNCTION void apply(const StepScalars& s, std::size_t b, std::size_t i, double output, double z = 0) const {
    const StepCoefficients& c = s.c;
    const double x_old = x(b, i);
    const double m = s.convert(output, x_old);
    // keep == 0 means "start": the old value is not read, so a diverged previous run cannot leak NaN in.
    double newest = m;
    if (c.velocity_first) newest = c.keep != 0 ? c.keep * history(b, i, s.slot[1]) + c.mix * m : c.mix * m;
    history(b, i, s.slot[0]) = newest;
    double p = c.weights[0] * newest;
    for (int j = 1; j < c.count; ++j) p += c.weights[j] * history(b, i, s.slot[j]);
    double direction = p;
    if (c.update_velocity) {
      const double v = c.keep != 0 ? c.keep * velocity(b, i) + c.mix * p : c.mix * p;
      velocity(b, i) = v;
      direction = c.velocity_weight * v + c.combination_weight * p;
    }
    double x_new = c.position_scale * x_old + c.step * direction;
    if (c.direct_count > 0) {
      double direct = c.direct_weights[0] * newest;
      for (int j = 1; j < c.direct_count; ++j) direct += c.direct_weights[j] * history(b, i, s.slot[j]);
      x_new += direct;
    }
    if constexpr (Stochastic) x_new += c.noise * z;
    x(b, i) = x_new;
  }

  /// Coordinates [begin, end) of sample b (begin even), output(i) the model output of coordinate i.
  template <class Output>
  KOKKOS_INLINE_FUNCTION void apply_range(std::size_t b, std::size_t begin, std::size_t end, const Output& output) const {
    const StepScalars s = scalars;
    if (s.c.noise != 0) {  // both normals of each Box-Muller pair: one Philox block per two coordinates
      for (std::size_t i = begin; i < end; i += 2) {
        const NormalPair<double> z = step_normal_pair(s.noise_key, b, i / 2);
        apply<true>(s, b, i, output(i), z.first);
        if (i + 1 < end) apply<true>(s, b, i + 1, output(i + 1), z.second);
      }
    } else {
      for (std::size_t i = begin; i < end; ++i) apply<false>(s, b, i, output(i));
    }
  }
};

/// A batch x dimension matrix cut into tiles of `width` consecutive coordinates of one sample (the
/// last of a row shorter). The width is even, so a tile holds whole Box-Muller pairs. With LayoutLeft
/// (GPUs) a tile is one pair and consecutive tiles are consecutive samples, so that a warp's loads
/// coalesce; with LayoutRight (host) a tile is a run of 512 coordinates of a row, cache-friendly and
/// still many tiles for a few wide samples.
template <class Layout>
struct CoordinateTiles {
  static constexpr std::size_t width = std::is_same_v<Layout, Kokkos::LayoutLeft> ? 2 : 512;
  std::size_t batch, dimension, per_row;
  CoordinateTiles(std::size_t batch_, std::size_t dimension_)
      : batch(batch_), dimension(dimension_), per_row((dimension_ + width - 1) / width) {}
  std::size_t count() const { return batch * per_row; }
  struct Tile {
    std::size_t sample, begin, end;
  };
  KOKKOS_INLINE_FUNCTION Tile operator()(std::size_t t) const {
    const bool sample_fastest = std::is_same_v<Layout, Kokkos::LayoutLeft>;
    const std::size_t sample = sample_fastest ? t % batch : t / per_row;
    const std::size_t begin = (sample_fastest ? t / batch : t % per_row) * width;
    return {sample, begin, begin + width < dimension ? begin + width : dimension};
  }
};

/// One thread per sample: the model's row, then its update (models without a coordinate-parallel form).
template <class Model, class Update, class Evaluation>
struct ModelStep {
  Model model;
  Update update;
  Evaluation evaluation;
  KOKKOS_INLINE_FUNCTION void operator()(std::size_t b) const {
    model(update.x, b, update.level, evaluation);
    update.apply_range(b, 0, evaluation.extent(1), [&](std::size_t i) { return evaluation(b, i); });
  }
};

/// One tile: the model's elements() of the tile (after its reduce), then its update.
template <class Model, class Update, class Statistics, class Tiles>
struct ElementStep {
  Model model;
  Update update;
  Statistics statistics;
  Tiles tiles;
  KOKKOS_INLINE_FUNCTION void operator()(std::size_t t) const {
    const auto tile = tiles(t);
    double output[Tiles::width];
    model.elements(update.x, statistics, tile.sample, tile.begin, tile.end, update.level, output);
    update.apply_range(tile.sample, tile.begin, tile.end, [&](std::size_t i) { return output[i - tile.begin]; });
  }
};

/// One tile of an update with the output given.
template <class Update, class Output, class Tiles>
struct OutputStep {
  Update update;
  Output output;
  Tiles tiles;
  KOKKOS_INLINE_FUNCTION void operator()(std::size_t t) const {
    const auto tile = tiles(t);
    update.apply_range(tile.sample, tile.begin, tile.end, [&](std::size_t i) { return output(tile.sample, i); });
  }
};

}  // namespace detail

/// Runs a SamplerPlan on `batch` samples of `dimension` coordinates (see the file comment).
template <class Real = double, class ExecSpace = Kokkos::DefaultExecutionSpace>
class Sampler {
 public:
  using Memory = typename ExecSpace::memory_space;  ///< where the state lives
  using Matrix = Kokkos::View<Real**, Memory>;  ///< (sample, coordinate) in the memory space's layout
  using ConstMatrix = Kokkos::View<const Real**, Memory>;  ///< a read-only Matrix
  using History = Kokkos::View<Real***, Memory>;  ///< (sample, coordinate, slot)
  using Statistics = Kokkos::View<double**, Memory>;  ///< a coordinate-parallel model's, (sample, statistic)
  using Tiles = detail::CoordinateTiles<typename Matrix::array_layout>;  ///< how a step splits the batch

  /// A sampler for `plan`, its state unset until reset; throws qmcsim::error for batch or dimension 0.
  Sampler(SamplerPlan plan, std::size_t batch, std::size_t dimension)
      : plan_(std::move(plan)),
        x_("qmcsim::sampler_state", batch, dimension),
        evaluation_("qmcsim::sampler_evaluation", batch, dimension),
        velocity_("qmcsim::sampler_velocity", plan_.has_velocity() ? batch : 0, dimension),
        history_("qmcsim::sampler_history", batch, dimension, plan_.history()) {
    qmcsim::detail::require(batch >= 1 && dimension >= 1, "Sampler: batch = ", batch, " and dimension = ", dimension,
                            " must both be at least 1");
  }

  /// The plan it runs.
  const SamplerPlan& plan() const { return plan_; }
  /// The number of samples.
  std::size_t batch() const { return x_.extent(0); }
  /// The coordinates per sample.
  std::size_t dimension() const { return x_.extent(1); }
  /// Steps since the last reset.
  std::size_t steps_taken() const { return steps_taken_; }
  /// Whether every step of the plan was taken.
  bool finished() const { return steps_taken_ == plan_.steps(); }
  /// x_bar at the current node sigma_bar_{steps_taken}.
  const Matrix& state() const { return x_; }
  /// The noise level of the current node, where the next model evaluation happens.
  NoiseLevel level() const {
    const SigmaGrid& grid = plan_.grid();
    return {grid.sigma_bar(steps_taken_), grid.alpha(steps_taken_), grid.time(steps_taken_)};
  }

  /// Starts a new run from x_bar at sigma_bar_0 (any state of an earlier run is discarded); `seed`
  /// keys the noise of stochastic samplers. The copy is enqueued on the instance `space`; like every
  /// method below taking `space`, it returns without waiting (see core/execution.hpp and model.hpp).
  void reset(const ExecSpace& space, const ConstMatrix& x_bar, std::uint64_t seed = 0) {
    qmcsim::detail::require(x_bar.extent(0) == batch() && x_bar.extent(1) == dimension(), "Sampler::reset: x_bar is ",
                            x_bar.extent(0), " x ", x_bar.extent(1), ", the sampler holds ", batch(), " x ",
                            dimension());
    Kokkos::deep_copy(space, x_, x_bar);
    steps_taken_ = 0;
    seed_ = seed;
  }
  /// The seed of the current run's noise.
  std::uint64_t seed() const { return seed_; }

  /// One step with a device model (see model.hpp), fused with its evaluation, on `space`.
  template <class Model>
  void step(const ExecSpace& space, const Model& model) {
    step_with(detail::ModelLaunch<ExecSpace>{space, true}, model);
  }

  /// One step with the model output for state() at level() given by the caller, on `space`.
  void step(const ExecSpace& space, const ConstMatrix& output, Prediction prediction) {
    qmcsim::detail::require(output.extent(0) == batch() && output.extent(1) == dimension(),
                            "Sampler::step: the model output is ", output.extent(0), " x ", output.extent(1),
                            ", the sampler holds ", batch(), " x ", dimension());
    const auto update = next_update(prediction);
    const Tiles tiles(batch(), dimension());
    Kokkos::parallel_for("qmcsim::diffusion_update", Kokkos::RangePolicy<ExecSpace>(space, 0, tiles.count()),
                         detail::OutputStep<decltype(update), ConstMatrix, Tiles>{update, output, tiles});
    ++steps_taken_;
  }

  /// One step with a model evaluated on the host; the host waits for `space` before the callback.
  void step(const ExecSpace& space, const HostModel<Real>& model) {
    using HostSpace = Kokkos::DefaultHostExecutionSpace;
    if (host_input_.extent(0) != batch()) {  // buffers made by the first host-model step serve every later one
      host_input_ = typename HostModel<Real>::Out("qmcsim::host_model_input", batch(), dimension());
      host_output_ = typename HostModel<Real>::Out("qmcsim::host_model_output", batch(), dimension());
      state_mirror_ = Kokkos::create_mirror_view(x_);  // x_ and evaluation_ themselves on host back ends
      evaluation_mirror_ = Kokkos::create_mirror_view(evaluation_);
    }
    // Through the mirrors because GPU views are LayoutLeft and the callback sees LayoutRight.
    Kokkos::deep_copy(space, state_mirror_, x_);
    space.fence();
    Kokkos::deep_copy(HostSpace(), host_input_, state_mirror_);
    HostSpace().fence();
    model.evaluate(host_input_, level(), host_output_);
    Kokkos::deep_copy(HostSpace(), evaluation_mirror_, host_output_);
    HostSpace().fence();
    Kokkos::deep_copy(space, evaluation_, evaluation_mirror_);
    step(space, evaluation_, model.prediction);
  }

  /// The remaining steps, on `space`.
  template <class Model>
  void run(const ExecSpace& space, const Model& model) {
    while (!finished()) step(space, model);
  }

  /// reset(ExecSpace(), x_bar, seed).
  void reset(const ConstMatrix& x_bar, std::uint64_t seed = 0) { reset(ExecSpace(), x_bar, seed); }
  /// step(ExecSpace(), model).
  template <class Model>
  void step(const Model& model) {
    step_with(detail::ModelLaunch<ExecSpace>{ExecSpace(), false}, model);
  }
  /// step(ExecSpace(), output, prediction).
  void step(const ConstMatrix& output, Prediction prediction) { step(ExecSpace(), output, prediction); }
  /// step(ExecSpace(), model) for a host model.
  void step(const HostModel<Real>& model) { step(ExecSpace(), model); }
  /// run(ExecSpace(), model).
  template <class Model>
  void run(const Model& model) {
    while (!finished()) step(model);
  }

 private:
  /// One step with a device model, its own kernels (prepare, reduce) launched as `launch` says.
  template <class Model>
  void step_with(const detail::ModelLaunch<ExecSpace>& launch, const Model& model) {
    detail::check_model_shape(model, batch(), dimension());
    detail::prepare_model(launch, model, level());
    const auto update = next_update(Model::prediction);
    if (!step_by_tiles(launch, model, update))
      Kokkos::parallel_for("qmcsim::diffusion_step", Kokkos::RangePolicy<ExecSpace>(launch.space, 0, batch()),
                           detail::ModelStep<Model, decltype(update), Matrix>{model, update, evaluation_});
    ++steps_taken_;
  }

  /// The step by the model's coordinate-parallel form where it has one whose statistics are fewer than
  /// a row's coordinates (else they would move more than the rows they summarize); false otherwise.
  template <class Model, class Update>
  bool step_by_tiles(const detail::ModelLaunch<ExecSpace>& launch, const Model& model, const Update& update) {
    if constexpr (detail::has_coordinate_form<Model>::value) {
      const std::size_t width = model.statistics_per_sample(dimension());
      if (width >= dimension()) return false;
      if (statistics_.extent(1) != width)
        statistics_ = Statistics(Kokkos::view_alloc(launch.space, Kokkos::WithoutInitializing,
                                                    "qmcsim::sampler_model_statistics"),
                                 batch(), width);
      detail::reduce_model(launch, model, x_, update.level, statistics_);
      const Tiles tiles(batch(), dimension());
      Kokkos::parallel_for("qmcsim::diffusion_step", Kokkos::RangePolicy<ExecSpace>(launch.space, 0, tiles.count()),
                           detail::ElementStep<Model, Update, Statistics, Tiles>{model, update, statistics_, tiles});
      return true;
    }
    return false;
  }

  detail::StepUpdate<Matrix, History> next_update(Prediction input) const {
    qmcsim::detail::require(!finished(), "Sampler::step: all ", plan_.steps(), " steps are taken; call reset");
    const std::size_t n = steps_taken_;
    const int slots = plan_.history();
    detail::StepUpdate<Matrix, History> update{
        {plan_.step(n), conversion(input, plan_.form(), level()), {}, step_noise_key(seed_, n)}, level(), x_, velocity_,
        history_};
    for (int j = 0; j < max_multistep_order; ++j) update.scalars.slot[j] = static_cast<int>((n + slots * 8 - j) % slots);
    return update;
  }

  SamplerPlan plan_;
  Matrix x_, evaluation_, velocity_;
  History history_;
  Statistics statistics_;
  typename HostModel<Real>::Out host_input_, host_output_;
  typename Matrix::host_mirror_type state_mirror_, evaluation_mirror_;
  std::size_t steps_taken_ = 0;
  std::uint64_t seed_ = 0;
};

}  // namespace qmcsim::diffusion
