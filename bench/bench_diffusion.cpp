// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Diffusion samplers. The model of the test bed is the exact denoiser of the ring mixture (K = 8
// components) in d = 64, batch B = 2^14:
//   BM_ModelEvaluation        one evaluation of the model over the batch (the unit of cost, 1 NFE),
//                             with its per-level tables made first, as the sampler does.
//   BM_TablesOverInPlace      that evaluation against the same model at a level it was not prepared
//                             for (every logarithm and division made in place), timed alternately.
//   BM_StepOverModel/<s>      one sampler step with the fused model against the model alone, timed
//                             alternately: overhead = time_ratio - 1 is the sampler's share (target < 5 %).
//   BM_AncestralStepOverModel the same for the stochastic step (ancestral DDIM, one Philox normal per
//                             coordinate added to DDIM's update).
//   BM_UpdateOverCopy/<s>     the update alone (model output given) against a copy kernel moving the
//                             same bytes (x, output and the history read, x, slot and velocity written):
//                             throughput_ratio is the fraction of copy bandwidth the update reaches.
//   BM_SamplesPerSecond/B     a whole guided run (ring mixture d = 8, w = 7.5, GHVB 3.8, 15 steps).
//   BM_ShapeStepOverModel/B/d and BM_ShapeUpdateOverCopy/B/d
//                             GHVB 3.8's step over the model and its update over a copy at the two
//                             shapes of issue 18: B = 2^14 samples of d = 64 and B = 4 of d = 65 536
//                             (an image batch), the same number of coordinates.
//   BM_ShapeTilesOverRows/B/d the step by coordinate tiles (the model's coordinate-parallel form)
//                             against the same step with one thread per sample (the model seen
//                             through operator() alone), timed alternately.
// The model is evaluated as the sampler does: its reduce, then elements() per coordinate tile.
// Samplers: 0 DDIM, 1 PLMS4, 2 PLMS4+HB0.8, 3 GHVB3.8, 4 DPM-Solver++(2M), 5 DPM-Solver++(2M)+HB0.8.

#include <Kokkos_Core.hpp>
#include <cmath>

#include "qmcsim/diffusion/testbed.hpp"
#include "reference_kernels.hpp"

