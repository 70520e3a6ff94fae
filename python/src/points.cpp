// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Point sets: Lattice, DigitalNet, Halton, IID, each with gen(n, start, dtype) -> (R, n, d) or (n, d).

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <algorithm>
#include <optional>
#include <vector>

#include "points.hpp"

namespace qmcsim::python {

template <class Generator>
nb::object PointSet<Generator>::gen(const Integer& n_argument, const Integer& start_argument, nb::handle dtype_argument,
                                    nb::handle out) const {
  const std::string dtype = float_dtype(dtype_argument, "gen");
  const std::uint64_t n = unsigned_argument(n_argument, "gen", "n"), start = unsigned_argument(start_argument, "gen", "start");
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

/// The options every point set shares, from the constructor's arguments (their ranges are checked by
/// the generator).
PointSetOptions common(const char* where, const Integer& dimension, const Integer& replications, const Integer& seed) {
  PointSetOptions options;
  options.dimension = unsigned_argument(dimension, where, "dimension");
  options.replications = unsigned_argument(replications, where, "replications");
  options.seed = unsigned_argument(seed, where, "seed");
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

/// A non-negative integer array (any NumPy integer dtype) of rank 1 .. max_rank as C-contiguous
/// uint64, for generating vectors and matrices given as arrays (QMCPy's ndarray options).
nb::ndarray<const std::uint64_t, nb::c_contig, nb::device::cpu> integer_array(nb::handle value, const char* name, int max_rank) {
  nb::module_ numpy = nb::module_::import_("numpy");
  nb::object array = numpy.attr("asarray")(value);
  const std::string kind = nb::cast<std::string>(array.attr("dtype").attr("kind"));
  const int rank = nb::cast<int>(array.attr("ndim"));
  require_argument(kind == "i" || kind == "u", name, " must be an array of integers, got dtype ",
                   nb::cast<std::string>(array.attr("dtype").attr("name")));
  require_argument(rank >= 1 && rank <= max_rank, name, " has ", rank, " dimensions: expected 1 to ", max_rank);
  require_argument(nb::cast<std::size_t>(array.attr("size")) > 0, name, " is empty");
  require_argument(kind == "u" || nb::cast<long long>(nb::int_(array.attr("min")())) >= 0, name, " has a negative entry");
  return nb::cast<nb::ndarray<const std::uint64_t, nb::c_contig, nb::device::cpu>>(
      numpy.attr("ascontiguousarray")(array, nb::arg("dtype") = "uint64"));
}

/// Lattice's generating_vector: None (the default vector), a file name, M (one random vector of 2^M
/// points per replication) or an integer array (d,) or (R, d) with 2^m_max points.
std::vector<GeneratingVector> lattice_vectors(nb::handle value, std::size_t dimension, std::size_t replications,
                                              std::uint64_t seed, std::optional<int> m_max) {
  if (value.is_none()) return {GeneratingVector::default_vector()};
  if (nb::isinstance<nb::str>(value)) return {GeneratingVector::read(nb::cast<std::string>(value))};
  if (nb::isinstance<nb::int_>(value) && !nb::isinstance<nb::bool_>(value)) {
    const long long M = nb::cast<long long>(value);
    require_argument(M >= 2 && M <= 62, "Lattice: generating_vector = ", M,
                     " (a random vector of 2^M points) is outside [2, 62]");
    return GeneratingVector::random(dimension, static_cast<int>(M), replications, seed);
  }
  const auto array = integer_array(value, "Lattice: generating_vector", 2);
  require_argument(m_max.has_value(), "Lattice: a generating_vector array needs m_max (the rule has 2^m_max points)");
  require_argument(*m_max >= 0 && *m_max <= 62, "Lattice: m_max = ", *m_max, " is outside [0, 62]");
  const std::size_t rows = array.ndim() == 2 ? array.shape(0) : 1, d = array.shape(array.ndim() - 1);
  std::vector<GeneratingVector> vectors;
  for (std::size_t r = 0; r < rows; ++r)
    vectors.emplace_back("generating_vector[" + std::to_string(r) + "]", std::vector<std::uint64_t>(array.data() + r * d, array.data() + (r + 1) * d),
                         *m_max);
  return vectors;
}

/// DigitalNet's matrices given as an integer array (d, m) or (R, d, m): entry (j, b) is column b of
/// C_j as an integer whose bits are the rows, row 0 the most significant of `rows` bits (msb) or bit 0
/// (not msb); rows defaults to the bit length of the largest entry (QMCPy's convention).
std::vector<GeneratingMatrices> net_matrices(nb::handle value, bool msb, std::optional<int> rows) {
  const auto array = integer_array(value, "DigitalNet: matrices", 3);
  require_argument(array.ndim() >= 2, "DigitalNet: a matrices array has shape (d, m) or (R, d, m)");
  const std::size_t sets = array.ndim() == 3 ? array.shape(0) : 1;
  const std::size_t d = array.shape(array.ndim() - 2), m = array.shape(array.ndim() - 1);
  require_argument(m <= static_cast<std::size_t>(GeneratingMatrices::max_columns), "DigitalNet: matrices have ", m,
                   " columns: at most ", GeneratingMatrices::max_columns);
  std::uint64_t largest = 0;
  for (std::size_t k = 0; k < array.size(); ++k) largest = std::max(largest, array.data()[k]);
  const int bit_length = largest == 0 ? 1 : 64 - __builtin_clzll(largest);
  const int t = rows.value_or(bit_length);
  require_argument(t >= bit_length && t <= 64, "DigitalNet: rows = ", t, " is outside [", bit_length,
                   " (the bit length of the largest entry), 64]");
  std::vector<GeneratingMatrices> matrices;
  for (std::size_t s = 0; s < sets; ++s) {
    std::vector<std::uint64_t> words(d * m);
    for (std::size_t k = 0; k < d * m; ++k) {
      const std::uint64_t entry = array.data()[s * d * m + k];
      words[k] = msb ? (t == 64 ? entry : entry << (64 - t)) : bits::bit_reverse(entry);
    }
    matrices.emplace_back("matrices[" + std::to_string(s) + "]", d, static_cast<int>(m), t, std::move(words));
  }
  return matrices;
}

}  // namespace

void register_points(nb::module_& m) {
  auto lattice = nb::class_<LatticeSet>(m, "Lattice",
      "Randomly shifted extensible rank-1 lattice (base 2): x_i = frac(phi_2(i) z + Delta) in natural\n"
      "(radical-inverse) order, phi_2(gray(i)) in gray order, frac(i z / n + Delta) in linear order.\n"
      "generating_vector z: None (qmcsim's default: CBC, 2^20 points, 1000 dimensions), an LDData lattice\n"
      "file (one whose n is not a power of two is an ordinary rule: order='linear', linear_size=n), an int M\n"
      "(one random vector per replication: z_1 = 1, z_j uniform on the odd numbers 3 .. 2^M - 1, as QMCPy's\n"
      "generating_vector=M; drawn from seed), or an integer array (d,) or (replications, d) with m_max\n"
      "(2^m_max points).");
  lattice.def(
      "__init__",
      [](LatticeSet* self, const Integer& dimension, const Integer& replications, const Integer& seed, const std::string& randomize,
         const std::string& order, nb::handle generating_vector, const Integer& linear_size, std::optional<int> m_max) {
        LatticeOptions options;
        static_cast<PointSetOptions&>(options) = common("Lattice", dimension, replications, seed);
        options.randomization = parse_randomization(randomize);
        options.order = parse_point_order(order);
        options.linear_size = unsigned_argument(linear_size, "Lattice", "linear_size");
        const auto vectors = lattice_vectors(generating_vector, options.dimension, options.replications, options.seed, m_max);  // needs the GIL
        KernelScope scope;
        new (self) LatticeSet(Lattice<>(vectors, options));
      },
      nb::arg("dimension"), nb::arg("replications") = 1, nb::arg("seed") = 0, nb::arg("randomize") = "shift",
      nb::arg("order") = "natural", nb::arg("generating_vector") = nb::none(), nb::arg("linear_size") = 0,
      nb::arg("m_max") = nb::none());
  generator_methods(lattice);

  auto net = nb::class_<NetSet>(m, "DigitalNet",
      "Base-2 digital net (Sobol' in up to 21201 dimensions, Niederreiter, or an LDData dnet, dnetup or\n"
      "soboljk file, or an integer array (d, m) or (replications, d, m) of columns whose bits are the rows:\n"
      "row 0 the most significant of `rows` bits (msb=True) or bit 0 (msb=False), rows defaulting to the\n"
      "bit length of the largest entry, as QMCPy's generating_matrices) with none, ds (digital shift), lms,\n"
      "lms-ds or nus (Owen's nested uniform scrambling) randomization; alpha > 1 interlaces alpha base\n"
      "coordinates per output coordinate (higher-order nets).");
  net.def(
      "__init__",
      [](NetSet* self, const Integer& dimension, const Integer& replications, const Integer& seed, const std::string& randomize,
         const std::string& order, int alpha, nb::handle matrices, bool msb, std::optional<int> rows) {
        DigitalNetOptions options;
        static_cast<PointSetOptions&>(options) = common("DigitalNet", dimension, replications, seed);
        options.randomization = parse_randomization(randomize);
        options.order = parse_point_order(order);
        options.alpha = alpha;
        require_argument(alpha >= 1 && alpha <= detail::max_alpha, "DigitalNet: alpha = ", alpha, " is outside [1, ",
                         detail::max_alpha, "]");
        const std::size_t base = options.dimension * static_cast<std::size_t>(alpha);
        // an array is read while the GIL is held; a name is resolved in the kernel scope
        const bool named = nb::isinstance<nb::str>(matrices);
        const std::string name = named ? nb::cast<std::string>(matrices) : std::string();
        std::vector<GeneratingMatrices> sets = named ? std::vector<GeneratingMatrices>() : net_matrices(matrices, msb, rows);
        KernelScope scope;
        if (named)
          sets.push_back(name == "sobol"          ? GeneratingMatrices::sobol(base)
                         : name == "niederreiter" ? GeneratingMatrices::niederreiter(base)
                                                  : GeneratingMatrices::read(name));
        new (self) NetSet(DigitalNet<>(sets, options));
      },
      nb::arg("dimension"), nb::arg("replications") = 1, nb::arg("seed") = 0, nb::arg("randomize") = "lms-ds",
      nb::arg("order") = "natural", nb::arg("alpha") = 1, nb::arg("matrices") = "sobol", nb::arg("msb") = true,
      nb::arg("rows") = nb::none());
  generator_methods(net);

  auto halton = nb::class_<HaltonSet>(m, "Halton",
      "The Halton sequence with none, ds, perm (random digit permutations), lms, lms-ds, lms-perm (LMS then\n"
      "digit permutations, QMCPy's LMS_PERM) or nus randomization.");
  halton.def(
      "__init__",
      [](HaltonSet* self, const Integer& dimension, const Integer& replications, const Integer& seed, const std::string& randomize) {
        HaltonOptions options;
        static_cast<PointSetOptions&>(options) = common("Halton", dimension, replications, seed);
        options.randomization = parse_randomization(randomize);
        KernelScope scope;
        new (self) HaltonSet(Halton<>(options));
      },
      nb::arg("dimension"), nb::arg("replications") = 1, nb::arg("seed") = 0, nb::arg("randomize") = "lms-ds");
  generator_methods(halton);

  auto iid = nb::class_<IidSet>(m, "IID", "Independent uniform points (plain Monte Carlo), Philox by (seed, replication, index).");
  iid.def(
      "__init__",
      [](IidSet* self, const Integer& dimension, const Integer& replications, const Integer& seed) {
        const PointSetOptions options = common("IID", dimension, replications, seed);
        KernelScope scope;
        new (self) IidSet(IidUniform<>(options));
      },
      nb::arg("dimension"), nb::arg("replications") = 1, nb::arg("seed") = 0);
  generator_methods(iid);
}

}  // namespace qmcsim::python
