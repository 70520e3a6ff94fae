# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Integer, dtype and array arguments (python/src/integers.hpp; float_dtype and real_array in
arrays.hpp): every count, index and seed takes a Python or NumPy integer; a negative or too large one
is a ValueError naming the argument and its range (not nanobind's TypeError for a signature
mismatch); a float or a string stays a TypeError; dtype takes what NumPy takes; an array of the wrong
rank is a ValueError naming it, and lists or other real dtypes are converted."""

import re

import numpy as np
import pytest

import qmcsim

sampler = qmcsim.Sampler("ddim", eta=1.0, steps=4, batch=2, dimension=3)
gram_points = qmcsim.Lattice(2)
tree = qmcsim.VirtualBrownianTree(0.0, 1.0)
gbm = qmcsim.GeometricBrownianMotion(0.5, 0.8)
callables = qmcsim.CallableSde(lambda t, y: y, lambda t, y: y)

# (call taking the integer, message for -1, message for 2^64)
INTEGER_ARGUMENTS = {
    "gen n": (lambda k: qmcsim.Halton(2).gen(k), "gen: n = -1 must be a non-negative integer below 2^64"),
    "gen start": (lambda k: qmcsim.DigitalNet(2).gen(1, start=k), "gen: start = -1 must be"),
    "Lattice dimension": (lambda k: qmcsim.Lattice(k), "Lattice: dimension = -1 must be"),
    "Lattice linear_size": (lambda k: qmcsim.Lattice(2, order="linear", linear_size=k), "Lattice: linear_size = -1"),
    "DigitalNet replications": (lambda k: qmcsim.DigitalNet(2, replications=k), "DigitalNet: replications = -1"),
    "Halton seed": (lambda k: qmcsim.Halton(2, seed=k), "Halton: seed = -1 must be"),
    "IID dimension": (lambda k: qmcsim.IID(k), "IID: dimension = -1"),
    "tree seed": (lambda k: qmcsim.VirtualBrownianTree(0.0, 1.0, seed=k), "VirtualBrownianTree: seed = -1"),
    "increments paths": (lambda k: tree.increments(np.array([[0.0, 1.0]]), paths=k),
                         "increments: paths = -1 is outside [1, 4294967296]"),
    "increments first_path": (lambda k: tree.increments(np.array([[0.0, 1.0]]), first_path=k),
                              "increments: first_path = -1"),
    "solve_sde seed": (lambda k: qmcsim.solve_sde(gbm, [1.0], [1.0], dt=0.5, seed=k), "solve_sde: seed = -1"),
    "solve_sde paths": (lambda k: qmcsim.solve_sde(gbm, [1.0], [1.0], dt=0.5, paths=k), "solve_sde: paths = -1"),
    "solve_sde callables first_path": (lambda k: qmcsim.solve_sde(callables, [1.0], [1.0], dt=0.5, first_path=k),
                                       "solve_sde: first_path = -1"),
    "CallableSde noise_dimension": (lambda k: qmcsim.CallableSde(lambda t, y: y, lambda t, y: y, noise="general",
                                                                 noise_dimension=k),
                                    "CallableSde: noise_dimension = -1 is outside [1, 2147483647]"),
    "Sampler steps": (lambda k: qmcsim.Sampler("ddim", steps=k), "Sampler: steps = -1"),
    "Sampler batch": (lambda k: qmcsim.Sampler("ddim", batch=k), "Sampler: batch = -1"),
    "Sampler.noise step": (lambda k: sampler.noise(k), "Sampler.noise: step = -1 is outside [0, 3]"),
    "Sampler.run seed": (lambda k: sampler.run(lambda x, s, a, t: x, np.zeros((2, 3)), seed=k), "Sampler.run: seed = -1"),
    "ring dimension": (lambda k: qmcsim.GaussianMixture.ring(k), "GaussianMixture.ring: dimension = -1"),
    "FastGram n": (lambda k: qmcsim.FastGram(gram_points, k), "FastGram: n = -1"),
    "FastGram replication": (lambda k: qmcsim.FastGram(gram_points, 8, replication=k), "FastGram: replication = -1"),
}


@pytest.mark.parametrize("name", sorted(INTEGER_ARGUMENTS))
def test_out_of_range_integers_are_value_errors_naming_the_argument(name):
    call, message = INTEGER_ARGUMENTS[name]
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        call(-1)
    with pytest.raises(ValueError, match="^" + re.escape(message.split(" = ")[0] + " = 18446744073709551616 ")):
        call(2**64)
    with pytest.raises(ValueError, match=" = -" + "9" * 30):
        call(-int("9" * 30))
    for wrong_type in (1.0, "1", True):
        with pytest.raises(TypeError):
            call(wrong_type)


def test_numpy_integers_and_the_largest_seed_are_taken():
    net = qmcsim.DigitalNet(3, randomize="lms-ds", seed=2**64 - 1)
    assert np.array_equal(net.gen(np.int64(8), start=np.uint32(8)), net.gen(16)[8:])
    assert qmcsim.Halton(np.int16(2), replications=np.uint8(2)).gen(4).shape == (2, 4, 2)
    W, _, _ = tree.increments(np.array([[0.0, 0.5]]), paths=np.int32(3), first_path=np.uint64(2**32 - 3))
    assert W.shape == (3, 1, 1)
    with pytest.raises(ValueError, match="exceed the 2\\^32 paths"):
        tree.increments(np.array([[0.0, 0.5]]), paths=4, first_path=2**32 - 3)


@pytest.mark.parametrize("dtype", ["float32", "f4", "single", np.float32, np.dtype("float32")])
def test_float32_is_taken_as_numpy_names_it(dtype):
    halton = qmcsim.Halton(3, seed=5)
    x = halton.gen(16, dtype=dtype)
    expected = halton.gen(16).astype(np.float32)  # the double points rounded, kept below 1
    expected[expected == 1] = np.nextafter(np.float32(1), np.float32(0))
    assert x.dtype == np.float32 and np.array_equal(x, expected)
    W, _, _ = qmcsim.VirtualBrownianTree(0.0, 1.0, dtype=dtype).increments(np.array([[0.0, 1.0]]))
    assert W.dtype == np.float32


@pytest.mark.parametrize("dtype", ["float64", "f8", "double", float, np.float64, np.dtype("float64")])
def test_float64_is_taken_as_numpy_names_it(dtype):
    assert qmcsim.Lattice(2).gen(4, dtype=dtype).dtype == np.float64
    W, _, _ = qmcsim.VirtualBrownianTree(0.0, 1.0, dtype=dtype).increments(np.array([[0.0, 1.0]]))
    assert W.dtype == np.float64


@pytest.mark.parametrize("dtype,name", [("int8", "int8"), (np.int32, "int32"), (np.float16, "float16"),
                                        ("no such type", "no such type")])
def test_other_dtypes_are_value_errors(dtype, name):
    with pytest.raises(ValueError, match=f"gen: dtype = '{name}' is not float64 or float32"):
        qmcsim.Halton(2).gen(2, dtype=dtype)
    with pytest.raises(ValueError, match=f"VirtualBrownianTree: dtype = '{name}' is not float64 or float32"):
        qmcsim.VirtualBrownianTree(0.0, 1.0, dtype=dtype)


mixture = qmcsim.GaussianMixture.ring(3)
ARRAY_ARGUMENTS = {
    "increments intervals": (lambda a: tree.increments(a), "increments: intervals"),
    "Sampler.run x_T": (lambda a: sampler.run(mixture, a), "Sampler.run: x_T"),
    "denoise x_bar": (lambda a: mixture.denoise(a, 0.5), "GaussianMixture.denoise: x_bar"),
    "mixture means": (lambda a: qmcsim.GaussianMixture([1.0], a, [[1.0, 1.0, 1.0]]), "GaussianMixture: means"),
    "mixture variances": (lambda a: qmcsim.GaussianMixture([1.0], [[0.0, 0.0, 0.0]], a), "GaussianMixture: variances"),
}


@pytest.mark.parametrize("name", sorted(ARRAY_ARGUMENTS))
def test_arrays_of_the_wrong_rank_or_kind_are_value_errors_naming_them(name):
    call, where = ARRAY_ARGUMENTS[name]
    with pytest.raises(ValueError, match=re.escape(where + " must be a 2-dimensional array, got shape (3,)")):
        call(np.zeros(3))
    with pytest.raises(ValueError, match=re.escape(where + " must be a 2-dimensional array, got shape (1, 2, 3)")):
        call(np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match=re.escape(where + " is not an array of real numbers")):
        call([["a", "b", "c"]])


def test_lists_and_other_real_dtypes_are_converted():
    intervals = np.array([[0.0, 0.25], [0.25, 1.0]])
    W, H, _ = tree.increments(intervals, paths=4)
    for given in (intervals.tolist(), intervals.astype(np.float32), np.asfortranarray(intervals)):
        W2, H2, _ = tree.increments(given, paths=4)
        assert np.array_equal(W2, W) and np.array_equal(H2, H)
    x_T = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
    assert np.array_equal(sampler.run(mixture, x_T.tolist(), seed=3), sampler.run(mixture, x_T, seed=3))
    assert np.array_equal(mixture.denoise(x_T[:, ::-1], 0.5), mixture.denoise(np.ascontiguousarray(x_T[:, ::-1]), 0.5))
