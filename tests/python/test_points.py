# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""qmcsim's point sets from Python against the C++ driver's output (bit for bit), shapes, dtypes, and
the scipy.stats.qmc engine adapter."""

import numpy as np
import pytest

import qmcsim


@pytest.mark.parametrize(
    "make, args",
    [
        (lambda: qmcsim.Lattice(5, replications=3, seed=7), ["--kind", "lattice", "--dim", 5, "--replications", 3, "--seed", 7]),
        (lambda: qmcsim.Lattice(5, randomize="none", order="gray"), ["--kind", "lattice", "--dim", 5, "--randomize", "none", "--order", "gray"]),
        (lambda: qmcsim.Lattice(5, replications=3, seed=2, generating_vector=24), ["--kind", "lattice", "--dim", 5, "--replications", 3, "--seed", 2, "--generating-vector", "random:24"]),
        (lambda: qmcsim.DigitalNet(4, replications=2, seed=3, randomize="nus"), ["--kind", "sobol", "--dim", 4, "--replications", 2, "--seed", 3, "--randomize", "nus"]),
        (lambda: qmcsim.DigitalNet(3, alpha=2, seed=1), ["--kind", "sobol", "--dim", 3, "--alpha", 2, "--seed", 1]),
        (lambda: qmcsim.DigitalNet(6, matrices="niederreiter", randomize="ds", seed=2), ["--kind", "niederreiter", "--dim", 6, "--randomize", "ds", "--seed", 2]),
        (lambda: qmcsim.Halton(4, replications=2, randomize="perm", seed=5), ["--kind", "halton", "--dim", 4, "--replications", 2, "--randomize", "perm", "--seed", 5]),
        (lambda: qmcsim.Halton(40, replications=2, randomize="lms-perm", seed=4), ["--kind", "halton", "--dim", 40, "--replications", 2, "--randomize", "lms-perm", "--seed", 4]),
        (lambda: qmcsim.IID(3, replications=2, seed=9), ["--kind", "iid", "--dim", 3, "--replications", 2, "--seed", 9]),
    ],
)
def test_points_equal_the_cpp_driver(cli, make, args):
    points = make()
    x = points.gen(64, start=32)
    expected = cli.points(*args, "--n", 64, "--start", 32).reshape(points.replications, 64, points.dimension)
    np.testing.assert_array_equal(x.reshape(expected.shape), expected)


def test_shapes_and_dtypes():
    one = qmcsim.DigitalNet(3)
    assert one.gen(8).shape == (8, 3) and one.gen(8).dtype == np.float64
    many = qmcsim.DigitalNet(3, replications=4)
    assert many.gen(8).shape == (4, 8, 3)
    single = many.gen(1024, dtype="float32")
    assert single.dtype == np.float32 and np.all(single < 1) and np.all(single >= 0)
    np.testing.assert_allclose(single, many.gen(1024), atol=6e-8)
    assert one.gen(0).shape == (0, 3)
    # a range is a slice of the sequence
    np.testing.assert_array_equal(one.gen(16)[8:], one.gen(8, start=8))


def test_gen_writes_into_out():
    one = qmcsim.DigitalNet(3, seed=1)
    out = np.full((8, 3), -1.0)
    assert one.gen(8, start=4, out=out) is out
    np.testing.assert_array_equal(out, one.gen(8, start=4))
    single = np.empty((8, 3), dtype=np.float32)
    np.testing.assert_array_equal(one.gen(8, dtype="float32", out=single), one.gen(8, dtype="float32"))
    many = qmcsim.Halton(3, replications=2, seed=1)
    out3 = np.empty((2, 8, 3))
    np.testing.assert_array_equal(many.gen(8, out=out3), many.gen(8))
    assert one.gen(0, out=np.empty((0, 3))).shape == (0, 3)
    read_only = np.empty((8, 3))
    read_only.flags.writeable = False
    for bad in (np.empty((8, 4)), np.empty((8, 3), dtype=np.float32), np.empty((8, 6))[:, ::2], read_only, [0.0] * 24):
        with pytest.raises(ValueError, match="gen: out"):
            one.gen(8, out=bad)
    with pytest.raises(ValueError, match="expected \\(2, 8, 3\\)$"):
        many.gen(8, out=np.empty((8, 3)))


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="dimension = 30000 is outside \\[1, 21201\\]"):
        qmcsim.DigitalNet(30000)
    with pytest.raises(ValueError, match="randomization 'shift' is not available"):
        qmcsim.DigitalNet(2, randomize="shift")
    with pytest.raises(ValueError, match="exceeds the 1048576 points"):
        qmcsim.Lattice(2).gen(2**20 + 1)
    with pytest.raises(ValueError, match="dtype"):
        qmcsim.Halton(2).gen(4, dtype="int8")
    with pytest.raises(ValueError, match="order 'spiral' is unknown"):
        qmcsim.Lattice(2, order="spiral")
    with pytest.raises(ValueError, match="Lattice: dimension = -1 must be a non-negative integer"):
        qmcsim.Lattice(-1)
    vectors = np.array([[1, 5, 7], [1, 9, 11]])
    with pytest.raises(ValueError, match="needs m_max"):
        qmcsim.Lattice(3, replications=2, generating_vector=vectors)
    with pytest.raises(ValueError, match="2 generating vectors for 3 replications"):
        qmcsim.Lattice(3, replications=3, generating_vector=vectors, m_max=4)
    with pytest.raises(ValueError, match="generating vector .generating_vector\\[1\\].: component 2 = 9 is not below n = 8"):
        qmcsim.Lattice(3, replications=2, generating_vector=vectors, m_max=3)
    with pytest.raises(ValueError, match="negative entry"):
        qmcsim.Lattice(3, replications=2, generating_vector=-vectors, m_max=4)
    with pytest.raises(ValueError, match="array of integers, got dtype float64"):
        qmcsim.Lattice(3, replications=2, generating_vector=vectors * 1.0, m_max=4)
    with pytest.raises(ValueError, match="generating_vector = 63 .* outside \\[2, 62\\]"):
        qmcsim.Lattice(3, generating_vector=63)
    with pytest.raises(ValueError, match="shape \\(d, m\\) or \\(R, d, m\\)"):
        qmcsim.DigitalNet(3, matrices=np.ones(3, dtype=np.uint64))
    with pytest.raises(ValueError, match="rows = 2 is outside \\[3"):
        qmcsim.DigitalNet(2, matrices=np.array([[4, 2], [1, 1]]), rows=2)
    with pytest.raises(ValueError, match="3 sets of generating matrices for 2 replications"):
        qmcsim.DigitalNet(2, replications=2, matrices=np.ones((3, 2, 4), dtype=np.uint64))


def test_scipy_engine_adapter():
    stats = pytest.importorskip("scipy.stats")
    engine = qmcsim.QMCEngine(qmcsim.DigitalNet(2, randomize="none", order="gray"))
    assert isinstance(engine, stats.qmc.QMCEngine)
    first = engine.random(8)
    np.testing.assert_array_equal(first, qmcsim.DigitalNet(2, randomize="none", order="gray").gen(8))
    np.testing.assert_array_equal(engine.random(4), qmcsim.DigitalNet(2, randomize="none", order="gray").gen(4, start=8))
    engine.reset()
    np.testing.assert_array_equal(engine.random(8), first)
    assert stats.qmc.discrepancy(engine.random(256)) < stats.qmc.discrepancy(np.random.default_rng(0).random((256, 2)))


@pytest.mark.parametrize("fmt", ["npy", "raw", "csv"])
def test_driver_writes_every_format_and_dtype(cli, tmp_path, fmt):
    """`qmcsim points --format F --dtype T` against the bindings: float64 and float32 bit for bit,
    uint64 the words whose leading 53 bits are the float64 points. With n = 400 000 and two
    replications the driver writes several blocks through its spool file."""
    n = 1000 if fmt == "csv" else 400_000
    for make, args in (
        (lambda: qmcsim.DigitalNet(3, replications=2, seed=4), ["--kind", "sobol", "--replications", 2, "--seed", 4]),
        (lambda: qmcsim.Lattice(3, seed=4), ["--kind", "lattice", "--seed", 4]),
    ):
        points = make()
        expected = {"float64": points.gen(n), "float32": points.gen(n, dtype="float32")}
        for dtype in ("float64", "float32", "uint64"):
            path = tmp_path / f"points.{fmt}"
            cli("points", *args, "--dim", 3, "--n", n, "--format", fmt, "--dtype", dtype, "--output", path)
            if fmt == "npy":
                got = np.load(path)
                assert got.dtype == np.dtype(dtype) and got.shape == expected["float64"].shape
            elif fmt == "raw":
                got = np.fromfile(path, dtype=dtype).reshape(expected["float64"].shape)
            else:
                got = np.loadtxt(path, delimiter=",", dtype=dtype).reshape(expected["float64"].shape)
            if dtype == "uint64":
                np.testing.assert_array_equal((got >> np.uint64(11)).astype(np.float64) * 2.0**-53, expected["float64"])
            else:
                np.testing.assert_array_equal(got, expected[dtype])