namespace {

using namespace qmcsim::diffusion;
using qmcsim::bench::Exec;
using Matrix = Kokkos::View<double**, Exec::memory_space>;
constexpr std::size_t batch = 1 << 14, dim = 64;

const std::vector<SamplerSpec>& samplers() {
  static const std::vector<SamplerSpec> specs = {SamplerSpec::ddim(),           SamplerSpec::plms(4),
                                                 SamplerSpec::plms_hb(4, 0.8),  SamplerSpec::ghvb(3.8),
                                                 SamplerSpec::dpm_solver_pp(2), SamplerSpec::dpm_solver_pp_hb(0.8)};
  return specs;
}

template <class Model, class View, class Statistics>
struct EvaluateOnly {
  Model model;
  View x, out;
  Statistics statistics;
  qmcsim::diffusion::detail::CoordinateTiles<typename View::array_layout> tiles;
  NoiseLevel level;
  KOKKOS_INLINE_FUNCTION void operator()(std::size_t t) const {
    const auto tile = tiles(t);
    double output[decltype(tiles)::width];
    model.elements(x, statistics, tile.sample, tile.begin, tile.end, level, output);
    for (std::size_t i = tile.begin; i < tile.end; ++i) out(tile.sample, i) = output[i - tile.begin];
  }
};

/// A sampler on a grid longer than any benchmark runs, warmed up past its lower-order start so that
/// every timed step has full order.
struct Setup {
  std::size_t rows, columns;
  GaussianMixtureDenoiser<Exec::memory_space> model;
  Sampler<double, Exec> sampler;
  Matrix out;
  Matrix statistics;
  static SigmaGrid grid() { return uniform_grid(1 << 18, 14.6, 0.03, Scaling::variance_preserving); }
  explicit Setup(const SamplerSpec& spec, std::size_t rows_ = batch, std::size_t columns_ = dim)
      : Setup(SamplerPlan(spec, grid()), rows_, columns_) {}
  explicit Setup(const SamplerPlan& plan, std::size_t rows_ = batch, std::size_t columns_ = dim)
      : rows(rows_),
        columns(columns_),
        model(make_denoiser<Exec>(GaussianMixture::ring(columns_))),
        sampler(plan, rows_, columns_),
        out("out", rows_, columns_),
        statistics("statistics", rows_, model.statistics_per_sample(columns_)) {
    sampler.reset(standard_normal<Exec>(rows, columns, 1, 14.6));
    for (int n = 0; n < 8; ++n) sampler.step(model);
    Exec().fence();
  }
  void evaluate(bool prepared = true) const {
    NoiseLevel level = sampler.level();
    if (prepared) model.prepare(level);
    else level.sigma_bar = std::nextafter(level.sigma_bar, 0.0);  // not the tabled level
    model.reduce(sampler.state(), level, statistics);
    const qmcsim::diffusion::detail::CoordinateTiles<Matrix::array_layout> tiles(rows, columns);
    Kokkos::parallel_for("bench::model", Kokkos::RangePolicy<Exec>(0, tiles.count()),
                         EvaluateOnly<decltype(model), Matrix, Matrix>{model, sampler.state(), out, statistics, tiles, level});
    Exec().fence();
  }
  void step_with_model() {
    sampler.step(model);
    Exec().fence();
  }
  void step_with_output() {
    sampler.step(out, Prediction::data);
    Exec().fence();
  }
};

/// Vectors moved per element by the update with the output given: read x, output, the older history
/// entries combined (GHVB of order 1 still reads its previous velocity), velocity; write x, one slot,
/// velocity.
int vectors_moved(const SamplerSpec& spec) {
  const int history_read = std::max(spec.order - 1, spec.method == Method::ghvb ? 1 : 0);
  return 2 + history_read + 2 + (spec.has_velocity() ? 2 : 0);
}

void update_over_copy(benchmark::State& state, const SamplerSpec& spec, std::size_t rows, std::size_t columns) {
  Setup setup(spec, rows, columns);
  const int vectors = vectors_moved(spec);
  Kokkos::View<double*, Exec::memory_space> in("in", vectors * rows * columns / 2), copy("copy", vectors * rows * columns / 2);
  qmcsim::bench::paired_ratio(state, [&] { setup.step_with_output(); }, [&] { qmcsim::bench::copy_once(in, copy); });
  state.counters["vectors_moved"] = vectors;
  state.SetLabel(spec.name());
}

void BM_ModelEvaluation(benchmark::State& state) {
  const Setup setup(SamplerSpec::ddim());
  for (auto _ : state) setup.evaluate();
  state.counters["samples_per_second"] =
      benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_TablesOverInPlace(benchmark::State& state) {
  const Setup setup(SamplerSpec::ddim());
  qmcsim::bench::paired_ratio(state, [&] { setup.evaluate(true); }, [&] { setup.evaluate(false); });
}

void BM_StepOverModel(benchmark::State& state) {
  const SamplerSpec& spec = samplers()[state.range(0)];
  Setup setup(spec);
  qmcsim::bench::paired_ratio(state, [&] { setup.step_with_model(); }, [&] { setup.evaluate(); });
  state.counters["overhead"] = state.counters["time_ratio"] - 1;
  state.SetLabel(spec.name());
}

// The stochastic step (ancestral DDIM, eta = 1): DDIM's update plus one Philox normal per coordinate.
void BM_AncestralStepOverModel(benchmark::State& state) {
  Setup setup(SamplerPlan(ancestral_ddim(1), Setup::grid()));
  qmcsim::bench::paired_ratio(state, [&] { setup.step_with_model(); }, [&] { setup.evaluate(); });
  state.counters["overhead"] = state.counters["time_ratio"] - 1;
}

void BM_UpdateOverCopy(benchmark::State& state) { update_over_copy(state, samplers()[state.range(0)], batch, dim); }

void BM_ShapeStepOverModel(benchmark::State& state) {
  Setup setup(SamplerSpec::ghvb(3.8), state.range(0), state.range(1));
  qmcsim::bench::paired_ratio(state, [&] { setup.step_with_model(); }, [&] { setup.evaluate(); });
  state.counters["overhead"] = state.counters["time_ratio"] - 1;
}

void BM_ShapeTilesOverRows(benchmark::State& state) {
  Setup tiles(SamplerSpec::ghvb(3.8), state.range(0), state.range(1)), rows(SamplerSpec::ghvb(3.8), state.range(0), state.range(1));
  const PerSampleModel<decltype(rows.model)> per_sample{rows.model};
  qmcsim::bench::paired_ratio(state, [&] { tiles.step_with_model(); }, [&] {
    rows.sampler.step(per_sample);
    Exec().fence();
  });
}

void BM_ShapeUpdateOverCopy(benchmark::State& state) {
  update_over_copy(state, SamplerSpec::ghvb(3.8), state.range(0), state.range(1));
}

void BM_SamplesPerSecond(benchmark::State& state) {
  const auto samples = static_cast<std::size_t>(state.range(0));
  const auto grid = DiscreteVpSchedule::scaled_linear().timestep_grid(15);
  const auto model = classifier_free_guidance<Exec>(make_denoiser<Exec>(GaussianMixture::ring(8)),
                                                    make_denoiser<Exec>(GaussianMixture::ring_class(8)), 7.5, samples, 8);
  Sampler<double, Exec> sampler(SamplerPlan(SamplerSpec::ghvb(3.8), grid), samples, 8);
  const Matrix start = standard_normal<Exec>(samples, 8, 3, grid.sigma_bar(0));
  for (auto _ : state) {
    sampler.reset(start);
    sampler.run(model);
    Exec().fence();
  }
  state.counters["samples_per_second"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_ModelEvaluation)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TablesOverInPlace)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_StepOverModel)->DenseRange(0, 5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AncestralStepOverModel)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_UpdateOverCopy)->DenseRange(0, 5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ShapeStepOverModel)->Args({1 << 14, 64})->Args({4, 1 << 16})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ShapeTilesOverRows)->Args({1 << 14, 64})->Args({4, 1 << 16})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ShapeUpdateOverCopy)->Args({1 << 14, 64})->Args({4, 1 << 16})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SamplesPerSecond)->Arg(1 << 16)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
