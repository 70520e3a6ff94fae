// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Point sets: Lattice, DigitalNet, Halton, IID, each with gen(n, start, dtype) -> (R, n, d) or (n, d).

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <optional>

#include "points.hpp"

namespace qmcsim::python {

template <class Generator>
nb::object PointSet<Generator>::gen(std::uint64_t n, std::uint64_t start, const std::string& dtype, nb::handle out) const {
  require_argument(dtype == "float64" || dtype == "float32", "gen: dtype = '", detail::printable(dtype),
                   "' is not float64 or float32");
  require_argument(start <= generator.max_points() && n <= generator.max_points() - start, "gen: start + n = ", start,
                   " + ", n, " exceeds the ", generator.max_points(), " points of this point set");
  const std::size_t R = generator.replications(), d = generator.dimension();
  const auto fill = [&](auto zero) -> nb::object {
    using Real = decltype(zero);
    HostArray<Real> array;
    if (out.is_none()) {
      array = new_array<Real>({R, static_cast<std::size_t>(n), d});
    } else {
      // numpy's out=: a writable C-contiguous array of the result's shape and of `dtype`, filled and returned
      require_argument(nb::try_cast(out, array, false), "gen: out must be a writable C-contiguous NumPy array of dtype ",
                       dtype);
      const bool full = array.ndim() == 3 && array.shape(0) == R && array.shape(1) == n && array.shape(2) == d;
      const bool single = R == 1 && array.ndim() == 2 && array.shape(0) == n && array.shape(1) == d;
      require_argument(full || single, "gen: out has the wrong shape: expected (", R, ", ", n, ", ", d, ")",
                       R == 1 ? " or (" + std::to_string(n) + ", " + std::to_string(d) + ")" : std::string());
    }
    {
      KernelScope scope;
      const Unmanaged3<Real> view(array.data(), R, n, d);
      if constexpr (std::is_same_v<typename Generator::memory_space, Kokkos::HostSpace>) {
        generator.generate({start, start + n}, view);
      } else {  // a device build: generate there and copy
        PointsView<Real, typename Generator::memory_space> device("qmcsim::python::points", R, n, d);
        generator.generate({start, start + n}, device);
        Kokkos::deep_copy(view, device);
      }
    }
    if (!out.is_none()) return nb::borrow(out);
    nb::object result = nb::cast(array);
    return R == 1 ? nb::object(result.attr("reshape")(n, d)) : result;
  };
  return dtype == "float64" ? fill(0.0) : fill(0.0f);
}

namespace {

template <class Options>
Options common(std::size_t dimension, std::size_t replications, std::uint64_t seed) {
  Options options;
  options.dimension = dimension;
  options.replications = replications;
  options.seed = seed;
  return options;
}

template <class Set>
void generator_methods(nb::class_<Set>& cls) {
  cls.def("gen", &Set::gen, nb::arg("n"), nb::arg("start") = 0, nb::arg("dtype") = "float64",
          nb::arg("out") = nb::none(),
          "Points start .. start + n - 1 of every replication: an array (replications, n, dimension), or (n, "
          "dimension) for one replication, in [0, 1). With out (a writable C-contiguous array of that shape "
          "and of dtype), the points are written into it and it is returned: no new array, whose page "
          "faults are a fifth of the time of a 2^20 x 32 call.")
      .def_prop_ro("dimension", [](const Set& s) { return s.generator.dimension(); })
      .def_prop_ro("replications", [](const Set& s) { return s.generator.replications(); })
      .def_prop_ro("max_points", [](const Set& s) { return s.generator.max_points(); },
                   "how many points the sequence has (indices 0 .. max_points - 1)");
}

}  // namespace

void register_points(nb::module_& m) {
  auto lattice = nb::class_<LatticeSet>(m, "Lattice",
      "Randomly shifted extensible rank-1 lattice (base 2): x_i = frac(phi_2(i) z + Delta) in natural\n"
      "(radical-inverse) order, phi_2(gray(i)) in gray order, frac(i z / n + Delta) in linear order.\n"
      "z: qmcsim's default vector (CBC, 2^20 points, 1000 dimensions) or an LDData lattice file; a file\n"
      "whose n is not a power of two is an ordinary rule: order='linear', linear_size=n.");
  lattice.def(
      "__init__",
      [](LatticeSet* self, std::size_t dimension, std::size_t replications, std::uint64_t seed, const std::string& randomize,
         const std::string& order, const std::optional<std::string>& generating_vector, std::uint64_t linear_size) {
        LatticeOptions options;
        static_cast<PointSetOptions&>(options) = common<PointSetOptions>(dimension, replications, seed);
        options.randomization = parse_randomization(randomize);
        options.order = parse_point_order(order);
        options.linear_size = linear_size;
        KernelScope scope;
        const GeneratingVector vector = generating_vector ? GeneratingVector::read(*generating_vector) : GeneratingVector::default_vector();
        new (self) LatticeSet(Lattice<>(vector, options));
      },
      nb::arg("dimension"), nb::arg("replications") = 1, nb::arg("seed") = 0, nb::arg("randomize") = "shift",
      nb::arg("order") = "natural", nb::arg("generating_vector") = nb::none(), nb::arg("linear_size") = 0);
  generator_methods(lattice);

  auto net = nb::class_<NetSet>(m, "DigitalNet",
      "Base-2 digital net (Sobol' in up to 21201 dimensions, Niederreiter, or an LDData dnet, dnetup or\n"
      "soboljk file) with none, ds (digital\n"
      "shift), lms, lms-ds or nus (Owen's nested uniform scrambling) randomization; alpha > 1 interlaces\n"
      "alpha base coordinates per output coordinate (higher-order nets).");
  net.def(
      "__init__",
      [](NetSet* self, std::size_t dimension, std::size_t replications, std::uint64_t seed, const std::string& randomize,
         const std::string& order, int alpha, const std::string& matrices) {
        DigitalNetOptions options;
        static_cast<PointSetOptions&>(options) = common<PointSetOptions>(dimension, replications, seed);
        options.randomization = parse_randomization(randomize);
        options.order = parse_point_order(order);
        options.alpha = alpha;
        require_argument(alpha >= 1 && alpha <= detail::max_alpha, "DigitalNet: alpha = ", alpha, " is outside [1, ",
                         detail::max_alpha, "]");
        const std::size_t base = dimension * static_cast<std::size_t>(alpha);
        KernelScope scope;
        const GeneratingMatrices table = matrices == "sobol"          ? GeneratingMatrices::sobol(base)
                                         : matrices == "niederreiter" ? GeneratingMatrices::niederreiter(base)
                                                                      : GeneratingMatrices::read(matrices);
        new (self) NetSet(DigitalNet<>(table, options));
      },
      nb::arg("dimension"), nb::arg("replications") = 1, nb::arg("seed") = 0, nb::arg("randomize") = "lms-ds",
      nb::arg("order") = "natural", nb::arg("alpha") = 1, nb::arg("matrices") = "sobol");
  generator_methods(net);

  auto halton = nb::class_<HaltonSet>(m, "Halton",
      "The Halton sequence with none, ds, perm (random digit permutations), lms, lms-ds, lms-perm (LMS then\n"
      "digit permutations, QMCPy's LMS_PERM) or nus randomization.");
  halton.def(
      "__init__",
      [](HaltonSet* self, std::size_t dimension, std::size_t replications, std::uint64_t seed, const std::string& randomize) {
        HaltonOptions options;
        static_cast<PointSetOptions&>(options) = common<PointSetOptions>(dimension, replications, seed);
        options.randomization = parse_randomization(randomize);
        KernelScope scope;
        new (self) HaltonSet(Halton<>(options));
      },
      nb::arg("dimension"), nb::arg("replications") = 1, nb::arg("seed") = 0, nb::arg("randomize") = "lms-ds");
  generator_methods(halton);

  auto iid = nb::class_<IidSet>(m, "IID", "Independent uniform points (plain Monte Carlo), Philox by (seed, replication, index).");
  iid.def(
      "__init__",
      [](IidSet* self, std::size_t dimension, std::size_t replications, std::uint64_t seed) {
        KernelScope scope;
        new (self) IidSet(IidUniform<>(common<PointSetOptions>(dimension, replications, seed)));
      },
      nb::arg("dimension"), nb::arg("replications") = 1, nb::arg("seed") = 0);
  generator_methods(iid);
}

}  // namespace qmcsim::python
