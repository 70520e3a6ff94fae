# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""fftbr, ifftbr and fwht against dense definitions (NumPy's FFT of bit-reversed input, the Hadamard
matrix), for real and complex rows, 1-D and 2-D input, and arrays from other libraries (DLPack)."""

import numpy as np
import pytest

import qmcsim


def bit_reversed(n):
    m = n.bit_length() - 1
    return np.array([int(format(j, f"0{m}b")[::-1], 2) if m else 0 for j in range(n)])


def hadamard(n):
    h = np.array([[1.0]])
    while h.shape[0] < n:
        h = np.block([[h, h], [h, -h]])
    return h / np.sqrt(n)


@pytest.mark.parametrize("n", [1, 2, 8, 1024])
def test_fftbr_is_the_fft_of_bit_reversed_input(n):
    rng = np.random.default_rng(n)
    x = rng.standard_normal((3, n)) + 1j * rng.standard_normal((3, n))
    expected = np.fft.fft(x[:, bit_reversed(n)], axis=1) / np.sqrt(n)
    np.testing.assert_allclose(qmcsim.fftbr(x), expected, atol=1e-12 * np.sqrt(n))
    np.testing.assert_allclose(qmcsim.ifftbr(qmcsim.fftbr(x)), x, atol=1e-12)
    real = rng.standard_normal(n)
    np.testing.assert_allclose(qmcsim.fftbr(real), np.fft.fft(real[bit_reversed(n)]) / np.sqrt(n), atol=1e-12 * np.sqrt(n))


@pytest.mark.parametrize("n", [1, 4, 256])
def test_fwht_is_the_orthonormal_hadamard_transform(n):
    rng = np.random.default_rng(n)
    x = rng.standard_normal((2, n))
    y = qmcsim.fwht(x)
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, x @ hadamard(n).T, atol=1e-12)
    np.testing.assert_allclose(qmcsim.fwht(y), x, atol=1e-12)
    z = x + 1j * x[::-1]
    np.testing.assert_allclose(qmcsim.fwht(z), z @ hadamard(n).T, atol=1e-12)


def test_other_array_types_and_layouts():
    x = np.arange(16.0)
    np.testing.assert_allclose(qmcsim.fwht(list(x)), qmcsim.fwht(x))
    strided = np.arange(32.0)[::2]  # not contiguous: copied
    np.testing.assert_allclose(qmcsim.fwht(strided), qmcsim.fwht(np.ascontiguousarray(strided)))
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(qmcsim.fwht(torch.arange(16.0, dtype=torch.float64)), qmcsim.fwht(x))


def test_bad_shapes_raise_value_error():
    with pytest.raises(ValueError, match="power of two"):
        qmcsim.fftbr(np.ones(6))
    with pytest.raises(ValueError, match="dimensions"):
        qmcsim.fwht(np.ones((2, 2, 2)))
    with pytest.raises(ValueError):
        qmcsim.fwht(np.array(["a", "b"]))
